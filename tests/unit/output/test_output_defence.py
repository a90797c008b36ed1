"""Missile-defence outputs (output/defence_plots.py, output/maps.py, output/summary.py) on a
synthetic engagement: figures saved with the network blocked and without pyplot, and
the JSON summaries' stable fields.

The threat is a synthetic 1,500 km ballistic arc (great-circle ground track, parabolic
altitude, apogee 380 km, burnout at 60 s, impact at 600 s); the interceptor is a real
but small flyout table of a notional 3 km/s test interceptor (24 launch elevations,
10 km grid, 240 s, floor 70 km). The feasible window's numbers are what
``battery_window`` computes for this geometry (rounded); the second battery, 1,300 km
away, is out of reach. Nothing here models a real system.
"""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure
from output_synthetic import GEOD

from bmdsim.defence.engagement import (
    Battery,
    Doctrine,
    Engagement,
    InterceptWindow,
    SensorCue,
    ThreatTrack,
)
from bmdsim.defence.flyout import flyout_table
from bmdsim.defence.rules import REASONS
from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.earth.geodetic import ecef_from_geodetic
from bmdsim.output.defence_plots import plot_battle_space, plot_engagement_timeline, plot_flyout
from bmdsim.output.maps import map_coverage
from bmdsim.output.summary import default_times, engagement_summary, flyout_summary
from fixture_vehicles import test_interceptor

MIN_PNG_BYTES = 20_000
LAUNCH = (53.0, 30.0)
SITE_A = (53.8, 11.0)
SITE_B = (44.08, 24.38)


def _assert_png(path):
    assert path.exists()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > MIN_PNG_BYTES


def _track(range_m=1_500e3, flight_s=600.0, apogee_m=380e3, burnout_s=60.0, azimuth_deg=270.0):
    t = np.arange(0.0, flight_s + 1.0, 1.0)
    s = t / flight_s
    g = range_m * s
    h = 4.0 * apogee_m * s * (1.0 - s)
    lat0, lon0 = np.radians(LAUNCH)
    az = math.radians(azimuth_deg)
    ang = g / SPHERE_RADIUS_M
    lat = np.arcsin(np.sin(lat0) * np.cos(ang) + np.cos(lat0) * np.sin(ang) * np.cos(az))
    lon = lon0 + np.arctan2(
        np.sin(az) * np.sin(ang) * np.cos(lat0), np.cos(ang) - np.sin(lat0) * np.sin(lat)
    )
    r = np.stack(ecef_from_geodetic(lat, lon, h), -1)
    v = np.gradient(r, 1.0, axis=0)
    return ThreatTrack(
        t, r, v, np.degrees(lat), np.degrees(lon), h, flight_s, burnout_s, label="mrbm-test"
    )


@pytest.fixture(scope="module")
def table():
    vehicle = test_interceptor(3_000.0)
    return flyout_table(
        vehicle,
        site_lat_deg=SITE_A[0],
        site_lon_deg=SITE_A[1],
        azimuth_deg=90.0,
        max_flight_time_s=240.0,
        min_altitude_m=70e3,
        max_altitude_m=np.inf,
        launch_elevations_deg=np.linspace(15.0, 88.0, 24),
        ground_range_grid_m=np.arange(0.0, 800e3 + 1, 10e3),
        altitude_grid_m=np.arange(0.0, 800e3 + 1, 10e3),
    )


def _with_batteries(eng, batteries):
    """``Engagement.batteries`` (the Battery objects, as ``windows``) where the field
    exists; set on the frozen instance otherwise."""
    if "batteries" in {f.name for f in dataclasses.fields(Engagement)}:
        return dataclasses.replace(eng, batteries=tuple(batteries))
    object.__setattr__(eng, "batteries", tuple(batteries))
    return eng


@pytest.fixture(scope="module")
def engagement(table):
    track = _track()
    t = track.t_s
    cues = (
        SensorCue("forward radar", "radar-site", (t >= 90) & (t <= 520), 90.0, 110.0),
        SensorCue("site radar", "site-a", t >= 300, 300.0, 312.0),
    )
    batteries = (
        Battery("site-a", "test-interceptor", *SITE_A, 0.0, table, inventory=3),
        Battery("site-b", "test-interceptor", *SITE_B, 0.0, table, inventory=2),
    )
    windows = (
        InterceptWindow(
            "site-a",
            "test-interceptor",
            True,
            None,
            140.0,
            first_intercept_s=386.0,
            last_intercept_s=570.0,
            first_altitude_m=348_772.4,
            last_altitude_m=72_200.0,
            first_ground_range_m=369_613.1,
            last_ground_range_m=317_377.9,
            first_launch_s=150.05,
            last_launch_s=409.62,
            closing_speed_m_s=4_378.06,
            crossing_angle_deg=41.296,
            shots=2,
            shot_times_s=(386.0, 551.0),
            min_burnout_speed_m_s=2_450.0,
        ),
        InterceptWindow("site-b", "test-interceptor", False, "out-of-reach", 140.0),
    )
    eng = Engagement(track, cues, windows, Doctrine(assessment_delay_s=20.0))
    return _with_batteries(eng, batteries)


