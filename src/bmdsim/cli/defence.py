"""Missile- and air-defence commands: ``engage`` (can batteries intercept a threat?),
``flyout`` (an interceptor's kinematic reach), ``coverage`` (what a site covers, or the
ground it defends against a threat) and ``effectiveness`` (leakers from a raid)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bmdsim.cli._console import fail, print_json, stderr, stdout
from bmdsim.cli._options import BackendOpt, FromOpt, JsonOpt, OutOpt
from bmdsim.errors import BmdsimError, InputError


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
        float | None,
        typer.Option(
            help="Firm track -> earliest interceptor launch, s (default: the catalogue's "
            "doctrine, `bmdsim catalogue show decision-delay`)."
        ),
    ] = None,
    assessment_delay_s: Annotated[
        float | None,
        typer.Option(
            help="Intercept -> next launch in shoot-look-shoot, s (default: the catalogue's "
            "doctrine, `bmdsim catalogue show assessment-delay`)."
        ),
    ] = None,
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
    import bmdsim
    from bmdsim.analyses.resolve import default_doctrine
    from bmdsim.output.files import write_engagement_files
    from bmdsim.output.summary import engagement_summary

    try:
        doctrine = default_doctrine(
            decision_delay_s=decision_delay_s,
            assessment_delay_s=assessment_delay_s,
            launch_on_remote=not no_remote,
            engage_on_remote=not no_remote,
        )
        with stderr().status("flying the threat, building sensor timelines and flyouts..."):
            eng = bmdsim.engage(
                threat,
                origin=origin,
                target=target,
                defences=defence,
                sensors=sensor,
                shape=shape,
                cue_at=cue_at,
                doctrine=doctrine,
                rcs_m2=rcs_m2,
                include_notional=include_notional,
                min_speed=min_speed,
                backend=backend,
            )
    except BmdsimError as exc:
        fail(exc)
    if out:
        write_engagement_files(eng, out)
        _write_sources(eng.entries, out, f"engage {eng.threat.label}")
    if as_json:
        print_json(engagement_summary(eng))
        return
    con = stdout()
    con.print(
        engagement_table(
            eng,
            f"{eng.threat.label}: burnout {eng.threat.burnout_time_s:.0f} s, "
            f"impact {eng.threat.impact_time_s / 60:.1f} min",
        )
    )
    print_reasons(con, eng)
    for c in eng.cues:
        con.print(
            f"  sensor {c.name}: detection "
            f"{'never' if c.first_detection_s is None else f'{c.first_detection_s:.0f} s'}, "
            f"firm track {'never' if c.firm_track_s is None else f'{c.firm_track_s:.0f} s'}"
        )
    if out:
        stderr().print(f"files written to {out}/")


def _write_sources(entries, out, product):
    """``sources.json`` and ``sources.md`` of a product's catalogue entries in ``out``."""
    from bmdsim.analyses.provenance import bibliography
    from bmdsim.output.files import write_sources_files

    write_sources_files(bibliography(entries), out, product=product)


def engagement_table(eng, title):
    """One row per battery: feasible or not, launch and intercept windows, shots and the
    slowest burnout speed that would intercept (also printed by ``run`` and ``demo``)."""
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
    table.columns[0].min_width = 1 + max(
        len(f"{w.site_id}:{w.interceptor_id}") for w in eng.windows
    )
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
            f"{w.site_id}:{w.interceptor_id}" + ("*" if getattr(b, "notional", False) else ""),
            "[green]yes[/]" if w.feasible else "[red]no[/]",
            "" if w.earliest_launch_s is None else f">= {w.earliest_launch_s:.0f}",
            f"{w.first_intercept_s:.0f}-{w.last_intercept_s:.0f}" if w.feasible else "",
            f"{w.first_altitude_m / 1e3:,.0f}-{w.last_altitude_m / 1e3:,.0f}" if w.feasible else "",
            str(w.shots),
            need,
        )
    table.caption = "need: slowest burnout speed (km/s) that would intercept"
    if any(getattr(b, "notional", False) for b in batteries):
        table.caption += "; * notional: never deployed as modelled (the studies' figures)"
    return table


