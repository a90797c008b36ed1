"""Earth rotation: an eastward launch gains range, a westward one loses it.

Same vehicle (the test ICBM), same kick, launched due east and due west from Teykovo
(56.86 N, 40.54 E) on the full rotating WGS 84 model with drag.
"""

from __future__ import annotations

import math

import numpy as np

from bmdsim.earth.constants import OMEGA_EARTH_RAD_S, SPHERE_RADIUS_M
from bmdsim.flight import kepler
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.targeting import Launcher
from bmdsim.flight.vehicle import pack_vehicles
from fixture_vehicles import ICBM, TEYKOVO

KICK_RAD = 0.33  # about the maximum-range kick of the test ICBM
EAST_WEST = np.radians([90.0, 270.0])


def _fly(model):
    launcher = Launcher(pack_vehicles([ICBM]), 0, np.full(2, TEYKOVO[0]), TEYKOVO[1], 0.0, model)
    return launcher.fly(EAST_WEST, np.full(2, KICK_RAD))


def _closed_form_east_west_difference(still):
    """East minus west ground range (m) estimated from the vacuum range equation.

    Take the burnout state of the flight on a *non-rotating* Earth (speed v, flight-path
    angle gamma, radius r, burnout time t_b), and let the turning Earth add its surface
    speed u = omega r cos(lat) to the horizontal speed: +u flying east, -u west. The
    free-flight range angle psi and time T follow from Bate, Mueller & White 6.2-16 and
    6.3. Measured on the Earth, the impact point also slides back by u (t_b + T) east,
    forward west, while the Earth turns under the flight. So
        D_east - D_west ~ R [psi(+u) - psi(-u)] - u [2 t_b + T(+u) + T(-u)].
    Leaving the second term out over-estimates it by ~30 % here (2,840 km); with it the
    estimate ignores drag, J2, the boost-phase Coriolis force and the bending of the great
    circle away from the parallel (the along-track share of u falls as the track turns).
    """
    s = still.summary[0]
    r_b = s[S.S_R_BURNOUT:S.S_R_BURNOUT + 3]
    v_b = s[S.S_V_BURNOUT:S.S_V_BURNOUT + 3]
    r, v = np.linalg.norm(r_b), np.linalg.norm(v_b)
    gamma = math.asin(r_b @ v_b / (r * v))
    u = OMEGA_EARTH_RAD_S * r * math.cos(math.asin(r_b[2] / r))
    out = {}
    for sign in (1.0, -1.0):
        vh, vz = v * math.cos(gamma) + sign * u, v * math.sin(gamma)
        v2, g2 = math.hypot(vh, vz), math.atan2(vz, vh)
        psi = float(kepler.free_flight_range_angle(v2, r, g2))
        t = float(kepler.time_of_free_flight(v2, r, g2))
        out[sign] = (psi, t)
    (psi_e, t_e), (psi_w, t_w) = out[1.0], out[-1.0]
    return SPHERE_RADIUS_M * (psi_e - psi_w) - u * (2 * s[S.S_T_BURNOUT] + t_e + t_w)


def test_eastward_launch_outranges_westward_by_the_closed_form_estimate():
    turning = _fly(FlightModel(earth="wgs84", rotation=True, drag=True))
    still = _fly(FlightModel(earth="wgs84", rotation=False, drag=True))
    east, west = turning.range_m
    simulated = east - west
    estimate = _closed_form_east_west_difference(still)
    print(f"\neast {east / 1e3:,.0f} km, west {west / 1e3:,.0f} km: difference "
          f"{simulated / 1e3:,.0f} km; closed-form estimate {estimate / 1e3:,.0f} km "
          f"(ratio {simulated / estimate:.2f})")
    assert east > west
    # Measured ratio 1.12 (2,204 km simulated, 1,964 km estimated). Band: a factor 1.5
    # either way, for the effects the estimate leaves out (docstring above); a sign or
    # frame error in the rotating model (e.g. omega x r added twice, or not at all)
    # would give a ratio near 2 or near 0.
    assert 1 / 1.5 < simulated / estimate < 1.5
    # The still Earth sits between the two.
    assert west < still.range_m[0] < east


def test_without_rotation_east_and_west_ranges_agree():
    # With rotation off, J2 and the ellipsoid are symmetric about the launch meridian's
    # plane, so due east and due west are mirror images: the ranges agree to round-off,
    # far inside the 1 % one might allow for J2. Measured difference: 0 m. Tolerance 1 m.
    still = _fly(FlightModel(earth="wgs84", rotation=False, drag=True))
    east, west = still.range_m
    assert abs(east - west) < 1.0
    # mirror images: same latitude, longitudes either side of the launch meridian
    assert abs(still.impact_lat_deg[0] - still.impact_lat_deg[1]) < 1e-8
    lon0 = TEYKOVO[1]
    assert abs((still.impact_lon_deg[0] - lon0) + (still.impact_lon_deg[1] - lon0)) < 1e-8
