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


ENGAGE_S400 = (
    "engage",
    "-t",
    "kalibr",
    "--from",
    "52.0,21.0",
    "--to",
    "baranovichi-s-400-notional",
    "-d",
    "baranovichi-s-400-notional",
    "--include-notional",
)


def test_engage_a_cruise_missile_against_a_sam_site_json():
    r = cli(*ENGAGE_S400, "--no-min-speed", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["threat"]["cruise"] is True
    assert all(w["feasible"] for w in out["windows"])
    assert {s["name"] for s in out["sensors"]} == {
        "baranovichi-s-400-notional:91n6",
        "baranovichi-s-400-notional:96l6",
    }
    notes = " ".join(out["notes"])
    assert "4/3-Earth horizon" in notes and "30 m above the ellipsoid" in notes
    first = min(w["first_intercept_s"] for w in out["windows"])
    assert first < out["threat"]["impact_time_s"]


def test_engage_a_cruise_missile_keeps_battery_ids_whole_at_80_columns():
    from test_cli_80_columns import assert_fits, cli80, tokens

    out = cli80(*ENGAGE_S400, "--no-min-speed")
    assert_fits(out)
    words = tokens(out)
    assert "baranovichi-s-400-notional:s-400-48n6dm*" in words
    assert "baranovichi-s-400-notional:s-400-40n6*" in words
    assert "cruise missile, arrives at" in out
    assert "In words: 2 of 2 batteries could intercept" in out


def test_engage_refuses_a_bad_waypoint_before_flying():
    line = _one_error_line(cli(*ENGAGE_S400, "--via", "95,20"))
    assert "via" in line


def test_engage_a_cruise_missile_with_an_added_sensor_adds_no_satellite():
    r = cli(*ENGAGE_S400, "-s", "redzikowo", "--no-min-speed", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    names = [s["name"] for s in out["sensors"]]
    assert "redzikowo:an-spy-1d" in names and "early-warning-satellite" not in names
    assert any(n.startswith("redzikowo:an-spy-1d never sees it") for n in out["notes"])
