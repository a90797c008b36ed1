"""Which catalogue entries an answer used, and the bibliography they make.

Every product (an engagement, the Europe study, a coverage, a scenario run) lists the
catalogue entries whose numbers it used as ``(kind, id)`` pairs: the threat missile, the
launch and aim sites, each battery's site and interceptor, every sensor (its site and
radar, or the early-warning satellite), and the doctrine defaults whose cited value was
the one used. :func:`bibliography` turns them into one list of sources, each once in the
order first cited, with the entries that cite it; ``output.files.write_sources_files``
writes it as ``sources.json`` and ``sources.md``, and the HTML report prints it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bmdsim.analyses.resolve import (
    BatterySpec,
    catalogue_or_default,
    resolve_place,
    resolve_sensors,
)
from bmdsim.catalogue import Catalogue
from bmdsim.errors import BmdsimError

__all__ = [
    "battery_entries",
    "bibliography",
    "doctrine_entries",
    "engagement_entries",
    "missile_entry",
    "place_entry",
    "sensor_entries",
    "unique_entries",
]


def place_entry(spec, catalogue: Catalogue | None = None):
    """``("site", id)`` when ``spec`` names a catalogue site; None for a bare position."""
    try:
        place = resolve_place(spec, catalogue)
    except BmdsimError:
        return None
    return ("site", place.id) if place.id else None


def missile_entry(spec, catalogue: Catalogue | None = None):
    """The catalogue missile ``spec`` names, as ``("missile", id)`` (a cruise missile as
    ``("cruise_missile", id)``); a user's vehicle file
    or Missile object is returned as the object itself (its own ``sources:`` are listed)."""
    from bmdsim.analyses.resolve import cruise_entry, resolve_missile

    cruise = cruise_entry(spec, catalogue)
    if cruise is not None:
        return ("cruise_missile", cruise.id)
    _, missile, _ = resolve_missile(spec, catalogue)
    if missile is None:
        return None
    cat = catalogue_or_default(catalogue)
    if cat.missiles.get(missile.id) is missile:
        return ("missile", missile.id)
    return missile


def sensor_entries(sensors, catalogue: Catalogue | None = None) -> list:
    """Site, radar and sensor entries of ``sensors`` (names as ``engage`` takes them)."""
    views, satellites = resolve_sensors(list(sensors or ()), catalogue)
    out: list = []
    for view in views:
        out += [("site", view.site_id), ("radar", view.radar.id)]
    out += [("sensor", s.id) for s in satellites]
    if satellites:
        out.append(("doctrine", "early-warning-report-latency"))
    return out


def battery_entries(specs: Iterable[BatterySpec], catalogue: Catalogue | None = None) -> list:
    """Each battery's site and interceptor; the doctrine inventory of a what-if battery
    (an interceptor named at a site that does not deploy it)."""
    cat = catalogue_or_default(catalogue)
    out: list = []
    for b in specs:
        out += [("site", b.site_id), ("interceptor", b.interceptor_id)]
        site = cat.sites.get(b.site_id)
        if site is not None and b.interceptor_id not in {s.system for s in site.systems}:
            out.append(("doctrine", "notional-battery-inventory"))
    return out


def doctrine_entries(doctrine, catalogue: Catalogue | None = None) -> list:
    """The doctrine entries whose cited central value ``doctrine`` uses."""
    cat = catalogue_or_default(catalogue)
    out = []
    for field, entry in (
        ("decision_delay_s", "decision-delay"),
        ("assessment_delay_s", "assessment-delay"),
    ):
        if entry in cat.doctrine and getattr(doctrine, field) == cat.doctrine[entry].si:
            out.append(("doctrine", entry))
    return out


def engagement_entries(
    threat, origin, target, specs, sensors, doctrine, catalogue: Catalogue | None = None
) -> tuple:
    """Every catalogue entry an ``engage`` answer used (module doc), each once."""
    out: list = [missile_entry(threat, catalogue), place_entry(origin, catalogue)]
    out.append(place_entry(target, catalogue))
    out += battery_entries(specs, catalogue)
    out += sensor_entries(sensors, catalogue)
    out += doctrine_entries(doctrine, catalogue)
    return unique_entries(out)


def unique_entries(entries) -> tuple:
    """``entries`` without Nones and repeats, in order."""
    seen, out = set(), []
    for e in entries:
        if e is None:
            continue
        key = e if isinstance(e, tuple) else (type(e).__name__.lower(), getattr(e, "id", id(e)))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return tuple(out)


def _label(entry) -> str:
    if isinstance(entry, tuple):
        return f"{entry[0]}:{entry[1]}"
    return f"{type(entry).__name__.lower()}:{getattr(entry, 'id', '?')} (user file)"


def bibliography(entries: Iterable, catalogue: Catalogue | None = None) -> list[dict]:
    """The sources of ``entries`` (``(kind, id)`` pairs or catalogue models), each once in
    the order first cited: ``{id, title, author, year, url, accessed, note, cited_by}``,
    ``cited_by`` the entries (``kind:id``) that cite it."""
    cat = catalogue_or_default(catalogue)
    out: dict[str, dict] = {}
    for entry in unique_entries(entries):
        model = cat.lookup(*entry) if isinstance(entry, tuple) else entry
        for src in cat.sources_for(model):
            row = out.get(src.id)
            if row is None:
                row = out[src.id] = {
                    "id": src.id,
                    "title": src.title,
                    "author": src.author,
                    "year": src.year,
                    "url": src.url,
                    "accessed": src.accessed,
                    "note": src.note,
                    "cited_by": [],
                }
            label = _label(entry)
            if label not in row["cited_by"]:
                row["cited_by"].append(label)
    return list(out.values())
