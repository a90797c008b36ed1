"""Units at the edges (bmdsim.units): exact conversion factors by definition."""

import math

import pytest

from bmdsim import units
from bmdsim.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected_si"),
    [
        ("500 km", 500_000.0),
        ("500km", 500_000.0),
        ("4.5 km/s", 4_500.0),
        ("1,200 nmi", 1_200 * 1852.0),  # international nautical mile, 1929
        ("6000 mi", 6000 * 1609.344),  # international mile, 1959
        ("44 ft", 44 * 0.3048),
        ("79432 lb", 79432 * 0.45359237),
        ("58.5 t", 58_500.0),
        ("68 s", 68.0),
        ("5 min", 300.0),
        ("3400 mph", 3400 * 0.44704),
        ("6500 km/h", 6500 / 3.6),
        ("0.43 m^2", 0.43),
        ("0.43 m2", 0.43),
        ("10000 kg/m^2", 10_000.0),
        ("10000 kg/m2", 10_000.0),
        ("250 kN", 250_000.0),
        ("25000 kgf", 25_000 * 9.80665),  # CGPM 1901 standard gravity
        ("1 lbf", 0.45359237 * 9.80665),
        ("180 deg", math.pi),
        ("1 rad", 1.0),
        ("288.15 K", 288.15),
        ("101325 Pa", 101_325.0),
        ("1e3 m", 1000.0),
        ("-2.5 m", -2.5),
        ("0.8", 0.8),
        ("0.8 -", 0.8),
    ],
)
def test_parse_quantity_gives_si_float(text, expected_si):
    value = units.parse_quantity(text)
    assert isinstance(value, float)
    assert value == pytest.approx(expected_si, rel=1e-12)


def test_parse_quantity_accepts_plain_numbers_as_dimensionless():
    assert units.parse_quantity(3) == 3.0
    assert units.parse_quantity(2.5, dimension="dimensionless") == 2.5


def test_to_si_and_from_si_are_inverse_for_every_unit():
    for unit in units.ALLOWED_UNITS:
        assert units.from_si(units.to_si(123.456, unit), unit) == pytest.approx(123.456)


def test_to_si_matches_the_brief_example():
    assert units.to_si(500, "km") == 500_000.0
    assert units.to_si(1, "") == 1.0


def test_unknown_unit_is_refused_with_the_allowed_units():
    with pytest.raises(InputError) as info:
        units.parse_quantity("500 furlong")
    assert "furlong" in str(info.value)
    assert "km" in info.value.allowed and "nmi" in info.value.allowed
    assert info.value.field == "unit"
    with pytest.raises(InputError):
        units.to_si(1.0, "parsec")


def test_unreadable_text_is_refused():
    for text in ("", "km", "five km", "1,2 km", "1 2 km"):
        with pytest.raises(InputError):
            units.parse_quantity(text)
    with pytest.raises(InputError):
        units.parse_quantity(True)


def test_dimension_check_refuses_a_unit_of_another_kind():
    assert units.parse_quantity("500 km", dimension="length") == 500_000.0
    with pytest.raises(InputError) as info:
        units.parse_quantity("500 kg", dimension="length")
    assert "km" in info.value.allowed and "kg" not in info.value.allowed


def test_dimension_of_groups_units():
    assert units.dimension_of("nmi") == "length"
    assert units.dimension_of("kgf") == "force"
    assert units.dimension_of("kg/m2") == "areal_mass"
    assert units.dimension_of("-") == "dimensionless"


def test_format_quantity_for_display():
    assert units.format_quantity(500_000.0, "km") == "500 km"
    assert units.format_quantity(2_470.0, "km/s", digits=3) == "2.47 km/s"
    assert units.format_quantity(0.8, "") == "0.8"
