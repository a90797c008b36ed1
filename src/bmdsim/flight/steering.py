"""Steering: vertical rise, an impulsive pitch-over kick, a gravity turn; the lift law.

The missile rises along the local (geodetic) vertical for ``V_T_VERTICAL`` seconds; at
that instant its air-relative velocity is turned, keeping its magnitude, to ``kick``
radians from the vertical toward the launch ``azimuth``; afterwards thrust points along
the air-relative velocity (a zero-lift gravity turn), as in Wright's trajectory model
(Science & Global Security 3, 1992) and Bate, Mueller & White ch. 6. The kick angle sets
the trajectory shape: small kicks loft, large kicks depress.

A lifting vehicle (``V_LIFT_LAW``) flies the law of ``lift_acceleration`` after its first
apogee past burnout: pull-up and level glide at a commanded altitude, then, from the
launch row's dive time, a terminal dive at a commanded angle (docs/models/lifting-flight.md).
"""

import math

from numba.extending import register_jitable

from bmdsim.earth.constants import GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S
from bmdsim.earth.geodetic import geodetic_up
from bmdsim.flight import state as S

# Gains of the lift law (docs/models/lifting-flight.md). Altitude hold: a critically
# damped second-order response, h'' = -2 w h' - w^2 (h - h_cmd), with w = 0.05 rad/s
# (~60 s to settle, slow against the ~1 s of a body's own short-period motion, fast
# against a glide of minutes). Dive: the flight-path angle relaxes to the commanded one
# at 0.2 /s. Both are stated assumptions of a point-mass model, not any missile's
# autopilot; lift saturates at L/D x drag long before these gains matter.
GLIDE_OMEGA_RAD_S = 0.05
DIVE_GAIN_PER_S = 0.2


@register_jitable
def local_up(x, y, z, earth_model):
    """Unit vector of the local vertical: the ellipsoid normal (WGS 84) or radial."""
    if earth_model == S.EARTH_SPHERE:
        r = math.sqrt(x * x + y * y + z * z)
        return x / r, y / r, z / r
    return geodetic_up(x, y, z)


@register_jitable
def climb_rate(x, y, z, vx, vy, vz, earth_model):
    """dh/dt: the velocity along the local vertical, which is the gradient of the height
    (the height depends on the distance from the axis and z only, so the inertial velocity
    gives the same rate as the Earth-fixed one)."""
    ux, uy, uz = local_up(x, y, z, earth_model)
    return ux * vx + uy * vy + uz * vz


@register_jitable
def pitch_over(x, y, z, vx, vy, vz, azimuth, kick, earth_model, rotation):
    """Velocity after the kick: air-relative speed kept, direction ``kick`` from the
    vertical toward ``azimuth`` (rad, clockwise from north)."""
    w = OMEGA_EARTH_RAD_S if rotation else 0.0
    ux, uy, uz = local_up(x, y, z, earth_model)
    # east = z_hat x up (normalised); north = up x east
    ex, ey = -uy, ux
    en = math.sqrt(ex * ex + ey * ey)
    ex /= en
    ey /= en
    nx, ny, nz = -uz * ey, uz * ex, ux * ey - uy * ex
    hx = math.cos(azimuth) * nx + math.sin(azimuth) * ex
    hy = math.cos(azimuth) * ny + math.sin(azimuth) * ey
    hz = math.cos(azimuth) * nz
    vax, vay, vaz = vx + w * y, vy - w * x, vz
    speed = math.sqrt(vax * vax + vay * vay + vaz * vaz)
    ck, sk = math.cos(kick), math.sin(kick)
    dx, dy, dz = ck * ux + sk * hx, ck * uy + sk * hy, ck * uz + sk * hz
    return speed * dx - w * y, speed * dy + w * x, speed * dz


@register_jitable
def lift_acceleration(
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
    a_drag,
    drag,
    phase,
    vehicle,
    earth_model,
):
    """Lift acceleration (ax, ay, az, |a|) of a lifting vehicle, m/s^2.

    Constant-L/D point mass with bank modulation, as in the glide literature (Vinh,
    Busemann & Culp, *Hypersonic and Planetary Entry Flight Mechanics*, 1980, ch. 4; Tracy
    & Wright, Science & Global Security 28, 2020): the lift is perpendicular to the
    air-relative velocity ``va`` in the vertical plane, at most ``L/D`` times the drag
    deceleration ``a_drag`` that the air exerts on the body (|L| <= (L/D) D; the part
    out of the vertical plane is not modelled: banks are taken as symmetric). The law:

    * ``PHASE_GLIDE``: pull-up and level glide: the vertical acceleration commanded is
      -2 w h' - w^2 (h - h_glide), met as far as 0 <= lift <= (L/D) D allows (never a
      push-down); with ``h_glide`` infinite, full lift (equilibrium glide at L/D max);
    * ``PHASE_DIVE``: the flight-path angle gamma turns toward minus the dive angle
      delta at d(gamma)/dt = ``DIVE_GAIN_PER_S`` sin(-delta - gamma), with
      -(L/D) D <= lift <= (L/D) D.

    Gravity in the law is the point mass' (the law needs no J2: it is a command, and
    the motion still feels the model's gravity).

    ``h`` altitude (m); ``drag``: whether drag acts (its vertical part
    enters the altitude hold); ``earth_model`` as in the model row."""
    a_max = vehicle[S.V_LIFT_TO_DRAG] * a_drag
    if a_max <= 0.0 or v_air < 1.0:
        return 0.0, 0.0, 0.0, 0.0
    ux, uy, uz = local_up(x, y, z, earth_model)
    s = (vax * ux + vay * uy + vaz * uz) / v_air  # sin of the air-relative path angle
    c2 = 1.0 - s * s
    if c2 < 1e-12:  # vertical flight: the vertical plane has no lift direction
        return 0.0, 0.0, 0.0, 0.0
    c = math.sqrt(c2)
    # unit normal to va in the vertical plane, on the upper side: (up - s va_hat) / c
    nx = (ux - s * vax / v_air) / c
    ny = (uy - s * vay / v_air) / c
    nz = (uz - s * vaz / v_air) / c
    r = math.sqrt(x * x + y * y + z * z)
    g_r = GM_EARTH_M3_S2 / (r * r * r)  # point-mass gravity is -g_r (x, y, z)
    h_dot = s * v_air  # = v . up: the Earth's turning adds nothing vertical
    v2 = vx * vx + vy * vy + vz * vz
    centrifugal = (v2 - h_dot * h_dot) / r  # (inertial horizontal speed)^2 / r
    if phase == S.PHASE_DIVE:
        # sin(-delta - gamma) with sin(gamma) = s, cos(gamma) = c
        turn = -vehicle[S.V_DIVE_SIN] * c - vehicle[S.V_DIVE_COS] * s
        g_n = -g_r * (x * nx + y * ny + z * nz)
        a = v_air * DIVE_GAIN_PER_S * turn - g_n - centrifugal / c
        lo = -a_max
    else:
        h_cmd = vehicle[S.V_GLIDE_ALT]
        if math.isinf(h_cmd):
            a = a_max
        else:
            w = GLIDE_OMEGA_RAD_S
            h_dd = -2.0 * w * h_dot - w * w * (h - h_cmd)
            g_u = -g_r * (x * ux + y * uy + z * uz)
            d_u = -a_drag * s if drag else 0.0
            a = (h_dd - g_u - d_u - centrifugal) / c
        lo = 0.0
    if a > a_max:
        a = a_max
    if a < lo:
        a = lo
    return a * nx, a * ny, a * nz, abs(a)
