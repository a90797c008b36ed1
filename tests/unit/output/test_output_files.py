"""output/files.py: the folders that `coverage --out`, `coverage --threat ... --out` and
`study --out` write, from synthetic results (made-up rings, aim points and study rows,
not real systems), with the network blocked; and the one slug function."""

from __future__ import annotations

import csv
import dataclasses
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from output_synthetic import GEOD, MINSK, make_trajectory

from bmdsim.output.files import (
    slug,
    write_coverage_files,
    write_defended_files,
    write_study_files,
)
from bmdsim.output.summary import coverage_summary, defended_summary, study_summary

PNG = b"\x89PNG\r\n\x1a\n"
SITE = SimpleNamespace(id="test-site", label="Test site", lat_deg=MINSK[0], lon_deg=MINSK[1])


def _ring(alt_m, radius_m, limited_by="radar range"):
    az = np.linspace(360.0, 0.0, 73)[:-1]
    n = az.size
    lon, lat, _ = GEOD.fwd(np.full(n, MINSK[1]), np.full(n, MINSK[0]), az, np.full(n, radius_m))
    return SimpleNamespace(
        target_altitude_m=alt_m,
        radius_m=radius_m,
        limited_by=limited_by,
        horizon_m=400e3,
        radar_range_m=radius_m,
        interceptor_reach_m=380e3,
        radar="radar-y",
        lat_deg=lat,
        lon_deg=lon,
    )


def test_coverage_folder_has_map_geojson_and_the_summary(no_network, tmp_path):
    rings = [_ring(100.0, 0.0, "radar horizon"), _ring(10e3, 250e3), _ring(30e3, 380e3)]
    cov = SimpleNamespace(
        place=SITE, interceptor_id="sam-x", radar_id="radar-y", rings=rings, antennas=()
    )
    write_coverage_files(cov, tmp_path)
    assert (tmp_path / "coverage_map.png").read_bytes()[:8] == PNG
    features = json.loads((tmp_path / "coverage.geojson").read_text())["features"]
    # a ring of radius 0 is neither drawn nor a feature
    assert [f["properties"]["target_altitude_km"] for f in features] == [10.0, 30.0]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)
    summary = json.loads((tmp_path / "coverage_summary.json").read_text())
    assert summary == coverage_summary(cov)
    assert summary["site"] == {"id": "test-site", "lat": 53.9006, "lon": 27.559}
    assert [r["radius_km"] for r in summary["rings"]] == [0.0, 250.0, 380.0]


def test_defended_folder_has_map_points_and_the_summary(no_network, tmp_path):
    points = [
        SimpleNamespace(
            lat_deg=54.5, lon_deg=27.5, defended=True, reason=None, first_intercept_s=412.34
        ),
        SimpleNamespace(
            lat_deg=53.0, lon_deg=28.5, defended=False, reason="too-late", first_intercept_s=None
        ),
        SimpleNamespace(
            lat_deg=52.0,
            lon_deg=20.0,
            defended=False,
            reason="beyond-threat-range",
            first_intercept_s=None,
        ),
    ]
    launch = SimpleNamespace(lat_deg=56.0, lon_deg=38.0)
    footprint = SimpleNamespace(
        place=SITE, interceptor_id="sam-x", points=points, launch=launch, threat_id="srbm-z"
    )
    write_defended_files(footprint, tmp_path, threat="srbm-z", origin="56,38")
    assert (tmp_path / "defended_map.png").read_bytes()[:8] == PNG
    summary = json.loads((tmp_path / "defended_summary.json").read_text())
    assert summary == defended_summary(footprint, threat="srbm-z")
    assert summary["launch"] == {"lat": 56.0, "lon": 38.0}
    assert summary["points"][0]["first_intercept_s"] == 412.3
    features = json.loads((tmp_path / "defended.geojson").read_text())["features"]
    assert [f["geometry"]["coordinates"] for f in features] == [
        [27.5, 54.5],
        [28.5, 53.0],
        [20.0, 52.0],
    ]
    assert features[1]["properties"] == {
        "defended": False,
        "reason": "too-late",
        "first_intercept_s": None,
    }


@dataclasses.dataclass(frozen=True)
class _Row:  # the fields plot_study_speeds and the CSV need, as StudyRow has them
    base: str
    target: str
    site: str
    interceptor: str
    min_burnout_speed_kms: float | None
    catalogue_burnout_speed_kms: float


def test_study_folder_has_tables_figures_and_sites_on_the_map(no_network, tmp_path):
    rows = (
        _Row("base-a", "aim-b", "site-c", "int-d", 4.2, 3.5),
        _Row("base-a", "aim-b", "site-e", "int-d", None, 3.5),
    )
    trajs = (make_trajectory(*MINSK, 290.0, 1_500e3, missile_id="mrbm-t"),)
    result = SimpleNamespace(
        rows=rows,
        trajectories=trajs,
        missile="mrbm-t",
        to_dataframe=lambda: pd.DataFrame([dataclasses.asdict(r) for r in rows]),
    )
    sites = [SimpleNamespace(id="site-c", name="Site C", lat_deg=54.0, lon_deg=18.0)]
    write_study_files(result, tmp_path, sites=sites)
    for name in ("study_europe_speeds.png", "study_europe_map.png"):
        assert (tmp_path / name).read_bytes()[:8] == PNG
    assert json.loads((tmp_path / "study_europe.json").read_text()) == study_summary(result)
    with open(tmp_path / "study_europe.csv", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["site"] for r in table] == ["site-c", "site-e"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SM-3 Block IIA", "sm-3-block-iia"),
        ("rs-24-yars", "rs-24-yars"),
        ("  Iskander-M from 53.9,27.6 ", "iskander-m-from-53.9-27.6"),
        ("a_b", "a_b"),
        ("", "x"),
        ("!!", "x"),
        (7, "7"),
    ],
)
def test_slug_keeps_ids_readable(text, expected):
    assert slug(text) == expected
