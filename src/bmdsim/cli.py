"""The ``bmdsim`` command line: each command calls one public function.

Results go to stdout (a table, or JSON with ``--json``); progress and errors to stderr.
A user error prints one line and exits with code 1, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bmdsim.cli_console import _fail, _stderr, _stdout
from bmdsim.errors import BmdsimError, InputError
from bmdsim.output.files import (
    write_coverage_files,
    write_defended_files,
    write_engagement_files,
    write_flyout_files,
    write_footprint_files,
    write_study_files,
    write_trajectory_files,
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    help=(
        "bmdsim: open, cited, physics-based ballistic-missile simulation for policy analysis.\n\n"
        "Examples:\n\n"
        "  bmdsim catalogue list\n\n"
        "  bmdsim reach --missile iskander-m --from kaliningrad --out out/iskander\n\n"
        "  bmdsim trajectory --missile rs-24-yars --from teykovo --to washington-dc --json\n\n"
        "  bmdsim coast --lat 0 --lon 0 --alt-km 0 --speed-kms 3 --gamma-deg 40 --azimuth-deg 90 "
        "--earth sphere --no-rotation --no-drag"
    ),
)
catalogue_app = typer.Typer(no_args_is_help=True, help="List and show the cited catalogue.")
app.add_typer(catalogue_app, name="catalogue")

MissileOpt = Annotated[
    str,
    typer.Option(
        "--missile",
        "-m",
        help="Catalogue id or alias (iskander-m, 'SS-26', palanez...) or a vehicle YAML file.",
    ),
]
FromOpt = Annotated[
    str,
    typer.Option(
        "--from",
        help="Launch point: catalogue site id/alias "
        "(brest, kaliningrad, teykovo...) or LAT,LON in degrees.",
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Print only JSON on stdout (stable fields: see docs/outputs.md)."),
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Folder for plots, map, GeoJSON, KML and CSV.")
]
BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        help="auto (CUDA when an NVIDIA GPU is present, else cpu), cpu (numba, all cores), "
        "cuda (NVIDIA GPU, the [gpu] extra) or reference (scipy DOP853; slow, for checks).",
    ),
]


def _print_json(obj):
    sys.stdout.write(json.dumps(obj, indent=2) + "\n")


@app.command()
def trajectory(
    missile: MissileOpt,
    origin: FromOpt,
    target: Annotated[str, typer.Option("--to", help="Aim point: site id/alias or LAT,LON.")],
    shape: Annotated[
        str, typer.Option(help="minimum-energy | lofted | depressed | apogee=KM")
    ] = "minimum-energy",
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """Fly one missile to an aim point on the rotating WGS 84 Earth (boost, staging,
    coast, re-entry with drag) and report range, apogee, flight time and burnout."""
    import bmdsim
    from bmdsim.output.summary import trajectory_summary

    try:
        with _stderr().status("solving the aim point and flying..."):
            traj = bmdsim.fly(missile, origin=origin, target=target, shape=shape, backend=backend)
    except BmdsimError as exc:
        _fail(exc)
    summary = trajectory_summary(traj)
    if out:
        write_trajectory_files([traj], out)
    if as_json:
        _print_json(summary)
        return
    from rich.table import Table

    table = Table(title=f"{traj.missile_id}: {origin} -> {target} ({summary['shape']})")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    b = summary["burnout"]
    for name, value in [
        ("range", f"{summary['range_km']:,.1f} km"),
        ("apogee", f"{summary['apogee_km']:,.1f} km"),
        (
            "flight time",
            f"{summary['flight_time_s']:,.0f} s ({summary['flight_time_s'] / 60:.1f} min)",
        ),
        ("burnout time", f"{b['time_s']:.1f} s"),
        ("burnout altitude", f"{b['altitude_km']:.1f} km"),
        ("burnout speed (inertial)", f"{b['speed_kms']:.3f} km/s"),
        ("burnout flight-path angle", f"{b['flight_path_angle_deg']:.2f} deg"),
        ("impact", f"{summary['impact']['lat']:.4f}, {summary['impact']['lon']:.4f}"),
        ("miss", f"{summary['miss_km'] * 1000:.0f} m"),
    ]:
        table.add_row(name, value)
    _stdout().print(table)
    if out:
        _stderr().print(f"files written to {out}/")


@app.command()
def reach(
    missile: MissileOpt,
    origin: FromOpt,
    sites: Annotated[
        str,
        typer.Option(
            help="Sites to test: a tag (nato, aimpoint, belarus...), 'all', or comma-separated ids."
        ),
    ] = "nato",
    azimuths: Annotated[
        int, typer.Option(min=8, max=3600, help="Number of launch azimuths.")
    ] = 360,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """Azimuth-true maximum-range footprint from a launch point, which sites lie inside it
    and how long a minimum-energy flight to each takes."""
    import bmdsim
    from bmdsim.output.summary import footprint_summary

    try:
        with _stderr().status("computing the footprint..."):
            fp = bmdsim.reach(
                missile, origin=origin, sites=sites, n_azimuths=azimuths, backend=backend
            )
    except BmdsimError as exc:
        _fail(exc)
    if out:
        write_footprint_files(fp, out)
    if as_json:
        _print_json(footprint_summary(fp))
        return
    _stdout().print(_footprint_table(fp, f"{fp.missile_id} from {origin}"))
    if out:
        _stderr().print(f"files written to {out}/")


def _footprint_table(fp, title):
    from rich.table import Table

    table = Table(
        title=f"{title}: maximum range {fp.max_range_min_m / 1e3:,.0f}-"
        f"{fp.max_range_max_m / 1e3:,.0f} km"
    )
    for col, just in [
        ("site", "left"),
        ("distance km", "right"),
        ("reach km", "right"),
        ("in reach", "center"),
        ("flight time", "right"),
    ]:
        table.add_column(col, justify=just)
    for s in sorted(fp.sites, key=lambda s: s.distance_m):
        table.add_row(
            s.name or s.id,
            f"{s.distance_m / 1e3:,.0f}",
            f"{s.max_range_m / 1e3:,.0f}",
            "[green]yes[/]" if s.in_reach else "[red]no[/]",
            f"{s.flight_time_s / 60:.1f} min" if s.flight_time_s else "",
        )
    return table


@app.command()
def coast(
    lat: Annotated[float, typer.Option(help="Start latitude, degrees.")],
    lon: Annotated[float, typer.Option(help="Start longitude, degrees.")],
    alt_km: Annotated[float, typer.Option(help="Start altitude, km.")],
    speed_kms: Annotated[float, typer.Option(help="Speed relative to the ground, km/s.")],
    gamma_deg: Annotated[float, typer.Option(help="Flight-path angle above the horizontal, deg.")],
    azimuth_deg: Annotated[float, typer.Option(help="Heading, degrees clockwise from north.")],
    earth: Annotated[
        str, typer.Option(help="wgs84 (ellipsoid, J2) or sphere (point mass).")
    ] = "wgs84",
    no_rotation: Annotated[bool, typer.Option("--no-rotation", help="Non-rotating Earth.")] = False,
    no_drag: Annotated[bool, typer.Option("--no-drag", help="No atmosphere.")] = False,
    beta: Annotated[
        float | None,
        typer.Option(help="Ballistic coefficient m/(Cd A), kg/m^2 (needed with drag)."),
    ] = None,
    as_json: JsonOpt = False,
    backend: BackendOpt = "auto",
):
    """Ballistic flight from a given state, to check the physics against closed forms
    (e.g. --earth sphere --no-rotation --no-drag against Bate, Mueller & White ch. 6)."""
    import bmdsim
    from bmdsim.output.summary import coast_summary

    try:
        model = bmdsim.flight_model(earth=earth, rotation=not no_rotation, drag=not no_drag)
        t = bmdsim.coast(
            lat_deg=lat,
            lon_deg=lon,
            alt_m=alt_km * 1e3,
            speed_m_s=speed_kms * 1e3,
            flight_path_angle_deg=gamma_deg,
            azimuth_deg=azimuth_deg,
            ballistic_coefficient_kg_m2=beta,
            model=model,
            backend=backend,
        )
    except BmdsimError as exc:
        _fail(exc)
    result = coast_summary(t)
    if as_json:
        _print_json(result)
        return
    _stdout().print(
        f"range {result['range_km']:,.3f} km, flight time {result['flight_time_s']:,.2f} s, "
        f"apogee {result['apogee_km']:,.3f} km, impact {result['impact']['lat']:.5f}, "
        f"{result['impact']['lon']:.5f}"
    )


@catalogue_app.command("list")
def catalogue_list(
    kind: Annotated[str, typer.Option(help="missile | site | source | aero")] = "missile",
    as_json: JsonOpt = False,
):
    """List catalogue entries of one kind with their sources."""
    import bmdsim

    try:
        cat = bmdsim.catalogue()
        kinds = {
            k: k for k in ("missile", "site", "source", "aero", "interceptor", "radar", "sensor")
        }
        kinds.update({f"{k}s": k for k in list(kinds)})
        if kind not in kinds:
            raise InputError(
                f"unknown catalogue kind {kind!r}; allowed: missile, interceptor, radar, "
                "sensor, site, source, aero",
                field="kind",
                value=kind,
                allowed=sorted(set(kinds.values())),
            )
        entries = cat.entries(kinds[kind])
    except BmdsimError as exc:
        _fail(exc)
    if as_json:
        _print_json([e.model_dump(mode="json") for e in entries])
        return
    from rich.table import Table

    table = Table(title=f"{len(entries)} {kind} entries")
    table.add_column("id")
    table.add_column("name")
    table.add_column("details")
    for e in entries:
        if hasattr(e, "published_range"):
            rng = e.published_range
            detail = f"{e.kind}, {e.country}, range {rng.value:g} {rng.unit} [{rng.source}]"
        elif hasattr(e, "burnout_speed"):
            b = e.burnout_speed
            detail = f"burnout {b.value:g} {b.unit} ({b.low:g}-{b.high:g}) [{b.source}]"
            detail += ", notional" if e.notional else ""
        elif hasattr(e, "reference_range"):
            r = e.reference_range
            detail = (
                f"{e.role}, {r.value:g} {r.unit} vs {e.reference_rcs.value:g} "
                f"{e.reference_rcs.unit} [{r.source}]"
            )
        elif hasattr(e, "detection_delay"):
            detail = f"detection {e.detection_delay.value:g} {e.detection_delay.unit} after launch"
        elif hasattr(e, "lat_deg"):
            detail = (
                f"{e.lat_deg:.4f}, {e.lon_deg:.4f} ±{e.uncertainty_km:g} km, {e.kind} [{e.source}]"
            )
        elif hasattr(e, "title"):
            detail = f"{getattr(e, 'author', '')} {getattr(e, 'year', '')}: {e.title}"
        else:
            detail = ""
        table.add_row(e.id, escape(getattr(e, "name", "") or ""), escape(detail))
    _stdout().print(table)


@catalogue_app.command("show")
def catalogue_show(
    name: Annotated[str, typer.Argument(help="Id or alias of a missile or site.")],
    as_json: JsonOpt = False,
):
    """Show one entry with every number, its range and its source."""
    import bmdsim
    from bmdsim.errors import UnknownEntryError

    cat = bmdsim.catalogue()
    entry = None
    close = []
    for kind in ("missile", "interceptor", "radar", "sensor", "site", "source", "aero"):
        try:
            entry = cat.lookup(kind, name)
            break
        except UnknownEntryError as exc:
            close += list(exc.allowed or [])
    if entry is None:
        hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
        _fail(
            UnknownEntryError(
                f"no catalogue entry named {name!r}{hint}",
                field="name",
                value=name,
                allowed=close[:5],
            )
        )
    data = entry.model_dump(mode="json", exclude_none=True)
    if as_json:
        _print_json(data)
        return
    from rich.pretty import Pretty

    con = _stdout()
    con.print(Pretty(data, expand_all=False))
    sources = cat.sources_for(entry)
    if sources:
        con.print("\n[bold]Sources[/]")
        for s in sources:
            con.print(
                escape(
                    f"  [{s.id}] {getattr(s, 'author', '')} ({getattr(s, 'year', '')}). "
                    f"{s.title}. {getattr(s, 'url', '') or ''}"
                )
            )


def _doctrine(decision_delay_s, assessment_delay_s, remote):
    from bmdsim.defence.engagement import Doctrine

    return Doctrine(
        decision_delay_s=decision_delay_s,
        assessment_delay_s=assessment_delay_s,
        launch_on_remote=remote,
        engage_on_remote=remote,
    )


def _engagement_table(eng, title):
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    for col, just in (
        ("battery", "left"),
        ("ok", "center"),
        ("launch s", "right"),
        ("window s", "right"),
        ("alt km", "right"),
        ("shots", "right"),
        ("need", "right"),
    ):
        table.add_column(col, justify=just, no_wrap=True, min_width=len(col))
    table.columns[0].min_width = max(len(f"{w.site_id}:{w.interceptor_id}") for w in eng.windows)
    table.columns[1].min_width = 3
    table.columns[4].min_width = 9
    batteries = eng.batteries or [None] * len(eng.windows)
    for w, b in zip(eng.windows, batteries, strict=False):
        vmin = w.min_burnout_speed_m_s
        if vmin is None:
            need = "> 10" if b is not None and b.flyout_for_speed else ""
        else:
            need = f"{vmin / 1e3:.2f}"
        table.add_row(
            f"{w.site_id}:{w.interceptor_id}",
            "[green]yes[/]" if w.feasible else "[red]no[/]",
            "" if w.earliest_launch_s is None else f">= {w.earliest_launch_s:.0f}",
            f"{w.first_intercept_s:.0f}-{w.last_intercept_s:.0f}" if w.feasible else "",
            f"{w.first_altitude_m / 1e3:,.0f}-{w.last_altitude_m / 1e3:,.0f}" if w.feasible else "",
            str(w.shots),
            need,
        )
    table.caption = "need: slowest burnout speed (km/s) that would intercept"
    return table


def _print_reasons(con, eng):
    for w in eng.windows:
        if w.reason:
            con.print(f"  {w.site_id}:{w.interceptor_id}: {w.reason}: {escape(w.reason_text)}")
        elif w.closing_speed_m_s is not None:
            con.print(
                f"  {w.site_id}:{w.interceptor_id}: closing speed "
                f"{w.closing_speed_m_s / 1e3:.1f} km/s, crossing angle "
                f"{w.crossing_angle_deg:.0f} deg at the first intercept"
            )


@app.command()
def engage(
    threat: Annotated[
        str,
        typer.Option("--threat", "-t", help="Threat missile: catalogue id, alias or vehicle YAML."),
    ],
    origin: FromOpt,
    target: Annotated[str, typer.Option("--to", help="Threat aim point: site or LAT,LON.")],
    defence: Annotated[
        list[str],
        typer.Option(
            "--defence",
            "-d",
            help="SITE (its deployed interceptors) or SITE:INTERCEPTOR; repeat "
            "for several, e.g. -d redzikowo:sm-3-iia -d redzikowo:sm-3-iib.",
        ),
    ],
    sensor: Annotated[
        list[str] | None,
        typer.Option(
            "--sensor",
            "-s",
            help="SITE:RADAR, SITE (all its radars) or early-warning-satellite; "
            "repeat. Default: the radars at the defence sites and the early-warning satellite.",
        ),
    ] = None,
    cue_at: Annotated[
        str | None,
        typer.Option(
            "--cue-at",
            help="Stated cueing assumption: a remote fire-control track from this time "
            "on ('burnout' or seconds after launch), as in the open studies.",
        ),
    ] = None,
    shape: Annotated[
        str, typer.Option(help="Threat shape: minimum-energy | lofted | depressed | apogee=KM")
    ] = "minimum-energy",
    decision_delay_s: Annotated[
        float, typer.Option(help="Firm track -> earliest interceptor launch, s.")
    ] = 30.0,
    assessment_delay_s: Annotated[
        float, typer.Option(help="Intercept -> next launch in shoot-look-shoot, s.")
    ] = 30.0,
    no_remote: Annotated[
        bool,
        typer.Option(
            "--no-remote",
            help="Only a battery's own radars may commit it and support the intercept.",
        ),
    ] = False,
    rcs_m2: Annotated[
        float | None,
        typer.Option(help="Threat radar cross-section, m^2 (default: each radar's reference RCS)."),
    ] = None,
    include_notional: Annotated[
        bool, typer.Option(help="With SITE alone, also the notional systems there (e.g. SM-3 IIB).")
    ] = False,
    min_speed: Annotated[
        bool,
        typer.Option(
            help="Search the slowest burnout speed that would intercept (a few s per battery)."
        ),
    ] = True,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """Could interceptors at the named sites engage a threat? Flies the threat, builds each
    sensor's detection and track times and each battery's flyout, and prints the feasible
    intercept windows, shoot-look-shoot opportunities, why an intercept fails, and the
    slowest interceptor burnout speed that would have worked."""
    from bmdsim.defence_api import engage as run_engage
    from bmdsim.output.summary import engagement_summary

    try:
        with _stderr().status("flying the threat, building sensor timelines and flyouts..."):
            eng = run_engage(
                threat,
                origin=origin,
                target=target,
                defences=defence,
                sensors=sensor,
                shape=shape,
                cue_at=cue_at,
                doctrine=_doctrine(decision_delay_s, assessment_delay_s, not no_remote),
                rcs_m2=rcs_m2,
                include_notional=include_notional,
                min_speed=min_speed,
                backend=backend,
            )
    except BmdsimError as exc:
        _fail(exc)
    if out:
        write_engagement_files(eng, out)
    if as_json:
        _print_json(engagement_summary(eng))
        return
    con = _stdout()
    con.print(
        _engagement_table(
            eng,
            f"{eng.threat.label}: burnout {eng.threat.burnout_time_s:.0f} s, "
            f"impact {eng.threat.impact_time_s / 60:.1f} min",
        )
    )
    _print_reasons(con, eng)
    for c in eng.cues:
        con.print(
            f"  sensor {c.name}: detection "
            f"{'never' if c.first_detection_s is None else f'{c.first_detection_s:.0f} s'}, "
            f"firm track {'never' if c.firm_track_s is None else f'{c.firm_track_s:.0f} s'}"
        )
    if out:
        _stderr().print(f"files written to {out}/")


@app.command()
def flyout(
    interceptor: Annotated[
        str,
        typer.Option(
            "--interceptor",
            "-i",
            help="Catalogue id or alias (sm-3-iia, 'SM-3 Block IB', 40n6...).",
        ),
    ],
    site: Annotated[
        str | None, typer.Option(help="Launch site (default: where it is deployed).")
    ] = None,
    azimuth_deg: Annotated[float, typer.Option(help="Flyout heading, degrees.")] = 0.0,
    burnout_speed_kms: Annotated[
        float | None, typer.Option(help="Override the catalogue's burnout speed.")
    ] = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
):
    """An interceptor's kinematic reach: the flyout fan computed with the core physics,
    the envelope at several times, its altitude window and maximum flight time."""
    from bmdsim.defence_api import flyout as run_flyout
    from bmdsim.output.summary import flyout_summary

    try:
        table = run_flyout(
            interceptor, site=site, azimuth_deg=azimuth_deg, burnout_speed_kms=burnout_speed_kms
        )
    except BmdsimError as exc:
        _fail(exc)
    summary = flyout_summary(table)
    if out:
        write_flyout_files(table, out)
    if as_json:
        _print_json(summary)
        return
    from rich.table import Table

    t = Table(title=repr(table))
    t.add_column("time after launch")
    t.add_column("farthest ground range km", justify="right")
    t.add_column("highest altitude km", justify="right")
    for row in summary["reach_km_at"]:
        t.add_row(
            f"{row['time_s']:.0f} s",
            f"{row['max_ground_range_km']:,.0f}",
            f"{row['max_altitude_km']:,.0f}",
        )
    _stdout().print(t)


@app.command()
def coverage(
    site: Annotated[
        str,
        typer.Option(
            help="Catalogue site with an air-defence system, e.g. baranovichi-s-400-notional."
        ),
    ],
    target_altitude_km: Annotated[
        list[float] | None,
        typer.Option(help="Target altitude(s), km; repeat. Default 0.1, 1, 5, 10, 20, 30."),
    ] = None,
    interceptor: Annotated[
        str | None,
        typer.Option(help="Which interceptor (default: the longest-reaching one there)."),
    ] = None,
    radar: Annotated[str | None, typer.Option(help="Which radar (default: the one there).")] = None,
    rcs_m2: Annotated[
        float | None, typer.Option(help="Target RCS, m^2 (default: the radar's reference RCS).")
    ] = None,
    threat: Annotated[
        str | None,
        typer.Option(
            help="BMD mode: the threat missile; with --from, map the ground the site defends."
        ),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option("--from", help="BMD mode: the threat's launch point (site or LAT,LON)."),
    ] = None,
    cue_at: Annotated[
        str | None,
        typer.Option("--cue-at", help="BMD mode: assumed remote track from 'burnout' or seconds."),
    ] = None,
    radius_km: Annotated[
        list[float] | None,
        typer.Option(
            help="BMD mode: aim-point rings around the site, km; repeat. Default 0 100 250 500 800."
        ),
    ] = None,
    azimuths: Annotated[
        int, typer.Option(min=4, max=72, help="BMD mode: aim points per ring.")
    ] = 16,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """What a site covers. Air defence: against targets at given altitudes, the radar
    horizon, radar range and interceptor reach, and which limits each ring. Missile
    defence (--threat and --from): the aim points around the site where an incoming
    threat could be intercepted (the defended footprint)."""
    from bmdsim.defence_api import coverage as run_coverage
    from bmdsim.output.summary import coverage_summary

    if threat or origin:
        if not (threat and origin):
            _fail(
                InputError(
                    "the defended footprint needs both --threat and --from",
                    field="threat",
                    allowed="--threat MISSILE --from SITE|LAT,LON",
                )
            )
        _defended(
            site, threat, origin, interceptor, cue_at, radius_km, azimuths, as_json, out, backend
        )
        return

    try:
        place, iid, rid, rings = run_coverage(
            site,
            target_altitudes_km=tuple(target_altitude_km or (0.1, 1, 5, 10, 20, 30)),
            interceptor=interceptor,
            radar=radar,
            rcs_m2=rcs_m2,
        )
    except BmdsimError as exc:
        _fail(exc)
    summary = coverage_summary(place, iid, rid, rings)
    if out:
        write_coverage_files(place, iid, rid, rings, out)
    if as_json:
        _print_json(summary)
        return
    from rich.table import Table

    t = Table(title=f"{place.label}: {iid} with {rid}")
    for col in (
        "target altitude km",
        "covered radius km",
        "limited by",
        "horizon km",
        "radar km",
        "interceptor km",
    ):
        t.add_column(col)
    for r in summary["rings"]:
        t.add_row(
            f"{r['target_altitude_km']:g}",
            f"{r['radius_km']:,.0f}",
            r["limited_by"],
            f"{r['radar_horizon_km']:,.0f}",
            f"{r['radar_range_km']:,.0f}",
            f"{r['interceptor_reach_km']:,.0f}",
        )
    _stdout().print(t)


def _defended(
    site, threat, origin, interceptor, cue_at, radius_km, azimuths, as_json, out, backend="auto"
):
    from bmdsim.defence_api import defended_footprint
    from bmdsim.output.summary import defended_summary

    try:
        with _stderr().status("flying threats to aim points around the site..."):
            place, iid, points = defended_footprint(
                site,
                threat=threat,
                origin=origin,
                interceptor=interceptor,
                cue_at=cue_at,
                radii_km=tuple(radius_km) if radius_km else None,
                n_azimuths=azimuths,
                backend=backend,
            )
            start = resolve_start(origin)
    except BmdsimError as exc:
        _fail(exc)
    summary = defended_summary(place, iid, points, threat=threat, launch=start)
    if out:
        write_defended_files(place, iid, points, out, threat=threat, origin=origin, launch=start)
    if as_json:
        _print_json(summary)
        return
    n_def = sum(p.defended for p in points)
    n_in = sum(p.reason != "beyond-threat-range" for p in points)
    _stdout().print(
        f"{place.label} with {iid} against {threat} from {origin}: {n_def} of {n_in} "
        f"aim points in the threat's range are defended"
    )
    reasons = {}
    for p in points:
        if not p.defended:
            reasons[p.reason] = reasons.get(p.reason, 0) + 1
    for r, n in sorted(reasons.items()):
        _stdout().print(f"  {n} not defended: {r}")


def resolve_start(origin):
    from bmdsim.api import resolve_place

    return resolve_place(origin, what="launch")


@app.command()
def effectiveness(
    raid: Annotated[int, typer.Option(min=1, help="Number of re-entry vehicles in the raid.")],
    pk: Annotated[
        float | None,
        typer.Option(
            min=0.0, max=1.0, help="Single-shot kill probability (default: the interceptor's)."
        ),
    ] = None,
    interceptor: Annotated[
        str | None, typer.Option(help="Catalogue interceptor whose single-shot Pk to use.")
    ] = None,
    shots: Annotated[
        int, typer.Option(min=1, help="Interceptors per target per look (salvo).")
    ] = 1,
    looks: Annotated[int, typer.Option(min=1, help="Shoot-look-shoot opportunities.")] = 1,
    inventory: Annotated[
        int | None, typer.Option(min=0, help="Interceptors available (default: unlimited).")
    ] = None,
    decoys: Annotated[float, typer.Option(min=0.0, help="Decoys per RV.")] = 0.0,
    discrimination: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Probability a decoy is recognised and not engaged."),
    ] = 1.0,
    assessment: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Probability a surviving RV is seen between looks."),
    ] = 1.0,
    as_json: JsonOpt = False,
):
    """Expected leakers and the probability of no leaker for a raid, by the closed forms of
    Wilkening (Science & Global Security 8, 2000): salvo size, shoot-look-shoot, inventory,
    decoys and discrimination."""
    import bmdsim
    from bmdsim.defence.effectiveness import defence_outcome
    from bmdsim.output.summary import effectiveness_summary

    try:
        if pk is None:
            if interceptor is None:
                raise InputError(
                    "give --pk or --interceptor (its catalogue single-shot Pk)",
                    field="pk",
                    allowed="0..1",
                )
            pk = bmdsim.catalogue().interceptor(interceptor).single_shot_pk.value
        outcome = defence_outcome(
            raid,
            pk=pk,
            shots_per_target=shots,
            looks=looks,
            inventory=inventory,
            decoys_per_rv=decoys,
            p_discriminate=discrimination,
            p_assess=assessment,
        )
    except BmdsimError as exc:
        _fail(exc)
    if as_json:
        _print_json(effectiveness_summary(outcome, pk))
        return
    _stdout().print(
        f"raid {raid} RVs, Pk {pk:g}, {shots} shot(s) x {looks} look(s), inventory "
        f"{'unlimited' if inventory is None else inventory}, {decoys:g} decoys/RV "
        f"(discrimination {discrimination:g}):"
    )
    _stdout().print(
        f"  expected leakers {outcome.expected_leakers:.3f}, P(no leaker) "
        f"{outcome.p_zero_leakers:.4f}, interceptors spent "
        f"{outcome.interceptors_spent:.1f}"
    )


EXECUTORS_HELP = (
    "Where the sampled chunks run: local (this process), processes (a pool, one worker a "
    "core), dask (a Dask LocalCluster on this machine) or dask=tcp://HOST:PORT (a running "
    "Dask scheduler; its workers need bmdsim installed). Same seed, same results on any."
)


def _check_executor(executor: str) -> str:
    if executor in ("local", "processes", "dask") or executor.startswith("dask="):
        if executor == "dask=":
            raise InputError(
                "give the scheduler address after dask=, e.g. dask=tcp://10.0.0.5:8786",
                field="executor",
                value=executor,
                allowed="local, processes, dask, dask=ADDRESS",
            )
        return executor
    raise InputError(
        f"unknown executor {executor!r}; allowed: local, processes, dask, dask=ADDRESS",
        field="executor",
        value=executor,
        allowed="local, processes, dask, dask=ADDRESS",
    )


@app.command()
def run(
    scenario: Annotated[
        str,
        typer.Argument(
            help="Scenario YAML file, or the name of a shipped "
            "example (europe-2016, baltic-srbm, "
            "north-atlantic-ships)."
        ),
    ],
    samples: Annotated[
        int | None,
        typer.Option(
            "--samples",
            "-n",
            min=0,
            help="Monte Carlo samples (default: the scenario's uncertainty.samples; 0: the "
            "central values only).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(min=0, help="Seed of the samples (default: the scenario's)."),
    ] = None,
    executor: Annotated[str, typer.Option(help=EXECUTORS_HELP)] = "local",
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Workers for processes/dask (default: one a core)."),
    ] = None,
    chunk_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Samples per chunk, the unit of work and of resume (default: 2000, or 250 "
            "when threats are flown per sample).",
        ),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help="Override the scenario's backend: auto, cpu or cuda (threats flown per "
            "sample run there).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output folder (default: runs/NAME). Holds the results store: run "
            "the same command again after an interruption and it resumes.",
        ),
    ] = None,
):
    """Run every analysis a scenario file asks for (docs/scenarios.md) and write one folder:
    per-analysis files, a CZML scene, summary.json and a self-contained HTML report whose
    bibliography lists every source used.

    With samples (the scenario's uncertainty.samples or --samples), every threat is also
    engaged by every battery in each of N Monte Carlo samples of the inputs the scenario
    declares uncertain; the answers (P(feasible) per threat and battery, spreads,
    sensitivities) go into the report and uncertainty.json, every sample into the results
    store OUT/store (query it with `bmdsim results OUT --sql ...`). Interrupted (even by
    kill -9)? Run the same command again: finished chunks are kept, the rest computed.

    Examples: bmdsim run europe-2016 --samples 10000 --executor processes;
    bmdsim run my.yaml --samples 0 --out runs/central.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from bmdsim.scenario import example_path, load_scenario
    from bmdsim.scenario.run import run_scenario

    try:
        _check_executor(executor)
        path = Path(scenario)
        if not path.is_file() and not scenario.endswith((".yaml", ".yml")):
            path = example_path(scenario)
        scn = load_scenario(path)
        if backend is not None:
            if backend not in ("auto", "cpu", "cuda"):
                raise InputError(
                    f"unknown backend {backend!r}",
                    field="backend",
                    value=backend,
                    allowed=["auto", "cpu", "cuda"],
                )
            scn = scn.model_copy(update={"backend": backend})
        out = out or Path("runs") / scn.name
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=_stderr(),
            transient=True,
        ) as progress:
            task = progress.add_task("analyses", total=None)
            sweep_task = None

            def tick(k, n, label):
                progress.update(task, completed=k, total=n, description=label)

            def sweep_tick(done, total):
                nonlocal sweep_task
                if sweep_task is None:
                    sweep_task = progress.add_task("samples", total=total)
                progress.update(sweep_task, completed=done, total=total)

            result = run_scenario(
                scn,
                out,
                progress=tick,
                samples=samples,
                seed=seed,
                executor=executor,
                chunk_size=chunk_size,
                max_workers=workers,
                sweep_progress=sweep_tick,
            )
    except BmdsimError as exc:
        _fail(exc)
    con = _stdout()
    for label, fp in result.footprints:
        con.print(_footprint_table(fp, label))
    for tid, eng in result.engagements:
        con.print(_engagement_table(eng, f"{tid}"))
    for label, _, _, _, rings in result.coverages:
        con.print(
            f"{label}: "
            + ", ".join(
                f"{r.target_altitude_m / 1e3:g} km -> {r.radius_m / 1e3:,.0f} km" for r in rings
            )
        )
    if result.sweep is not None:
        con.print(_sweep_table(result.sweep))
        top = [r for r in result.sweep["ranking"] if r["max_sobol"] is not None][:3]
        if top:
            con.print(
                "inputs that decide feasibility most (largest first-order Sobol index): "
                + "; ".join(f"{r['input']} {r['max_sobol']:.2f}" for r in top)
            )
        con.print(f"results store: {out / 'store'} (bmdsim results {out} --sql ...)")
    for note in result.notes:
        _stderr().print(f"[yellow]note:[/] {note}")
    con.print(f"\nreport: [bold]{out / 'report.html'}[/]; all files in {out}/")


