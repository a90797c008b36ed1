"""The analysts' tools of issue 10 on the command line: ``kepler``, ``coast
--end-alt-km`` and ``--lift-to-drag``, ``--earth``/``--no-rotation`` on ``trajectory``
and ``reach``, and ``trajectory --shape quasi-ballistic`` (docs/outputs.md fields)."""

from __future__ import annotations

import math

import pytest
from cli_helpers import cli, run_json
from test_cli_errors import COAST, assert_user_error

from bmdsim.earth.constants import GM_EARTH_M3_S2 as MU
from bmdsim.earth.constants import SPHERE_RADIUS_M as R

KEPLER_FIELDS = {
    "kind",
    "range_km",
    "range_angle_deg",
    "burnout_alt_km",
    "speed_kms",
    "flight_path_angle_deg",
    "apogee_km",
    "flight_time_s",
    "q",
    "semi_major_axis_km",
    "eccentricity",
    "earth_radius_km",
}


def test_kepler_range_gives_the_minimum_energy_arc():
    """BMW 6.2-20/6.2-22 in psi alone (open-data.md A1 form): v^2 = (mu/r) 2s/(1+s),
    gamma = (pi - psi)/4, r_apogee = r (1 + s + c)/2, s, c = sin, cos(psi/2)."""
    d = run_json("kepler", "--range-km", "1000")
    assert set(d) == KEPLER_FIELDS
    psi = 1000e3 / R
    s, c = math.sin(psi / 2), math.cos(psi / 2)
    assert d["kind"] == "minimum-energy"
    assert d["speed_kms"] == pytest.approx(math.sqrt(MU / R * 2 * s / (1 + s)) / 1e3, abs=2e-6)
    assert d["flight_path_angle_deg"] == pytest.approx(math.degrees((math.pi - psi) / 4), abs=1e-4)
    assert d["apogee_km"] == pytest.approx((R * (1 + s + c) / 2 - R) / 1e3, abs=1e-4)
    assert d["burnout_alt_km"] == 0.0 and d["range_km"] == 1000.0


def test_kepler_speed_gives_the_maximum_range_and_inverts_range():
    me = run_json("kepler", "--range-km", "2500", "--alt-km", "150")
    mr = run_json("kepler", "--speed-kms", repr(me["speed_kms"]), "--alt-km", "150")
    assert mr["kind"] == "maximum-range"
    assert mr["range_km"] == pytest.approx(2500.0, abs=0.01)
    assert mr["flight_time_s"] == pytest.approx(me["flight_time_s"], abs=0.01)
    assert mr["burnout_alt_km"] == 150.0


def test_kepler_text_leads_with_the_answer_then_the_caveats():
    out = cli("kepler", "--range-km", "480").stdout
    first, second = out.strip().splitlines()[:2]
    assert first.startswith("the least burnout speed for 480.0 km: ")
    assert "km/s" in first and "apogee" in first
    assert "Vacuum, non-rotating sphere" in second


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "exactly one"),
        (("--range-km", "500", "--speed-kms", "2"), "exactly one"),
        (("--range-km", "30000"), "--range-km: 30000 km is outside its domain"),
        (("--range-km", "nan"), "--range-km: nan km is not a finite number"),
        (("--range-km", "0"), "half its circumference"),
        (("--speed-kms", "8"), "circular speed"),
        (("--speed-kms", "7.5", "--alt-km", "1000"), "circular speed at that altitude"),
        (("--range-km", "500", "--alt-km", "-3"), "--alt-km: -3 km is outside its domain"),
    ],
)
def test_kepler_bad_input_is_one_error_line(args, words):
    assert words in assert_user_error(cli("kepler", *args))


def test_coast_end_altitude_gives_re_entry_conditions():
    """From the ground at 4 km/s, 50 deg (vacuum, non-rotating sphere), descending
    through 100 km: speed and angle from energy and angular momentum."""
    args = [*COAST, "--earth", "sphere", "--no-rotation", "--no-drag"]
    args[args.index("--speed-kms") + 1] = "4"
    args[args.index("--gamma-deg") + 1] = "50"
    d = run_json(*args, "--end-alt-km", "100")
    rh = R + 100e3
    vh = math.sqrt(4000.0**2 - 2 * MU * (1 / R - 1 / rh))
    gh = math.degrees(math.acos(R * 4000.0 * math.cos(math.radians(50)) / (rh * vh)))
    assert d["end_alt_km"] == 100.0
    assert d["end_speed_kms"] == pytest.approx(vh / 1e3, abs=2e-4)
    assert d["end_flight_path_angle_deg"] == pytest.approx(-gh, abs=2e-4)
    full = run_json(*args)
    assert d["range_km"] < full["range_km"]
    text = cli(*args, "--end-alt-km", "100").stdout
    assert "descending through 100 km" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--end-alt-km", "-5"), "--end-alt-km: -5 km is outside its domain; allowed: 0 to"),
        (("--end-alt-km", "inf"), "--end-alt-km: inf km is not a finite number"),
        (("--lift-to-drag", "-1"), "--lift-to-drag: -1 is outside its domain; allowed: 0 to 10"),
        (("--lift-to-drag", "40"), "nothing flies above 10"),
    ],
)
def test_coast_end_altitude_and_lift_out_of_their_domains_are_refused(args, words):
    assert words in assert_user_error(cli(*COAST, "--no-drag", *args))


