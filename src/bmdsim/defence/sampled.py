"""The engagement rule of ``battery_window`` for many samples of uncertain inputs at once.

A Monte Carlo over burnout speeds, radar ranges and delays cannot rebuild a flyout table
or re-run ``battery_window`` per sample (0.3 s a table). Instead, for one threat and one
battery, the caller precomputes

* the time of flight tau on a *ladder* of burnout speeds (one flyout table per rung,
  looked up without the altitude window at the threat's samples); a sample's tau is
  interpolated linearly between the two rungs around its speed. Where only the faster
  rung reaches a point the point counts as unreachable: the reach edge of a sample is
  that of the slower rung, a conservative error of at most one rung step in speed;
* each radar's geometry along the threat (slant range, apparent elevation, and whether
  field of regard and line of sight allow a detection), so a sampled detection range or
  elevation mask only moves a threshold;

and the compiled loops below apply the engagement rule of ``defence.rules`` sample by
sample: the firm-track time of each radar (``rules.firm_track_step``, as
``radar.track_timeline``), then over the threat's samples the window test
(``rules.window_test``, altitude window and maximum flight time on the point itself),
tracked by an allowed sensor, shoot-look-shoot (``rules.next_shot``) and the failure
reason (``rules.failure_reason``; codes index ``rules.REASON_NAMES``). The commit time
(first allowed firm track + decision delay) is the caller's.

A "track row" is one threat trajectory: a fixed threat has one row shared by every
sample (``row_of_sample`` all 0); a threat whose own inputs vary has one row a sample.
Loops run only over each row's span of samples where anything can happen (``span_lo``,
``span_hi``), which the caller computes once.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from numba.extending import register_jitable

from bmdsim.defence.rules import (
    IN_TIME,
    failure_reason,
    firm_track_step,
    next_shot,
    window_test,
)

__all__ = ["firm_track_times", "ladder_spans", "sampled_windows"]

# Outputs at the end of each kernel's arguments: how many (the CUDA launcher copies them
# back).
KERNEL_OUTPUTS = {"firm_track": 1, "windows": 8}


@register_jitable
def firm_track_sample(
    s, t, row_of_sample, geom, slant, elev, span_lo, span_hi, det_range, min_elev, delay, out
):
    """Firm-track time of sample ``s`` into ``out[s]`` (``firm_track_times``): the one
    loop body of the CPU kernel and the CUDA kernel (``sampled_cuda``)."""
    r = row_of_sample[s]
    out[s] = math.nan
    run_start = -1.0
    last_k = -2
    for k in range(span_lo[r], span_hi[r]):
        seen = geom[r, k] and slant[r, k] <= det_range[s] and elev[r, k] >= min_elev[s]
        last_k, run_start, firm = firm_track_step(seen, k, t[k], last_k, run_start, delay[s])
        if not math.isnan(firm):
            out[s] = firm
            break


@njit(parallel=True, cache=True)
def _firm_track_kernel(
    t, row_of_sample, geom, slant, elev, span_lo, span_hi, det_range, min_elev, delay, out
):
    for s in prange(row_of_sample.shape[0]):  # samples are independent: all cores
        firm_track_sample(
            s, t, row_of_sample, geom, slant, elev, span_lo, span_hi, det_range, min_elev,
            delay, out,
        )  # fmt: skip


def firm_track_times(t_s, row_of_sample, geom, slant_m, elev_rad, det_range_m, min_elev_rad,
                     track_delay_s, span=None, *, backend="cpu"):  # fmt: skip
    """Firm-track time of one radar for every sample (nan: never), as
    ``radar.track_timeline``: visible samples in a row form a run, and the track is firm
    at the first run start + delay that lies inside its run.

    ``geom``, ``slant_m``, ``elev_rad``: (R, T) per track row (field of regard and line of
    sight, slant range, apparent elevation); ``det_range_m``, ``min_elev_rad``,
    ``track_delay_s``: (S,) per sample; ``span``: (lo, hi) (R,) index spans where
    ``geom`` is true (computed if None). ``backend``: 'cpu' (all cores) or 'cuda' (a GPU
    thread a sample, ``sampled_cuda``): the same rule, the same numbers."""
    geom = np.ascontiguousarray(geom, dtype=np.bool_)
    if span is None:
        span = ladder_spans(geom)
    out = np.empty(len(row_of_sample))
    _launch(
        "firm_track",
        backend,
        np.ascontiguousarray(t_s, dtype=np.float64),
        np.ascontiguousarray(row_of_sample, dtype=np.int64),
        geom,
        np.ascontiguousarray(slant_m, dtype=np.float64),
        np.ascontiguousarray(elev_rad, dtype=np.float64),
        span[0],
        span[1],
        np.ascontiguousarray(det_range_m, dtype=np.float64),
        np.ascontiguousarray(min_elev_rad, dtype=np.float64),
        np.ascontiguousarray(track_delay_s, dtype=np.float64),
        out,
    )
    return out


def ladder_spans(mask):
    """(lo, hi) int64 arrays (R,): the first and one-past-last index of ``mask`` (R, T)
    (or (R, M, T): any rung) that is true on each row; lo = hi = 0 for an empty row."""
    m = np.asarray(mask, dtype=bool)
    if m.ndim == 3:
        m = m.any(axis=1)
    any_ = m.any(axis=1)
    lo = np.where(any_, np.argmax(m, axis=1), 0).astype(np.int64)
    hi = np.where(any_, m.shape[1] - np.argmax(m[:, ::-1], axis=1), 0).astype(np.int64)
    return lo, hi


@register_jitable
def window_sample(
    s, t, row_of_sample, alt, valid, tau, rungs, span_lo, span_hi,
    speed, alt_lo, alt_hi, t_max, commit, assumed_t0,
    cue_geom, cue_slant, cue_elev, cue_range, cue_min_elev, cue_firm, cue_allowed,
    assessment, inventory,
    feasible, code, first, last, first_alt, first_launch, last_launch, shots,
):  # fmt: skip
    """The engagement rule for sample ``s`` (``sampled_windows``), written once: the loop
    body of the CPU kernel (``prange`` over samples) and of the CUDA kernel (a thread a
    sample, ``sampled_cuda``). Scalars and array elements only: no allocation."""
    n_rungs = rungs.shape[0]
    n_cues = cue_geom.shape[0]
    r = row_of_sample[s]
    v = speed[s]
    i = 0
    while i < n_rungs - 2 and v > rungs[i + 1]:
        i += 1
    w = 0.0
    if n_rungs > 1:
        w = (v - rungs[i]) / (rungs[i + 1] - rungs[i])
        if w <= 0.0:
            w = 0.0
        elif w >= 1.0:  # at or beyond the top rung: the top rung's table
            i += 1
            w = 0.0
    seen_bits = 0
    n_feasible = 0
    ready = -math.inf
    n_shots = 0
    first[s] = math.nan
    last[s] = math.nan
    first_alt[s] = math.nan
    first_launch[s] = math.nan
    last_launch[s] = math.nan
    for k in range(span_lo[r], span_hi[r]):
        if not valid[r, k]:
            continue
        ta = tau[r, i, k]
        if w == 0.0:
            tk = ta
        else:
            tb = tau[r, i + 1, k]
            tk = ta + (tb - ta) * w if (math.isfinite(ta) and math.isfinite(tb)) else math.inf
        h = alt[r, k]
        bits, launch = window_test(t[k], tk, h, alt_lo[s], alt_hi[s], t_max[s], commit[s])
        seen_bits |= bits
        if not bits & IN_TIME:
            continue
        seen = assumed_t0[s] <= t[k]  # False for nan (no assumed cue)
        c = 0
        while not seen and c < n_cues:
            if (
                cue_allowed[c]
                and math.isfinite(cue_firm[c, s])
                and cue_geom[c, r, k]
                and cue_slant[c, r, k] <= cue_range[c, s]
                and cue_elev[c, r, k] >= cue_min_elev[c, s]
            ):
                seen = True
            c += 1
        if not seen:
            continue
        if n_feasible == 0:
            first[s] = t[k]
            first_alt[s] = h
            first_launch[s] = launch
            last_launch[s] = launch
        n_feasible += 1
        last[s] = t[k]
        if launch > last_launch[s]:
            last_launch[s] = launch
        n_shots, ready = next_shot(t[k], launch, n_shots, ready, inventory[s], assessment[s])
    feasible[s] = n_feasible > 0
    shots[s] = n_shots
    code[s] = failure_reason(seen_bits, n_feasible)


@njit(parallel=True, cache=True)
def _windows_kernel(
    t, row_of_sample, alt, valid, tau, rungs, span_lo, span_hi,
    speed, alt_lo, alt_hi, t_max, commit, assumed_t0,
    cue_geom, cue_slant, cue_elev, cue_range, cue_min_elev, cue_firm, cue_allowed,
    assessment, inventory,
    feasible, code, first, last, first_alt, first_launch, last_launch, shots,
):  # fmt: skip
    for s in prange(row_of_sample.shape[0]):  # samples are independent: all cores
        window_sample(
            s, t, row_of_sample, alt, valid, tau, rungs, span_lo, span_hi,
            speed, alt_lo, alt_hi, t_max, commit, assumed_t0,
            cue_geom, cue_slant, cue_elev, cue_range, cue_min_elev, cue_firm, cue_allowed,
            assessment, inventory,
            feasible, code, first, last, first_alt, first_launch, last_launch, shots,
        )  # fmt: skip


def sampled_windows(
    t_s,
    row_of_sample,
    alt_m,
    valid,
    tau_s,
    rung_speeds_m_s,
    speed_m_s,
    *,
    alt_lo_m,
    alt_hi_m,
    max_flight_time_s,
    commit_s,
    assumed_t0_s,
    cue_geom,
    cue_slant_m,
    cue_elev_rad,
    cue_range_m,
    cue_min_elev_rad,
    cue_firm_s,
    cue_allowed,
    assessment_delay_s,
    inventory,
    span=None,
    backend="cpu",
) -> dict:
    """Intercept windows of one battery against one threat for S samples (module doc).

    Track rows (R): ``alt_m``, ``valid`` (R, T); ``tau_s`` (R, M, T) unwindowed times of
    flight on the rungs ``rung_speeds_m_s`` (M,) ascending. Per sample (S,): ``speed_m_s``,
    the altitude window, ``max_flight_time_s``, ``commit_s`` (inf: never), ``assumed_t0_s``
    (an assumed track from then on; nan: none), ``assessment_delay_s``, ``inventory``.
    Radars (C): ``cue_geom``, ``cue_slant_m``, ``cue_elev_rad`` (C, R, T); ``cue_range_m``,
    ``cue_min_elev_rad``, ``cue_firm_s`` (C, S); ``cue_allowed`` (C,): may the radar
    support this battery's intercept (engage on remote, or its own radar).

    ``backend``: 'cpu' (``prange`` over samples, all cores) or 'cuda' (a GPU thread a
    sample, ``sampled_cuda``); both run ``window_sample``, the one loop body.

    Returns arrays (S,): feasible, code (``rules.REASON_NAMES`` index), first/last intercept
    time, altitude at the first, first/last launch time, shots."""
    n = len(row_of_sample)
    tau = np.ascontiguousarray(tau_s, dtype=np.float64)
    if span is None:
        span = ladder_spans(np.isfinite(tau) & np.asarray(valid, bool)[:, None, :])
    out = {
        "feasible": np.zeros(n, np.bool_),
        "code": np.zeros(n, np.int8),
        "first_intercept_s": np.empty(n),
        "last_intercept_s": np.empty(n),
        "first_intercept_alt_m": np.empty(n),
        "first_launch_s": np.empty(n),
        "last_launch_s": np.empty(n),
        "shots": np.zeros(n, np.int64),
    }

    def f64(x, shape=None):
        a = np.asarray(x, dtype=np.float64)
        if shape is not None:
            a = np.broadcast_to(a, shape)
        return np.ascontiguousarray(a)

    n_cues = len(cue_allowed)
    _launch(
        "windows",
        backend,
        f64(t_s),
        np.ascontiguousarray(row_of_sample, dtype=np.int64),
        f64(alt_m),
        np.ascontiguousarray(valid, dtype=np.bool_),
        tau,
        f64(rung_speeds_m_s),
        span[0],
        span[1],
        f64(speed_m_s, (n,)),
        f64(alt_lo_m, (n,)),
        f64(alt_hi_m, (n,)),
        f64(max_flight_time_s, (n,)),
        f64(commit_s, (n,)),
        f64(assumed_t0_s, (n,)),
        np.ascontiguousarray(cue_geom, dtype=np.bool_).reshape(n_cues, *np.shape(alt_m)),
        f64(cue_slant_m).reshape(n_cues, *np.shape(alt_m)),
        f64(cue_elev_rad).reshape(n_cues, *np.shape(alt_m)),
        f64(cue_range_m).reshape(n_cues, n),
        f64(cue_min_elev_rad).reshape(n_cues, n),
        f64(cue_firm_s).reshape(n_cues, n),
        np.ascontiguousarray(cue_allowed, dtype=np.bool_),
        f64(assessment_delay_s, (n,)),
        np.ascontiguousarray(np.broadcast_to(np.asarray(inventory, np.int64), (n,))),
        out["feasible"],
        out["code"],
        out["first_intercept_s"],
        out["last_intercept_s"],
        out["first_intercept_alt_m"],
        out["first_launch_s"],
        out["last_launch_s"],
        out["shots"],
    )
    return out


def _launch(name, backend, *args):
    """Run kernel ``name`` (``KERNEL_OUTPUTS``) over its samples on ``backend``: the CPU
    kernel here, or the CUDA kernel of ``sampled_cuda`` (same arguments, same outputs,
    written in place)."""
    if backend == "cuda":
        from bmdsim.defence import sampled_cuda

        sampled_cuda.launch(name, args, KERNEL_OUTPUTS[name])
    elif backend in ("cpu", "reference"):  # the reference backend flies; the rule is one
        {"firm_track": _firm_track_kernel, "windows": _windows_kernel}[name](*args)
    else:
        raise ValueError(f"unknown backend {backend!r} for the sampled engagement rule")
