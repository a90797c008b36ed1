"""The machine-readable summaries behind ``--json``: field names here are a stable API.

Rounding: distances and altitudes in km to 0.1, times in s to 0.1, speeds in km/s to
0.001, azimuths and angles in degrees to 0.01, latitudes and longitudes to 5 decimals
(about 1 m). Values are plain Python floats, ints, bools, strings or None (JSON
``null`` for anything missing or not finite), so ``json.dumps`` works without a custom
encoder. Engagement times are seconds after the threat's launch. See docs/outputs.md.

Flights: ``trajectory_summary``, ``footprint_summary``, ``coast_summary``,
``kepler_summary``. Missile
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
    "kepler_summary",
    "reach_answer",
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


def _speed_kms(x_m_s, nd):
    return None if x_m_s is None else _r(float(x_m_s) / 1e3, nd)


def _deg(x_rad, nd=2):
    return None if x_rad is None else _r(math.degrees(float(x_rad)), nd)


def _model(traj) -> dict:
    m = traj.model or {}
    return {
        "earth": str(m.get("earth", "wgs84")),
        "rotation": bool(m.get("rotation", True)),
        "drag": bool(m.get("drag", True)),
    }


def _lift(traj):
    lift = traj.lift
    if lift is None:
        return None
    glide = lift.glide_altitude_m
    return {
        "lift_to_drag": _r(lift.lift_to_drag, 3),
        "apogee_cap_km": _km(lift.apogee_cap_m),
        "glide_altitude_km": _km(glide) if math.isfinite(glide) else None,
        "dive_angle_deg": _deg(lift.dive_angle_rad),
        "glide_start": None
        if lift.glide_start_time_s is None
        else {"time_s": _r(lift.glide_start_time_s, 1), "altitude_km": _km(lift.glide_start_alt_m)},
        "dive_start": None
        if lift.dive_time_s is None
        else {
            "time_s": _r(lift.dive_time_s, 1),
            "altitude_km": _km(lift.dive_alt_m),
            "ground_range_km": _km(lift.dive_ground_range_m),
        },
    }


def trajectory_summary(traj) -> dict:
    """Stable summary of one flight.

    Fields: ``missile, shape, launch{lat, lon}, target{lat, lon}|null, range_km,
    apogee_km, flight_time_s, burnout{time_s, altitude_km, speed_kms,
    flight_path_angle_deg}, impact{lat, lon}, miss_km|null, impact_speed_kms,
    impact_angle_deg, model{earth, rotation, drag}, lift|null`` (``lift``: a
    quasi-ballistic flight's ``lift_to_drag, apogee_cap_km, glide_altitude_km|null,
    dive_angle_deg, glide_start{time_s, altitude_km}|null, dive_start{time_s,
    altitude_km, ground_range_km}|null``).
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
        "impact_speed_kms": _speed_kms(traj.end_speed_m_s, 3),
        "impact_angle_deg": _deg(traj.end_flight_path_angle_rad),
        "model": _model(traj),
        "lift": _lift(traj),
    }


def coast_summary(traj) -> dict:
    """Stable summary of a ballistic coast (``bmdsim.coast``), finer than a flight's
    because it is compared with closed forms: ``range_km, flight_time_s, apogee_km`` to
    4 decimals, ``impact{lat, lon}`` to 6 (the end point: impact, or where the flight
    descends through ``end_alt_km``), ``end_alt_km``, ``end_speed_kms`` (relative to the
    ground) and ``end_flight_path_angle_deg`` (negative descending) to 4 decimals."""
    return {
        "range_km": round(traj.range_m / 1e3, 4),
        "flight_time_s": round(traj.flight_time_s, 4),
        "apogee_km": round(traj.apogee_alt_m / 1e3, 4),
        "impact": {"lat": round(traj.impact_lat_deg, 6), "lon": round(traj.impact_lon_deg, 6)},
        "end_alt_km": round(traj.end_alt_m / 1e3, 4),
        "end_speed_kms": _speed_kms(traj.end_speed_m_s, 4),
        "end_flight_path_angle_deg": _deg(traj.end_flight_path_angle_rad, 4),
    }


