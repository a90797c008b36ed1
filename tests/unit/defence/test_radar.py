"""Radar: range against RCS, horizon and elevation with the effective Earth, visibility,
track timeline."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmdsim.defence.radar import (
    SensorTimeline,
    detection_range_m,
    elevation_angle_rad,
    radar_horizon_range_m,
    sensor_timeline,
    track_timeline,
    visibility,
)
from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.earth.frames import eci_from_ecef
from bmdsim.earth.geodesic import forward
from bmdsim.earth.geodetic import ecef_from_geodetic
from bmdsim.errors import InputError
from bmdsim.flight.trajectory import Burnout, Trajectory

KURECIK = dict(radar_lat_deg=38.34944, radar_lon_deg=37.79361, radar_height_m=2085.0)


def test_detection_range_scales_as_fourth_root_of_rcs():
    # R = R_ref (sigma/sigma_ref)^(1/4): 16x the RCS doubles the range; 0.01 m^2 vs 1 m^2
    # at 1,000 km gives 1000 x 0.1^(1/2) = 316.23 km.
    assert detection_range_m(1000e3, 1.0, 16.0) == pytest.approx(2000e3, rel=1e-15)
    assert detection_range_m(1000e3, 1.0, 0.01) == pytest.approx(316_227.766, abs=1e-3)
    np.testing.assert_allclose(
        detection_range_m(1000e3, 1.0, np.array([1.0, 0.0])), [1000e3, 0.0], atol=0.0
    )
    with pytest.raises(InputError, match="positive"):
        detection_range_m(1000e3, 0.0, 1.0)


# open-data.md B5: smooth sphere R = 6371 km, no refraction,
# theta = acos(R/(R+h_r)) + acos(R/(R+h_t)); figures rounded to 0.1 km.
B5 = [
    (2085.0, 100e3, 1284.5e3),
    (2085.0, 200e3, 1738.9e3),
    (2085.0, 500e3, 2608.5e3),
    (50.0, 100e3, 1146.7e3),
]


@pytest.mark.parametrize(("h_r", "h_t", "arc"), B5)
def test_horizon_matches_closed_form_without_refraction(h_r, h_t, arc):
    # reference rounded to 0.1 km: 51 m on R = 6371 km; our mean radius (6371.009 km)
    # moves the arc by < 2 m more.
    assert radar_horizon_range_m(h_r, h_t, 1.0, earth_radius_m=6371e3) == pytest.approx(
        arc, abs=51.0
    )
    assert radar_horizon_range_m(h_r, h_t, 1.0) == pytest.approx(arc, abs=55.0)
    # the closed form itself, at full precision
    r = SPHERE_RADIUS_M
    exact = r * (math.acos(r / (r + h_r)) + math.acos(r / (r + h_t)))
    assert radar_horizon_range_m(h_r, h_t, 1.0) == pytest.approx(exact, rel=1e-13)


def test_refraction_extends_the_horizon_by_sqrt_k_for_low_heights():
    # For h << R, s ~ sqrt(2 k R h_r) + sqrt(2 k R h_t): the 4/3 Earth adds sqrt(4/3) - 1 = 15 %
    ratio = radar_horizon_range_m(10.0, 1000.0) / radar_horizon_range_m(10.0, 1000.0, 1.0)
    assert ratio == pytest.approx(math.sqrt(4.0 / 3.0), rel=2e-4)


@settings(max_examples=80, deadline=None)
@given(
    h_r=st.floats(0.0, 5000.0),
    h_t=st.floats(10e3, 1500e3),
    el=st.floats(0.0, 1.4),
    k=st.sampled_from([1.0, 4.0 / 3.0]),
)
def test_elevation_and_horizon_are_inverse(h_r, h_t, el, k):
    # the range returned for a mask e shows the target at elevation e
    s = radar_horizon_range_m(h_r, h_t, k, min_elevation_rad=el)
    assert elevation_angle_rad(h_r, h_t, s, k) == pytest.approx(el, abs=1e-9)
    # the line-of-sight horizon is seen at minus the dip, acos(R_e / (R_e + h_r))
    s = radar_horizon_range_m(h_r, h_t, k)
    re = k * SPHERE_RADIUS_M
    assert elevation_angle_rad(h_r, h_t, s, k) == pytest.approx(
        -math.acos(re / (re + h_r)), abs=1e-7
    )


def test_horizon_nan_when_no_ray_reaches():
    assert math.isnan(radar_horizon_range_m(2085.0, 1000.0, min_elevation_rad=0.0))
    assert math.isnan(radar_horizon_range_m(10.0, -5.0))


def _targets_along(azimuth_deg, ranges_m, alt_m, lat_deg, lon_deg):
    lat, lon = forward(
        lat_deg=np.full(len(ranges_m), lat_deg),
        lon_deg=np.full(len(ranges_m), lon_deg),
        azimuth_deg=np.full(len(ranges_m), azimuth_deg),
        distance_m=ranges_m,
    )
    x, y, z = ecef_from_geodetic(np.radians(lat), np.radians(lon), alt_m)
    return np.stack([x, y, z], axis=-1)


@pytest.mark.parametrize(("h_t", "arc"), [(100e3, 1284.5e3), (500e3, 2608.5e3)])
def test_kurecik_earth_blocking_on_wgs84(h_t, arc):
    # On the ellipsoid the sphere's horizon holds to about 0.3 %; test 2 % either side.
    r = _targets_along(
        300.0,
        np.array([0.98 * arc, 1.02 * arc]),
        h_t,
        KURECIK["radar_lat_deg"],
        KURECIK["radar_lon_deg"],
    )
    look = visibility(
        **KURECIK,
        target_r_ecef_m=r,
        max_range_m=1e8,
        min_elevation_rad=-math.pi / 2,
        refraction_k=1.0,
    )
    assert look.line_of_sight.tolist() == [True, False]
    assert look.visible.tolist() == [True, False]
    # seen below the local horizontal: a radar on a mountain looks down to the horizon
    assert look.elevation_rad[0] < 0.0
    # the standard 4/3 Earth bends rays round the second one too
    bent = visibility(**KURECIK, target_r_ecef_m=r, max_range_m=1e8, min_elevation_rad=-math.pi / 2)
    assert bent.visible.tolist() == [True, True]
    assert np.all(bent.elevation_rad > look.elevation_rad)


def test_range_mask_and_field_of_regard():
    lat, lon = 40.0, 20.0
    r = np.concatenate(
        [
            _targets_along(90.0, np.array([500e3, 1500e3]), 300e3, lat, lon),  # east
            _targets_along(0.0, np.array([500e3]), 300e3, lat, lon),  # north
            _targets_along(90.0, np.array([20e3]), 1e3, lat, lon),  # low, 2.8 deg elevation
        ]
    )
    look = visibility(
        lat,
        lon,
        10.0,
        r,
        max_range_m=1000e3,
        min_elevation_rad=math.radians(3.5),
        boresight_azimuth_rad=math.radians(100.0),
        half_width_azimuth_rad=math.radians(60.0),
        refraction_k=1.0,
    )
    assert look.in_range.tolist() == [True, False, True, True]
    assert look.in_field.tolist() == [True, True, False, True]
    assert look.above_mask.tolist() == [True, True, True, False]
    assert look.visible.tolist() == [True, False, False, False]
    np.testing.assert_allclose(
        np.degrees(look.azimuth_rad[:3]) % 360.0, [90.0, 90.0, 0.0], atol=0.5
    )
    assert "1 of 4 visible" in repr(look)
    # field of regard across north: boresight 350 deg, half-width 20 deg sees azimuth 0
    wrap = visibility(
        lat,
        lon,
        10.0,
        r[2:3],
        max_range_m=1e7,
        min_elevation_rad=0.0,
        boresight_azimuth_rad=math.radians(350.0),
        half_width_azimuth_rad=math.radians(20.0),
    )
    assert wrap.in_field.tolist() == [True]
    # a ceiling on elevation: a target almost overhead is outside max 60 deg
    over = _targets_along(0.0, np.array([10e3]), 500e3, lat, lon)
    top = visibility(
        lat,
        lon,
        10.0,
        over,
        max_range_m=1e7,
        min_elevation_rad=0.0,
        max_elevation_rad=math.radians(60.0),
    )
    assert top.visible.tolist() == [False]


def test_sphere_geometry_without_refraction_is_the_closed_form():
    # on the sphere with k = 1, visibility's elevation is elevation_angle_rad exactly
    lat, lon, h_r = 10.0, 30.0, 50.0
    ground = np.array([100e3, 800e3, 1500e3])
    phi = ground / SPHERE_RADIUS_M
    # points due north along the meridian, 200 km above the sphere
    la = np.radians(lat) + phi
    rt = (SPHERE_RADIUS_M + 200e3) * np.stack(
        [np.cos(la) * np.cos(np.radians(lon)), np.cos(la) * np.sin(np.radians(lon)), np.sin(la)],
        axis=-1,
    )
    look = visibility(
        lat, lon, h_r, rt, max_range_m=1e8, min_elevation_rad=-1.0, refraction_k=1.0, earth="sphere"
    )
    np.testing.assert_allclose(
        look.elevation_rad, elevation_angle_rad(h_r, 200e3, ground, 1.0), atol=1e-12
    )
    assert look.line_of_sight.tolist() == [True, True, True]
    with pytest.raises(InputError, match="earth"):
        visibility(lat, lon, h_r, rt, max_range_m=1e8, min_elevation_rad=0.0, earth="flat")


def test_track_timeline_with_gaps():
    t = np.arange(0.0, 100.0, 10.0)  # 0, 10, ..., 90
    vis = np.array([0, 1, 1, 0, 1, 1, 1, 1, 0, 1], bool)
    # runs [10, 20], [40, 70], [90, 90]; a 15 s delay does not fit in the first
    assert track_timeline(t, vis, 15.0) == (10.0, 55.0, 90.0)
    assert track_timeline(t, vis, 10.0) == (10.0, 20.0, 90.0)
    assert track_timeline(t, vis, 0.0) == (10.0, 10.0, 90.0)
    assert track_timeline(t, vis, 31.0) == (10.0, None, 90.0)
    assert track_timeline(t, np.zeros(10, bool), 5.0) == (None, None, None)
    with pytest.raises(InputError, match="track delay"):
        track_timeline(t, vis, -1.0)


def _straight_trajectory(rotation):
    """A made-up flight: 300 s along azimuth 45 deg from Kurecik, 250 km up, 5 km/s."""
    t = np.arange(0.0, 301.0, 1.0)
    r_ecef = _targets_along(
        45.0, 200e3 + 5e3 * t, 250e3, KURECIK["radar_lat_deg"], KURECIK["radar_lon_deg"]
    )
    r_eci = eci_from_ecef(r_ecef, t) if rotation else r_ecef
    n = t.size
    z = np.zeros(n)
    traj = Trajectory(
        missile_id="made-up",
        shape="test",
        launch_lat_deg=0.0,
        launch_lon_deg=0.0,
        t_s=t,
        lat_deg=z,
        lon_deg=z,
        alt_m=z,
        ground_range_m=z,
        speed_m_s=z,
        r_eci_m=r_eci,
        v_eci_m_s=np.zeros((n, 3)),
        burnout=Burnout(0.0, 0.0, 0.0, 0.0),
        apogee_alt_m=0.0,
        apogee_time_s=0.0,
        flight_time_s=300.0,
        range_m=0.0,
        impact_lat_deg=0.0,
        impact_lon_deg=0.0,
        launch_azimuth_deg=45.0,
        kick_rad=0.0,
        model={"earth": "wgs84", "rotation": rotation},
    )
    return traj


@pytest.mark.parametrize("rotation", [False, True])
def test_sensor_timeline_on_a_trajectory(rotation):
    # Radial outbound at 5 km/s from 200 km: past 1,000 km slant range (limit) after
    # about 160 s (the 250 km height adds to the slant range); track after 20 s.
    traj = _straight_trajectory(rotation)
    out = sensor_timeline(
        traj, **KURECIK, max_range_m=1000e3, min_elevation_rad=0.0, track_delay_s=20.0
    )
    assert isinstance(out, SensorTimeline)
    assert out.first_detection_s == 0.0
    assert out.firm_track_s == 20.0
    slant_at_last = out.look.slant_range_m[int(out.last_visible_s)]
    assert slant_at_last <= 1000e3 < out.look.slant_range_m[int(out.last_visible_s) + 1]
    assert 140.0 < out.last_visible_s < 165.0
    assert "firm track 20.0 s" in repr(out)