def test_figures_offline(no_network, tmp_path, engagement, table):
    figs = {
        "timeline.png": plot_engagement_timeline(engagement, tmp_path / "timeline.png"),
        "battle.png": plot_battle_space(engagement, tmp_path / "battle.png"),
        "flyout.png": plot_flyout(table, tmp_path / "flyout.png"),
        "flyout_times.png": plot_flyout(
            table, tmp_path / "flyout_times.png", title="custom", times_s=[50, 100, 200]
        ),
    }
    one = _with_batteries(
        dataclasses.replace(engagement, windows=engagement.windows[:1]),
        engagement.batteries[:1],
    )
    figs["battle_one.png"] = plot_battle_space(one, tmp_path / "battle_one.png", times_s=[120])
    for name, fig in figs.items():
        assert isinstance(fig, Figure)
        _assert_png(tmp_path / name)
    assert len([ax for ax in figs["battle.png"].axes if ax.get_visible()]) == 2
    assert len(figs["battle_one.png"].axes) == 1
    # rows: threat, two sensors, two batteries, labelled site:interceptor
    labels = [t.get_text() for t in figs["timeline.png"].axes[0].get_yticklabels()]
    assert labels[0] == "threat: mrbm-test"
    assert labels[3] == "site-a:test-interceptor"
    assert labels[4].startswith("site-b:test-interceptor")
    # the infeasible battery says why
    texts = [t.get_text() for t in figs["timeline.png"].axes[0].texts]
    assert any("out-of-reach" in t for t in texts)


def test_battle_space_marks_notional_batteries(engagement):
    notional = dataclasses.replace(engagement.batteries[1], notional=True)
    eng = _with_batteries(engagement, (engagement.batteries[0], notional))
    fig = plot_battle_space(eng)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert "[notional]" not in titles[0] and "site-b:test-interceptor [notional]" in titles[1]
    assert any("NOTIONAL" in t.get_text() for t in fig.axes[1].texts)


def test_battle_space_needs_batteries(engagement):
    bare = Engagement(engagement.threat, engagement.cues, engagement.windows, engagement.doctrine)
    if getattr(bare, "batteries", ()):  # pragma: no cover - the field has a default of ()
        pytest.skip("Engagement carries batteries by default")
    with pytest.raises(ValueError, match="batteries"):
        plot_battle_space(bare)


def test_coverage_map_offline(no_network, tmp_path):
    rings = []
    for label, radius in (("70 km intercepts", 450e3), ("150 km intercepts", 300e3)):
        az = np.linspace(360.0, 0.0, 121)[:-1]
        lon, lat, _ = GEOD.fwd(
            np.full(az.size, SITE_A[1]), np.full(az.size, SITE_A[0]), az, np.full(az.size, radius)
        )
        rings.append((label, lat, lon))
    fig = map_coverage(
        *SITE_A,
        rings,
        tmp_path / "coverage.png",
        title="Coverage (test)",
        sites=[("Berlin", 52.52, 13.405), ("Hamburg", 53.55, 9.99)],
    )
    assert isinstance(fig, Figure)
    _assert_png(tmp_path / "coverage.png")
    # over the antimeridian: one ring around a centre at 179.5 E
    az = np.linspace(360.0, 0.0, 91)[:-1]
    lon, lat, _ = GEOD.fwd(
        np.full(az.size, 179.5), np.full(az.size, 52.0), az, np.full(az.size, 600e3)
    )
    map_coverage(52.0, 179.5, [("ring", lat, lon)], tmp_path / "am.png")
    _assert_png(tmp_path / "am.png")


