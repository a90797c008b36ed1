"""Space-based early warning: infrared detection of a boosting missile after a stated delay.

Model (generic DSP/SBIRS class, not any one satellite): the sensor sees the hot exhaust
plume, and only while the rocket burns; it declares a launch ``detection_delay_s`` after
lift-off (plume above the cloud tops, scan revisit, the several looks a declaration needs)
provided the missile is still burning then. A missile that burns out first is never
detected: after burnout the cold body is far below a plume detector's threshold. A
``report_latency_s`` (ground processing and relay to the defence) is added after the
declaration and does not need the plume. The satellites are assumed to see the launch
area (no coverage gaps, no Earth-limb geometry). Neither delay is public: the detection
delay is the sensor's catalogue range (``sensors.yaml``) and the report latency the
catalogue's doctrine entry ``early-warning-report-latency`` (0 s, band 0-30 s: the
detection delay already counts processing and reporting), both passed in by the analyses
(``analyses.engage.sensor_cues``); ``report_latency_s`` defaults to 0 (none) here only for
hand-built calls. The US National Research Council's *Making Sense of Ballistic Missile
Defense* (2012) describes the satellites' role. Times in seconds after t = 0 (the first
threat launch).
"""

from __future__ import annotations

import numpy as np

from bmdsim.errors import InputError


def _check_nonnegative(name, value):
    if np.any(np.asarray(value, dtype=np.float64) < 0.0) or np.any(np.isnan(value)):
        raise InputError(
            f"{name} must be >= 0 s (got {value})", field=name, value=value, allowed=">= 0 s"
        )


def satellite_detection_times_s(
    burnout_time_s, detection_delay_s, *, launch_time_s=0.0, report_latency_s=0.0
):
    """Times [s] the early-warning report reaches the defence; NaN where never (arrays).

    t = t_launch + delay + latency if delay <= burnout_time - t_launch, else NaN.
    ``burnout_time_s`` is the end of the last stage's burn (``Trajectory.burnout.time_s``),
    absolute like ``launch_time_s``. Arrays broadcast (a batch of threats).
    """
    _check_nonnegative("detection_delay_s", detection_delay_s)
    _check_nonnegative("report_latency_s", report_latency_s)
    t0 = np.asarray(launch_time_s, dtype=np.float64)
    burn = np.asarray(burnout_time_s, dtype=np.float64) - t0
    delay = np.asarray(detection_delay_s, dtype=np.float64)
    out = np.where(delay <= burn, t0 + delay + report_latency_s, np.nan)
    return out[()] if out.ndim == 0 else out


def satellite_detection_time_s(
    burnout_time_s, detection_delay_s, *, launch_time_s=0.0, report_latency_s=0.0
) -> float | None:
    """Time [s] an early-warning satellite reports a boosting missile, or None if never.

    The scalar form of ``satellite_detection_times_s``: launch + delay + latency when the
    missile still burns at launch + delay (a delay equal to the burn time still detects).
    """
    t = float(
        satellite_detection_times_s(
            burnout_time_s,
            detection_delay_s,
            launch_time_s=launch_time_s,
            report_latency_s=report_latency_s,
        )
    )
    return None if np.isnan(t) else t


def burnout_time_from_mask_s(t_s, thrusting_mask) -> float | None:
    """Last sample time [s] at which ``thrusting_mask`` is true (None if never): the burnout
    time to give ``satellite_detection_time_s`` when only a thrust series is at hand."""
    t = np.asarray(t_s, dtype=np.float64)
    m = np.asarray(thrusting_mask, dtype=bool)
    if t.shape != m.shape:
        raise InputError(
            f"t_s and thrusting_mask must have one shape (got {t.shape}, {m.shape})",
            field="thrusting_mask",
            value=m.shape,
            allowed=str(t.shape),
        )
    idx = np.flatnonzero(m)
    return None if idx.size == 0 else float(t[idx[-1]])


def trajectory_detection_time_s(traj, detection_delay_s, *, report_latency_s=0.0):
    """``satellite_detection_time_s`` for a ``Trajectory``: launch at ``traj.t_s[0]``,
    burnout at ``traj.burnout.time_s``."""
    return satellite_detection_time_s(
        traj.burnout.time_s,
        detection_delay_s,
        launch_time_s=float(traj.t_s[0]),
        report_latency_s=report_latency_s,
    )


__all__ = [
    "burnout_time_from_mask_s",
    "satellite_detection_time_s",
    "satellite_detection_times_s",
    "trajectory_detection_time_s",
]
