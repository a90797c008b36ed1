"""Engagement windows of one threat: when can each interceptor battery reach it, given its
cueing, and if never, why?

For a threat trajectory sampled at uniform times t (``ThreatTrack``), a battery at a
site with an interceptor flyout table (shortest time of flight tau(ground range, altitude)
from the site, ``defence.flyout``) can intercept at time t when the rule of
``defence.rules`` holds: tau(t) finite inside the interceptor's altitude window, launch
t - tau(t) after the commit time t_commit = (first firm track by an allowed sensor) +
decision delay, the threat seen at t by an allowed sensor (the battery's own radar; any
sensor with engage-on-remote), and t before the threat's impact; shoot-look-shoot
opportunities are counted greedily from the first intercept, up to the inventory.

Ground range from the site is the great-circle distance on the mean sphere (within 0.3 %
of the WGS 84 geodesic, inside the flyout grid's resolution); altitudes are above the
WGS 84 ellipsoid. See docs/models/engagement.md.

Here: the result types (``InterceptWindow``, ``Engagement``), the threat resampled into
Earth-fixed coordinates (``threat_track``), cueing (``commit_time``, ``tracked_mask``),
one threat against one battery (``battery_window``, with closing speed, crossing angle and
``minimum_burnout_speed``) and against many (``engage_track``). Many threats at once:
``defence.matrix``; many samples of uncertain inputs: ``defence.sampled``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from bmdsim.defence.rules import (
    IN_ENVELOPE,
    IN_TIME,
    REACHABLE,
    REASON_NAMES,
    REASONS,
    failure_reason,
    next_shot,
    window_test,
)
from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.earth.frames import ecef_from_eci, ecef_velocity_from_eci
from bmdsim.earth.geodetic import ecef_from_geodetic, geodetic_from_ecef
from bmdsim.flight.resample import hermite_resample


@dataclass(frozen=True)
class ThreatTrack:
    """A threat trajectory at uniform times: ECEF positions and velocities, geodetic."""

    t_s: np.ndarray
    r_ecef_m: np.ndarray
    v_ecef_m_s: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    alt_m: np.ndarray
    impact_time_s: float
    burnout_time_s: float
    label: str = "threat"


def threat_track(trajectory, *, dt_s: float = 1.0, label: str | None = None) -> ThreatTrack:
    """Resample a ``Trajectory`` (ECI time series) every ``dt_s`` and at its last state
    (cubic Hermite, ``flight.resample``) into Earth-fixed coordinates (``earth.frames``;
    no rotation when the trajectory was flown without it)."""
    t = trajectory.t_s
    t_new = np.arange(0.0, t[-1], dt_s)
    t_new = np.append(t_new, t[-1])
    r, v = hermite_resample(t, trajectory.r_eci_m, trajectory.v_eci_m_s, t_new)
    if trajectory.model.get("rotation", True):
        r, v = ecef_from_eci(r, t_new), ecef_velocity_from_eci(r, v, t_new)
    lat, lon, alt = geodetic_from_ecef(r[:, 0], r[:, 1], r[:, 2])
    return ThreatTrack(
        t_new,
        r,
        v,
        np.degrees(lat),
        np.degrees(lon),
        alt,
        float(trajectory.flight_time_s),
        float(trajectory.burnout.time_s),
        label or trajectory.missile_id,
    )


@dataclass(frozen=True)
class SensorCue:
    """What one sensor saw of a threat, on the track's time samples."""

    name: str
    site_id: str
    visible: np.ndarray  # (n,) bool
    first_detection_s: float | None
    firm_track_s: float | None


@dataclass(frozen=True)
class Battery:
    """Interceptors of one kind at one site. ``flyout`` needs ``time_to(ground_range_m,
    altitude_m)`` (vectorised, inf where unreachable, altitude window applied) and
    ``max_flight_time_s``; ``velocity_at(ground_range_m, altitude_m)`` -> (speed m/s,
    flight-path angle rad) is used for closing speed and crossing angle when present."""

    site_id: str
    interceptor_id: str
    lat_deg: float
    lon_deg: float
    alt_m: float
    flyout: object
    inventory: int = 1
    own_sensors: tuple[str, ...] = ()
    flyout_for_speed: Callable[[float], object] | None = None  # for min_burnout_speed
    burnout_speed_m_s: float | None = None
    notional: bool = False  # a system never deployed as modelled (figures and tables say so)


