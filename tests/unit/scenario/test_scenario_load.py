"""Scenario files: the examples load; every error names file, line, field and what is
allowed; YAML 1.2 semantics; the published JSON Schema is current; the hash is stable."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bmdsim.catalogue import default_catalogue
from bmdsim.defence.engagement import Doctrine
from bmdsim.errors import BmdsimError
from bmdsim.scenario import (
    Scenario,
    ScenarioError,
    example_path,
    examples,
    load_scenario,
    parse_scenario,
    scenario_catalogue,
    scenario_hash,
    scenario_json_schema,
    uncertain_inputs,
)
from bmdsim.scenario.plan import doctrine, scenario_batteries

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_FILE = ROOT / "docs" / "scenario.schema.json"

MINIMAL = """\
name: test
threats:
  - id: yars-teykovo-new-york
    missile: rs-24-yars
    from: teykovo
    to: new-york
defences:
  - site: redzikowo
"""


def write(tmp_path, text, name="scn.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(tmp_path, text, name="scn.yaml") -> ScenarioError:
    path = write(tmp_path, text, name)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


# ---------------------------------------------------------------------------------------
# examples


def test_the_examples_ship():
    assert {"europe-2016", "baltic-srbm", "north-atlantic-ships", "belarus-2025"} <= set(
        examples()
    )


@pytest.mark.parametrize(
    "name",
    ["europe-2016", "baltic-srbm", "north-atlantic-ships", "northern-waters-2016", "belarus-2025"],
)
def test_every_example_loads_and_validates(name):
    scn = load_scenario(example_path(name))
    assert isinstance(scn, Scenario)
    assert scn.name == name
    assert scn.threats and scn.defences
    assert scenario_batteries(scn)
    for item in uncertain_inputs(scn):
        assert item.low <= item.value <= item.high
    assert len(scenario_hash(scn)) == 64


def test_europe_2016_is_the_seed_articles_world():
    scn = load_scenario(example_path("europe-2016"))
    assert scn.uncertainty.samples == 1000 and scn.uncertainty.seed == 2016
    assert {t.origin for t in scn.threats} == {"teykovo", "kozelsk", "tatishchevo"}
    assert {t.missile for t in scn.threats} == {"rs-24-yars"}
    assert {d.site for d in scn.defences} == {"redzikowo", "deveselu"}
    assert "kurecik" in scn.sensors
    assert scn.cueing.cue_at == "burnout"
    assert {r.origin for r in scn.analyses.reach} >= {"kaliningrad", "asipovichy"}
    assert scn.analyses.coverage[0].site == "baranovichi-s-400-notional"
    varied = [u.path for u in uncertain_inputs(scn)]
    assert "radar:an-spy-1d.reference_range" in varied
    assert "cueing.decision_delay_s" in varied
    assert sum(p.startswith("interceptor:sm-3") for p in varied) == 3
    assert scn.epoch == datetime(2016, 7, 8, 12, tzinfo=UTC)


def test_scenario_places_join_the_catalogue():
    scn = load_scenario(example_path("north-atlantic-ships"))
    cat = scenario_catalogue(scn)
    ship = cat.site("aegis-norwegian-sea")
    assert {s.system for s in ship.systems} == {"an-spy-1d", "sm-3-iia"}
    assert {s.system for s in cat.site("rota").systems} == {"an-spy-1d", "sm-3-iia"}
    assert cat.is_overridden("site", "rota")
    # the shipped catalogue itself is untouched
    assert "aegis-norwegian-sea" not in default_catalogue().sites
    assert "sm-3-ib" in {s.system for s in default_catalogue().site("rota").systems}


def test_defence_defaults_resolve_to_deployed_non_notional():
    scn = parse_scenario(MINIMAL)
    assert [b.label for b in scenario_batteries(scn)] == ["redzikowo:sm-3-iia"]
    text = MINIMAL + "    include_notional: true\n"
    specs = [b.label for b in scenario_batteries(parse_scenario(text))]
    assert specs[0] == "redzikowo:sm-3-iia" and "redzikowo:sm-3-iib" in specs


def test_defaults_match_the_engagement_doctrine():
    scn = parse_scenario("name: defaults\n")
    assert doctrine(scn.cueing) == Doctrine()
    assert doctrine(scn.cueing, decision_delay_s=5.0).decision_delay_s == 5.0
    assert scn.uncertainty.samples == 0 and scn.uncertainty.distribution == "uniform"
    assert scn.backend == "auto" and scn.outputs.report


def test_override_is_recorded_and_replaces_the_catalogue_range():
    scn = load_scenario(example_path("north-atlantic-ships"))
    by_path = {u.path: u for u in uncertain_inputs(scn)}
    spy = by_path["radar:an-spy-1d.reference_range"]
    assert spy.overridden and spy.source is None
    assert (spy.low, spy.high, spy.unit) == (300, 1000, "km")
    assert spy.high_si == pytest.approx(1.0e6)
    iia = by_path["interceptor:sm-3-iia.burnout_speed"]
    q = default_catalogue().interceptor("sm-3-iia").burnout_speed
    assert not iia.overridden and (iia.low, iia.high, iia.source) == (q.low, q.high, q.source)


# ---------------------------------------------------------------------------------------
# errors carry file and line


def test_unknown_key_lists_the_allowed_keys(tmp_path):
    err = error_of(
        tmp_path,
        """\
        name: test
        threats:
          - id: a
            missile: iskander-m
            from: brest
            to: warsaw
            shap: lofted
        """,
    )
    text = str(err)
    assert "scn.yaml:7:" in text
    assert "threats[0]" in text and "unknown field 'shap'" in text
    assert "allowed fields: id, missile, from, to, shape" in text
    assert isinstance(err, BmdsimError) and "shape" in err.allowed


def test_unknown_top_level_key(tmp_path):
    err = error_of(tmp_path, "name: test\nthreat: []\n")
    assert str(err).startswith(f"{tmp_path / 'scn.yaml'}:2: unknown field 'threat'")
    assert "threats" in err.allowed


def test_bad_shape_names_the_allowed_shapes(tmp_path):
    err = error_of(
        tmp_path,
        """\
        name: test
        threats:
          - id: a
            missile: iskander-m
            from: brest
            to: warsaw
          - id: b
            missile: iskander-m
            from: brest
            to: warsaw
          - id: c
            missile: iskander-m
            from: brest
            to: warsaw
            shape: loft
        """,
        name="europe.yaml",
    )
    assert str(err).endswith(
        "europe.yaml:15: threats[2].shape: 'loft' is not one of minimum-energy, lofted, "
        "depressed, apogee=KM, quasi-ballistic[=KM]"
    )
    assert err.field == "threats[2].shape"


def test_apogee_shape_accepted_and_zero_refused(tmp_path):
    ok = MINIMAL.replace("    to: new-york\n", "    to: new-york\n    shape: apogee=1500\n")
    assert parse_scenario(ok).threats[0].shape == "apogee=1500"
    with pytest.raises(ScenarioError, match="apogee=0"):
        parse_scenario(ok.replace("apogee=1500", "apogee=0"))


def test_unknown_missile_suggests_close_matches(tmp_path):
    err = error_of(
        tmp_path,
        """\
        name: test
        threats:
          - id: a
            missile: yarz
            from: teykovo
            to: new-york
        """,
    )
    assert "scn.yaml:4: threats[0].missile: no missile named 'yarz'" in str(err)
    assert "did you mean: rs-24-yars" in str(err)
    assert err.allowed == ["rs-24-yars"]


def test_unknown_sites_and_systems_have_lines(tmp_path):
    err = error_of(
        tmp_path,
        """\
        name: test
        sites:
          - id: my-battery
            name: Mine
            lat_deg: 52
            lon_deg: 21
            systems:
              - system: patriot
        threats:
          - id: a
            missile: iskander-m
            from: {area: {center: hrodnaa, radius_km: 20}}
            to: warsawa
        defences:
          - site: lask
        """,
    )
    text = str(err)
    assert "scn.yaml:8: sites[0].systems[0].system: no interceptor, radar or sensor" in text
    assert "pac-3-mse" in text
    assert "scn.yaml:12: threats[0].from.area.center: no site named 'hrodnaa'" in text
    assert "scn.yaml:13: threats[0].to: no site named 'warsawa'; did you mean: warsaw" in text
    assert "scn.yaml:15: defences[0].site: no interceptors are deployed at lask" in text


def test_bad_vary_path(tmp_path):
    err = error_of(
        tmp_path,
        """\
        name: test
        uncertainty:
          samples: 10
          vary:
            - interceptor:sm-3-iia.burnout_speed
            - interceptor:sm-3-iia.burnout_sped
            - missile:rs-24-yars.stages[7].isp_vac
            - radar:an-spy-1d.name
            - cueing.cue_at
            - bogus
        """,
    )
    text = str(err)
    assert "scn.yaml:6: uncertainty.vary[1]:" in text and "did you mean: burnout_speed" in text
    assert "scn.yaml:7: uncertainty.vary[2]:" in text and "stages[2].isp_vac" in text
    assert "scn.yaml:8: uncertainty.vary[3]:" in text and "not a quantity" in text
    assert "scn.yaml:9: uncertainty.vary[4]:" in text and "uncertainty.overrides" in text
    assert "scn.yaml:10: uncertainty.vary[5]:" in text and "KIND:ID.PATH" in text
    assert "vary[0]" not in text


def test_vary_by_alias_and_override_units(tmp_path):
    scn = parse_scenario(
        """\
