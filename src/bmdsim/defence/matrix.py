"""The engagement matrix: N threats against B batteries at once, on one time grid.

``battery_window`` (``defence.engagement``) answers one threat against one battery with
NumPy on the threat's own time grid, and adds what only a single window needs (closing
speed, shots, the minimum burnout speed). A raid study asks the same feasibility question
for thousands of threats against every battery: ``threat_tracks_to_grid`` puts all
threats on one time grid (N, T) (cubic Hermite, ``flight.resample``; ECI to ECEF,
``earth.frames``; WGS 84 height, ``earth.geodetic``), and ``engagement_matrix`` applies the
rule of ``defence.rules`` to every (threat, battery) pair with compiled loops (numba, all
cores) and one ``flyout.time_to`` call per battery on the threats that come within its
reach. Ground range: the mean-sphere central angle from the site, as
``engagement.site_geometry``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from bmdsim.defence.rules import (
    IN_ENVELOPE,
    IN_TIME,
    REACHABLE,
    REASON_NAMES,
    failure_reason,
    window_test,
)
from bmdsim.earth.constants import OMEGA_EARTH_RAD_S, SPHERE_RADIUS_M
from bmdsim.earth.frames import ecef_from_eci_xyz
from bmdsim.earth.geodetic import ecef_from_geodetic, geodetic_altitude_m
from bmdsim.errors import InputError
from bmdsim.flight import state as S
from bmdsim.flight.resample import hermite, record_step, step_fraction


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

    ``feasible``; ``reason_code`` (int8): index into ``rules.REASON_NAMES`` (0 where feasible,
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
        return np.array(REASON_NAMES, dtype=object)[self.reason_code]

    def reason_counts(self) -> dict:
        """{reason or 'feasible': number of pairs}."""
        codes, counts = np.unique(self.reason_code, return_counts=True)
        return {(REASON_NAMES[c] or "feasible"): int(k) for c, k in zip(codes, counts, strict=True)}

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
def _grid_kernel(rec_t, rec_r, rec_v, counts, t_grid, omega, r_out, alt_out, valid):
    """Per threat: cubic Hermite at the grid times (``flight.resample``; times before the
    first state take it), rotated ECI -> ECEF by theta = omega t (``earth.frames``), and
    the height above the WGS 84 ellipsoid (the flight kernels' Bowring step)."""
    n_thr, n_t = valid.shape
    for n in prange(n_thr):
        cnt = counts[n]
        t_rec = rec_t[n]
        t_last = t_rec[cnt - 1]
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
            if tq < t_rec[0]:
                tq = t_rec[0]
            j = record_step(t_rec, cnt, tq, j)
            h, s = step_fraction(t_rec[j], t_rec[j + 1], tq)
            r0, r1, v0, v1 = rec_r[n, j], rec_r[n, j + 1], rec_v[n, j], rec_v[n, j + 1]
            px, _ = hermite(r0[0], v0[0], r1[0], v1[0], h, s)
            py, _ = hermite(r0[1], v0[1], r1[1], v1[1], h, s)
            pz, _ = hermite(r0[2], v0[2], r1[2], v1[2], h, s)
            x, y, _ = ecef_from_eci_xyz(px, py, pz, omega * t_grid[k])
            r_out[n, k, 0] = x
            r_out[n, k, 1] = y
            r_out[n, k, 2] = pz
            alt_out[n, k] = geodetic_altitude_m(x, y, pz)


def threat_tracks_to_grid(source, dt_s: float = 1.0, *, model=None, labels=None) -> GridTracks:
    """Threat trajectories on one time grid t = 0, dt, 2 dt, ... (to the last impact).

    ``source``: a ``BatchResult`` flown with ``record_steps`` (every row; ``model``, the
    ``FlightModel`` it was flown with, gives the Earth rotation, default on), or a
    sequence of ``Trajectory`` (ECI series) or of ``ThreatTrack`` (Earth-fixed). States
    are resampled by cubic Hermite interpolation as in ``engagement.threat_track`` (the same
    samples at the same times, less the extra sample ``threat_track`` adds at the impact
    instant), rotated into ECEF (theta = omega t), with the height above the WGS 84 ellipsoid
    by the flight kernels' one-step Bowring (``geodetic_altitude_m``, within 1e-7 m of
    ``geodetic_from_ecef``).
    One compiled pass over all threats; samples after a threat's last state are
    invalid (nan). Raises InputError if a batch record was too short to hold a flight."""
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
    _grid_kernel(rec_t, rec_r, rec_v, counts, t_grid, float(omega), r, alt, valid)
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
    t, tau, rows, col, valid, commit, tracked, feasible, bits, first, last, launch0, launch1, count
):
    """``rules.window_test`` at every valid sample of the threats ``rows`` against battery
    ``col`` (tau from a flyout that applies the altitude window): the first and last
    intercept opportunities, their launches, their number and the OR of the bits."""
    n_t = t.shape[0]
    for m in prange(rows.shape[0]):
        n = rows[m]
        tc = commit[n, col]
        seen = 0
        k0 = -1
        k1 = -1
        lmax = -np.inf
        cnt = 0
        for k in range(n_t):
            if not valid[n, k]:
                continue
            b, launch = window_test(t[k], tau[m, k], 0.0, -np.inf, np.inf, np.inf, tc)
            seen |= b
            if b & IN_TIME and tracked[n, col, k]:
                if k0 < 0:
                    k0 = k
                k1 = k
                cnt += 1
                if launch > lmax:
                    lmax = launch
        count[n, col] = cnt
        bits[n, col] = seen
        if k0 >= 0:
            feasible[n, col] = True
            first[n, col] = t[k0]
            last[n, col] = t[k1]
            launch0[n, col] = t[k0] - tau[m, k0]
            launch1[n, col] = lmax


@njit(cache=True)
def _reason_kernel(bits, count, code):
    for n in range(bits.shape[0]):
        for b in range(bits.shape[1]):
            code[n, b] = failure_reason(bits[n, b], count[n, b])


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

    The rule is ``battery_window``'s (``defence.rules``) with ``valid`` in place of
    t <= impact time: sample k is feasible when tau = time_to(ground range, altitude) is
    finite, t - tau >= commit and tracked; the failure reason is ``rules.failure_reason``'s
    (outside-altitude-window where only ``time_to_unwindowed`` reaches a sample). Ground
    range: mean-sphere central angle from the site, as ``engagement.site_geometry``. Only
    the cheap part of a window: no closing speed, shots or minimum burnout speed (use
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
    bits = np.zeros((n_thr, n_b), np.int64)  # rules.window_test bits, OR over samples
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
                t, tau, rows, b, ok, commit, trk, feasible, bits, first, last, launch0, launch1,
                count,
            )  # fmt: skip
            # no reachable sample: does the flyout reach one outside its altitude window?
            unseen = np.flatnonzero((bits[rows, b] & REACHABLE) == 0)
            unwindowed = getattr(flyout, "time_to_unwindowed", None)
            if len(unseen) and unwindowed is not None:
                tu = np.asarray(unwindowed(g_sub[unseen], a_sub[unseen]), float)
                tu = np.where(ok[rows[unseen]], tu, np.inf)
                bits[rows[unseen[np.isfinite(tu).any(axis=1)]], b] |= IN_ENVELOPE
    code = np.empty((n_thr, n_b), np.int8)
    _reason_kernel(bits, count, code)
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


__all__ = ["GridTracks", "MatrixResult", "engagement_matrix", "threat_tracks_to_grid"]
