"""Offline maps on the shipped Natural Earth countries: footprints, ground tracks, sites,
coverage rings and defended footprints.

Projection: azimuthal equidistant (PROJ ``aeqd`` on the WGS 84 ellipsoid) centred on the
launch point, so every distance from the launcher is true and range rings are circles:
one projection from a 200 km Polonez footprint to a 12,000 km ICBM. Its one singularity
is the antipode (which maps to the whole rim circle), so everything within
``LIMB_FRACTION`` of half the Earth's circumference is drawn and a cap around the
antipode is cut out before projecting.

No cartopy, no tiles, no network: matplotlib, pyproj and ``data/naturalearth_110m_admin0
.geojson`` (Natural Earth, public domain; see docs/outputs.md). Figures are
``matplotlib.figure.Figure`` on an Agg canvas, never pyplot.
"""

from __future__ import annotations

import json
import math
import textwrap
from functools import lru_cache
from importlib import resources

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, PathPatch
from matplotlib.path import Path as MplPath
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LinearRing, Polygon, box, shape

from bmdsim.output.geojson import ring_polygon
from bmdsim.output.plots import (
    BAND,
    HALO,
    SITE_LABELS,
    format_lat,
    format_lon,
    km_span,
    new_figure,
    place_labels,
    save_figure,
    site_marker,
    trajectory_label,
    trajectory_list,
)

__all__ = [
    "load_countries",
    "map_coverage",
    "map_defended_points",
    "map_footprint",
    "map_trajectories",
]

BASEMAP = "naturalearth_110m_admin0.geojson"
ATTRIBUTION = "Base map: Natural Earth (public domain). Azimuthal equidistant projection"
HALF_CIRCUMFERENCE_M = 20_003_931.0  # WGS 84 pole-to-pole meridian arc
LIMB_FRACTION = 0.96  # draw out to this fraction of the half circumference
EXTENT_FACTOR = 1.25  # map half-width = 1.25 x the largest range shown
MIN_HALF_WIDTH_M = 100e3
DENSIFY_DEG = 0.5  # max vertex spacing before projecting (straight lon/lat edges bend)

LAND = "#f2efe6"
BORDER = "#9b9b9b"
OCEAN = "#dfeaf3"
GRATICULE = "#b9c4cc"
RING = "#6b6b6b"
FOOTPRINT = "#2c7bb6"
LAUNCH = "#111111"
TRACK_COLOURS = ["#d95f02", "#7570b3", "#e7298a", "#1b9e77", "#a6761d", "#666666"]
COVERAGE_COLOURS = ["#2c7bb6", "#1a9641", "#d95f02", "#7570b3", "#e7298a", "#a6761d"]

_GEOD = Geod(ellps="WGS84")
RECENTRE_M = 3_000e3  # a ground track longer than this is centred on its midpoint


@lru_cache(maxsize=1)
def load_countries() -> tuple[tuple[str, object], ...]:
    """The shipped Natural Earth 1:110m countries as ``(name, shapely geometry)`` pairs
    in lon/lat degrees (counter-clockwise, cut at ±180)."""
    text = resources.files("bmdsim.output").joinpath("data", BASEMAP).read_text("utf-8")
    return tuple(
        (f["properties"]["name"], shape(f["geometry"])) for f in json.loads(text)["features"]
    )


