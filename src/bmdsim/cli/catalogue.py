"""``catalogue list`` and ``catalogue show``: the cited catalogue, one line per entry or
one entry with every number, its range and its sources."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bmdsim.cli._console import count_noun, fail, plain, print_json, stdout, wrap_indented
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


# One formatter per kind: the line ``catalogue list`` prints after an entry's id and name
# (without the source, which has its own column: an id a user may copy, never cut).
def _missile_detail(e) -> str:
    rng = e.published_range
    return f"{e.kind}, {e.country}, range {rng.value:g} {rng.unit}"


def _interceptor_detail(e) -> str:
    b = e.burnout_speed
    detail = f"burnout {b.value:g} {b.unit} ({b.low:g}-{b.high:g})"
    return detail + (", notional" if e.notional else "")


def _radar_detail(e) -> str:
    r = e.reference_range
    return f"{e.role}, {r.value:g} {r.unit} vs {e.reference_rcs.value:g} {e.reference_rcs.unit}"


def _sensor_detail(e) -> str:
    return f"detection {e.detection_delay.value:g} {e.detection_delay.unit} after launch"


def _site_detail(e) -> str:
    return f"{e.lat_deg:.4f}, {e.lon_deg:.4f} ±{e.uncertainty_km:g} km, {e.kind}"


def _source_detail(e) -> str:
    return f"{e.author} {e.year}: {e.title}"


def _aero_detail(e) -> str:
    return ""


def _doctrine_detail(e) -> str:
    q = e.quantity
    unit = f" {q.unit}" if q.unit else ""
    return f"{q.value:g}{unit} ({q.low:g}-{q.high:g}) grade {q.grade}"


def _cruise_detail(e) -> str:
    rng = e.published_range
    return (
        f"{e.kind}, {e.flight_profile}, range {rng.value:g} {rng.unit} "
        f"({rng.low:g}-{rng.high:g})"
    )


def _aircraft_detail(e) -> str:
    r = e.combat_radius
    return f"{e.role}, radius {r.value:g} {r.unit} ({r.low:g}-{r.high:g})"


def _source_of(e) -> str:
    """The source id behind an entry's headline number ('' for a source itself)."""
    kind = type(e).__name__.lower()
    field = {
        "missile": "published_range",
        "interceptor": "burnout_speed",
        "radar": "reference_range",
        "sensor": "detection_delay",
        "doctrineentry": "quantity",
        "cruisemissile": "published_range",
        "aircraft": "combat_radius",
    }.get(kind)
    if field is not None:
        return str(getattr(getattr(e, field), "source", "") or "")
    if kind == "site":
        return str(e.source or "")
    return ""


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
    print_entries(entries, kinds[kind])


def print_entries(entries, kind: str) -> None:
    """A table (id, name, details, source) when it fits the terminal whole; else one
    entry per block: ``id  name`` on the first line, details and ``[source]`` indented
    below, so that no id (entry or source) is ever cut or broken at 80 columns."""
    from rich.table import Table

    detail = DETAILS[kind]
    rows = [(e.id, plain(getattr(e, "name", "")), detail(e), _source_of(e)) for e in entries]
    noun = {"missile": "missile", "source": "source"}.get(kind, kind)
    title = f"{count_noun(len(rows), noun)} in the catalogue"
    con = stdout()
    has_source = any(r[3] for r in rows)
    widths = [max((len(r[i]) for r in rows), default=0) for i in range(4)]
    columns = 4 if has_source else 3
    needed = sum(widths[:columns]) + 3 * columns + 1
    if needed <= con.width:
        table = Table(title=title)
        for col in ("id", "name", "details", "source")[:columns]:
            table.add_column(col, no_wrap=True)
        for r in rows:
            table.add_row(*(escape(x) for x in r[:columns]))
        con.print(table)
        return
    typer.echo(f"{title} (id  name, then details [source])")
    for eid, name, text, source in rows:
        typer.echo(wrap_indented(f"{eid}  {name}".rstrip(), con.width))
        tail = f" [{source}]" if source else ""
        if text or tail:
            typer.echo(wrap_indented(f"    {text}{tail}".rstrip(), con.width))


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
    con = stdout()
    for line in _as_lines(data):
        typer.echo(wrap_indented(line, con.width))
    sources = cat.sources_for(entry)
    if sources:
        con.print("\n[bold]Sources[/]")
        for src in sources:
            typer.echo(wrap_indented("  " + source_line(src), con.width))


def source_line(src) -> str:
    """'[id] Author (year). Title. URL' with nothing missing printed as None or ()."""
    author = plain(getattr(src, "author", None))
    year = plain(getattr(src, "year", None))
    who = f"{author} ({year})" if author and year else author or year
    parts = [
        f"[{src.id}]",
        f"{who}." if who else "",
        f"{plain(src.title)}.",
        plain(getattr(src, "url", None)),
    ]
    return " ".join(p for p in parts if p)


def _scalar(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _as_lines(value, indent: int = 0) -> list[str]:
    """An entry as indented ``key: value`` lines (YAML-like, never a Python repr): a
    quantity ``{value, unit, low, high, source}`` on one line as ``500 km (400-500)
    [source]``."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and "value" in item and "source" in item:
                rng = ""
                if item.get("low") is not None and item.get("high") is not None:
                    rng = f" ({_scalar(item['low'])}-{_scalar(item['high'])})"
                unit = f" {item['unit']}" if item.get("unit") else ""
                lines.append(f"{pad}{key}: {_scalar(item['value'])}{unit}{rng} [{item['source']}]")
            elif isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_as_lines(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_scalar(item) if item != [] else '-'}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                sub = _as_lines(item, indent + 2)
                if sub:
                    lines.append(f"{pad}- {sub[0].lstrip()}")
                    lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    else:
        lines.append(f"{pad}{_scalar(value)}")
    return lines
