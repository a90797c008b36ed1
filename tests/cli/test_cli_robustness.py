"""Every failure class of issues 15 and 16 at the command line, as a named regression test:
one ``error:`` line and exit 1 before any work, or the right answer; never a traceback, a
hang, NaN in JSON, or a file written where it should not be.

The analyses are replaced by stubs where a test is about what reaches them (the sensors
``engage`` gets, the shape ``fly`` gets): the stub records its arguments and stops the
command with a sentinel error, so these tests run in seconds."""

from __future__ import annotations

import json
import os

import numpy as np
import pyarrow as pa
import pytest
from cli_helpers import cli
from test_cli_errors import assert_user_error

import bmdsim
from bmdsim.errors import BmdsimError

ENGAGE = (
    "engage", "--threat", "iskander-m", "--from", "kaliningrad", "--to", "warsaw",
    "-d", "redzikowo:sm-3-iia", "--cue-at", "burnout", "--no-min-speed",
)  # fmt: skip
TRAJ = ("trajectory", "--missile", "iskander-m", "--from", "kaliningrad", "--to", "warsaw")
EFF = ("effectiveness", "--raid", "2", "--pk", "0.7")
COV = ("coverage", "--site", "baranovichi-s-400-notional")


class Stop(BmdsimError):
    """What a stub raises once it has recorded its call."""


@pytest.fixture
def calls(monkeypatch):
    """Replace the heavy public functions by stubs; returns {name: kwargs of the call}."""
    seen: dict = {}

    def stub(name):
        def record(*args, **kwargs):
            seen[name] = {"args": args, **kwargs}
            raise Stop(f"stub {name}")

        return record

    for name in ("fly", "reach", "engage", "coverage", "flyout", "defended_footprint", "coast"):
        monkeypatch.setattr(bmdsim, name, stub(name), raising=False)
    return seen


# -- numbers outside their domain --------------------------------------------------------


@pytest.mark.parametrize(
    "args, words",
    [
        ((*ENGAGE, "--decision-delay-s=-300"), ("--decision-delay-s", "-300 s", "0 to 3,600 s")),
        ((*ENGAGE, "--decision-delay-s", "nan"), ("not a finite number",)),
        ((*ENGAGE, "--assessment-delay-s", "inf"), ("--assessment-delay-s", "finite")),
        ((*ENGAGE, "--rcs-m2", "1e309"), ("--rcs-m2", "finite")),
        ((*ENGAGE, "--rcs-m2", "0"), ("--rcs-m2", "outside its domain")),
        ((*ENGAGE, "--cue-at", "-5"), ("--cue-at", "outside")),
        ((*COV, "--target-altitude-km", "1e309"), ("--target-altitude-km", "finite")),
        ((*COV, "--rcs-m2", "inf"), ("--rcs-m2",)),
        ((*COV, "--radius-km", "-1", "--threat", "x", "--from", "y"), ("--radius-km",)),
        (("flyout", "-i", "sm-3-iia", "--azimuth-deg", "nan"), ("--azimuth-deg", "finite")),
        (("flyout", "-i", "sm-3-iia", "--burnout-speed-kms", "0"), ("--burnout-speed-kms",)),
        ((*EFF, "--shots", "99999999999999999999"), ("--shots", "1 to 100")),
        ((*EFF, "--decoys", "1e9"), ("--decoys", "0 to 100")),
        ((*EFF, "--looks", "1000000"), ("--looks", "1 to 100")),
        ((*EFF, "--inventory", "-1"), ("--inventory",)),
        (("effectiveness", "--raid", "0", "--pk", "0.5"), ("--raid",)),
        ((*EFF[:3], "--pk", "nan"), ("--pk", "finite")),
        (("run", "x.yaml", "--seed", "18446744073709551616"), ("--seed", "9,223,372,036")),
        (("run", "x.yaml", "--samples", "1000000000000"), ("--samples", "100,000,000")),
        (("run", "x.yaml", "--samples", "100000001"), ("--samples", "100,000,000")),
        (("run", "x.yaml", "--chunk-size", "0"), ("--chunk-size",)),
        (("run", "x.yaml", "--workers", "0"), ("--workers",)),
        (("reach", "--missile", "x", "--from", "y", "--azimuths", "5"), ("--azimuths", "8")),
        (
            (
                "coast",
                "--lat",
                "1e309",
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
            ),
            ("--lat", "finite"),
        ),
        ((*TRAJ, "--shape", "apogee=inf"), ("--shape", "finite")),
        ((*TRAJ, "--shape", "apogee=100m"), ("--shape", "apogee=KM")),
        (("results", ".", "--max-rows", "0"), ("--max-rows",)),
    ],
    ids=lambda x: " ".join(x[-2:]) if isinstance(x, tuple) and len(x) > 2 else None,
)
def test_numbers_outside_their_domain(args, words, calls):
    msg = assert_user_error(cli(*args))
    for w in words:
        assert w in msg, msg
    assert not calls  # refused before any work


