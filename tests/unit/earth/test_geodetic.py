"""WGS 84 geodetic <-> ECEF against PROJ (pyproj EPSG:4979 <-> EPSG:4978)."""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest
from pyproj import Transformer

from bmdsim.earth.constants import SPHERE_RADIUS_M, WGS84_A_M, WGS84_B_M
from bmdsim.earth.geodetic import (
    ecef_from_geodetic,
    enu_basis,
    geodetic_altitude_m,
    geodetic_from_ecef,
    geodetic_latitude_rad,
    sphere_altitude_m,
)

TO_ECEF = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


@pytest.fixture(scope="module")
def points():
    # Seeded sample: all latitudes (poles included), all longitudes, -10 km .. 40,000 km.
    rng = np.random.default_rng(84)
    n = 4000
    lat = np.concatenate([rng.uniform(-90.0, 90.0, n), [90.0, -90.0, 0.0, 89.9999, 45.0]])
    lon = np.concatenate([rng.uniform(-180.0, 180.0, n), [0.0, 123.0, -180.0, 10.0, 45.0]])
    h = np.concatenate([rng.uniform(-10e3, 40_000e3, n), [0.0, 40_000e3, -10e3, 2e6, 1e5]])
    return lat, lon, h


def test_ecef_from_geodetic_matches_proj(points):
    # PROJ's geocentric conversion; tolerance 1 mm.
    lat, lon, h = points
    x_ref, y_ref, z_ref = TO_ECEF.transform(lon, lat, h)
    x, y, z = ecef_from_geodetic(np.radians(lat), np.radians(lon), h)
    assert np.max(np.abs(np.array([x - x_ref, y - y_ref, z - z_ref]))) < 1e-3


def test_geodetic_from_ecef_inverts_proj_forward(points):
    # ECEF from PROJ's (closed-form, exact) forward; our inverse recovers lat, lon, h to
    # 1 mm (height, and position along the surface) at every altitude -10 km .. 40,000 km.
    lat, lon, h = points
    x, y, z = TO_ECEF.transform(lon, lat, h)
    lat_rad, lon_rad, h_m = geodetic_from_ecef(x, y, z)
    r = np.sqrt(np.asarray(x) ** 2 + np.asarray(y) ** 2 + np.asarray(z) ** 2)
    assert np.max(np.abs(h_m - h)) < 1e-3
    assert np.max(np.abs(lat_rad - np.radians(lat)) * r) < 1e-3
    not_pole = np.abs(lat) < 89.0
    dlon = np.angle(np.exp(1j * (lon_rad - np.radians(lon))))
    assert np.max(np.abs(dlon * r)[not_pole]) < 1e-3


def test_geodetic_from_ecef_matches_proj_inverse_below_100_km(points):
    # PROJ's own inverse (EPSG:4978 -> 4979, the 'cart' operation) takes a single
    # non-iterated step: it drifts with altitude (2.4 cm at 2,000 km, 0.32 m at 40,000 km
    # in this sample), so compare to it at 1 mm only where it is itself that good.
    lat, lon, h = points
    low = h <= 100e3
    x, y, z = TO_ECEF.transform(lon[low], lat[low], h[low])
    lon_ref, lat_ref, h_ref = TO_ECEF.transform(x, y, z, direction="INVERSE")
    lat_rad, _, h_m = geodetic_from_ecef(x, y, z)
    assert np.max(np.abs(h_m - h_ref)) < 1e-3
    assert np.max(np.abs(lat_rad - np.radians(lat_ref))) * 6.4e6 < 1e-3


def test_scalar_bowring_altitude_is_within_1_cm_to_2000_km_and_1_m_to_40000_km(points):
    lat, lon, h = points
    x, y, z = ecef_from_geodetic(np.radians(lat), np.radians(lon), h)
    _, _, h_ref = geodetic_from_ecef(x, y, z)

    @numba.njit(cache=False)
    def heights(x, y, z):
        out = np.empty(x.size)
        for k in range(x.size):
            out[k] = geodetic_altitude_m(x[k], y[k], z[k])
        return out

    err = np.abs(heights(x, y, z) - h_ref)
    assert np.max(err[h <= 2_000e3]) <= 0.01
    assert np.max(err) <= 1.0
    # plain Python gives the same numbers
    assert geodetic_altitude_m(float(x[0]), float(y[0]), float(z[0])) == pytest.approx(
        h_ref[0], abs=0.01)


def test_scalar_latitude_agrees_with_array_function(points):
    lat, lon, h = points
    x, y, z = ecef_from_geodetic(np.radians(lat), np.radians(lon), h)
    lat_fast = np.array([geodetic_latitude_rad(a, b, c) for a, b, c in zip(x, y, z, strict=True)])
    lat_ref, _, _ = geodetic_from_ecef(x, y, z)
    near = h <= 2_000e3
    assert np.max(np.abs(lat_fast - lat_ref)[near]) < 5e-9
    assert np.max(np.abs(lat_fast - lat_ref)) < 2e-8


def test_known_points():
    # Equator and pole: h = |r| - a and |r| - b exactly.
    assert geodetic_altitude_m(WGS84_A_M + 1000.0, 0.0, 0.0) == pytest.approx(1000.0, abs=1e-9)
    assert geodetic_altitude_m(0.0, 0.0, -(WGS84_B_M + 5.0)) == pytest.approx(5.0, abs=1e-9)
    assert geodetic_latitude_rad(0.0, 0.0, WGS84_B_M) == pytest.approx(math.pi / 2)
    assert sphere_altitude_m(SPHERE_RADIUS_M + 7.0, 0.0, 0.0) == pytest.approx(7.0, abs=1e-9)


def test_enu_basis_is_orthonormal_and_right_handed():
    rng = np.random.default_rng(3)
    lat = rng.uniform(-np.pi / 2, np.pi / 2, (5, 7))
    lon = rng.uniform(-np.pi, np.pi, (5, 7))
    e, n, u = enu_basis(lat, lon)
    assert e.shape == n.shape == u.shape == (5, 7, 3)
    for a in (e, n, u):
        np.testing.assert_allclose(np.linalg.norm(a, axis=-1), 1.0, atol=1e-15)
    np.testing.assert_allclose(np.sum(e * n, axis=-1), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.cross(e, n), u, atol=1e-15)
    # up is the ellipsoid normal: the direction in which geodetic height grows
    x0 = np.array(ecef_from_geodetic(lat, lon, 0.0))
    x1 = np.array(ecef_from_geodetic(lat, lon, 1.0))
    np.testing.assert_allclose(np.moveaxis(x1 - x0, 0, -1), u, atol=1e-9)
