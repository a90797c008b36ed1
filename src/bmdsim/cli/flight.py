"""Flight commands: ``trajectory`` (one missile to an aim point), ``reach`` (the
maximum-range footprint and the sites inside it), ``coast`` (ballistic or gliding flight
from a given state, for checks against closed forms) and ``kepler`` (the vacuum closed
forms of a ballistic arc on a sphere)."""

from __future__ import annotations

from typing import Annotated

import typer

from bmdsim.cli._console import fail, print_json, stderr, stdout
from bmdsim.cli._options import BackendOpt, FromOpt, JsonOpt, MissileOpt, OutOpt
from bmdsim.errors import BmdsimError

# The Earth model switches of trajectory, reach and coast (spelled once here).
EarthOpt = Annotated[
    str,
    typer.Option(
        "--earth",
        help="wgs84 (ellipsoid, J2 gravity) or sphere (mean radius, point-mass gravity).",
    ),
]
NoRotationOpt = Annotated[bool, typer.Option("--no-rotation", help="Non-rotating Earth (and air).")]


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
    target: Annotated[str, typer.Option("--to", help="Aim point: site id/alias or LAT,LON.")],
    shape: Annotated[
        str,
        typer.Option(
            help="minimum-energy | lofted | depressed | apogee=KM (ballistic, any missile) | "
            "quasi-ballistic[=KM] (full burn, apogee capped at KM, then lift: pull-up, "
            "glide, dive; missiles with a catalogue L/D)"
        ),
    ] = "minimum-energy",
    earth: EarthOpt = "wgs84",
    no_rotation: NoRotationOpt = False,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """Fly one missile to an aim point on the rotating WGS 84 Earth (boost, staging,
    coast, re-entry with drag; lift for quasi-ballistic) and report range, apogee, flight
    time, burnout and impact."""
    import bmdsim
    from bmdsim.output.files import write_trajectory_files
    from bmdsim.output.summary import trajectory_summary

    try:
        model = _flight_model(earth, no_rotation)
        with stderr().status("solving the aim point and flying..."):
            traj = bmdsim.fly(
                missile, origin=origin, target=target, shape=shape, model=model, backend=backend
            )
    except BmdsimError as exc:
        fail(exc)
    summary = trajectory_summary(traj)
    if out:
        write_trajectory_files([traj], out)
    if as_json:
        print_json(summary)
        return
    from rich.table import Table

    console = stdout()
    console.print(
        f"{traj.missile_id} {summary['shape']} from {origin} to {target}{_model_words(model)}: "
        f"{summary['range_km']:,.1f} km in {summary['flight_time_s']:,.0f} s "
        f"({summary['flight_time_s'] / 60:.1f} min), apogee {summary['apogee_km']:,.1f} km"
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
    table = Table(title=f"{traj.missile_id}: {origin} -> {target} ({summary['shape']})")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    b = summary["burnout"]
    rows = [
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
    if out:
        stderr().print(f"files written to {out}/")


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
    earth: EarthOpt = "wgs84",
    no_rotation: NoRotationOpt = False,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """Azimuth-true maximum-range footprint from a launch point, which sites lie inside it
    and how long a minimum-energy flight to each takes."""
    import bmdsim
    from bmdsim.output.files import write_footprint_files
    from bmdsim.output.summary import footprint_summary

    try:
        model = _flight_model(earth, no_rotation)
        with stderr().status("computing the footprint..."):
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
    stdout().print(footprint_table(fp, f"{fp.missile_id} from {origin}{_model_words(model)}"))
    if out:
        stderr().print(f"files written to {out}/")


def footprint_table(fp, title):
    """A footprint's sites, nearest first: distance, reach on that azimuth, in reach or
    not, minimum-energy flight time (also printed by ``run`` and ``demo``)."""
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


def coast(
    lat: Annotated[float, typer.Option(help="Start latitude, degrees.")],
    lon: Annotated[float, typer.Option(help="Start longitude, degrees.")],
    alt_km: Annotated[float, typer.Option(help="Start altitude, km.")],
    speed_kms: Annotated[float, typer.Option(help="Speed relative to the ground, km/s.")],
    gamma_deg: Annotated[float, typer.Option(help="Flight-path angle above the horizontal, deg.")],
    azimuth_deg: Annotated[float, typer.Option(help="Heading, degrees clockwise from north.")],
    earth: EarthOpt = "wgs84",
    no_rotation: NoRotationOpt = False,
    no_drag: Annotated[bool, typer.Option("--no-drag", help="No drag force.")] = False,
    beta: Annotated[
        float | None,
        typer.Option(help="Ballistic coefficient m/(Cd A), kg/m^2 (needed with drag or lift)."),
    ] = None,
    end_alt_km: Annotated[
        float,
        typer.Option(
            help="Stop descending through this altitude, km (e.g. 100 for re-entry "
            "conditions); 0: at impact."
        ),
    ] = 0.0,
    lift_to_drag: Annotated[
        float,
        typer.Option(
            help="Glide with this L/D from the first apogee (or at once, if level or "
            "descending) at full lift: an equilibrium glide; 0: ballistic."
        ),
    ] = 0.0,
    as_json: JsonOpt = False,
    backend: BackendOpt = "auto",
):
    """Ballistic (or gliding) flight from a given state, to check the physics against
    closed forms (e.g. --earth sphere --no-rotation --no-drag against Bate, Mueller &
    White ch. 6), or to find re-entry conditions (--end-alt-km)."""
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
        typer.Option(help="Ground range, km: the minimum-energy arc over it."),
    ] = None,
    speed_kms: Annotated[
        float | None,
        typer.Option(help="Burnout speed, km/s: the maximum-range arc of that speed."),
    ] = None,
    alt_km: Annotated[float, typer.Option(help="Burnout (and re-entry) altitude, km.")] = 0.0,
    as_json: JsonOpt = False,
):
    """Vacuum closed forms of a ballistic arc on a non-rotating sphere (Bate, Mueller &
    White ch. 6): the minimum-energy burnout speed, flight-path angle, apogee and time of
    free flight for a range, or the maximum range for a burnout speed."""
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
    what = (
        f"the least burnout speed for {s['range_km']:,.1f} km"
        if arc.kind == "minimum-energy"
        else f"the longest range at {s['speed_kms']:.3f} km/s"
    )
    console = stdout()
    console.print(
        f"{what}: {s['speed_kms']:.3f} km/s at {s['flight_path_angle_deg']:.2f} deg above the "
        f"horizontal, {s['range_km']:,.1f} km, apogee {s['apogee_km']:,.1f} km, "
        f"{s['flight_time_s']:,.1f} s of free flight"
    )
    console.print(
        f"Vacuum, non-rotating sphere of radius {s['earth_radius_km']:,.1f} km, burnout and "
        f"re-entry at {s['burnout_alt_km']:g} km: no drag, no boost, no Earth rotation "
        "(Bate, Mueller & White 6.2-6.3)."
    )
