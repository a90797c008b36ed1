"""Coverage of an air- or missile-defence site against targets at a given altitude.

For a target flying at altitude H, a site covers the ground within

    min( radar horizon range(h_antenna, H, k = 4/3, elevation mask),
         radar detection range at the target's RCS, as ground range
         sqrt(R^2 - (H - h_antenna)^2) on the flat-Earth slant approximation,
         interceptor kinematic reach at altitude H within its maximum flight time )

and nothing when H lies outside the interceptor's altitude window. The reach comes from
the flyout table (``defence.flyout``), computed on one azimuth: the footprint is drawn
as a circle (Earth rotation changes the reach by a few per cent with azimuth). Sources:
radar horizon and range, ``defence.radar``; flyout, ``defence.flyout``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bmdsim.defence.radar import radar_horizon_range_m
from bmdsim.earth import geodesic


@dataclass(frozen=True)
class CoverageRing:
    """Covered ground around a site against targets at one altitude."""

    target_altitude_m: float
    radius_m: float
    limited_by: str  # 'radar horizon' | 'radar range' | 'interceptor reach' | 'altitude window'
    horizon_m: float
    radar_range_m: float
    interceptor_reach_m: float
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    radar: str = ""  # the label of the radar this ring was drawn with
    antenna_height_m: float = math.nan  # its antenna above the ellipsoid, as used


def interceptor_reach_at_altitude_m(table, altitude_m: float) -> float:
    """Farthest ground range at which ``table``'s interceptor reaches altitude_m within its
    maximum flight time (0 outside its altitude window)."""
    d, h = table.reach_at(table.max_flight_time_s)
    if len(h) == 0 or altitude_m > h.max() or altitude_m < table.min_altitude_m:
        return 0.0
    # Below the fan's lowest altitude (its launches start at 10 deg elevation) the reach
    # at that altitude is used: a guided missile can fly out level (an assumption).
    return float(np.interp(altitude_m, h, d))


def coverage_ring(
    *,
    site_lat_deg,
    site_lon_deg,
    antenna_height_m,
    target_altitude_m,
    radar_range_m,
    min_elevation_rad,
    interceptor_reach_m,
    in_altitude_window=True,
    n=180,
    radar="",
) -> CoverageRing:
    """The covered ring at one target altitude (see the module docstring)."""
    horizon = float(
        radar_horizon_range_m(
            antenna_height_m, target_altitude_m, min_elevation_rad=min_elevation_rad
        )
    )
    if not math.isfinite(horizon):
        horizon = 0.0
    dh = target_altitude_m - antenna_height_m
    radar_ground = math.sqrt(max(radar_range_m**2 - dh**2, 0.0))
    reach = interceptor_reach_m if in_altitude_window else 0.0
    limits = {"radar horizon": horizon, "radar range": radar_ground, "interceptor reach": reach}
    limited_by = min(limits, key=limits.get)
    radius = limits[limited_by]
    if not in_altitude_window:
        limited_by = "altitude window"
    lats, lons = (np.array([]), np.array([]))
    if radius > 0:
        lats, lons = geodesic.ring(
            lat_deg=site_lat_deg, lon_deg=site_lon_deg, distance_m=radius, n=n
        )
    return CoverageRing(
        float(target_altitude_m),
        float(radius),
        limited_by,
        horizon,
        radar_ground,
        float(reach),
        lats,
        lons,
        radar,
        float(antenna_height_m),
    )
