"""Flight commands: ``trajectory`` (one missile to an aim point), ``reach`` (the
maximum-range footprint and the sites inside it), ``coast`` (ballistic or gliding flight
from a given state, for checks against closed forms) and ``kepler`` (the vacuum closed
forms of a ballistic arc on a sphere)."""

from __future__ import annotations

from typing import Annotated

import typer

from bmdsim import domains as D
from bmdsim.cli._console import answer, fail, fit_table, print_json, status, stderr, stdout, warn
from bmdsim.cli._options import (
    BackendOpt,
    FromOpt,
    JsonOpt,
    MissileOpt,
    OutOpt,
    ViaOpt,
    number,
    shape_option,
    sites_option,
    text_option,
)
from bmdsim.errors import BmdsimError

# The Earth model switches of trajectory, reach and coast (spelled once here).
EARTHS = ("wgs84", "sphere")


def _check_earth(value):
    if value is not None and value not in EARTHS:
        raise typer.BadParameter(f"{value!r} is not an Earth model; allowed: wgs84, sphere")
    return value


EarthOpt = Annotated[
    str,
    typer.Option(
        "--earth",
        help="wgs84 (the WGS 84 ellipsoid with J2 gravity: the default) or sphere (mean "
        "radius 6,371 km, point-mass gravity: the Earth of the closed forms).",
        callback=_check_earth,
    ),
]
NoRotationOpt = Annotated[
    bool,
    typer.Option(
        "--no-rotation",
        help="Non-rotating Earth (and air): no Coriolis bending of the track, no eastward "
        "boost from the ground's own speed.",
    ),
]


def _flight_model(earth, no_rotation, **kwargs):
    import bmdsim

    return bmdsim.flight_model(earth=earth, rotation=not no_rotation, **kwargs)


def _model_words(model) -> str:
    """'' for the default rotating WGS 84 Earth, else e.g. ' on a non-rotating sphere'."""
    if model.earth == "wgs84" and model.rotation:
        return ""
    rot = "" if model.rotation else "non-rotating "
    return f" on a {rot}{'sphere' if model.earth == 'sphere' else 'WGS 84 Earth'}"


