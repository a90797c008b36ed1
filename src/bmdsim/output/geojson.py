"""GeoJSON (RFC 7946) for footprints and trajectories.

RFC 7946 wants longitude before latitude, WGS 84 degrees, exterior rings counter-clockwise
(section 3.1.6) and geometries that cross the antimeridian cut in two (section 3.1.9).
The trap is winding: a footprint ring read clockwise is, to a spherical client (d3, the
``antimeridian`` package), the rest of the world, and a footprint around a pole only
closes correctly when its ring is counter-clockwise. So every ring is built
counter-clockwise from the start and cut with ``antimeridian`` without "fixing" its
winding, and the launch point is checked to lie inside the result.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

import antimeridian
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping
from shapely.geometry.polygon import orient

__all__ = [
    "footprint_polygon",
    "footprint_geojson",
    "uncertain_band_polygon",
    "trajectory_geojson",
    "write_geojson",
]

COORD_DECIMALS = 5  # 1e-5 deg is about 1 m: finer than any model here


def _wrap_lon(lon_deg):
    """Longitudes into [-180, 180)."""
    return (np.asarray(lon_deg, dtype=float) + 180.0) % 360.0 - 180.0


def _polygons(geom) -> list[Polygon]:
    """The polygons of any geometry (GeometryCollections from make_valid included)."""
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    return [p for g in getattr(geom, "geoms", []) for p in _polygons(g)]


def ring_polygon(lon_deg, lat_deg, *, centre_lat_deg: float, centre_lon_deg: float, what="ring"):
    """A counter-clockwise lon/lat ring around a centre as a shapely (Multi)Polygon,
    cut at ±180 and closed over a pole where it encloses one; checked to contain the
    centre. Points must go round the centre counter-clockwise seen from above (that is,
    in decreasing azimuth). Raises ``ValueError`` when the centre ends up outside."""
    ring = np.column_stack([_wrap_lon(lon_deg), np.asarray(lat_deg, dtype=float)])
    if len(ring) < 3:
        raise ValueError(f"a {what} needs at least 3 points, got {len(ring)}")
    centre = Point(float(_wrap_lon(centre_lon_deg)), float(centre_lat_deg))
    candidates = [{}]
    # The antimeridian package closes a ring that crosses ±180 an odd number of times
    # around the pole its winding implies; if that misses the centre (a ring that only
    # grazes the pole), force the pole on the centre's side.
    candidates.append(
        {"force_north_pole": True} if centre_lat_deg >= 0 else {"force_south_pole": True}
    )
    for kwargs in candidates:
        fixed = antimeridian.fix_polygon(Polygon(ring), fix_winding=False, **kwargs)
        if not fixed.is_valid:
            fixed = shapely.make_valid(fixed)
        polys = [orient(p, sign=1.0) for p in _polygons(fixed) if p.area > 0]
        geom = MultiPolygon(polys) if len(polys) > 1 else (polys[0] if polys else None)
        if geom is not None and geom.intersects(centre):
            return geom
    raise ValueError(
        f"{what} around ({centre_lat_deg:.4f}, {centre_lon_deg:.4f}) does not contain its "
        "centre once cut at the antimeridian; check that its points are ordered by azimuth"
    )


def footprint_polygon(fp, ring: str = "central"):
    """The footprint as a shapely (Multi)Polygon in lon/lat degrees (x = lon, y = lat).

    Exterior rings run counter-clockwise; a footprint that crosses the antimeridian is
    cut into parts at ±180, and one that encloses a pole is closed along the pole's
    latitude, so ``footprint_polygon(fp).covers(Point(lon, lat))`` is a correct
    point-in-footprint test in plain lon/lat. ``ring``: 'central' (the footprint),
    'low' or 'high' (its band's short and long rings; the central one when it has no
    band). Raises ``ValueError`` if the launch point does not end up inside (a ring
    that winds over itself).
    """
    chosen = dict(fp.rings()).get(ring)
    if chosen is None:
        if ring not in ("low", "central", "high"):
            raise ValueError(f"ring {ring!r}; allowed: low, central, high")
        chosen = fp.central
    az = np.asarray(chosen.azimuth_deg, dtype=float) % 360.0
    order = np.argsort(az, kind="stable")[::-1]
    # Increasing azimuth runs clockwise seen from above: reversed, counter-clockwise.
    return ring_polygon(
        np.asarray(chosen.lon_deg, dtype=float)[order],
        np.asarray(chosen.lat_deg, dtype=float)[order],
        centre_lat_deg=float(fp.launch_lat_deg),
        centre_lon_deg=float(fp.launch_lon_deg),
        what=f"{ring} footprint of {fp.missile_id!r}",
    )


def uncertain_band_polygon(fp):
    """The band between a footprint's short and long rings (lon/lat shapely geometry),
    where a site's verdict is 'uncertain'; None without a band or when it is empty."""
    if fp.band is None:
        return None
    band = footprint_polygon(fp, "high").difference(footprint_polygon(fp, "low"))
    return None if band.is_empty or band.area == 0 else band


def _round_coords(obj, nd: int = COORD_DECIMALS):
    """Nested coordinate tuples -> nested lists of plain floats, rounded."""
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v, nd) for v in obj]
    return round(float(obj), nd)


def geometry_dict(geom) -> dict:
    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"])}


def _point(lon_deg: float, lat_deg: float) -> dict:
    return {
        "type": "Point",
        "coordinates": [
            round(float(_wrap_lon(lon_deg)), COORD_DECIMALS),
            round(float(lat_deg), COORD_DECIMALS),
        ],
    }


def _num(x, nd: int = 1):
    """A plain rounded float, or None for None/NaN (JSON has no NaN)."""
    if x is None:
        return None
    x = float(x)
    return None if not math.isfinite(x) else round(x, nd)