def test_coast_with_lift_needs_beta_and_glides_farther():
    args = [*COAST, "--earth", "sphere", "--no-rotation"]
    args[args.index("--alt-km") + 1] = "40"
    args[args.index("--gamma-deg") + 1] = "0"
    msg = assert_user_error(cli(*args, "--no-drag", "--lift-to-drag", "2"))
    assert "ballistic coefficient" in msg
    ballistic = run_json(*args, "--beta", "3000")
    glide = run_json(*args, "--beta", "3000", "--lift-to-drag", "2")
    assert glide["range_km"] > 2 * ballistic["range_km"]


@pytest.mark.slow
def test_trajectory_model_switches_reach_the_flight():
    base = ("trajectory", "--missile", "iskander-e", "--from", "brest", "--to", "warsaw")
    d = run_json(*base, "--earth", "sphere", "--no-rotation")
    assert d["model"] == {"earth": "sphere", "rotation": False, "drag": True}
    assert d["miss_km"] < 0.1
    w = run_json(*base)
    assert w["model"]["earth"] == "wgs84" and w["model"]["rotation"] is True
    assert d["flight_time_s"] != w["flight_time_s"]
    text = cli(*base, "--no-rotation").stdout
    assert "on a non-rotating WGS 84 Earth" in text.splitlines()[0]


def test_reach_on_a_non_rotating_sphere_is_the_same_on_every_azimuth():
    """Without rotation, on a sphere, nothing distinguishes one heading from another:
    the footprint is a circle (to the targeting's golden-section tolerance)."""
    d = run_json(
        "reach",
        "--missile",
        "polonez",
        "--from",
        "53.3,28.6",
        "--sites",
        "warsaw",
        "--azimuths",
        "8",
        "--earth",
        "sphere",
        "--no-rotation",
    )
    lo, hi = d["max_range_km"]["min"], d["max_range_km"]["max"]
    assert hi - lo < 0.2
    rotating = run_json(
        "reach",
        "--missile",
        "polonez",
        "--from",
        "53.3,28.6",
        "--sites",
        "warsaw",
        "--azimuths",
        "8",
    )
    assert rotating["max_range_km"]["max"] - rotating["max_range_km"]["min"] > 1.0


@pytest.mark.parametrize(
    "command",
    [
        ("reach", "--missile", "polonez", "--from", "53.3,28.6"),
        ("trajectory", "--missile", "polonez", "--from", "53.3,28.6", "--to", "warsaw"),
        (*COAST, "--no-drag"),
    ],
)
def test_bad_earth_model_is_one_error_line(command):
    msg = assert_user_error(cli(*command, "--earth", "flat"))
    assert msg.startswith("--earth: 'flat' is not an Earth model; allowed: wgs84, sphere")


@pytest.mark.parametrize(
    ("shape", "words"),
    [
        ("quasi-ballistic=0", "the apogee 0 km is outside its domain"),
        ("quasi-ballistic=nan", "the apogee nan km is not a finite number"),
        ("quasiballistic", "quasi-ballistic[=KM]"),
    ],
)
def test_bad_quasi_ballistic_shape_is_one_error_line(shape, words):
    args = ("trajectory", "--missile", "iskander-m", "--from", "kaliningrad", "--to", "warsaw")
    assert words in assert_user_error(cli(*args, "--shape", shape))


def test_quasi_ballistic_needs_a_lifting_missile():
    msg = assert_user_error(
        cli(
            "trajectory",
            "--missile",
            "iskander-e",
            "--from",
            "brest",
            "--to",
            "warsaw",
            "--shape",
            "quasi-ballistic",
        )
    )
    assert "lifting" in msg and "apogee=KM" in msg


@pytest.mark.slow
def test_iskander_quasi_ballistic_json_and_text():
    """Issue 10's done-when on the command line: Kaliningrad to a point 480 km south,
    apogee at most 60 km, flight time in the output."""
    args = (
        "trajectory",
        "--missile",
        "iskander-m",
        "--from",
        "kaliningrad",
        "--to",
        "50.39285,20.51102",
        "--shape",
        "quasi-ballistic",
    )
    d = run_json(*args)
    assert d["shape"] == "quasi-ballistic=50"
    assert d["range_km"] == pytest.approx(480.0, abs=0.2)
    assert d["apogee_km"] <= 60.0
    assert d["flight_time_s"] > 0
    lift = d["lift"]
    assert set(lift) == {
        "lift_to_drag",
        "apogee_cap_km",
        "glide_altitude_km",
        "dive_angle_deg",
        "glide_start",
        "dive_start",
    }
    assert lift["apogee_cap_km"] == 50.0
    assert set(lift["dive_start"]) == {"time_s", "altitude_km", "ground_range_km"}
    assert lift["glide_start"]["time_s"] < lift["dive_start"]["time_s"] < d["flight_time_s"]
    assert d["impact_angle_deg"] == pytest.approx(-lift["dive_angle_deg"], abs=3.0)
    first = cli(*args).stdout.splitlines()[0]
    assert first.startswith("iskander-m quasi-ballistic=50 from kaliningrad")
    assert "480.0 km in" in first and "apogee 50.0 km" in first
