"""Files written with ``--out`` (offline), the catalogue commands, and ``--help``."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import pytest
from cli_helpers import block_network, cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

REACH_FILES = {
    "footprint_map.png",
    "footprint_polar.png",
    "footprint.geojson",
    "footprint.kml",
    "footprint.csv",
    "footprint_sites.csv",
    "footprint_summary.json",
}
TRAJECTORY_FILES = {
    "trajectory_map.png",
    "trajectory_altitude_range.png",
    "trajectory_speed_time.png",
    "trajectory.geojson",
    "trajectory.kml",
    "trajectory.csv",
    "trajectory_summary.json",
}

# docs/outputs.md, "CSV"
TRAJECTORY_CSV_COLUMNS = [
    "t_s",
    "lat_deg",
    "lon_deg",
    "alt_km",
    "ground_range_km",
    "speed_kms",
    "x_eci_m",
    "y_eci_m",
    "z_eci_m",
    "vx_eci_m_s",
    "vy_eci_m_s",
    "vz_eci_m_s",
]
FOOTPRINT_CSV_COLUMNS = [
    "launch_azimuth_deg",
    "azimuth_deg",
    "range_km",
    "impact_lat_deg",
    "impact_lon_deg",
    "flight_time_s",
    "range_low_km",  # the band's short and long rings (Iskander-E: its range cap)
    "range_high_km",
]
SITES_CSV_COLUMNS = [
    "id",
    "name",
    "lat_deg",
    "lon_deg",
    "distance_km",
    "azimuth_deg",
    "max_range_km",
    "range_low_km",
    "range_high_km",
    "verdict",
    "in_reach",
    "flight_time_s",
]


def _check_files(folder, expected):
    written = {p.name for p in folder.iterdir()}
    assert expected <= written, f"missing: {sorted(expected - written)}; written: {sorted(written)}"
    for name in written:
        assert (folder / name).stat().st_size > 0, name
    for name in (n for n in written if n.endswith(".png")):
        assert (folder / name).read_bytes()[:8] == PNG_MAGIC, name
    for name in (n for n in written if n.endswith((".geojson", ".json"))):
        json.loads((folder / name).read_text())
    for name in (n for n in written if n.endswith(".kml")):
        root = ET.parse(folder / name).getroot()
        assert root.tag.endswith("kml"), name
    return written


def _csv(path):
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) >= 2, f"{path.name}: header and at least one row"
    return rows[0], rows[1:]


def test_reach_out_writes_files_offline(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "reach"
    result = cli(
        "reach", "--missile", "iskander-e", "--from", "brest", "--azimuths", "36", "--out", out
    )
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    _check_files(out, REACH_FILES)

    fc = json.loads((out / "footprint.geojson").read_text())
    assert fc["type"] == "FeatureCollection"
    kinds = {f["properties"]["kind"] for f in fc["features"]}
    assert {"footprint", "launch", "site"} <= kinds

    header, rows = _csv(out / "footprint.csv")
    assert header == FOOTPRINT_CSV_COLUMNS
    assert len(rows) == 36
    header, rows = _csv(out / "footprint_sites.csv")
    assert header == SITES_CSV_COLUMNS
    assert "warsaw" in {r[0] for r in rows}

    summary = json.loads((out / "footprint_summary.json").read_text())
    assert summary["missile"] == "iskander-e"
    # the table still goes to stdout next to the files
    assert "iskander-e" in result.stdout


def test_trajectory_out_writes_files_offline(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "traj"
    result = cli(
        "trajectory",
        "--missile",
        "iskander-m",
        "--from",
        "kaliningrad",
        "--to",
        "redzikowo",
        "--out",
        out,
    )
    assert result.exit_code == 0, (result.stderr, result.exception)
    _check_files(out, TRAJECTORY_FILES)

    fc = json.loads((out / "trajectory.geojson").read_text())
    assert fc["type"] == "FeatureCollection"
    kinds = {f["properties"]["kind"] for f in fc["features"]}
    assert kinds == {"track", "launch", "impact", "target"}

    header, rows = _csv(out / "trajectory.csv")
    assert header == TRAJECTORY_CSV_COLUMNS
    assert len(rows) > 10
    assert float(rows[0][0]) == 0.0
    t = [float(r[0]) for r in rows]
    assert t == sorted(t)

    summary = json.loads((out / "trajectory_summary.json").read_text())
    assert summary["missile"] == "iskander-m" and summary["miss_km"] < 0.1


def test_json_and_out_together_keep_stdout_json(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "both"
    result = cli(
        "trajectory",
        "--missile",
        "polonez",
        "--from",
        "brest",
        "--to",
        "warsaw",
        "--out",
        out,
        "--json",
    )
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert json.loads(result.stdout)["missile"] == "polonez"
    assert (out / "trajectory_map.png").is_file()


# ---------------------------------------------------------------------- catalogue


def test_catalogue_list_missiles():
    result = cli("catalogue", "list")
    assert result.exit_code == 0, result.stderr
    for mid in ("iskander-m", "iskander-e", "polonez", "rs-24-yars"):
        assert mid in result.stdout
    assert "redzikowo" not in result.stdout


def test_catalogue_list_sites():
    result = cli("catalogue", "list", "--kind", "site")
    assert result.exit_code == 0, result.stderr
    for sid in ("redzikowo", "kaliningrad", "brest", "teykovo", "washington-dc"):
        assert sid in result.stdout
    assert "iskander-m" not in result.stdout


def test_catalogue_list_json():
    result = cli("catalogue", "list", "--kind", "site", "--json")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)
    ids = {e["id"] for e in entries}
    assert {"redzikowo", "warsaw", "teykovo"} <= ids
    assert all(e.get("source") for e in entries)


def test_catalogue_list_shows_source_ids():
    result = cli("catalogue", "list")
    assert result.exit_code == 0, result.stderr
    assert "nasm-v2-slashgear" in result.stdout  # v-2's published_range source


def test_catalogue_show_alias_with_sources():
    result = cli("catalogue", "show", "SS-26")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "'id': 'iskander-m'" in out
    assert "SS-26" in out  # among the aliases
    assert "russian-mod-iskander-range" in out  # published_range's source id, in the dump
    assert "Sources" in out
    section = out.split("Sources", 1)[1]
    assert "Ministry of Defence of the Russian Federation" in section
    assert "Rocket Propulsion Elements" in section  # the borrowed V-2 Cd table's source


def test_catalogue_show_sources_list_ids():
    result = cli("catalogue", "show", "SS-26")
    section = result.stdout.split("Sources", 1)[1]
    assert "russian-mod-iskander-range" in section


def test_catalogue_show_by_alias_palanez():
    result = cli("catalogue", "show", "palanez")
    assert result.exit_code == 0, result.stderr
    assert "'id': 'polonez'" in result.stdout
    assert "Palanez" in result.stdout


def test_catalogue_show_json():
    result = cli("catalogue", "show", "palanez", "--json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert d["id"] == "polonez"
    assert d["published_range"]["value"] == 200


# ---------------------------------------------------------------------- help


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("trajectory", "--help"),
        ("reach", "--help"),
        ("coast", "--help"),
        ("kepler", "--help"),
        ("demo", "--help"),
        ("catalogue", "--help"),
        ("catalogue", "list", "--help"),
        ("catalogue", "show", "--help"),
    ],
    ids=lambda a: " ".join(a),
)
def test_help_exits_zero(args):
    result = cli(*args)
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "Usage" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("args", [(), ("catalogue",)], ids=["bmdsim", "catalogue"])
def test_no_arguments_shows_help(args):
    """no_args_is_help: with click >= 8.2 this exits 2 (NoArgsIsHelpError), as a usage error."""
    result = cli(*args)
    assert result.exit_code in (0, 2)
    assert "Usage" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_top_level_help_lists_commands():
    out = cli("--help").stdout
    for cmd in ("trajectory", "reach", "coast", "kepler", "catalogue", "demo"):
        assert cmd in out
