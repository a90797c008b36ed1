"""Geodesics on WGS 84 (pyproj.Geod) and great circles on the validation sphere."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import Point, Polygon

from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.earth.geodesic import forward, inverse, ring, sphere_forward, sphere_inverse


def test_quarter_meridian():
    # WGS 84 quarter meridian (equator to pole) 10,001,965.729 m (Karney 2013; NGA TR8350.2).
    d, az12, az21 = inverse(lat1_deg=0.0, lon1_deg=0.0, lat2_deg=90.0, lon2_deg=0.0)
    assert float(d) == pytest.approx(10_001_965.729, abs=1e-3)
    assert float(az12) == pytest.approx(0.0, abs=1e-9)


def test_stored_pyproj_results():
    # Stored output of pyproj 3.7.2 Geod(ellps="WGS84").inv(-0.1278, 51.5074, 37.6173,
    # 55.7558) (London -> Moscow): az12, az21, dist; 1 mm and 1e-9 deg.
    d, az12, az21 = inverse(lat1_deg=51.5074, lon1_deg=-0.1278, lat2_deg=55.7558,
                            lon2_deg=37.6173)
    assert float(d) == pytest.approx(2508569.248274592, abs=1e-3)
    assert float(az12) == pytest.approx(64.26120097794383, abs=1e-9)
    assert float(az21) == pytest.approx(-84.93776430978873, abs=1e-9)
    # along the equator the geodesic is the equator: a * dlon
    d, az12, _ = inverse(lat1_deg=0.0, lon1_deg=0.0, lat2_deg=0.0, lon2_deg=10.0)
    assert float(d) == pytest.approx(6378137.0 * math.radians(10.0), abs=1e-6)
    assert float(az12) == pytest.approx(90.0, abs=1e-9)


def test_forward_inverts_inverse_and_broadcasts():
    rng = np.random.default_rng(5)
    lat1 = rng.uniform(-80, 80, (3, 4))
    lon1 = rng.uniform(-180, 180, (3, 4))
    az = rng.uniform(-180, 180, (3, 4))
    dist = rng.uniform(1e3, 1.5e7, (3, 4))
    lat2, lon2 = forward(lat_deg=lat1, lon_deg=lon1, azimuth_deg=az, distance_m=dist)
    assert lat2.shape == (3, 4)
    d, az12, _ = inverse(lat1_deg=lat1, lon1_deg=lon1, lat2_deg=lat2, lon2_deg=lon2)
    np.testing.assert_allclose(d, dist, rtol=0, atol=1e-6)
    np.testing.assert_allclose(np.angle(np.exp(1j * np.radians(az12 - az))), 0.0, atol=1e-9)
    # scalar broadcast against arrays
    d, _, _ = inverse(lat1_deg=0.0, lon1_deg=0.0, lat2_deg=np.array([1.0, 2.0]), lon2_deg=0.0)
    assert d.shape == (2,)


def test_antipodal_points():
    # Nearly antipodal on the equator: the shortest path runs over a pole; half the
    # meridian ellipse (2 x quarter meridian) is 20,003,931.459 m.
    d, _, _ = inverse(lat1_deg=0.0, lon1_deg=0.0, lat2_deg=0.0, lon2_deg=180.0)
    assert float(d) == pytest.approx(2 * 10_001_965.729, abs=2e-3)
    d, _, _ = sphere_inverse(lat1_deg=10.0, lon1_deg=20.0, lat2_deg=-10.0, lon2_deg=-160.0)
    assert float(d) == pytest.approx(math.pi * SPHERE_RADIUS_M, rel=1e-15)


def test_ring_is_counter_clockwise_and_contains_centre():
    lats, lons = ring(lat_deg=50.0, lon_deg=10.0, distance_m=500e3, n=72)
    assert lats.shape == lons.shape == (72,)
    d, _, _ = inverse(lat1_deg=50.0, lon1_deg=10.0, lat2_deg=lats, lon2_deg=lons)
    np.testing.assert_allclose(d, 500e3, atol=1e-6)
    poly = Polygon(zip(lons, lats, strict=True))
    assert poly.exterior.is_ccw
    assert poly.contains(Point(10.0, 50.0))
    with pytest.raises(ValueError):
        ring(lat_deg=0.0, lon_deg=0.0, distance_m=1.0, n=2)


def test_sphere_quarter_circle_and_azimuths():
    d, az12, az21 = sphere_inverse(lat1_deg=0.0, lon1_deg=0.0, lat2_deg=90.0, lon2_deg=0.0)
    assert float(d) == pytest.approx(2 * math.pi * SPHERE_RADIUS_M / 4, rel=1e-15)
    assert float(az12) == pytest.approx(0.0, abs=1e-12)
    d, az12, az21 = sphere_inverse(lat1_deg=0.0, lon1_deg=0.0, lat2_deg=0.0, lon2_deg=90.0)
    assert float(d) == pytest.approx(2 * math.pi * SPHERE_RADIUS_M / 4, rel=1e-15)
    assert float(az12) == pytest.approx(90.0) and float(az21) == pytest.approx(-90.0)
    # tiny distances stay accurate (1 m)
    d, _, _ = sphere_inverse(lat1_deg=45.0, lon1_deg=7.0, lat2_deg=45.0 + math.degrees(
        1.0 / SPHERE_RADIUS_M), lon2_deg=7.0)
    assert float(d) == pytest.approx(1.0, rel=1e-9)


def test_sphere_forward_inverts_sphere_inverse():
    rng = np.random.default_rng(11)
    lat1 = rng.uniform(-89, 89, 500)
    lon1 = rng.uniform(-180, 180, 500)
    az = rng.uniform(-180, 180, 500)
    dist = rng.uniform(1.0, 0.99 * math.pi * SPHERE_RADIUS_M, 500)
    lat2, lon2 = sphere_forward(lat_deg=lat1, lon_deg=lon1, azimuth_deg=az, distance_m=dist)
    d, az12, _ = sphere_inverse(lat1_deg=lat1, lon1_deg=lon1, lat2_deg=lat2, lon2_deg=lon2)
    np.testing.assert_allclose(d, dist, rtol=0, atol=1e-6)
    np.testing.assert_allclose(np.angle(np.exp(1j * np.radians(az12 - az))), 0.0, atol=1e-8)
