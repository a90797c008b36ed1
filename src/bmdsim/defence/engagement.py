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
from numba import njit, prange

from bmdsim.earth.constants import OMEGA_EARTH_RAD_S, SPHERE_RADIUS_M
from bmdsim.earth.geodetic import ecef_from_geodetic, geodetic_altitude_m, geodetic_from_ecef

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


# --------------------------------------------------------------------------------------
# Engagement matrix: many threats x many batteries at once
# --------------------------------------------------------------------------------------
#
# ``battery_window`` answers one threat against one battery with NumPy on the threat's
# own time grid, and adds what only a single window needs (closing speed, shots, the
# minimum burnout speed). A raid study asks the same feasibility question for thousands
# of threats against every battery: ``threat_tracks_to_grid`` puts all threats on one
# time grid (N, T), and ``engagement_matrix`` applies ``_feasible`` and ``_reason``
# to every (threat, battery) pair with compiled loops (numba, all cores) and one
# ``flyout.time_to`` call per battery on the threats that come within its reach.

REASON_CODES = (None,) + tuple(REASONS)  # MatrixResult.reason_code indexes this; 0: feasible


@dataclass(frozen=True, eq=False)
class GridTracks:
    """N threats on one uniform time grid: ``t_s`` (T,) from 0 s every ``dt_s``;
    ``r_ecef_m`` (N, T, 3) and ``alt_m`` (N, T) (WGS 84 geodetic height), nan where
    ``valid`` (N, T) is False, i.e. after the threat's last state (its impact);
    ``impact_time_s`` and ``burnout_time_s`` (N,)."""

    t_s: np.ndarray
    r_ecef_m: np.ndarray
    alt_m: np.ndarray
    valid: np.ndarray
    impact_time_s: np.ndarray
    burnout_time_s: np.ndarray
    labels: tuple = ()

    def __repr__(self):
        n, t = self.valid.shape
        return f"<GridTracks {n} threats x {t} samples every {self.dt_s:g} s>"

    @property
    def dt_s(self) -> float:
        return float(self.t_s[1] - self.t_s[0]) if len(self.t_s) > 1 else 0.0


@dataclass(frozen=True, eq=False)
class MatrixResult:
    """Feasibility of every (threat, battery) pair, arrays (N, B).

    ``feasible``; ``reason_code`` (int8): index into ``REASON_CODES`` (0 where feasible,
    else the same failed constraint as ``InterceptWindow.reason``); ``first_intercept_s``
    / ``last_intercept_s``: the first and last feasible samples, ``first_launch_s`` the
    interceptor launch for the first, ``last_launch_s`` the latest launch of any feasible
    sample (nan where infeasible); ``earliest_launch_s`` is ``commit_s`` as given;
    ``n_samples``: feasible samples (a window length in grid steps)."""

    feasible: np.ndarray
    reason_code: np.ndarray
    first_intercept_s: np.ndarray
    last_intercept_s: np.ndarray
    first_launch_s: np.ndarray
    last_launch_s: np.ndarray
    earliest_launch_s: np.ndarray
    n_samples: np.ndarray
    site_ids: tuple = ()
    interceptor_ids: tuple = ()

    def __repr__(self):
        n, b = self.feasible.shape
        return (
            f"<MatrixResult {n} threats x {b} batteries: {int(self.feasible.sum())} feasible "
            f"pairs, {int(self.feasible.any(axis=1).sum())} threats engageable>"
        )

    @property
    def reason(self) -> np.ndarray:
        """(N, B) object array of reason names (None where feasible)."""
        return np.array(REASON_CODES, dtype=object)[self.reason_code]

    def reason_counts(self) -> dict:
        """{reason or 'feasible': number of pairs}."""
        codes, counts = np.unique(self.reason_code, return_counts=True)
        return {(REASON_CODES[c] or "feasible"): int(k) for c, k in zip(codes, counts, strict=True)}

    def to_dataframe(self):
        """One row per (threat, battery)."""
        import pandas as pd

        n, b = self.feasible.shape
        ti, bi = np.meshgrid(np.arange(n), np.arange(b), indexing="ij")
        return pd.DataFrame(
            {
                "threat": ti.ravel(),
                "site_id": np.array(self.site_ids or [""] * b, dtype=object)[bi.ravel()],
                "interceptor_id": np.array(self.interceptor_ids or [""] * b, dtype=object)[
                    bi.ravel()
                ],
                "feasible": self.feasible.ravel(),
                "reason": self.reason.ravel(),
                "earliest_launch_s": self.earliest_launch_s.ravel(),
                "first_intercept_s": self.first_intercept_s.ravel(),
                "last_intercept_s": self.last_intercept_s.ravel(),
                "first_launch_s": self.first_launch_s.ravel(),
                "last_launch_s": self.last_launch_s.ravel(),
            }
        )