@dataclass(frozen=True)
class Doctrine:
    """Cueing and firing rules. Delays in seconds.

    The defaults are the central values of the catalogue's doctrine entries
    ``decision-delay`` and ``assessment-delay`` (``catalogue/data/doctrine.yaml``: bmdsim
    assumptions, grade R, band 10-60 s), repeated here for hand-built calls; the analyses
    build their Doctrine from the catalogue (``analyses.resolve.default_doctrine``), and
    tests/unit/catalogue/test_doctrine.py checks the two agree."""

    decision_delay_s: float = 30.0
    assessment_delay_s: float = 30.0
    launch_on_remote: bool = True  # a remote sensor's firm track may commit the battery
    engage_on_remote: bool = True  # a remote sensor may support the intercept itself


@dataclass(frozen=True)
class InterceptWindow:
    site_id: str
    interceptor_id: str
    feasible: bool
    reason: str | None
    earliest_launch_s: float | None
    first_intercept_s: float | None = None
    last_intercept_s: float | None = None
    first_altitude_m: float | None = None
    last_altitude_m: float | None = None
    first_ground_range_m: float | None = None
    last_ground_range_m: float | None = None
    first_launch_s: float | None = None
    last_launch_s: float | None = None
    closing_speed_m_s: float | None = None  # at the first intercept
    crossing_angle_deg: float | None = None
    shots: int = 0  # shoot-look-shoot opportunities
    shot_times_s: tuple[float, ...] = ()
    # the minimum-speed search (``minimum_burnout_speed``): the slowest burnout speed of
    # this interceptor (same rocket, burn time and cueing) that intercepts; when none up
    # to the search's top does, None with ``min_burnout_speed_above_m_s`` = that top;
    # ``min_burnout_speed_note`` says why when there is no number (or a caveat)
    min_burnout_speed_m_s: float | None = None
    min_burnout_speed_above_m_s: float | None = None
    min_burnout_speed_note: str | None = None

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason) if self.reason else None


@dataclass(frozen=True)
class Engagement:
    threat: ThreatTrack
    cues: tuple[SensorCue, ...]
    windows: tuple[InterceptWindow, ...]
    doctrine: Doctrine
    trajectory: object = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    batteries: tuple = ()
    entries: tuple = ()  # (kind, id) of the catalogue entries used (filled by the analyses)

    def __repr__(self) -> str:
        ok = sum(w.feasible for w in self.windows)
        return f"<Engagement {self.threat.label}: {ok}/{len(self.windows)} batteries can intercept>"

    def to_dataframe(self):
        import pandas as pd

        return pd.DataFrame([w.__dict__ for w in self.windows])


def _site_and_units(r_ecef_m, lat_deg, lon_deg, alt_m):
    site = np.array(ecef_from_geodetic(math.radians(lat_deg), math.radians(lon_deg), alt_m))
    u_site = site / np.linalg.norm(site)
    u = r_ecef_m / np.linalg.norm(r_ecef_m, axis=-1, keepdims=True)
    angle = np.arctan2(np.linalg.norm(np.cross(u_site, u), axis=-1), u @ u_site)
    return u_site, u, SPHERE_RADIUS_M * angle


def ground_range_m(r_ecef_m, lat_deg: float, lon_deg: float, alt_m: float = 0.0):
    """Ground range (m, mean sphere) from a site to ECEF points of any shape (..., 3)."""
    return _site_and_units(np.asarray(r_ecef_m, float), lat_deg, lon_deg, alt_m)[2]


def site_geometry(track: ThreatTrack, lat_deg: float, lon_deg: float, alt_m: float = 0.0):
    """(ground range m on the mean sphere, azimuth rad) from a site to every threat sample."""
    u_site, u, ground = _site_and_units(track.r_ecef_m, lat_deg, lon_deg, alt_m)
    east = np.cross([0.0, 0.0, 1.0], u_site)
    east /= np.linalg.norm(east)
    north = np.cross(u_site, east)
    azimuth = np.arctan2(u @ east, u @ north)
    return ground, azimuth, (u_site, east, north)


def commit_time(cues: Sequence[SensorCue], battery: Battery, doctrine: Doctrine):
    allowed = [
        c
        for c in cues
        if doctrine.launch_on_remote
        or c.site_id == battery.site_id
        or c.name in battery.own_sensors
    ]
    tracks = [c.firm_track_s for c in allowed if c.firm_track_s is not None]
    return (min(tracks) + doctrine.decision_delay_s) if tracks else None


