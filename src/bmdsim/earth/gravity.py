"""Gravity: point mass plus the J2 zonal harmonic, in an Earth-centred frame whose z
axis is the Earth's rotation axis (ECI or ECEF alike: J2 is axially symmetric).

a = -mu r / |r|^3 - (3/2) J2 mu Re^2 / |r|^5 * [x (1 - 5 z^2/r^2),
                                                 y (1 - 5 z^2/r^2),
                                                 z (3 - 5 z^2/r^2)]
(Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., eq. 12.30; Vallado,
*Fundamentals of Astrodynamics and Applications*, 4th ed., eq. 8-22 for the potential.)
Constants: WGS 84 (``constants.py``). Units: metres, seconds. Valid above the surface.
"""

import math

from numba.extending import register_jitable

from bmdsim.earth.constants import GM_EARTH_M3_S2, J2_EARTH, WGS84_A_M


@register_jitable
def gravity_point_mass(x, y, z):
    """Inverse-square acceleration (m/s^2) at ECI/ECEF position (x, y, z) in metres."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    k = -GM_EARTH_M3_S2 / (r2 * r)
    return k * x, k * y, k * z


@register_jitable
def gravity_j2(x, y, z):
    """Point-mass + J2 acceleration (m/s^2) at position (x, y, z) in metres."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    k = -GM_EARTH_M3_S2 / (r2 * r)
    zr2 = z * z / r2
    c = -1.5 * J2_EARTH * GM_EARTH_M3_S2 * WGS84_A_M * WGS84_A_M / (r2 * r2 * r)
    f_xy = c * (1.0 - 5.0 * zr2)
    f_z = c * (3.0 - 5.0 * zr2)
    return k * x + f_xy * x, k * y + f_xy * y, k * z + f_z * z


def gravity_acceleration(r_m, *, j2=True):
    """Array form for users and tests: r_m shape (..., 3) -> acceleration (..., 3)."""
    import numpy as np

    r_m = np.asarray(r_m, dtype=float)
    # The scalar kernel is the one model; vectorising it keeps a single copy of the formula.
    fn = np.vectorize(gravity_j2 if j2 else gravity_point_mass, otypes=[float, float, float])
    ax, ay, az = fn(r_m[..., 0], r_m[..., 1], r_m[..., 2])
    return np.stack([ax, ay, az], axis=-1)
