"""Folders of results: the files one analysis writes (plots, map, GeoJSON, KML, CSV, JSON).

Used by the command line and the scenario runner alike, so a folder looks the same
whichever wrote it (docs/outputs.md lists every file).
"""

from __future__ import annotations

import json
from pathlib import Path


def write_trajectory_files(trajectories, out: Path, sites=(), stem="trajectory"):
    from bmdsim.output import geojson, kml, maps, plots, tables
    from bmdsim.output.summary import trajectory_summary

    out.mkdir(parents=True, exist_ok=True)
    trajectories = list(trajectories)
    plots.plot_altitude_range(trajectories, out / f"{stem}_altitude_range.png")
    plots.plot_speed_time(trajectories, out / f"{stem}_speed_time.png")
    maps.map_trajectories(trajectories, out / f"{stem}_map.png", sites=sites)
    for k, t in enumerate(trajectories):
        suffix = "" if len(trajectories) == 1 else f"_{k + 1}"
        geojson.write_geojson(geojson.trajectory_geojson(t), out / f"{stem}{suffix}.geojson")
        tables.write_trajectory_csv(t, out / f"{stem}{suffix}.csv")
        (out / f"{stem}{suffix}_summary.json").write_text(
            json.dumps(trajectory_summary(t), indent=2)
        )
    kml.write_kml(out / f"{stem}.kml", trajectories=trajectories)


def write_footprint_files(fp, out: Path, stem="footprint"):
    from bmdsim.output import geojson, kml, maps, plots, tables
    from bmdsim.output.summary import footprint_summary

    out.mkdir(parents=True, exist_ok=True)
    maps.map_footprint(fp, out / f"{stem}_map.png")
    plots.plot_footprint_polar(fp, out / f"{stem}_polar.png")
    geojson.write_geojson(geojson.footprint_geojson(fp), out / f"{stem}.geojson")
    kml.write_kml(out / f"{stem}.kml", footprints=[fp])
    tables.write_footprint_csv(fp, out / f"{stem}.csv")
    tables.write_sites_csv(fp, out / f"{stem}_sites.csv")
    (out / f"{stem}_summary.json").write_text(json.dumps(footprint_summary(fp), indent=2))


def write_engagement_files(eng, out: Path):
    from bmdsim.output import defence_plots
    from bmdsim.output.defence_summary import engagement_summary

    out.mkdir(parents=True, exist_ok=True)
    defence_plots.plot_engagement_timeline(eng, out / "engagement_timeline.png")
    defence_plots.plot_battle_space(eng, out / "battle_space.png")
    (out / "engagement_summary.json").write_text(json.dumps(engagement_summary(eng), indent=2))
    if eng.trajectory is not None:
        write_trajectory_files([eng.trajectory], out, stem="threat")
