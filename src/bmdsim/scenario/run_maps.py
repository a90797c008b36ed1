"""The maps ``bmdsim run``'s report adds to its defence sections, and the cueing in
words (split from ``run.py``, which holds the runner)."""

from __future__ import annotations


def slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in str(text).lower()).strip("-")


def cueing_text(cueing) -> str:
    """The scenario's cueing in words (never a Python dict)."""
    data = cueing.model_dump()
    parts = []
    for key, value in data.items():
        if value is None:
            continue
        seconds = key.endswith("_s") or key == "cue_at"
        name = key.removesuffix("_s").replace("_", " ")
        if isinstance(value, bool):
            parts.append(f"{name}: {'yes' if value else 'no'}")
        elif isinstance(value, int | float):
            parts.append(f"{name} {value:g}" + (" s" if seconds else ""))
        else:
            parts.append(f"{name} {value}")
    return "; ".join(parts) or "the sensors' own tracks"


def write_defence_maps(res, specs, cat) -> None:
    """The maps the report's defence sections open with: every threat's ground track past
    the defence sites (``engagements/tracks_map.png``) and one coverage map per
    air-defence site with the places near it (``coverage/SITE/coverage_map.png``)."""
    from types import SimpleNamespace

    from bmdsim.analyses.coverage import places_near
    from bmdsim.output import maps
    from bmdsim.output.files import write_coverage_files

    if res.trajectories and specs:
        sites = {}
        for b in specs:
            sites.setdefault(
                b.site_id,
                SimpleNamespace(name=b.site_id, lat_deg=b.lat_deg, lon_deg=b.lon_deg),
            )
        (res.out / "engagements").mkdir(parents=True, exist_ok=True)
        maps.map_trajectories(
            [t for _, t in res.trajectories],
            res.out / "engagements" / "tracks_map.png",
            sites=list(sites.values()),
            title="Threat ground tracks past the defence sites",
        )
    for _, cov in res.coverages:
        write_coverage_files(
            cov, res.out / "coverage" / slug(cov.place.id), sites=places_near(cov, cat)
        )
