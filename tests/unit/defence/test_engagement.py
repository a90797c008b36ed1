"""Engagement windows on geometry that can be checked by hand.

A synthetic threat flies at constant altitude and ground speed straight over a site, and a
synthetic interceptor flies at a constant speed along the straight line to its target
point (time = slant distance / speed), so the first intercept solves
t - sqrt(g(t)^2 + h^2) / v_i = t_commit by hand (here: bisection in the test).
"""

import math

import numpy as np
import pytest

from bmdsim.defence.engagement import (
    MIN_SPEED_BRACKET_M_S,
    Battery,
    Doctrine,
    SensorCue,
    ThreatTrack,
    battery_window,
)
from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.earth.geodetic import ecef_from_geodetic
from bmdsim.flight.resample import hermite_resample

SITE = (54.47, 17.12)  # Redzikowo area; any point works


class StraightFlyout:
    def __init__(self, speed, max_range, floor=0.0, ceiling=2e6, max_time=1e4):
        self.speed, self.max_range, self.floor, self.ceiling = speed, max_range, floor, ceiling
        self.max_flight_time_s = max_time

    def time_to_unwindowed(self, g, h):
        g, h = np.asarray(g, float), np.asarray(h, float)
        d = np.hypot(g, h)
        t = d / self.speed
        return np.where((d <= self.max_range) & (t <= self.max_flight_time_s), t, np.inf)

    def time_to(self, g, h):
        t = self.time_to_unwindowed(g, h)
        return np.where((np.asarray(h) >= self.floor) & (np.asarray(h) <= self.ceiling), t, np.inf)

    def velocity_at(self, g, h):
        return np.full(np.shape(g), self.speed), np.arctan2(
            np.asarray(h, float), np.asarray(g, float)
        )


def _track(g0_m, v_m_s, h_m, duration_s, dt=1.0, azimuth_deg=90.0):
    """Threat approaching the site from azimuth ``azimuth_deg`` along a great circle."""
    t = np.arange(0.0, duration_s + dt, dt)
    g = g0_m - v_m_s * t  # negative past the site: over-flight
    lat0, lon0 = np.radians(SITE)
    az = math.radians(azimuth_deg)
    ang = g / SPHERE_RADIUS_M
    lat = np.arcsin(np.sin(lat0) * np.cos(ang) + np.cos(lat0) * np.sin(ang) * np.cos(az))
    lon = lon0 + np.arctan2(
        np.sin(az) * np.sin(ang) * np.cos(lat0), np.cos(ang) - np.sin(lat0) * np.sin(lat)
    )
    r = np.stack(ecef_from_geodetic(lat, lon, np.full_like(t, h_m)), -1)
    v = np.gradient(r, dt, axis=0)
    return ThreatTrack(
        t,
        r,
        v,
        np.degrees(lat),
        np.degrees(lon),
        np.full_like(t, h_m),
        impact_time_s=float(t[-1]),
        burnout_time_s=0.0,
    )


def _cue(track, t_track, name="radar", site_id="x"):
    vis = track.t_s >= t_track - 1e-9
    return SensorCue(name, site_id, vis, float(t_track), float(t_track))


def _battery(flyout, inventory=4):
    return Battery("site", "int", SITE[0], SITE[1], 0.0, flyout, inventory=inventory)


def test_head_on_first_intercept_matches_hand_solution():
    v_t, v_i, h, g0, t_track = 3000.0, 3000.0, 150e3, 1_500e3, 60.0
    doctrine = Doctrine(decision_delay_s=30.0, assessment_delay_s=20.0)
    track = _track(g0, v_t, h, 900.0)
    w = battery_window(
        track, _battery(StraightFlyout(v_i, 1_000e3)), [_cue(track, t_track)], doctrine
    )
    assert w.feasible
    t_commit = t_track + doctrine.decision_delay_s

    def f(t):  # launch time minus commit time for an intercept at t (flat geometry)
        return t - math.hypot(g0 - v_t * t, h) / v_i - t_commit

    lo, hi = 0.0, 400.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
    # 1 s sampling plus the 0.3 % sphere-vs-straight-line difference at 1,000 km.
    assert w.first_intercept_s == pytest.approx(hi, abs=2.0)
    assert w.earliest_launch_s == pytest.approx(t_commit)
    # Head-on: the interceptor climbs toward the threat, which comes at it: crossing angle
    # small, closing speed near v_t + v_i.
    assert w.crossing_angle_deg < 20.0
    assert w.closing_speed_m_s == pytest.approx(v_t + v_i, rel=0.06)