def tracked_mask(cues: Sequence[SensorCue], battery: Battery, doctrine: Doctrine, n: int):
    mask = np.zeros(n, bool)
    for c in cues:
        if (
            doctrine.engage_on_remote
            or c.site_id == battery.site_id
            or c.name in battery.own_sensors
        ):
            if c.firm_track_s is not None:
                mask |= c.visible
    return mask


@njit(cache=True)
def _window_scan(t, tau, valid, commit, tracked, assessment_s, inventory, launch, feasible, shot):
    """``rules.window_test`` at every sample of one threat for one battery (tau from a
    flyout that applies the altitude window): fills the launch times, the intercept
    opportunities and the shoot-look-shoot shots (``rules.next_shot``); returns the OR of
    the valid samples' bits."""
    bits = 0
    n_shots = 0
    ready = -np.inf
    for k in range(t.shape[0]):
        feasible[k] = False
        shot[k] = False
        launch[k] = t[k] - tau[k]
        if not valid[k]:
            continue
        b, _ = window_test(t[k], tau[k], 0.0, -np.inf, np.inf, np.inf, commit)
        bits |= b
        if b & IN_TIME and tracked[k]:
            feasible[k] = True
            before = n_shots
            n_shots, ready = next_shot(t[k], launch[k], n_shots, ready, inventory, assessment_s)
            shot[k] = n_shots > before
    return bits


def _windows(track, flyout, t_commit, tracked, ground, alt, assessment_s=0.0, inventory=0):
    """(launch, feasible, shot, bits) at every sample of ``track`` (``_window_scan``)."""
    t = np.ascontiguousarray(track.t_s, dtype=np.float64)
    tau = np.ascontiguousarray(np.asarray(flyout.time_to(ground, alt), float))
    n = len(t)
    launch, feasible, shot = np.empty(n), np.empty(n, np.bool_), np.empty(n, np.bool_)
    bits = _window_scan(
        t,
        tau,
        np.ascontiguousarray(t <= track.impact_time_s),
        np.inf if t_commit is None else float(t_commit),
        np.ascontiguousarray(tracked, dtype=np.bool_),
        float(assessment_s),
        int(inventory),
        launch,
        feasible,
        shot,
    )
    return launch, feasible, shot, bits


def _reason(flyout, feasible, bits, ground, alt):
    """``rules.failure_reason``; where no sample is reachable, a flyout that reaches one
    without its altitude window (``time_to_unwindowed``) makes it outside-altitude-window."""
    if not bits & REACHABLE:
        unwindowed = getattr(flyout, "time_to_unwindowed", None)
        if unwindowed is not None and np.any(np.isfinite(unwindowed(ground, alt))):
            bits |= IN_ENVELOPE
    return REASON_NAMES[failure_reason(bits, int(np.count_nonzero(feasible)))]


def _closing(track, battery, flyout, i, ground, azimuth, frame):
    velocity_at = getattr(flyout, "velocity_at", None)
    if velocity_at is None:
        return None, None
    speed, gamma = velocity_at(np.array([ground[i]]), np.array([track.alt_m[i]]))
    speed, gamma = float(np.asarray(speed).ravel()[0]), float(np.asarray(gamma).ravel()[0])
    if not np.isfinite(speed):
        return None, None
    # Interceptor velocity: along the great circle from the site, at angle gamma above the
    # local horizontal of the intercept point.
    u = track.r_ecef_m[i] / np.linalg.norm(track.r_ecef_m[i])
    u_site, east, north = frame
    toward = math.cos(azimuth[i]) * north + math.sin(azimuth[i]) * east  # at the site
    axis = np.cross(u_site, toward)  # great-circle pole
    horizontal = np.cross(axis, u)
    horizontal /= np.linalg.norm(horizontal)
    v_int = speed * (math.cos(gamma) * horizontal + math.sin(gamma) * u)
    v_thr = track.v_ecef_m_s[i]
    closing = float(np.linalg.norm(v_thr - v_int))
    cosang = float(np.dot(-v_thr, v_int) / (np.linalg.norm(v_thr) * speed))
    crossing = math.degrees(math.acos(max(-1.0, min(1.0, cosang))))  # 0: head-on
    return closing, crossing