def trajectory(
    missile: MissileOpt,
    origin: FromOpt,
    target: Annotated[str, text_option("--to", help="Aim point: site id/alias or LAT,LON.")],
    shape: Annotated[
        str,
        shape_option(
            help="minimum-energy | lofted | depressed | apogee=KM (ballistic, any missile) | "
            "quasi-ballistic[=KM] (full burn, apogee capped at KM, then lift: pull-up, "
            "glide, dive; missiles with a catalogue L/D, e.g. iskander-m)"
        ),
    ] = "minimum-energy",
    earth: EarthOpt = "wgs84",
    no_rotation: NoRotationOpt = False,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
    via: ViaOpt = None,
):
    """Fly one missile to an aim point on the rotating WGS 84 Earth (boost, staging,
    coast, re-entry with drag; lift for quasi-ballistic) and report range, apogee, flight
    time, burnout and impact. A cruise missile (kh-101, kalibr, 9m729...) flies its
    catalogue profile along the route through the --via waypoints.

    Example: bmdsim trajectory --missile iskander-m --from kaliningrad --to 50.39,20.51
    --shape quasi-ballistic"""
    import bmdsim
    from bmdsim.output.files import write_trajectory_files
    from bmdsim.output.summary import trajectory_summary

    try:
        model = _flight_model(earth, no_rotation)
        for point in via or ():
            check_via(point)
        check_points(missile, origin, target)
        with status("solving the aim point and flying..."):
            traj = bmdsim.fly(
                missile,
                origin=origin,
                target=target,
                shape=shape,
                model=model,
                backend=backend,
                via=via,
            )
    except BmdsimError as exc:
        fail(exc)
    summary = trajectory_summary(traj)
    if out:
        write_trajectory_files([traj], out, labels=(origin, target))
    if as_json:
        print_json(summary)
        return
    from rich.markup import escape
    from rich.table import Table

    console = stdout()
    console.print(
        escape(
            f"{traj.missile_id} {summary['shape']} from {origin} to {target}"
            f"{_model_words(model)}: {summary['range_km']:,.1f} km in "
            f"{summary['flight_time_s']:,.0f} s ({summary['flight_time_s'] / 60:.1f} min), "
            f"apogee {summary['apogee_km']:,.1f} km"
        )
    )
    lift = summary["lift"]
    if lift is not None:
        glide = lift["glide_altitude_km"]
        console.print(
            f"Lifting model (docs/models/lifting-flight.md): L/D {lift['lift_to_drag']:g} "
            f"(catalogue central value), apogee capped at {lift['apogee_cap_km']:g} km, level "
            f"glide commanded at {'full lift' if glide is None else f'{glide:g} km'}, dive "
            f"at {lift['dive_angle_deg']:g} deg; a model of the open sources' description, "
            "not a measured trajectory."
        )
    table = Table(title=escape(f"{traj.missile_id}: {origin} -> {target} ({summary['shape']})"))
    table.add_column("quantity")
    table.add_column("value", justify="right")
    b = summary["burnout"]
    bo, speed = ("engine stop", "air") if traj.shape == "cruise" else ("burnout", "inertial")
    rows = [
        ("range", f"{summary['range_km']:,.1f} km"),
        ("apogee", f"{summary['apogee_km']:,.1f} km"),
        (
            "flight time",
            f"{summary['flight_time_s']:,.0f} s ({summary['flight_time_s'] / 60:.1f} min)",
        ),
        (f"{bo} time", f"{b['time_s']:.1f} s"),
        (f"{bo} altitude", f"{b['altitude_km']:.1f} km"),
        (f"{bo} speed ({speed})", f"{b['speed_kms']:.3f} km/s"),
        (f"{bo} flight-path angle", f"{b['flight_path_angle_deg']:.2f} deg"),
        ("impact", f"{summary['impact']['lat']:.4f}, {summary['impact']['lon']:.4f}"),
        (
            "impact speed, angle",
            f"{summary['impact_speed_kms']:.3f} km/s, {summary['impact_angle_deg']:.1f} deg",
        ),
        ("miss", f"{summary['miss_km'] * 1000:.0f} m"),
    ]
    if lift is not None:
        g, d = lift["glide_start"], lift["dive_start"]
        if g is not None:
            rows.append(("lift on (apogee)", f"{g['time_s']:.1f} s at {g['altitude_km']:.1f} km"))
        if d is not None:
            rows.append(
                (
                    "dive start",
                    f"{d['time_s']:.1f} s at {d['altitude_km']:.1f} km, "
                    f"{d['ground_range_km']:,.1f} km downrange",
                )
            )
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    from bmdsim.output.answers import trajectory_answer

    answer(trajectory_answer(summary, origin, target))
    if out:
        stderr().print(f"files written to {out}/", markup=False, highlight=False)


def reach(
    missile: MissileOpt,
    origin: FromOpt,
    sites: Annotated[str, sites_option()] = "nato",
    azimuths: Annotated[int, number(D.AZIMUTHS_REACH, help="Number of launch azimuths.")] = 360,
    earth: EarthOpt = "wgs84",
    no_rotation: NoRotationOpt = False,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
    carrier: Annotated[
        str | None,
        text_option(
            "--carrier",
            help="An aircraft (tu-22m3, su-34...) carrying the --missile from its base "
            "--from: reach is its combat radius plus the weapon's range.",
        ),
    ] = None,
):
    """Azimuth-true maximum-range footprint from a launch point, which sites lie inside it
    and how long a minimum-energy flight to each takes (ballistic flight, on the rotating
    WGS 84 Earth unless --earth / --no-rotation say otherwise). With a cruise missile or a
    --carrier: the fuel-limited reach (plus the aircraft's combat radius) and the flight
    time of each leg.

    Example: bmdsim reach --missile polonez --from 53.3,28.6 --no-rotation --azimuths 36"""
    import bmdsim
    from bmdsim.analyses.resolve import cruise_entry
    from bmdsim.output.files import write_footprint_files
    from bmdsim.output.summary import footprint_summary

    try:
        if carrier is not None or cruise_entry(missile) is not None:
            check_points(missile, origin)
            with stderr().status("flying the weapon's range band and the sites..."):
                result = bmdsim.cruise_reach(
                    missile, origin=origin, carrier=carrier, sites=sites, n_azimuths=azimuths
                )
            return _print_cruise_reach(result, origin, as_json, out)
        model = _flight_model(earth, no_rotation)
        check_points(missile, origin)
        with status("computing the footprint..."):
            fp = bmdsim.reach(
                missile,
                origin=origin,
                sites=sites,
                n_azimuths=azimuths,
                model=model,
                backend=backend,
            )
    except BmdsimError as exc:
        fail(exc)
    if out:
        write_footprint_files(fp, out)
    if as_json:
        print_json(footprint_summary(fp))
        return
    print_footprint(fp, f"{fp.missile_id} from {origin}{_model_words(model)}")
    if out:
        stderr().print(f"files written to {out}/", markup=False, highlight=False)


