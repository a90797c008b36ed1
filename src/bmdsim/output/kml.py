"""KML for Google Earth (OGC KML 2.2), written with fastkml.

Footprints are clamped-to-ground polygons cut at the antimeridian (the same geometry as
the GeoJSON); trajectories are 3-D LineStrings with ``altitudeMode`` absolute, altitude
in metres above the ellipsoid (Google Earth reads it as above sea level: the difference,
the geoid, is under 110 m and does not show at missile scale); sites are Placemarks.
Every text is XML-safe: the characters XML 1.0 cannot hold (an ESC in a site name) are
written as U+FFFD; lxml escapes ``<`` and ``&``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from fastkml import KML, Data, Document, ExtendedData, Folder, Placemark, Style
from fastkml import geometry as kml_geometry
from fastkml.enums import AltitudeMode
from fastkml.styles import IconStyle, LabelStyle, LineStyle, PolyStyle, StyleUrl
from pygeoif import geometry as pg

from bmdsim.output.geojson import footprint_polygon, uncertain_band_polygon

__all__ = ["write_kml"]

# KML colours are aabbggrr. No icon URLs: the viewer's default pin, tinted, works offline.
STYLES = {
    "footprint": Style(
        id="footprint",
        styles=[LineStyle(color="ff1f4fd6", width=2.0), PolyStyle(color="401f4fd6")],
    ),
    "footprint-ring": Style(
        id="footprint-ring",
        styles=[LineStyle(color="ff1f4fd6", width=1.0), PolyStyle(fill=False)],
    ),
    "uncertain-band": Style(
        id="uncertain-band",
        styles=[LineStyle(color="0061aefd", width=0.0), PolyStyle(color="8061aefd")],
    ),
    "track": Style(id="track", styles=[LineStyle(color="ff0080ff", width=2.5)]),
    "launch": Style(
        id="launch",
        styles=[IconStyle(color="ff000000", scale=1.1), LabelStyle(scale=0.9)],
    ),
    "site-in": Style(
        id="site-in",
        styles=[IconStyle(color="ff00b000", scale=0.9), LabelStyle(scale=0.8)],
    ),
    "site-uncertain": Style(
        id="site-uncertain",
        styles=[IconStyle(color="ff008ae0", scale=0.9), LabelStyle(scale=0.8)],
    ),
    "site-out": Style(
        id="site-out",
        styles=[IconStyle(color="ff2020e0", scale=0.9), LabelStyle(scale=0.8)],
    ),
    "site": Style(
        id="site",
        styles=[IconStyle(color="ff808080", scale=0.9), LabelStyle(scale=0.8)],
    ),
}


# Not allowed in XML 1.0 (https://www.w3.org/TR/xml/#charsets): C0 controls but tab, LF
# and CR; surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text) -> str:
    """``text`` as a string XML 1.0 can hold."""
    return _NOT_XML.sub("\ufffd", str(text))


def _extended(**values) -> ExtendedData:
    return ExtendedData(
        elements=[Data(name=_xml(k), value="" if v is None else _xml(v)) for k, v in values.items()]
    )


def _style(key: str) -> StyleUrl:
    return StyleUrl(url=f"#{key}")


def _kml_polygons(geom):
    parts = list(getattr(geom, "geoms", [geom]))
    kml_polys = [
        kml_geometry.Polygon(
            tessellate=True,
            geometry=pg.Polygon(list(p.exterior.coords), [list(r.coords) for r in p.interiors]),
        )
        for p in parts
    ]
    return (
        kml_polys[0]
        if len(kml_polys) == 1
        else kml_geometry.MultiGeometry(kml_geometries=kml_polys)
    )


def _polygon_placemarks(fp) -> list[Placemark]:
    """The footprint; with a band, its short and long rings and the uncertain band
    between them; and the launch point."""
    band = fp.band
    description = (
        f"Maximum range {fp.max_range_min_m / 1e3:,.0f}-"
        f"{fp.max_range_max_m / 1e3:,.0f} km from "
        f"({fp.launch_lat_deg:.4f}, {fp.launch_lon_deg:.4f})"
    )
    if band is not None:
        description += f". Band: {band.text}"
    marks = [
        Placemark(
            name=_xml(f"{fp.missile_id} footprint"),
            description=_xml(description),
            style_url=_style("footprint"),
            kml_geometry=_kml_polygons(footprint_polygon(fp)),
            extended_data=_extended(
                missile=fp.missile_id,
                ring="central",
                max_range_min_km=round(fp.max_range_min_m / 1e3, 1),
                max_range_max_km=round(fp.max_range_max_m / 1e3, 1),
            ),
        )
    ]
    if band is not None:
        for which, ring in (("low", band.low), ("high", band.high)):
            marks.append(
                Placemark(
                    name=_xml(f"{fp.missile_id} {'short' if which == 'low' else 'long'} ring"),
                    style_url=_style("footprint-ring"),
                    kml_geometry=_kml_polygons(footprint_polygon(fp, which)),
                    extended_data=_extended(
                        missile=fp.missile_id,
                        ring=which,
                        max_range_min_km=round(float(np.min(ring.range_m)) / 1e3, 1),
                        max_range_max_km=round(float(np.max(ring.range_m)) / 1e3, 1),
                    ),
                )
            )
        between = uncertain_band_polygon(fp)
        if between is not None:
            marks.append(
                Placemark(
                    name=_xml(f"{fp.missile_id} uncertain band"),
                    description=_xml(band.text),
                    style_url=_style("uncertain-band"),
                    kml_geometry=_kml_polygons(between),
                    extended_data=_extended(missile=fp.missile_id, band_basis=band.basis),
                )
            )
    marks.append(
        _point_placemark(f"{fp.missile_id} launch", fp.launch_lat_deg, fp.launch_lon_deg, "launch")
    )
    return marks


def _point_placemark(name, lat_deg, lon_deg, style, **data) -> Placemark:
    return Placemark(
        name=_xml(name),
        style_url=_style(style),
        kml_geometry=kml_geometry.Point(geometry=pg.Point(float(lon_deg), float(lat_deg))),
        extended_data=_extended(**data) if data else None,
    )


def _site_placemark(site, missile_name: str = "") -> Placemark:
    verdict = getattr(site, "verdict", None)
    if verdict is None:
        in_reach = getattr(site, "in_reach", None)
        verdict = None if in_reach is None else ("in" if in_reach else "out")
    style = "site" if verdict is None else f"site-{verdict}"
    data = {"id": getattr(site, "id", "")}
    description = None
    if hasattr(site, "distance_m"):
        data.update(
            distance_km=round(site.distance_m / 1e3, 1),
            verdict=verdict,
            in_reach=site.in_reach,
            flight_time_s=None if site.flight_time_s is None else round(site.flight_time_s, 1),
            max_range_km=round(site.max_range_m / 1e3, 1),
            range_low_km=round(site.range_low_m / 1e3, 1),
            range_high_km=round(site.range_high_m / 1e3, 1),
        )
        description = site.why(missile_name)
    name = getattr(site, "name", None) or data["id"]
    mark = _point_placemark(name, site.lat_deg, site.lon_deg, style, **data)
    if description:
        mark.description = _xml(description)
    return mark


def _trajectory_placemarks(traj) -> list[Placemark]:
    lon = (np.asarray(traj.lon_deg, dtype=float) + 180.0) % 360.0 - 180.0
    lat = np.asarray(traj.lat_deg, dtype=float)
    alt = np.asarray(traj.alt_m, dtype=float)
    # Cut the 3-D line where the 2-D ground track is cut (at ±180): Google Earth draws
    # a segment from 179.9 to -179.9 the short way, but other clients do not.
    pieces = []
    start = 0
    jumps = np.nonzero(np.abs(np.diff(lon)) > 180.0)[0]
    for j in [*jumps, len(lon) - 1]:
        seg = slice(start, j + 1)
        if j + 1 - start >= 2:
            pieces.append(list(zip(lon[seg], lat[seg], alt[seg], strict=True)))
        start = j + 1
    if not pieces:  # a degenerate track (one point): a zero-length line
        pieces = [list(zip(lon, lat, alt, strict=True)) * 2]
    lines = [
        kml_geometry.LineString(
            altitude_mode=AltitudeMode.absolute, tessellate=False, geometry=pg.LineString(p)
        )
        for p in pieces
    ]
    geom = lines[0] if len(lines) == 1 else kml_geometry.MultiGeometry(kml_geometries=lines)
    track = Placemark(
        name=_xml(f"{traj.missile_id} {traj.shape}"),
        description=(
            f"Range {traj.range_m / 1e3:,.1f} km, apogee {traj.apogee_alt_m / 1e3:,.1f} km, "
            f"flight time {traj.flight_time_s:,.0f} s"
        ),
        style_url=_style("track"),
        kml_geometry=geom,
        extended_data=_extended(
            missile=traj.missile_id,
            shape=traj.shape,
            range_km=round(traj.range_m / 1e3, 1),
            apogee_km=round(traj.apogee_alt_m / 1e3, 1),
            flight_time_s=round(traj.flight_time_s, 1),
        ),
    )
    return [
        track,
        _point_placemark(
            f"{traj.missile_id} launch", traj.launch_lat_deg, traj.launch_lon_deg, "launch"
        ),
        _point_placemark(
            f"{traj.missile_id} impact", traj.impact_lat_deg, traj.impact_lon_deg, "site"
        ),
    ]


def write_kml(path, *, footprints=(), trajectories=(), sites=(), name="bmdsim") -> Path:
    """Write footprints, trajectories and sites to one KML file; returns the path.

    ``sites`` are extra site objects (anything with ``lat_deg``, ``lon_deg`` and ``name``
    or ``id``; ``SiteReach`` adds distance and reach); each footprint's own sites are
    written in its folder. One Folder per footprint and per trajectory.
    """
    folders = []
    for fp in footprints:
        features = _polygon_placemarks(fp)
        who = (fp.missile_name or fp.missile_id).split(" (", 1)[0]
        features += [_site_placemark(s, who) for s in fp.sites]
        folders.append(Folder(name=_xml(f"{fp.missile_id} reach"), features=features))
    for traj in trajectories:
        folders.append(
            Folder(
                name=_xml(f"{traj.missile_id} trajectory"),
                features=_trajectory_placemarks(traj),
            )
        )
    if sites:
        folders.append(Folder(name="sites", features=[_site_placemark(s) for s in sites]))
    doc = Document(name=_xml(name), styles=list(STYLES.values()), features=folders)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    KML(features=[doc]).write(path, prettyprint=True, precision=6)
    return path