def battery_window(
    track: ThreatTrack,
    battery: Battery,
    cues: Sequence[SensorCue],
    doctrine: Doctrine,
    *,
    min_speed: bool = True,
) -> InterceptWindow:
    """The feasible intercept window of one battery against one threat (``defence.rules``),
    with closing speed and crossing angle at the first intercept and, with ``min_speed``
    and ``battery.flyout_for_speed``, the minimum burnout speed."""
    ground, azimuth, frame = site_geometry(track, battery.lat_deg, battery.lon_deg, battery.alt_m)
    alt = track.alt_m
    t_commit = commit_time(cues, battery, doctrine)
    tracked = tracked_mask(cues, battery, doctrine, len(track.t_s))
    launch, feasible, shot, bits = _windows(
        track,
        battery.flyout,
        t_commit,
        tracked,
        ground,
        alt,
        doctrine.assessment_delay_s,
        battery.inventory,
    )
    reason = _reason(battery.flyout, feasible, bits, ground, alt)
    v_min = MinimumSpeed(None, None, "not computed")
    if min_speed and battery.flyout_for_speed is not None:
        v_min = minimum_burnout_speed(
            track,
            battery,
            cues,
            doctrine,
            feasible_at_m_s=battery.burnout_speed_m_s if reason is None else None,
        )
    speed_fields = {
        "min_burnout_speed_m_s": v_min.speed_m_s,
        "min_burnout_speed_above_m_s": v_min.above_m_s,
        "min_burnout_speed_note": v_min.note,
    }
    if reason is not None:
        return InterceptWindow(
            battery.site_id,
            battery.interceptor_id,
            False,
            reason,
            t_commit,
            **speed_fields,
        )
    idx = np.flatnonzero(feasible)
    i0, i1 = idx[0], idx[-1]
    shots = tuple(float(x) for x in track.t_s[shot])
    closing, crossing = _closing(track, battery, battery.flyout, i0, ground, azimuth, frame)
    return InterceptWindow(
        battery.site_id,
        battery.interceptor_id,
        True,
        None,
        t_commit,
        first_intercept_s=float(track.t_s[i0]),
        last_intercept_s=float(track.t_s[i1]),
        first_altitude_m=float(alt[i0]),
        last_altitude_m=float(alt[i1]),
        first_ground_range_m=float(ground[i0]),
        last_ground_range_m=float(ground[i1]),
        first_launch_s=float(launch[i0]),
        last_launch_s=float(np.max(launch[idx])),
        closing_speed_m_s=closing,
        crossing_angle_deg=crossing,
        shots=len(shots),
        shot_times_s=shots,
        **speed_fields,
    )


# The search's bracket: from 0.5 km/s (slower than any interceptor in the debate) to
# 12 km/s (above every burnout speed in the open literature, the 8.5-9 km/s that Lewis &
# Postol give the two-stage GBI included, and near escape speed); 50 m/s resolution,
# the step of the cached flyout tables.
MIN_SPEED_BRACKET_M_S = (500.0, 12_000.0)
MIN_SPEED_TOLERANCE_M_S = 50.0


@dataclass(frozen=True)
class MinimumSpeed:
    """The minimum-speed search's answer: ``speed_m_s``, the slowest burnout speed that
    intercepts (to the tolerance); or None with ``above_m_s`` (the bracket's top) when
    no speed up to it does; ``note``: why there is no number, or a caveat."""

    speed_m_s: float | None
    above_m_s: float | None
    note: str | None


