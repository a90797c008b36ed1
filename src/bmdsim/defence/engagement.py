"""Engagement windows: when can an interceptor battery reach a threat, given its cueing?

For a threat trajectory sampled at uniform times t (``ThreatTrack``), a battery at a
site with an interceptor flyout table (shortest time of flight tau(ground range, altitude)
from the site) can intercept at time t when

* the threat point at t lies in the flyout envelope and inside the interceptor's altitude
  window: tau(t) finite;
* an interceptor launched at t - tau(t) is launched after the earliest launch time
  t_commit = (first firm track by an allowed sensor) + decision delay;
* the threat is seen at t by an allowed sensor (the battery's own radar; any sensor with
  engage-on-remote);
* t is before the threat's impact.

This is the kinematic reasoning of the open literature on European missile defence
(Lewis & Postol 2007-08; Butt & Postol, FAS 2011; Wilkening, Survival 2012): interceptor
speed, cueing and geometry decide, not guidance. Ground range from the site is the great-
circle distance on the mean sphere (within 0.3 % of the WGS 84 geodesic, inside the flyout
grid's resolution); altitudes are above the WGS 84 ellipsoid.

Shoot-look-shoot: after an intercept at t1 the next interceptor is launched no earlier
than t1 + assessment delay; opportunities are counted greedily from the first intercept,
up to the battery's inventory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bmdsim.earth.constants import OMEGA_EARTH_RAD_S, SPHERE_RADIUS_M
from bmdsim.earth.geodetic import ecef_from_geodetic, geodetic_from_ecef

REASONS = {
    "out-of-reach": "the threat never comes within the interceptor's flyout envelope",
    "outside-altitude-window": "the threat is in reach only outside the interceptor's altitude "
    "window (e.g. below an exo-atmospheric kill vehicle's floor)",
    "tail-chase": "even launched at the threat's launch the interceptor arrives too late "
    "(a tail chase)",
    "not-tracked-in-time": "intercepts exist kinematically, but no interceptor can be "
    "launched early enough after detection, firm track and the decision delay",
    "not-tracked-at-intercept": "no allowed sensor sees the threat where it could be intercepted",
}


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


def hermite_resample(t_s, r_m, v_m_s, t_new):
    """Cubic Hermite interpolation of positions (and its derivative for velocities)
    through states (t, r, v): exact for cubic motion, ~metres over 20 s vacuum steps."""
    t_s, r_m, v_m_s = (np.asarray(a, float) for a in (t_s, r_m, v_m_s))
    t_new = np.clip(np.asarray(t_new, float), t_s[0], t_s[-1])
    k = np.clip(np.searchsorted(t_s, t_new, side="right") - 1, 0, len(t_s) - 2)
    h = (t_s[k + 1] - t_s[k])[:, None]
    s = ((t_new - t_s[k])[:, None]) / np.where(h > 0, h, 1.0)
    p0, p1, m0, m1 = r_m[k], r_m[k + 1], v_m_s[k] * h, v_m_s[k + 1] * h
    h00, h10, h01, h11 = (
        2 * s**3 - 3 * s**2 + 1,
        s**3 - 2 * s**2 + s,
        -2 * s**3 + 3 * s**2,
        s**3 - s**2,
    )
    pos = h00 * p0 + h10 * m0 + h01 * p1 + h11 * m1
    d00, d10, d01, d11 = 6 * s**2 - 6 * s, 3 * s**2 - 4 * s + 1, -6 * s**2 + 6 * s, 3 * s**2 - 2 * s
    vel = (d00 * p0 + d10 * m0 + d01 * p1 + d11 * m1) / np.where(h > 0, h, 1.0)
    return pos, vel


def threat_track(trajectory, *, dt_s: float = 1.0, label: str | None = None) -> ThreatTrack:
    """Resample a ``Trajectory`` (ECI time series) at ``dt_s`` into Earth-fixed coordinates."""
    t = trajectory.t_s
    t_new = np.arange(0.0, t[-1], dt_s)
    t_new = np.append(t_new, t[-1])
    r_eci, v_eci = hermite_resample(t, trajectory.r_eci_m, trajectory.v_eci_m_s, t_new)
    w = OMEGA_EARTH_RAD_S if trajectory.model.get("rotation", True) else 0.0
    theta = w * t_new
    c, s = np.cos(theta), np.sin(theta)
    r = np.stack(
        [c * r_eci[:, 0] + s * r_eci[:, 1], -s * r_eci[:, 0] + c * r_eci[:, 1], r_eci[:, 2]], -1
    )
    v_rot = np.stack(
        [c * v_eci[:, 0] + s * v_eci[:, 1], -s * v_eci[:, 0] + c * v_eci[:, 1], v_eci[:, 2]], -1
    )
    v = v_rot - np.cross([0.0, 0.0, w], r)  # Earth-fixed velocity
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


@dataclass(frozen=True)
class Doctrine:
    """Cueing and firing rules. Delays in seconds."""

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
    min_burnout_speed_m_s: float | None = None

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

    def __repr__(self) -> str:
        ok = sum(w.feasible for w in self.windows)
        return f"<Engagement {self.threat.label}: {ok}/{len(self.windows)} batteries can intercept>"

    def to_dataframe(self):
        import pandas as pd

        return pd.DataFrame([w.__dict__ for w in self.windows])


def site_geometry(track: ThreatTrack, lat_deg: float, lon_deg: float, alt_m: float = 0.0):
    """(ground range m on the mean sphere, azimuth rad) from a site to every threat sample."""
    site = np.array(ecef_from_geodetic(math.radians(lat_deg), math.radians(lon_deg), alt_m))
    u_site = site / np.linalg.norm(site)
    u = track.r_ecef_m / np.linalg.norm(track.r_ecef_m, axis=1)[:, None]
    angle = np.arctan2(np.linalg.norm(np.cross(u_site, u), axis=1), u @ u_site)
    east = np.cross([0.0, 0.0, 1.0], u_site)
    east /= np.linalg.norm(east)
    north = np.cross(u_site, east)
    azimuth = np.arctan2(u @ east, u @ north)
    return SPHERE_RADIUS_M * angle, azimuth, (u_site, east, north)


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


def _feasible(track, battery, flyout, t_commit, tracked, ground, alt):
    tau = np.asarray(flyout.time_to(ground, alt), float)
    reachable = np.isfinite(tau) & (track.t_s <= track.impact_time_s)
    launch = track.t_s - tau
    in_time = reachable & (launch >= (t_commit if t_commit is not None else np.inf))
    return tau, reachable, launch, in_time & tracked


def _reason(track, flyout, tau, reachable, launch, feasible, tracked, t_commit, ground, alt):
    if np.any(feasible):
        return None
    if not np.any(reachable):
        unwindowed = getattr(flyout, "time_to_unwindowed", None)
        if unwindowed is not None and np.any(np.isfinite(unwindowed(ground, alt))):
            return "outside-altitude-window"
        return "out-of-reach"
    if not np.any(reachable & (launch >= 0.0)):
        return "tail-chase"
    if t_commit is None or not np.any(reachable & (launch >= t_commit)):
        return "not-tracked-in-time"
    return "not-tracked-at-intercept"


def _shots(track, launch, feasible, assessment_delay_s, inventory):
    times = []
    ready = -np.inf
    idx = np.flatnonzero(feasible)
    for i in idx:
        if len(times) >= inventory:
            break
        if launch[i] >= ready:
            times.append(float(track.t_s[i]))
            ready = track.t_s[i] + assessment_delay_s
    return tuple(times)


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
    """The feasible intercept window of one battery against one threat."""
    ground, azimuth, frame = site_geometry(track, battery.lat_deg, battery.lon_deg, battery.alt_m)
    alt = track.alt_m
    t_commit = commit_time(cues, battery, doctrine)
    tracked = tracked_mask(cues, battery, doctrine, len(track.t_s))
    tau, reachable, launch, feasible = _feasible(
        track, battery, battery.flyout, t_commit, tracked, ground, alt
    )
    reason = _reason(
        track, battery.flyout, tau, reachable, launch, feasible, tracked, t_commit, ground, alt
    )
    v_min = None
    if min_speed and battery.flyout_for_speed is not None:
        v_min = minimum_burnout_speed(track, battery, cues, doctrine)
    if reason is not None:
        return InterceptWindow(
            battery.site_id,
            battery.interceptor_id,
            False,
            reason,
            t_commit,
            min_burnout_speed_m_s=v_min,
        )
    idx = np.flatnonzero(feasible)
    i0, i1 = idx[0], idx[-1]
    shots = _shots(track, launch, feasible, doctrine.assessment_delay_s, battery.inventory)
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
        min_burnout_speed_m_s=v_min,
    )


MIN_SPEED_BRACKET_M_S = (500.0, 10_000.0)  # two-stage interceptors size up to ~10 km/s


def minimum_burnout_speed(track, battery, cues, doctrine, *, tolerance_m_s=50.0):
    """Slowest burnout speed (same burn time and cueing) at which the battery could
    intercept: bisection over flyout tables built by ``battery.flyout_for_speed``.
    None when even the bracket's top speed cannot."""
    ground, _, _ = site_geometry(track, battery.lat_deg, battery.lon_deg, battery.alt_m)
    t_commit = commit_time(cues, battery, doctrine)
    tracked = tracked_mask(cues, battery, doctrine, len(track.t_s))
    if t_commit is None or not np.any(tracked):
        return None

    def ok(v):
        flyout = battery.flyout_for_speed(v)
        return bool(
            np.any(_feasible(track, battery, flyout, t_commit, tracked, ground, track.alt_m)[3])
        )

    lo, hi = MIN_SPEED_BRACKET_M_S
    if not ok(hi):
        return None
    if ok(lo):
        return lo
    while hi - lo > tolerance_m_s:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


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
