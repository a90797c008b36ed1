"""Aim points of the quasi-ballistic shape: full burn under an apogee cap, then lift.

A lifting vehicle (``Vehicle.lift_to_drag`` > 0) burns to the end on the depressed kick
whose (ballistic) ascent peaks at the apogee cap H; from that apogee its lift law
(``steering.lift_acceleration``) pulls it up into a level glide at the commanded
altitude, and a terminal dive begins at the dive time. The range grows with the dive
time, from the dive at the apogee to no dive at all (the glide until the vehicle can no
longer hold its altitude), so the dive time that lands on the target is one batched
root (Illinois). A target nearer than the dive-at-apogee range is reached by a steeper
kick with the dive at the apogee (the apogee then lies below H).

The shape is ``quasi-ballistic`` (H from the vehicle's catalogue entry) or
``quasi-ballistic=KM``. ``apogee=KM`` (``targeting``) is the ballistic counterpart for
any missile: it sheds energy by cutting thrust and never uses lift. Scheduled events,
the lift law and its validity: docs/models/lifting-flight.md.
"""

from __future__ import annotations

import math

import numpy as np

from bmdsim.errors import BmdsimError, InputError, UnreachableTargetError
from bmdsim.flight import state as S
from bmdsim.flight.batch import put_rows
from bmdsim.flight.targeting import KICK_MAX_RAD, _illinois, _range_of, maximum_range

APOGEE_TOLERANCE_M = 100.0


def apogee_caps(launcher, apogee_m=None) -> np.ndarray:
    """The apogee cap of each launch: ``apogee_m`` if given, else each vehicle's own
    quasi-ballistic apogee. Raises InputError for a vehicle without lift."""
    law = launcher._column(S.V_LIFT_LAW)
    if np.any(law == S.LIFT_NONE):
        raise InputError(
            "shape quasi-ballistic needs a lifting vehicle (a catalogue missile with a "
            "'lifting' block, L/D > 0); this one flies ballistic only: use apogee=KM for a "
            "ballistic trajectory of a given apogee",
            field="shape",
            value="quasi-ballistic",
            allowed="a missile with lifting.lift_to_drag > 0",
        )
    if apogee_m is not None:
        return np.full(launcher.size, float(apogee_m))
    caps = launcher._column(S.V_QB_APOGEE).astype(float)
    if np.any(caps <= 0.0):
        raise InputError(
            "this vehicle has no quasi-ballistic apogee in its catalogue entry; give one "
            "as quasi-ballistic=KM",
            field="shape",
            value="quasi-ballistic",
            allowed="quasi-ballistic=KM",
        )
    return caps


def _cap_kick(launcher, az, t_full, caps):
    """Kick of the full burn whose ascent peaks at ``caps`` (the maximum-range kick
    where that one already peaks lower)."""
    k_star, _, res_star = maximum_range(launcher, az, t_full)
    kick = k_star.copy()
    need = res_star.apogee_m > caps + APOGEE_TOLERANCE_M
    if not np.any(need):
        return kick
    idx = np.flatnonzero(need)
    part = launcher.subset(idx)
    a, tf, cap = az[idx], t_full[idx], caps[idx]
    hi = np.full(len(idx), KICK_MAX_RAD)
    h_low = part.fly(a, hi, tf).apogee_m
    if np.any(h_low > cap):
        j = int(np.argmax(h_low - cap))
        raise InputError(
            f"an apogee cap of {cap[j] / 1e3:,.1f} km is below the lowest apogee this "
            f"missile flies at full burn ({h_low[j] / 1e3:,.1f} km)",
            field="shape",
            value=f"quasi-ballistic={cap[j] / 1e3:g}",
            allowed=f">= {math.ceil(h_low[j] / 1e3)} km",
        )

    def f(k, rows):
        res = part.subset(rows).fly(a[rows], k, tf[rows])
        return res.apogee_m - cap[rows], res

    k, _ = _illinois(
        f,
        k_star[idx],
        hi,
        res_star.apogee_m[idx] - cap,
        h_low - cap,
        tol=APOGEE_TOLERANCE_M,
        iterations=30,
    )
    kick[idx] = k
    return kick


