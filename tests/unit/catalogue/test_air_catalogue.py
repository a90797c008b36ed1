"""The aircraft and cruise-missile catalogue (aircraft.yaml, cruise.yaml): every number
cited, banded and graded; the figures as their sources give them; the ids the issue and
the scenarios use."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel, ValidationError

from bmdsim import units
from bmdsim.catalogue import GRADES, CruiseMissile, Quantity, default_catalogue
from bmdsim.catalogue.schema import ID_PATTERN

CAT = default_catalogue()


def _quantities(obj, path=""):
    if isinstance(obj, Quantity):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _quantities(getattr(obj, name), f"{path}.{name}" if path else name)


def test_the_issue_ids_exist():
    assert {"tu-22m3", "su-30sm", "su-34"} <= set(CAT.aircraft)
    assert {"kh-22", "kh-32", "kh-101", "kh-555", "kalibr", "9m728", "9m729", "kinzhal"} <= set(
        CAT.cruise_missiles
    )
    site = CAT.site("shaykovka")
    assert site.kind == "air-base" and site.source in CAT.sources


def test_every_number_is_cited_banded_and_graded():
    checked = 0
    for entry in [*CAT.cruise_missiles.values(), *CAT.aircraft.values()]:
        assert re.match(ID_PATTERN, entry.id)
        for path, q in _quantities(entry):
            where = f"{entry.id}.{path}"
            assert q.source in CAT.sources, where
            assert q.low <= q.value <= q.high and q.low_si <= q.si <= q.high_si, where
            assert q.unit in units.ALLOWED_UNITS and q.grade in GRADES, where
            checked += 1
    assert checked > 80


def test_their_sources_say_when_and_where_they_were_read():
    cited = {
        q.source
        for e in [*CAT.cruise_missiles.values(), *CAT.aircraft.values()]
        for _, q in _quantities(e)
    }
    for sid in cited:
        s = CAT.source(sid)
        assert s.title and s.author, sid
        if s.url is not None:
            assert s.url.startswith("https://") and s.accessed, sid
        else:
            assert s.note, sid


@pytest.mark.parametrize(
    ("kind", "entry_id", "path", "value", "unit"),
    [
        ("aircraft", "tu-22m3", "combat_radius", 1850, "km"),  # Military-Today
        ("aircraft", "tu-22m3", "cruise_speed", 930, "km/h"),  # Military Update 2025
        ("aircraft", "su-34", "combat_radius", 1100, "km"),  # Sputnik 2017
        ("cruise_missile", "kh-22", "published_range", 550, "km"),  # tech.wp.pl 2024
        ("cruise_missile", "kh-32", "published_range", 1000, "km"),  # Bondarev 2017
        ("cruise_missile", "kh-101", "published_range", 4500, "km"),  # Putin 2017
        ("cruise_missile", "9m728", "published_range", 480, "km"),
    ],
)
def test_figures_are_the_cited_ones(kind, entry_id, path, value, unit):
    q = getattr(CAT.lookup(kind, entry_id), path)
    assert (q.value, q.unit) == (value, unit)


def test_the_inf_dispute_is_the_9m729_band():
    r = CAT.cruise_missile("9m729").published_range
    assert r.low == 480 and r.high >= 2000  # declared by Russia; the US/press estimates


def test_carriers_name_catalogue_weapons():
    for plane in CAT.aircraft.values():
        for w in plane.weapons:
            assert w in CAT.cruise_missiles, (plane.id, w)
    assert {"kh-22", "kh-32"} <= set(CAT.carrier("tu-22m3").weapons)


def test_a_cruise_missile_without_its_flight_figures_is_refused():
    raw = CAT.cruise_missile("kh-101").model_dump()
    raw.pop("lift_to_drag")
    with pytest.raises(ValidationError, match="lift_to_drag"):
        CruiseMissile.model_validate(raw)
    raw = CAT.cruise_missile("kh-101").model_dump()
    raw.pop("low_level_distance")
    with pytest.raises(ValidationError, match="low_level_distance"):
        CruiseMissile.model_validate(raw)
