"""Physical constants, defined once.

WGS 84 values from NGA.STND.0036_1.0.0_WGS84 (2014), Table 3.1 (defining parameters)
and Table 3.4 (J2 from the EGM2008 C20 harmonic: J2 = -sqrt(5) * C20).
Standard gravity from the CGPM 1901 definition (9.80665 m/s^2).
"""

import math

WGS84_A_M = 6378137.0  # semi-major axis [m]
WGS84_F = 1.0 / 298.257223563  # flattening [-]
WGS84_B_M = WGS84_A_M * (1.0 - WGS84_F)  # semi-minor axis [m]
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)  # first eccentricity squared [-]
WGS84_EP2 = WGS84_E2 / (1.0 - WGS84_E2)  # second eccentricity squared [-]
GM_EARTH_M3_S2 = 3.986004418e14  # geocentric gravitational constant, incl. atmosphere
OMEGA_EARTH_RAD_S = 7.292115e-5  # nominal mean angular velocity of the Earth
J2_EARTH = -math.sqrt(5.0) * (-4.84166774985e-4)  # = 1.08262982e-3, EGM2008 C20
G0_M_S2 = 9.80665  # standard gravity, for Isp <-> exhaust speed only

# Mean radius R1 = (2a + b) / 3 of the WGS 84 ellipsoid (IUGG), for the spherical
# validation Earth that the closed forms of Bate, Mueller & White assume.
SPHERE_RADIUS_M = (2.0 * WGS84_A_M + WGS84_B_M) / 3.0
