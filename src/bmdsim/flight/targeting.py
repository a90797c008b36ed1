"""Targeting: maximum range per azimuth, and aim-point solutions on the rotating Earth.

Everything here is batched: N independent problems advance together, each iteration
flying N trajectories through ``batch.fly_batch``. The unknowns are the launch heading
(azimuth), the pitch-over ``kick`` angle and, for minimum-energy and apogee shapes, the
thrust cut-off time. Shapes:

* ``lofted`` / ``depressed``: full burn; the kick below / above the maximum-range kick
  that lands on the target (two roots of range(kick) = distance);
* ``minimum-energy``: the least burnout energy that reaches the target: thrust cut off
  at the time whose maximum-range trajectory just reaches it (Bate, Mueller & White
  6.2: the minimum-energy path is the maximum-range path of that energy);
* ``apogee=H``: cut-off time and kick such that the range is right and the apogee is H
  (ballistic: energy is shed by cutting thrust, for any missile);
* ``quasi-ballistic`` / ``quasi-ballistic=H``: a lifting vehicle only: full burn, the
  kick that caps the apogee at H (the vehicle's own quasi-ballistic apogee by default),
  then its lift law (pull-up, level glide) and the dive time that lands on the target
  (``quasi_ballistic.solve_quasi_ballistic``; docs/models/lifting-flight.md).

The heading is corrected by the angle between the geodesic azimuths to the impact and
to the target (Earth rotation bends the ground track), until the miss is below
``MISS_TOLERANCE_M``.

**Rows never depend on their batch.** Every stopping rule is per row: a root search
stops refining a row at its first value within tolerance, a heading correction stops
at the row's first miss below tolerance, and a row that has no solution fails alone
(``aim_rows`` returns it with its reason) instead of failing the batch. The flight
kernel flies each row on its own, so a launch aimed among 10,000 others gets exactly the
answer it gets alone: aim searches can be batched across threats and samples (one
launch grid on a GPU, not one per threat) and a sweep's rows do not depend on how its
samples are split into chunks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bmdsim.errors import BmdsimError, InputError, UnreachableTargetError
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel, fly_batch, launch_rows, surface_distance
from bmdsim.flight.batch import put_rows as _put
from bmdsim.flight.batch import take_rows as _take

KICK_MIN_RAD = math.radians(0.02)
KICK_MAX_RAD = math.radians(80.0)
MISS_TOLERANCE_M = 50.0
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
SHAPES = ("minimum-energy", "lofted", "depressed", "apogee", "quasi-ballistic")


@dataclass
class Launcher:
    """N launches of vehicles from points: fly(azimuth, kick, cutoff) -> BatchResult.

    ``vehicle_index``, ``lat_deg``, ``lon_deg``, ``h_m`` broadcast to one length N."""

    vehicles: np.ndarray
    vehicle_index: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    h_m: np.ndarray
    model: FlightModel
    backend: str = "cpu"

    def __post_init__(self):
        arrays = np.broadcast_arrays(
            *(
                np.atleast_1d(np.asarray(a, float))
                for a in (self.vehicle_index, self.lat_deg, self.lon_deg, self.h_m)
            )
        )
        self.vehicle_index, self.lat_deg, self.lon_deg, self.h_m = (
            a.ravel().copy() for a in arrays
        )

    @property
    def size(self) -> int:
        return len(self.lat_deg)

    def subset(self, rows) -> Launcher:
        """The launches ``rows`` (indices or a mask) of this one."""
        return Launcher(
            self.vehicles,
            self.vehicle_index[rows],
            self.lat_deg[rows],
            self.lon_deg[rows],
            self.h_m[rows],
            self.model,
            self.backend,
        )

    def fly(
        self,
        azimuth_rad,
        kick_rad,
        t_cutoff_s=math.inf,
        record_steps=0,
        *,
        t_dive_s=math.inf,
        lift=False,
    ):
        """Fly every launch; ``lift`` (one for all or one a launch): with the vehicles'
        lift law and dive times ``t_dive_s`` (quasi-ballistic flight), else ballistic."""
        rows = launch_rows(
            self.vehicle_index,
            np.radians(self.lat_deg),
            np.radians(self.lon_deg),
            self.h_m,
            azimuth_rad,
            kick_rad,
            t_cutoff_s,
            self.model,
            t_dive_s,
            lift,
        )
        return fly_batch(
            self.vehicles,
            rows,
            self.lat_deg,
            self.lon_deg,
            self.model,
            backend=self.backend,
            record_steps=record_steps,
        )

    def _column(self, col):
        return self.vehicles[self.vehicle_index.astype(int), col]

    def full_burn_s(self):
        n = self._column(S.V_NSTAGES).astype(int)
        col = S.V_STAGE0 + (n - 1) * S.STAGE_FIELDS + S.SF_T_BURNOUT
        return self.vehicles[self.vehicle_index.astype(int), col]

    def vertical_rise_s(self):
        return self._column(S.V_T_VERTICAL)


def _range_of(result):
    """Ground range, counting a flight that never came down (time limit) as zero."""
    return np.where(result.impacted, result.range_m, 0.0)


def maximum_range(
    launcher,
    azimuth_rad,
    t_cutoff_s=math.inf,
    *,
    kick_guess_rad=None,
    bracket_rad=None,
    iterations=None,
):
    """Kick that maximises range on each heading: (kick_rad, range_m, BatchResult).

    With no guess, a 16-point scan over the kick brackets the maximum first; golden
    section then narrows it and a parabola through the last three points polishes it.
    """
    n = launcher.size
    az = np.broadcast_to(np.asarray(azimuth_rad, float), (n,))
    tc = np.broadcast_to(np.asarray(t_cutoff_s, float), (n,))
    bracket_rad = math.radians(2.5) if bracket_rad is None else bracket_rad
    if kick_guess_rad is None:
        grid = np.linspace(KICK_MIN_RAD, math.radians(60.0), 16)
        ranges = np.stack([_range_of(launcher.fly(az, k, tc)) for k in grid])
        j = np.argmax(ranges, axis=0)
        lo = grid[np.maximum(j - 1, 0)]
        hi = grid[np.minimum(j + 1, len(grid) - 1)]
        iterations = iterations or 13
    else:
        guess = np.broadcast_to(np.asarray(kick_guess_rad, float), (n,))
        lo = np.maximum(guess - bracket_rad, KICK_MIN_RAD)
        hi = np.minimum(guess + bracket_rad, KICK_MAX_RAD)
        iterations = iterations or 11
    a, b = lo.copy(), hi.copy()
    c = b - GOLDEN * (b - a)
    d = a + GOLDEN * (b - a)
    fc = _range_of(launcher.fly(az, c, tc))
    fd = _range_of(launcher.fly(az, d, tc))
    for _ in range(iterations):
        left = fc >= fd  # the maximum lies in [a, d]: drop (d, b]; else drop [a, c)
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c_next = np.where(left, b - GOLDEN * (b - a), d)
        d_next = np.where(left, c, a + GOLDEN * (b - a))
        x = np.where(left, c_next, d_next)
        fx = _range_of(launcher.fly(az, x, tc))
        fc, fd = np.where(left, fx, fd), np.where(left, fc, fx)
        c, d = c_next, d_next
    # Parabolic polish through (c, fc), (mid, fm), (d, fd).
    mid = 0.5 * (c + d)
    res_mid = launcher.fly(az, mid, tc)
    fm = _range_of(res_mid)
    h = 0.5 * (d - c)
    denom = fc - 2.0 * fm + fd
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(denom < 0, 0.5 * h * (fc - fd) / denom, 0.0)
    k_best = np.clip(mid + np.clip(step, -h, h), KICK_MIN_RAD, KICK_MAX_RAD)
    res = launcher.fly(az, k_best, tc)
    r_best = _range_of(res)
    worse = r_best < fm
    if np.any(worse):
        k_best = np.where(worse, mid, k_best)
        res = _merge(res, res_mid, worse)
        r_best = np.where(worse, fm, r_best)
    return k_best, r_best, res


def _merge(a, b, take_b):
    """BatchResult with rows from b where take_b."""
    from bmdsim.flight.batch import BatchResult

    def pick(x, y):
        if x is None:
            return None
        m = take_b.reshape((-1,) + (1,) * (x.ndim - 1))
        return np.where(m, y, x)

    return BatchResult(
        pick(a.summary, b.summary),
        pick(a.impact_lat_deg, b.impact_lat_deg),
        pick(a.impact_lon_deg, b.impact_lon_deg),
        pick(a.range_m, b.range_m),
        pick(a.azimuth_deg, b.azimuth_deg),
        pick(a.record, b.record),
    )


def _illinois(f, lo, hi, f_lo, f_hi, *, tol, iterations=40, rows=None):
    """Batched Illinois (modified regula falsi) root of f(x) = 0 inside [lo, hi], with
    f(lo) and f(hi) of opposite signs; ``rows``: the rows to solve (default all).
    ``f(x, rows)`` evaluates the rows ``rows`` (indices) at ``x`` (their values) and
    returns (values, payload); a payload is an array, a BatchResult or a tuple of those,
    with one row per evaluated row.

    Each row stops at its first |f| < tol and is not evaluated again: its answer does
    not depend on the other rows of the batch. Returns x (nan for rows not solved) and
    the payload of each row's last evaluation (nan rows where none)."""
    lo, hi, f_lo, f_hi = (np.array(v, float) for v in (lo, hi, f_lo, f_hi))
    n = len(lo)
    side = np.zeros(n)
    x = np.full(n, np.nan)
    payload = None
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    for _ in range(iterations):
        if rows.size == 0:
            break
        a, b, fa, fb = lo[rows], hi[rows], f_lo[rows], f_hi[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            xr = np.where(fa != fb, b - fb * (b - a) / (fb - fa), 0.5 * (a + b))
        xr = np.where(np.isfinite(xr), xr, 0.5 * (a + b))
        fx, part = f(xr, rows)
        x[rows] = xr
        payload = _put(payload, rows, part, n)
        going = ~(np.abs(fx) < tol)
        rows, xr, fx = rows[going], xr[going], fx[going]
        same = np.sign(fx) == np.sign(f_lo[rows])
        s = side[rows]
        f_hi_r = np.where(same & (s == 1), 0.5 * f_hi[rows], f_hi[rows])
        f_lo_r = np.where(same, fx, f_lo[rows])
        lo[rows] = np.where(same, xr, lo[rows])
        hi[rows] = np.where(~same, xr, hi[rows])
        f_hi[rows] = np.where(~same, fx, f_hi_r)
        f_lo[rows] = np.where(~same & (s == -1), 0.5 * f_lo_r, f_lo_r)
        side[rows] = np.where(same, 1, -1)
    return x, payload


def _wrap_deg(a):
    return (np.asarray(a) + 180.0) % 360.0 - 180.0


def _solve_kick(launcher, az, tc, distance, lofted, k_star, r_star, tol_m):
    """Kick on the lofted (below k*; rows where ``lofted``) or depressed (above k*) side
    landing at ``distance``: (kick, BatchResult)."""
    n = launcher.size
    az, tc, distance = (np.broadcast_to(np.asarray(v, float), (n,)) for v in (az, tc, distance))
    lofted = np.broadcast_to(np.asarray(lofted, bool), (n,))
    end = np.where(lofted, KICK_MIN_RAD, KICK_MAX_RAD)
    f_end = _range_of(launcher.fly(az, end, tc)) - distance
    f_star = r_star - distance
    lo, f_lo = np.where(lofted, end, k_star), np.where(lofted, f_end, f_star)
    hi, f_hi = np.where(lofted, k_star, end), np.where(lofted, f_star, f_end)

    def f(k, rows):
        res = launcher.subset(rows).fly(az[rows], k, tc[rows])
        return _range_of(res) - distance[rows], res

    return _illinois(f, lo, hi, f_lo, f_hi, tol=tol_m)


def _unreachable(distance_m, r_star_m):
    return UnreachableTargetError(
        f"target is {distance_m / 1e3:,.1f} km away, beyond the maximum range of "
        f"{r_star_m / 1e3:,.1f} km on that azimuth",
        field="target",
        value=round(float(distance_m) / 1e3, 1),
        allowed=f"<= {r_star_m / 1e3:,.1f} km",
    )


def _solve_minimum_energy(launcher, az, distance, tol_m, kick_guess=None):
    """Cut-off time whose maximum-range trajectory lands at ``distance``: (tc, kick,
    BatchResult, errors {row: error}, (k*, r*) at full burn)."""
    t_full = launcher.full_burn_s()
    k_star, r_star, res_full = maximum_range(launcher, az, t_full, kick_guess_rad=kick_guess)
    bad = distance > r_star
    errors = {int(i): _unreachable(distance[i], r_star[i]) for i in np.flatnonzero(bad)}
    # a target at the full-burn maximum range needs no search: full burn it is
    near = np.abs(r_star - distance) < tol_m
    tc, kick, res = t_full.astype(float), k_star.copy(), res_full
    todo = np.flatnonzero(~bad & ~near)
    if todo.size:
        sub, az_s, d_s = launcher.subset(todo), az[todo], distance[todo]
        lo = sub.vertical_rise_s() + 1.0
        _, r_lo, _ = maximum_range(sub, az_s, lo)

        def g(t, rows):
            k, r, rr = maximum_range(sub.subset(rows), az_s[rows], t)
            return r - d_s[rows], (rr, k)

        t_sol, (rr, kk) = _illinois(g, lo, t_full[todo], r_lo - d_s, r_star[todo] - d_s, tol=tol_m)
        tc[todo], kick[todo] = t_sol, kk
        res = _put(res, todo, rr, len(tc))
    return tc, kick, res, errors, (k_star, r_star)


def _solve_apogee(launcher, az, distance, apogee_m, tol_m):
    """Cut-off time and kick of the trajectory with apogee ``apogee_m`` landing at
    ``distance``: lofted above the minimum-energy apogee, depressed below, per row."""
    tc_me, _, res_me, errors, (k_star, r_star) = _solve_minimum_energy(
        launcher, az, distance, tol_m
    )
    h_me = res_me.apogee_m
    t_full = launcher.full_burn_s()
    lofted = apogee_m >= h_me
    h_full = np.full(launcher.size, np.nan)
    idx = np.array([i for i in range(launcher.size) if i not in errors], dtype=np.int64)
    if idx.size:
        _, res_full = _solve_kick(
            launcher.subset(idx), az[idx], t_full[idx], distance[idx], lofted[idx],
            k_star[idx], r_star[idx], tol_m,
        )  # fmt: skip
        h_full[idx] = res_full.apogee_m
    lo_h, hi_h = np.minimum(h_me, h_full), np.maximum(h_me, h_full)
    outside = (apogee_m < lo_h - 1.0) | (apogee_m > hi_h + 1.0)
    for j in np.flatnonzero(outside):
        errors.setdefault(
            int(j),
            InputError(
                f"an apogee of {apogee_m[j] / 1e3:,.1f} km cannot be flown to a target "
                f"{distance[j] / 1e3:,.1f} km away; allowed {lo_h[j] / 1e3:,.1f} to "
                f"{hi_h[j] / 1e3:,.1f} km",
                field="shape",
                value=f"apogee={apogee_m[j] / 1e3:g}",
                allowed=f"{lo_h[j] / 1e3:.1f}..{hi_h[j] / 1e3:.1f} km",
            ),
        )

    def g(tc, rows):
        sub = launcher.subset(rows)
        ks, rs, _ = maximum_range(sub, az[rows], tc)
        k, res = _solve_kick(sub, az[rows], tc, distance[rows], lofted[rows], ks, rs, tol_m)
        return res.apogee_m - apogee_m[rows], (res, k)

    todo = np.array([i for i in range(launcher.size) if i not in errors], dtype=np.int64)
    tc, payload = _illinois(
        g, tc_me, t_full, h_me - apogee_m, h_full - apogee_m, tol=100.0, iterations=25,
        rows=todo,
    )  # fmt: skip
    res, kick = payload if payload is not None else (None, np.full(launcher.size, np.nan))
    return tc, kick, res, errors


def _solve_full_burn(launcher, az, distance, name, tol_m, kick_guess):
    """Lofted or depressed at full burn: (tc, kick, BatchResult, errors, k*)."""
    tc = launcher.full_burn_s().astype(float)
    k_star, r_star, _ = maximum_range(launcher, az, tc, kick_guess_rad=kick_guess)
    bad = distance > r_star
    errors = {int(i): _unreachable(distance[i], r_star[i]) for i in np.flatnonzero(bad)}
    kick, res = np.full(launcher.size, np.nan), None
    todo = np.flatnonzero(~bad)
    if todo.size:
        k, rr = _solve_kick(
            launcher.subset(todo), az[todo], tc[todo], distance[todo], name == "lofted",
            k_star[todo], r_star[todo], tol_m,
        )  # fmt: skip
        kick[todo] = k
        res = _put(None, todo, rr, launcher.size)
    return tc, kick, res, errors, k_star


@dataclass(frozen=True)
class AimSolution:
    azimuth_rad: np.ndarray
    kick_rad: np.ndarray
    t_cutoff_s: np.ndarray
    result: object  # BatchResult
    miss_m: np.ndarray
    distance_m: np.ndarray
    # quasi-ballistic rows: their dive times; inf on ballistic rows (None: all ballistic)
    t_dive_s: np.ndarray | None = None

    @property
    def lift(self) -> bool:
        """Whether some row flies the vehicles' lift law (quasi-ballistic)."""
        return self.t_dive_s is not None and bool(np.any(np.isfinite(self.t_dive_s)))

    def rows(self, k) -> AimSolution:
        """The solution of rows ``k``."""
        return AimSolution(
            self.azimuth_rad[k], self.kick_rad[k], self.t_cutoff_s[k], _take(self.result, k),
            self.miss_m[k], self.distance_m[k],
            None if self.t_dive_s is None else self.t_dive_s[k],
        )  # fmt: skip

    def fly(self, launcher, record_steps=0):
        """Fly ``launcher`` (the launches solved for) along this solution: the rows with
        a dive time with their lift law, the others ballistic."""
        if self.lift:
            return launcher.fly(
                self.azimuth_rad,
                self.kick_rad,
                self.t_cutoff_s,
                record_steps,
                t_dive_s=self.t_dive_s,
                lift=np.isfinite(self.t_dive_s),
            )
        return launcher.fly(self.azimuth_rad, self.kick_rad, self.t_cutoff_s, record_steps)


def parse_shape(shape: str):
    """'minimum-energy' | 'lofted' | 'depressed' | 'apogee=KM' | 'quasi-ballistic' |
    'quasi-ballistic=KM' -> (name, apogee_m); apogee_m is None where none is given."""
    text = str(shape).strip().lower().replace("_", "-").replace(" ", "-")
    for name in ("apogee", "quasi-ballistic"):
        if not text.startswith(name):
            continue
        head, eq, value = text.partition("=")
        if name == "quasi-ballistic" and head == name and not eq:
            return name, None
        try:
            km = float(value.replace("km", "").strip()) if head == name else -1.0
        except ValueError:
            km = -1.0
        if not km > 0:
            raise InputError(
                f"shape {shape!r}: write the apogee as {name}=KM, e.g. {name}=50",
                field="shape",
                value=shape,
                allowed=f"{name}=KM with KM > 0",
            )
        return name, km * 1e3
    if text in ("min-energy", "minimum energy", "minimum-energy", "min"):
        return "minimum-energy", None
    if text in SHAPES[1:3]:
        return text, None
    raise InputError(
        f"unknown trajectory shape {shape!r}; allowed: minimum-energy, lofted, "
        f"depressed, apogee=KM, quasi-ballistic[=KM]",
        field="shape",
        value=shape,
        allowed=["minimum-energy", "lofted", "depressed", "apogee=KM", "quasi-ballistic[=KM]"],
    )


def solve_aimpoints(
    launcher,
    target_lat_deg,
    target_lon_deg,
    shape="minimum-energy",
    *,
    tol_m=MISS_TOLERANCE_M,
    max_iterations=8,
) -> AimSolution:
    """Heading, kick and cut-off that land each launch on its target (miss < tol_m).
    Raises the error of the first launch that has none (``aim_rows`` keeps the rest)."""
    sol, errors = aim_rows(
        launcher, target_lat_deg, target_lon_deg, shape, tol_m=tol_m, max_iterations=max_iterations
    )
    if errors:
        raise errors[min(errors)]
    return sol


def aim_rows(
    launcher,
    target_lat_deg,
    target_lon_deg,
    shape="minimum-energy",
    *,
    tol_m=MISS_TOLERANCE_M,
    max_iterations=8,
) -> tuple[AimSolution, dict[int, BmdsimError]]:
    """Aim every launch at its target, each row on its own (module doc): (solution,
    {row: why it has none}). ``shape``: one for all, or one a row (rows are solved in
    groups of one shape). Rows without a solution are nan in the solution."""
    n = launcher.size
    tlat = np.broadcast_to(np.asarray(target_lat_deg, float), (n,))
    tlon = np.broadcast_to(np.asarray(target_lon_deg, float), (n,))
    shapes = np.broadcast_to(np.asarray(shape, dtype=object), (n,))
    parsed = {text: parse_shape(text) for text in dict.fromkeys(shapes.tolist())}
    names = np.array([parsed[text][0] for text in shapes.tolist()], dtype=object)
    apogee = np.array([parsed[text][1] or np.nan for text in shapes.tolist()], float)
    distance, az_t = surface_distance(
        launcher.lat_deg, launcher.lon_deg, tlat, tlon, launcher.model
    )
    out = {
        "az": np.full(n, np.nan),
        "kick": np.full(n, np.nan),
        "tc": np.full(n, np.nan),
        "miss": np.full(n, np.inf),
        "dive": np.full(n, np.inf),
        "res": None,
    }
    errors: dict[int, BmdsimError] = {}
    for i in np.flatnonzero(distance < 1_000.0):
        errors[int(i)] = UnreachableTargetError(
            "the target is less than 1 km from the launch point; give a distinct target",
            field="target",
            value=float(distance[i]),
            allowed=">= 1 km away",
        )
    for name in dict.fromkeys(names.tolist()):
        rows = np.flatnonzero((names == name) & (distance >= 1_000.0))
        if rows.size:
            _aim_group(launcher, rows, name, apogee, distance, az_t, tlat, tlon, tol_m,
                       max_iterations, out, errors)  # fmt: skip
    for i in np.flatnonzero(~(out["miss"] < tol_m)):
        if int(i) not in errors:
            errors[int(i)] = UnreachableTargetError(
                f"no {names[i]} trajectory lands within {tol_m:.0f} m of a target "
                f"{distance[i] / 1e3:,.1f} km away (best miss {out['miss'][i]:,.0f} m); it is "
                "probably inside the missile's minimum range",
                field="target",
                value=round(float(distance[i]) / 1e3, 1),
            )
    dive = out["dive"] if np.any(names == "quasi-ballistic") else None
    sol = AimSolution(out["az"], out["kick"], out["tc"], out["res"], out["miss"], distance, dive)
    return sol, dict(sorted(errors.items()))


def _aim_group(launcher, rows, name, apogee, distance, az_t, tlat, tlon, tol_m, max_iterations,
               out, errors):  # fmt: skip
    """The heading iteration of ``aim_rows`` for the rows of one shape; each row stops at
    its first miss below ``tol_m`` (or its first error)."""
    n = launcher.size
    az = np.radians(az_t[rows])
    kick_guess = None
    for _ in range(max_iterations):
        sub, d = launcher.subset(rows), distance[rows]
        t_dive = None
        if name == "quasi-ballistic":
            from bmdsim.flight.quasi_ballistic import solve_quasi_ballistic_rows

            tc, kick, t_dive, res, errs = solve_quasi_ballistic_rows(
                sub, az, d, apogee[rows], 0.3 * tol_m
            )
        elif name == "minimum-energy":
            tc, kick, res, errs, _ = _solve_minimum_energy(sub, az, d, 0.3 * tol_m)
        elif name == "apogee":
            tc, kick, res, errs = _solve_apogee(sub, az, d, apogee[rows], 0.3 * tol_m)
        else:
            tc, kick, res, errs, kick_guess = _solve_full_burn(
                sub, az, d, name, 0.3 * tol_m, kick_guess
            )
        for j, err in errs.items():
            errors[int(rows[j])] = err
        ok = np.array([j not in errs for j in range(len(rows))], bool)
        miss = np.full(len(rows), np.inf)
        if ok.any():
            miss[ok], _ = surface_distance(
                res.impact_lat_deg[ok], res.impact_lon_deg[ok], tlat[rows[ok]],
                tlon[rows[ok]], launcher.model,
            )  # fmt: skip
            keep = np.flatnonzero(ok)
            out["az"][rows[keep]] = az[keep]
            out["kick"][rows[keep]] = kick[keep]
            out["tc"][rows[keep]] = np.broadcast_to(tc, (len(rows),))[keep]
            out["miss"][rows[keep]] = miss[keep]
            if t_dive is not None:
                out["dive"][rows[keep]] = t_dive[keep]
            out["res"] = _put(out["res"], rows[keep], _take(res, keep), n)
        going = ok & ~(miss < tol_m)
        if not going.any():
            return
        az = az + np.radians(_wrap_deg(az_t[rows] - res.azimuth_deg))
        rows, az = rows[going], az[going]
        kick_guess = None if kick_guess is None else kick_guess[going]


# A numerical setting of the aim-point pipeline, not physics: targets beyond this share of
# the maximum range probed along their geodesic azimuth are not aimed at in a batch. The
# heading flown differs from that azimuth on the rotating Earth, and the corrected heading
# can have a little less reach. Measured (Yars from Teykovo, 8 headings): the
# minimum-energy aim succeeds on 8/8 headings at 97 % of the probed maximum, 7/8 at 98 %,
# 4/8 at 99.9 %; Iskander-M from Kaliningrad on 8/8 up to 99.9 %. Launches inside the
# margin that still have no solution are left out row by row (fly_to_aimpoints), so the
# margin only saves solver work; it can drop a target at 98-100 % of the central maximum
# range, which a study lists as out of range.
AIM_RANGE_MARGIN = 0.98


def within_range(launcher, target_lat_deg, target_lon_deg, *, margin=AIM_RANGE_MARGIN):
    """Which launches' targets lie inside ``margin`` x the maximum range on their geodesic
    azimuth (a batched pre-check before aim-point solutions; the heading correction of
    ``solve_aimpoints`` can lose a little reach at the edge, hence the margin)."""
    n = launcher.size
    tlat = np.broadcast_to(np.asarray(target_lat_deg, float), (n,))
    tlon = np.broadcast_to(np.asarray(target_lon_deg, float), (n,))
    dist, az = surface_distance(launcher.lat_deg, launcher.lon_deg, tlat, tlon, launcher.model)
    _, max_range, _ = maximum_range(launcher, np.radians(az), launcher.full_burn_s())
    return dist < margin * max_range


@dataclass(frozen=True)
class AimedBatch:
    """Launches ``rows`` (indices into the launcher) aimed (``solution``) and flown
    (``result``, a BatchResult whose row k is launch ``rows[k]``)."""

    rows: np.ndarray
    solution: AimSolution
    result: object


def fly_to_aimpoints(
    launcher,
    target_lat_deg,
    target_lon_deg,
    shape="minimum-energy",
    *,
    record_steps=0,
    batch_size=None,
    margin=AIM_RANGE_MARGIN,
) -> tuple[list[AimedBatch], np.ndarray]:
    """Aim every launch at its target and fly it: ([AimedBatch], reached mask).

    Launches whose target lies beyond ``margin`` x the maximum range on its azimuth
    (``within_range``) are left out; the rest are aimed in one batch (``aim_rows``: each
    row on its own, so one batch for all launches, whatever their threats; ``shape`` one
    for all or one a launch), and those without a solution (near the edge of range the
    heading correction can lose a little reach) are left out too. The aimed launches are
    flown ``batch_size`` at a time (default: all at once; a time series of
    ``record_steps`` a launch takes memory). ``reached[i]`` says whether launch ``i`` was
    flown."""
    n = launcher.size
    tlat = np.broadcast_to(np.asarray(target_lat_deg, float), (n,))
    tlon = np.broadcast_to(np.asarray(target_lon_deg, float), (n,))
    shapes = np.broadcast_to(np.asarray(shape, dtype=object), (n,))
    reached = np.asarray(within_range(launcher, tlat, tlon, margin=margin), bool).copy()
    ok = np.flatnonzero(reached)
    if not ok.size:
        return [], reached
    sol, errors = aim_rows(launcher.subset(ok), tlat[ok], tlon[ok], shapes[ok])
    solved = np.array([k not in errors for k in range(len(ok))], bool)
    reached[ok[~solved]] = False
    keep = np.flatnonzero(solved)
    step = batch_size or max(len(keep), 1)
    batches = []
    for a in range(0, len(keep), step):
        k = keep[a : a + step]
        part = sol.rows(k)
        result = part.fly(launcher.subset(ok[k]), record_steps=record_steps)
        batches.append(AimedBatch(ok[k], part, result))
    return batches, reached
