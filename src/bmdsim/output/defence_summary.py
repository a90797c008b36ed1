"""Machine-readable summaries of missile-defence results: field names are a stable API.

Same conventions as ``summary``: distances and altitudes in km to 0.1, times in s to
0.1, speeds in km/s to 0.001, angles in degrees to 0.01, latitudes and longitudes to 5
decimals; plain Python values, ``None`` (JSON ``null``) for anything missing or not
finite. Times are seconds after the threat's launch. See docs/outputs.md.
"""

from __future__ import annotations

import math

import numpy as np

from bmdsim.output.summary import _km, _latlon, _r

__all__ = ["engagement_summary", "flyout_summary", "default_times"]


def default_times(max_flight_time_s: float, *, most: int = 6) -> list[float]:
    """Envelope times: multiples of the smallest of 30, 60, 120, 180, 300, 600, 1200 s
    that gives at most ``most`` of them up to ``max_flight_time_s`` (that time alone
    when it is shorter than the step)."""
    t_max = float(max_flight_time_s)
    if not (math.isfinite(t_max) and t_max > 0):
        return []
    for step in (30.0, 60.0, 120.0, 180.0, 300.0, 600.0, 1200.0, 3600.0):
        if t_max / step <= most:
            break
    times = list(np.arange(step, t_max + 1e-6, step))
    return [float(t) for t in times] or [t_max]


def _kms(x_m_s):
    return None if x_m_s is None else _r(float(x_m_s) / 1e3, 3)


def _window(w) -> dict:
    return {
        "site": str(w.site_id),
        "interceptor": str(w.interceptor_id),
        "feasible": bool(w.feasible),
        "reason": None if w.reason is None else str(w.reason),
        "reason_text": w.reason_text,
        "earliest_launch_s": _r(w.earliest_launch_s, 1),
        "first_launch_s": _r(w.first_launch_s, 1),
        "last_launch_s": _r(w.last_launch_s, 1),
        "first_intercept_s": _r(w.first_intercept_s, 1),
        "last_intercept_s": _r(w.last_intercept_s, 1),
        "first_altitude_km": _km(w.first_altitude_m),
        "last_altitude_km": _km(w.last_altitude_m),
        "first_ground_range_km": _km(w.first_ground_range_m),
        "last_ground_range_km": _km(w.last_ground_range_m),
        "closing_speed_kms": _kms(w.closing_speed_m_s),
        "crossing_angle_deg": _r(w.crossing_angle_deg, 2),
        "shots": int(w.shots),
        "shot_times_s": [_r(s, 1) for s in w.shot_times_s],
        "min_burnout_speed_kms": _kms(w.min_burnout_speed_m_s),
    }


def engagement_summary(eng) -> dict:
    """Stable summary of an ``Engagement``.

    Fields: ``threat{label, flight_time_s, burnout_time_s, impact_time_s}``,
    ``sensors[{name, site, first_detection_s, firm_track_s}]``,
    ``doctrine{decision_delay_s, assessment_delay_s, launch_on_remote,
    engage_on_remote}``, ``windows[{site, interceptor, feasible, reason, reason_text,
    earliest_launch_s, first_launch_s, last_launch_s, first_intercept_s,
    last_intercept_s, first_altitude_km, last_altitude_km, first_ground_range_km,
    last_ground_range_km, closing_speed_kms, crossing_angle_deg, shots, shot_times_s,
    min_burnout_speed_kms}]`` (one per battery, in the engagement's order).
    """
    tr = eng.threat
    t0 = float(np.asarray(tr.t_s, float)[0]) if len(tr.t_s) else 0.0
    d = eng.doctrine
    return {
        "threat": {
            "label": str(tr.label),
            "flight_time_s": _r(float(tr.impact_time_s) - t0, 1),
            "burnout_time_s": _r(tr.burnout_time_s, 1),
            "impact_time_s": _r(tr.impact_time_s, 1),
        },
        "sensors": [
            {
                "name": str(c.name),
                "site": str(c.site_id),
                "first_detection_s": _r(c.first_detection_s, 1),
                "firm_track_s": _r(c.firm_track_s, 1),
            }
            for c in eng.cues
        ],
        "doctrine": {
            "decision_delay_s": _r(d.decision_delay_s, 1),
            "assessment_delay_s": _r(d.assessment_delay_s, 1),
            "launch_on_remote": bool(d.launch_on_remote),
            "engage_on_remote": bool(d.engage_on_remote),
        },
        "windows": [_window(w) for w in eng.windows],
    }


def flyout_summary(table, *, times_s=None) -> dict:
    """Stable summary of a ``FlyoutTable``.

    Fields: ``interceptor`` (the vehicle id), ``site{lat, lon}``, ``azimuth_deg``,
    ``altitude_window_km{min, max}`` (``max`` null when unbounded),
    ``max_flight_time_s``, ``burnout_speed_kms`` (mean over the fan, relative to the
    Earth), ``reach_km_at[{time_s, max_ground_range_km, max_altitude_km}]``: the
    farthest ground range and the highest altitude inside the altitude window
    reachable within ``time_s`` (both null when nothing in the window is reachable
    yet), at ``times_s`` (default ``default_times``: multiples of 30, 60,
    120 ... s, at most six, up to the maximum flight time).
    """
    if times_s is None:
        times_s = default_times(table.max_flight_time_s)
    speeds = np.asarray(table.burnout_speed_m_s, float)
    speeds = speeds[np.isfinite(speeds) & (speeds > 0)]
    reach = []
    for ts in times_s:
        d, h = table.reach_at(float(ts))
        d, h = np.asarray(d, float), np.asarray(h, float)
        any_ = d.size > 0
        reach.append(
            {
                "time_s": _r(ts, 1),
                "max_ground_range_km": _km(d.max()) if any_ else None,
                "max_altitude_km": _km(h.max()) if any_ else None,
            }
        )
    return {
        "interceptor": str(table.vehicle_id),
        "site": _latlon(table.site_lat_deg, table.site_lon_deg),
        "azimuth_deg": _r(table.azimuth_deg, 2),
        "altitude_window_km": {"min": _km(table.min_altitude_m), "max": _km(table.max_altitude_m)},
        "max_flight_time_s": _r(table.max_flight_time_s, 1),
        "burnout_speed_kms": _kms(speeds.mean()) if speeds.size else None,
        "reach_km_at": reach,
    }