def test_shoot_look_shoot_count_by_hand():
    # Over-flight at 200 km altitude: the window is long; shots at least assessment apart.
    track = _track(800e3, 2000.0, 200e3, 800.0)
    doctrine = Doctrine(decision_delay_s=0.0, assessment_delay_s=100.0)
    w = battery_window(
        track, _battery(StraightFlyout(4000.0, 600e3), inventory=10), [_cue(track, 0.0)], doctrine
    )
    assert w.feasible and w.shots >= 2
    launches = np.array(w.shot_times_s)
    assert np.all(np.diff(launches) >= doctrine.assessment_delay_s)
    w1 = battery_window(
        track, _battery(StraightFlyout(4000.0, 600e3), inventory=1), [_cue(track, 0.0)], doctrine
    )
    assert w1.shots == 1


@pytest.mark.parametrize(
    "flyout, t_track, expected",
    [
        (StraightFlyout(3000.0, 100e3), 0.0, "out-of-reach"),
        (StraightFlyout(3000.0, 1_000e3, floor=300e3), 0.0, "outside-altitude-window"),
        (StraightFlyout(3000.0, 1_000e3), 10_000.0, "not-tracked-in-time"),
    ],
)
def test_infeasible_engagements_name_the_failed_constraint(flyout, t_track, expected):
    track = _track(1_500e3, 3000.0, 150e3, 900.0)
    cue = _cue(track, min(t_track, 900.0))
    cue = SensorCue(cue.name, cue.site_id, cue.visible, t_track, t_track)
    w = battery_window(track, _battery(flyout), [cue], Doctrine(decision_delay_s=0.0))
    assert not w.feasible
    assert w.reason == expected
    assert w.reason_text


def test_receding_fast_threat_is_a_tail_chase():
    # Threat starts over the site and flies away faster than the interceptor.
    track = _track(-50e3, 5000.0, 150e3, 500.0)
    w = battery_window(
        track,
        _battery(StraightFlyout(2000.0, 400e3, max_time=200.0)),
        [_cue(track, 0.0)],
        Doctrine(decision_delay_s=0.0),
    )
    assert not w.feasible and w.reason == "tail-chase"


def test_minimum_burnout_speed_brackets_feasibility():
    track = _track(1_500e3, 3000.0, 150e3, 900.0)
    cues = [_cue(track, 300.0)]
    battery = Battery(
        "site",
        "int",
        SITE[0],
        SITE[1],
        0.0,
        StraightFlyout(1000.0, 700e3),
        flyout_for_speed=lambda v: StraightFlyout(v, 700e3),
    )
    w = battery_window(track, battery, cues, Doctrine(decision_delay_s=30.0))
    v = w.min_burnout_speed_m_s
    assert v is not None
    for speed, ok in ((v + 30.0, True), (v - 60.0, False)):
        wi = battery_window(
            track,
            Battery("site", "int", SITE[0], SITE[1], 0.0, StraightFlyout(speed, 700e3)),
            cues,
            Doctrine(decision_delay_s=30.0),
            min_speed=False,
        )
        assert wi.feasible is ok


def _speed_battery(max_range=700e3, cap=None, floor=0.0):
    def flyout(v):
        f = StraightFlyout(v, max_range, floor=floor)
        f.min_altitude_m, f.max_altitude_m = f.floor, f.ceiling
        if cap is not None:
            f.range_cap_m = cap
        return f

    return Battery(
        "site", "int", SITE[0], SITE[1], 0.0, flyout(1000.0), flyout_for_speed=flyout
    )