def _sweep_table(sw):
    from rich.table import Table

    table = Table(title=f"P(feasible intercept) over {sw['samples']:,} samples (seed {sw['seed']})")
    for col in ("threat", "battery", "P(feasible)", "95 % interval", "main reason when not"):
        table.add_column(col, overflow="fold")  # whole ids on narrow terminals
    for p in sw["pairs"]:
        table.add_row(
            p["threat"],
            f"{p['site']}:{p['interceptor']}" if p["site"] else "-",
            f"{p['p_feasible']:.3f}",
            f"{p['ci95'][0]:.4f}-{p['ci95'][1]:.4f}",
            p["main_reason"] or "",
        )
    return table


def _register_results():
    from bmdsim.cli_results import results_command

    app.command("results")(results_command)


_register_results()


@app.command()
def study(
    name: Annotated[str, typer.Argument(help="Which study: europe.")] = "europe",
    missile: Annotated[str, typer.Option(help="The ICBM flown from every base.")] = "rs-24-yars",
    decision_delay_s: Annotated[float, typer.Option(help="Ideal-cueing decision delay, s.")] = 30.0,
    quick: Annotated[bool, typer.Option(help="Two bases and two aim points only.")] = False,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """The Europe study (docs/study-europe.md): for every Russian ICBM base and US aim point,
    could SM-3 IB, IIA or a notional IIB at Redzikowo or Deveselu intercept, with the radars
    as deployed or with ideal cueing from burnout, and what burnout speed would it take?"""
    from rich.progress import Progress

    from bmdsim.output.summary import study_summary
    from bmdsim.study import europe_study

    if name != "europe":
        _fail(
            InputError(
                f"unknown study {name!r}; allowed: europe",
                field="study",
                value=name,
                allowed=["europe"],
            )
        )
    try:
        with Progress(console=_stderr(), transient=True) as progress:
            task = progress.add_task("threats", total=None)

            def tick(k, n):
                progress.update(task, completed=k, total=n)

            result = europe_study(
                missile=missile,
                decision_delay_s=decision_delay_s,
                quick=quick,
                progress=tick,
                backend=backend,
            )
    except BmdsimError as exc:
        _fail(exc)
    if out:
        cat = bmdsim_catalogue()
        sites = [cat.site(s) for s in dict.fromkeys(r.site for r in result.rows)]
        write_study_files(result, out, sites=sites)
    if as_json:
        _print_json(study_summary(result))
        return
    from rich.table import Table

    t = Table(
        title=f"Europe study: {result.missile}, minimum-energy; ideal cueing = track from "
        f"burnout + {decision_delay_s:g} s"
    )
    for col in (
        "base -> aim point",
        "site",
        "interceptor",
        "closest km",
        "as deployed",
        "ideal cueing",
        "needs km/s",
        "has km/s",
    ):
        t.add_column(col)
    for r in result.rows:
        need = "> 10" if r.min_burnout_speed_kms is None else f"{r.min_burnout_speed_kms:.2f}"
        t.add_row(
            f"{r.base} -> {r.target}",
            r.site,
            r.interceptor,
            f"{r.closest_approach_km:,.0f}",
            "[green]yes[/]" if r.deployed_feasible else f"no ({r.deployed_reason})",
            "[green]yes[/]" if r.ideal_feasible else f"no ({r.ideal_reason})",
            need,
            f"{r.catalogue_burnout_speed_kms:.1f}",
        )
    _stdout().print(t)
    if result.out_of_range:
        _stdout().print(
            "beyond the missile's range, left out: "
            + ", ".join(f"{b} -> {a}" for b, a in result.out_of_range)
        )
    if out:
        _stderr().print(f"files written to {out}/")


def bmdsim_catalogue():
    import bmdsim

    return bmdsim.catalogue()


DEMO_LAUNCHES = [
    ("iskander-m", "brest"),
    ("iskander-m", "asipovichy"),
    ("iskander-m", "kaliningrad"),
    ("iskander-e", "brest"),
    ("iskander-e", "asipovichy"),
    ("iskander-e", "kaliningrad"),
]
DEMO_ICBM = ("rs-24-yars", "teykovo", "washington-dc")
DEMO_DEFENCES = ("redzikowo:sm-3-iia", "redzikowo:sm-3-iib")


@app.command()
def demo(out: OutOpt = Path("demo-output"), backend: BackendOpt = "auto"):
    """Answer the seed articles' reach questions: Iskander-M/-E from Belarus and
    Kaliningrad against the catalogue's NATO sites, and a Yars from Teykovo to
    Washington. Writes maps, plots and data to --out and prints summary tables."""
    from rich.progress import Progress

    import bmdsim

    out = out or Path("demo-output")
    con = _stdout()
    footprints = []
    try:
        with Progress(console=_stderr(), transient=True) as progress:
            task = progress.add_task("reach footprints", total=len(DEMO_LAUNCHES) + 2)
            for missile, origin in DEMO_LAUNCHES:
                fp = bmdsim.reach(missile, origin=origin, sites="nato", backend=backend)
                write_footprint_files(fp, out / f"{missile}_from_{origin}")
                footprints.append((missile, origin, fp))
                progress.advance(task)
            m, a, b = DEMO_ICBM
            yars = bmdsim.fly(m, origin=a, target=b, backend=backend)
            write_trajectory_files([yars], out / f"{m}_{a}_to_{b}", stem="trajectory")
            progress.advance(task)
            from bmdsim.defence_api import engage as run_engage

            eng = run_engage(
                m, origin=a, target=b, defences=DEMO_DEFENCES, cue_at="burnout", trajectory=yars
            )
            write_engagement_files(eng, out / f"{m}_{a}_to_{b}_vs_redzikowo")
            progress.advance(task)
    except BmdsimError as exc:
        _fail(exc)
    for missile, origin, fp in footprints:
        con.print(_footprint_table(fp, f"{missile} from {origin}"))
    from rich.table import Table

    t = Table(title="Which NATO sites are in reach (minimum-energy flight time)")
    t.add_column("launch")
    t.add_column("missile")
    t.add_column("sites in reach")
    for missile, origin, fp in footprints:
        inside = [
            f"{s.id} ({s.flight_time_s / 60:.1f} min)"
            for s in sorted(fp.sites, key=lambda s: s.distance_m)
            if s.in_reach and s.flight_time_s
        ]
        t.add_row(origin, missile, ", ".join(inside) or "none")
    con.print(t)
    con.print(
        f"\n[bold]{m}[/] {a} -> {b}: range {yars.range_m / 1e3:,.0f} km, apogee "
        f"{yars.apogee_alt_m / 1e3:,.0f} km, flight time {yars.flight_time_s / 60:.1f} min "
        f"(minimum-energy; burnout {yars.burnout.speed_m_s / 1e3:.2f} km/s at "
        f"{yars.burnout.time_s:.0f} s)"
    )
    con.print(
        _engagement_table(
            eng,
            "Could SM-3s at Redzikowo intercept it? (ideal cueing: a track from burnout, "
            "30 s decision delay)",
        )
    )
    _print_reasons(con, eng)
    con.print(
        f"\nMaps, plots, GeoJSON, KML and CSV in [bold]{out}/[/]; every number used is "
        "cited in the catalogue (bmdsim catalogue show ID)."
    )


def main():
    try:
        app()
    except BmdsimError as exc:  # anything that escaped a command
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
