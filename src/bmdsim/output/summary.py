"""The machine-readable summaries behind ``--json``: field names here are a stable API.

Rounding: distances and altitudes in km to 0.1, times in s to 0.1, speeds in km/s to
0.001, azimuths and angles in degrees to 0.01, latitudes and longitudes to 5 decimals
(about 1 m). Values are plain Python floats, ints, bools, strings or None (JSON
``null`` for anything missing or not finite), so ``json.dumps`` works without a custom
encoder. Engagement times are seconds after the threat's launch. See docs/outputs.md.

Flights: ``trajectory_summary``, ``footprint_summary``, ``coast_summary``. Missile
defence: ``engagement_summary``, ``flyout_summary``, ``coverage_summary``,
``defended_summary``, ``effectiveness_summary``.
The Europe study: ``study_summary``. Tables of any kind (a results-store query):
``json_value``, ``json_records``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from decimal import Decimal

import numpy as np

from bmdsim.output.geojson import footprint_geojson

__all__ = [
    "coast_summary",
    "coverage_summary",
    "default_times",
    "defended_summary",
    "effectiveness_summary",
    "engagement_summary",
    "flyout_summary",
    "footprint_summary",
    "json_records",
    "json_value",
    "study_summary",
    "trajectory_summary",
]


def _r(x, nd: int):
    if x is None:
        return None
    x = float(x)
    return round(x, nd) if math.isfinite(x) else None


def _km(x_m):
    return None if x_m is None else _r(float(x_m) / 1e3, 1)


def _latlon(lat_deg, lon_deg):
    if lat_deg is None or lon_deg is None:
        return None
    lon = (float(lon_deg) + 180.0) % 360.0 - 180.0
    return {"lat": _r(lat_deg, 5), "lon": _r(lon, 5)}


def trajectory_summary(traj) -> dict:
    """Stable summary of one flight.

    Fields: ``missile, shape, launch{lat, lon}, target{lat, lon}|null, range_km,
    apogee_km, flight_time_s, burnout{time_s, altitude_km, speed_kms,
    flight_path_angle_deg}, impact{lat, lon}, miss_km|null``.
    """
    bo = traj.burnout
    return {
        "missile": str(traj.missile_id),
        "shape": str(traj.shape),
        "launch": _latlon(traj.launch_lat_deg, traj.launch_lon_deg),
        "target": _latlon(traj.target_lat_deg, traj.target_lon_deg),
        "range_km": _km(traj.range_m),
        "apogee_km": _km(traj.apogee_alt_m),
        "flight_time_s": _r(traj.flight_time_s, 1),
        "burnout": {
            "time_s": _r(bo.time_s, 1),
            "altitude_km": _km(bo.altitude_m),
            "speed_kms": _r(bo.speed_m_s / 1e3, 3),
            "flight_path_angle_deg": _r(math.degrees(bo.flight_path_angle_rad), 2),
        },
        "impact": _latlon(traj.impact_lat_deg, traj.impact_lon_deg),
        "miss_km": _km(traj.miss_m),
    }


def coast_summary(traj) -> dict:
    """Stable summary of a ballistic coast (``bmdsim.coast``), finer than a flight's
    because it is compared with closed forms: ``range_km, flight_time_s, apogee_km`` to
    4 decimals, ``impact{lat, lon}`` to 6."""
    return {
        "range_km": round(traj.range_m / 1e3, 4),
        "flight_time_s": round(traj.flight_time_s, 4),
        "apogee_km": round(traj.apogee_alt_m / 1e3, 4),
        "impact": {"lat": round(traj.impact_lat_deg, 6), "lon": round(traj.impact_lon_deg, 6)},
    }


def footprint_summary(fp) -> dict:
    """Stable summary of a reach analysis.

    Fields: ``missile, launch{lat, lon}, max_range_km{min, max},
    by_azimuth[{azimuth_deg, range_km}]`` (sorted by azimuth),
    ``sites_in_reach[{id, range_km, flight_time_s}]`` and
    ``sites_out_of_reach[{id, range_km, max_range_km}]`` (``range_km`` is the site's
    geodesic distance from the launch point; both lists sorted by it), and
    ``footprint`` (the GeoJSON FeatureCollection of ``footprint_geojson``).
    """
    az = np.asarray(fp.azimuth_deg, dtype=float) % 360.0
    order = np.argsort(az, kind="stable")
    rng = np.asarray(fp.range_m, dtype=float)
    sites = sorted(fp.sites, key=lambda s: s.distance_m)
    return {
        "missile": str(fp.missile_id),
        "launch": _latlon(fp.launch_lat_deg, fp.launch_lon_deg),
        "max_range_km": {"min": _km(fp.max_range_min_m), "max": _km(fp.max_range_max_m)},
        "by_azimuth": [{"azimuth_deg": _r(az[i], 2), "range_km": _km(rng[i])} for i in order],
        "sites_in_reach": [
            {
                "id": str(s.id),
                "range_km": _km(s.distance_m),
                "flight_time_s": _r(s.flight_time_s, 1),
            }
            for s in sites
            if s.in_reach
        ],
        "sites_out_of_reach": [
            {"id": str(s.id), "range_km": _km(s.distance_m), "max_range_km": _km(s.max_range_m)}
            for s in sites
            if not s.in_reach
        ],
        "footprint": footprint_geojson(fp),
    }


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
    ``notional``: the batteries (``site:interceptor``) that are notional, never deployed
    as modelled (a notional interceptor or deployment, or a what-if battery).
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
        "notional": [
            f"{b.site_id}:{b.interceptor_id}"
            for b in (eng.batteries or ())
            if getattr(b, "notional", False)
        ],
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


def coverage_summary(coverage) -> dict:
    """Stable summary of an air-defence coverage (``bmdsim.coverage``'s Coverage).

    Fields: ``site{id, lat, lon}``, ``interceptor``, ``radar``,
    ``rings[{target_altitude_km, radius_km, limited_by, radar_horizon_km,
    radar_range_km, interceptor_reach_km}]`` (one per target altitude, in its order;
    altitudes to 1 m, radii to 0.1 km).
    """
    place = coverage.place
    return {
        "site": {"id": place.id, "lat": round(place.lat_deg, 5), "lon": round(place.lon_deg, 5)},
        "interceptor": coverage.interceptor_id,
        "radar": coverage.radar_id,
        "rings": [
            {
                "target_altitude_km": round(r.target_altitude_m / 1e3, 3),
                "radius_km": round(r.radius_m / 1e3, 1),
                "limited_by": r.limited_by,
                "radar_horizon_km": round(r.horizon_m / 1e3, 1),
                "radar_range_km": round(r.radar_range_m / 1e3, 1),
                "interceptor_reach_km": round(r.interceptor_reach_m / 1e3, 1),
            }
            for r in coverage.rings
        ],
    }


def defended_summary(footprint, *, threat) -> dict:
    """Stable summary of a defended footprint (``bmdsim.defended_footprint``'s
    DefendedFootprint).

    Fields: ``site{id, lat, lon}``, ``interceptor``, ``threat`` (as the user named it),
    ``launch{lat, lon}`` (the threat's launch point), ``points[{lat, lon, defended, reason,
    first_intercept_s}]`` (one per aim point, in the analysis' order).
    """
    place, launch = footprint.place, footprint.launch
    interceptor_id, points = footprint.interceptor_id, footprint.points
    return {
        "site": {"id": place.id, "lat": round(place.lat_deg, 5), "lon": round(place.lon_deg, 5)},
        "interceptor": interceptor_id,
        "threat": threat,
        "launch": {"lat": round(launch.lat_deg, 5), "lon": round(launch.lon_deg, 5)},
        "points": [
            {
                "lat": round(p.lat_deg, 5),
                "lon": round(p.lon_deg, 5),
                "defended": p.defended,
                "reason": p.reason,
                "first_intercept_s": None
                if p.first_intercept_s is None
                else round(p.first_intercept_s, 1),
            }
            for p in points
        ],
    }


def effectiveness_summary(outcome, pk: float) -> dict:
    """Stable summary of a raid's outcome (``defence.effectiveness.defence_outcome``):
    its ``to_dict()`` fields at full precision, and ``pk``, the single-shot kill
    probability used."""
    data = {k: (float(v) if isinstance(v, float) else v) for k, v in outcome.to_dict().items()}
    data["pk"] = pk
    return data


def study_summary(result) -> list[dict]:
    """The Europe study's rows (``StudyResult.rows``) as a list of plain dicts, one per
    (base, aim point, site, interceptor), with the ``StudyRow`` field names."""
    return [dataclasses.asdict(r) for r in result.rows]


# -- tables: any cell as plain JSON ----------------------------------------------------------
def _is_missing(v) -> bool:
    import pandas as pd

    if v is None:
        return True
    try:
        missing = pd.isna(v)
    except (TypeError, ValueError):
        return False
    return bool(missing) if isinstance(missing, bool | np.bool_) else False


def json_value(v):
    """A table cell (a DataFrame's, a query's) as a plain JSON value, floats at full
    precision: NaN, NaT, NA and +-inf -> None; numpy scalars and arrays -> Python; dates
    and times -> ISO 8601; durations -> seconds; bytes -> hex; anything else -> str."""
    if isinstance(v, np.ndarray | list | tuple):
        return [json_value(x) for x in (v.tolist() if isinstance(v, np.ndarray) else v)]
    if isinstance(v, dict):
        return {str(k): json_value(x) for k, x in v.items()}
    if _is_missing(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, float | Decimal):
        v = float(v)
        return v if math.isfinite(v) else None
    if isinstance(v, _dt.datetime | _dt.date | _dt.time):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        return v.total_seconds()
    if isinstance(v, bytes):
        return v.hex()
    return str(v)


def json_records(df) -> list[dict]:
    """A DataFrame's rows as JSON records ``[{column: json_value(cell)}]``."""
    cols = [str(c) for c in df.columns]
    return [
        {c: json_value(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]
