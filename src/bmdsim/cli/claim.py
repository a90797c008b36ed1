"""``bmdsim claim lofted | flight-time | reach``: a press number into physics
(``bmdsim.analyses.claims``). Each prints a sentence a journalist could quote, then the
numbers behind it with their sources; ``--json`` prints the same as JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from bmdsim.cli._console import fail, print_json, stderr, stdout
from bmdsim.cli._options import JsonOpt, MissileOpt, number, text_option
from bmdsim.domains import Domain
from bmdsim.errors import BmdsimError

# The domains of a press number (kept here: only these commands take them).
RANGE = Domain(
    "lofted test range",
    "km",
    0.0,
    20_000.0,
    "a ground range on the Earth, below half its circumference",
    low_open=True,
)
APOGEE = Domain(
    "lofted test apogee",
    "km",
    0.0,
    20_000.0,
    "above the ground; higher is no ballistic missile test",
    low_open=True,
)
MINUTES = Domain(
    "flight time",
    "min",
    0.0,
    120.0,
    "a ballistic flight lasts less than two hours",
    low_open=True,
)

PlaceFrom = Annotated[
    str,
    text_option(
        "--from",
        help="Launch point: catalogue site id/alias, a town (GeoNames, offline; 'Brest,BY') "
        "or LAT,LON.",
    ),
]
PlaceTo = Annotated[
    str,
    text_option("--to", help="Target: catalogue site id/alias, a town ('Berlin') or LAT,LON."),
]


def _sources(con, sources) -> None:
    from rich.markup import escape

    con.print("sources:")
    for s in sources:
        con.print(f"  - {escape(s)}")


def lofted(
    range_km: Annotated[
        float, number(RANGE, "--range-km", help="Ground range of the lofted test, km.")
    ],
    apogee_km: Annotated[
        float, number(APOGEE, "--apogee-km", help="Apogee (maximum altitude) of the test, km.")
    ],
    flight_time_min: Annotated[
        float | None,
        number(MINUTES, "--flight-time-min", help="Reported flight time, minutes (a check)."),
    ] = None,
    origin: Annotated[
        str | None,
        text_option(
            "--from",
            help="Launch area for the capitals in range: site, town (Pyongyang) or LAT,LON.",
        ),
    ] = None,
    missile_class: Annotated[
        str | None,
        typer.Option(
            "--class",
            help="icbm or srbm: whose catalogue vehicles set the band "
            "(default: from the range, icbm above 3,000 km).",
        ),
    ] = None,
    as_json: JsonOpt = False,
):
    """The standard-trajectory (minimum-energy) range of a missile that flew a lofted
    test, with its band and method (David Wright's conversion for UCS, done with Keplerian
    arcs and a boost correction from the catalogue vehicles of its class), and the
    capitals within it from --from. Example: bmdsim claim lofted --range-km 1000
    --apogee-km 3700 --flight-time-min 47 --from Pyongyang"""
    from bmdsim.analyses.claims import lofted as run

    try:
        with stderr().status("flying the class vehicles..."):
            claim = run(
                range_km=range_km,
                apogee_km=apogee_km,
                flight_time_min=flight_time_min,
                missile_class=missile_class,
                origin=origin,
            )
    except BmdsimError as exc:
        fail(exc)
    d = claim.to_dict()
    if as_json:
        print_json(d)
        return
    from rich.markup import escape
    from rich.table import Table

    con = stdout()
    con.print(f"[bold]{escape(claim.sentence)}[/]")
    for c in d["caveats"]:
        con.print(f"caveat: {escape(c)}")
    g = d["given"]
    con.print(
        f"given: range {g['range_km']:,.0f} ± {g['range_precision_km']:g} km, apogee "
        f"{g['apogee_km']:,.0f} ± {g['apogee_precision_km']:g} km"
        + (f", flight time {g['flight_time_min']:g} min" if g["flight_time_min"] else "")
    )
    s, v = d["standard_range_km"], d["burnout_speed_km_s"]
    con.print(
        f"standard range: {s['central']:,.0f} km (band {s['low']:,.0f}-{s['high']:,.0f} km); "
        f"lofted burnout speed {v['central']:.2f} km/s; holding that speed without the boost "
        f"correction: {d['speed_held_range_km']:,.0f} km"
    )
    t = d["modelled_flight_time_min"]
    if t:
        said = f"; reported {g['flight_time_min']:g} min" if g["flight_time_min"] else ""
        con.print(
            f"modelled lofted flight time: {t['low']:.1f}-{t['high']:.1f} min "
            f"(boost + Kepler){said}"
        )
    table = Table(title=f"class vehicles ({d['class']}): what a boost costs")
    for col in ("vehicle", "std burnout km", "steep burnout km", "speed gain km/s"):
        table.add_column(col, justify="right" if col != "vehicle" else "left")
    for cv in d["class_vehicles"]:
        table.add_row(
            cv["id"],
            f"{cv['standard_burnout_alt_km']:,.0f}",
            f"{cv['steep_burnout_alt_km']:,.0f}",
            f"{cv['speed_gain_km_s']:.2f}",
        )
    con.print(table)
    con.print(f"method: {escape(d['method'])}")
    if d["launch"] is not None:
        caps = d["capitals"]
        inside = [c for c in caps if c["verdict"] == "in"]
        maybe = [c for c in caps if c["verdict"] == "uncertain"]
        con.print(
            f"capitals within {s['low']:,.0f} km of {escape(d['launch']['name'])} "
            f"({len(inside)}, nearest first): "
            + escape(", ".join(c["capital"] for c in inside[:40]))
            + (f" and {len(inside) - 40} more (--json lists all)" if len(inside) > 40 else "")
        )
        if maybe:
            con.print(
                f"within the band ({s['low']:,.0f}-{s['high']:,.0f} km, {len(maybe)}): "
                + escape(", ".join(c["capital"] for c in maybe))
            )
    _sources(con, d["sources"])


def flight_time(
    missile: MissileOpt,
    origin: PlaceFrom,
    target: PlaceTo,
    minutes: Annotated[
        float, number(MINUTES, "--minutes", help="The claimed flight time, minutes.")
    ],
    as_json: JsonOpt = False,
):
    """Whether a claimed flight time is possible: the shortest times the missile flies
    over that range on minimum-energy and depressed ballistic profiles (bmdsim flights,
    rotating WGS 84 Earth with drag, both ends of the catalogue band), and a verdict
    (consistent, only on a depressed profile, faster than the missile can fly, out of
    reach). Example: bmdsim claim flight-time --missile iskander-m --from kaliningrad
    --to berlin --minutes 3"""
    from bmdsim.analyses.claims import flight_time as run

    try:
        with stderr().status("flying..."):
            claim = run(missile, origin=origin, target=target, minutes=minutes)
    except BmdsimError as exc:
        fail(exc)
    d = claim.to_dict()
    if as_json:
        print_json(d)
        return
    from rich.markup import escape

    con = stdout()
    con.print(f"[bold]{escape(claim.sentence)}[/]")
    con.print(
        f"verdict: {d['verdict']}; reach: {d['reach']['verdict']} ({escape(d['reach']['why'])})"
    )
    con.print(f"band: {escape(d['reach']['band'])}")
    labels = {
        "minimum_energy": "minimum-energy",
        "depressed": "depressed (central)",
        "quasi_ballistic": "quasi-ballistic (catalogue L/D)",
        "depressed_fastest": "fastest (depressed over the band, quasi-ballistic)",
        "to_maximum_range": "to its maximum range on that bearing",
    }
    for k, v in d["flight_time_min"].items():
        if v is not None:
            con.print(f"  {labels[k]}: {v:.1f} min")
    con.print(
        "  any missile, minimum energy, vacuum (floor): "
        f"{d['kepler_minimum_energy_floor_min']:.1f} min"
    )
    con.print(f"claimed: {d['claimed_min']['value']:g} ± {d['claimed_min']['precision']:g} min")
    for n in d["notes"]:
        con.print(f"note: {escape(n)}")
    _sources(con, d["sources"])


def reach(missile: MissileOpt, origin: PlaceFrom, target: PlaceTo, as_json: JsonOpt = False):
    """Whether a target is in reach: in / uncertain / out, with the band (the catalogue's
    published range at both ends, flown as in `bmdsim reach`). Example: bmdsim claim reach
    --missile iskander-m --from kaliningrad --to berlin"""
    from bmdsim.analyses.claims import reach_claim

    try:
        with stderr().status("computing the footprint..."):
            claim = reach_claim(missile, origin=origin, target=target)
    except BmdsimError as exc:
        fail(exc)
    d = claim.to_dict()
    if as_json:
        print_json(d)
        return
    from rich.markup import escape

    con = stdout()
    con.print(f"[bold]{escape(claim.sentence)}[/]")
    r = d["range_km"]
    con.print(f"verdict: {d['verdict']}: {escape(d['why'])}")
    con.print(f"band: {escape(d['band'])}")
    con.print(
        f"distance {d['distance_km']:,.0f} km; reach on that bearing {r['low']:,.0f} / "
        f"{r['central']:,.0f} / {r['high']:,.0f} km (short / central / long)"
        + (
            f"; minimum-energy flight {d['flight_time_min']:.1f} min"
            if d["flight_time_min"]
            else ""
        )
    )
    _sources(con, d["sources"])