def kepler_summary(arc) -> dict:
    """Stable summary of a vacuum free-flight arc (``flight.kepler.KeplerArc``) on a
    non-rotating sphere: ``kind, range_km, range_angle_deg, burnout_alt_km, speed_kms,
    flight_path_angle_deg, apogee_km, flight_time_s, q, semi_major_axis_km,
    eccentricity, earth_radius_km``; lengths and times to 4 decimals, speeds to 6,
    angles to 4, ``q`` and ``eccentricity`` to 8."""
    return {
        "kind": str(arc.kind),
        "range_km": _r(arc.range_m / 1e3, 4),
        "range_angle_deg": _deg(arc.range_angle_rad, 4),
        "burnout_alt_km": _r(arc.burnout_alt_m / 1e3, 4),
        "speed_kms": _r(arc.speed_m_s / 1e3, 6),
        "flight_path_angle_deg": _deg(arc.flight_path_angle_rad, 4),
        "apogee_km": _r(arc.apogee_alt_m / 1e3, 4),
        "flight_time_s": _r(arc.flight_time_s, 4),
        "q": _r(arc.q, 8),
        "semi_major_axis_km": _r(arc.semi_major_axis_m / 1e3, 4),
        "eccentricity": _r(arc.eccentricity, 8),
        "earth_radius_km": _r(arc.earth_radius_m / 1e3, 4),
    }


def reach_answer(fp) -> str:
    """One sentence: how many sites are in reach, uncertain and out, naming the first."""
    parts = []
    nearest_first = sorted(fp.sites, key=lambda s: s.distance_m)
    for verdict, words in (("in", "in reach"), ("uncertain", "uncertain"), ("out", "out of reach")):
        names = [(s.name or s.id).split(" (", 1)[0] for s in nearest_first if s.verdict == verdict]
        if not names:
            continue
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        parts.append(f"{len(names)} {words} ({shown})")
    who = (getattr(fp, "missile_name", "") or str(fp.missile_id)).split(" (", 1)[0]
    return f"{who}: " + ("; ".join(parts) if parts else "no sites tested")