def check_via(point):
    """A --via waypoint resolves (LAT,LON on the globe, or a site), before any work."""
    from bmdsim.analyses.resolve import resolve_place

    resolve_place(point, what="via")


def _print_cruise_reach(result, origin, as_json, out):
    """A cruise or carrier reach: the answer, the parts of the range, the sites with
    the legs of their flight times."""
    from rich.markup import escape
    from rich.table import Table

    from bmdsim.output.files import write_footprint_files
    from bmdsim.output.summary import carrier_summary, reach_answer

    fp = result.footprint
    if out:
        write_footprint_files(fp, out)
    if as_json:
        print_json(carrier_summary(result))
        return
    con = stdout()
    con.print(f"[bold]{escape(reach_answer(fp))}[/]")
    con.print(f"band: {escape(fp.band.text)}")
    for note in result.notes:
        warn(note)
    table = Table(
        title=escape(
            f"{fp.missile_id} from {origin}: reach "
            f"{result.range_m[1] / 1e3:,.0f} km "
            f"(band {result.range_m[0] / 1e3:,.0f}-"
            f"{result.range_m[2] / 1e3:,.0f})"
        )
    )
    table.add_column("site", no_wrap=True)
    carried = result.carrier_id is not None
    cols = ("km", "verdict", "aircraft km/min", "weapon km/min", "total min")
    for col in cols if carried else ("km", "verdict", "flight min"):
        table.add_column(col, justify="right")
    legs = {leg.id: leg for leg in result.legs}
    for s in sorted(fp.sites, key=lambda s: s.distance_m):
        leg = legs[s.id]
        air = (
            ""
            if leg.aircraft_time_s is None
            else (f"{leg.aircraft_m / 1e3:,.0f}/{leg.aircraft_time_s / 60:.0f}")
        )
        wpn = (
            ""
            if leg.weapon_time_s is None
            else (f"{leg.weapon_m / 1e3:,.0f}/{leg.weapon_time_s / 60:.1f}")
        )
        tot = "" if leg.total_time_s is None else f"{leg.total_time_s / 60:.1f}"
        row = [s.id, f"{s.distance_m / 1e3:,.0f}", _VERDICT_STYLE[s.verdict]]
        table.add_row(*row, *((air, wpn, tot) if carried else (tot,)))
    con.print(table)
    if out:
        stderr().print(f"files written to {out}/", markup=False, highlight=False)


def check_points(missile, origin, target=None):
    """Before any work: warn about a LAT,LON pair that looks swapped, and refuse a target
    inside the missile's catalogue minimum range (InputError naming the number)."""
    from bmdsim.errors import InputError
    from bmdsim.scenario.plausibility import min_range_problem, swapped_point_warning

    for text in (origin, target):
        note = swapped_point_warning(text) if text is not None else None
        if note:
            warn(note)
    if target is not None:
        problem = min_range_problem(missile, origin, target)
        if problem:
            raise InputError(f"--to: {problem}", field="--to", value=target)


