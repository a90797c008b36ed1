"""``--json`` output of the commands: the documented stable fields (docs/outputs.md) and
numbers checked against independent references."""

from __future__ import annotations

import math

import pytest
from cli_helpers import run_json
from pyproj import Geod

import bmdsim
from bmdsim.earth.constants import GM_EARTH_M3_S2, SPHERE_RADIUS_M

WGS84 = Geod(ellps="WGS84")

# docs/outputs.md, "`--json` summaries (stable)"
TRAJECTORY_FIELDS = {
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
BURNOUT_FIELDS = {"time_s", "altitude_km", "speed_kms", "flight_path_angle_deg"}
FOOTPRINT_FIELDS = {
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


def _geodesic_km(site_a, site_b):
    cat = bmdsim.catalogue()
    a, b = cat.site(site_a), cat.site(site_b)
    return WGS84.inv(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)[2] / 1e3


def _is_number(x):
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


# ---------------------------------------------------------------------------- trajectory


def test_trajectory_json_fields_and_range():
    d = run_json(
        "trajectory",
        "--missile",
        "iskander-m",
        "--from",
        "kaliningrad",
        "--to",
        "redzikowo",
    )
    assert set(d) == TRAJECTORY_FIELDS
    assert set(d["burnout"]) == BURNOUT_FIELDS
    assert set(d["impact"]) == set(d["launch"]) == set(d["target"]) == {"lat", "lon"}
    for key in ("range_km", "apogee_km", "flight_time_s", "miss_km"):
        assert _is_number(d[key]), key
    assert all(_is_number(v) for v in d["burnout"].values())
    assert d["missile"] == "iskander-m"
    assert d["shape"] == "minimum-energy"

    assert d["miss_km"] < 0.1
    assert d["model"] == {"earth": "wgs84", "rotation": True, "drag": True}
    assert d["lift"] is None  # ballistic
    assert 0 < d["impact_speed_kms"] < 3 and -90 < d["impact_angle_deg"] < 0
    expected = _geodesic_km("kaliningrad", "redzikowo")
    assert d["range_km"] == pytest.approx(expected, abs=1.0)
    # the target is the catalogue site
    red = bmdsim.catalogue().site("redzikowo")
    assert d["target"] == {
        "lat": pytest.approx(red.lat_deg, abs=1e-5),
        "lon": pytest.approx(red.lon_deg, abs=1e-5),
    }
    # physically sensible ordering for a ballistic flight
    b = d["burnout"]
    assert 0 < b["time_s"] < d["flight_time_s"]
    assert 0 < b["altitude_km"] < d["apogee_km"]
    assert 0 < b["flight_path_angle_deg"] < 90


@pytest.mark.slow
def test_yars_teykovo_to_washington_published_bands():
    """Minimum-energy ICBM flight of ~7,900 km. The commonly published figure for an
    ICBM flight between Russia and the United States is "about 30 minutes" (e.g. the
    Union of Concerned Scientists' explainers on missile flight times), and
    minimum-energy trajectories of 8,000-10,000 km peak at roughly 1,000-1,300 km; the
    bands below (25-40 min, 800-1,600 km) are deliberately wide."""
    d = run_json(
        "trajectory",
        "--missile",
        "rs-24-yars",
        "--from",
        "teykovo",
        "--to",
        "washington-dc",
    )
    assert set(d) == TRAJECTORY_FIELDS
    assert d["miss_km"] < 1.0
    assert d["range_km"] == pytest.approx(_geodesic_km("teykovo", "washington-dc"), abs=2.0)
    assert 25 * 60 <= d["flight_time_s"] <= 40 * 60
    assert 800 <= d["apogee_km"] <= 1600


# ---------------------------------------------------------------------------- reach


def test_reach_json_fields_and_the_declared_cap():
    d = run_json("reach", "--missile", "iskander-e", "--from", "brest", "--azimuths", "36")
    assert set(d) == FOOTPRINT_FIELDS
    assert d["missile"] == "iskander-e"
    assert set(d["max_range_km"]) == {"min", "max"}
    lo, hi = d["max_range_km"]["min"], d["max_range_km"]["max"]
    assert 0 < lo <= hi

    rows = d["by_azimuth"]
    assert len(rows) == 36
    assert all(set(r) == {"azimuth_deg", "range_km", "range_low_km", "range_high_km"} for r in rows)
    az = [r["azimuth_deg"] for r in rows]
    assert az == sorted(az) and all(0 <= a < 360 for a in az)
    assert min(r["range_km"] for r in rows) == pytest.approx(lo, abs=0.11)
    assert max(r["range_km"] for r in rows) == pytest.approx(hi, abs=0.11)

    # Iskander-E is the Iskander-M airframe under the declared 280 km cap (band 250-280):
    # every bearing is cut to the cap
    cap = bmdsim.catalogue().missile("iskander-e").range_cap
    assert (cap.low, cap.value, cap.high) == (250, 280, 280)
    assert lo == hi == 280.0
    assert d["band"]["basis"] == "cap"
    assert d["band"]["low_km"] == {"min": 250.0, "max": 250.0}
    assert all(r["range_low_km"] == 250.0 and r["range_high_km"] == 280.0 for r in rows)

    in_reach = d["sites_in_reach"]
    assert in_reach, "warsaw (~186 km from Brest) should be in reach"
    for s in in_reach:
        assert set(s) == {"id", "range_km", "flight_time_s"}
        assert s["range_km"] <= 250.0
        assert _is_number(s["flight_time_s"]) and s["flight_time_s"] > 0
    assert [s["range_km"] for s in in_reach] == sorted(s["range_km"] for s in in_reach)
    assert "warsaw" in {s["id"] for s in in_reach}
    for s in d["sites_uncertain"]:
        assert set(s) == {"id", "range_km", "range_low_km", "range_high_km", "flight_time_s"}
        assert s["range_low_km"] < s["range_km"] <= s["range_high_km"]
    for s in d["sites_out_of_reach"]:
        assert set(s) == {"id", "range_km", "max_range_km"}
        assert s["range_km"] > s["max_range_km"]
    by_verdict = {v: {s["id"] for s in d["sites"] if s["verdict"] == v} for v in
                  ("in", "uncertain", "out")}
    assert by_verdict["in"] == {s["id"] for s in in_reach}
    assert by_verdict["uncertain"] == {s["id"] for s in d["sites_uncertain"]}
    assert by_verdict["out"] == {s["id"] for s in d["sites_out_of_reach"]}

    fc = d["footprint"]
    assert fc["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds.count("footprint") == 1 and kinds.count("launch") == 1
    assert kinds.count("footprint-ring") == 2 and kinds.count("uncertain-band") == 1
    assert kinds.count("site") == len(d["sites"])
    fp = next(f for f in fc["features"] if f["properties"]["kind"] == "footprint")
    assert fp["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_iskander_e_from_kaliningrad_reaches_redzikowo_and_warsaw_is_uncertain():
    # The done-when: Warsaw is 278 km from Kaliningrad, a 280 km missile whose
    # range is known only to a band (250-280 km): uncertain; Redzikowo (221 km): in.
    d = run_json(
        "reach", "--missile", "iskander-e", "--from", "kaliningrad",
        "--sites", "redzikowo,warsaw", "--azimuths", "72",
    )
    sites = {s["id"]: s for s in d["sites"]}
    assert sites["redzikowo"]["verdict"] == "in"
    assert sites["warsaw"]["verdict"] == "uncertain"
    assert sites["warsaw"]["distance_km"] == pytest.approx(_geodesic_km("kaliningrad", "warsaw"),
                                                           abs=0.1)
    assert sites["warsaw"]["range_km"] == {"low": 250.0, "central": 280.0, "high": 280.0}
    assert sites["warsaw"]["why"] == (
        "278 km away; Iskander-E reaches 250-280 km on this bearing: within the band"
    )
    assert [s["id"] for s in d["sites_uncertain"]] == ["warsaw"]
    band = next(f for f in d["footprint"]["features"]
                if f["properties"]["kind"] == "uncertain-band")
    from shapely.geometry import Point, shape

    warsaw = bmdsim.catalogue().site("warsaw")
    assert shape(band["geometry"]).covers(Point(warsaw.lon_deg, warsaw.lat_deg))


# ---------------------------------------------------------------------------- coast


def _bmw_minimum_energy(range_m, r_m, mu):
    """Bate, Mueller & White, *Fundamentals of Astrodynamics* (1971), ch. 6 (ballistic
    missile trajectories), burnout and re-entry at the same radius r on a spherical,
    non-rotating, airless Earth, with Q = v^2 r / mu:

    free-flight range angle          Psi = range / r;
    free-flight range equation       cos(Psi/2) = (1 - Q cos^2 phi) / sqrt(1 + Q (Q - 2) cos^2 phi);
    maximum range for a given Q at   phi = (pi - Psi) / 4;
    so the minimum Q for Psi is      Q = 2 sin(Psi/2) / (1 + sin(Psi/2));
    flight time from Kepler's equation on the conic a = r / (2 - Q),
    e^2 = 1 + Q (Q - 2) cos^2 phi, symmetric about apogee.
    """
    psi = range_m / r_m
    s = math.sin(psi / 2)
    q = 2 * s / (1 + s)
    v = math.sqrt(q * mu / r_m)
    phi = (math.pi - psi) / 4
    c2 = math.cos(phi) ** 2  # the range equation holds at (Q, phi):
    assert math.isclose(math.cos(psi / 2), (1 - q * c2) / math.sqrt(1 + q * (q - 2) * c2))
    a = r_m / (2 - q)
    e = math.sqrt(1 + q * (q - 2) * math.cos(phi) ** 2)
    p = a * (1 - e * e)
    nu = math.acos((p / r_m - 1) / e)  # true anomaly of burnout/re-entry (magnitude)
    big_e = 2 * math.atan(math.sqrt((1 - e) / (1 + e)) * math.tan(nu / 2))
    mean = big_e - e * math.sin(big_e)
    tof = 2 * (math.pi - mean) * math.sqrt(a**3 / mu)
    apogee = a * (1 + e) - r_m
    return v, math.degrees(phi), tof, apogee, math.degrees(psi)


def test_coast_matches_bate_mueller_white_minimum_energy():
    v, gamma, tof, apogee, psi_deg = _bmw_minimum_energy(1_000e3, SPHERE_RADIUS_M, GM_EARTH_M3_S2)
    d = run_json(
        "coast",
        "--lat",
        "0",
        "--lon",
        "0",
        "--alt-km",
        "0",
        "--speed-kms",
        repr(v / 1e3),
        "--gamma-deg",
        repr(gamma),
        "--azimuth-deg",
        "90",
        "--earth",
        "sphere",
        "--no-rotation",
        "--no-drag",
    )
    assert set(d) == {
        "range_km",
        "flight_time_s",
        "apogee_km",
        "impact",
        "end_alt_km",
        "end_speed_kms",
        "end_flight_path_angle_deg",
    }
    assert d["end_alt_km"] == 0.0
    assert d["end_speed_kms"] == pytest.approx(v / 1e3, abs=1e-4)  # vacuum: speed returns
    assert d["end_flight_path_angle_deg"] == pytest.approx(-gamma, abs=1e-3)
    assert d["range_km"] == pytest.approx(1000.0, abs=0.1)
    assert d["flight_time_s"] == pytest.approx(tof, abs=0.5)
    assert d["apogee_km"] == pytest.approx(apogee / 1e3, abs=0.1)
    assert d["impact"]["lat"] == pytest.approx(0.0, abs=1e-4)
    assert d["impact"]["lon"] == pytest.approx(psi_deg, abs=1e-3)


@pytest.mark.parametrize("dgamma", [-3.0, 3.0])
def test_coast_minimum_energy_angle_is_a_range_maximum(dgamma):
    """At the minimum-energy speed the BMW angle gives the longest range; others fall short."""
    v, gamma, *_ = _bmw_minimum_energy(1_000e3, SPHERE_RADIUS_M, GM_EARTH_M3_S2)
    d = run_json(
        "coast",
        "--lat",
        "0",
        "--lon",
        "0",
        "--alt-km",
        "0",
        "--speed-kms",
        repr(v / 1e3),
        "--gamma-deg",
        repr(gamma + dgamma),
        "--azimuth-deg",
        "90",
        "--earth",
        "sphere",
        "--no-rotation",
        "--no-drag",
    )
    assert d["range_km"] < 1000.0 - 1.0
