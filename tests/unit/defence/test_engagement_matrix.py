"""The vectorised engagement matrix (defence/matrix.py: threat_tracks_to_grid,
engagement_matrix) against the per-threat, per-battery rule (defence/engagement.py:
threat_track, battery_window), and the compiled FlyoutTable.time_to against its NumPy
formulation (kept here as the reference).

Threats: made-up test fixtures (tests/fixture_vehicles.py), three ICBMs from Teykovo over
Scandinavia and three SRBMs from the Kaliningrad area toward Pomerania. Interceptors:
notional 3.0 and 5.5 km/s rockets (as in test_flyout.py) with coarse fans, so the
tables build in about a second; not catalogue entries.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bmdsim.defence.engagement import (
    Battery,
    Doctrine,
    SensorCue,
    battery_window,
    commit_time,
    threat_track,
    tracked_mask,
)
from bmdsim.defence.flyout import flyout_table
from bmdsim.defence.matrix import engagement_matrix, threat_tracks_to_grid
from bmdsim.defence.rules import REASON_NAMES, REASONS
from bmdsim.flight.batch import FlightModel, fly_batch, launch_rows
from bmdsim.flight.trajectory import trajectory_from_batch
from bmdsim.flight.vehicle import pack_vehicles
from fixture_vehicles import IB_CLASS, ICBM, IIB_CLASS, SRBM, TEYKOVO, test_interceptor

MODEL = FlightModel()
KALININGRAD = (54.71, 20.51)
SITES = {  # lat, lon deg
    "redzikowo": (54.48, 17.10),
    "central-sweden": (62.0, 16.0),  # under the ICBM tracks (a made-up site)
    "deveselu": (44.08, 24.35),  # far from every threat here
}
DT = 1.0


def _cell(grid, x):
    """The cell search in NumPy (commit 5c6f567's ``flyout._cell``), kept as the reference:
    cell index i (grid[i] <= x <= grid[i+1]), fraction in it, and inside-grid flag
    (arithmetic on a uniform grid, binary search otherwise)."""
    n = len(grid)
    ok = (x >= grid[0]) & (x <= grid[-1])
    step = (grid[-1] - grid[0]) / (n - 1)
    with np.errstate(invalid="ignore"):
        if np.allclose(np.diff(grid), step, rtol=1e-9, atol=0.0):
            u = np.where(ok, (x - grid[0]) / step, 0.0)
            i = np.minimum(u.astype(np.int64), n - 2)
            f = u - i
        else:
            i = np.clip(np.searchsorted(grid, x, side="right") - 1, 0, n - 2)
            f = (x - grid[i]) / (grid[i + 1] - grid[i])
    return i, np.where(ok, np.clip(f, 0.0, 1.0), 0.0), ok


def _old_time_to(self, ground_range_m, altitude_m, *, window=True):
    """FlyoutTable.time_to as it was in NumPy (commit 5c6f567), kept as the reference."""
    filled = self._filled[bool(window)]
    d, h = np.broadcast_arrays(np.asarray(ground_range_m, float), np.asarray(altitude_m, float))
    shape = d.shape
    d, h = d.ravel(), h.ravel()
    ny = len(self.altitude_grid_m)
    i, fx, ok = _cell(self.ground_range_grid_m, d)
    j, fy, ok_y = _cell(self.altitude_grid_m, h)
    ok &= ok_y
    if window:
        ok &= (h >= self.min_altitude_m) & (h <= self.max_altitude_m)
    base = i * ny + j
    gx = 1.0 - fx
    t = gx * ((1.0 - fy) * filled[base] + fy * filled[base + 1]) + fx * (
        (1.0 - fy) * filled[base + ny] + fy * filled[base + ny + 1]
    )
    out = np.where(ok & (t <= self.max_flight_time_s + 1.0), t, np.inf)
    return out.reshape(shape) if shape else float(out[0])


def _table(speed, *, min_alt, max_alt, design=IIB_CLASS, gx=None):
    vehicle = test_interceptor(speed, design)
    return flyout_table(
        vehicle,
        site_lat_deg=SITES["redzikowo"][0],
        site_lon_deg=SITES["redzikowo"][1],
        azimuth_deg=0.0,
        launch_elevations_deg=np.linspace(12.0, 88.0, 14),
        max_flight_time_s=300.0,
        min_altitude_m=min_alt,
        max_altitude_m=max_alt,
        ground_range_grid_m=np.arange(0.0, 1_400e3 + 1, 10e3) if gx is None else gx,
        altitude_grid_m=np.arange(0.0, 1_500e3 + 1, 10e3),
    )


@pytest.fixture(scope="module")
def tables():
    return {
        "exo-3.0": _table(3_000.0, min_alt=70e3, max_alt=np.inf, design=IB_CLASS),
        "exo-5.5": _table(5_500.0, min_alt=100e3, max_alt=np.inf),
        "endo-3.0": _table(3_000.0, min_alt=15e3, max_alt=60e3, design=IB_CLASS),
    }


@pytest.fixture(scope="module")
def flights():
    """Three ICBMs and three SRBMs in one recorded batch, and their Trajectories."""
    vid = np.array([0, 0, 0, 1, 1, 1])
    lat = np.array([TEYKOVO[0]] * 3 + [KALININGRAD[0]] * 3)
    lon = np.array([TEYKOVO[1]] * 3 + [KALININGRAD[1]] * 3)
    az = np.radians([300.0, 315.0, 330.0, 262.0, 250.0, 275.0])
    kick = np.array([0.326, 0.30, 0.35, 0.111, 0.14, 0.09])
    rows = launch_rows(vid, np.radians(lat), np.radians(lon), 0.0, az, kick, np.inf, MODEL)
    res = fly_batch(pack_vehicles([ICBM, SRBM]), rows, lat, lon, MODEL, record_steps=600)
    assert res.impacted.all()
    trajs = [
        trajectory_from_batch(
            res,
            i,
            vehicle_id=["icbm", "srbm"][vid[i]],
            shape="test",
            launch_lat_deg=lat[i],
            launch_lon_deg=lon[i],
            model=MODEL,
            azimuth_rad=az[i],
            kick_rad=kick[i],
            backend="cpu",
        )
        for i in range(len(vid))
    ]
    return res, trajs


# --- FlyoutTable.time_to: compiled == NumPy ------------------------------------------


def _points(table, rng, n):
    gx, gy = table.ground_range_grid_m, table.altitude_grid_m
    d = rng.uniform(-20e3, gx[-1] * 1.05, n)
    h = rng.uniform(-20e3, gy[-1] * 1.05, n)
    d[: n // 10] = rng.choice(gx, n // 10)  # on nodes and cell edges
    h[n // 10 : n // 5] = rng.choice(gy, n // 10)
    h[n // 5 : n // 4] = rng.choice([table.min_altitude_m, table.max_altitude_m], n // 20)
    d[-50:] = np.nan
    h[-100:-50] = np.nan
    d[-120:-100] = gx[-1]
    h[-140:-120] = gy[-1]
    return d, h


def test_time_to_identical_to_numpy(tables):
    rng = np.random.default_rng(7)
    for table in tables.values():
        for n in (1_000, 300_000):  # the serial and the parallel kernel
            d, h = _points(table, rng, n)
            for window in (True, False):
                new = table.time_to(d, h, window=window)
                old = _old_time_to(table, d, h, window=window)
                assert np.array_equal(new, old)
                assert np.isfinite(new).any() and not np.isfinite(new).all()
        # scalars, broadcasting, shapes
        assert table.time_to(400e3, 300e3) == _old_time_to(table, 400e3, 300e3)
        assert isinstance(table.time_to(400e3, 300e3), float)
        grid_d = np.linspace(0.0, 900e3, 7)[:, None]
        grid_h = np.linspace(0.0, 900e3, 5)[None, :]
        out = table.time_to(grid_d, grid_h)
        assert out.shape == (7, 5)
        assert np.array_equal(out, _old_time_to(table, grid_d, grid_h))
        assert table.time_to(np.nan, 300e3) == np.inf
        assert table.time_to_unwindowed(1e3, 20e3) == _old_time_to(table, 1e3, 20e3, window=False)


def test_time_to_identical_on_a_non_uniform_grid():
    gx = np.concatenate([np.arange(0.0, 200e3, 5e3), np.arange(200e3, 1_400e3 + 1, 20e3)])
    table = _table(4_000.0, min_alt=50e3, max_alt=800e3, gx=gx)
    assert not table._lookup_grids[0][1]  # the binary-search branch (ground range axis)
    rng = np.random.default_rng(8)
    for n in (2_000, 200_000):
        d, h = _points(table, rng, n)
        for window in (True, False):
            assert np.array_equal(
                table.time_to(d, h, window=window), _old_time_to(table, d, h, window=window)
            )


# --- threat_tracks_to_grid == threat_track -------------------------------------------


def test_grid_matches_threat_track(flights):
    res, trajs = flights
    grid = threat_tracks_to_grid(res, DT, model=MODEL)
    from_list = threat_tracks_to_grid(trajs, DT)
    assert np.array_equal(grid.valid, from_list.valid)
    np.testing.assert_allclose(
        np.nan_to_num(grid.r_ecef_m), np.nan_to_num(from_list.r_ecef_m), rtol=0, atol=1e-6
    )
    n_t = len(grid.t_s)
    assert grid.t_s[1] - grid.t_s[0] == DT
    for i, traj in enumerate(trajs):
        track = threat_track(traj, dt_s=DT)
        k = len(track.t_s) - 1  # threat_track adds the impact instant as its last sample
        assert np.array_equal(grid.t_s[: min(k, n_t)], track.t_s[:k])
        assert grid.valid[i, :k].all() and not grid.valid[i, k + 1 :].any()
        np.testing.assert_allclose(grid.r_ecef_m[i, :k], track.r_ecef_m[:k], rtol=0, atol=1e-6)
        np.testing.assert_allclose(grid.alt_m[i, :k], track.alt_m[:k], rtol=0, atol=1e-6)
        assert grid.impact_time_s[i] == pytest.approx(track.impact_time_s)
        assert grid.burnout_time_s[i] == pytest.approx(track.burnout_time_s)
        assert np.isnan(grid.alt_m[i, ~grid.valid[i]]).all()
    # ThreatTracks (Earth-fixed) resampled on their own grid come back unchanged
    tracks = [threat_track(t, dt_s=DT) for t in trajs]
    from_tracks = threat_tracks_to_grid(tracks, DT)
    np.testing.assert_allclose(
        np.nan_to_num(from_tracks.r_ecef_m), np.nan_to_num(grid.r_ecef_m), rtol=0, atol=1e-6
    )


# --- engagement_matrix == battery_window ---------------------------------------------


def _cueing(i, b):
    """A made-up cue per (threat, battery): (firm track s or None, lost s)."""
    return [(90.0, np.inf), (150.0, np.inf), (60.0, 400.0), (None, None), (30.0, 200.0)][
        (i + 2 * b) % 5
    ]


def _cues(t_s, i, b):
    firm, lost = _cueing(i, b)
    if firm is None:
        return [SensorCue("radar", "elsewhere", np.zeros(len(t_s), bool), None, None)]
    visible = (t_s >= firm) & (t_s <= lost)
    return [SensorCue("radar", "elsewhere", visible, firm, firm)]


def test_matrix_agrees_with_battery_window(flights, tables):
    res, trajs = flights
    doctrine = Doctrine(decision_delay_s=30.0)
    batteries = [
        Battery(site, kind, lat, lon, 0.0, table)
        for site, (lat, lon) in SITES.items()
        for kind, table in tables.items()
    ]
    grid = threat_tracks_to_grid(res, DT, model=MODEL)
    n, nb = len(trajs), len(batteries)
    commit = np.full((n, nb), np.inf)
    tracked = np.zeros((n, nb, len(grid.t_s)), bool)
    for i in range(n):
        for b, bat in enumerate(batteries):
            cues = _cues(grid.t_s, i, b)
            tc = commit_time(cues, bat, doctrine)
            commit[i, b] = np.inf if tc is None else tc
            tracked[i, b] = tracked_mask(cues, bat, doctrine, len(grid.t_s))
    out = engagement_matrix(
        grid.t_s, grid.r_ecef_m, grid.alt_m, grid.valid, batteries, commit, tracked=tracked
    )
    assert out.feasible.shape == (n, nb)
    seen = set()
    for i, traj in enumerate(trajs):
        track = threat_track(traj, dt_s=DT)
        for b, bat in enumerate(batteries):
            w = battery_window(track, bat, _cues(track.t_s, i, b), doctrine, min_speed=False)
            where = f"threat {i}, {bat.site_id}/{bat.interceptor_id}"
            assert out.feasible[i, b] == w.feasible, where
            assert REASON_NAMES[out.reason_code[i, b]] == w.reason, where
            assert out.reason[i, b] == w.reason
            seen.add(w.reason)
            if w.feasible:
                assert abs(out.first_intercept_s[i, b] - w.first_intercept_s) <= DT, where
                assert abs(out.last_intercept_s[i, b] - w.last_intercept_s) <= DT, where
                assert abs(out.first_launch_s[i, b] - w.first_launch_s) <= DT, where
                assert out.n_samples[i, b] >= 1
            else:
                assert np.isnan(out.first_intercept_s[i, b])
                assert out.n_samples[i, b] == 0
    # the cases above exercise feasible pairs and most failure reasons
    assert None in seen and len(seen - {None}) >= 3, seen
    assert set(out.reason_counts()) <= {"feasible", *REASONS}
    assert sum(out.reason_counts().values()) == n * nb
    df = out.to_dataframe()
    assert len(df) == n * nb and df["feasible"].sum() == out.feasible.sum()


class _StraightFlyout:
    """A flyout without a grid (straight line at constant speed): the generic path."""

    max_flight_time_s = 1e4

    def time_to(self, g, h):
        d = np.hypot(g, h)
        return np.where((d <= 800e3) & (np.asarray(h) >= 50e3), d / 3_000.0, np.inf)

    def time_to_unwindowed(self, g, h):
        d = np.hypot(g, h)
        return np.where(d <= 800e3, d / 3_000.0, np.inf)


def test_matrix_generic_flyout_and_defaults(flights):
    res, trajs = flights
    grid = threat_tracks_to_grid(trajs, DT)
    batteries = [
        Battery(site, "straight", lat, lon, 0.0, _StraightFlyout())
        for site, (lat, lon) in SITES.items()
    ]
    commit = np.full((len(trajs), len(batteries)), 100.0)
    commit[0, :] = np.nan  # never committed
    out = engagement_matrix(grid.t_s, grid.r_ecef_m, grid.alt_m, grid.valid, batteries, commit)
    for i, traj in enumerate(trajs):
        track = threat_track(traj, dt_s=DT)
        for b, bat in enumerate(batteries):
            cue = SensorCue("r", "x", np.ones(len(track.t_s), bool), 0.0, 0.0)
            delay = np.inf if i == 0 else 100.0
            w = battery_window(track, bat, [cue], Doctrine(decision_delay_s=delay), min_speed=False)
            assert REASON_NAMES[out.reason_code[i, b]] == w.reason
            if w.feasible:
                assert abs(out.first_intercept_s[i, b] - w.first_intercept_s) <= DT
    assert not out.feasible[0].any()


def test_ground_range_as_site_geometry(flights):
    """The compiled central angle equals site_geometry's at every sample."""
    from bmdsim.defence.engagement import site_geometry
    from bmdsim.defence.matrix import _ground_kernel, _unit_kernel
    from bmdsim.earth.constants import SPHERE_RADIUS_M
    from bmdsim.earth.geodetic import ecef_from_geodetic

    res, trajs = flights
    grid = threat_tracks_to_grid(res, DT, model=MODEL)
    u = np.empty_like(grid.r_ecef_m)
    _unit_kernel(grid.r_ecef_m, grid.valid, u)
    lat, lon = SITES["central-sweden"]
    site = np.array(ecef_from_geodetic(math.radians(lat), math.radians(lon), 0.0))
    ground = np.empty(grid.valid.shape)
    near = np.empty(len(trajs), bool)
    _ground_kernel(u, grid.valid, site / np.linalg.norm(site), -2.0, SPHERE_RADIUS_M, ground, near)
    for i, traj in enumerate(trajs):
        track = threat_track(traj, dt_s=DT)
        k = len(track.t_s) - 1
        ref, _, _ = site_geometry(track, lat, lon)
        np.testing.assert_allclose(ground[i, :k], ref[:k], rtol=1e-12, atol=1e-6)