def print_footprint(fp, title):
    """The answer in words, the band that decides it, the table, and why each uncertain
    site is uncertain (``reach``, ``run`` and ``demo``)."""
    from rich.markup import escape

    from bmdsim.output.summary import reach_answer

    con = stdout()
    con.print(f"[bold]{escape(reach_answer(fp))}[/]")
    if fp.band is not None:
        con.print(f"band: {escape(fp.band.text)}")
    con.print(footprint_table(fp, title))
    name = (fp.missile_name or fp.missile_id).split(" (", 1)[0]
    for s in sorted(fp.sites, key=lambda s: s.distance_m):
        if s.verdict == "uncertain":
            con.print(f"[yellow]uncertain[/] {escape(s.id)}: {escape(s.why(name))}")
    from bmdsim.output.answers import footprint_closing

    answer(footprint_closing(fp))


_VERDICT_STYLE = {"in": "[green]in[/]", "uncertain": "[yellow]uncertain[/]", "out": "[red]out[/]"}


def footprint_table(fp, title):
    """A footprint's sites, nearest first: distance, the missile's reach on that bearing
    (low-high band, or one value without a band), the verdict, and the minimum-energy
    flight time (also printed by ``run`` and ``demo``)."""
    from rich.markup import escape
    from rich.table import Table

    from bmdsim.output.text import km_span

    rng = km_span(fp.max_range_min_m, fp.max_range_max_m)
    if fp.band is not None:
        lo = min(float(min(fp.band.low.range_m)), fp.max_range_min_m)
        hi = max(float(max(fp.band.high.range_m)), fp.max_range_max_m)
        rng += f" (band {km_span(lo, hi)})"
    table = Table(title=f"{escape(title)}: maximum range {rng}")
    for col, just in [
        ("site", "left"),
        ("km away", "right"),
        ("reach km", "right"),
        ("verdict", "center"),
        ("flight time", "right"),
    ]:
        table.add_column(col, justify=just)
    for s in sorted(fp.sites, key=lambda s: s.distance_m):
        lo, mid, hi = (round(x / 1e3) for x in (s.range_low_m, s.max_range_m, s.range_high_m))
        reach = f"{mid:,}" if lo == hi else f"{lo:,}-{hi:,}"
        same = not s.name or s.name.lower().replace(" ", "-") == s.id
        name = "" if same else f"\n[dim]{escape(s.name)}[/]"
        table.add_row(
            f"{escape(s.id)}{name}",
            f"{s.distance_m / 1e3:,.0f}",
            reach,
            _VERDICT_STYLE[s.verdict],
            f"{s.flight_time_s / 60:.1f} min" if s.flight_time_s else "",
        )
    return fit_table(table, ids=("site",))


def coast(
    lat: Annotated[float, number(D.LATITUDE, help="Start latitude, degrees.")],
    lon: Annotated[float, number(D.LONGITUDE, help="Start longitude, degrees.")],
    alt_km: Annotated[float, number(D.SITE_ALTITUDE, unit="km", help="Start altitude, km.")],
    speed_kms: Annotated[
        float, number(D.SPEED, unit="km/s", help="Speed relative to the ground, km/s.")
    ],
    gamma_deg: Annotated[
        float, number(D.FLIGHT_PATH_ANGLE, help="Flight-path angle above the horizontal, deg.")
    ],
    azimuth_deg: Annotated[float, number(D.AZIMUTH, help="Heading, degrees clockwise from north.")],
    earth: EarthOpt = "wgs84",
    no_rotation: NoRotationOpt = False,
    no_drag: Annotated[bool, typer.Option("--no-drag", help="No drag force.")] = False,
    beta: Annotated[
        float | None,
        number(
            D.catalogue_domain("ballistic_coefficient"),
            help="Ballistic coefficient m/(Cd A), kg/m^2 (needed with drag or lift).",
        ),
    ] = None,
    end_alt_km: Annotated[
        float,
        number(
            D.END_ALTITUDE,
            unit="km",
            help="Stop descending through this altitude, km, and report the speed and "
            "flight-path angle there (e.g. 100 for re-entry conditions); 0: at impact.",
        ),
    ] = 0.0,
    lift_to_drag: Annotated[
        float,
        number(
            D.LIFT_TO_DRAG,
            help="Glide with this L/D from the first apogee (at once if level or "
            "descending) at full lift, an equilibrium glide; needs --beta; 0: ballistic.",
        ),
    ] = 0.0,
    as_json: JsonOpt = False,
    backend: BackendOpt = "auto",
):
    """Ballistic (or gliding) flight from a given state, to check the physics against
    closed forms (e.g. --earth sphere --no-rotation --no-drag against Bate, Mueller &
    White ch. 6), or to find re-entry conditions (--end-alt-km).

    Example: bmdsim coast --lat 56.9 --lon 40.5 --alt-km 200 --speed-kms 7 --gamma-deg 20
    --azimuth-deg 330 --beta 8000 --end-alt-km 100"""
    import bmdsim
    from bmdsim.output.summary import coast_summary

    try:
        model = _flight_model(earth, no_rotation, drag=not no_drag, end_alt_m=end_alt_km * 1e3)
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
            lift_to_drag=lift_to_drag,
        )
    except BmdsimError as exc:
        fail(exc)
    result = coast_summary(t)
    if as_json:
        print_json(result)
        return
    where = "impact" if end_alt_km == 0 else f"descending through {end_alt_km:g} km"
    stdout().print(
        f"range {result['range_km']:,.3f} km, flight time {result['flight_time_s']:,.2f} s, "
        f"apogee {result['apogee_km']:,.3f} km; {where} at {result['impact']['lat']:.5f}, "
        f"{result['impact']['lon']:.5f}, {result['end_speed_kms']:.4f} km/s, "
        f"{result['end_flight_path_angle_deg']:.2f} deg"
    )