class AzimuthalMap:
    """An azimuthal equidistant frame centred on (lat, lon): lon/lat -> x/y metres."""

    def __init__(self, *, lat_deg: float, lon_deg: float, half_width_m: float):
        self.lat_deg = float(lat_deg)
        self.lon_deg = float(lon_deg)
        self.limb_m = LIMB_FRACTION * HALF_CIRCUMFERENCE_M
        self.half_width_m = float(min(max(half_width_m, MIN_HALF_WIDTH_M), self.limb_m))
        crs = CRS.from_proj4(
            f"+proj=aeqd +lat_0={self.lat_deg} +lon_0={self.lon_deg} +ellps=WGS84 +units=m"
        )
        self._to_xy = Transformer.from_crs(CRS.from_epsg(4326), crs, always_xy=True)
        self.view = box(
            -self.half_width_m, -self.half_width_m, self.half_width_m, self.half_width_m
        )
        self.disc = shapely.Point(0.0, 0.0).buffer(self.limb_m, quad_segs=128)
        self.window = self.view.intersection(self.disc)
        self._cap = self._antipodal_cap()

    def xy(self, lon_deg, lat_deg):
        """Project lon/lat arrays to x/y metres (same shapes)."""
        x, y = self._to_xy.transform(np.asarray(lon_deg, float), np.asarray(lat_deg, float))
        return np.asarray(x), np.asarray(y)

    def xy_masked(self, lon_deg, lat_deg):
        """Project, with NaN beyond the limb so that lines break there."""
        x, y = self.xy(lon_deg, lat_deg)
        far = np.hypot(x, y) > self.limb_m
        return np.where(far, np.nan, x), np.where(far, np.nan, y)

    def _antipodal_cap(self):
        """The lon/lat polygon of points farther than the limb: a geodesic disc around
        the antipode (cut at ±180, closed over a pole, like any footprint)."""
        lat_a, lon_a = -self.lat_deg, self.lon_deg + 180.0
        radius = (1.0 - LIMB_FRACTION) * HALF_CIRCUMFERENCE_M + 50e3
        az = np.linspace(360.0, 0.0, 181)[:-1]  # decreasing azimuth: counter-clockwise
        n = az.size
        lon, lat, _ = _GEOD.fwd(np.full(n, lon_a), np.full(n, lat_a), az, np.full(n, radius))
        return ring_polygon(lon, lat, centre_lat_deg=lat_a, centre_lon_deg=lon_a, what="cap")

    def project_area(self, geom_lonlat):
        """A lon/lat (Multi)Polygon projected and clipped to the map window.

        On the sphere minus the antipodal cap the projection is one-to-one, so a point
        lies in the projected region exactly when it lies inside an odd number of the
        projected rings (exterior and holes alike): the symmetric difference of the
        ring polygons. This stays right when a polygon encloses a pole or wraps the
        antipodal cap, where which ring is "outer" changes under the projection.
        """
        if not geom_lonlat.intersects(self._cap):
            g = geom_lonlat
        else:
            g = geom_lonlat.difference(self._cap)
        region = None
        for poly in getattr(g, "geoms", [g]):
            if not isinstance(poly, Polygon) or poly.is_empty:
                continue
            for ring in [poly.exterior, *poly.interiors]:
                dense = shapely.segmentize(LinearRing(ring), DENSIFY_DEG)
                lon, lat = np.asarray(dense.coords).T
                x, y = self.xy(lon, lat)
                p = Polygon(np.column_stack([x, y]))
                if not p.is_valid:
                    p = shapely.make_valid(p)
                region = p if region is None else region.symmetric_difference(p)
        if region is None or region.is_empty:
            return None
        # snap to 1 m so that the two halves of a country cut at ±180 fuse cleanly
        region = shapely.set_precision(region, 1.0)
        clipped = region.intersection(self.window)
        return None if clipped.is_empty else clipped


def _nice_step(span: float, target: int, steps) -> float:
    for s in steps:
        if span / s <= target:
            return s
    return steps[-1]


def _polygon_path(geom) -> MplPath | None:
    """A matplotlib Path for a shapely (Multi)Polygon, holes included."""
    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            verts.append(xy)
            c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _draw_countries(ax, m: AzimuthalMap, *, label=True):
    view_area = m.window.area
    labels = []
    for name, geom in load_countries():
        region = m.project_area(geom)
        if region is None:
            continue
        path = _polygon_path(region)
        if path is None:
            continue
        ax.add_patch(PathPatch(path, facecolor=LAND, edgecolor=BORDER, lw=0.6, zorder=1))
        if label and region.area > 0.012 * view_area:
            # the largest visible part, at a point well inside it
            parts = getattr(region, "geoms", [region])
            biggest = max((p for p in parts if isinstance(p, Polygon)), key=lambda p: p.area)
            pt = shapely.maximum_inscribed_circle(biggest).coords[0]
            labels.append((name, pt))
    for name, (x, y) in labels:
        ax.text(
            x,
            y,
            name,
            ha="center",
            va="center",
            fontsize=7,
            color="#8a8475",
            style="italic",
            zorder=2,
            clip_on=True,
        )