@njit(parallel=True, cache=True)
def _grid_hermite_kernel(rec_t, rec_r, rec_v, counts, t_grid, omega, r_out, alt_out, valid):
    """Per threat: cubic Hermite at the grid times (as ``hermite_resample``: the cell
    of ``searchsorted(side='right') - 1`` clipped to the record), rotated ECI -> ECEF,
    and the height above the WGS 84 ellipsoid (the flight kernels' Bowring step)."""
    n_thr, n_t = valid.shape
    for n in prange(n_thr):
        cnt = counts[n]
        t_last = rec_t[n, cnt - 1]
        j = 0
        for k in range(n_t):
            tq = t_grid[k]
            if not tq <= t_last:
                for c in range(3):
                    r_out[n, k, c] = np.nan
                alt_out[n, k] = np.nan
                valid[n, k] = False
                continue
            valid[n, k] = True
            if tq < rec_t[n, 0]:
                tq = rec_t[n, 0]
            while j + 1 <= cnt - 2 and rec_t[n, j + 1] <= tq:
                j += 1
            h = rec_t[n, j + 1] - rec_t[n, j]
            hs = h if h > 0 else 1.0
            s = (tq - rec_t[n, j]) / hs
            s2 = s * s
            s3 = s2 * s
            h00 = 2 * s3 - 3 * s2 + 1
            h10 = s3 - 2 * s2 + s
            h01 = -2 * s3 + 3 * s2
            h11 = s3 - s2
            px = (
                h00 * rec_r[n, j, 0]
                + h10 * (rec_v[n, j, 0] * h)
                + h01 * rec_r[n, j + 1, 0]
                + h11 * (rec_v[n, j + 1, 0] * h)
            )
            py = (
                h00 * rec_r[n, j, 1]
                + h10 * (rec_v[n, j, 1] * h)
                + h01 * rec_r[n, j + 1, 1]
                + h11 * (rec_v[n, j + 1, 1] * h)
            )
            pz = (
                h00 * rec_r[n, j, 2]
                + h10 * (rec_v[n, j, 2] * h)
                + h01 * rec_r[n, j + 1, 2]
                + h11 * (rec_v[n, j + 1, 2] * h)
            )
            th = omega * t_grid[k]
            ct, st = math.cos(th), math.sin(th)
            x, y = ct * px + st * py, -st * px + ct * py
            r_out[n, k, 0] = x
            r_out[n, k, 1] = y
            r_out[n, k, 2] = pz
            alt_out[n, k] = geodetic_altitude_m(x, y, pz)


