"""Steering: vertical rise, an impulsive pitch-over kick, then a gravity turn.

The missile rises along the local (geodetic) vertical for ``V_T_VERTICAL`` seconds; at
that instant its air-relative velocity is turned, keeping its magnitude, to ``kick``
radians from the vertical toward the launch ``azimuth``; afterwards thrust points along
the air-relative velocity (a zero-lift gravity turn), as in Wright's trajectory model
(Science & Global Security 3, 1992) and Bate, Mueller & White ch. 6. The kick angle sets
the trajectory shape: small kicks loft, large kicks depress.
"""

import math

from numba.extending import register_jitable

from bmdsim.earth.constants import OMEGA_EARTH_RAD_S
from bmdsim.earth.geodetic import geodetic_up
from bmdsim.flight import state as S


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