def _draw_graticule(ax, m: AzimuthalMap):
    """Meridians and parallels every 2, 5, 10 or 30 degrees (by map size), labelled
    where they leave the map at the bottom and left edges."""
    step = _nice_step(2.0 * m.half_width_m / 111e3, 6, (1, 2, 5, 10, 30))
    step = max(step, 1)
    fine = np.arange(-90.0, 90.0 + 1e-9, DENSIFY_DEG / 2)
    h = m.half_width_m
    bottom = shapely.LineString([(-h, -h), (h, -h)])
    left = shapely.LineString([(-h, -h), (-h, h)])
    kw = dict(color=GRATICULE, lw=0.5, zorder=1.5)
    text_kw = dict(fontsize=6.5, color="#6f7c85", zorder=6, clip_on=False)

    used: list[tuple[float, float]] = []  # label positions, to skip crowded ones
    min_gap = 0.06 * h

    def label_at(x, y, edge, text):
        ok = np.isfinite(x) & np.isfinite(y)
        # Split at masked (NaN) stretches: joining across a gap would draw a chord that
        # crosses the edge where the line does not (a far-side meridian labelled at the
        # bottom of the map).
        runs, start = [], None
        for k, good in enumerate(np.append(ok, False)):
            if good and start is None:
                start = k
            elif not good and start is not None:
                if k - start >= 2:
                    runs.append(np.column_stack([x[start:k], y[start:k]]))
                start = None
        if not runs:
            return
        hit = shapely.MultiLineString(runs).intersection(edge)
        for p in getattr(hit, "geoms", [hit]):
            if not isinstance(p, shapely.Point) or p.is_empty:
                continue
            if any(math.hypot(p.x - u, p.y - v) < min_gap for u, v in used):
                continue
            used.append((p.x, p.y))
            if edge is bottom:
                ax.text(p.x, -h, text, ha="center", va="top", **text_kw)
            else:
                ax.text(-h, p.y, text + " ", ha="right", va="center", **text_kw)

    for lon in np.arange(-180.0, 180.0, step):
        x, y = m.xy_masked(np.full(fine.size, lon), fine)
        ax.plot(x, y, **kw)
        label_at(x, y, bottom, format_lon(lon))
    lons = np.arange(-180.0, 180.0 + 1e-9, DENSIFY_DEG / 2)
    for lat in np.arange(-90.0 + step, 90.0, step):
        x, y = m.xy_masked(lons, np.full(lons.size, lat))
        ax.plot(x, y, **kw)
        label_at(x, y, left, format_lat(lat))


def _draw_range_rings(ax, m: AzimuthalMap, max_range_m: float):
    """Geodesic range rings (circles in this projection), labelled in km."""
    steps_km = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
    step_m = 1e3 * _nice_step(m.half_width_m / 1e3, 5, steps_km)
    r = step_m
    theta = np.radians(-38.0)  # labels along the lower right diagonal
    while r <= min(m.half_width_m * math.sqrt(2.0), m.limb_m):
        ax.add_patch(
            Circle((0, 0), r, fill=False, ec=RING, lw=0.7, ls=(0, (4, 3)), alpha=0.8, zorder=3)
        )
        x, y = r * math.cos(theta), r * math.sin(theta)
        if abs(x) < 0.95 * m.half_width_m and abs(y) < 0.95 * m.half_width_m:
            ax.text(
                x,
                y,
                f"{r / 1e3:,.0f} km",
                fontsize=7,
                color="#444444",
                ha="center",
                va="center",
                rotation=math.degrees(theta) + 90.0,
                rotation_mode="anchor",
                path_effects=HALO,
                zorder=7,
            )
        r += step_m


def _new_map(m: AzimuthalMap, *, title: str, attribution: bool = True):
    fig = new_figure(8.0, 8.4)
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    h = m.half_width_m
    ax.set_xlim(-h, h)
    ax.set_ylim(-h, h)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("white")
    ocean = _polygon_path(m.window)
    ax.add_patch(PathPatch(ocean, facecolor=OCEAN, edgecolor="none", zorder=0))
    if m.limb_m < h * math.sqrt(2.0):
        ax.add_patch(Circle((0, 0), m.limb_m, fill=False, ec="#7f8c95", lw=0.8, zorder=4))
    _draw_countries(ax, m)
    _draw_graticule(ax, m)
    ax.set_title(title, fontsize=11)
    if attribution:
        fig.text(0.995, 0.004, ATTRIBUTION, ha="right", va="bottom", fontsize=6.5, color="#666666")
    return fig, ax


