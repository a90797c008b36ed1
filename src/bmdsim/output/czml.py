"""CZML for Cesium (time-dynamic 3-D), written with czml3.

One document: a clock spanning every flight, each trajectory as a moving point that
leaves a path behind it, each footprint as a translucent polygon on the ellipsoid with
its launch point and sites, and any extra sites as labelled points. Positions are
``cartographicDegrees`` (longitude, latitude in WGS 84 degrees, height in metres above
the ellipsoid); trajectory samples are ``[t, lon, lat, h, ...]`` with ``t`` in seconds
after the position's ``epoch``. Cesium interpolates the samples in Earth-fixed
Cartesian coordinates, so a flight over the antimeridian or a pole needs no cutting.
Nothing refers to a remote resource: the file opens in an offline Cesium viewer.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from pathlib import Path

import numpy as np
from czml3 import Document, Packet
from czml3.enums import (
    ClockRanges,
    ClockSteps,
    HorizontalOrigins,
    InterpolationAlgorithms,
    LabelStyles,
    VerticalOrigins,
)
from czml3.properties import (
    Clock,
    Color,
    Label,
    Material,
    Point,
    Polygon,
    Polyline,
    PolylineMaterial,
    Position,
    PositionList,
    PositionListOfLists,
    SolidColorMaterial,
)
from czml3.properties import Path as CzmlPath
from czml3.types import Cartesian2Value, TimeInterval

from bmdsim.output.files import slug
from bmdsim.output.geojson import footprint_polygon, uncertain_band_polygon

__all__ = ["DEFAULT_EPOCH", "write_czml", "czml_document"]

DEFAULT_EPOCH = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
"""Launch time of every flight unless ``epoch`` is given (the seed articles' year)."""

CZML_VERSION = "1.0"
LONLAT_DECIMALS = 6  # about 0.1 m
HEIGHT_DECIMALS = 1  # 0.1 m
TIME_DECIMALS = 3  # 1 ms

# RGBA 0-255; the same colours as the KML (footprint red-orange, track orange,
# sites green in reach / red out of reach / grey when unknown).
COLOURS = {
    "track": [255, 128, 0, 255],
    "footprint-fill": [214, 79, 31, 64],
    "footprint-line": [214, 79, 31, 255],
    "launch": [0, 0, 0, 255],
    "site-in": [0, 176, 0, 255],
    "site-uncertain": [224, 138, 0, 255],
    "site-out": [224, 32, 32, 255],
    "band-fill": [253, 174, 97, 128],
    "ring-line": [214, 79, 31, 160],
    "site": [128, 128, 128, 255],
}
INTERPOLATIONS = {
    "lagrange": (InterpolationAlgorithms.LAGRANGE, 5),
    "linear": (InterpolationAlgorithms.LINEAR, 1),
}


def _utc(epoch) -> dt.datetime:
    """``epoch`` (aware or naive datetime, ISO 8601 text, or None) as an aware UTC
    datetime; a naive datetime is taken to be UTC."""
    if epoch is None:
        return DEFAULT_EPOCH
    if isinstance(epoch, str):
        epoch = dt.datetime.fromisoformat(epoch.strip().replace("Z", "+00:00"))
    if not isinstance(epoch, dt.datetime):
        raise TypeError(f"epoch must be a datetime or ISO 8601 text, not {type(epoch).__name__}")
    if epoch.tzinfo is None:
        return epoch.replace(tzinfo=dt.UTC)
    return epoch.astimezone(dt.UTC)


def _iso(t: dt.datetime) -> str:
    """ISO 8601 UTC with a Z and, when there are any, milliseconds."""
    t = t.astimezone(dt.UTC)
    if t.microsecond:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _wrap_lon(lon):
    return (np.asarray(lon, dtype=float) + 180.0) % 360.0 - 180.0


def _colour(key: str) -> Color:
    return Color(rgba=list(COLOURS[key]))


def _label(text: str, *, scale: float = 1.0) -> Label:
    return Label(
        text=text,
        font="13px sans-serif",
        style=LabelStyles.FILL_AND_OUTLINE,
        fillColor=Color(rgba=[255, 255, 255, 255]),
        outlineColor=Color(rgba=[0, 0, 0, 255]),
        outlineWidth=2.0,
        scale=scale,
        horizontalOrigin=HorizontalOrigins.LEFT,
        verticalOrigin=VerticalOrigins.CENTER,
        pixelOffset=Cartesian2Value(values=[10.0, 0.0]),
    )


def _static_position(lon_deg: float, lat_deg: float, height_m: float = 0.0) -> Position:
    return Position(
        cartographicDegrees=[
            round(float(_wrap_lon(lon_deg)), LONLAT_DECIMALS),
            round(float(lat_deg), LONLAT_DECIMALS),
            round(float(height_m), HEIGHT_DECIMALS),
        ]
    )


def _point_packet(pid: str, name: str, lon_deg, lat_deg, colour: str, *, description=None):
    return Packet(
        id=pid,
        name=name,
        description=description,
        position=_static_position(lon_deg, lat_deg),
        point=Point(
            pixelSize=9.0,
            color=_colour(colour),
            outlineColor=Color(rgba=[255, 255, 255, 255]),
            outlineWidth=1.5,
        ),
        label=_label(name, scale=0.9),
    )


def trajectory_samples(traj) -> list[float]:
    """``[t, lon, lat, h, t, lon, lat, h, ...]`` from the trajectory's time series:
    seconds after launch (``t_s`` minus its first value), longitude wrapped into
    [-180, 180), latitude, height above the ellipsoid in metres; rounded, non-finite
    samples and repeated times dropped (CZML needs increasing times)."""
    t = np.asarray(traj.t_s, dtype=float)
    lon = _wrap_lon(traj.lon_deg)
    lat = np.asarray(traj.lat_deg, dtype=float)
    alt = np.asarray(traj.alt_m, dtype=float)
    ok = np.isfinite(t) & np.isfinite(lon) & np.isfinite(lat) & np.isfinite(alt)
    if not np.any(ok):
        raise ValueError(f"trajectory of {traj.missile_id!r} has no finite samples")
    t0 = float(t[ok][0])
    out: list[float] = []
    last = -math.inf
    for ti, lo, la, h in zip(t[ok], lon[ok], lat[ok], alt[ok], strict=True):
        tr = round(float(ti) - t0, TIME_DECIMALS)
        if tr <= last:
            continue
        last = tr
        out += [
            tr,
            round(float(lo), LONLAT_DECIMALS),
            round(float(la), LONLAT_DECIMALS),
            round(float(h), HEIGHT_DECIMALS),
        ]
    return out


def _trajectory_packets(traj, index: int, epoch: dt.datetime, interpolation: str):
    samples = trajectory_samples(traj)
    t_first = float(np.asarray(traj.t_s, dtype=float)[0])
    start = epoch + dt.timedelta(seconds=t_first if math.isfinite(t_first) else 0.0)
    end = start + dt.timedelta(seconds=samples[-4])
    algorithm, degree = INTERPOLATIONS[interpolation]
    n = len(samples) // 4
    degree = min(degree, max(n - 1, 1))
    name = f"{traj.missile_id} ({traj.shape})"
    description = html.escape(
        f"{traj.missile_id}, {traj.shape}: range {traj.range_m / 1e3:,.1f} km, "
        f"apogee {traj.apogee_alt_m / 1e3:,.1f} km, flight time {traj.flight_time_s:,.0f} s"
    )
    pid = f"trajectory-{index}-{slug(traj.missile_id)}"
    packets = [
        Packet(
            id=pid,
            name=name,
            description=f"<p>{description}</p>",
            availability=TimeInterval(start=_iso(start), end=_iso(end)),
            position=Position(
                epoch=_iso(start),
                interpolationAlgorithm=algorithm,
                interpolationDegree=degree,
                cartographicDegrees=samples,
            ),
            point=Point(
                pixelSize=8.0,
                color=_colour("track"),
                outlineColor=Color(rgba=[0, 0, 0, 255]),
                outlineWidth=1.0,
            ),
            path=CzmlPath(
                width=2.5,
                leadTime=0.0,
                trailTime=round(float(samples[-4]) + 1.0, TIME_DECIMALS),
                resolution=max(1.0, round(float(samples[-4]) / 600.0, 1)),
                material=PolylineMaterial(solidColor=SolidColorMaterial(color=_colour("track"))),
            ),
            label=_label(str(traj.missile_id)),
        ),
        _point_packet(
            f"{pid}-launch",
            f"{traj.missile_id} launch",
            traj.launch_lon_deg,
            traj.launch_lat_deg,
            "launch",
        ),
        _point_packet(
            f"{pid}-impact",
            f"{traj.missile_id} impact",
            traj.impact_lon_deg,
            traj.impact_lat_deg,
            "site",
            description=f"<p>Impact at {_iso(end)}</p>",
        ),
    ]
    return packets, start, end


def _ring_degrees(coords) -> list[float]:
    """A shapely ring (closed) as a flat [lon, lat, 0, ...] list, without the repeated
    closing point."""
    xy = list(coords)[:-1]
    out: list[float] = []
    for lon, lat in xy:
        out += [round(float(lon), LONLAT_DECIMALS), round(float(lat), LONLAT_DECIMALS), 0.0]
    return out


def _site_packet(site, pid: str, missile_name: str = ""):
    if isinstance(site, (tuple, list)):
        name, lat, lon = site
        verdict = None
        description = None
    else:
        name = getattr(site, "name", None) or getattr(site, "id", "site")
        lat, lon = site.lat_deg, site.lon_deg
        verdict = getattr(site, "verdict", None)
        if verdict is None and getattr(site, "in_reach", None) is not None:
            verdict = "in" if site.in_reach else "out"
        description = None
        if hasattr(site, "distance_m"):
            ft = getattr(site, "flight_time_s", None)
            ft_text = f"; minimum-energy flight time {ft:,.0f} s" if ft is not None else ""
            description = (
                "<p>"
                + html.escape(f"{name} ({verdict}): {site.why(missile_name)}{ft_text}")
                + "</p>"
            )
    colour = "site" if verdict is None else f"site-{verdict}"
    return _point_packet(pid, str(name), lon, lat, colour, description=description)


def _polygon_packets(geom, pid, name, description, fill, outline):
    packets = []
    for j, part in enumerate(getattr(geom, "geoms", [geom])):
        holes = [_ring_degrees(r.coords) for r in part.interiors]
        packets.append(
            Packet(
                id=f"{pid}-part{j}",
                name=name,
                description=description,
                polygon=Polygon(
                    positions=PositionList(cartographicDegrees=_ring_degrees(part.exterior.coords)),
                    holes=PositionListOfLists(cartographicDegrees=holes) if holes else None,
                    height=0.0,
                    material=Material(solidColor=SolidColorMaterial(color=_colour(fill))),
                    outline=outline is not None,
                    outlineColor=_colour(outline) if outline is not None else None,
                ),
            )
        )
    return packets


def _ring_packet(ring, pid, name, colour, width):
    az = np.asarray(ring.azimuth_deg, dtype=float) % 360.0
    order = np.argsort(az, kind="stable")
    lon = _wrap_lon(np.asarray(ring.lon_deg, dtype=float)[order])
    lat = np.asarray(ring.lat_deg, dtype=float)[order]
    flat: list[float] = []
    for lo, la in [*zip(lon, lat, strict=True), (lon[0], lat[0])]:
        flat += [round(float(lo), LONLAT_DECIMALS), round(float(la), LONLAT_DECIMALS), 0.0]
    return Packet(
        id=pid,
        name=name,
        polyline=Polyline(
            positions=PositionList(cartographicDegrees=flat),
            width=width,
            material=PolylineMaterial(solidColor=SolidColorMaterial(color=_colour(colour))),
        ),
    )


def _footprint_packets(fp, index: int):
    """The footprint polygon (per part) and its ring as a polyline; with a band, the
    uncertain band as an amber polygon and the short and long rings as thin lines; the
    launch point and the sites (coloured by verdict, the reason in the description)."""
    pid = f"footprint-{index}-{slug(fp.missile_id)}"
    band = fp.band
    text = (
        f"{fp.missile_id}: maximum range {fp.max_range_min_m / 1e3:,.0f}-"
        f"{fp.max_range_max_m / 1e3:,.0f} km from "
        f"({fp.launch_lat_deg:.4f}, {fp.launch_lon_deg:.4f})"
    )
    if band is not None:
        text += f". Band: {band.text}"
    description = "<p>" + html.escape(text) + "</p>"
    packets = _polygon_packets(
        footprint_polygon(fp),
        pid,
        f"{fp.missile_id} footprint",
        description,
        "footprint-fill",
        "footprint-line",
    )
    # The ring itself as a line: drawn correctly by every Cesium view, even where a
    # polygon larger than a hemisphere is not.
    packets.append(
        _ring_packet(
            fp.central,
            f"{pid}-outline",
            f"{fp.missile_id} footprint outline",
            "footprint-line",
            2.0,
        )
    )
    if band is not None:
        between = uncertain_band_polygon(fp)
        if between is not None:
            packets += _polygon_packets(
                between,
                f"{pid}-band",
                f"{fp.missile_id} uncertain band",
                "<p>" + html.escape(band.text) + "</p>",
                "band-fill",
                None,
            )
        packets.append(
            _ring_packet(band.low, f"{pid}-low", f"{fp.missile_id} short ring", "ring-line", 1.0)
        )
        packets.append(
            _ring_packet(band.high, f"{pid}-high", f"{fp.missile_id} long ring", "ring-line", 1.0)
        )
    packets.append(
        _point_packet(
            f"{pid}-launch",
            f"{fp.missile_id} launch",
            fp.launch_lon_deg,
            fp.launch_lat_deg,
            "launch",
            description=description,
        )
    )
    who = (getattr(fp, "missile_name", "") or fp.missile_id).split(" (", 1)[0]
    for k, site in enumerate(fp.sites):
        packets.append(_site_packet(site, f"{pid}-site-{k}-{slug(getattr(site, 'id', k))}", who))
    return packets


def czml_document(
    *,
    trajectories=(),
    footprints=(),
    sites=(),
    epoch=None,
    name: str = "bmdsim",
    interpolation: str = "lagrange",
    multiplier: float = 10.0,
) -> Document:
    """The czml3 ``Document`` that :func:`write_czml` writes (see there)."""
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"interpolation must be one of {', '.join(INTERPOLATIONS)}, not {interpolation!r}"
        )
    if not isinstance(trajectories, (list, tuple)):
        trajectories = [trajectories] if hasattr(trajectories, "t_s") else list(trajectories)
    if not isinstance(footprints, (list, tuple)):
        footprints = [footprints] if hasattr(footprints, "azimuth_deg") else list(footprints)
    t0 = _utc(epoch)
    packets: list[Packet] = []
    starts, ends = [], []
    for i, traj in enumerate(trajectories):
        more, start, end = _trajectory_packets(traj, i, t0, interpolation)
        packets += more
        starts.append(start)
        ends.append(end)
    for i, fp in enumerate(footprints):
        packets += _footprint_packets(fp, i)
    for k, site in enumerate(sites):
        sid = site[0] if isinstance(site, (tuple, list)) else getattr(site, "id", k)
        packets.append(_site_packet(site, f"site-{k}-{slug(sid)}"))
    start = min(starts, default=t0)
    end = max(ends, default=t0 + dt.timedelta(hours=1))
    if end <= start:
        end = start + dt.timedelta(seconds=1)
    document = Packet(
        id="document",
        name=name,
        version=CZML_VERSION,
        clock=Clock(
            interval=TimeInterval(start=_iso(start), end=_iso(end)),
            currentTime=_iso(start),
            multiplier=float(multiplier),
            range=ClockRanges.LOOP_STOP,
            step=ClockSteps.SYSTEM_CLOCK_MULTIPLIER,
        ),
    )
    return Document(packets=[document, *packets])


