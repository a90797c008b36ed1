"""The engagement rule's scalars (defence/rules.py) on cases worked by hand.

Every engine (battery_window, engagement_matrix, sampled_windows, radar.track_timeline)
compiles these functions; here they run both as plain Python and compiled, on the same
cases, and must agree.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit

from bmdsim.defence import rules
from bmdsim.defence.rules import (
    IN_ENVELOPE,
    IN_TIME,
    LAUNCH_AFTER_THREAT,
    REACHABLE,
    REASON_NAMES,
    REASONS,
    failure_reason,
    firm_track_step,
    next_shot,
    window_test,
)

INF = math.inf


def test_reason_codes_index_one_list_in_the_rule_order():
    assert REASON_NAMES[rules.FEASIBLE] is None
    assert REASON_NAMES[1:] == tuple(REASONS)
    order = ["OUT_OF_REACH", "OUTSIDE_ALTITUDE_WINDOW", "TAIL_CHASE", "NOT_TRACKED_IN_TIME",
             "NOT_TRACKED_AT_INTERCEPT", "THREAT_CANNOT_REACH_TARGET"]  # fmt: skip
    for code, name in enumerate(order, start=1):
        assert getattr(rules, name) == code
        assert REASON_NAMES[code] == name.lower().replace("_", "-")
    assert all(REASONS[n] for n in REASON_NAMES[1:])  # every reason has a sentence


@njit
def _window_test(*args):
    return window_test(*args)


# (t, tau, altitude, window lo, hi, max flight time, commit) -> (bits, launch)
WINDOW_CASES = [
    ((300.0, INF, 100e3, 70e3, INF, 600.0, 100.0), (0, -INF)),  # out of the envelope
    ((300.0, 120.0, 50e3, 70e3, INF, 600.0, 100.0), (IN_ENVELOPE, -INF)),  # below the floor
    ((300.0, 620.0, 100e3, 70e3, INF, 600.0, 100.0), (IN_ENVELOPE, -INF)),  # too long a flight
    ((100.0, 120.0, 100e3, 70e3, INF, 600.0, -50.0),  # launch -20 s: a tail chase
     (IN_ENVELOPE | REACHABLE | IN_TIME, -20.0)),
    ((300.0, 120.0, 100e3, 70e3, INF, 600.0, 200.0),  # launch 180 s, commit 200 s: late
     (IN_ENVELOPE | REACHABLE | LAUNCH_AFTER_THREAT, 180.0)),
    ((300.0, 120.0, 100e3, 70e3, INF, 600.0, 180.0),  # launch exactly at commit: in time
     (IN_ENVELOPE | REACHABLE | LAUNCH_AFTER_THREAT | IN_TIME, 180.0)),
    ((300.0, 120.0, 100e3, 70e3, INF, 600.0, math.nan),  # never committed
     (IN_ENVELOPE | REACHABLE | LAUNCH_AFTER_THREAT, 180.0)),
    ((300.0, 120.0, 100e3, -INF, INF, INF, 100.0),  # a flyout that windows itself
     (IN_ENVELOPE | REACHABLE | LAUNCH_AFTER_THREAT | IN_TIME, 180.0)),
]  # fmt: skip


@pytest.mark.parametrize(("args", "want"), WINDOW_CASES)
def test_window_test_by_hand(args, want):
    assert window_test(*args) == want
    assert _window_test(*args) == want


@njit
def _failure_reason(bits, n):
    return failure_reason(bits, n)


def test_failure_reason_names_the_first_constraint_no_sample_passes():
    cases = {
        (0, 0): rules.OUT_OF_REACH,
        (IN_ENVELOPE, 0): rules.OUTSIDE_ALTITUDE_WINDOW,
        (IN_ENVELOPE | REACHABLE, 0): rules.TAIL_CHASE,
        # committed before the threat's launch, yet every reachable sample needs a launch
        # before it: the tail chase is named, as it comes first in the rule
        (IN_ENVELOPE | REACHABLE | IN_TIME, 0): rules.TAIL_CHASE,
        (IN_ENVELOPE | REACHABLE | LAUNCH_AFTER_THREAT, 0): rules.NOT_TRACKED_IN_TIME,
        (IN_ENVELOPE | REACHABLE | LAUNCH_AFTER_THREAT | IN_TIME, 0): (
            rules.NOT_TRACKED_AT_INTERCEPT
        ),
        (IN_ENVELOPE | REACHABLE | LAUNCH_AFTER_THREAT | IN_TIME, 3): rules.FEASIBLE,
    }
    for (bits, n), want in cases.items():
        assert failure_reason(bits, n) == want, (bits, n)
        assert _failure_reason(bits, n) == want, (bits, n)


@njit
def _shots(t, launch, inventory, delay):
    n, ready = 0, -np.inf
    out = np.zeros(len(t), np.bool_)
    for k in range(len(t)):
        before = n
        n, ready = next_shot(t[k], launch[k], n, ready, inventory, delay)
        out[k] = n > before
    return out


def test_shoot_look_shoot_by_hand():
    """Opportunities every 10 s from t = 300 s, each interceptor flying 120 s; assessment
    30 s: a shot at 300 s, the next launch no earlier than 330 s, i.e. the intercept at
    450 s (launch 330 s), then 600 s (launch 480 s); the inventory of 3 ends it."""
    t = np.arange(300.0, 800.0, 10.0)
    launch = t - 120.0
    fired = _shots(t, launch, 3, 30.0)
    assert t[fired].tolist() == [300.0, 450.0, 600.0]
    assert t[_shots(t, launch, 1, 30.0)].tolist() == [300.0]
    assert not _shots(t, launch, 0, 30.0).any()
    # plain Python gives the same
    n, ready, got = 0, -INF, []
    for tk, lk in zip(t, launch, strict=True):
        before = n
        n, ready = next_shot(float(tk), float(lk), n, ready, 3, 30.0)
        if n > before:
            got.append(float(tk))
    assert got == [300.0, 450.0, 600.0]


@njit
def _firm(t, seen, delay):
    last_k, run_start = -2, 0.0
    for k in range(len(t)):
        last_k, run_start, firm = firm_track_step(seen[k], k, t[k], last_k, run_start, delay)
        if not math.isnan(firm):
            return firm
    return math.nan


def test_firm_track_needs_an_unbroken_run_as_long_as_the_delay():
    """Seen at 10-20 s (a gap at 25 s) and from 30 s on; a 10 s track time: the first run
    holds 10 s exactly (firm at 20 s); with 12 s the gap restarts the count (firm at 42 s)."""
    t = np.arange(0.0, 60.0, 5.0)
    seen = (t >= 10.0) & (t != 25.0)
    assert _firm(t, seen, 10.0) == 20.0
    assert _firm(t, seen, 12.0) == 42.0
    assert _firm(t, seen, 0.0) == 10.0
    assert math.isnan(_firm(t, seen, 100.0))
    assert math.isnan(_firm(t, np.zeros(len(t), bool), 0.0))
