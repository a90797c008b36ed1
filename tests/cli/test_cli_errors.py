"""User errors: exit code 1, exactly one line on stderr starting "error:", no traceback,
nothing on stdout, and a message that says what was wrong and what is allowed."""

from __future__ import annotations

import re

import pytest
from cli_helpers import cli

TRAJ = ("trajectory", "--missile", "iskander-m", "--from", "kaliningrad", "--to", "redzikowo")
COAST = (
    "coast",
    "--lat",
    "0",
    "--lon",
    "0",
    "--alt-km",
    "0",
    "--speed-kms",
    "3",
    "--gamma-deg",
    "40",
    "--azimuth-deg",
    "90",
)


def assert_user_error(result) -> str:
    """The CLI's error contract; returns the message (without "error: ")."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    err = result.stderr
    assert "Traceback" not in err and "Traceback" not in result.stdout
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert result.stdout == ""
    return lines[0][len("error: ") :]


def test_unknown_missile_suggests_close_matches():
    msg = assert_user_error(
        cli("trajectory", "--missile", "iskandr-m", "--from", "kaliningrad", "--to", "redzikowo")
    )
    assert "iskandr-m" in msg
    assert "iskander-m" in msg


def test_unknown_missile_in_reach():
    msg = assert_user_error(
        cli("reach", "--missile", "polonaze", "--from", "brest", "--azimuths", "36")
    )
    assert "polonez" in msg


def test_unknown_site_suggests_close_matches():
    msg = assert_user_error(
        cli("trajectory", "--missile", "iskander-m", "--from", "kalinigrad", "--to", "redzikowo")
    )
    assert "kalinigrad" in msg and "kaliningrad" in msg


def test_unknown_target_site():
    msg = assert_user_error(
        cli("trajectory", "--missile", "iskander-m", "--from", "kaliningrad", "--to", "redzikovo")
    )
    assert "redzikowo" in msg


@pytest.mark.parametrize(
    "args, words",
    [
        (("--from", "95,20", "--to", "redzikowo"), ("latitude", "95", "-90", "90")),
        (("--from", "-90.5,20", "--to", "redzikowo"), ("latitude", "-90")),
        (("--from", "50,200", "--to", "redzikowo"), ("longitude", "200", "-180", "180")),
        (("--from", "kaliningrad", "--to", "54,-181"), ("longitude", "-181", "180")),
        (("--from", "nan,20", "--to", "redzikowo"), ("latitude",)),
    ],
    ids=["lat95", "lat-90.5", "lon200", "target-lon-181", "lat-nan"],
)
def test_lat_lon_out_of_range(args, words):
    msg = assert_user_error(cli("trajectory", "--missile", "iskander-m", *args))
    for w in words:
        assert w in msg


def test_reach_latitude_out_of_range():
    msg = assert_user_error(
        cli("reach", "--missile", "iskander-e", "--from", "95,20", "--azimuths", "36")
    )
    assert "latitude" in msg and "95" in msg


def test_target_beyond_maximum_range_states_maximum():
    msg = assert_user_error(
        cli("trajectory", "--missile", "iskander-e", "--from", "brest", "--to", "washington-dc")
    )
    assert "maximum range" in msg
    km = [float(x.replace(",", "")) for x in re.findall(r"([\d,]+(?:\.\d+)?) km", msg)]
    assert any(250 <= x <= 300 for x in km), msg  # the maximum, ~280 km
    assert any(x > 7000 for x in km), msg  # the distance, ~7,360 km


@pytest.mark.parametrize("shape", ["wiggly", "apogee=abc", "apogee=-5", ""])
def test_bad_shape_lists_allowed(shape):
    msg = assert_user_error(cli(*TRAJ, "--shape", shape))
    assert "apogee=" in msg
    if shape == "wiggly":
        assert "wiggly" in msg
        for allowed in ("minimum-energy", "lofted", "depressed"):
            assert allowed in msg


@pytest.mark.parametrize("apogee_km", [1, 5000])
def test_unreachable_apogee_states_allowed_band(apogee_km):
    msg = assert_user_error(cli(*TRAJ, "--shape", f"apogee={apogee_km}"))
    assert "apogee" in msg
    assert "allowed" in msg
    assert re.search(r"[\d,.]+ to [\d,.]+ km", msg), msg


def test_bad_backend():
    msg = assert_user_error(cli(*TRAJ, "--backend", "bogus"))
    assert "bogus" in msg and "cpu" in msg


# ---------------------------------------------------------------------- vehicle files

GOOD_VEHICLE = """\
# A made-up test vehicle, not a model of any real missile.
id: test-rocket
name: Test rocket
aliases: []
kind: rocket-artillery
country: Nowhere
summary: A made-up test vehicle.
published_range: {value: 200, low: 200, high: 220, unit: km, source: bmdsim-estimate, grade: R}
stages:
  - gross_mass: {value: 550, low: 450, high: 650, unit: kg, source: bmdsim-estimate, grade: R}
    propellant_mass: {value: 380, low: 300, high: 450, unit: kg, source: bmdsim-estimate, grade: R}
    isp_vac: {value: 250, low: 200, high: 290, unit: s, source: bmdsim-estimate, grade: R}
    burn_time: {value: 15, low: 8, high: 25, unit: s, source: bmdsim-estimate, grade: R}
    diameter: {value: 0.301, low: 0.301, high: 0.301, unit: m, source: bmdsim-estimate, grade: R}
    nozzle_exit_area:
      {value: 0.03, low: 0.015, high: 0.05, unit: m^2, source: bmdsim-estimate, grade: R}
