"""A scenario with a cruise-missile threat: flown along its route (``via``), engaged on
central values with the guided flyout (as ``bmdsim engage``), left out of the sampled
engagements with a note; ballistic threats beside it are flown and sampled as before."""

from __future__ import annotations

import json

import pytest

from bmdsim.scenario import ScenarioError, parse_scenario
from bmdsim.scenario.plan import fly_threat, fly_threats, is_cruise_threat
from bmdsim.scenario.run import run_scenario

SCENARIO = """\
name: cruise-and-ballistic
threats:
  - id: kalibr-s400
    missile: kalibr
    from: 52.0,21.0
    to: baranovichi-s-400-notional
    via: ["53.0,23.0"]
  - id: iskander-vilnius
    missile: iskander-m
    from: asipovichy
    to: vilnius
defences:
  - site: baranovichi-s-400-notional
    interceptors: [s-400-48n6dm]
analyses:
  trajectories: true
  engage: true
"""


def test_a_cruise_threat_flies_its_route_beside_the_ballistic_ones(tmp_path):
    scn = parse_scenario(SCENARIO, base_dir=tmp_path)
    cruise, ballistic = scn.threats
    assert is_cruise_threat(cruise) and not is_cruise_threat(ballistic)
    flown = fly_threats(scn.threats, backend="cpu")
    assert flown[0].shape == "cruise" and flown[1].shape == "minimum-energy"
    alone = fly_threat(cruise, backend="cpu")
    assert flown[0].flight_time_s == pytest.approx(alone.flight_time_s)
    # the waypoint is on the route: the flight passes within 1 km of 53.0 N 23.0 E
    d = (flown[0].lat_deg - 53.0) ** 2 + ((flown[0].lon_deg - 23.0) * 0.6) ** 2
    assert d.min() ** 0.5 * 111.0 < 1.0


def test_a_cruise_threat_is_engaged_on_central_values_only(tmp_path):
    scn = parse_scenario(SCENARIO, base_dir=tmp_path)
    res = run_scenario(scn, tmp_path / "out", samples=8, seed=3)
    engaged = dict(res.engagements)
    (w,) = engaged["kalibr-s400"].windows
    assert w.feasible and w.first_altitude_m < 200.0
    assert any("4/3-Earth horizon" in n for n in engaged["kalibr-s400"].notes)
    assert any(
        "kalibr-s400: cruise missile is engaged on central values only" in n for n in res.notes
    )
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    pairs = summary["uncertainty"]["pairs"]
    assert {p["threat"] for p in pairs} == {"iskander-vilnius"}
    assert (tmp_path / "out" / "engagements" / "kalibr-s400").is_dir()


@pytest.mark.parametrize(
    ("threat", "field", "words"),
    [
        ("    missile: kalibr\n    shape: lofted\n", "shape", "catalogue profile"),
        ('    missile: iskander-m\n    via: ["53.0,23.0"]\n', "via", "great circle"),
        ("    missile: kinzhal\n", "missile", "cannot be a threat"),
    ],
)
def test_what_a_cruise_threat_cannot_take_is_refused(tmp_path, threat, field, words):
    text = f"name: t\nthreats:\n  - id: a\n    from: 52.0,21.0\n    to: warsaw\n{threat}"
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, base_dir=tmp_path)
    assert f"threats[0].{field}" in str(err.value) and words in str(err.value)


def test_waypoints_change_the_scenario_hash_and_none_leave_it_as_it_was(tmp_path):
    """A store is reused only for the same question: waypoints are part of it. A threat
    without them hashes as it did before ``via:`` existed (old stores stay usable)."""
    from bmdsim.scenario.load import scenario_hash

    routed = parse_scenario(SCENARIO, base_dir=tmp_path)
    direct = parse_scenario(SCENARIO.replace('    via: ["53.0,23.0"]\n', ""), base_dir=tmp_path)
    assert scenario_hash(routed) != scenario_hash(direct)
    # the europe-2016 example's hash is the one its recorded golden run carries
    from pathlib import Path

    from bmdsim.scenario import load_scenario

    root = Path(__file__).resolve().parents[3]
    europe = load_scenario(root / "src/bmdsim/scenario/examples/europe-2016.yaml")
    golden = (root / "tests/golden/answers/run-europe-2016-summary.json").read_text()
    assert f'"hash": "{scenario_hash(europe)}"' in golden
