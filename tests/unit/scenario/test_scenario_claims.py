"""Published flight-time claims beside the physics (scenario ``claims``).

The model's flight times for a claim are checked against bounds that do not come from
the model: no flight over a ground distance d is shorter than d / v, where v is the
largest speed the missile has (its burnout speed, below circular speed 7.9 km/s for a
missile that lands: Bate, Mueller & White 1971 ch. 6), and the depressed flight (full
burn, lowest path) is shorter than the minimum-energy one of the same missile
(Tracy & Wright 2020 compare glide vehicles against exactly this depressed flight)."""

from __future__ import annotations

import textwrap

import pytest

from bmdsim.catalogue import default_catalogue
from bmdsim.scenario import ScenarioError, load_scenario
from bmdsim.scenario.claims import AGREEMENT, ClaimCheck, check_claims
from bmdsim.scenario.schema import FlightTimeClaim

V_CIRCULAR_M_S = 7_900.0  # sqrt(GM / R): no sub-orbital missile flies faster


def check(claimed_s, me_s, dep_s):
    return ClaimCheck("oreshnik", "a", "b", 1000.0, claimed_s, "x", "s", "", me_s, dep_s, "")


@pytest.mark.parametrize(
    ("claimed", "words"),
    [
        (100.0, "faster than the model can fly"),
        (300.0 * (1 - AGREEMENT) + 1, "about the model's fastest"),
        (300.0 * (1 + AGREEMENT) - 1, "about the model's fastest"),
        (450.0, "between the model's depressed and minimum-energy"),
        (900.0, "longer than the model's minimum-energy"),
    ],
)
def test_verdict_is_the_claim_against_the_depressed_flight(claimed, words):
    assert words in check(claimed, 500.0, 300.0).verdict


def test_verdict_when_the_model_cannot_fly_it():
    c = ClaimCheck("oreshnik", "a", "b", 1.0, 60.0, "x", "s", "", None, None, "too far")
    assert c.fastest_s is None and "cannot fly it: too far" in c.verdict


def test_claims_are_flown_on_both_shapes_within_physical_bounds():
    cat = default_catalogue()
    claims = [
        FlightTimeClaim.model_validate(
            {
                "missile": "oreshnik",
                "from": "krichev-oreshnik",
                "to": "london",
                "claimed_s": 480,
                "claimed_by": "test",
                "source": "express-oreshnik-belarus-2025",
            }
        )
    ]
    (c,) = check_claims(claims, cat, backend="cpu")
    assert c.why_not == ""
    # Krichev to London is about 2,150 km of great circle
    assert 2_050 < c.distance_km < 2_250
    assert c.depressed_s < c.minimum_energy_s
    assert c.depressed_s > c.distance_km * 1e3 / V_CIRCULAR_M_S
    # the Russian "eight minutes" from Belarus is about the model's depressed flight
    assert c.verdict.startswith("about")
    row = c.to_dict()
    assert row["claimed_s"] == 480 and row["source"] == "express-oreshnik-belarus-2025"


def scenario_with(tmp_path, claim: str):
    text = textwrap.dedent(
        """\
        name: claims-test
        analyses: {trajectories: false, engage: false}
        claims:
        """
    ) + textwrap.indent(textwrap.dedent(claim), "  ")
    path = tmp_path / "scn.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
- missile: oreshnik
  from: krichev-oreshnik
  to: london
  claimed_s: 480
  claimed_by: someone
  source: express-oreshnik-belarus-2025
"""


def test_a_claim_loads(tmp_path):
    scn = load_scenario(scenario_with(tmp_path, GOOD))
    (c,) = scn.claims
    assert c.origin == "krichev-oreshnik" and c.claimed_s == 480.0


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("source: express-oreshnik-belarus-2025", "source: a-blog", "claims[0].source"),
        ("claimed_s: 480", "claimed_s: -8", "claims[0].claimed_s"),
        ("missile: oreshnik", "missile: no-such-missile", "claims[0].missile"),
        ("to: london", "to: atlantis", "claims[0].to"),
    ],
)
def test_a_bad_claim_is_refused_with_its_field(tmp_path, old, new, field):
    with pytest.raises(ScenarioError) as info:
        load_scenario(scenario_with(tmp_path, GOOD.replace(old, new)))
    assert field in str(info.value)