def print_reasons(con, eng):
    """Under the table: why each infeasible battery fails, and the closing speed and
    crossing angle of each feasible one."""
    for w in eng.windows:
        if w.reason:
            con.print(f"  {w.site_id}:{w.interceptor_id}: {w.reason}: {escape(w.reason_text)}")
        elif w.closing_speed_m_s is not None:
            con.print(
                f"  {w.site_id}:{w.interceptor_id}: closing speed "
                f"{w.closing_speed_m_s / 1e3:.1f} km/s, crossing angle "
                f"{w.crossing_angle_deg:.0f} deg at the first intercept"
            )


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
    import bmdsim
    from bmdsim.output.files import write_flyout_files
    from bmdsim.output.summary import flyout_summary

    try:
        table = bmdsim.flyout(
            interceptor, site=site, azimuth_deg=azimuth_deg, burnout_speed_kms=burnout_speed_kms
        )
    except BmdsimError as exc:
        fail(exc)
    summary = flyout_summary(table)
    if out:
        write_flyout_files(table, out)
    if as_json:
        print_json(summary)
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
    stdout().print(t)


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
    import bmdsim
    from bmdsim.output.files import write_coverage_files
    from bmdsim.output.summary import coverage_summary

    if threat or origin:
        if not (threat and origin):
            fail(
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
        cov = bmdsim.coverage(
            site,
            target_altitudes_km=tuple(target_altitude_km or (0.1, 1, 5, 10, 20, 30)),
            interceptor=interceptor,
            radar=radar,
            rcs_m2=rcs_m2,
        )
    except BmdsimError as exc:
        fail(exc)
    summary = coverage_summary(cov)
    if out:
        write_coverage_files(cov, out)
        _write_sources(cov.entries, out, f"coverage {cov.place.label}")
    if as_json:
        print_json(summary)
        return
    from rich.table import Table

    t = Table(title=f"{cov.place.label}: {cov.interceptor_id} with {cov.radar_id}")
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
    stdout().print(t)


def _defended(
    site, threat, origin, interceptor, cue_at, radius_km, azimuths, as_json, out, backend
):
    """``coverage``'s missile-defence mode: the defended footprint."""
    import bmdsim
    from bmdsim.output.files import write_defended_files
    from bmdsim.output.summary import defended_summary

    try:
        with stderr().status("flying threats to aim points around the site..."):
            footprint = bmdsim.defended_footprint(
                site,
                threat=threat,
                origin=origin,
                interceptor=interceptor,
                cue_at=cue_at,
                radii_km=tuple(radius_km) if radius_km else None,
                n_azimuths=azimuths,
                backend=backend,
            )
    except BmdsimError as exc:
        fail(exc)
    if out:
        write_defended_files(footprint, out, threat=threat, origin=origin)
        _write_sources(
            footprint.entries, out, f"defended footprint {footprint.place.label} vs {threat}"
        )
    if as_json:
        print_json(defended_summary(footprint, threat=threat))
        return
    place, iid, points = footprint.place, footprint.interceptor_id, footprint.points
    n_def = sum(p.defended for p in points)
    n_in = sum(p.reason != "beyond-threat-range" for p in points)
    stdout().print(
        f"{place.label} with {iid} against {threat} from {origin}: {n_def} of {n_in} "
        f"aim points in the threat's range are defended (illustrative: central catalogue "
        "values on a coarse grid)"
    )
    reasons = {}
    for p in points:
        if not p.defended:
            reasons[p.reason] = reasons.get(p.reason, 0) + 1
    for r, n in sorted(reasons.items()):
        stdout().print(f"  {n} not defended: {r}")


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
        fail(exc)
    if as_json:
        print_json(effectiveness_summary(outcome, pk))
        return
    stdout().print(
        f"raid {raid} RVs, Pk {pk:g}, {shots} shot(s) x {looks} look(s), inventory "
        f"{'unlimited' if inventory is None else inventory}, {decoys:g} decoys/RV "
        f"(discrimination {discrimination:g}):"
    )
    stdout().print(
        f"  expected leakers {outcome.expected_leakers:.3f}, P(no leaker) "
        f"{outcome.p_zero_leakers:.4f}, interceptors spent "
        f"{outcome.interceptors_spent:.1f}"
    )
