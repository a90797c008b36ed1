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
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bmdsim.errors import BmdsimError, InputError, UnreachableTargetError
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel, fly_batch, launch_rows, surface_distance

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
        """Fly every launch; ``lift``: with the vehicles' lift law and dive times
        ``t_dive_s`` (quasi-ballistic flight), else ballistic."""
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


def _illinois(f, lo, hi, f_lo, f_hi, *, tol, iterations=40):
    """Batched Illinois (modified regula falsi) root of f(x) = 0 inside [lo, hi], with
    f(lo) and f(hi) of opposite signs. f returns (value, payload). Returns x and the
    payload of the last evaluation."""
    lo, hi, f_lo, f_hi = (np.array(v, float) for v in (lo, hi, f_lo, f_hi))
    side = np.zeros(lo.shape)
    x = 0.5 * (lo + hi)
    payload = None
    for _ in range(iterations):
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(f_lo != f_hi, hi - f_hi * (hi - lo) / (f_hi - f_lo), 0.5 * (lo + hi))
        x = np.where(np.isfinite(x), x, 0.5 * (lo + hi))
        fx, payload = f(x)
        if np.all(np.abs(fx) < tol):
            break
        same_as_lo = np.sign(fx) == np.sign(f_lo)
        lo, f_lo, f_hi = (
            np.where(same_as_lo, x, lo),
            np.where(same_as_lo, fx, f_lo),
            np.where(same_as_lo & (side == 1), 0.5 * f_hi, f_hi),
        )
        hi, f_hi, f_lo = (
            np.where(~same_as_lo, x, hi),
            np.where(~same_as_lo, fx, f_hi),
            np.where(~same_as_lo & (side == -1), 0.5 * f_lo, f_lo),
        )
        side = np.where(same_as_lo, 1, -1)
    return x, payload


def _wrap_deg(a):
    return (np.asarray(a) + 180.0) % 360.0 - 180.0


def _solve_kick(launcher, az, tc, distance, branch, k_star, r_star, tol_m):
    """Kick on the lofted (below k*) or depressed (above k*) side landing at ``distance``."""
    if branch == "lofted":
        lo = np.full_like(k_star, KICK_MIN_RAD)
        f_lo = _range_of(launcher.fly(az, lo, tc)) - distance
        hi, f_hi = k_star, r_star - distance
    else:
        lo, f_lo = k_star, r_star - distance
        hi = np.full_like(k_star, KICK_MAX_RAD)
        f_hi = _range_of(launcher.fly(az, hi, tc)) - distance

    def f(k):
        res = launcher.fly(az, k, tc)
        return _range_of(res) - distance, res

    kick, res = _illinois(f, lo, hi, f_lo, f_hi, tol=tol_m)
    return kick, res


def _unreachable(distance, r_star):
    bad = distance > r_star
    if np.any(bad):
        j = int(np.argmax(bad))
        raise UnreachableTargetError(
            f"target is {distance[j] / 1e3:,.1f} km away, beyond the maximum range of "
            f"{r_star[j] / 1e3:,.1f} km on that azimuth",
            field="target",
            value=round(float(distance[j]) / 1e3, 1),
            allowed=f"<= {r_star[j] / 1e3:,.1f} km",
        )


def _solve_minimum_energy(launcher, az, distance, tol_m, kick_guess=None):
    """Cut-off time whose maximum-range trajectory lands at ``distance``."""
    t_full = launcher.full_burn_s()
    k_star, r_star, res_full = maximum_range(launcher, az, t_full, kick_guess_rad=kick_guess)
    _unreachable(distance, r_star)
    lo = launcher.vertical_rise_s() + 1.0
    k_lo, r_lo, _ = maximum_range(launcher, az, lo)
    kicks = {}

    def g(tc):
        k, r, res = maximum_range(launcher, az, tc)
        kicks["k"] = k
        return r - distance, res

    near = np.abs(r_star - distance) < tol_m
    tc, res = _illinois(g, lo, t_full, r_lo - distance, r_star - distance, tol=tol_m)
    kick = kicks["k"]
    tc = np.where(near, t_full, tc)
    kick = np.where(near, k_star, kick)
    res = _merge(res, res_full, near)
    return tc, kick, res


