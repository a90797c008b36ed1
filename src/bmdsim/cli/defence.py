"""Missile- and air-defence commands: ``engage`` (can batteries intercept a threat?),
``flyout`` (an interceptor's kinematic reach), ``coverage`` (what a site covers, or the
ground it defends against a threat) and ``effectiveness`` (leakers from a raid)."""

from __future__ import annotations

import math
from typing import Annotated

import typer
from rich.markup import escape

from bmdsim import domains as D
from bmdsim.cli._console import answer, fail, fit_table, print_json, status, stderr, stdout
from bmdsim.cli._options import (
    BackendOpt,
    FromOpt,
    JsonOpt,
    OutOpt,
    ViaOpt,
    cue_at_option,
    number,
    pairs_option,
    shape_option,
    text_option,
)
from bmdsim.cli.engage_table import (
    engagement_table,
    engagement_title,
    print_reasons,
)
from bmdsim.errors import BmdsimError, InputError


def engage(
    threat: Annotated[
        str,
        text_option(
            "--threat",
            "-t",
            max_length=4000,
            help="Threat: a ballistic missile (catalogue id, alias or vehicle YAML) or a "
            "cruise missile (kalibr, 9m728, kh-101...: flown along its route at its "
            "catalogue altitude, seen over the radar horizon).",
        ),
    ],
    origin: FromOpt,
    target: Annotated[str, text_option("--to", help="Threat aim point: site or LAT,LON.")],
    defence: Annotated[
        list[str],
        pairs_option(
            "--defence",
            "-d",
            what="a defence",
            help="SITE (its deployed interceptors) or SITE:INTERCEPTOR; repeat "
            "for several, e.g. -d redzikowo:sm-3-iia -d redzikowo:sm-3-iib.",
        ),
    ],
    sensor: Annotated[
        list[str] | None,
        pairs_option(
            "--sensor",
            "-s",
            what="a sensor",
            help="SITE:RADAR, SITE (all its radars) or early-warning-satellite; repeat. "
            "Added to the default sensors (the radars at the defence sites and the "
            "early-warning satellite) unless --no-default-sensors.",
        ),
    ] = None,
    no_default_sensors: Annotated[
        bool,
        typer.Option(
            "--no-default-sensors",
            help="Use only the --sensor sensors (and the --cue-at assumption): not the radars "
            "at the defence sites, not the early-warning satellite.",
        ),
    ] = False,
    cue_at: Annotated[
        str | None,
        cue_at_option(
            "--cue-at",
            help="Stated cueing assumption: a remote fire-control track from this time "
            "on ('burnout' or seconds after launch), as in the open studies.",
        ),
    ] = None,
    shape: Annotated[
        str,
        shape_option(
            help="Threat shape: minimum-energy | lofted | depressed | apogee=KM | "
            "quasi-ballistic[=KM] (lifting missiles, docs/models/lifting-flight.md)"
        ),
    ] = "minimum-energy",
    decision_delay_s: Annotated[
        float | None,
        number(
            D.DELAY,
            help="Firm track -> earliest interceptor launch, s (default: the catalogue's "
            "doctrine, `bmdsim catalogue show decision-delay`).",
        ),
    ] = None,
    assessment_delay_s: Annotated[
        float | None,
        number(
            D.DELAY,
            help="Intercept -> next launch in shoot-look-shoot, s (default: the catalogue's "
            "doctrine, `bmdsim catalogue show assessment-delay`).",
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
        number(
            D.RCS,
            help="Threat radar cross-section, m^2 (default: the catalogue's, the missile's "
            "payload.rcs); each radar's range scales with its fourth root.",
        ),
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
    via: ViaOpt = None,
):
    """Could interceptors at the named sites engage a threat? Flies the threat, builds each
    sensor's detection and track times and each battery's flyout, and prints the feasible
    intercept windows, shoot-look-shoot opportunities, why an intercept fails, and the
    slowest interceptor burnout speed that would have worked.

    A cruise-missile threat flies low along its route: each radar sees it only inside its
    4/3-Earth horizon (antenna or mast height from the catalogue), no early-warning
    satellite reports it, and an interceptor may fly guided along the line of sight.

    Example: bmdsim engage -t kalibr --from 52.0,21.0 --to baranovichi-s-400-notional
    -d baranovichi-s-400-notional --include-notional"""
    import bmdsim
    from bmdsim.analyses.resolve import default_doctrine
    from bmdsim.output.files import write_engagement_files
    from bmdsim.output.summary import engagement_summary

    try:
        from bmdsim.cli.flight import check_points, check_via

        for point in via or ():
            check_via(point)
        check_points(threat, origin, target)
        if no_default_sensors and not sensor and cue_at is None:
            raise InputError(
                "--no-default-sensors leaves no sensor: give --sensor or --cue-at",
                field="--no-default-sensors",
                allowed="--sensor SITE[:RADAR] or --cue-at",
            )
        if no_default_sensors:
            sensor = list(sensor or [])
        elif sensor:  # added to the defaults, as the help and the README say
            from bmdsim.analyses.resolve import cruise_entry, default_sensors, resolve_defences

            specs = resolve_defences(defence, include_notional=include_notional)
            defaults = default_sensors(specs)
            if cruise_entry(threat) is not None:  # a cruise missile's defaults: radars only
                defaults = [r for s in specs for r in s.radars]
            sensor = list(dict.fromkeys([*defaults, *sensor]))
        doctrine = default_doctrine(
            decision_delay_s=decision_delay_s,
            assessment_delay_s=assessment_delay_s,
            launch_on_remote=not no_remote,
            engage_on_remote=not no_remote,
        )
        with status("flying the threat, building sensor timelines and flyouts..."):
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
                via=via or (),
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
    con.print(engagement_table(eng, engagement_title(eng)))
    print_reasons(con, eng)
    for c in eng.cues:
        con.print(
            f"  sensor {c.name}: detection "
            f"{'never' if c.first_detection_s is None else f'{c.first_detection_s:.0f} s'}, "
            f"firm track {'never' if c.firm_track_s is None else f'{c.firm_track_s:.0f} s'}"
        )
    for note in eng.notes:
        con.print(f"  note: {escape(note)}")
    from bmdsim.output.answers import engagement_answer

    answer(engagement_answer(engagement_summary(eng), cue_at))
    if out:
        stderr().print(f"files written to {out}/", markup=False, highlight=False)


def _write_sources(entries, out, product):
    """``sources.json`` and ``sources.md`` of a product's catalogue entries in ``out``."""
    from bmdsim.analyses.provenance import bibliography
    from bmdsim.output.files import write_sources_files

    write_sources_files(bibliography(entries), out, product=product)


def flyout(
    interceptor: Annotated[
        str,
        text_option(
            "--interceptor",
            "-i",
            help="Catalogue id or alias (sm-3-iia, 'SM-3 Block IB', 40n6...).",
        ),
    ],
    site: Annotated[
        str | None, text_option(help="Launch site (default: where it is deployed).")
    ] = None,
    azimuth_deg: Annotated[float, number(D.AZIMUTH, help="Flyout heading, degrees.")] = 0.0,
    burnout_speed_kms: Annotated[
        float | None,
        number(
            D.BURNOUT_SPEED,
            unit="km/s",
            help="Another burnout speed, km/s: the same rocket with its thrust scaled "
            "(default: the catalogue's).",
        ),
    ] = None,
    elevation_deg: Annotated[
        float | None,
        number(
            D.LAUNCH_ELEVATION,
            help="Launch elevation, degrees (0-90]: report the burnout speed of that flyout.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
):
    """An interceptor's kinematic reach: the rocket built from its catalogue figures, the
    burnout speed at each launch elevation, the flyout fan computed with the core
    physics, the envelope at several times, its altitude window, range cap and maximum
    flight time."""
    import bmdsim
    from bmdsim.output.files import write_flyout_files
    from bmdsim.output.summary import flyout_summary

    try:
        table = bmdsim.flyout(
            interceptor,
            site=site,
            azimuth_deg=azimuth_deg,
            burnout_speed_kms=burnout_speed_kms,
            elevation_deg=elevation_deg,
        )
    except BmdsimError as exc:
        fail(exc)
    summary = flyout_summary(table, elevation_deg=elevation_deg)
    if out:
        write_flyout_files(table, out)
    if as_json:
        print_json(summary)
        return
    from rich.table import Table

    con = stdout()
    where = (
        f"at {summary['elevation_deg']:g} deg"
        if elevation_deg is not None
        else f"on its best flyout ({summary['reference_elevation_deg']:g} deg)"
    )
    speed = summary["burnout_speed_kms"]
    con.print(
        f"{summary['interceptor']} burns out at "
        + (f"{speed:.2f} km/s" if speed else "no speed (the flight ends first)")
        + f" {where}, relative to the Earth."
    )
    rocket = summary["rocket"]
    if rocket:
        burn = sum(st["burn_time_s"] for st in rocket["stages"])
        borrowed = rocket["borrows_from"]
        con.print(
            f"  rocket: {rocket['launch_mass_kg']:,.0f} kg, {len(rocket['stages'])} stage(s) "
            f"burning {burn:g} s, {rocket['kill_vehicle_mass_kg']:g} kg above the motors; "
            f"lift-off thrust/weight {rocket['liftoff_thrust_to_weight']:.1f}, peak "
            f"{rocket['peak_acceleration_g']:.0f} g; propellant fraction "
            f"{rocket['propellant_fraction']:.2f} (calibrated), thrust scale "
            f"{rocket['thrust_scale']:.2f}"
            + (f"; airframe borrowed from {borrowed}" if borrowed else "")
        )
    b = Table(title="burnout by launch elevation")
    for col in ("elevation deg", "burnout km/s", "burnout s"):
        b.add_column(col, justify="right")
    for row in summary["burnout_speed_by_elevation"]:
        b.add_row(
            f"{row['elevation_deg']:g}",
            f"{row['burnout_speed_kms']:.2f}",
            "" if row["burnout_time_s"] is None else f"{row['burnout_time_s']:.0f}",
        )
    con.print(b)
    cap = (
        f", range cap {table.range_cap_m / 1e3:,.0f} km" if math.isfinite(table.range_cap_m) else ""
    )
    t = Table(
        title=escape(
            f"{table.vehicle_id} from {table.site_lat_deg:.3f}, {table.site_lon_deg:.3f}: "
            f"kinematic reach over time (altitude window {table.min_altitude_m / 1e3:g}-"
            f"{table.max_altitude_m / 1e3:g} km{cap})"
        )
    )
    t.add_column("time after launch")
    t.add_column("farthest ground range km", justify="right")
    t.add_column("highest altitude km", justify="right")
    for row in summary["reach_km_at"]:
        t.add_row(
            f"{row['time_s']:.0f} s",
            "" if row["max_ground_range_km"] is None else f"{row['max_ground_range_km']:,.0f}",
            "" if row["max_altitude_km"] is None else f"{row['max_altitude_km']:,.0f}",
        )
    con.print(fit_table(t))


def coverage(
    site: Annotated[
        str,
        text_option(
            help="Catalogue site with an air-defence system, e.g. baranovichi-s-400-notional."
        ),
    ],
    target_altitude_km: Annotated[
        list[float] | None,
        number(
            D.ALTITUDE,
            unit="km",
            help="Target altitude(s), km; repeat. Default 0.1, 1, 5, 10, 20, 30.",
        ),
    ] = None,
    interceptor: Annotated[
        str | None,
        text_option(help="Which interceptor (default: the longest-reaching one there)."),
    ] = None,
    radar: Annotated[str | None, text_option(help="Which radar (default: the one there).")] = None,
    rcs_m2: Annotated[
        float | None,
        number(D.RCS, help="Target RCS, m^2 (default: the radar's reference RCS)."),
    ] = None,
    threat: Annotated[
        str | None,
        text_option(
            max_length=4000,
            help="BMD mode: the threat missile; with --from, map the ground the site defends.",
        ),
    ] = None,
    origin: Annotated[
        str | None,
        text_option("--from", help="BMD mode: the threat's launch point (site or LAT,LON)."),
    ] = None,
    cue_at: Annotated[
        str | None,
        cue_at_option("--cue-at", help="BMD mode: assumed remote track from 'burnout' or seconds."),
    ] = None,
    radius_km: Annotated[
        list[float] | None,
        number(
            D.RING_RADIUS,
            unit="km",
            help="BMD mode: aim-point rings around the site, km; repeat. "
            "Default 0 100 250 500 800.",
        ),
    ] = None,
    azimuths: Annotated[
        int, number(D.AZIMUTHS_COVERAGE, help="BMD mode: aim points per ring.")
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
        from bmdsim.analyses.coverage import places_near

        write_coverage_files(cov, out, sites=places_near(cov))
        _write_sources(cov.entries, out, f"coverage {cov.place.label}")
    if as_json:
        print_json(summary)
        return
    from rich.table import Table

    low = summary["rings"][0] if summary["rings"] else None
    if low is not None:
        stdout().print(
            escape(
                f"{cov.place.label} covers {low['radius_km']:,.1f} km against targets at "
                f"{low['target_altitude_km'] * 1e3:,.0f} m, limited by {low['limited_by']} "
                f"({low['radar'] or 'no radar'}, antenna {low['antenna_height_m']} m above "
                "the ground, 4/3-Earth refraction)."
            ),
            highlight=False,
        )
    for a in summary["antennas"]:
        stdout().print(
            escape(f"  {a['radar']}: antenna {a['height_m']:g} m ({a['from']})"),
            highlight=False,
        )
    t = Table(title=escape(f"{cov.place.label}: {cov.interceptor_id} with {cov.radar_id}"))
    t.caption = (
        "target km: the threat's altitude; radius: the ground it is engaged over, the "
        "smallest of the radar horizon, the radar's range and the interceptor's reach"
    )
    for col in (
        "target km",
        "radius km",
        "limited by",
        "radar (antenna m)",
        "horizon km",
        "radar km",
        "reach km",
    ):
        t.add_column(col, justify="right" if "km" in col else "left")
    for r in summary["rings"]:
        t.add_row(
            f"{r['target_altitude_km']:g}",
            f"{r['radius_km']:,.0f}",
            r["limited_by"],
            escape(f"{r['radar']} ({r['antenna_height_m']:g})"),
            f"{r['radar_horizon_km']:,.0f}",
            f"{r['radar_range_km']:,.0f}",
            f"{r['interceptor_reach_km']:,.0f}",
        )
    stdout().print(fit_table(t))
    from bmdsim.output.answers import coverage_answer

    answer(coverage_answer(summary, cov.place.label))


def _defended(
    site, threat, origin, interceptor, cue_at, radius_km, azimuths, as_json, out, backend
):
    """``coverage``'s missile-defence mode: the defended footprint."""
    import bmdsim
    from bmdsim.output.files import write_defended_files
    from bmdsim.output.summary import defended_summary

    try:
        with status("flying threats to aim points around the site..."):
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
        "values on a coarse grid)",
        markup=False,
    )
    reasons = {}
    for p in points:
        if not p.defended:
            reasons[p.reason] = reasons.get(p.reason, 0) + 1
    for r, n in sorted(reasons.items()):
        stdout().print(f"  {n} not defended: {r}")


def effectiveness(
    raid: Annotated[int, number(D.RAID, help="Number of re-entry vehicles in the raid.")],
    pk: Annotated[
        float | None,
        number(D.PROBABILITY, help="Single-shot kill probability (default: the interceptor's)."),
    ] = None,
    interceptor: Annotated[
        str | None, text_option(help="Catalogue interceptor whose single-shot Pk to use.")
    ] = None,
    shots: Annotated[int, number(D.SHOTS, help="Interceptors per target per look (salvo).")] = 1,
    looks: Annotated[int, number(D.LOOKS, help="Shoot-look-shoot opportunities.")] = 1,
    inventory: Annotated[
        int | None, number(D.INVENTORY, help="Interceptors available (default: unlimited).")
    ] = None,
    decoys: Annotated[float, number(D.DECOYS, help="Decoys per RV.")] = 0.0,
    discrimination: Annotated[
        float,
        number(D.PROBABILITY, help="Probability a decoy is recognised and not engaged."),
    ] = 1.0,
    assessment: Annotated[
        float,
        number(D.PROBABILITY, help="Probability a surviving RV is seen between looks."),
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
    from bmdsim.output.answers import effectiveness_answer

    answer(
        effectiveness_answer(
            raid, outcome.expected_leakers, outcome.p_zero_leakers, pk, shots, looks
        )
    )
