"""Maps around one site: air-defence coverage rings and defended footprints, on the
azimuthal equidistant frame of :mod:`bmdsim.output.maps` (which re-exports them)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from shapely.geometry import Polygon

from bmdsim.output.maps import (
    COVERAGE_COLOURS,
    EXTENT_FACTOR,
    MIN_HALF_WIDTH_M,
    RING,
    AzimuthalMap,
    _draw_range_rings,
    _draw_sites,
    _legend,
    _new_map,
    _polygon_path,
    _site_legend_handles,
    format_lat,
    format_lon,
    save_figure,
)


def _site_objects(sites):
    out = []
    for s in sites:
        if hasattr(s, "lat_deg"):
            out.append(s)
        else:  # (name, lat, lon)
            name, lat, lon = s
            out.append(SimpleNamespace(name=str(name), lat_deg=float(lat), lon_deg=float(lon)))
    return out


def map_coverage(center_lat_deg, center_lon_deg, rings, path=None, *, title=None, sites=()):
    """Map of coverage areas around a centre (a battery site, a defended point) on the
    azimuthal equidistant map of ``map_footprint``: ``rings`` is a list of ``(label,
    lats_deg, lons_deg)`` closed polygons (e.g. the ground area defended against a threat
    at several intercept altitudes), drawn filled and outlined; ``sites`` are objects with
    ``lat_deg``, ``lon_deg``, ``name`` (``in_reach`` colours them) or ``(name, lat,
    lon)`` tuples. Distance rings from the centre are dashed. Returns the Figure; saves
    it to ``path`` when given."""
    rings = [(str(lab), np.asarray(la, float), np.asarray(lo, float)) for lab, la, lo in rings]
    sites = _site_objects(sites)
    probe = AzimuthalMap(
        lat_deg=center_lat_deg, lon_deg=center_lon_deg, half_width_m=MIN_HALF_WIDTH_M
    )
    reach = 0.0
    for _, la, lo in rings:
        if la.size:
            x, y = probe.xy(lo, la)
            reach = max(reach, float(np.nanmax(np.hypot(x, y))))
    for s in sites:
        x, y = probe.xy(s.lon_deg, s.lat_deg)
        reach = max(reach, float(np.hypot(x, y)) / 1.1)
    m = AzimuthalMap(
        lat_deg=center_lat_deg,
        lon_deg=center_lon_deg,
        half_width_m=EXTENT_FACTOR * max(reach, MIN_HALF_WIDTH_M / EXTENT_FACTOR),
    )
    fig, ax = _new_map(
        m,
        title=title
        or f"Coverage around {format_lat(round(center_lat_deg, 2))} "
        f"{format_lon(round(center_lon_deg, 2))}",
    )
    _draw_range_rings(ax, m, reach)
    handles = []
    # Rings of nearly the same radius (an S-400's 10, 20 and 30 km altitude rings, all
    # limited by the same radar horizon or interceptor reach) stay distinct: outlines in
    # their own colour, dash and width, only the largest faintly filled.
    dashes = ["solid", (0, (6, 3)), (0, (2, 2)), (0, (8, 3, 2, 3))]
    largest = max(range(len(rings)), key=lambda k: rings[k][1].size and _extent(m, rings[k]))
    for k, (label, la, lo) in enumerate(rings):
        colour = COVERAGE_COLOURS[k % len(COVERAGE_COLOURS)]
        style = dashes[k % len(dashes)]
        width = 2.6 - 0.5 * (k % 4)
        if la.size >= 3:
            x, y = m.xy_masked(lo, la)
            ok = np.isfinite(x) & np.isfinite(y)
            poly = Polygon(np.column_stack([x[ok], y[ok]])) if ok.sum() >= 3 else None
            if poly is not None and not poly.is_valid:
                poly = shapely.make_valid(poly)
            patch_path = _polygon_path(poly) if poly is not None else None
            if patch_path is not None:
                if k == largest:
                    ax.add_patch(
                        PathPatch(patch_path, facecolor=colour, alpha=0.08, lw=0, zorder=4)
                    )
                ax.add_patch(
                    PathPatch(
                        patch_path,
                        fill=False,
                        edgecolor=colour,
                        lw=width,
                        ls=style,
                        zorder=5 + 0.1 * k,
                    )
                )
        handles.append(Line2D([], [], color=colour, lw=width, ls=style, label=label))
    x0, y0 = m.xy(center_lon_deg, center_lat_deg)
    ax.plot(x0, y0, marker="^", ms=11, color="black", mec="white", mew=0.8, ls="none", zorder=9)
    _draw_sites(ax, m, sites, avoid=[(0.0, 0.0)])
    handles += [
        Line2D([], [], marker="^", ms=9, color="black", ls="none", label="centre"),
        *_site_legend_handles(sites),
        Line2D([], [], color=RING, lw=0.8, ls=(0, (4, 3)), label="distance from centre"),
    ]
    _legend(ax, handles)
    if path is not None:
        save_figure(fig, path)
    return fig


def map_defended_points(
    center_lat_deg, center_lon_deg, points, path=None, *, title=None, launch=None
):
    """Map of a defended footprint: aim points around a BMD site, filled green where an
    intercept is feasible, hollow red where not, grey crosses beyond the threat's range;
    ``points`` are objects with lat_deg, lon_deg, defended, reason; ``launch`` an optional
    (lat, lon) of the threat's launch point."""
    points = list(points)
    probe = AzimuthalMap(
        lat_deg=center_lat_deg, lon_deg=center_lon_deg, half_width_m=MIN_HALF_WIDTH_M
    )
    extra = [(p.lat_deg, p.lon_deg) for p in points] + ([tuple(launch)] if launch else [])
    reach = max([float(np.hypot(*probe.xy(lo, la))) for la, lo in extra] + [1.0])
    m = AzimuthalMap(
        lat_deg=center_lat_deg,
        lon_deg=center_lon_deg,
        half_width_m=EXTENT_FACTOR * max(reach, MIN_HALF_WIDTH_M / EXTENT_FACTOR),
    )
    fig, ax = _new_map(m, title=title or "Defended footprint")
    _draw_range_rings(ax, m, reach)
    styles = {
        "defended": dict(marker="o", ms=8, color="#1a9850", mec="white", ls="none"),
        "not defended": dict(marker="o", ms=8, mfc="none", mec="#d73027", mew=1.5, ls="none"),
        "beyond the threat's range": dict(marker="x", ms=6, color="#999999", ls="none"),
    }
    for p in points:
        key = (
            "defended"
            if p.defended
            else "beyond the threat's range"
            if p.reason == "beyond-threat-range"
            else "not defended"
        )
        x, y = m.xy(p.lon_deg, p.lat_deg)
        ax.plot(x, y, zorder=8, **styles[key])
    x0, y0 = m.xy(center_lon_deg, center_lat_deg)
    ax.plot(x0, y0, marker="^", ms=11, color="black", mec="white", mew=0.8, ls="none", zorder=9)
    handles = [Line2D([], [], label=k, **v) for k, v in styles.items()]
    handles.append(Line2D([], [], marker="^", ms=9, color="black", ls="none", label="defence site"))
    if launch:
        xl, yl = m.xy(launch[1], launch[0])
        ax.plot(xl, yl, marker="*", ms=14, color="#b2182b", mec="white", ls="none", zorder=9)
        handles.append(
            Line2D(
                [], [], marker="*", ms=11, color="#b2182b", ls="none", label="threat launch point"
            )
        )
    _legend(ax, handles)
    if path is not None:
        save_figure(fig, path)
    return fig


def _extent(m, ring) -> float:
    _, la, lo = ring
    x, y = m.xy(lo, la)
    return float(np.nanmax(np.hypot(x, y)))