def footprint_summary(fp) -> dict:
    """Stable summary of a reach analysis.

    Fields: ``missile, answer`` (one sentence), ``launch{lat, lon},
    max_range_km{min, max}`` (the central footprint), ``band{basis, text,
    low_km{min, max}, high_km{min, max}}`` (null without a band),
    ``by_azimuth[{azimuth_deg, range_km[, range_low_km, range_high_km]}]`` (sorted by
    azimuth; the band's rings on the same azimuths), ``sites[{id, name, distance_km,
    azimuth_deg, verdict, range_km{low, central, high}, flight_time_s, why}]``
    (``verdict`` 'in', 'uncertain' or 'out'; ``range_km`` the rings' ranges on the
    site's bearing), and by verdict ``sites_in_reach[{id, range_km, flight_time_s}]``,
    ``sites_uncertain[{id, range_km, range_low_km, range_high_km, flight_time_s}]``,
    ``sites_out_of_reach[{id, range_km, max_range_km}]`` (in these three lists
    ``range_km`` is the site's geodesic distance from the launch point, as before the
    band; sorted by it), and ``footprint`` (the GeoJSON of ``footprint_geojson``).
    """
    az = np.asarray(fp.azimuth_deg, dtype=float) % 360.0
    order = np.argsort(az, kind="stable")
    rng = np.asarray(fp.range_m, dtype=float)
    sites = sorted(fp.sites, key=lambda s: s.distance_m)
    name = (getattr(fp, "missile_name", "") or str(fp.missile_id)).split(" (", 1)[0]
    band = fp.band
    by_azimuth = [{"azimuth_deg": _r(az[i], 2), "range_km": _km(rng[i])} for i in order]
    band_out = None
    if band is not None:
        low = band.low.range_toward_m(az)
        high = band.high.range_toward_m(az)
        for row, i in zip(by_azimuth, order, strict=True):
            row["range_low_km"] = _km(min(low[i], rng[i]))
            row["range_high_km"] = _km(max(high[i], rng[i]))
        band_out = {
            "basis": band.basis,
            "text": band.text,
            "low_km": {"min": _km(np.min(band.low.range_m)), "max": _km(np.max(band.low.range_m))},
            "high_km": {
                "min": _km(np.min(band.high.range_m)),
                "max": _km(np.max(band.high.range_m)),
            },
        }
    return {
        "missile": str(fp.missile_id),
        "answer": reach_answer(fp),
        "launch": _latlon(fp.launch_lat_deg, fp.launch_lon_deg),
        "max_range_km": {"min": _km(fp.max_range_min_m), "max": _km(fp.max_range_max_m)},
        "band": band_out,
        "by_azimuth": by_azimuth,
        "sites": [
            {
                "id": str(s.id),
                "name": str(s.name),
                "distance_km": _km(s.distance_m),
                "azimuth_deg": _r(s.azimuth_deg, 2),
                "verdict": s.verdict,
                "range_km": {
                    "low": _km(s.range_low_m),
                    "central": _km(s.max_range_m),
                    "high": _km(s.range_high_m),
                },
                "flight_time_s": _r(s.flight_time_s, 1),
                "why": s.why(name),
            }
            for s in sites
        ],
        "sites_in_reach": [
            {
                "id": str(s.id),
                "range_km": _km(s.distance_m),
                "flight_time_s": _r(s.flight_time_s, 1),
            }
            for s in sites
            if s.verdict == "in"
        ],
        "sites_uncertain": [
            {
                "id": str(s.id),
                "range_km": _km(s.distance_m),
                "range_low_km": _km(s.range_low_m),
                "range_high_km": _km(s.range_high_m),
                "flight_time_s": _r(s.flight_time_s, 1),
            }
            for s in sites
            if s.verdict == "uncertain"
        ],
        "sites_out_of_reach": [
            {"id": str(s.id), "range_km": _km(s.distance_m), "max_range_km": _km(s.max_range_m)}
            for s in sites
            if s.verdict == "out"
        ],
        "footprint": footprint_geojson(fp),
    }


