"""Earth-centred inertial (ECI) <-> Earth-centred Earth-fixed (ECEF) by the Earth's rotation.

The ECI frame of bmdsim is aligned with ECEF at t = 0 (the first threat launch) and the
Earth turns about z at OMEGA_EARTH_RAD_S (WGS 84): theta(t) = theta0 + omega t. No
precession, nutation or polar motion (a few arc-seconds over a flight; DESIGN.md s. 3).
r_ecef = R3(theta) r_eci, v_ecef = R3(theta) (v_eci - omega x r_eci) (Vallado, *Fundamentals
of Astrodynamics and Applications*, 4th ed., eq. 3-80 without P, N, W).
theta0 from a UTC epoch: the IAU 2000 Earth rotation angle (IERS Conventions 2010, eq. 5.15),
with UT1 ~ UTC (|UT1 - UTC| < 0.9 s, i.e. < 4e-4 deg).
Vectors have shape (..., 3); t broadcasts against the leading axes. SI units, radians.
``omega_rad_s=0.0`` gives a non-rotating Earth (ECEF = ECI at every t). The same rotation
runs in compiled code as scalar ``register_jitable`` functions (``*_xyz``), on which the
array functions are built: this module is the one copy of the rotation.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from numba.extending import register_jitable

from bmdsim.earth.constants import OMEGA_EARTH_RAD_S

_J2000_UTC = datetime(2000, 1, 1, 12, 0, 0, tzinfo=UTC)  # JD 2451545.0


@register_jitable
def _rotated_z(x, y, z, c, s):
    # R3(angle) (x, y, z) with c = cos(angle), s = sin(angle): the coordinates in a frame
    # turned by +angle about z. Plain arithmetic: floats in compiled code, arrays below.
    return c * x + s * y, -s * x + c * y, z


@register_jitable
def ecef_from_eci_xyz(x, y, z, theta_rad):
    """ECEF (x, y, z) [m] of an ECI position [m] when the Earth has turned theta_rad
    (theta = theta0 + omega t). Scalar floats: Python, numba njit and CUDA."""
    return _rotated_z(x, y, z, math.cos(theta_rad), math.sin(theta_rad))


@register_jitable
def eci_from_ecef_xyz(x, y, z, theta_rad):
    """ECI (x, y, z) [m] of an ECEF position [m] at Earth rotation angle theta_rad."""
    return _rotated_z(x, y, z, math.cos(theta_rad), -math.sin(theta_rad))


@register_jitable
def ecef_velocity_from_eci_xyz(x, y, z, vx, vy, vz, theta_rad, omega_rad_s):
    """ECEF velocity [m/s] of an ECI state: R3(theta) (v_eci - omega x r_eci)."""
    return ecef_from_eci_xyz(vx + omega_rad_s * y, vy - omega_rad_s * x, vz, theta_rad)


def _rotate_z(v, angle):
    """R3(angle) v for arrays v (..., 3), angle broadcasting against the leading axes."""
    v = np.asarray(v, dtype=np.float64)
    x, y, z = _rotated_z(v[..., 0], v[..., 1], v[..., 2], np.cos(angle), np.sin(angle))
    return np.stack(np.broadcast_arrays(x, y, z), axis=-1)


def _theta(t_s, theta0_rad, omega_rad_s):
    return theta0_rad + omega_rad_s * np.asarray(t_s, dtype=np.float64)


def ecef_from_eci(r_eci_m, t_s, theta0_rad=0.0, *, omega_rad_s=OMEGA_EARTH_RAD_S):
    """ECEF position [m] of an ECI position [m] at time t_s [s]."""
    return _rotate_z(r_eci_m, _theta(t_s, theta0_rad, omega_rad_s))


def eci_from_ecef(r_ecef_m, t_s, theta0_rad=0.0, *, omega_rad_s=OMEGA_EARTH_RAD_S):
    """ECI position [m] of an ECEF position [m] at time t_s [s]."""
    return _rotate_z(r_ecef_m, -_theta(t_s, theta0_rad, omega_rad_s))


def _omega_cross(r, omega_rad_s):
    r = np.asarray(r, dtype=np.float64)
    zero = np.zeros_like(r[..., 2])
    return np.stack([-omega_rad_s * r[..., 1], omega_rad_s * r[..., 0], zero], axis=-1)


def eci_velocity_from_ecef(
    r_ecef_m, v_ecef_m_s, t_s, theta0_rad=0.0, *, omega_rad_s=OMEGA_EARTH_RAD_S
):
    """ECI velocity [m/s] of an ECEF state: R3(-theta) (v_ecef + omega x r_ecef)."""
    v = np.asarray(v_ecef_m_s, dtype=np.float64) + _omega_cross(r_ecef_m, omega_rad_s)
    return _rotate_z(v, -_theta(t_s, theta0_rad, omega_rad_s))


def ecef_velocity_from_eci(
    r_eci_m, v_eci_m_s, t_s, theta0_rad=0.0, *, omega_rad_s=OMEGA_EARTH_RAD_S
):
    """ECEF velocity [m/s] of an ECI state: R3(theta) (v_eci - omega x r_eci)."""
    v = np.asarray(v_eci_m_s, dtype=np.float64) - _omega_cross(r_eci_m, omega_rad_s)
    return _rotate_z(v, _theta(t_s, theta0_rad, omega_rad_s))


def earth_rotation_angle_rad(utc: datetime) -> float:
    """IAU 2000 Earth rotation angle [rad, 0..2pi) at a UTC instant (UT1 taken as UTC).

    theta = 2 pi (0.7790572732640 + 1.00273781191135448 (JD_UT1 - 2451545.0)), IERS
    Conventions 2010 eq. 5.15. A naive datetime is read as UTC.
    """
    if utc.tzinfo is None:
        utc = utc.replace(tzinfo=UTC)
    delta = utc - _J2000_UTC
    # Whole days and the fraction apart, so the 1.0027... day count keeps its precision.
    days = delta.days + (delta.seconds + delta.microseconds * 1e-6) / 86400.0
    whole = math.floor(days)
    frac = days - whole
    turns = 0.7790572732640 + 0.00273781191135448 * days + frac
    return 2.0 * math.pi * (turns % 1.0)


__all__ = [
    "earth_rotation_angle_rad",
    "ecef_from_eci",
    "ecef_from_eci_xyz",
    "ecef_velocity_from_eci",
    "ecef_velocity_from_eci_xyz",
    "eci_from_ecef",
    "eci_from_ecef_xyz",
    "eci_velocity_from_ecef",
]
