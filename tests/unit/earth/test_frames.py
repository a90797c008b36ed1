"""ECI <-> ECEF by theta(t) = theta0 + omega t, and the IAU 2000 Earth rotation angle."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numba
import numpy as np
import pytest

from bmdsim.earth.constants import OMEGA_EARTH_RAD_S
from bmdsim.earth.frames import (
    earth_rotation_angle_rad,
    ecef_from_eci,
    ecef_from_eci_xyz,
    ecef_velocity_from_eci,
    ecef_velocity_from_eci_xyz,
    eci_from_ecef,
    eci_from_ecef_xyz,
    eci_velocity_from_ecef,
)


def test_position_round_trip_and_broadcast():
    rng = np.random.default_rng(0)
    r = rng.normal(size=(4, 6, 3)) * 7e6
    t = rng.uniform(0.0, 3600.0, (4, 6))
    back = eci_from_ecef(ecef_from_eci(r, t, 0.3), t, 0.3)
    np.testing.assert_allclose(back, r, rtol=0.0, atol=1e-8)
    # scalar time over a batch
    assert ecef_from_eci(r, 10.0).shape == (4, 6, 3)


def test_frames_aligned_at_t0_and_earth_turns_east():
    r = np.array([7e6, 0.0, 1e6])
    np.testing.assert_allclose(ecef_from_eci(r, 0.0), r, atol=0.0)
    # after a quarter turn the inertial x axis lies along ECEF -y (Earth turned east)
    t = (math.pi / 2) / OMEGA_EARTH_RAD_S
    np.testing.assert_allclose(ecef_from_eci(r, t), [0.0, -7e6, 1e6], atol=1e-6)


def test_point_fixed_on_earth_moves_at_omega_rho_in_eci():
    lat = np.radians(40.0)
    rho = 6.4e6 * math.cos(lat)
    r_ecef = np.array([rho, 0.0, 6.4e6 * math.sin(lat)])
    v_eci = eci_velocity_from_ecef(r_ecef, np.zeros(3), 1234.5)
    assert np.linalg.norm(v_eci) == pytest.approx(OMEGA_EARTH_RAD_S * rho, rel=1e-14)
    # due east in ECI at that time
    east_eci = eci_from_ecef(np.array([0.0, 1.0, 0.0]), 1234.5)
    np.testing.assert_allclose(v_eci / np.linalg.norm(v_eci), east_eci, atol=1e-15)
    # and the finite difference of its ECI position agrees
    dt = 1e-3
    dr = eci_from_ecef(r_ecef, 1234.5 + dt) - eci_from_ecef(r_ecef, 1234.5 - dt)
    np.testing.assert_allclose(dr / (2 * dt), v_eci, rtol=1e-8)


def test_velocity_round_trip():
    rng = np.random.default_rng(1)
    r = rng.normal(size=(50, 3)) * 7e6
    v = rng.normal(size=(50, 3)) * 7e3
    t = rng.uniform(0, 1e4, 50)
    r_ecef = ecef_from_eci(r, t, 1.0)
    v_ecef = ecef_velocity_from_eci(r, v, t, 1.0)
    np.testing.assert_allclose(eci_velocity_from_ecef(r_ecef, v_ecef, t, 1.0), v, atol=1e-9)


def test_earth_rotation_angle_at_j2000():
    # IERS Conventions 2010 eq. 5.15 at JD_UT1 = 2451545.0: 2 pi * 0.7790572732640 rad.
    j2000 = datetime(2000, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert earth_rotation_angle_rad(j2000) == pytest.approx(2 * math.pi * 0.7790572732640,
                                                            abs=1e-12)
    # naive datetimes are UTC
    assert earth_rotation_angle_rad(j2000.replace(tzinfo=None)) == earth_rotation_angle_rad(j2000)


def test_earth_rotation_angle_rate_is_one_turn_per_sidereal_day():
    # One stellar day = 86400 / 1.00273781191135448 s later the ERA is back (1 us ~ 7e-11 rad).
    t0 = datetime(2024, 3, 20, 3, 6, 0, tzinfo=UTC)
    stellar_day = timedelta(seconds=86400.0 / 1.00273781191135448)
    a0 = earth_rotation_angle_rad(t0)
    a1 = earth_rotation_angle_rad(t0 + stellar_day)
    assert abs((a1 - a0 + math.pi) % (2 * math.pi) - math.pi) < 1e-9
    # and it advances at OMEGA_EARTH_RAD_S (WGS 84 nominal) over an hour to 1e-6 rad
    a2 = earth_rotation_angle_rad(t0 + timedelta(hours=1))
    assert (a2 - a0) % (2 * math.pi) == pytest.approx(OMEGA_EARTH_RAD_S * 3600.0, abs=1e-6)


def test_scalar_kernels_are_the_array_functions_in_compiled_code():
    # One rotation: the scalar register_jitable forms (for numba and CUDA kernels) give
    # the array functions' numbers, compiled or as Python (to rounding: NumPy's and
    # libm's sin/cos may differ in the last bit; 1e-7 m at 7,000 km is 1e-14).
    @numba.njit(cache=False)
    def compiled(r, v, t, omega):
        out = np.empty((r.shape[0], 9))
        for k in range(r.shape[0]):
            theta = omega * t[k]
            x, y, z = ecef_from_eci_xyz(r[k, 0], r[k, 1], r[k, 2], theta)
            out[k, 0], out[k, 1], out[k, 2] = x, y, z
            x, y, z = eci_from_ecef_xyz(r[k, 0], r[k, 1], r[k, 2], theta)
            out[k, 3], out[k, 4], out[k, 5] = x, y, z
            x, y, z = ecef_velocity_from_eci_xyz(
                r[k, 0], r[k, 1], r[k, 2], v[k, 0], v[k, 1], v[k, 2], theta, omega
            )
            out[k, 6], out[k, 7], out[k, 8] = x, y, z
        return out

    rng = np.random.default_rng(3)
    r = rng.normal(size=(50, 3)) * 7e6
    v = rng.normal(size=(50, 3)) * 5e3
    t = rng.uniform(0.0, 5000.0, 50)
    for omega in (OMEGA_EARTH_RAD_S, 0.0):
        out = compiled(r, v, t, omega)
        close = {"rtol": 0.0, "atol": 1e-7}
        np.testing.assert_allclose(out[:, 0:3], ecef_from_eci(r, t, omega_rad_s=omega), **close)
        np.testing.assert_allclose(out[:, 3:6], eci_from_ecef(r, t, omega_rad_s=omega), **close)
        np.testing.assert_allclose(
            out[:, 6:9], ecef_velocity_from_eci(r, v, t, omega_rad_s=omega), **close
        )
        theta = omega * t[7]
        np.testing.assert_allclose(ecef_from_eci_xyz(*r[7], theta), out[7, 0:3], **close)


def test_no_rotation_leaves_positions_and_velocities_alone():
    rng = np.random.default_rng(4)
    r = rng.normal(size=(20, 3)) * 7e6
    v = rng.normal(size=(20, 3)) * 5e3
    t = rng.uniform(0.0, 5000.0, 20)
    np.testing.assert_array_equal(ecef_from_eci(r, t, omega_rad_s=0.0), r)
    np.testing.assert_array_equal(eci_from_ecef(r, t, omega_rad_s=0.0), r)
    np.testing.assert_array_equal(ecef_velocity_from_eci(r, v, t, omega_rad_s=0.0), v)
    np.testing.assert_array_equal(eci_velocity_from_ecef(r, v, t, omega_rad_s=0.0), v)
