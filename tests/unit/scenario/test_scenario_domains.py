"""Scenario fields held to the domains of bmdsim.domains: strict types, finite numbers, and
override bands that never leave their field's own domain (issue 16)."""

from __future__ import annotations

import pytest

from bmdsim.errors import ScenarioError
from bmdsim.scenario import parse_scenario, scenario_hash
from bmdsim.scenario.run import default_out, folder_name

SAMPLED = """\
name: s
sites:
  - {id: warsaw-patriot, name: Patriot Warsaw, lat_deg: 52.23, lon_deg: 21.01,
     systems: [{system: pac-3-mse, count: 16}]}
threats:
  - {id: t1, missile: iskander-m, from: hrodna, to: warsaw}
defences: [{site: warsaw-patriot}]
sensors: [early-warning-satellite]
cueing: {decision_delay_s: DELAY, cue_at: 20}
uncertainty:
  samples: 4
  seed: 1
  vary: [interceptor:pac-3-mse.burnout_speed]
OVERRIDES
"""


def scenario(delay="10", overrides=""):
    return SAMPLED.replace("DELAY", delay).replace("OVERRIDES", overrides)


def refused(text, *words):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, label="s.yaml")
    first = err.value.message.splitlines()[0]
    assert first.startswith("s.yaml:"), first
    for w in words:
        assert w in err.value.message, err.value.message
    return err.value.message


def test_control_the_base_scenario_is_valid():
    scn = parse_scenario(scenario(), label="s.yaml")
    assert scn.cueing.decision_delay_s == 10.0


def test_negative_override_band_of_a_delay_is_refused():
    """{low: -300, high: -200} turned P(feasible) from 0.018 into 1.0 (issue 16)."""
    msg = refused(
        scenario(overrides="  overrides: {cueing.decision_delay_s: {low: -300, high: -200}}"),
        "decision_delay_s.low",
        "-300 s is outside its domain",
        "0 to 3,600 s",
    )
    assert msg.startswith("s.yaml:14:")  # the overrides line


def test_override_band_of_a_catalogue_quantity_keeps_its_domain():
    refused(
        scenario(
            overrides="  overrides: {interceptor:pac-3-mse.burnout_speed: "
            "{low: 0, high: 2, unit: km/s}}"
        ),
        "burnout_speed.low",
        "0 km/s is outside its domain",
    )
    refused(
        scenario(
            overrides="  overrides: {interceptor:pac-3-mse.burnout_speed: "
            "{low: 1, high: 20, unit: km/s}}"
        ),
        "burnout_speed.high",
        "11.2 km/s",
    )
    ok = scenario(
        overrides="  overrides: {interceptor:pac-3-mse.burnout_speed: {low: 1, high: 2, "
        "unit: km/s}}"
    )
    assert parse_scenario(ok).uncertainty.overrides


@pytest.mark.parametrize(
    "field, text, words",
    [
        ("delay true", scenario(delay="true"), ("decision_delay_s", "true is not a number")),
        ("delay .inf", scenario(delay=".inf"), ("decision_delay_s", "not a finite number")),
        ("delay .nan", scenario(delay=".nan"), ("decision_delay_s", "not a finite number")),
        ("delay -1", scenario(delay="-1"), ("decision_delay_s", "outside its domain")),
        (
            "bool 0",
            scenario().replace("cue_at: 20}", "cue_at: 20, launch_on_remote: 0}"),
            ("launch_on_remote", "0 is not true or false"),
        ),
        (
            "samples 1.5",
            scenario().replace("samples: 4", "samples: 1.5"),
            ("uncertainty.samples", "not a whole number"),
        ),
        (
            "samples true",
            scenario().replace("samples: 4", "samples: true"),
            ("uncertainty.samples",),
        ),
        (
            "seed 2**64",
            scenario().replace("seed: 1", "seed: 18446744073709551616"),
            ("uncertainty.seed", "outside its domain"),
        ),
        (
            "elevation .inf",
            "name: x\nsites:\n  - {id: p, name: P, lat_deg: 50, lon_deg: 20, elevation_m: .inf}\n",
            ("elevation_m", "finite"),
        ),
        (
            "override bound .inf",
            scenario(overrides="  overrides: {cueing.decision_delay_s: {low: 0, high: .inf}}"),
            ("high", "finite"),
        ),
        (
            "count true",
            scenario().replace("count: 16", "count: true"),
            ("count",),
        ),
        (
            "site name ESC",
            'name: x\nsites:\n  - {id: p, name: "a\\ez", lat_deg: 50, lon_deg: 20}\n',
            ("sites[0].name", "U+001B"),
        ),
        ("cue_at nan", scenario().replace("cue_at: 20", "cue_at: .nan"), ("cue_at",)),
        (
            "shape apogee=inf",
            scenario().replace("to: warsaw}", "to: warsaw, shape: apogee=inf}"),
            ("shape", "finite"),
        ),
    ],
    ids=lambda x: x if isinstance(x, str) and len(x) < 30 else None,
)
def test_nonsense_is_refused_at_the_field(field, text, words):
    refused(text, *words)


def test_scenario_hash_never_overflows():
    """.inf once raised OverflowError in the hash after every analysis ran; now it never
    reaches the hash, and the hash of every shipped example is stable."""
    from bmdsim.scenario import example_path, load_scenario

    for name in ("europe-2016", "baltic-srbm", "north-atlantic-ships"):
        h = scenario_hash(load_scenario(example_path(name)))
        assert len(h) == 64


@pytest.mark.parametrize(
    "name, folder",
    [
        ("../../escaped-rel", "escaped-rel"),
        ("/tmp/abs-escape", "tmp-abs-escape"),
        ("..", "scenario"),
        (".hidden", "hidden"),
        ("Europe 2016: SM-3 (IIA)", "europe-2016-sm-3-iia"),
        ("x" * 200, "x" * 80),
        ("Łódź", "d"),
    ],
)
def test_a_name_is_a_folder_only_as_a_slug_inside_runs(name, folder):
    assert folder_name(name) == folder
    scn = parse_scenario(f"name: {name!r}\n".replace("'", '"'))
    out = default_out(scn)
    assert out.parent.name == "runs" and out.name == folder
    assert ".." not in out.parts and not out.name.startswith(".")


def test_target_inside_the_minimum_range_is_refused_at_its_line():
    msg = refused(
        'name: x\nthreats:\n  - {id: t, missile: iskander-m, from: "54.71,20.51", '
        'to: "54.71,20.86"}\n',
        "threats[0].to",
        "22.6 km",
        "minimum range of 50 km",
    )
    assert msg.startswith("s.yaml:3:")


def test_swapped_coordinates_in_a_scenario_are_warned_about():
    from bmdsim.scenario.plausibility import scenario_warnings

    scn = parse_scenario(
        "name: x\nsites:\n  - {id: p, name: Kaliningrad, lat_deg: 20.51, lon_deg: 54.71,"
        " country: Russia}\n"
    )
    warnings = scenario_warnings(scn)
    assert len(warnings) == 1 and "sites[0]" in warnings[0]
    assert "54.71,20.51 is Kaliningrad" in warnings[0]
    assert not scenario_warnings(parse_scenario("name: x\n"))