def _launch_marker(ax, m: AzimuthalMap, lon_deg, lat_deg):
    x, y = m.xy(lon_deg, lat_deg)
    ax.plot(x, y, marker="*", ms=13, color=LAUNCH, mec="white", mew=0.8, ls="none", zorder=9)


def _verdict(site):
    """A site's verdict ('in', 'uncertain', 'out'), its in_reach flag, or None."""
    v = getattr(site, "verdict", None)
    return v if v is not None else getattr(site, "in_reach", None)


def _draw_sites(ax, m: AzimuthalMap, sites, *, avoid=(), label_verdict=False):
    """Sites marked by verdict; with ``label_verdict`` their labels say it too
    ("Warsaw: uncertain")."""
    xy, names = [], []
    h = m.half_width_m
    for s in sites:
        x, y = m.xy(s.lon_deg, s.lat_deg)
        x, y = float(x), float(y)
        if not (abs(x) <= h and abs(y) <= h) or math.hypot(x, y) > m.limb_m:
            continue
        ax.plot(x, y, ls="none", zorder=8, **site_marker(_verdict(s)))
        xy.append((x, y))
        name = getattr(s, "name", None) or str(getattr(s, "id", ""))
        if label_verdict and getattr(s, "verdict", None) is not None:
            name = f"{name}: {s.verdict}"
        names.append(name)
    if xy:
        place_labels(ax, xy, names, fontsize=8, avoid=avoid, path_effects=HALO, zorder=10)


def _site_legend_handles(sites):
    handles = []
    flags = set()
    for s in sites:
        v = _verdict(s)
        flags.add({True: "in", False: "out"}.get(v, v) if isinstance(v, bool) else v)
    for flag in ("in", "uncertain", "out", None):
        if flag in flags:
            handles.append(Line2D([], [], ls="none", label=SITE_LABELS[flag], **site_marker(flag)))
    return handles


def _legend(ax, handles):
    ax.legend(
        handles=handles,
        loc="best",
        fontsize=8,
        framealpha=0.92,
        borderpad=0.6,
    ).set_zorder(20)


def _ring_xy(m: AzimuthalMap, ring):
    az = np.asarray(ring.azimuth_deg, dtype=float) % 360.0
    order = np.argsort(az)
    return m.xy(np.asarray(ring.lon_deg)[order], np.asarray(ring.lat_deg)[order])


def _ring_polygon_xy(m: AzimuthalMap, ring):
    x, y = _ring_xy(m, ring)
    poly = Polygon(np.column_stack([x, y]))
    return poly if poly.is_valid else shapely.make_valid(poly)


