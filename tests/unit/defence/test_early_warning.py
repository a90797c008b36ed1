"""Space-based early warning: a boosting missile is reported a stated delay after launch,
only if it still burns then."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from bmdsim.defence.early_warning import (
    burnout_time_from_mask_s,
    satellite_detection_time_s,
    satellite_detection_times_s,
    trajectory_detection_time_s,
)
from bmdsim.errors import InputError


def test_detected_after_the_delay_while_burning():
    # ICBM-like 180 s burn, 60 s delay: reported at 60 s; plus 10 s relay: 70 s
    assert satellite_detection_time_s(180.0, 60.0) == 60.0
    assert satellite_detection_time_s(180.0, 60.0, report_latency_s=10.0) == 70.0
    # a launch at t = 100 s burning out at 280 s
    assert satellite_detection_time_s(280.0, 60.0, launch_time_s=100.0) == 160.0
    # the boundary counts: still burning at the instant the delay ends
    assert satellite_detection_time_s(60.0, 60.0) == 60.0


def test_never_detected_when_burnout_comes_first():
    # a short-burn missile (e.g. 25 s) outruns a 60 s delay: never reported
    assert satellite_detection_time_s(25.0, 60.0) is None
    assert satellite_detection_time_s(25.0, 60.0, report_latency_s=5.0) is None


def test_array_form_marks_never_with_nan():
    out = satellite_detection_times_s(np.array([25.0, 60.0, 180.0]), 60.0, report_latency_s=2.0)
    assert math.isnan(out[0])
    np.testing.assert_array_equal(out[1:], [62.0, 62.0])


def test_burnout_from_a_thrust_series_and_a_trajectory():
    t = np.arange(0.0, 10.0)
    assert burnout_time_from_mask_s(t, t < 6.5) == 6.0
    assert burnout_time_from_mask_s(t, np.zeros(10, bool)) is None
    traj = SimpleNamespace(t_s=np.array([5.0, 6.0]), burnout=SimpleNamespace(time_s=200.0))
    assert trajectory_detection_time_s(traj, 45.0) == 50.0
    assert trajectory_detection_time_s(traj, 196.0) is None


def test_bad_input():
    with pytest.raises(InputError, match=">= 0 s"):
        satellite_detection_time_s(100.0, -1.0)
    with pytest.raises(InputError, match="one shape"):
        burnout_time_from_mask_s(np.arange(3.0), np.ones(4, bool))