def test_minimum_burnout_speed_says_what_its_null_means():
    """One meaning per answer: a number (feasible from there up); null with the search's
    top (>= 12 km/s) and the reason it fails there; null with 'never tracked' when no
    speed can help; 'not computed' when the search was not run."""
    assert MIN_SPEED_BRACKET_M_S[1] >= 12_000.0
    doctrine = Doctrine(decision_delay_s=30.0)
    # a threat whose slant range never comes within a 100 km reach, at any speed
    track = _track(1_500e3, 3000.0, 150e3, 900.0)
    w = battery_window(track, _speed_battery(max_range=100e3), [_cue(track, 300.0)], doctrine)
    assert w.min_burnout_speed_m_s is None
    assert w.min_burnout_speed_above_m_s == MIN_SPEED_BRACKET_M_S[1]
    note = w.min_burnout_speed_note
    assert "up to 12 km/s" in note and "out-of-reach" in note
    # a threat receding from 1,000 km out, beyond a 700 km range cap: the note names the cap
    away = _track(-1_000e3, 3000.0, 150e3, 300.0)
    w = battery_window(away, _speed_battery(cap=700e3), [_cue(away, 10.0)], doctrine)
    assert w.min_burnout_speed_above_m_s == MIN_SPEED_BRACKET_M_S[1]
    assert "700 km range cap" in w.min_burnout_speed_note
    # a threat that stays below the interceptor's floor: the note names the window
    w = battery_window(track, _speed_battery(floor=200e3), [_cue(track, 300.0)], doctrine)
    assert w.min_burnout_speed_above_m_s == MIN_SPEED_BRACKET_M_S[1]
    assert "never inside the interceptor's altitude window (200-2,000 km" in (
        w.min_burnout_speed_note
    )
    # never tracked: no firm track commits the battery
    silent = SensorCue("radar", "x", np.zeros(len(track.t_s), bool), None, None)
    w = battery_window(track, _speed_battery(), [silent], doctrine)
    assert w.min_burnout_speed_m_s is None and w.min_burnout_speed_above_m_s is None
    assert w.min_burnout_speed_note.startswith("never tracked: no allowed sensor holds")
    # never tracked at an intercept: a remote track commits, but only the battery's own
    # radar may support the intercept and it never sees the threat
    remote = SensorCue("remote", "far-away", track.t_s >= 300.0, 300.0, 300.0)
    own = SensorCue("site radar", "site", np.zeros(len(track.t_s), bool), None, None)
    w = battery_window(
        track,
        _speed_battery(),
        [remote, own],
        Doctrine(decision_delay_s=30.0, engage_on_remote=False),
    )
    assert w.min_burnout_speed_note.startswith("never tracked: no allowed sensor sees")
    # a number: feasible from there up
    w = battery_window(track, _speed_battery(), [_cue(track, 300.0)], doctrine)
    assert w.min_burnout_speed_m_s is not None and w.min_burnout_speed_above_m_s is None
    assert w.min_burnout_speed_note is None
    # not run
    w = battery_window(track, _speed_battery(), [_cue(track, 300.0)], doctrine, min_speed=False)
    assert w.min_burnout_speed_m_s is None and w.min_burnout_speed_note == "not computed"


def test_hermite_resample_is_exact_for_cubic_motion():
    t = np.array([0.0, 7.0, 20.0, 31.0])
    pos = lambda s: np.stack([s**3, 2 * s**2 - s, 5 - s], -1)  # noqa: E731
    vel = lambda s: np.stack([3 * s**2, 4 * s - 1, -np.ones_like(s)], -1)  # noqa: E731
    tn = np.linspace(0, 31, 50)
    p, v = hermite_resample(t, pos(t), vel(t), tn)
    assert np.allclose(p, pos(tn), atol=1e-9)
    assert np.allclose(v, vel(tn), atol=1e-9)
