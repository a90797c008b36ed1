"""Coverage rings: the covered radius is the smallest of the radar horizon, the radar's
ground range and the interceptor's reach, each checked here against its closed form.

Radar horizon with no elevation mask, on the standard-refraction sphere of radius
R_e = k R (k = 4/3, R = SPHERE_RADIUS_M): s = R_e [acos(R_e/(R_e+h_r)) + acos(R_e/(R_e+h_t))]
(line of sight grazing the effective sphere; Doerry 2013, Skolnik 2001 ch. 8). Radar
ground range (flat-Earth slant approximation of defence.coverage): sqrt(R^2 - dh^2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bmdsim.defence.coverage import CoverageRing, coverage_ring
from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.earth.geodesic import inverse

K = 4.0 / 3.0
RE = K * SPHERE_RADIUS_M
SITE = dict(site_lat_deg=53.13, site_lon_deg=26.01)


def horizon_closed_form(h_r, h_t):
    return RE * (math.acos(RE / (RE + h_r)) + math.acos(RE / (RE + h_t)))


def radar_ground_closed_form(r, h_r, h_t):
    return math.sqrt(r**2 - (h_t - h_r) ** 2)


def ring(h_r, h_t, radar_m, reach_m, **kw):
    return coverage_ring(
        **SITE,
        antenna_height_m=h_r,
        target_altitude_m=h_t,
        radar_range_m=radar_m,
        min_elevation_rad=None,
        interceptor_reach_m=reach_m,
        **kw,
    )


def test_closed_form_sanity():
    # the textbook rule of thumb: ~4.12 km per sqrt(m) of height, for each end
    assert horizon_closed_form(10.0, 0.0) / 1e3 == pytest.approx(4.12 * math.sqrt(10.0), rel=0.01)


@pytest.mark.parametrize(
    ("h_r", "h_t", "radar_m", "reach_m", "expected"),
    [
        # low target: horizon ~ 4.12 (sqrt 8 + sqrt 1000) km = 142 km
        (8.0, 1_000.0, 600e3, 300e3, "radar horizon"),
        # high target (horizon ~ 424 km), short radar
        (8.0, 10_000.0, 200e3, 400e3, "radar range"),
        # both radar limits far beyond a short-range interceptor
        (20.0, 20_000.0, 600e3, 50e3, "interceptor reach"),
        # ballistic-missile-defence numbers: a 1,000 km radar, a 500 km target
        (5.0, 500e3, 1_000e3, 2_000e3, "radar range"),
    ],
)
def test_ring_against_closed_forms(h_r, h_t, radar_m, reach_m, expected):
    r = ring(h_r, h_t, radar_m, reach_m)
    assert isinstance(r, CoverageRing)
    horizon = horizon_closed_form(h_r, h_t)
    radar_ground = radar_ground_closed_form(radar_m, h_r, h_t)
    assert r.horizon_m == pytest.approx(horizon, rel=1e-9)
    assert r.radar_range_m == pytest.approx(radar_ground, rel=1e-12)
    assert r.interceptor_reach_m == reach_m
    limits = {"radar horizon": horizon, "radar range": radar_ground, "interceptor reach": reach_m}
    assert min(limits, key=limits.get) == expected  # the case is what it says
    assert r.limited_by == expected
    assert r.radius_m == pytest.approx(min(limits.values()), rel=1e-9)
    assert r.target_altitude_m == h_t


def test_ring_points_lie_at_the_radius():
    # horizon ~ 4.12 (sqrt 8 + sqrt 5000) km = 303 km, inside the radar and the reach
    r = ring(8.0, 5_000.0, 600e3, 400e3, n=36)
    assert r.limited_by == "radar horizon"
    assert len(r.lat_deg) == len(r.lon_deg) == 36
    dist, _, _ = inverse(
        lat1_deg=SITE["site_lat_deg"],
        lon1_deg=SITE["site_lon_deg"],
        lat2_deg=np.asarray(r.lat_deg),
        lon2_deg=np.asarray(r.lon_deg),
    )
    np.testing.assert_allclose(dist, r.radius_m, rtol=1e-6)


def test_out_of_window_gives_zero():
    r = ring(8.0, 40_000.0, 600e3, 280e3, in_altitude_window=False)
    assert r.radius_m == 0.0
    assert r.limited_by == "altitude window"
    assert r.interceptor_reach_m == 0.0
    assert len(r.lat_deg) == 0 and len(r.lon_deg) == 0
    # the radar figures are still reported
    assert r.horizon_m == pytest.approx(horizon_closed_form(8.0, 40_000.0), rel=1e-9)
    assert r.radar_range_m == pytest.approx(radar_ground_closed_form(600e3, 8.0, 40e3))


def test_radar_shorter_than_the_height_difference_gives_zero_ground_range():
    r = ring(10.0, 50_000.0, 30e3, 100e3)
    assert r.radar_range_m == 0.0
    assert r.radius_m == 0.0 and r.limited_by == "radar range"
    assert len(r.lat_deg) == 0


def test_elevation_mask_shrinks_the_horizon():
    masked = coverage_ring(
        **SITE,
        antenna_height_m=8.0,
        target_altitude_m=1_000.0,
        radar_range_m=600e3,
        min_elevation_rad=math.radians(1.0),
        interceptor_reach_m=300e3,
    )
    assert 0 < masked.horizon_m < horizon_closed_form(8.0, 1_000.0)
    assert masked.radius_m == masked.horizon_m


# --- low flyers: the line-of-sight horizon over the whole altitude range ---------------
# The textbook 4/3-Earth radar horizon is d = sqrt(2 k R h_r) + sqrt(2 k R h_t)
# (Skolnik 2001 ch. 8; "4.12 (sqrt h_r + sqrt h_t) km" with heights in metres). It drops
# h^2 under each root and replaces the arc by the tangent, so it departs from the exact
# arc by about (5/12) h / (k R) relative: 2e-6 at 50 m, 1.5e-3 at 30 km.
MASTS_M = (0.0, 5.0, 23.8, 30.0, 38.8)  # no mast, a vehicle, 40V6M, central, 40V6MD
TARGETS_M = np.geomspace(10.0, 30_000.0, 37)


def sqrt_sum_horizon(h_r, h_t):
    return math.sqrt(2 * RE * h_r) + math.sqrt(2 * RE * h_t)


@pytest.mark.parametrize("h_r", MASTS_M)
def test_horizon_matches_the_sqrt_sum_over_the_whole_altitude_range(h_r):
    from bmdsim.defence.radar import radar_horizon_range_m

    got = radar_horizon_range_m(h_r, TARGETS_M)
    for h_t, s in zip(TARGETS_M, got, strict=True):
        want = sqrt_sum_horizon(h_r, h_t)
        tol = 0.5 * max(h_r, h_t) / RE + 1e-9  # the approximation's own error, bounded
        assert s == pytest.approx(want, rel=tol), (h_r, h_t)
        assert s == pytest.approx(horizon_closed_form(h_r, h_t), rel=1e-9)


@pytest.mark.parametrize("h_r", MASTS_M[1:])
def test_a_mask_below_the_dip_gives_the_line_of_sight_horizon(h_r):
    """A low-altitude radar searching down to the horizon (mask below the dip
    acos(R_e/(R_e+h_r))) sees to the full line-of-sight horizon; a mask at 0 deg does
    not once the target is low: then the ray leaves level and climbs to h_t after
    acos((R_e+h_r)/(R_e+h_t)), about sqrt(2 R_e (h_t - h_r))."""
    from bmdsim.defence.radar import radar_horizon_range_m

    dip = math.acos(RE / (RE + h_r))
    below = radar_horizon_range_m(h_r, TARGETS_M, min_elevation_rad=-1.01 * dip)
    full = radar_horizon_range_m(h_r, TARGETS_M)
    np.testing.assert_allclose(below, full, rtol=1e-12)
    level = radar_horizon_range_m(h_r, TARGETS_M, min_elevation_rad=0.0)
    for h_t, s in zip(TARGETS_M, level, strict=True):
        if h_t <= h_r:
            assert math.isnan(s)
        else:
            assert s == pytest.approx(RE * math.acos((RE + h_r) / (RE + h_t)), rel=1e-9)
            assert s < sqrt_sum_horizon(h_r, h_t)


def test_a_mast_lengthens_the_ring_against_a_50_m_target():
    """The issue's case: a 50 m cruise-missile altitude seen from a 5 m antenna behind a
    1 deg mask gave 4.7 km; from a 24-39 m mast searching to the horizon it is 49-55 km,
    and the target's own horizon (about 29 km) is most of it."""
    masked = coverage_ring(
        **SITE,
        antenna_height_m=5.0,
        target_altitude_m=50.0,
        radar_range_m=300e3,
        min_elevation_rad=math.radians(1.0),
        interceptor_reach_m=300e3,
    )
    assert masked.radius_m < 5e3
    assert math.sqrt(2 * RE * 50.0) == pytest.approx(29.1e3, rel=0.01)
    for mast in (23.8, 38.8):
        r = coverage_ring(
            **SITE,
            antenna_height_m=mast,
            target_altitude_m=50.0,
            radar_range_m=300e3,
            min_elevation_rad=-math.radians(0.2),
            interceptor_reach_m=300e3,
            radar="96l6",
        )
        assert r.limited_by == "radar horizon" and r.radar == "96l6"
        assert r.antenna_height_m == mast
        assert r.radius_m == pytest.approx(sqrt_sum_horizon(mast, 50.0), rel=1e-5)