def test_unknown_option_and_bad_type_are_one_line():
    assert "--bogus" in assert_user_error(cli(*TRAJ, "--bogus"))
    assert "--shots" in assert_user_error(cli(*EFF, "--shots", "two"))


# -- names, pairs, ids -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, words",
    [
        (("engage", *ENGAGE[1:7], "-d", "redzikowo:"), ("--defence", "'redzikowo:'")),
        (("engage", *ENGAGE[1:7], "-d", ":sm-3-iia"), ("--defence",)),
        ((*ENGAGE, "--sensor", "kurecik:"), ("--sensor",)),
        (("reach", "--missile", "iskander-e", "--from", "brest", "--sites", ""), ("--sites",)),
        (("reach", "--missile", "iskander-e", "--from", "brest", "--sites", "a,,b"), ("--sites",)),
        (
            ("trajectory", "--missile", "isk\x1bander", "--from", "brest", "--to", "warsaw"),
            ("U+001B",),
        ),
        (("trajectory", "--missile", "", "--from", "brest", "--to", "warsaw"), ("--missile",)),
    ],
    ids=[
        "defence-trailing-colon",
        "defence-no-site",
        "sensor-trailing-colon",
        "sites-empty",
        "sites-empty-item",
        "escape-char",
        "empty-missile",
    ],
)
def test_names_matched_exactly_or_refused(args, words, calls):
    msg = assert_user_error(cli(*args))
    for w in words:
        assert w in msg, msg
    assert not calls


def test_an_en_dash_is_no_hyphen():
    """``iskander–m`` (en dash) was silently read as iskander-m (issue 15)."""
    msg = assert_user_error(
        cli("trajectory", "--missile", "iskander\u2013m", "--from", "brest", "--to", "warsaw")
    )
    assert "did you mean: iskander-m" in msg


def test_apogee_with_km_reaches_fly_as_one_spelling(calls):
    assert assert_user_error(cli(*TRAJ, "--shape", "apogee=100km")) == "stub fly"
    assert calls["fly"]["shape"] == "apogee=100"


def test_sensor_adds_to_the_default_sensors(calls):
    """README: the radars at the defence sites and the early-warning satellite by default,
    `--sensor kurecik:an-tpy-2` to add one (it replaced them, issue 15)."""
    assert_user_error(cli(*ENGAGE, "--sensor", "kurecik:an-tpy-2"))
    sensors = calls["engage"]["sensors"]
    assert "kurecik:an-tpy-2" in sensors and "early-warning-satellite" in sensors
    assert any(s.startswith("redzikowo:") for s in sensors)
    assert_user_error(cli(*ENGAGE, "--sensor", "kurecik:an-tpy-2", "--no-default-sensors"))
    assert calls["engage"]["sensors"] == ["kurecik:an-tpy-2"]
    calls.clear()
    msg = assert_user_error(cli(*ENGAGE[:-3], "--no-min-speed", "--no-default-sensors"))
    assert "--no-default-sensors" in msg and not calls


# -- plausibility ------------------------------------------------------------------------------


def test_swapped_lat_lon_is_warned_about(calls):
    result = cli("reach", "--missile", "iskander-e", "--from", "20.51,54.71", "--json")
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and lines[-1] == "error: stub reach"
    assert lines[0].startswith("warning: 20.51,54.71") and "Kaliningrad" in lines[0]
    assert "Traceback" not in result.stderr


def test_target_inside_the_minimum_range_is_refused_with_the_number(calls):
    msg = assert_user_error(
        cli(
            "trajectory", "--missile", "iskander-m", "--from", "54.71,20.51", "--to", "54.71,20.86"
        )  # fmt: skip
    )
    assert "22.6 km" in msg and "minimum range of 50 km" in msg and not calls


# -- paths ---------------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("POSIX FIFOs")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.timeout(60)
def test_out_paths_are_checked_before_any_work(tmp_path, fifo, calls):
    (tmp_path / "afile").write_text("x")
    cases = {
        "": "empty",
        str(tmp_path / "afile"): "is a file, not a folder",
        str(tmp_path / "afile" / "sub"): "is a file, not a folder",
        str(fifo): "FIFO",
        "/proc/bmdsim-test/x": "cannot write",
        str(tmp_path / ("x" * 300)): "at most 255",
    }
    for out, words in cases.items():
        msg = assert_user_error(cli(*TRAJ, "--out", out))
        assert words in msg, (out, msg)
    assert not calls
    assert_user_error(cli(*TRAJ, "--out", str(tmp_path / "new" / "deeper")))
    assert calls["fly"] and not (tmp_path / "new").exists()  # checked, created nothing


@pytest.mark.timeout(60)
def test_a_fifo_as_missile_is_refused_not_read(fifo):
    msg = assert_user_error(cli("trajectory", "--missile", str(fifo), "--from", "brest",
                                "--to", "warsaw"))  # fmt: skip
    assert "FIFO" in msg


