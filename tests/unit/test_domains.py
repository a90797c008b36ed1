"""bmdsim.domains: one domain per quantity, strict types, the reason in every refusal."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bmdsim import domains as D
from bmdsim.errors import InputError

HOSTILE_NUMBERS = [math.nan, math.inf, -math.inf, float("1e309"), True, False, "3", None]


@pytest.mark.parametrize(
    "domain",
    [D.DELAY, D.CUE_TIME, D.LATITUDE, D.LONGITUDE, D.AZIMUTH, D.RCS, D.ALTITUDE, D.RING_RADIUS],
    ids=lambda d: d.name,
)
@pytest.mark.parametrize("value", HOSTILE_NUMBERS, ids=repr)
def test_not_a_finite_number_is_refused_with_the_domain(domain, value):
    with pytest.raises(InputError) as err:
        domain.check(value, field="x")
    message = err.value.message
    assert message.startswith("x: ")
    assert domain.allowed() in message and domain.reason in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "domain, inside, outside",
    [
        (D.DELAY, [0, 0.0, 30, 3600], [-1e-9, -300, 3600.001]),
        (D.LATITUDE, [-90, 0, 54.7, 90], [-90.0001, 95]),
        (D.LONGITUDE, [-180, 180], [-181, 200]),
        (D.RCS, [1e-6, 0.1, 1e4], [0, -1, 1e-7, 1e5]),
        (D.BURNOUT_SPEED, [1.0, 4500, 11200], [0, -5, 11201]),
        (D.APOGEE, [1.0, 5e6], [0, -1, 5.000001e6]),
        (D.PROBABILITY, [0, 0.5, 1], [-0.01, 1.01]),
    ],
    ids=lambda x: getattr(x, "name", None),
)
def test_bounds_are_the_stated_ones(domain, inside, outside):
    """Both ends of each domain: inclusive where stated, exclusive where stated."""
    for v in inside:
        assert domain.check(v) == pytest.approx(v)
    for v in outside:
        with pytest.raises(InputError, match="outside its domain"):
            domain.check(v)


@pytest.mark.parametrize(
    "domain, value",
    [
        (D.SHOTS, 99999999999999999999),
        (D.SEED, 2**64),
        (D.SEED, -1),
        (D.SAMPLES, 10**12),
        (D.SAMPLES, 100_000_001),
        (D.DECOYS, 1e9),
        (D.LOOKS, 1_000_000),
        (D.RAID, 0),
    ],
)
def test_counts_are_bounded_with_the_bound_in_the_message(domain, value):
    with pytest.raises(InputError) as err:
        domain.check(value, field="--n")
    assert f"{domain.high:,}" in err.value.message or f"{domain.low:,}" in err.value.message


def test_counts_are_whole_numbers_and_never_bools():
    assert D.SHOTS.check(3) == 3 and isinstance(D.SHOTS.check(3.0), int)
    assert D.SEED.check(np.int64(7)) == 7
    assert D.SEED.check(2**63 - 1) == 2**63 - 1
    for bad in (2.5, True, "2", 10**5000):
        with pytest.raises(InputError):
            D.SHOTS.check(bad)


def test_a_number_too_long_to_print_is_described_not_printed():
    with pytest.raises(InputError) as err:
        D.SEED.check(10**5000)
    assert "5001-digit number" in err.value.message
    assert len(err.value.message) < 400


def test_units_at_the_edge():
    assert D.ALTITUDE.check(2000, unit="km") == 2000
    with pytest.raises(InputError, match="2,000 km"):
        D.ALTITUDE.check(2001, unit="km")
    assert D.BURNOUT_SPEED.check(4.5, unit="km/s") == 4.5
    with pytest.raises(InputError, match="11.2 km/s"):
        D.BURNOUT_SPEED.check(12, unit="km/s")


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("minimum-energy", "minimum-energy"),
        ("Lofted", "lofted"),
        ("depressed", "depressed"),
        ("apogee=300", "apogee=300"),
        ("apogee=100km", "apogee=100"),
        ("apogee = 60 km", "apogee=60"),
        ("min-energy", "minimum-energy"),
    ],
)
def test_shapes_have_one_spelling(text, canonical):
    assert D.check_shape(text) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "wiggly",
        "apogee=",
        "apogee=abc",
        "apogee=-5",
        "apogee=0",
        "apogee=nan",
        "apogee=inf",
        "apogee=1e309",
        "apogee=100m",
        "apogee=100 nmi",
        "apogee=6000",
        300,
        None,
    ],
)
def test_bad_shapes_are_refused(text):
    with pytest.raises(InputError) as err:
        D.check_shape(text)
    assert "apogee" in err.value.message


@pytest.mark.parametrize("text", ["esc \x1b here", "nul \x00", "bell\x07", "x" * 201, "", "  "])
def test_names_are_printable_text(text):
    with pytest.raises(InputError):
        D.check_text(text, field="name")
    assert D.check_text("Łask [/] $\\frac{x$ <b>&", field="name")


def test_doctrine_delays_are_held_to_their_domain():
    from bmdsim.defence.engagement import Doctrine

    D.check_doctrine(Doctrine())
    for bad in (Doctrine(decision_delay_s=-300), Doctrine(assessment_delay_s=math.nan)):
        with pytest.raises(InputError, match="delay"):
            D.check_doctrine(bad)
    with pytest.raises(InputError, match="true or false"):
        D.check_doctrine(Doctrine(launch_on_remote=0))


def test_catalogue_fields_have_domains():
    assert D.catalogue_domain("stages[1].isp_vac").name == "vacuum specific impulse"
    assert D.catalogue_domain("burnout_speed") is D.BURNOUT_SPEED
    assert D.catalogue_domain("field_of_regard.max_elevation") is None
    assert D.catalogue_domain("single_shot_pk") is D.PROBABILITY


def test_the_shipped_catalogue_lies_in_its_domains():
    """Every cited band of the shipped catalogue passes the domain check it is loaded
    with (a control: the check is not vacuous, see the next test)."""
    from bmdsim.catalogue import default_catalogue

    cat = default_catalogue()
    assert cat.missile("iskander-m").stages[0].isp_vac.low > 0


def test_a_catalogue_band_outside_its_domain_is_refused():
    from pydantic import ValidationError

    from bmdsim.catalogue.schema import Stage

    q = {"source": "bmdsim-estimate", "grade": "R"}
    stage = {
        "gross_mass": {"value": 500, "low": 450, "high": 550, "unit": "kg", **q},
        "propellant_mass": {"value": 300, "low": 300, "high": 300, "unit": "kg", **q},
        "isp_vac": {"value": 250, "low": -5, "high": 290, "unit": "s", **q},
        "burn_time": {"value": 15, "low": 8, "high": 25, "unit": "s", **q},
        "diameter": {"value": 0.3, "low": 0.3, "high": 0.3, "unit": "m", **q},
        "nozzle_exit_area": {"value": 0.03, "low": 0.01, "high": 0.05, "unit": "m^2", **q},
    }
    with pytest.raises(ValidationError, match="isp_vac.low: -5 s is outside its domain"):
        Stage.model_validate(stage)
    stage["isp_vac"]["low"] = 200
    Stage.model_validate(stage)
    stage["burn_time"]["high"] = math.inf
    with pytest.raises(ValidationError, match="finite"):
        Stage.model_validate(stage)