def map_footprint(fp, path=None, *, title=None):
    """Map of a maximum-range footprint: countries, graticule, range rings, the
    footprint, the launch point and the sites. With a band: the area inside the short
    ring filled (in reach at every value), the band between the short and long rings
    shaded (uncertain), the central ring drawn solid and the band's rings dashed; sites
    marked and labelled by verdict (green in reach, amber uncertain, hollow red out).
    Returns the Figure; saves it to ``path`` when given."""
    band = fp.band
    max_range = float(np.max(fp.range_m))
    if band is not None:
        max_range = max(max_range, float(np.max(band.high.range_m)))
    m = AzimuthalMap(
        lat_deg=fp.launch_lat_deg,
        lon_deg=fp.launch_lon_deg,
        half_width_m=EXTENT_FACTOR * max_range,
    )
    rng = km_span(fp.max_range_min_m, fp.max_range_max_m, dash="–")
    if band is not None:
        lo = min(float(np.min(band.low.range_m)), fp.max_range_min_m)
        rng += f" (band {km_span(lo, max_range, dash='–')})"
    title = title or (
        f"{fp.missile_id}: maximum range {rng} from "
        f"{format_lat(round(fp.launch_lat_deg, 2))} {format_lon(round(fp.launch_lon_deg, 2))}"
    )
    fig, ax = _new_map(m, title=title, attribution=band is None)
    _draw_range_rings(ax, m, max_range)

    central = _ring_polygon_xy(m, fp.central)
    handles = []
    if band is None:
        path_fp = _polygon_path(central)
        if path_fp is not None:
            ax.add_patch(PathPatch(path_fp, facecolor=FOOTPRINT, alpha=0.16, lw=0, zorder=4))
            ax.add_patch(PathPatch(path_fp, fill=False, edgecolor=FOOTPRINT, lw=2.0, zorder=5))
        handles.append(
            Patch(
                facecolor=FOOTPRINT,
                alpha=0.35,
                edgecolor=FOOTPRINT,
                label="maximum-range footprint",
            )
        )
    else:
        low = _ring_polygon_xy(m, band.low).intersection(central)
        high = _ring_polygon_xy(m, band.high).union(central)
        between = high.difference(low)
        path_low, path_band = _polygon_path(low), _polygon_path(between)
        if path_low is not None:
            ax.add_patch(PathPatch(path_low, facecolor=FOOTPRINT, alpha=0.16, lw=0, zorder=4))
        if path_band is not None:
            ax.add_patch(
                PathPatch(
                    path_band,
                    facecolor=BAND,
                    alpha=0.45,
                    edgecolor=BAND,
                    hatch="////",
                    lw=0,
                    zorder=4,
                )
            )
        for ring in (band.low, band.high):
            x, y = _ring_xy(m, ring)
            ax.plot(
                np.append(x, x[:1]),
                np.append(y, y[:1]),
                color=FOOTPRINT,
                lw=1.0,
                ls="--",
                zorder=5,
            )
        path_fp = _polygon_path(central)
        if path_fp is not None:
            ax.add_patch(PathPatch(path_fp, fill=False, edgecolor=FOOTPRINT, lw=2.0, zorder=5))
        handles += [
            Patch(
                facecolor=FOOTPRINT,
                alpha=0.35,
                edgecolor=FOOTPRINT,
                label="in reach at every value in the band",
            ),
            Patch(facecolor=BAND, alpha=0.6, hatch="////", edgecolor=BAND, label="uncertain band"),
            Line2D([], [], color=FOOTPRINT, lw=2.0, label="central footprint"),
            Line2D([], [], color=FOOTPRINT, lw=1.0, ls="--", label="short and long rings"),
        ]
    _launch_marker(ax, m, fp.launch_lon_deg, fp.launch_lat_deg)
    _draw_sites(ax, m, fp.sites, avoid=[(0.0, 0.0)], label_verdict=band is not None)

    handles += [
        Line2D([], [], marker="*", ms=11, color=LAUNCH, ls="none", label="launch point"),
        *_site_legend_handles(fp.sites),
        Line2D([], [], color=RING, lw=0.8, ls=(0, (4, 3)), label="range from launch point"),
    ]
    if band is None:
        _legend(ax, handles)
    else:  # a longer legend, below the map, titled with what the band is
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=3,
            fontsize=7.5,
            title=textwrap.fill(band.text, 120) + "\n" + ATTRIBUTION,
            title_fontsize=7.5,
            framealpha=0.92,
        )
    if path is not None:
        save_figure(fig, path)
    return fig


MAX_TRACK_LEGEND = 8  # more tracks than this share one legend entry, drawn as a density
DENSITY_TRACK = "#b2182b"