def test_defence_plots_do_not_import_pyplot():
    code = (
        "import sys, bmdsim.output.defence_plots, bmdsim.output.maps, bmdsim.output.summary;"
        "assert 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_summary_module_does_not_import_matplotlib():
    code = (
        "import sys, bmdsim.output.summary;"
        "assert not any(m.startswith('matplotlib') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


WINDOW_FIELDS = {
    "site",
    "interceptor",
    "feasible",
    "reason",
    "reason_text",
    "earliest_launch_s",
    "first_launch_s",
    "last_launch_s",
    "first_intercept_s",
    "last_intercept_s",
    "first_altitude_km",
    "last_altitude_km",
    "first_ground_range_km",
    "last_ground_range_km",
    "closing_speed_kms",
    "crossing_angle_deg",
    "shots",
    "shot_times_s",
    "min_burnout_speed_kms",
    "min_burnout_speed_above_kms",
    "min_burnout_speed_note",
}


def test_engagement_summary_fields(engagement):
    s = engagement_summary(engagement)
    assert json.loads(json.dumps(s)) == s
    assert set(s) == {"threat", "sensors", "doctrine", "windows", "notional", "notes"}
    assert s["threat"] == {
        "label": "mrbm-test",
        "flight_time_s": 600.0,
        "burnout_time_s": 60.0,
        "impact_time_s": 600.0,
        "cruise": False,
    }
    assert s["notes"] == []
    assert s["sensors"] == [
        {
            "name": "forward radar",
            "site": "radar-site",
            "first_detection_s": 90.0,
            "firm_track_s": 110.0,
        },
        {"name": "site radar", "site": "site-a", "first_detection_s": 300.0, "firm_track_s": 312.0},
    ]
    assert s["doctrine"] == {
        "decision_delay_s": 30.0,
        "assessment_delay_s": 20.0,
        "launch_on_remote": True,
        "engage_on_remote": True,
    }
    a, b = s["windows"]
    assert set(a) == set(b) == WINDOW_FIELDS
    assert a["feasible"] is True and a["reason"] is None and a["reason_text"] is None
    assert a["first_altitude_km"] == 348.8 and a["last_ground_range_km"] == 317.4
    assert a["closing_speed_kms"] == 4.378 and a["crossing_angle_deg"] == 41.3
    assert a["shots"] == 2 and a["shot_times_s"] == [386.0, 551.0]
    assert a["first_launch_s"] == 150.1 and a["min_burnout_speed_kms"] == 2.45
    assert b["feasible"] is False and b["reason"] == "out-of-reach"
    assert b["reason_text"] == REASONS["out-of-reach"]
    assert b["earliest_launch_s"] == 140.0 and b["shots"] == 0 and b["shot_times_s"] == []
    for key in WINDOW_FIELDS - {
        "site",
        "interceptor",
        "feasible",
        "reason",
        "reason_text",
        "earliest_launch_s",
        "shots",
        "shot_times_s",
    }:
        assert b[key] is None, key
    for value in (*a.values(), *b.values()):
        assert not isinstance(value, (np.floating, np.integer, np.bool_))


def test_flyout_summary_fields(table):
    s = flyout_summary(table)
    assert json.loads(json.dumps(s)) == s
    assert set(s) == {
        "interceptor",
        "site",
        "azimuth_deg",
        "altitude_window_km",
        "max_flight_time_s",
        "max_ground_range_km",
        "burnout_speed_kms",
        "elevation_deg",
        "reference_elevation_deg",
        "burnout_speed_by_elevation",
        "rocket",
        "reach_km_at",
    }
    assert s["interceptor"] == "ib-class"
    assert s["max_ground_range_km"] is None and s["rocket"] is None  # a bare vehicle
    # the best flyout of the fan is the reference; the rows are the fan's own burnouts
    rows = {r["elevation_deg"]: r for r in s["burnout_speed_by_elevation"]}
    assert s["burnout_speed_kms"] == max(r["burnout_speed_kms"] for r in rows.values())
    assert rows[s["reference_elevation_deg"]]["burnout_speed_kms"] == s["burnout_speed_kms"]
    k = int(np.argmin(np.abs(table.launch_elevations_deg - s["reference_elevation_deg"])))
    assert s["burnout_speed_kms"] == round(table.burnout_speed_m_s[k] / 1e3, 3)
    assert all(r["burnout_time_s"] == 50.0 for r in rows.values())  # 6 + 30 + 14 s
    at = flyout_summary(table, elevation_deg=float(table.launch_elevations_deg[0]))
    assert at["burnout_speed_kms"] == round(table.burnout_speed_m_s[0] / 1e3, 3)
    assert at["elevation_deg"] == round(float(table.launch_elevations_deg[0]), 2)
    assert s["site"] == {"lat": 53.8, "lon": 11.0}
    assert s["azimuth_deg"] == 90.0
    assert s["altitude_window_km"] == {"min": 70.0, "max": None}  # unbounded ceiling
    assert s["max_flight_time_s"] == 240.0
    assert s["burnout_speed_kms"] == pytest.approx(3.0, rel=0.02)  # rotating Earth, az 90
    assert [r["time_s"] for r in s["reach_km_at"]] == [60.0, 120.0, 180.0, 240.0]
    for r in s["reach_km_at"]:
        assert set(r) == {"time_s", "max_ground_range_km", "max_altitude_km"}
    reached = [r["max_ground_range_km"] for r in s["reach_km_at"] if r["max_ground_range_km"]]
    assert reached == sorted(reached) and reached[-1] > 300.0
    assert s["reach_km_at"][-1]["max_ground_range_km"] == round(
        table.max_ground_range_m(240.0) / 1e3, 1
    )
    custom = flyout_summary(table, times_s=[10.0])["reach_km_at"]
    assert custom == [{"time_s": 10.0, "max_ground_range_km": None, "max_altitude_km": None}]


def test_default_times():
    assert default_times(240.0) == [60.0, 120.0, 180.0, 240.0]
    assert default_times(150.0) == [30.0, 60.0, 90.0, 120.0, 150.0]
    assert default_times(1_000.0) == [180.0, 360.0, 540.0, 720.0, 900.0]
    assert default_times(20.0) == [20.0]
    assert default_times(float("inf")) == []