def threat_tracks_to_grid(source, dt_s: float = 1.0, *, model=None, labels=None) -> GridTracks:
    """Threat trajectories on one time grid t = 0, dt, 2 dt, ... (to the last impact).

    ``source``: a ``BatchResult`` flown with ``record_steps`` (every row; ``model``, the
    ``FlightModel`` it was flown with, gives the Earth rotation, default on), or a
    sequence of ``Trajectory`` (ECI series) or of ``ThreatTrack`` (Earth-fixed). States
    are resampled by cubic Hermite interpolation as in ``threat_track`` (the same
    samples at the same times, less the extra sample ``threat_track`` adds at the impact
    instant), rotated into ECEF (theta = omega t), with the height above the WGS 84 ellipsoid
    by the flight kernels' one-step Bowring (``geodetic_altitude_m``, within 1e-7 m of
    ``geodetic_from_ecef``).
    One compiled pass over all threats; samples after a threat's last state are
    invalid (nan). Raises InputError if a batch record was too short to hold a flight."""
    from bmdsim.errors import InputError
    from bmdsim.flight import state as S

    dt_s = float(dt_s)
    if not (np.isfinite(dt_s) and dt_s > 0):
        raise InputError(f"dt_s = {dt_s!r}; allowed > 0", field="dt_s", value=dt_s)
    record = getattr(source, "record", None)
    if hasattr(source, "summary"):  # a BatchResult
        if record is None:
            raise InputError(
                "the BatchResult holds no time series: fly it with record_steps > 0",
                field="record_steps",
            )
        summ = source.summary
        counts = summ[:, S.S_N_STEPS].astype(np.int64)
        rec_t = np.ascontiguousarray(record[:, :, S.R_T])
        rec_r = np.ascontiguousarray(record[:, :, S.R_X : S.R_Z + 1])
        rec_v = np.ascontiguousarray(record[:, :, S.R_VX : S.R_VZ + 1])
        impact = summ[:, S.S_T_END].astype(float)
        burnout = summ[:, S.S_T_BURNOUT].astype(float)
        last = rec_t[np.arange(len(counts)), np.maximum(counts - 1, 0)]
        short = (counts < 2) | (last < impact - 1e-6)
        if short.any():
            raise InputError(
                f"{int(short.sum())} flight(s) of the batch outgrew its record of "
                f"{record.shape[1]} steps (first: row {int(np.flatnonzero(short)[0])}); "
                "fly it with a larger record_steps",
                field="record_steps",
                value=int(record.shape[1]),
            )
        rotation = True if model is None else bool(model.rotation)
        omega = OMEGA_EARTH_RAD_S if rotation else 0.0
        names = tuple(labels) if labels is not None else ()
    else:
        items = list(source)
        if not items:
            raise InputError("no threats given", field="source")
        earth_fixed = hasattr(items[0], "r_ecef_m")
        if earth_fixed:
            series = [(x.t_s, x.r_ecef_m, x.v_ecef_m_s) for x in items]
            impact = np.array([x.impact_time_s for x in items], float)
            burnout = np.array([x.burnout_time_s for x in items], float)
            omega = 0.0
            names = tuple(x.label for x in items)
        else:
            series = [(x.t_s, x.r_eci_m, x.v_eci_m_s) for x in items]
            impact = np.array([x.flight_time_s for x in items], float)
            burnout = np.array([x.burnout.time_s for x in items], float)
            rot = {bool(x.model.get("rotation", True)) for x in items}
            if len(rot) > 1:
                raise InputError(
                    "trajectories flown with and without Earth rotation: grid them apart",
                    field="source",
                )
            omega = OMEGA_EARTH_RAD_S if rot.pop() else 0.0
            names = tuple(x.missile_id for x in items)
        counts = np.array([len(s[0]) for s in series], np.int64)
        if np.any(counts < 2):
            raise InputError("every threat needs at least two states", field="source")
        k = int(counts.max())
        rec_t = np.full((len(series), k), np.inf)
        rec_r = np.zeros((len(series), k, 3))
        rec_v = np.zeros((len(series), k, 3))
        for i, (t, r, v) in enumerate(series):  # O(N) copies into padded arrays
            rec_t[i, : len(t)], rec_r[i, : len(t)], rec_v[i, : len(t)] = t, r, v
        if labels is not None:
            names = tuple(labels)
    t_end = float(np.max(rec_t[np.arange(len(counts)), counts - 1]))
    n_t = int(math.floor(t_end / dt_s + 1e-9)) + 1
    t_grid = np.arange(n_t) * dt_s
    r = np.empty((len(counts), n_t, 3))
    alt = np.empty((len(counts), n_t))
    valid = np.empty((len(counts), n_t), bool)
    _grid_hermite_kernel(rec_t, rec_r, rec_v, counts, t_grid, float(omega), r, alt, valid)
    return GridTracks(t_grid, r, alt, valid, impact, burnout, names)


@njit(parallel=True, cache=True)
def _unit_kernel(r, valid, u):
    n_thr, n_t = valid.shape
    for n in prange(n_thr):
        for k in range(n_t):
            if valid[n, k]:
                x, y, z = r[n, k, 0], r[n, k, 1], r[n, k, 2]
                norm = math.sqrt(x * x + y * y + z * z)
                u[n, k, 0], u[n, k, 1], u[n, k, 2] = x / norm, y / norm, z / norm
            else:
                u[n, k, 0] = u[n, k, 1] = u[n, k, 2] = np.nan


