"""``catalogue list`` and ``catalogue show``: the cited catalogue, one line per entry or
one entry with every number, its range and its sources."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bmdsim.cli._console import fail, print_json, stdout
from bmdsim.cli._options import JsonOpt
from bmdsim.errors import BmdsimError, InputError

KINDS = (
    "missile",
    "site",
    "source",
    "aero",
    "interceptor",
    "radar",
    "sensor",
    "cruise_missile",
    "aircraft",
    "doctrine",
)
SHOW_ORDER = (
    "missile",
    "cruise_missile",
    "aircraft",
    "interceptor",
    "radar",
    "sensor",
    "site",
    "doctrine",
    "source",
    "aero",
)
# other spellings of a kind on the command line
KIND_ALIASES = {"cruise": "cruise_missile", "cruise-missile": "cruise_missile"}


# One formatter per kind: the line ``catalogue list`` prints after an entry's id and name.
def _missile_detail(e) -> str:
    rng = e.published_range
    return f"{e.kind}, {e.country}, range {rng.value:g} {rng.unit} [{rng.source}]"


def _interceptor_detail(e) -> str:
    b = e.burnout_speed
    detail = f"burnout {b.value:g} {b.unit} ({b.low:g}-{b.high:g}) [{b.source}]"
    return detail + (", notional" if e.notional else "")


def _radar_detail(e) -> str:
    r = e.reference_range
    return (
        f"{e.role}, {r.value:g} {r.unit} vs {e.reference_rcs.value:g} "
        f"{e.reference_rcs.unit} [{r.source}]"
    )


def _sensor_detail(e) -> str:
    return f"detection {e.detection_delay.value:g} {e.detection_delay.unit} after launch"


def _site_detail(e) -> str:
    return f"{e.lat_deg:.4f}, {e.lon_deg:.4f} ±{e.uncertainty_km:g} km, {e.kind} [{e.source}]"


def _source_detail(e) -> str:
    return f"{e.author} {e.year}: {e.title}"


def _aero_detail(e) -> str:
    return ""


def _doctrine_detail(e) -> str:
    q = e.quantity
    unit = f" {q.unit}" if q.unit else ""
    return f"{q.value:g}{unit} ({q.low:g}-{q.high:g}) [{q.source}, grade {q.grade}]"


def _cruise_detail(e) -> str:
    rng = e.published_range
    return (
        f"{e.kind}, {e.flight_profile}, range {rng.value:g} {rng.unit} "
        f"({rng.low:g}-{rng.high:g}) [{rng.source}]"
    )


def _aircraft_detail(e) -> str:
    r = e.combat_radius
    return f"{e.role}, radius {r.value:g} {r.unit} ({r.low:g}-{r.high:g}) [{r.source}]"


DETAILS = {
    "missile": _missile_detail,
    "interceptor": _interceptor_detail,
    "radar": _radar_detail,
    "sensor": _sensor_detail,
    "site": _site_detail,
    "source": _source_detail,
    "aero": _aero_detail,
    "doctrine": _doctrine_detail,


    "cruise_missile": _cruise_detail,
    "aircraft": _aircraft_detail,
}


def list_entries(
    kind: Annotated[
        str,
        typer.Option(
            help="missile | cruise | aircraft | interceptor | radar | sensor | site | "
            "doctrine | source | aero"
        ),
    ] = "missile",
    as_json: JsonOpt = False,
):
    """List catalogue entries of one kind with their sources."""
    import bmdsim

    kinds = {k: k for k in KINDS} | {f"{k}s": k for k in KINDS} | KIND_ALIASES
    try:
        cat = bmdsim.catalogue()
        if kind not in kinds:
            raise InputError(
                f"unknown catalogue kind {kind!r}; allowed: missile, cruise, aircraft, "
                "interceptor, radar, sensor, site, doctrine, source, aero",
                field="kind",
                value=kind,
                allowed=sorted(KINDS),
            )
        entries = cat.entries(kinds[kind])
    except BmdsimError as exc:
        fail(exc)
    if as_json:
        print_json([e.model_dump(mode="json") for e in entries])
        return
    from rich.table import Table

    detail = DETAILS[kinds[kind]]
    table = Table(title=f"{len(entries)} {kind} entries")
    # never cut an id a user must copy: the column is as wide as the longest id
    table.add_column("id", no_wrap=True, min_width=max((len(e.id) for e in entries), default=2))
    table.add_column("name")
    table.add_column("details")
    for e in entries:
        table.add_row(e.id, escape(getattr(e, "name", "") or ""), escape(detail(e)))
    stdout().print(table)


def show(
    name: Annotated[
        str, typer.Argument(help="Id or alias of any entry (missile, site, doctrine, ...).")
    ],
    as_json: JsonOpt = False,
):
    """Show one entry with every number, its range and its source."""
    import bmdsim
    from bmdsim.errors import UnknownEntryError

    cat = bmdsim.catalogue()
    entry = None
    close = []
    for kind in SHOW_ORDER:
        try:
            entry = cat.lookup(kind, name)
            break
        except UnknownEntryError as exc:
            close += list(exc.allowed or [])
    if entry is None:
        hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
        fail(
            UnknownEntryError(
                f"no catalogue entry named {name!r}{hint}",
                field="name",
                value=name,
                allowed=close[:5],
            )
        )
    data = entry.model_dump(mode="json", exclude_none=True)
    if as_json:
        print_json(data)
        return
    from rich.pretty import Pretty

    con = stdout()
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