name: test
uncertainty:
  vary: ["interceptor:SM-3 Block IIA.burnout_speed"]
  overrides:
    cueing.decision_delay_s: {low: 0, high: 60}
    interceptor:sm-3-ib.burnout_speed: {low: 2500, high: 3500, unit: m/s}
"""
    )
    items = {u.target.canonical: u for u in uncertain_inputs(scn)}
    assert set(items) == {
        "interceptor:sm-3-iia.burnout_speed",
        "cueing.decision_delay_s",
        "interceptor:sm-3-ib.burnout_speed",
    }
    assert items["interceptor:sm-3-ib.burnout_speed"].high_si == pytest.approx(3500.0)
    assert items["cueing.decision_delay_s"].unit == "s"
    with pytest.raises(ScenarioError, match=r"unit 'km' is not a speed"):
        parse_scenario(
            "name: t\nuncertainty:\n  overrides:\n"
            "    interceptor:sm-3-ib.burnout_speed: {low: 2, high: 3, unit: km}\n"
        )


def test_negative_samples(tmp_path):
    err = error_of(tmp_path, "name: test\nuncertainty:\n  seed: 3\n  samples: -5\n")
    assert "scn.yaml:4: uncertainty.samples: -5 is outside its domain" in str(err)
    assert "allowed: a whole number 0 to 100,000,000" in str(err)
    assert err.field == "uncertainty.samples"


def test_yaml_syntax_error_has_a_line(tmp_path):
    err = error_of(tmp_path, "name: test\nthreats:\n  - id: a\n    missile: [iskander-m\n")
    assert str(err).startswith(f"{tmp_path / 'scn.yaml'}:")
    assert "not valid YAML" in str(err)
    line = int(str(err).split(":")[1])
    assert line >= 4


def test_missing_required_field_and_wrong_types(tmp_path):
    err = error_of(
        tmp_path,
        """\
        description: no name
        threats:
          - id: a
            from: brest
            to: warsaw
        backend: gpu
        cueing:
          cue_at: brunout
        """,
    )
    text = str(err)
    assert "scn.yaml:1: field 'name' is required" in text
    assert "scn.yaml:3: threats[0]: field 'missile' is required" in text
    assert "scn.yaml:6: backend: 'gpu' is not one of auto, cpu, cuda" in text
    assert "scn.yaml:8: cueing.cue_at: 'brunout'" in text


def test_not_a_mapping_and_empty(tmp_path):
    assert "scn.yaml:1: a scenario is a mapping" in str(error_of(tmp_path, "- a\n- b\n"))
    assert "(this is empty)" in str(error_of(tmp_path, "# nothing\n"))


def test_missing_file():
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario("/nonexistent/scenario.yaml")


def test_duplicate_keys_refused(tmp_path):
    err = error_of(tmp_path, "name: a\nname: b\n")
    assert "scn.yaml:" in str(err) and "not valid YAML" in str(err)


def test_vehicle_file_paths_are_relative_to_the_scenario(tmp_path):
    missile = default_catalogue().missile("scud-b")
    vehicle = missile.model_dump(mode="json", exclude_none=True)
    vehicle["id"] = "my-scud"
    vehicle["aliases"] = []
    (tmp_path / "vehicles").mkdir()
    (tmp_path / "vehicles" / "my-scud.yaml").write_text(json.dumps(vehicle), encoding="utf-8")
    path = write(
        tmp_path,
        """\
        name: test
        threats:
          - id: a
            missile: vehicles/my-scud.yaml
            from: brest
            to: warsaw
        uncertainty:
          vary: [missile:my-scud.payload.mass]
        """,
    )
    scn = load_scenario(path)
    assert scn.threats[0].missile_spec() == str(tmp_path / "vehicles" / "my-scud.yaml")
    assert uncertain_inputs(scn)[0].target.id == "my-scud"
    first = scenario_hash(scn)
    vehicle["payload"]["mass"]["value"] = 990.0
    (tmp_path / "vehicles" / "my-scud.yaml").write_text(json.dumps(vehicle), encoding="utf-8")
    assert scenario_hash(load_scenario(path)) != first
    err = error_of(
        tmp_path, "name: t\nthreats:\n- {id: a, missile: nope.yaml, from: brest, to: warsaw}\n"
    )
    assert "scn.yaml:3: threats[0].missile: vehicle file 'nope.yaml' not found" in str(err)


# ---------------------------------------------------------------------------------------
# YAML 1.2


def test_no_stays_a_string_in_yaml_1_2():
    scn = parse_scenario("name: NO\ndescription: off\n")
    assert scn.name == "NO" and scn.description == "off"
    with pytest.raises(ScenarioError, match=r"threats\[0\]\.to: no site named 'NO'"):
        parse_scenario("name: t\nthreats:\n  - {id: a, missile: iskander-m, from: brest, to: NO}\n")


def test_lat_lon_points_and_areas():
    scn = parse_scenario(
        "name: t\nthreats:\n  - id: a\n    missile: iskander-m\n"
        '    from: {area: {center: "53.1,23.8", radius_km: 25}}\n    to: "52.23, 21.01"\n'
    )
    t = scn.threats[0]
    assert t.launch_area.radius_km == 25 and t.launch_point == "53.1,23.8"
    with pytest.raises(ScenarioError, match=r"latitude must lie in \[-90, 90\]"):
        parse_scenario(
            'name: t\nthreats:\n  - {id: a, missile: iskander-m, from: "95,20", to: warsaw}\n'
        )


# ---------------------------------------------------------------------------------------
# JSON Schema and hash


def test_json_schema_file_is_current():
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == scenario_json_schema(), (
        "docs/scenario.schema.json is stale: run "
        'python -c "from bmdsim.scenario.schema import write_json_schema as w; '
        "w('docs/scenario.schema.json')\""
    )


def test_json_schema_refuses_unknown_keys_everywhere():
    schema = scenario_json_schema()
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        assert definition.get("additionalProperties") is False, name
    assert {"from", "to"} <= set(schema["$defs"]["Threat"]["properties"])


def test_hash_is_stable_and_sensitive(tmp_path):
    a = parse_scenario(MINIMAL)
    b = parse_scenario("# a comment\n" + MINIMAL.replace("name: test", "name: 'test'"))
    assert scenario_hash(a) == scenario_hash(b)
    assert scenario_hash(a) == scenario_hash(parse_scenario(MINIMAL))
    reordered = parse_scenario(
        "defences:\n  - site: redzikowo\nname: test\nthreats:\n"
        "  - {to: new-york, from: teykovo, missile: rs-24-yars, id: yars-teykovo-new-york}\n"
    )
    assert scenario_hash(reordered) == scenario_hash(a)
    # writing a default out, or 30 as 30.0, is the same scenario
    explicit = parse_scenario(MINIMAL + "cueing: {launch_on_remote: true}\nbackend: auto\n")
    assert scenario_hash(explicit) == scenario_hash(a)
    thirty = parse_scenario(MINIMAL + "cueing: {decision_delay_s: 30}\n")
    assert scenario_hash(thirty) == scenario_hash(
        parse_scenario(MINIMAL + "cueing: {decision_delay_s: 30.0}\n")
    )
    changed = parse_scenario(MINIMAL + "cueing: {decision_delay_s: 31}\n")
    assert scenario_hash(changed) != scenario_hash(a)
    assert scenario_hash(parse_scenario(MINIMAL.replace("new-york", "chicago"))) != scenario_hash(a)
    seeded = parse_scenario(MINIMAL + "uncertainty: {seed: 1}\n")
    assert scenario_hash(seeded) != scenario_hash(a)
    # how much is computed, where and what is written do not change a result row
    execution = parse_scenario(
        MINIMAL + "uncertainty: {samples: 500}\nbackend: cpu\noutputs: {kml: false}\n"
    )
    assert scenario_hash(execution) == scenario_hash(a)
    h = scenario_hash(load_scenario(example_path("europe-2016")))
    assert h == scenario_hash(load_scenario(example_path("europe-2016")))


def test_python_dicts_validate_with_the_same_checks():
    from pydantic import ValidationError

    data = {
        "name": "t",
        "threats": [{"id": "a", "missile": "yarz", "from": "teykovo", "to": "new-york"}],
    }
    with pytest.raises(ValidationError, match=r"threats\[0\]\.missile: no missile named 'yarz'"):
        Scenario.model_validate(data)
    data["threats"][0]["missile"] = "rs-24-yars"
    assert Scenario.model_validate(data).threats[0].origin == "teykovo"


def test_cueing_delays_default_to_the_catalogue_doctrine():
    scn = parse_scenario(MINIMAL)
    assert scn.cueing.decision_delay_s is None  # left out: the catalogue's
    cat = default_catalogue()
    d = doctrine(scn.cueing, cat)
    assert d.decision_delay_s == cat.doctrine_entry("decision-delay").si
    assert d.assessment_delay_s == cat.doctrine_entry("assessment-delay").si
    given = parse_scenario(MINIMAL + "cueing: {decision_delay_s: 5}\n")
    assert doctrine(given.cueing, cat).decision_delay_s == 5.0


def test_a_varied_delay_draws_from_the_doctrine_band():
    scn = parse_scenario(MINIMAL + "uncertainty:\n  vary: [cueing.decision_delay_s]\n")
    (item,) = uncertain_inputs(scn)
    q = default_catalogue().doctrine_entry("decision-delay").quantity
    assert not item.overridden and item.source == q.source
    assert (item.low, item.value, item.high) == (q.low, q.value, q.high)


def test_northern_waters_runs_ships_at_the_catalogue_sea_stations():
    # the ships-at-sea case of docs/study-europe.md: catalogue sites, not scenario places
    scn = load_scenario(example_path("northern-waters-2016"))
    assert not scn.sites
    cat = default_catalogue()
    specs = scenario_batteries(scn)
    assert {b.site_id for b in specs} == {"norwegian-sea-station", "north-sea-station"}
    assert all("sea-station" in cat.site(b.site_id).tags and b.notional for b in specs)
    varied = {u.path for u in uncertain_inputs(scn)}
    assert "missile:rs-24-yars.stages[0].burn_time" in varied


def test_europe_2016_varies_the_yars_boost():
    scn = load_scenario(example_path("europe-2016"))
    varied = {u.path: u for u in uncertain_inputs(scn)}
    for k in range(3):
        u = varied[f"missile:rs-24-yars.stages[{k}].burn_time"]
        assert u.low < u.value < u.high and not u.overridden
    assert not varied["cueing.decision_delay_s"].overridden  # the catalogue's band


# ---------------------------------------------------------------------------------------
# cruise missiles and carriers in reach analyses (issue 12)

CARRIER = """\
name: carrier
threats: []
defences: []
analyses:
  trajectories: false
  engage: false
  reach:
    - missile: {missile}
      carrier: {carrier}
      from: shaykovka
      sites: [redzikowo]
"""


def test_a_carrier_reach_analysis_loads(tmp_path):
    scn = load_scenario(write(tmp_path, CARRIER.format(missile="kh-22", carrier="tu-22m3")))
    r = scn.analyses.reach[0]
    assert (r.missile, r.carrier, r.origin) == ("kh-22", "tu-22m3", "shaykovka")


@pytest.mark.parametrize(
    ("missile", "carrier", "field"),
    [("kh-22", "tu-2", "carrier"), ("kh-2x", "tu-22m3", "missile")],
)
def test_a_carrier_reach_analysis_names_what_does_not_exist(tmp_path, missile, carrier, field):
    err = error_of(tmp_path, CARRIER.format(missile=missile, carrier=carrier))
    assert field in str(err.field) and "did you mean" in err.message


def test_europe_2016_asks_the_tu_22m3_question():
    scn = load_scenario(example_path("europe-2016"))
    assert any(r.carrier == "tu-22m3" and r.missile == "kh-22" for r in scn.analyses.reach)