def minimum_burnout_speed(
    track,
    battery,
    cues,
    doctrine,
    *,
    tolerance_m_s=MIN_SPEED_TOLERANCE_M_S,
    bracket_m_s=MIN_SPEED_BRACKET_M_S,
    feasible_at_m_s=None,
) -> MinimumSpeed:
    """Slowest burnout speed of the battery's interceptor (the same rocket with its
    thrust scaled, so the same burn time; the same cueing) at which it could intercept:
    bisection over flyout tables built by ``battery.flyout_for_speed`` (feasibility
    grows with speed). Never tracked (no commit, or no allowed sensor sees the threat):
    no speed helps, and the note says why. Infeasible at the bracket's top: None, with
    the top and the reason it fails there.

    Feasibility need not grow with speed all the way up: an endo-atmospheric interceptor
    made much faster (its thrust scaled, the same burn time) climbs through its altitude
    window before it gets anywhere. So when the battery intercepts at its own speed
    (``feasible_at_m_s``) but not at the bracket's top, the search runs below its own
    speed instead of answering '> 12' for a battery that can intercept."""
    ground, _, _ = site_geometry(track, battery.lat_deg, battery.lon_deg, battery.alt_m)
    t_commit = commit_time(cues, battery, doctrine)
    tracked = tracked_mask(cues, battery, doctrine, len(track.t_s))
    if t_commit is None:
        return MinimumSpeed(
            None,
            None,
            "never tracked: no allowed sensor holds a fire-control track, so no interceptor "
            "is committed and no burnout speed helps",
        )
    if not np.any(tracked):
        return MinimumSpeed(
            None,
            None,
            "never tracked: no allowed sensor sees the threat at any intercept time, so no "
            "burnout speed helps",
        )

    def test(v):
        flyout = battery.flyout_for_speed(v)
        _, feasible, _, bits = _windows(track, flyout, t_commit, tracked, ground, track.alt_m)
        return bool(np.any(feasible)), flyout, feasible, bits

    lo, hi = (float(x) for x in bracket_m_s)
    ok_hi, flyout, feasible, bits = test(hi)
    if not ok_hi and feasible_at_m_s is not None and lo < feasible_at_m_s < hi:
        if test(float(feasible_at_m_s))[0]:
            ok_hi, hi = True, float(feasible_at_m_s)
    if not ok_hi:
        flying = track.t_s <= track.impact_time_s
        alt = track.alt_m[flying]
        floor = getattr(flyout, "min_altitude_m", -math.inf)
        ceiling = getattr(flyout, "max_altitude_m", math.inf)
        if alt.size and not np.any((alt >= floor) & (alt <= ceiling)):
            lo_km, hi_km = max(float(alt.min()), 0.0) / 1e3, float(alt.max()) / 1e3
            # a low flyer (a cruise missile at tens of metres) in metres, not "0-0 km"
            flies = (
                f"{lo_km * 1e3:,.0f}-{hi_km * 1e3:,.0f} m"
                if hi_km < 1.0
                else f"{lo_km:,.0f}-{hi_km:,.0f} km"
            )
            return MinimumSpeed(
                None,
                hi,
                f"the threat is never inside the interceptor's altitude window "
                f"({floor / 1e3:,.0f}-{ceiling / 1e3:,.0f} km; the threat flies {flies}), "
                "so no burnout speed helps",
            )
        cap = getattr(flyout, "range_cap_m", math.inf)
        if float(np.min(ground)) > cap:
            return MinimumSpeed(
                None,
                hi,
                f"the threat never comes within the interceptor's {cap / 1e3:,.0f} km range "
                f"cap (its closest approach is {float(np.min(ground)) / 1e3:,.0f} km), so no "
                "burnout speed helps",
            )
        why = _reason(flyout, feasible, bits, ground, track.alt_m)
        return MinimumSpeed(
            None,
            hi,
            f"no burnout speed up to {hi / 1e3:g} km/s intercepts; at {hi / 1e3:g} km/s: "
            f"{why} ({REASONS[why]})",
        )
    if test(lo)[0]:
        return MinimumSpeed(lo, None, f"already feasible at the search's floor, {lo / 1e3:g} km/s")
    while hi - lo > tolerance_m_s:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if test(mid)[0] else (mid, hi)
    return MinimumSpeed(hi, None, None)


def engage_track(
    track: ThreatTrack,
    batteries: Sequence[Battery],
    cues: Sequence[SensorCue],
    doctrine: Doctrine = Doctrine(),
    *,
    min_speed: bool = True,
    trajectory=None,
) -> Engagement:
    windows = tuple(
        battery_window(track, b, cues, doctrine, min_speed=min_speed) for b in batteries
    )
    return Engagement(track, tuple(cues), windows, doctrine, trajectory)


__all__ = [
    "Battery",
    "Doctrine",
    "Engagement",
    "InterceptWindow",
    "MIN_SPEED_BRACKET_M_S",
    "MIN_SPEED_TOLERANCE_M_S",
    "MinimumSpeed",
    "SensorCue",
    "ThreatTrack",
    "battery_window",
    "commit_time",
    "engage_track",
    "ground_range_m",
    "minimum_burnout_speed",
    "site_geometry",
    "threat_track",
    "tracked_mask",
]