@njit(parallel=True, cache=True)
def _ground_kernel(u, valid, us, cos_cut, radius, ground, near):
    """Ground range on the mean sphere as ``site_geometry`` (central angle by atan2 of
    |u_site x u| and u_site . u); +inf (no atan2) where the angle is certainly beyond
    the reach cut, nan where invalid; ``near``: any sample within the cut."""
    n_thr, n_t = valid.shape
    for n in prange(n_thr):
        any_near = False
        for k in range(n_t):
            if not valid[n, k]:
                ground[n, k] = np.nan
                continue
            ux, uy, uz = u[n, k, 0], u[n, k, 1], u[n, k, 2]
            dot = ux * us[0] + uy * us[1] + uz * us[2]
            if dot < cos_cut:
                ground[n, k] = np.inf
                continue
            cx = us[1] * uz - us[2] * uy
            cy = us[2] * ux - us[0] * uz
            cz = us[0] * uy - us[1] * ux
            ground[n, k] = radius * math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), dot)
            any_near = True
        near[n] = any_near


@njit(parallel=True, cache=True)
def _window_kernel(
    t, tau, rows, col, valid, commit, tracked, feasible, code, first, last, launch0, launch1, count
):
    """``_feasible`` and ``_reason`` (less the altitude-window test: code -1 where no
    sample is reachable) for the threats ``rows`` against battery ``col``."""
    n_t = t.shape[0]
    for m in prange(rows.shape[0]):
        n = rows[m]
        tc = commit[n, col]
        any_reach = False
        any_l0 = False
        any_in_time = False
        k0 = -1
        k1 = -1
        lmax = -np.inf
        cnt = 0
        for k in range(n_t):
            if not valid[n, k]:
                continue
            ta = tau[m, k]
            if not (ta < np.inf):
                continue
            any_reach = True
            launch = t[k] - ta
            if launch >= 0.0:
                any_l0 = True
            if launch >= tc:
                any_in_time = True
                if tracked[n, col, k]:
                    if k0 < 0:
                        k0 = k
                    k1 = k
                    cnt += 1
                    if launch > lmax:
                        lmax = launch
        count[n, col] = cnt
        if k0 >= 0:
            feasible[n, col] = True
            code[n, col] = 0
            first[n, col] = t[k0]
            last[n, col] = t[k1]
            launch0[n, col] = t[k0] - tau[m, k0]
            launch1[n, col] = lmax
        elif not any_reach:
            code[n, col] = -1
        elif not any_l0:
            code[n, col] = 3  # tail-chase
        elif not any_in_time:
            code[n, col] = 4  # not-tracked-in-time
        else:
            code[n, col] = 5  # not-tracked-at-intercept


