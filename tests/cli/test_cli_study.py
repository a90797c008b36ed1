"""bmdsim study europe --quick: the Europe study end to end (docs/study-europe.md)."""

import json

import pytest
from cli_helpers import block_network, cli

SPEED_STEP_KMS = 0.05  # the minimum-speed search's resolution (analyses.engage.SPEED_STEP_M_S)


@pytest.fixture(scope="module")
def study_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("study")
    result = cli("study", "europe", "--quick", "--json", "--backend", "cpu", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), out


@pytest.fixture(scope="module")
def rows(study_out):
    return study_out[0]


def test_study_out_writes_its_sources_and_marks_notional_systems(study_out):
    rows, out = study_out
    assert (out / "study_europe.csv").is_file() and (out / "sources.md").is_file()
    sources = json.loads((out / "sources.json").read_text())["sources"]
    cited = {c for s in sources for c in s["cited_by"]}
    for entry in (
        "missile:rs-24-yars",
        "site:teykovo",
        "site:washington-dc",
        "site:redzikowo",
        "interceptor:sm-3-iib",
        "radar:an-tpy-2",
        "sensor:early-warning-satellite",
        "doctrine:decision-delay",
    ):
        assert entry in cited, entry
    notional = {(r["site"], r["interceptor"]) for r in rows if r["notional"]}
    assert ("redzikowo", "sm-3-iib") in notional and ("deveselu", "sm-3-iia") in notional
    assert ("redzikowo", "sm-3-iia") not in notional and ("deveselu", "sm-3-ib") not in notional


def test_quick_study_covers_every_pair(rows):
    pairs = {(r["base"], r["target"]) for r in rows}
    batteries = {(r["site"], r["interceptor"]) for r in rows}
    assert len(pairs) >= 2 and len(batteries) >= 4
    assert len(rows) == len(pairs) * len(batteries)
    for r in rows:
        assert 5_000 < r["range_km"] < 11_000 and 1_200 < r["flight_time_s"] < 2_400


def test_as_deployed_nothing_is_feasible(rows):
    # the site radars never see the ICBMs and the TPY-2 faces Iran (docs/study-europe.md)
    assert not any(r["deployed_feasible"] for r in rows)


def test_minimum_speed_agrees_with_feasibility(rows):
    """The bisection's answer and the feasibility test at the catalogue speed are two
    computations of one rule: feasible at the catalogue speed means the minimum is at or
    below it; infeasible means above it (or none up to 10 km/s / the airframe's floor)."""
    checked = 0
    for r in rows:
        need, have = r["min_burnout_speed_kms"], r["catalogue_burnout_speed_kms"]
        if r["ideal_feasible"]:
            assert need is not None and need <= have + SPEED_STEP_KMS, r
            assert r["ideal_first_intercept_s"] is not None
        elif need is not None:
            assert need > have - SPEED_STEP_KMS, r
        checked += need is not None
    assert checked >= 4


def test_study_refuses_an_unknown_backend(monkeypatch):
    block_network(monkeypatch)
    result = cli("study", "europe", "--quick", "--backend", "nope")
    assert result.exit_code == 1 and "unknown backend 'nope'" in result.stderr
