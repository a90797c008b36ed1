"""The machine-readable summaries behind ``--json``: field names here are a stable API.

Rounding: distances and altitudes in km to 0.1, times in s to 0.1, speeds in km/s to
0.001, azimuths and angles in degrees to 0.01, latitudes and longitudes to 5 decimals
(about 1 m). Values are plain Python floats, ints, bools, strings or None, so
``json.dumps`` works without a custom encoder. See docs/outputs.md.
"""

from __future__ import annotations

import math

import numpy as np

from bmdsim.output.geojson import footprint_geojson

__all__ = ["trajectory_summary", "footprint_summary"]


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