def _feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def site_feature(site, missile_name: str = "") -> dict:
    """One ``SiteReach`` as a GeoJSON Point Feature."""
    return _feature(
        _point(site.lon_deg, site.lat_deg),
        kind="site",
        id=str(site.id),
        name=str(site.name),
        distance_km=_num(site.distance_m / 1e3),
        azimuth_deg=_num(site.azimuth_deg, 2),
        verdict=str(site.verdict),
        why=site.why(missile_name),
        in_reach=bool(site.in_reach),
        flight_time_s=_num(site.flight_time_s),
        max_range_km=_num(site.max_range_m / 1e3),
        range_km={
            "low": _num(site.range_low_m / 1e3),
            "central": _num(site.max_range_m / 1e3),
            "high": _num(site.range_high_m / 1e3),
        },
    )


def footprint_geojson(fp) -> dict:
    """A FeatureCollection: the footprint (Multi)Polygon, the launch Point, each site,
    and, when the footprint has a band, its short and long rings and the band between.

    Every Feature has a ``kind`` property: ``footprint`` (the central ring),
    ``footprint-ring`` (``ring``: 'low' or 'high'), ``uncertain-band`` (between them),
    ``launch`` or ``site``. Sites carry ``id, name, distance_km, azimuth_deg, verdict``
    ('in', 'uncertain', 'out'), ``why`` (one sentence), ``in_reach`` (inside the
    central footprint), ``flight_time_s`` (null when out of reach), ``max_range_km``
    (the central footprint's range on the site's azimuth) and ``range_km{low, central,
    high}`` (the three rings' ranges there).
    """
    name = _missile_name(fp)
    band = fp.band
    props = {
        "missile": str(fp.missile_id),
        "ring": "central",
        "max_range_min_km": _num(fp.max_range_min_m / 1e3),
        "max_range_max_km": _num(fp.max_range_max_m / 1e3),
    }
    if band is not None:
        props |= {"band_basis": band.basis, "band_text": band.text}
    features = [_feature(geometry_dict(footprint_polygon(fp)), kind="footprint", **props)]
    if band is not None:
        for which, ring in (("low", band.low), ("high", band.high)):
            features.append(
                _feature(
                    geometry_dict(footprint_polygon(fp, which)),
                    kind="footprint-ring",
                    missile=str(fp.missile_id),
                    ring=which,
                    max_range_min_km=_num(np.min(ring.range_m) / 1e3),
                    max_range_max_km=_num(np.max(ring.range_m) / 1e3),
                )
            )
        between = uncertain_band_polygon(fp)
        if between is not None:
            features.append(
                _feature(
                    geometry_dict(between),
                    kind="uncertain-band",
                    missile=str(fp.missile_id),
                    band_basis=band.basis,
                    band_text=band.text,
                )
            )
    features.append(
        _feature(
            _point(fp.launch_lon_deg, fp.launch_lat_deg),
            kind="launch",
            missile=str(fp.missile_id),
        )
    )
    features.extend(site_feature(s, name) for s in fp.sites)
    return {"type": "FeatureCollection", "features": features}


def _missile_name(fp) -> str:
    name = getattr(fp, "missile_name", "") or str(fp.missile_id)
    return name.split(" (", 1)[0]


def ground_track(traj):
    """The ground track as a shapely LineString, or a MultiLineString cut at ±180."""
    lon = _wrap_lon(traj.lon_deg)
    lat = np.asarray(traj.lat_deg, dtype=float)
    xy = np.column_stack([lon, lat])
    # drop repeated points (the vertical rise stays over the pad)
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = np.any(np.diff(xy, axis=0) != 0.0, axis=1)
    xy = xy[keep]
    if len(xy) < 2:
        xy = np.vstack([xy, xy])
    return antimeridian.fix_line_string(LineString(xy), great_circle=True)


def trajectory_geojson(traj) -> dict:
    """A FeatureCollection: the ground track, the launch and impact Points (and the
    target, when one was set).

    The track (``kind: track``) is a LineString, or a MultiLineString when it crosses
    the antimeridian, with ``missile, shape, range_km, apogee_km, flight_time_s``.
    """
    track = _feature(
        geometry_dict(ground_track(traj)),
        kind="track",
        missile=str(traj.missile_id),
        shape=str(traj.shape),
        range_km=_num(traj.range_m / 1e3),
        apogee_km=_num(traj.apogee_alt_m / 1e3),
        flight_time_s=_num(traj.flight_time_s),
    )
    features = [
        track,
        _feature(
            _point(traj.launch_lon_deg, traj.launch_lat_deg),
            kind="launch",
            missile=str(traj.missile_id),
        ),
        _feature(
            _point(traj.impact_lon_deg, traj.impact_lat_deg),
            kind="impact",
            missile=str(traj.missile_id),
            flight_time_s=_num(traj.flight_time_s),
        ),
    ]
    if traj.target_lat_deg is not None and traj.target_lon_deg is not None:
        miss = None if traj.miss_m is None else _num(traj.miss_m / 1e3)
        features.append(
            _feature(
                _point(traj.target_lon_deg, traj.target_lat_deg),
                kind="target",
                missile=str(traj.missile_id),
                miss_km=miss,
            )
        )
    return {"type": "FeatureCollection", "features": features}


def merge_feature_collections(collections: Iterable[dict]) -> dict:
    """One FeatureCollection holding the features of several."""
    return {
        "type": "FeatureCollection",
        "features": [f for c in collections for f in c["features"]],
    }


def write_geojson(obj: dict, path) -> Path:
    """Write a GeoJSON object to ``path`` (UTF-8, no NaN); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    return path
