"""Flight commands: ``trajectory`` (one missile to an aim point), ``reach`` (the
maximum-range footprint and the sites inside it) and ``coast`` (ballistic flight from a
given state, for checks against closed forms)."""

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
    number,
    shape_option,
    sites_option,
    text_option,
)
from bmdsim.errors import BmdsimError


def trajectory(
    missile: MissileOpt,
    origin: FromOpt,
    target: Annotated[str, text_option("--to", help="Aim point: site id/alias or LAT,LON.")],
    shape: Annotated[
        str, shape_option(help="minimum-energy | lofted | depressed | apogee=KM")
    ] = "minimum-energy",
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """Fly one missile to an aim point on the rotating WGS 84 Earth (boost, staging,
    coast, re-entry with drag) and report range, apogee, flight time and burnout."""
    import bmdsim
    from bmdsim.output.files import write_trajectory_files
    from bmdsim.output.summary import trajectory_summary

    try:
        check_points(missile, origin, target)
        with status("solving the aim point and flying..."):
            traj = bmdsim.fly(missile, origin=origin, target=target, shape=shape, backend=backend)
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

    table = Table(title=escape(f"{traj.missile_id}: {origin} -> {target} ({summary['shape']})"))
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
    stdout().print(table)
    from bmdsim.output.answers import trajectory_answer

    answer(trajectory_answer(summary, origin, target))
    if out:
        stderr().print(f"files written to {out}/", markup=False, highlight=False)


def reach(
    missile: MissileOpt,
    origin: FromOpt,
    sites: Annotated[str, sites_option()] = "nato",
    azimuths: Annotated[int, number(D.AZIMUTHS_REACH, help="Number of launch azimuths.")] = 360,
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
        check_points(missile, origin)
        with status("computing the footprint..."):
            fp = bmdsim.reach(
                missile, origin=origin, sites=sites, n_azimuths=azimuths, backend=backend
            )
    except BmdsimError as exc:
        fail(exc)
    if out:
        write_footprint_files(fp, out)
    if as_json:
        print_json(footprint_summary(fp))
        return
    print_footprint(fp, f"{fp.missile_id} from {origin}")
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
    earth: Annotated[
        str, typer.Option(help="wgs84 (ellipsoid, J2) or sphere (point mass).")
    ] = "wgs84",
    no_rotation: Annotated[bool, typer.Option("--no-rotation", help="Non-rotating Earth.")] = False,
    no_drag: Annotated[bool, typer.Option("--no-drag", help="No atmosphere.")] = False,
    beta: Annotated[
        float | None,
        number(
            D.catalogue_domain("ballistic_coefficient"),
            help="Ballistic coefficient m/(Cd A), kg/m^2 (needed with drag).",
        ),
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
        fail(exc)
    result = coast_summary(t)
    if as_json:
        print_json(result)
        return
    stdout().print(
        f"range {result['range_km']:,.3f} km, flight time {result['flight_time_s']:,.2f} s, "
        f"apogee {result['apogee_km']:,.3f} km, impact {result['impact']['lat']:.5f}, "
        f"{result['impact']['lon']:.5f}"
    )
