"""The command line for cruise missiles and carriers: ``reach --carrier``, ``trajectory
--via`` (README examples), and their refusals (one error line, exit 1)."""

from __future__ import annotations

import json

from cli_helpers import cli


def test_reach_with_a_carrier_gives_radius_plus_range_and_legs():
    r = cli(
        "reach",
        "--carrier",
        "tu-22m3",
        "--missile",
        "kh-22",
        "--from",
        "shaykovka",
        "--sites",
        "redzikowo,deveselu,rota",
        "--json",
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    c = out["carrier"]
    assert (c["carrier"], c["weapon"]) == ("tu-22m3", "kh-22")
    for k in ("low", "value", "high"):
        assert (
            c["range_km"][k] == round(c["combat_radius_km"][k] + c["weapon_range_km"][k], 1)
            or abs(c["range_km"][k] - c["combat_radius_km"][k] - c["weapon_range_km"][k]) < 0.11
        )
    legs = {leg["id"]: leg for leg in out["legs"]}
    assert legs["redzikowo"]["total_time_s"] > legs["redzikowo"]["weapon_time_s"] > 0
    assert legs["rota"]["total_time_s"] is None
    assert out["answer"].startswith("Tu-22M3 + Kh-22")


def test_reach_table_names_each_site_by_its_id():
    r = cli(
        "reach",
        "--carrier",
        "tu-22m3",
        "--missile",
        "kh-22",
        "--from",
        "shaykovka",
        "--sites",
        "redzikowo,deveselu",
    )
    assert r.exit_code == 0, r.output
    assert "redzikowo" in r.stdout and "radius 1,500-2,200 km" in r.stdout


def test_trajectory_of_a_cruise_missile_through_waypoints():
    r = cli(
        "trajectory",
        "--missile",
        "kalibr",
        "--from",
        "44.6,33.5",
        "--to",
        "50.45,30.52",
        "--via",
        "46.5,31.0",
        "--json",
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["shape"] == "cruise" and out["miss_km"] == 0.0 and out["apogee_km"] < 0.2


def _one_error_line(r):
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    return lines[0]


def test_bad_inputs_are_one_error_line():
    line = _one_error_line(
        cli(
            "trajectory",
            "--missile",
            "kalibr",
            "--from",
            "44.6,33.5",
            "--to",
            "50.45,30.52",
            "--via",
            "95,31",
        )
    )
    assert "latitude" in line
    line = _one_error_line(
        cli("reach", "--carrier", "tu-2", "--missile", "kh-22", "--from", "shaykovka")
    )
    assert "aircraft" in line
    line = _one_error_line(
        cli(
            "trajectory",
            "--missile",
            "iskander-m",
            "--from",
            "kaliningrad",
            "--to",
            "redzikowo",
            "--via",
            "54,18",
        )
    )
    assert "cruise" in line
