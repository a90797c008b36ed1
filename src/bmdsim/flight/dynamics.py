"""Equations of motion of a 3-DoF point mass in the Earth-centred inertial frame.

r'' = g(r) + (F/m) u_thrust - (1/2) rho |v_air| v_air Cd A / m + a_lift

with g from ``earth.gravity`` (point mass + J2 on WGS 84; point mass on the sphere),
rho, p, a from the US Standard Atmosphere 1976 (``earth.atmosphere``) at the height
above the ellipsoid (or sphere), the atmosphere turning with the Earth so that drag acts
on v_air = v - omega x r, thrust from ``propulsion`` along the local vertical before the
pitch-over and along v_air after it (``steering``), drag from ``aero``, and for a lifting
vehicle in free flight a lift perpendicular to v_air of at most L/D times the drag
(``steering.lift_acceleration``; zero for ballistic vehicles).
ECI is aligned with ECEF at t = 0 (DESIGN section 3); no precession or nutation.
"""

import math

from numba.extending import register_jitable

from bmdsim.earth.atmosphere import density_pressure_sound_speed
from bmdsim.earth.constants import OMEGA_EARTH_RAD_S
from bmdsim.earth.geodetic import geodetic_altitude_m, sphere_altitude_m
from bmdsim.earth.gravity import gravity_j2, gravity_point_mass
from bmdsim.flight import state as S
from bmdsim.flight.aero import drag_coefficient
from bmdsim.flight.propulsion import thrust_mass_area
from bmdsim.flight.steering import lift_acceleration, local_up


@register_jitable
def altitude_m(x, y, z, earth_model):
    if earth_model == S.EARTH_SPHERE:
        return sphere_altitude_m(x, y, z)
    return geodetic_altitude_m(x, y, z)


@register_jitable
def acceleration(
    t,
    x,
    y,
    z,
    vx,
    vy,
    vz,
    vehicle,
    stage,
    coast_mass,
    coast_area,
    coast_beta,
    vertical,
    phase,
    model,
    atmosphere,
):
    """Total ECI acceleration (m/s^2) and the size of its non-gravitational part.

    Returns (ax, ay, az, a_nongrav, v_air): the last two steer the step size.
    ``stage``: index of the burning stage, -1 in free flight (``propulsion.step_stage``);
    ``vertical``: thrust along the local vertical (before the pitch-over);
    ``phase``: the lift phase (``state.PHASE_*``; ``PHASE_NONE`` for ballistic flight);
    ``model``: the model row (``state.M_*``: Earth, rotation, drag);
    ``atmosphere``: the US-1976 table (``earth.atmosphere.US1976_TABLE``).
    """
    earth_model = model[S.M_EARTH]
    drag = model[S.M_DRAG] != 0.0
    if earth_model == S.EARTH_SPHERE:
        ax, ay, az = gravity_point_mass(x, y, z)
    else:
        ax, ay, az = gravity_j2(x, y, z)
    h = altitude_m(x, y, z, earth_model)
    w = OMEGA_EARTH_RAD_S if model[S.M_ROTATION] != 0.0 else 0.0
    vax, vay, vaz = vx + w * y, vy - w * x, vz
    v_air = math.sqrt(vax * vax + vay * vay + vaz * vaz)
    rho, p_atm, a_sound = density_pressure_sound_speed(h, atmosphere)
    a_ng = 0.0
    if stage >= 0:
        thrust, mass, area = thrust_mass_area(t, stage, vehicle, p_atm)
        if vertical or v_air < 1e-3:
            dx, dy, dz = local_up(x, y, z, earth_model)
        else:
            dx, dy, dz = vax / v_air, vay / v_air, vaz / v_air
        f = thrust / mass
        ax += f * dx
        ay += f * dy
        az += f * dz
        a_ng += f
        if drag and rho > 0.0:
            k = 0.5 * rho * v_air * drag_coefficient(v_air / a_sound, vehicle) * area / mass
            ax -= k * vax
            ay -= k * vay
            az -= k * vaz
            a_ng += k * v_air
    elif rho > 0.0 and (drag or phase != S.PHASE_NONE):
        if coast_beta > 0.0:
            k = 0.5 * rho * v_air / coast_beta
        else:
            k = (
                0.5
                * rho
                * v_air
                * drag_coefficient(v_air / a_sound, vehicle)
                * coast_area
                / coast_mass
            )
        if drag:
            ax -= k * vax
            ay -= k * vay
            az -= k * vaz
            a_ng += k * v_air
        if phase != S.PHASE_NONE:
            # Lift is sized by the drag the air exerts even with the drag force switched
            # off (the lossless glider of the energy check, tests/unit/flight/test_lift.py).
            lx, ly, lz, a_lift = lift_acceleration(
                x,
                y,
                z,
                vx,
                vy,
                vz,
                vax,
                vay,
                vaz,
                v_air,
                h,
                k * v_air,
                drag,
                phase,
                vehicle,
                earth_model,
            )
            ax += lx
            ay += ly
            az += lz
            a_ng += a_lift
    return ax, ay, az, a_ng, v_air