def solve_quasi_ballistic(launcher, az, distance, caps, tol_m):
    """(t_cutoff, kick, t_dive, BatchResult) landing each launch ``distance`` metres away
    on heading ``az`` under apogee ``caps`` (arrays of the launcher's length)."""
    n = launcher.size
    t_full = np.asarray(launcher.full_burn_s(), float)
    kick = _cap_kick(launcher, az, t_full, caps)

    def fly(k, t_dive, rows=slice(None), part=launcher):
        return part.fly(az[rows], k, t_full[rows], t_dive_s=t_dive, lift=True)

    glide = fly(kick, np.full(n, math.inf))
    r_max = _range_of(glide)
    far = distance > r_max
    if np.any(far):
        j = int(np.argmax(distance - r_max))
        raise UnreachableTargetError(
            f"target is {distance[j] / 1e3:,.1f} km away, beyond the quasi-ballistic range "
            f"of {r_max[j] / 1e3:,.1f} km on that azimuth (apogee {caps[j] / 1e3:g} km, "
            "glide without a dive)",
            field="target",
            value=round(float(distance[j]) / 1e3, 1),
            allowed=f"<= {r_max[j] / 1e3:,.1f} km",
        )
    dive_now = fly(kick, np.zeros(n))
    r_min = _range_of(dive_now)
    t_dive = np.zeros(n)

    glide_rows = np.flatnonzero(distance >= r_min)
    if len(glide_rows):
        part = launcher.subset(glide_rows)
        d = distance[glide_rows]
        lo = glide.summary[glide_rows, S.S_T_GLIDE]
        hi = glide.flight_time_s[glide_rows]

        def g(td, rows):
            r = glide_rows[rows]
            res = fly(kick[r], td, r, part.subset(rows))
            return _range_of(res) - d[rows], res

        td, _ = _illinois(g, lo, hi, r_min[glide_rows] - d, r_max[glide_rows] - d, tol=tol_m)
        t_dive[glide_rows] = td

    near_rows = np.flatnonzero(distance < r_min)
    if len(near_rows):
        part = launcher.subset(near_rows)
        d = distance[near_rows]
        zero = np.zeros(len(near_rows))
        hi = np.full(len(near_rows), KICK_MAX_RAD)
        r_hi = _range_of(fly(hi, zero, near_rows, part))
        if np.any(r_hi > d):
            j = int(np.argmax(r_hi - d))
            raise UnreachableTargetError(
                f"target is {d[j] / 1e3:,.1f} km away, inside the shortest quasi-ballistic "
                f"range of {r_hi[j] / 1e3:,.1f} km on that azimuth",
                field="target",
                value=round(float(d[j]) / 1e3, 1),
                allowed=f">= {r_hi[j] / 1e3:,.1f} km",
            )

        def h(k, rows):
            res = fly(k, zero[rows], near_rows[rows], part.subset(rows))
            return _range_of(res) - d[rows], res

        k, _ = _illinois(h, kick[near_rows], hi, r_min[near_rows] - d, r_hi - d, tol=tol_m)
        kick[near_rows] = k
    result = fly(kick, t_dive)
    return t_full, kick, t_dive, result


def solve_quasi_ballistic_rows(launcher, az, distance, apogee_m, tol_m):
    """``solve_quasi_ballistic`` on every row with an apogee cap (``apogee_m``
    nan: the vehicle's own): (t_cutoff, kick, t_dive, BatchResult, {row: error}). That
    solver fails a whole batch for one row without a solution; the batch is then solved
    row by row, so a row's answer and its error stay its own."""
    n = launcher.size
    caps = np.full(n, np.nan)
    errors: dict[int, BmdsimError] = {}
    for j in range(n):
        try:
            cap = None if np.isnan(apogee_m[j]) else float(apogee_m[j])
            caps[j] = apogee_caps(launcher.subset([j]), cap)[0]
        except BmdsimError as exc:
            errors[j] = exc
    tc, kick, t_dive = (np.full(n, np.nan) for _ in range(3))
    res = None

    def solve(rows):
        nonlocal res
        out = solve_quasi_ballistic(launcher.subset(rows), az[rows], distance[rows], caps[rows],
                                    tol_m)  # fmt: skip
        tc[rows] = np.broadcast_to(out[0], (len(rows),))
        kick[rows], t_dive[rows] = out[1], out[2]
        res = put_rows(res, rows, out[3], n)

    good = np.array([j for j in range(n) if j not in errors], dtype=np.int64)
    if good.size:
        try:
            solve(good)
        except BmdsimError:
            for j in good:
                try:
                    solve(np.array([j]))
                except BmdsimError as exc:
                    errors[int(j)] = exc
    return tc, kick, t_dive, res, errors