def engagement_matrix(
    t_s, r_ecef_m, alt_m, valid, batteries, commit_s, *, tracked=None
) -> MatrixResult:
    """Feasible intercept windows of N threats against B batteries, vectorised.

    ``t_s`` (T,) common sample times; ``r_ecef_m`` (N, T, 3) ECEF positions; ``alt_m``
    (N, T) heights above the ellipsoid; ``valid`` (N, T) False after impact (and for
    padding); ``batteries``: B ``Battery`` (site, flyout with ``time_to`` and, for the
    altitude-window reason, ``time_to_unwindowed``); ``commit_s`` (N, B) earliest
    interceptor launch (``commit_time``; inf or nan: never committed); ``tracked``: an
    allowed sensor sees the threat (``tracked_mask``), (N, T) or broadcastable to
    (N, B, T); None: always.

    The rule is ``battery_window``'s (``_feasible``, ``_reason``) with ``valid`` in
    place of t <= impact time: sample k is feasible when tau = time_to(ground range,
    altitude) is finite, t - tau >= commit and tracked; reasons in the same order
    (no reachable sample: outside-altitude-window if the unwindowed flyout reaches a
    sample, else out-of-reach; no reachable sample with launch >= 0: tail-chase; none
    with launch >= commit: not-tracked-in-time; else not-tracked-at-intercept). Ground
    range: mean-sphere central angle from the site, as ``site_geometry``. Only the
    cheap part of a window: no closing speed, shots or minimum burnout speed (use
    ``battery_window`` on the pairs of interest).

    Work: per site one compiled pass for ground ranges (samples whose dot product
    already puts them beyond every flyout grid of the site skip the atan2 and are
    unreachable); per battery one ``time_to`` call on the threats that come within
    its site's grids, and one compiled pass for the window."""
    t = np.ascontiguousarray(t_s, dtype=np.float64)
    r = np.ascontiguousarray(r_ecef_m, dtype=np.float64)
    alt = np.asarray(alt_m, dtype=np.float64)
    ok = np.ascontiguousarray(valid, dtype=bool)
    n_thr, n_t = ok.shape
    batteries = list(batteries)
    n_b = len(batteries)
    if r.shape != (n_thr, n_t, 3) or alt.shape != (n_thr, n_t) or t.shape != (n_t,):
        raise ValueError(
            f"shapes: t_s {t.shape}, r_ecef_m {r.shape}, alt_m {alt.shape}, valid {ok.shape}; "
            "need (T,), (N, T, 3), (N, T), (N, T)"
        )
    commit = np.ascontiguousarray(np.broadcast_to(np.asarray(commit_s, float), (n_thr, n_b)))
    commit = np.where(np.isnan(commit), np.inf, commit)
    if tracked is None:
        trk = np.broadcast_to(np.True_, (n_thr, n_b, n_t))
    else:
        trk = np.asarray(tracked, dtype=bool)
        if trk.ndim == 2:
            trk = trk[:, None, :]
        trk = np.broadcast_to(trk, (n_thr, n_b, n_t))

    feasible = np.zeros((n_thr, n_b), bool)
    code = np.ones((n_thr, n_b), np.int8)  # out-of-reach unless found otherwise
    first, last, launch0, launch1 = (np.full((n_thr, n_b), np.nan) for _ in range(4))
    count = np.zeros((n_thr, n_b), np.int64)

    u = np.empty_like(r)
    _unit_kernel(r, ok, u)
    sites: dict = {}
    for b, bat in enumerate(batteries):
        sites.setdefault((bat.lat_deg, bat.lon_deg, bat.alt_m), []).append(b)
    ground = np.empty((n_thr, n_t))
    near = np.empty(n_thr, bool)
    for (lat, lon, h), cols in sites.items():
        site = np.array(ecef_from_geodetic(math.radians(lat), math.radians(lon), h))
        u_site = site / np.linalg.norm(site)
        reach = [getattr(batteries[b].flyout, "ground_range_grid_m", None) for b in cols]
        g_max = max(np.inf if g is None else float(np.max(g)) for g in reach)
        ang = g_max / SPHERE_RADIUS_M + 1e-6  # margin for the dot product's rounding
        cos_cut = math.cos(ang) if ang < math.pi else -2.0
        _ground_kernel(u, ok, u_site, cos_cut, SPHERE_RADIUS_M, ground, near)
        rows = np.flatnonzero(near)
        if len(rows) == 0:
            continue
        if len(rows) == n_thr:
            g_sub, a_sub = ground, alt
        else:
            g_sub, a_sub = ground[rows], alt[rows]
        for b in cols:
            flyout = batteries[b].flyout
            tau = np.ascontiguousarray(np.asarray(flyout.time_to(g_sub, a_sub), float))
            _window_kernel(
                t, tau, rows, b, ok, commit, trk, feasible, code, first, last, launch0, launch1,
                count,
            )  # fmt: skip
            unseen = np.flatnonzero(code[rows, b] == -1)
            if len(unseen):
                code[rows[unseen], b] = 1
                unwindowed = getattr(flyout, "time_to_unwindowed", None)
                if unwindowed is not None:
                    tu = np.asarray(unwindowed(g_sub[unseen], a_sub[unseen]), float)
                    tu = np.where(ok[rows[unseen]], tu, np.inf)
                    code[rows[unseen[np.isfinite(tu).any(axis=1)]], b] = 2
    return MatrixResult(
        feasible,
        code,
        first,
        last,
        launch0,
        launch1,
        commit,
        count,
        tuple(bat.site_id for bat in batteries),
        tuple(bat.interceptor_id for bat in batteries),
    )