payload:
  mass: {value: 200, low: 150, high: 250, unit: kg, source: bmdsim-estimate, grade: R}
  separates: false
aero:
  cd_table: v2-sutton
  cd_scale: {value: 1.0, low: 0.7, high: 1.4, unit: "", source: bmdsim-estimate, grade: R}
steering:
  vertical_rise_time: {value: 1, low: 0, high: 5, unit: s, source: bmdsim-estimate, grade: R}
"""

ISP_LINE = (
    GOOD_VEHICLE.splitlines().index(
        next(line for line in GOOD_VEHICLE.splitlines() if "isp_vac" in line)
    )
    + 1
)  # 1-based


def _vehicle_args(path):
    return ("trajectory", "--missile", str(path), "--from", "brest", "--to", "52.5,25.5")


def test_good_vehicle_file_flies(tmp_path):
    """Control for the malformed files below: the same file, well formed, flies."""
    path = tmp_path / "rocket.yaml"
    path.write_text(GOOD_VEHICLE)
    result = cli(*_vehicle_args(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert '"missile": "test-rocket"' in result.stdout


def test_vehicle_file_missing_source_names_file_line_field(tmp_path):
    path = tmp_path / "nosource.yaml"
    text = GOOD_VEHICLE.replace(
        "unit: s, source: bmdsim-estimate, grade: R}\n    burn_time",
        "unit: s, grade: R}\n    burn_time",
    )
    assert text != GOOD_VEHICLE
    path.write_text(text)
    msg = assert_user_error(cli(*_vehicle_args(path)))
    assert f"{path}:{ISP_LINE}" in msg, msg
    assert "isp_vac" in msg
    assert "source" in msg


def test_vehicle_file_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    lines = GOOD_VEHICLE.splitlines()
    bad = lines.index("aero:")
    lines[bad] = "aero: [oops"
    path.write_text("\n".join(lines) + "\n")
    msg = assert_user_error(cli(*_vehicle_args(path)))
    m = re.match(re.escape(str(path)) + r":(\d+):", msg)
    assert m, msg
    assert int(m.group(1)) in (bad + 1, bad + 2)  # the opened bracket or the next line
    assert "YAML" in msg


def test_vehicle_file_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n")
    msg = assert_user_error(cli(*_vehicle_args(path)))
    assert str(path) in msg


def test_vehicle_file_missing(tmp_path):
    path = tmp_path / "absent.yaml"
    msg = assert_user_error(cli(*_vehicle_args(path)))
    assert str(path) in msg


# ---------------------------------------------------------------------- coast


def test_coast_with_drag_needs_beta():
    msg = assert_user_error(cli(*COAST))
    assert "ballistic coefficient" in msg


def test_coast_unknown_earth():
    msg = assert_user_error(cli(*COAST, "--earth", "flat", "--no-drag"))
    assert "flat" in msg and "wgs84" in msg and "sphere" in msg


@pytest.mark.parametrize("speed", ["-3", "20"])
def test_coast_speed_out_of_range(speed):
    args = list(COAST)
    args[args.index("--speed-kms") + 1] = speed
    msg = assert_user_error(cli(*args, "--no-drag"))
    assert "speed" in msg and "allowed" in msg


def test_coast_negative_altitude_rejected():
    args = list(COAST)
    args[args.index("--alt-km") + 1] = "-50"
    msg = assert_user_error(cli(*args, "--no-drag"))
    assert "alt" in msg


# ---------------------------------------------------------------------- catalogue


def test_catalogue_show_unknown():
    assert_user_error(cli("catalogue", "show", "nothing-here"))


def test_catalogue_show_unknown_suggests_missile():
    msg = assert_user_error(cli("catalogue", "show", "iskandr-m"))
    assert "iskander-m" in msg


def test_catalogue_list_unknown_kind():
    assert_user_error(cli("catalogue", "list", "--kind", "bogus"))


def test_catalogue_list_unknown_kind_message():
    msg = assert_user_error(cli("catalogue", "list", "--kind", "bogus"))
    assert "'bogus'" in msg
    assert "missile" in msg and "site" in msg


# ---------------------------------------------------------------------- very short targets


@pytest.mark.parametrize(
    "target",
    [
        "54.75,20.55",
        "kaliningrad",  # 0 km: refused as closer than 1 km
    ],
)
def test_target_too_close_is_refused_or_hit(target):
    import json

    result = cli(
        "trajectory", "--missile", "iskander-m", "--from", "kaliningrad", "--to", target, "--json"
    )
    if result.exit_code == 1:
        assert_user_error(result)
        return
    assert result.exit_code == 0
    d = json.loads(result.stdout)
    assert d["burnout"]["time_s"] > 0
    assert d["miss_km"] < 0.1