def map_trajectories(trajectories, path=None, *, sites=(), title=None, labels=None):
    """Map of ground tracks: launch (star) and impact (cross) points, each end labelled
    (``labels``: (launch, target) names, else their coordinates), and optional ``sites``
    (objects with ``lat_deg``, ``lon_deg``, ``name``; ``in_reach`` colours them). A short
    track is centred on its launch point with range rings; a long one (beyond
    ``RECENTRE_M``) on the geodesic midpoint of its ends, so that both ends are near the
    centre's meridian and read north-up (a Yars from Teykovo to Washington does not show
    North America upside down). Returns the Figure; saves it to ``path`` when given."""
    trajs = trajectory_list(trajectories)
    if not trajs:
        raise ValueError("map_trajectories needs at least one trajectory")
    t0 = trajs[0]
    lat0, lon0 = t0.launch_lat_deg, t0.launch_lon_deg
    far = max(trajs, key=lambda t: t.range_m)
    recentre = far.range_m > RECENTRE_M
    if recentre:
        az, _, dist = _GEOD.inv(lon0, lat0, far.impact_lon_deg, far.impact_lat_deg)
        lon0, lat0, _ = _GEOD.fwd(lon0, lat0, az, dist / 2.0)
    probe = AzimuthalMap(lat_deg=lat0, lon_deg=lon0, half_width_m=MIN_HALF_WIDTH_M)
    reach = 0.0
    for t in trajs:
        x, y = probe.xy(t.lon_deg, t.lat_deg)
        reach = max(reach, float(np.nanmax(np.hypot(x, y))))
    m = AzimuthalMap(lat_deg=lat0, lon_deg=lon0, half_width_m=EXTENT_FACTOR * reach)
    if title is None:
        names = sorted({t.missile_id for t in trajs})
        title = f"Ground tracks: {', '.join(names)}"
    fig, ax = _new_map(m, title=title)
    one_launch = all(
        abs(t.launch_lat_deg - t0.launch_lat_deg) < 1e-6
        and abs(t.launch_lon_deg - t0.launch_lon_deg) < 1e-6
        for t in trajs
    )
    rings = one_launch and not recentre  # range rings only around one shared launch point
    if rings:
        _draw_range_rings(ax, m, reach)
    handles = []
    impacts = []
    ends = []
    many = len(trajs) > MAX_TRACK_LEGEND  # one colour, translucent: overlap reads as density
    for i, t in enumerate(trajs):
        colour = DENSITY_TRACK if many else TRACK_COLOURS[i % len(TRACK_COLOURS)]
        x, y = m.xy_masked(t.lon_deg, t.lat_deg)
        ax.plot(
            x,
            y,
            color=colour,
            lw=1.6 if many else 2.2,
            alpha=max(0.12, min(0.6, 4.0 / len(trajs))) if many else 1.0,
            zorder=6,
            solid_capstyle="round",
        )
        xi, yi = m.xy(t.impact_lon_deg, t.impact_lat_deg)
        ax.plot(xi, yi, marker="X", ms=9, color=colour, mec="white", mew=0.8, zorder=9)
        impacts.append((float(xi), float(yi)))
        if t.target_lat_deg is not None and t.target_lon_deg is not None:
            xt, yt = m.xy(t.target_lon_deg, t.target_lat_deg)
            ax.plot(xt, yt, marker="o", ms=10, mfc="none", mec=colour, mew=1.3, zorder=9)
        _launch_marker(ax, m, t.launch_lon_deg, t.launch_lat_deg)
        if len(trajs) == 1:  # several tracks: their markers and legend say it
            names = labels or (None, None)
            ends += [
                (t.launch_lon_deg, t.launch_lat_deg, names[0], "launch"),
                (t.impact_lon_deg, t.impact_lat_deg, names[1], "target"),
            ]
        if len(trajs) <= MAX_TRACK_LEGEND:
            handles.append(Line2D([], [], color=colour, lw=2.2, label=trajectory_label(t)))
    if len(trajs) > MAX_TRACK_LEGEND:
        handles.append(
            Line2D(
                [],
                [],
                color=DENSITY_TRACK,
                lw=2.2,
                label=f"{len(trajs)} ground tracks (darker: more tracks overlap)",
            )
        )
    for lon, lat, name, what in ends:
        x, y = m.xy(lon, lat)
        text = name or f"{format_lat(round(lat, 1))} {format_lon(round(lon, 1))}"
        ax.annotate(
            f"{what}: {text}",
            (x, y),
            xytext=(8, -14 if what == "target" else 10),
            textcoords="offset points",
            fontsize=9,
            fontweight="bold",
            zorder=10,
            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
        )
    _draw_sites(ax, m, sites, avoid=[(0.0, 0.0), *impacts])
    handles += [
        Line2D([], [], marker="*", ms=11, color=LAUNCH, ls="none", label="launch point"),
        Line2D([], [], marker="X", ms=8, color="#444444", ls="none", label="impact point"),
    ]
    if any(t.target_lat_deg is not None for t in trajs):
        handles.append(
            Line2D([], [], marker="o", ms=9, mfc="none", mec="#444444", ls="none", label="target")
        )
    handles += _site_legend_handles(sites)
    if rings:
        handles.append(
            Line2D([], [], color=RING, lw=0.8, ls=(0, (4, 3)), label="range from launch point")
        )
    _legend(ax, handles)
    if path is not None:
        save_figure(fig, path)
    return fig


# -- coverage and defended footprints around a site: bmdsim.output.site_maps ------------
from bmdsim.output.site_maps import map_coverage, map_defended_points  # noqa: E402, F401
