"""The --json summaries: field names, types and rounding exactly as docs/outputs.md
documents them (a stable API: change them only with a deprecation)."""

import json

import pytest

from bmdsim.output.summary import footprint_summary, trajectory_summary


def _plain(obj):
    """Only JSON's own types, nested."""
    if isinstance(obj, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in obj.items())
    if isinstance(obj, list):
        return all(_plain(v) for v in obj)
    return obj is None or type(obj) in (str, int, float, bool)


def test_trajectory_summary_fields(short_trajectory):
    s = trajectory_summary(short_trajectory)
    assert set(s) == {
        "missile",
        "shape",
        "launch",
        "target",
        "range_km",
        "apogee_km",
        "flight_time_s",
        "burnout",
        "impact",
        "miss_km",
        "impact_speed_kms",
        "impact_angle_deg",
        "model",
        "lift",
    }
    assert set(s["burnout"]) == {"time_s", "altitude_km", "speed_kms", "flight_path_angle_deg"}
    assert set(s["launch"]) == set(s["impact"]) == set(s["target"]) == {"lat", "lon"}
    assert _plain(s)
    json.dumps(s, allow_nan=False)
    assert s["missile"] == "iskander-m" and s["shape"] == "minimum-energy"
    assert s["range_km"] == 300.0
    assert s["apogee_km"] == pytest.approx(81.0, abs=0.1)
    assert s["burnout"]["flight_path_angle_deg"] == pytest.approx(34.38, abs=0.005)  # 0.6 rad
    assert s["launch"] == {"lat": 53.9006, "lon": 27.559}
    assert s["target"] == {"lat": 53.4, "lon": 23.0}
    assert isinstance(s["miss_km"], float)
    for v in (s["range_km"], s["flight_time_s"], s["burnout"]["altitude_km"]):
        assert round(v, 1) == v


def test_trajectory_summary_without_target(antimeridian_trajectory):
    s = trajectory_summary(antimeridian_trajectory)
    assert s["target"] is None and s["miss_km"] is None
    assert -180.0 <= s["impact"]["lon"] < 180.0
    assert _plain(s)


def test_footprint_summary_fields(minsk_footprint):
    s = footprint_summary(minsk_footprint)
    assert set(s) == {
        "missile",
        "answer",
        "launch",
        "max_range_km",
        "band",
        "by_azimuth",
        "sites",
        "sites_in_reach",
        "sites_uncertain",
        "sites_out_of_reach",
        "footprint",
    }
    assert s["band"] is None and s["sites_uncertain"] == []  # no band: in or out only
    assert s["answer"].startswith("iskander-e: 1 in reach (Vilnius)")
    assert [x["verdict"] for x in s["sites"]] == ["in"] + ["out"] * 6
    assert set(s["max_range_km"]) == {"min", "max"}
    assert s["max_range_km"] == {"min": 285.0, "max": 315.0}
    assert len(s["by_azimuth"]) == minsk_footprint.azimuth_deg.size
    assert all(set(row) == {"azimuth_deg", "range_km"} for row in s["by_azimuth"])
    azs = [row["azimuth_deg"] for row in s["by_azimuth"]]
    assert azs == sorted(azs)
    assert [r["id"] for r in s["sites_in_reach"]] == ["vilnius"]
    assert all(set(r) == {"id", "range_km", "flight_time_s"} for r in s["sites_in_reach"])
    assert all(set(r) == {"id", "range_km", "max_range_km"} for r in s["sites_out_of_reach"])
    out = [r["range_km"] for r in s["sites_out_of_reach"]]
    assert out == sorted(out)
    assert s["footprint"]["type"] == "FeatureCollection"
    assert _plain(s)
    json.dumps(s, allow_nan=False)