def _solve_apogee(launcher, az, distance, apogee_m, tol_m):
    tc_me, k_me, res_me = _solve_minimum_energy(launcher, az, distance, tol_m)
    h_me = res_me.apogee_m
    t_full = launcher.full_burn_s()
    k_star, r_star, _ = maximum_range(launcher, az, t_full)
    branch = "lofted" if np.all(apogee_m >= h_me) else "depressed"
    if np.any((apogee_m >= h_me) != (branch == "lofted")):
        raise InputError(
            "a batch of apogee targets must all be above or all below the minimum-energy apogee",
            field="shape",
            value="apogee",
        )
    k_full, res_full = _solve_kick(launcher, az, t_full, distance, branch, k_star, r_star, tol_m)
    h_full = res_full.apogee_m
    lo_h, hi_h = np.minimum(h_me, h_full), np.maximum(h_me, h_full)
    if np.any((apogee_m < lo_h - 1.0) | (apogee_m > hi_h + 1.0)):
        j = int(np.argmax((apogee_m < lo_h - 1.0) | (apogee_m > hi_h + 1.0)))
        raise InputError(
            f"an apogee of {apogee_m[j] / 1e3:,.1f} km cannot be flown to a target "
            f"{distance[j] / 1e3:,.1f} km away; allowed {lo_h[j] / 1e3:,.1f} to "
            f"{hi_h[j] / 1e3:,.1f} km",
            field="shape",
            value=f"apogee={apogee_m[j] / 1e3:g}",
            allowed=f"{lo_h[j] / 1e3:.1f}..{hi_h[j] / 1e3:.1f} km",
        )
    kicks = {}

    def g(tc):
        ks, rs, _ = maximum_range(launcher, az, tc)
        k, res = _solve_kick(launcher, az, tc, distance, branch, ks, rs, tol_m)
        kicks["k"] = k
        return res.apogee_m - apogee_m, res

    tc, res = _illinois(
        g, tc_me, t_full, h_me - apogee_m, h_full - apogee_m, tol=100.0, iterations=25
    )
    return tc, kicks["k"], res