def carrier_summary(result) -> dict:
    """Stable summary of a cruise or carrier reach (``bmdsim.cruise_reach``): the
    footprint's summary (:func:`footprint_summary`) plus ``carrier{carrier, weapon,
    flown, combat_radius_km{low, value, high}, weapon_range_km{low, value, high},
    range_km{low, value, high}, aircraft_speed_kmh, notes}`` and ``legs[{id,
    distance_km, aircraft_km, aircraft_time_s, weapon_km, weapon_time_s,
    total_time_s}]`` (times null where the site is beyond the central reach)."""
    out = footprint_summary(result.footprint)
    trio = ("low", "value", "high")
    speed = result.aircraft_speed_m_s
    out["carrier"] = {
        "carrier": result.carrier_id,
        "weapon": result.weapon_id,
        "flown": bool(result.flown),
        "combat_radius_km": dict(zip(trio, (_km(x) for x in result.radius_m), strict=True)),
        "weapon_range_km": dict(
            zip(trio, (_km(x) for x in result.weapon_range_m), strict=True)
        ),
        "range_km": dict(zip(trio, (_km(x) for x in result.range_m), strict=True)),
        "aircraft_speed_kmh": None if speed is None else _r(speed * 3.6, 1),
        "notes": list(result.notes),
    }
    out["legs"] = [
        {
            "id": leg.id,
            "distance_km": _km(leg.distance_m),
            "aircraft_km": _km(leg.aircraft_m),
            "aircraft_time_s": _r(leg.aircraft_time_s, 1),
            "weapon_km": _km(leg.weapon_m),
            "weapon_time_s": _r(leg.weapon_time_s, 1),
            "total_time_s": _r(leg.total_time_s, 1),
        }
        for leg in sorted(result.legs, key=lambda leg: leg.distance_m)
    ]
    return out


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
        "min_burnout_speed_above_kms": _kms(getattr(w, "min_burnout_speed_above_m_s", None)),
        "min_burnout_speed_note": getattr(w, "min_burnout_speed_note", None),
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
    min_burnout_speed_kms, min_burnout_speed_above_kms, min_burnout_speed_note}]`` (one
    per battery, in the engagement's order). ``min_burnout_speed_kms``: the slowest
    burnout speed of the battery's interceptor (same rocket, burn time and cueing) that
    intercepts; null with ``min_burnout_speed_above_kms`` (the search's top) when no
    speed up to it does; null with both null when the threat is never tracked (no speed
    helps) or the search was not run; ``min_burnout_speed_note`` says which, and why.
    ``notional``: the batteries (``site:interceptor``) that are notional, never deployed
    as modelled (a notional interceptor or deployment, or a what-if battery).
    ``threat.cruise``: true for a cruise missile (flown along its route; no burnout in
    the ballistic sense: ``burnout_time_s`` is when its fuel ran out, or its arrival).
    ``notes``: what decided the answer, in words (for a cruise missile: its profile,
    where each radar first saw it against its horizon, the flyout model).
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
            "cruise": getattr(eng.trajectory, "shape", None) == "cruise",
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
        "notes": [str(n) for n in eng.notes],
    }


# launch elevations tabulated by ``flyout_summary`` (with the best one and any asked for)
BURNOUT_ELEVATIONS_DEG = (15.0, 30.0, 45.0, 60.0, 75.0, 89.0)


def flyout_summary(table, *, times_s=None, elevation_deg=None) -> dict:
    """Stable summary of a ``FlyoutTable``.

    Fields: ``interceptor`` (the vehicle id), ``site{lat, lon}``, ``azimuth_deg``,
    ``altitude_window_km{min, max}`` (``max`` null when unbounded),
    ``max_flight_time_s``, ``max_ground_range_km`` (the catalogue's range cap; null
    when none), ``burnout_speed_kms`` (relative to the Earth: at launch elevation
    ``elevation_deg`` when given, else on the best flyout of the fan, the reference of
    the catalogue's figure), ``elevation_deg`` (the one asked for, or null),
    ``reference_elevation_deg`` (the best flyout's), ``burnout_speed_by_elevation[{
    elevation_deg, burnout_speed_kms, burnout_time_s}]`` (at 15, 30, 45, 60, 75 and 89
    deg, the best and the asked elevation, where the fan has them; a flight that ends
    before burnout has speed 0 and time null), ``rocket`` (the rocket flown, SI:
    ``launch_mass_kg, kill_vehicle_mass_kg, stages[{gross_mass_kg, propellant_mass_kg,
    burn_time_s, thrust_vac_n}], propellant_fraction, isp_vac_s, thrust_scale,
    liftoff_thrust_to_weight, peak_acceleration_g, vertical_rise_s, borrows_from``; null
    for a bare vehicle), ``reach_km_at[{time_s, max_ground_range_km, max_altitude_km}]``:
    the farthest ground range and the highest altitude inside the altitude window
    reachable within ``time_s`` (both null when nothing in the window is reachable yet),
    at ``times_s`` (default ``default_times``: multiples of 30, 60, 120 ... s, at most
    six, up to the maximum flight time).
    """
    if times_s is None:
        times_s = default_times(table.max_flight_time_s)
    fan = np.asarray(table.launch_elevations_deg, float)
    speeds = np.nan_to_num(np.asarray(table.burnout_speed_m_s, float), nan=0.0)
    t_bo = np.asarray(table.burnout_time_s, float)
    best = int(np.argmax(speeds)) if speeds.size else None

    def at(e):
        k = int(np.argmin(np.abs(fan - e)))
        return k if abs(fan[k] - e) < 1e-6 else None

    wanted = list(BURNOUT_ELEVATIONS_DEG)
    if best is not None:
        wanted.append(float(fan[best]))
    if elevation_deg is not None:
        wanted.append(float(elevation_deg))
    rows = []
    for e in sorted(set(wanted)):
        k = at(e)
        if k is None:
            continue
        flew = speeds[k] > 0 and np.isfinite(t_bo[k]) and t_bo[k] > 0
        rows.append(
            {
                "elevation_deg": _r(fan[k], 2),
                "burnout_speed_kms": _kms(speeds[k]),
                "burnout_time_s": _r(t_bo[k], 1) if flew else None,
            }
        )
    if elevation_deg is not None:
        k = at(float(elevation_deg))
        speed = None if k is None else _kms(speeds[k])
    else:
        speed = None if best is None else _kms(speeds[best])
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
    rocket = getattr(table, "rocket", None)
    cap = getattr(table, "range_cap_m", math.inf)
    return {
        "interceptor": str(table.vehicle_id),
        "site": _latlon(table.site_lat_deg, table.site_lon_deg),
        "azimuth_deg": _r(table.azimuth_deg, 2),
        "altitude_window_km": {"min": _km(table.min_altitude_m), "max": _km(table.max_altitude_m)},
        "max_flight_time_s": _r(table.max_flight_time_s, 1),
        "max_ground_range_km": _km(cap),
        "burnout_speed_kms": speed,
        "elevation_deg": None if elevation_deg is None else _r(elevation_deg, 2),
        "reference_elevation_deg": None if best is None else _r(fan[best], 2),
        "burnout_speed_by_elevation": rows,
        "rocket": None if rocket is None else _rocket(rocket),
        "reach_km_at": reach,
    }


def _rocket(rocket: dict) -> dict:
    def num(x, nd):
        return x if isinstance(x, str) or x is None else _r(x, nd)

    out = {}
    for k, v in rocket.items():
        if k == "stages":
            out[k] = [{kk: _r(vv, 1) for kk, vv in st.items()} for st in v]
        else:
            out[k] = num(v, 3)
    return out


def coverage_summary(coverage) -> dict:
    """Stable summary of an air-defence coverage (``bmdsim.coverage``'s Coverage).

    Fields: ``site{id, lat, lon}``, ``interceptor``, ``radar`` (the radars used,
    comma-separated), ``antennas[{radar, height_m, from}]`` (each radar's antenna above
    the ground and whether a mast at the site or the radar's own vehicle sets it),
    ``rings[{target_altitude_km, radius_km, limited_by, radar, antenna_height_m,
    radar_horizon_km, radar_range_km, interceptor_reach_km}]`` (one per target altitude,
    in its order; altitudes to 1 m, radii to 0.1 km; ``antenna_height_m`` above the
    ground, to 0.1 m, of the radar that ring was drawn with).
    """
    place = coverage.place
    heights = {a[0]: a[1] for a in coverage.antennas}
    return {
        "site": {"id": place.id, "lat": round(place.lat_deg, 5), "lon": round(place.lon_deg, 5)},
        "interceptor": coverage.interceptor_id,
        "radar": coverage.radar_id,
        "antennas": [
            {"radar": rid, "height_m": round(h, 1), "from": origin}
            for rid, h, origin in coverage.antennas
        ],
        "rings": [
            {
                "target_altitude_km": round(r.target_altitude_m / 1e3, 3),
                "radius_km": round(r.radius_m / 1e3, 1),
                "limited_by": r.limited_by,
                "radar": r.radar,
                "antenna_height_m": None
                if r.radar not in heights
                else round(heights[r.radar], 1),
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
