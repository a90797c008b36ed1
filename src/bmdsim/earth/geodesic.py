"""Geodesics on the WGS 84 ellipsoid (the one wrapper over ``pyproj.Geod``) and on a sphere.

Ellipsoid: Karney's algorithms (*J. Geodesy* 87, 43-55, 2013) through PROJ's
``pyproj.Geod(ellps="WGS84")``; accurate to ~15 nm. Never hand-roll these.
Sphere (the non-rotating spherical validation Earth, radius SPHERE_RADIUS_M): central angle
by the Vincenty (1975) special case of the great-circle formula, well conditioned for all
distances including antipodes; azimuths and direct problem by spherical trigonometry.
Geographic arguments are keyword-only, in degrees; distances in metres; azimuths in
degrees clockwise from north, in (-180, 180]. Arrays broadcast.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from bmdsim.earth.constants import SPHERE_RADIUS_M

_GEOD = Geod(ellps="WGS84")


def _arrays(*values):
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in values))
    return arrays[0].shape, [np.ascontiguousarray(a).ravel() for a in arrays]


def inverse(*, lat1_deg, lon1_deg, lat2_deg, lon2_deg):
    """WGS 84 geodesic (distance_m, azimuth12_deg, azimuth21_deg) from point 1 to point 2.

    azimuth21_deg is the azimuth at point 2 pointing back to point 1 (pyproj's back azimuth).
    """
    shape, (lat1, lon1, lat2, lon2) = _arrays(lat1_deg, lon1_deg, lat2_deg, lon2_deg)
    az12, az21, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    return (np.reshape(dist, shape), np.reshape(az12, shape), np.reshape(az21, shape))


def forward(*, lat_deg, lon_deg, azimuth_deg, distance_m):
    """WGS 84 direct problem: (lat_deg, lon_deg) reached from a point along an azimuth."""
    shape, (lat, lon, az, dist) = _arrays(lat_deg, lon_deg, azimuth_deg, distance_m)
    lon2, lat2, _ = _GEOD.fwd(lon, lat, az, dist)
    return np.reshape(lat2, shape), np.reshape(lon2, shape)


def ring(*, lat_deg, lon_deg, distance_m, n=360):
    """n points at geodesic distance_m around one centre, counter-clockwise on the map.

    Azimuths 0, -360/n, -2*360/n, ... (decreasing: north, west, south, east), so that a
    polygon built from them has positive (counter-clockwise) orientation as RFC 7946 asks.
    The ring is open (the first point is not repeated). Returns (lats, lons), shape (n,).
    """
    if n < 3:
        raise ValueError(f"ring needs n >= 3 points, got n={n}")
    azimuths = -np.arange(n) * (360.0 / n)
    lats, lons = forward(
        lat_deg=np.full(n, float(lat_deg)),
        lon_deg=np.full(n, float(lon_deg)),
        azimuth_deg=azimuths,
        distance_m=np.full(n, float(distance_m)),
    )
    return lats, lons


def _wrap180(angle_deg):
    wrapped = np.mod(angle_deg + 180.0, 360.0) - 180.0
    return np.where(wrapped == -180.0, 180.0, wrapped)


def sphere_inverse(*, lat1_deg, lon1_deg, lat2_deg, lon2_deg):
    """Great circle on the sphere of radius SPHERE_RADIUS_M: (distance_m, az12, az21) [deg]."""
    phi1, lam1, phi2, lam2 = (
        np.radians(np.asarray(v, dtype=np.float64))
        for v in (lat1_deg, lon1_deg, lat2_deg, lon2_deg)
    )
    dlam = lam2 - lam1
    s1, c1, s2, c2 = np.sin(phi1), np.cos(phi1), np.sin(phi2), np.cos(phi2)
    sd, cd = np.sin(dlam), np.cos(dlam)
    num = np.hypot(c2 * sd, c1 * s2 - s1 * c2 * cd)
    central = np.arctan2(num, s1 * s2 + c1 * c2 * cd)
    az12 = np.degrees(np.arctan2(c2 * sd, c1 * s2 - s1 * c2 * cd))
    az21 = np.degrees(np.arctan2(-c1 * sd, c2 * s1 - s2 * c1 * cd))
    return SPHERE_RADIUS_M * central, _wrap180(az12), _wrap180(az21)


def sphere_forward(*, lat_deg, lon_deg, azimuth_deg, distance_m):
    """Great-circle direct problem on the sphere of radius SPHERE_RADIUS_M: (lat, lon) [deg]."""
    phi1 = np.radians(np.asarray(lat_deg, dtype=np.float64))
    lam1 = np.radians(np.asarray(lon_deg, dtype=np.float64))
    az = np.radians(np.asarray(azimuth_deg, dtype=np.float64))
    delta = np.asarray(distance_m, dtype=np.float64) / SPHERE_RADIUS_M
    s1, c1 = np.sin(phi1), np.cos(phi1)
    sd, cd = np.sin(delta), np.cos(delta)
    z = s1 * cd + c1 * sd * np.cos(az)
    # atan2 form of the latitude keeps full precision near the poles.
    x = c1 * cd - s1 * sd * np.cos(az)
    y = sd * np.sin(az)
    phi2 = np.arctan2(z, np.hypot(x, y))
    lam2 = lam1 + np.arctan2(y, x)
    return np.degrees(phi2), _wrap180(np.degrees(lam2))


__all__ = ["forward", "inverse", "ring", "sphere_forward", "sphere_inverse"]