def test_a_secrets_file_as_missile_is_not_echoed(tmp_path):
    path = tmp_path / "shadow"
    path.write_text("".join(f"user{i}:$6$s3cr3t{i}:19000:0:99999:7:::\n" for i in range(3)))
    msg = assert_user_error(cli("trajectory", "--missile", str(path), "--from", "brest",
                                "--to", "warsaw"))  # fmt: skip
    assert "s3cr3t" not in msg and "does not look like a vehicle file" in msg


# -- scenarios at the command line --------------------------------------------------------


def test_scenario_with_many_problems_is_one_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncueing: {decision_delay_s: -1, assessment_delay_s: .inf}\n")
    msg = assert_user_error(cli("run", str(path), "--out", str(tmp_path / "o")))
    assert msg.startswith(f"{path}:2:") and msg.endswith("(and 1 more problem)")


@pytest.mark.timeout(120)
def test_a_name_is_a_folder_inside_runs_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    for name, folder in [("../../escaped-rel", "escaped-rel"), (str(tmp_path / "abs"), None)]:
        path = tmp_path / "a" / "s.yaml"
        path.write_text(f'name: "{name}"\noutputs: {{report: false}}\n')
        result = cli("run", str(path))
        assert result.exit_code == 0, result.stderr
        runs = tmp_path / "runs"
        made = [p.name for p in runs.iterdir()]
        assert (folder or made[-1]) in made
        assert "report" not in result.stdout  # report: false prints no report path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "runs"]  # nothing outside


def test_outputs_flags_reach_the_writers(tmp_path, monkeypatch):
    """outputs: {kml: false, geojson: false} was ignored (issue 16)."""
    import bmdsim.scenario.run as run_module
    from bmdsim.flight.reach import Footprint

    az = np.linspace(0.0, 350.0, 36)
    fp = Footprint(
        missile_id="iskander-e", launch_lat_deg=52.1, launch_lon_deg=23.7,
        launch_azimuth_deg=az, azimuth_deg=az, range_m=np.full(36, 280e3),
        impact_lat_deg=52.1 + 2.5 * np.cos(np.radians(az)),
        impact_lon_deg=23.7 + 4.0 * np.sin(np.radians(az)),
        flight_time_s=np.full(36, 250.0), kick_rad=np.full(36, 0.1), sites=(),
    )  # fmt: skip
    monkeypatch.setattr(run_module, "reach", lambda *a, **k: fp)
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: flags\nanalyses:\n  reach:\n    - {missile: iskander-e, from: brest, sites: "
        "[warsaw]}\noutputs: {kml: false, geojson: false, report: false, czml: false}\n"
    )
    result = cli("run", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in (tmp_path / "o").rglob("*")}
    assert not {n for n in names if n.endswith((".kml", ".geojson", ".czml", ".html"))}
    assert "footprint.csv" in names and "summary.json" in names
    json.loads((tmp_path / "o" / "summary.json").read_text())


# -- the results store -------------------------------------------------------------------------


def tiny_task(start: int, stop: int, seed: int) -> pa.Table:
    idx = np.arange(start, stop, dtype=np.int64)
    return pa.table({"sample": idx, "x": idx * 0.5 + seed, "feasible": idx % 2 == 0})


@pytest.fixture
def store(tmp_path):
    from bmdsim.sweep import run_sweep

    return run_sweep(tiny_task, 20, chunk_size=5, store=tmp_path / "store", seed=3)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/hostname')",
        "COPY (SELECT 1) TO 'copied.csv'",
        "ATTACH 'attached.db' AS x",
        "INSTALL httpfs",
    ],
)
def test_results_sql_is_read_only(store, tmp_path, monkeypatch, sql):
    monkeypatch.chdir(tmp_path)
    msg = assert_user_error(cli("results", str(store.path), "--sql", sql))
    assert "refused" in msg or "SQL failed" in msg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_results_sql_empty_and_good(store):
    assert "empty" in assert_user_error(cli("results", str(store.path), "--sql", ""))
    result = cli("results", str(store.path), "--sql", "SELECT avg(x) AS m FROM results", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == [{"m": 7.75}]


def test_results_check(store):
    result = cli("results", str(store.path), "--check", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["ok"] is True
    store.part_files()[1].write_bytes(b"garbage")
    result = cli("results", str(store.path), "--check")
    assert result.exit_code == 1 and "damaged: part-000000005-000000010.parquet" in result.stdout
    assert result.stderr.strip().startswith("error: ") and "quarantine" in result.stderr


def test_results_csv_on_a_folder_is_refused(store, tmp_path):
    msg = assert_user_error(
        cli("results", str(store.path), "--sql", "SELECT 1", "--csv", str(tmp_path))
    )
    assert "not a file" in msg


@pytest.mark.timeout(60)
def test_an_unreachable_scheduler_is_one_line_before_any_work(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    msg = assert_user_error(
        cli(
            "run",
            "europe-2016",
            "--executor",
            f"dask=tcp://127.0.0.1:{port}",
            "--out",
            str(tmp_path / "o"),
        )  # fmt: skip
    )
    assert "cannot reach the Dask scheduler" in msg
    assert not (tmp_path / "o").exists()
