"""The engagement rule, written once: can a battery intercept a threat at a sample, why not,
when does it fire, and when does a sensor hold a firm track.

A threat sample at time t, at altitude h, with interceptor time of flight tau (from the
battery's flyout table, ``defence.flyout``) is an intercept opportunity when

1. tau is finite (the point is in the flyout envelope), h lies in the interceptor's
   altitude window [lo, hi] and tau <= its maximum flight time: *reachable*;
2. the launch t - tau is no earlier than the commit time (first firm track by an
   allowed sensor + decision delay): *in time*;
3. an allowed sensor sees the threat at t: *tracked*;
4. t is before the threat's impact (the caller's ``valid`` samples).

When no sample passes, the first constraint that fails for every sample names the
reason, in the order of ``REASON_NAMES``. Shoot-look-shoot: after an intercept at t1 the
next interceptor is launched no earlier than t1 + assessment delay, greedily from the
first opportunity, up to the inventory. Kinematic reasoning of the open literature on
European missile defence (Lewis & Postol 2007-08; Butt & Postol, FAS 2011; Wilkening,
Survival 2012): interceptor speed, cueing and geometry decide, not guidance.

Firm track (``firm_track_step``): consecutive visible samples t_i..t_j count as continuous
visibility; the track is firm at the first t_i + delay that lies inside its own run.

Scalar numba ``register_jitable`` functions on floats, compiled into every engine that
applies the rule: ``defence.engagement.battery_window`` (one threat, one battery),
``defence.matrix.engagement_matrix`` (many threats x batteries), ``defence.sampled``
(many samples of uncertain inputs) and ``defence.radar.track_timeline``. Times in
seconds, altitudes in metres.
"""

from __future__ import annotations

import math

from numba.extending import register_jitable

# Why an engagement fails: codes index REASON_NAMES, the one list that every engine, the
# results store (``scenario.sweep_task``) and the outputs share.
FEASIBLE = 0
OUT_OF_REACH = 1
OUTSIDE_ALTITUDE_WINDOW = 2
TAIL_CHASE = 3
NOT_TRACKED_IN_TIME = 4
NOT_TRACKED_AT_INTERCEPT = 5
THREAT_CANNOT_REACH_TARGET = 6  # a sampled threat that could not be aimed: never engaged

REASONS = {
    "out-of-reach": "the threat never comes within the interceptor's flyout envelope",
    "outside-altitude-window": "the threat is in reach only outside the interceptor's altitude "
    "window (e.g. below an exo-atmospheric kill vehicle's floor)",
    "tail-chase": "even launched at the threat's launch the interceptor arrives too late "
    "(a tail chase)",
    "not-tracked-in-time": "intercepts exist kinematically, but no interceptor can be "
    "launched early enough after detection, firm track and the decision delay",
    "not-tracked-at-intercept": "no allowed sensor sees the threat where it could be intercepted",
    "threat-cannot-reach-target": "the sampled threat missile cannot reach its target, so it "
    "was not flown",
}
REASON_NAMES = (None, *REASONS)  # code -> name; None: feasible

# What one sample passes of the rule (``window_test``), as bits; OR them over samples.
IN_ENVELOPE = 1  # tau finite: the flyout table, without the altitude window, reaches it
REACHABLE = 2  # ... and inside the altitude window and the maximum flight time
LAUNCH_AFTER_THREAT = 4  # reachable, launch t - tau >= 0 (not a tail chase)
IN_TIME = 8  # reachable, launch t - tau >= commit


@register_jitable
def window_test(t_s, tau_s, alt_m, alt_lo_m, alt_hi_m, max_flight_time_s, commit_s):
    """(bits, launch_s) of one sample: which of the rule's tests it passes (module doc;
    ``IN_ENVELOPE``, ``REACHABLE``, ``LAUNCH_AFTER_THREAT``, ``IN_TIME``) and the
    interceptor launch time t - tau. Tracking is the caller's: a sample with ``IN_TIME``
    that is tracked is an intercept opportunity. A flyout that already applies the window
    passes lo = -inf, hi = inf, max flight time inf; commit inf or nan: never."""
    if not math.isfinite(tau_s):
        return 0, -math.inf
    if alt_m < alt_lo_m or alt_m > alt_hi_m or tau_s > max_flight_time_s:
        return IN_ENVELOPE, -math.inf
    launch = t_s - tau_s
    bits = IN_ENVELOPE | REACHABLE
    if launch >= 0.0:
        bits |= LAUNCH_AFTER_THREAT
    if launch >= commit_s:
        bits |= IN_TIME
    return bits, launch


@register_jitable
def failure_reason(bits, n_feasible):
    """Reason code (``FEASIBLE`` .. ``NOT_TRACKED_AT_INTERCEPT``) from the OR of every
    valid sample's ``window_test`` bits and the number of intercept opportunities: the
    first constraint that no sample passes."""
    if n_feasible > 0:
        return FEASIBLE
    if not bits & REACHABLE:
        return OUTSIDE_ALTITUDE_WINDOW if bits & IN_ENVELOPE else OUT_OF_REACH
    if not bits & LAUNCH_AFTER_THREAT:
        return TAIL_CHASE
    if not bits & IN_TIME:
        return NOT_TRACKED_IN_TIME
    return NOT_TRACKED_AT_INTERCEPT


@register_jitable
def next_shot(t_s, launch_s, n_shots, ready_s, inventory, assessment_delay_s):
    """Shoot-look-shoot at an intercept opportunity (t, launch): fire when an interceptor
    is left and the launch is no earlier than ``ready_s`` (the previous intercept + the
    assessment delay; -inf before the first). Returns (n_shots, ready_s), updated if fired."""
    if n_shots < inventory and launch_s >= ready_s:
        return n_shots + 1, t_s + assessment_delay_s
    return n_shots, ready_s


@register_jitable
def firm_track_step(seen, k, t_s, last_k, run_start_s, delay_s):
    """One sample k (time ``t_s``) of the firm-track rule (module doc). ``last_k``: the
    last visible sample before it (-2 if the previous one was not visible), ``run_start_s``
    the start of its run. Returns (last_k, run_start_s, firm_s), firm_s nan until the track
    is firm at this sample."""
    if not seen:
        return -2, run_start_s, math.nan
    if last_k != k - 1:
        run_start_s = t_s
    firm = run_start_s + delay_s
    return k, run_start_s, (firm if firm <= t_s else math.nan)


__all__ = [
    "FEASIBLE",
    "IN_ENVELOPE",
    "IN_TIME",
    "LAUNCH_AFTER_THREAT",
    "NOT_TRACKED_AT_INTERCEPT",
    "NOT_TRACKED_IN_TIME",
    "OUTSIDE_ALTITUDE_WINDOW",
    "OUT_OF_REACH",
    "REACHABLE",
    "REASONS",
    "REASON_NAMES",
    "TAIL_CHASE",
    "THREAT_CANNOT_REACH_TARGET",
    "failure_reason",
    "firm_track_step",
    "next_shot",
    "window_test",
]