def write_czml(
    path,
    *,
    trajectories=(),
    footprints=(),
    sites=(),
    epoch=None,
    name: str = "bmdsim",
    interpolation: str = "lagrange",
    multiplier: float = 10.0,
) -> Path:
    """Write trajectories, footprints and sites as one CZML document; returns the path.

    - ``trajectories``: each a moving point (packet ``trajectory-<i>-<missile>``) whose
      ``position`` samples the ``Trajectory`` time series as ``cartographicDegrees``
      ``[t, lon, lat, h_m, ...]`` (``t`` in s from the packet's ``epoch``: the launch,
      at ``epoch`` plus the series' first time), interpolated ``lagrange`` (degree 5,
      the default) or ``linear``; an ``availability`` from launch to impact, a
      ``path`` that trails the whole flight, a label; and launch and impact points.
    - ``footprints``: each a polygon per part of ``footprint_polygon(fp)`` (cut at
      ±180, closed over a pole, so it contains the launch point) at height 0 with a
      translucent fill, the ring as a polyline, the launch point and the footprint's
      sites (green in reach, red out of reach).
    - ``sites``: extra points with labels: objects with ``lat_deg``, ``lon_deg`` and
      ``name`` or ``id`` (``SiteReach`` adds its distance and reach), or
      ``(name, lat_deg, lon_deg)`` tuples.
    - ``epoch``: the launch time in UTC (aware datetime, or naive taken as UTC, or ISO
      8601 text); default 2016-01-01T00:00:00Z. All flights launch at ``epoch``.

    The first packet is the document packet (``id`` "document", ``version`` "1.0")
    with a clock over all flights (one hour from ``epoch`` when there are none) that
    plays at ``multiplier`` times real time and stops at the end.
    """
    doc = czml_document(
        trajectories=trajectories,
        footprints=footprints,
        sites=sites,
        epoch=epoch,
        name=name,
        interpolation=interpolation,
        multiplier=multiplier,
    )
    packets = doc.to_dict()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One packet per line: compact for long trajectories, still diffable.
    text = (
        "[\n"
        + ",\n".join(json.dumps(p, ensure_ascii=False, allow_nan=False) for p in packets)
        + "\n]\n"
    )
    path.write_text(text, encoding="utf-8")
    return path