def kepler(
    range_km: Annotated[
        float | None,
        number(
            D.ARC_RANGE,
            unit="km",
            help="Ground range, km: the minimum-energy arc over it (give this or --speed-kms).",
        ),
    ] = None,
    speed_kms: Annotated[
        float | None,
        number(
            D.BURNOUT_SPEED,
            unit="km/s",
            help="Burnout speed, km/s: the maximum-range arc of that speed (below circular "
            "speed, ~7.9 km/s at the ground).",
        ),
    ] = None,
    alt_km: Annotated[
        float,
        number(D.BURNOUT_ALTITUDE, unit="km", help="Burnout (and re-entry) altitude, km."),
    ] = 0.0,
    as_json: JsonOpt = False,
):
    """Vacuum closed forms of a ballistic arc on a non-rotating sphere (Bate, Mueller &
    White ch. 6): the minimum-energy burnout speed, flight-path angle, apogee and time of
    free flight for a range, or the maximum range for a burnout speed. A first estimate,
    and a floor: a real missile also pays for drag, gravity losses in boost and (eastward
    or westward) the Earth's rotation.

    Examples: bmdsim kepler --range-km 480; bmdsim kepler --speed-kms 2.1 --alt-km 20"""
    from bmdsim.analyses.flights import kepler as solve
    from bmdsim.output.summary import kepler_summary

    try:
        arc = solve(
            range_m=None if range_km is None else range_km * 1e3,
            speed_m_s=None if speed_kms is None else speed_kms * 1e3,
            alt_m=alt_km * 1e3,
        )
    except BmdsimError as exc:
        fail(exc)
    s = kepler_summary(arc)
    if as_json:
        print_json(s)
        return
    rest = (
        f"at {s['flight_path_angle_deg']:.2f} deg above the horizontal, apogee "
        f"{s['apogee_km']:,.1f} km, {s['flight_time_s']:,.1f} s of free flight"
    )
    if arc.kind == "minimum-energy":
        answer = (
            f"the least burnout speed for {s['range_km']:,.1f} km: {s['speed_kms']:.3f} km/s "
            f"{rest}"
        )
    else:
        answer = (
            f"the longest range at {s['speed_kms']:.3f} km/s: {s['range_km']:,.1f} km, "
            f"flown {rest}"
        )
    console = stdout()
    console.print(answer)
    console.print(
        f"Vacuum, non-rotating sphere of radius {s['earth_radius_km']:,.1f} km, burnout and "
        f"re-entry at {s['burnout_alt_km']:g} km: no drag, no boost, no Earth rotation "
        "(Bate, Mueller & White 6.2-6.3)."
    )
