"""Folders of results: the files one analysis writes (plots, map, GeoJSON, KML, CSV, JSON).

Used by the command line and the scenario runner alike, so a folder looks the same
whichever wrote it (docs/outputs.md lists every file). Each ``write_*_files`` creates
``out`` and writes its files there; none prints or returns anything. ``kml=False`` /
``geojson=False`` leave those formats out (a scenario's ``outputs:``). JSON is strict
(RFC 8259): a NaN or an infinity is written as null, never as a bare ``NaN``.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = [
    "slug",
    "write_coverage_files",
    "write_defended_files",
    "write_engagement_files",
    "write_flyout_files",
    "write_footprint_files",
    "write_sources_files",
    "write_study_files",
    "write_trajectory_files",
]


def slug(text) -> str:
    """``text`` as a file-name and id fragment: lower case; letters, digits, ``-``, ``_``
    and ``.`` kept, anything else a ``-``; no leading or trailing ``-``; ``x`` if nothing
    is left (``"SM-3 Block IIA"`` -> ``"sm-3-block-iia"``)."""
    out = "".join(c if c.isalnum() or c in "-_." else "-" for c in str(text).strip().lower())
    return out.strip("-") or "x"


def _write_json(path: Path, obj) -> None:
    from bmdsim.output.summary import json_value

    path.write_text(json.dumps(json_value(obj), indent=2, allow_nan=False))


def write_trajectory_files(
    trajectories,
    out: Path,
    sites=(),
    stem="trajectory",
    *,
    kml=True,
    geojson=True,
    figures=True,
    labels=None,
):
    from bmdsim.output import geojson as gj
    from bmdsim.output import kml as km
    from bmdsim.output import maps, plots, tables
    from bmdsim.output.summary import trajectory_summary

    out.mkdir(parents=True, exist_ok=True)
    trajectories = list(trajectories)
    if figures:  # figures=False: the data files only (bmdsim run draws what its report shows)
        plots.plot_altitude_range(trajectories, out / f"{stem}_altitude_range.png")
        plots.plot_speed_time(trajectories, out / f"{stem}_speed_time.png")
        maps.map_trajectories(trajectories, out / f"{stem}_map.png", sites=sites, labels=labels)
    for k, t in enumerate(trajectories):
        suffix = "" if len(trajectories) == 1 else f"_{k + 1}"
        if geojson:
            gj.write_geojson(gj.trajectory_geojson(t), out / f"{stem}{suffix}.geojson")
        tables.write_trajectory_csv(t, out / f"{stem}{suffix}.csv")
        _write_json(out / f"{stem}{suffix}_summary.json", trajectory_summary(t))
    if kml:
        km.write_kml(out / f"{stem}.kml", trajectories=trajectories)


def write_footprint_files(fp, out: Path, stem="footprint", *, kml=True, geojson=True, figures=True):
    from bmdsim.output import geojson as gj
    from bmdsim.output import kml as km
    from bmdsim.output import maps, plots, tables
    from bmdsim.output.summary import footprint_summary

    out.mkdir(parents=True, exist_ok=True)
    maps.map_footprint(fp, out / f"{stem}_map.png")
    if figures:
        plots.plot_footprint_polar(fp, out / f"{stem}_polar.png")
    if geojson:
        gj.write_geojson(gj.footprint_geojson(fp), out / f"{stem}.geojson")
    if kml:
        km.write_kml(out / f"{stem}.kml", footprints=[fp])
    tables.write_footprint_csv(fp, out / f"{stem}.csv")
    tables.write_sites_csv(fp, out / f"{stem}_sites.csv")
    _write_json(out / f"{stem}_summary.json", footprint_summary(fp))


def write_engagement_files(eng, out: Path, *, kml=True, geojson=True, figures=True):
    from bmdsim.output import defence_plots
    from bmdsim.output.summary import engagement_summary

    out.mkdir(parents=True, exist_ok=True)
    if figures:
        defence_plots.plot_engagement_timeline(eng, out / "engagement_timeline.png")
    defence_plots.plot_battle_space(eng, out / "battle_space.png")
    _write_json(out / "engagement_summary.json", engagement_summary(eng))
    if eng.trajectory is not None:
        write_trajectory_files(
            [eng.trajectory], out, stem="threat", kml=kml, geojson=geojson, figures=figures
        )


def write_flyout_files(table, out: Path):
    """``flyout.png`` (the envelopes over the fan) and ``flyout_summary.json``."""
    from bmdsim.output import defence_plots
    from bmdsim.output.summary import flyout_summary

    out.mkdir(parents=True, exist_ok=True)
    defence_plots.plot_flyout(table, out / "flyout.png")
    _write_json(out / "flyout_summary.json", flyout_summary(table))


def write_coverage_files(coverage, out: Path, *, sites=()):
    """An air-defence coverage (``bmdsim.coverage``'s Coverage): ``coverage_map.png``,
    ``coverage.geojson`` (one polygon per target altitude with a non-zero radius) and
    ``coverage_summary.json``."""
    from bmdsim.output import geojson, maps
    from bmdsim.output.summary import coverage_summary

    out.mkdir(parents=True, exist_ok=True)
    place = coverage.place
    drawn = [r for r in coverage.rings if r.radius_m > 0]
    maps.map_coverage(
        place.lat_deg,
        place.lon_deg,
        [
            (
                f"target at {r.target_altitude_m / 1e3:g} km: {r.radius_m / 1e3:,.0f} km "
                f"({r.limited_by})",
                r.lat_deg,
                r.lon_deg,
            )
            for r in drawn
        ],
        out / "coverage_map.png",
        title=f"{place.label}: {coverage.interceptor_id} with {coverage.radar_id}",
        sites=sites,
    )
    features = [
        {
            "type": "Feature",
            "properties": {
                "target_altitude_km": r.target_altitude_m / 1e3,
                "radius_km": r.radius_m / 1e3,
                "limited_by": r.limited_by,
            },
            "geometry": geojson.geometry_dict(
                geojson.ring_polygon(
                    r.lon_deg,
                    r.lat_deg,
                    centre_lat_deg=place.lat_deg,
                    centre_lon_deg=place.lon_deg,
                )
            ),
        }
        for r in drawn
    ]
    geojson.write_geojson(
        {"type": "FeatureCollection", "features": features}, out / "coverage.geojson"
    )
    summary = coverage_summary(coverage)
    _write_json(out / "coverage_summary.json", summary)


def write_defended_files(footprint, out: Path, *, threat, origin):
    """A defended footprint (``bmdsim.defended_footprint``'s DefendedFootprint) against
    ``threat`` launched from ``origin`` (the user's words, for the map's title):
    ``defended_map.png``, ``defended.geojson`` (one point per aim point) and
    ``defended_summary.json``."""
    from bmdsim.output import geojson, maps
    from bmdsim.output.summary import defended_summary

    out.mkdir(parents=True, exist_ok=True)
    summary = defended_summary(footprint, threat=threat)
    place, launch = footprint.place, footprint.launch
    maps.map_defended_points(
        place.lat_deg,
        place.lon_deg,
        footprint.points,
        out / "defended_map.png",
        title=f"{place.label} ({footprint.interceptor_id}) against {threat} from {origin}"
        " (illustrative: central values, coarse grid)",
        launch=(launch.lat_deg, launch.lon_deg),
    )
    geojson.write_geojson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                    "properties": {k: v for k, v in p.items() if k not in ("lat", "lon")},
                }
                for p in summary["points"]
            ],
        },
        out / "defended.geojson",
    )
    _write_json(out / "defended_summary.json", summary)


def write_study_files(result, out: Path, *, sites=()):
    """The Europe study (a ``StudyResult``): ``study_europe.csv`` and ``.json`` (one row
    per base, aim point, site and interceptor), ``study_europe_speeds.png`` (the burnout
    speed each case needs) and ``study_europe_map.png`` (every ICBM track, with the
    defence ``sites``: objects with ``lat_deg``, ``lon_deg`` and ``name``, e.g. catalogue
    sites)."""
    from bmdsim.output import defence_plots, maps, tables
    from bmdsim.output.summary import study_summary

    out.mkdir(parents=True, exist_ok=True)
    tables.write_csv(result.to_dataframe(), out / "study_europe.csv")
    _write_json(out / "study_europe.json", study_summary(result))
    defence_plots.plot_study_speeds(result.rows, out / "study_europe_speeds.png")
    maps.map_trajectories(
        list(result.trajectories),
        out / "study_europe_map.png",
        sites=sites,
        title=f"{result.missile}: Russian ICBM bases to US aim points",
    )


def sources_markdown(bibliography, *, product: str) -> str:
    """The numbered bibliography of ``product`` as Markdown (what ``sources.md`` holds)."""
    lines = [f"# Sources: {product}", ""]
    if not bibliography:
        lines.append("No catalogue entry was used.")
    for k, src in enumerate(bibliography, start=1):
        year = f" ({src['year']})" if src.get("year") else ""
        text = f"{k}. [{src['id']}] {src.get('author') or ''}{year}. {src.get('title') or ''}."
        if src.get("url"):
            text += f" {src['url']}"
            text += f" (accessed {src['accessed']})" if src.get("accessed") else " (not re-read)"
        if src.get("cited_by"):
            text += f" Cited by: {', '.join(src['cited_by'])}."
        lines.append(text)
        if src.get("note"):
            lines.append(f"   {' '.join(str(src['note']).split())}")
    return "\n".join(lines) + "\n"


def write_sources_files(bibliography, out: Path, *, product: str):
    """Every source a product used (``analyses.provenance.bibliography``: dicts with
    ``id, title, author, year, url, accessed, note, cited_by``): ``sources.json`` and
    ``sources.md``, one numbered list in the order first cited."""
    out.mkdir(parents=True, exist_ok=True)
    rows = list(bibliography)
    (out / "sources.json").write_text(
        json.dumps({"product": product, "sources": rows}, indent=2, ensure_ascii=False)
    )
    (out / "sources.md").write_text(sources_markdown(rows, product=product), encoding="utf-8")