@dataclass(frozen=True)
class AimSolution:
    azimuth_rad: np.ndarray
    kick_rad: np.ndarray
    t_cutoff_s: np.ndarray
    result: object  # BatchResult
    miss_m: np.ndarray
    distance_m: np.ndarray
    t_dive_s: np.ndarray | None = None  # quasi-ballistic: dive times (None: ballistic)

    @property
    def lift(self) -> bool:
        """Whether the solution flies the vehicles' lift law (quasi-ballistic)."""
        return self.t_dive_s is not None

    def fly(self, launcher, record_steps=0):
        """Fly ``launcher`` (the launches solved for) along this solution."""
        if self.lift:
            return launcher.fly(
                self.azimuth_rad,
                self.kick_rad,
                self.t_cutoff_s,
                record_steps,
                t_dive_s=self.t_dive_s,
                lift=True,
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
    """Heading, kick and cut-off that land each launch on its target (miss < tol_m)."""
    name, apogee_m = parse_shape(shape)
    n = launcher.size
    tlat = np.broadcast_to(np.asarray(target_lat_deg, float), (n,))
    tlon = np.broadcast_to(np.asarray(target_lon_deg, float), (n,))
    distance, az_t = surface_distance(
        launcher.lat_deg, launcher.lon_deg, tlat, tlon, launcher.model
    )
    if np.any(distance < 1_000.0):
        raise UnreachableTargetError(
            "the target is less than 1 km from the launch point; give a distinct target",
            field="target",
            value=float(np.min(distance)),
            allowed=">= 1 km away",
        )
    az = np.radians(az_t)
    kick_guess = None
    miss = np.full(n, np.inf)
    t_dive = None
    if name == "quasi-ballistic":
        from bmdsim.flight.quasi_ballistic import apogee_caps, solve_quasi_ballistic

        caps = apogee_caps(launcher, apogee_m)
    for _ in range(max_iterations):
        if name == "quasi-ballistic":
            tc, kick, t_dive, res = solve_quasi_ballistic(launcher, az, distance, caps, 0.3 * tol_m)
        elif name == "minimum-energy":
            tc, kick, res = _solve_minimum_energy(launcher, az, distance, 0.3 * tol_m)
        elif name == "apogee":
            tc, kick, res = _solve_apogee(launcher, az, distance, np.full(n, apogee_m), 0.3 * tol_m)
        else:
            tc = launcher.full_burn_s()
            k_star, r_star, _ = maximum_range(launcher, az, tc, kick_guess_rad=kick_guess)
            _unreachable(distance, r_star)
            kick, res = _solve_kick(launcher, az, tc, distance, name, k_star, r_star, 0.3 * tol_m)
            kick_guess = k_star
        miss, _ = surface_distance(
            res.impact_lat_deg, res.impact_lon_deg, tlat, tlon, launcher.model
        )
        if np.all(miss < tol_m):
            break
        az = az + np.radians(_wrap_deg(az_t - res.azimuth_deg))
    if not np.all(miss < tol_m):
        j = int(np.argmax(miss))
        raise UnreachableTargetError(
            f"no {name} trajectory lands within {tol_m:.0f} m of a target "
            f"{distance[j] / 1e3:,.1f} km away (best miss {miss[j]:,.0f} m); it is probably "
            "inside the missile's minimum range",
            field="target",
            value=round(float(distance[j]) / 1e3, 1),
        )
    return AimSolution(az, kick, np.broadcast_to(tc, (n,)).copy(), res, miss, distance, t_dive)


def within_range(launcher, target_lat_deg, target_lon_deg, *, margin=0.98):
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
    margin=0.98,
) -> tuple[list[AimedBatch], np.ndarray]:
    """Aim every launch at its target and fly it: ([AimedBatch], reached mask).

    Launches whose target lies beyond ``margin`` x the maximum range on its azimuth
    (``within_range``) are left out; the rest are aimed ``batch_size`` at a time (default:
    all at once) by ``solve_aimpoints``. When a batch has no solution for every launch
    (near the edge of range the heading correction can lose a little reach), each launch
    is aimed alone and those without a solution are left out too. ``reached[i]`` says
    whether launch ``i`` was flown."""
    n = launcher.size
    tlat = np.broadcast_to(np.asarray(target_lat_deg, float), (n,))
    tlon = np.broadcast_to(np.asarray(target_lon_deg, float), (n,))
    reached = np.asarray(within_range(launcher, tlat, tlon, margin=margin), bool).copy()
    ok = np.flatnonzero(reached)
    step = batch_size or max(len(ok), 1)
    batches = []
    for a in range(0, len(ok), step):
        sub = ok[a : a + step]
        part = launcher.subset(sub)
        try:
            sol = solve_aimpoints(part, tlat[sub], tlon[sub], shape)
        except BmdsimError:
            sol, keep = _aim_one_by_one(part, tlat[sub], tlon[sub], shape)
            reached[sub[~keep]] = False
            sub = sub[keep]
            if sol is None:
                continue
            part = launcher.subset(sub)
        result = sol.fly(part, record_steps=record_steps)
        batches.append(AimedBatch(sub, sol, result))
    return batches, reached


def _aim_one_by_one(launcher, tlat, tlon, shape):
    """Aim each launch alone (after a batch solution failed): (solution, solved mask)."""
    keep = np.zeros(launcher.size, bool)
    parts = []
    for i in range(launcher.size):
        try:
            parts.append(solve_aimpoints(launcher.subset([i]), tlat[i], tlon[i], shape))
            keep[i] = True
        except BmdsimError:
            continue
    if not parts:
        return None, keep
    join = np.concatenate
    sol = AimSolution(
        join([p.azimuth_rad for p in parts]),
        join([p.kick_rad for p in parts]),
        join([np.atleast_1d(p.t_cutoff_s) for p in parts]),
        None,
        join([p.miss_m for p in parts]),
        join([p.distance_m for p in parts]),
        join([p.t_dive_s for p in parts]) if parts[0].lift else None,
    )
    return sol, keep
