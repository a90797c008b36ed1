"""bmdsim read and bmdsim claim from the command line: the issue's done-when commands,
JSON on stdout only, one error line for bad input, and a proposed scenario that
``bmdsim run`` accepts (network blocked: the gazetteer is offline)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import block_network, cli
from test_cli_errors import assert_user_error

from bmdsim.scenario.load import load_scenario

SEEDS = Path(__file__).resolve().parents[1] / "references" / "seeds"


def test_claim_lofted_json_gives_a_standard_range_with_band_and_method(monkeypatch):
    block_network(monkeypatch)
    r = cli("claim", "lofted", "--range-km", "1000", "--apogee-km", "3700", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    s = d["standard_range_km"]
    assert s["low"] < s["central"] < s["high"]
    assert 8000 < s["central"] < 11000  # Wright: about 10,400 km with the Earth's rotation
    assert "Keplerian" in d["method"] and any("David Wright" in x for x in d["sources"])
    assert d["answer"].startswith("A missile that flew 1,000 km")


def test_claim_lofted_lists_capitals_from_a_named_launch_area(monkeypatch):
    block_network(monkeypatch)
    r = cli("claim", "lofted", "--range-km", "1000", "--apogee-km", "3700", "--from", "Pyongyang")
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert first.startswith("A missile that flew")
    assert "Seoul" in r.stdout and "capitals within" in r.stdout


def test_claim_flight_time_done_when(monkeypatch):
    block_network(monkeypatch)
    r = cli(
        "claim",
        "flight-time",
        "--missile",
        "iskander-m",
        "--from",
        "kaliningrad",
        "--to",
        "berlin",
        "--minutes",
        "3",
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Iskander-M cannot reach Berlin from Kaliningrad")
    assert "verdict: out-of-reach" in r.stdout
    assert "any missile, minimum energy, vacuum (floor): 5.6 min" in r.stdout
    assert "quasi-ballistic profile is flown only" in r.stdout


def test_claim_flight_time_json_and_reach(monkeypatch):
    block_network(monkeypatch)
    r = cli(
        "claim",
        "flight-time",
        "--missile",
        "SS-26",
        "--from",
        "kaliningrad",
        "--to",
        "warsaw",
        "--minutes",
        "5",
        "--json",
    )
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["verdict"] == "consistent"
    ft = d["flight_time_min"]
    assert ft["depressed_fastest"] < ft["minimum_energy"] <= 5.5
    r = cli(
        "claim",
        "reach",
        "--missile",
        "iskander-m",
        "--from",
        "kaliningrad",
        "--to",
        "Gdansk",
        "--json",
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["verdict"] == "in"


@pytest.mark.parametrize(
    "args, field",
    [
        (
            [
                "claim",
                "flight-time",
                "--missile",
                "iskander-m",
                "--from",
                "kaliningrad",
                "--to",
                "berlin",
                "--minutes",
                "0",
            ],
            "--minutes",
        ),
        (["claim", "lofted", "--range-km", "-5", "--apogee-km", "3700"], "--range-km"),
        (
            [
                "claim",
                "reach",
                "--missile",
                "iskander-m",
                "--from",
                "kaliningrad",
                "--to",
                "Xyzzyville",
            ],
            "Xyzzyville",
        ),
        (["read", "no-such-article.txt"], "no such file"),
        (
            [
                "claim",
                "flight-time",
                "--missile",
                "iskander-m",
                "--from",
                "kaliningrad",
                "--to",
                "kaliningrad",
                "--minutes",
                "3",
            ],
            "minimum range",
        ),
    ],
)
def test_bad_input_is_one_error_line(args, field):
    r = cli(*args)
    assert_user_error(r)
    assert field in r.stderr


def test_read_a_seed_writes_a_scenario_that_bmdsim_run_accepts(tmp_path, monkeypatch):
    block_network(monkeypatch)
    (seed,) = SEEDS.glob("004_*.txt")
    out = tmp_path / "read"
    r = cli("read", seed, "--out", out, "--azimuths", "36")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("The article names s-300-48n6, iskander-m, polonez")
    scn = load_scenario(out / "scenario.yaml")
    assert {a.missile for a in scn.analyses.reach} == {"iskander-m", "polonez"}
    assert json.loads((out / "reading.json").read_text())["places"][1]["id"] == "babruysk"
    r = cli("run", out / "scenario.yaml", "--samples", "2", "--out", tmp_path / "run")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "run" / "report.html").exists()


@pytest.mark.parametrize("key", ["000", "001", "002", "003"])
def test_read_each_seed_json(tmp_path, key, monkeypatch):
    block_network(monkeypatch)
    (seed,) = SEEDS.glob(f"{key}_*.txt")
    r = cli("read", seed, "--out", tmp_path, "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["systems"] and d["places"] and d["answer"].startswith("The article names")
    load_scenario(tmp_path / "scenario.yaml")
