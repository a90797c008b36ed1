"""The missile-defence commands end to end: ``engage``, ``flyout`` and ``coverage``.

JSON fields are checked against the documented lists (docs/outputs.md, "Engagement JSON"
and ``flyout_summary``; the ``coverage`` summary is built in cli.py), and each number that
can be checked independently is: the reason an SM-3 cannot engage an Iskander against the
catalogue's altitude floor, the slowest burnout speed against the catalogue's, the
coverage radius against its three limits. ``--no-min-speed`` keeps the SRBM runs to about
a second; the ICBM runs (the Redzikowo question) take several seconds and are ``slow``.
"""

from __future__ import annotations

import json
import math

import pytest
from cli_helpers import block_network, cli, run_json
from test_cli_errors import assert_user_error

from bmdsim.catalogue import default_catalogue as catalogue
from bmdsim.earth.constants import SPHERE_RADIUS_M as R_SPHERE

ISKANDER = ("--threat", "iskander-m", "--from", "kaliningrad", "--to", "redzikowo")
YARS = ("--threat", "rs-24-yars", "--from", "teykovo", "--to", "washington-dc")
REDZIKOWO_SM3 = ("-d", "redzikowo:sm-3-iia", "-d", "redzikowo:sm-3-iib")

# docs/outputs.md, "Engagement JSON (stable)"
ENGAGEMENT_KEYS = {"threat", "sensors", "doctrine", "windows", "notional", "notes"}
THREAT_KEYS = {"label", "flight_time_s", "burnout_time_s", "impact_time_s", "cruise"}
SENSOR_KEYS = {"name", "site", "first_detection_s", "firm_track_s"}
DOCTRINE_KEYS = {"decision_delay_s", "assessment_delay_s", "launch_on_remote", "engage_on_remote"}
WINDOW_KEYS = {
    "site",
    "interceptor",
    "feasible",
    "reason",
    "reason_text",
    "earliest_launch_s",
    "first_launch_s",
    "last_launch_s",
    "first_intercept_s",
    "last_intercept_s",
    "first_altitude_km",
    "last_altitude_km",
    "first_ground_range_km",
    "last_ground_range_km",
    "closing_speed_kms",
    "crossing_angle_deg",
    "shots",
    "shot_times_s",
    "min_burnout_speed_kms",
    "min_burnout_speed_above_kms",
    "min_burnout_speed_note",
}
# docs/outputs.md, flyout_summary
FLYOUT_KEYS = {
    "interceptor",
    "site",
    "azimuth_deg",
    "altitude_window_km",
    "max_flight_time_s",
    "max_ground_range_km",
    "burnout_speed_kms",
    "elevation_deg",
    "reference_elevation_deg",
    "burnout_speed_by_elevation",
    "rocket",
    "reach_km_at",
}
BURNOUT_KEYS = {"elevation_deg", "burnout_speed_kms", "burnout_time_s"}
REACH_KEYS = {"time_s", "max_ground_range_km", "max_altitude_km"}
# cli.py coverage summary
K43 = 4.0 / 3.0  # standard refraction (Skolnik 2001 ch. 8)
COVERAGE_KEYS = {"site", "interceptor", "radar", "antennas", "rings"}
RING_KEYS = {
    "target_altitude_km",
    "radius_km",
    "limited_by",
    "radar",
    "antenna_height_m",
    "radar_horizon_km",
    "radar_range_km",
    "interceptor_reach_km",
}
REASON_CODES = {
    "out-of-reach",
    "outside-altitude-window",
    "tail-chase",
    "not-tracked-in-time",
    "not-tracked-at-intercept",
}
PNG = b"\x89PNG\r\n\x1a\n"


def assert_engagement_fields(d):
    assert set(d) == ENGAGEMENT_KEYS
    assert set(d["threat"]) == THREAT_KEYS
    assert set(d["doctrine"]) == DOCTRINE_KEYS
    assert d["sensors"], "at least the default sensors"
    for s in d["sensors"]:
        assert set(s) == SENSOR_KEYS
    assert d["windows"]
    for w in d["windows"]:
        assert set(w) == WINDOW_KEYS
        if w["feasible"]:
            assert w["reason"] is None and w["reason_text"] is None
            assert w["shots"] >= 1 and len(w["shot_times_s"]) == w["shots"]
        else:
            assert w["reason"] in REASON_CODES and w["reason_text"]
            assert w["shots"] == 0 and w["shot_times_s"] == []


def window(d, interceptor):
    (w,) = [w for w in d["windows"] if w["interceptor"] == interceptor]
    return w


# --- engage ---------------------------------------------------------------------------


def test_engage_iskander_below_sm3_floor_json():
    d = run_json("engage", *ISKANDER, "-d", "redzikowo:sm-3-iia", "--no-min-speed")
    assert_engagement_fields(d)
    assert d["threat"]["label"].startswith("iskander-m")
    assert d["doctrine"]["decision_delay_s"] == 30.0
    # default sensors: the Aegis Ashore radar at the defence site and the satellite
    assert {s["name"] for s in d["sensors"]} == {"redzikowo:an-spy-1d", "early-warning-satellite"}
    (w,) = d["windows"]
    assert (w["site"], w["interceptor"]) == ("redzikowo", "sm-3-iia")
    assert w["feasible"] is False
    assert w["reason"] == "outside-altitude-window"
    assert w["min_burnout_speed_kms"] is None  # --no-min-speed
    assert w["min_burnout_speed_above_kms"] is None
    assert w["min_burnout_speed_note"] == "not computed"
    # Independent check of the reason: the threat's apogee (its own trajectory summary, the
    # same one engage --out writes as threat_summary.json) lies below the kill vehicle's
    # catalogue floor, so no point of the threat is in the SM-3's window at all.
    threat = run_json(
        "trajectory", "--missile", "iskander-m", "--from", "kaliningrad", "--to", "redzikowo"
    )
    assert threat["flight_time_s"] == pytest.approx(d["threat"]["flight_time_s"], abs=0.1)
    apogee_km = threat["apogee_km"]
    floor_km = catalogue().interceptor("sm-3-iia").min_intercept_altitude.si / 1e3
    assert floor_km == pytest.approx(80.0)
    assert 0 < apogee_km < floor_km


@pytest.mark.slow
def test_engage_redzikowo_sm3_against_yars_cued_at_burnout():
    """Wilkening (2012), Butt & Postol (2011): from Redzikowo neither SM-3 IIA nor IIB can
    catch an ICBM from central Russia to the US when the track starts at burnout; the
    slowest burnout speed that would is above each interceptor's catalogue speed."""
    d = run_json("engage", *YARS, *REDZIKOWO_SM3, "--cue-at", "burnout")
    assert_engagement_fields(d)
    assumed = [s for s in d["sensors"] if s["site"] == "assumed"]
    assert len(assumed) == 1
    assert assumed[0]["firm_track_s"] == pytest.approx(d["threat"]["burnout_time_s"], abs=0.1)
    cat = catalogue()
    for iid in ("sm-3-iia", "sm-3-iib"):
        w = window(d, iid)
        assert w["feasible"] is False, w
        assert w["min_burnout_speed_kms"] is not None, w
        catalogue_kms = cat.interceptor(iid).burnout_speed.si / 1e3
        assert w["min_burnout_speed_kms"] > catalogue_kms, (iid, w["min_burnout_speed_kms"])


@pytest.mark.slow
def test_engage_yars_redzikowo_and_deveselu_iia_speed_needed_or_bound():
    """Issue 17's question: both IIA batteries fail against the Teykovo-Washington Yars
    cued at burnout, each with a number or an explicit lower bound for the speed needed:
    Redzikowo a speed above its 4.5 km/s; Deveselu none up to the search's 12 km/s top,
    because the path never comes within the IIA's 1,200 km range cap (catalogue)."""
    both = ("-d", "redzikowo:sm-3-iia", "-d", "deveselu:sm-3-iia")
    d = run_json("engage", *YARS, *both, "--cue-at", "burnout")
    assert_engagement_fields(d)
    red, dev = d["windows"]
    assert dev["site"] == "deveselu" and red["site"] == "redzikowo"
    assert not red["feasible"] and not dev["feasible"]
    assert red["min_burnout_speed_kms"] > 4.5 and red["min_burnout_speed_above_kms"] is None
    assert dev["min_burnout_speed_kms"] is None
    assert dev["min_burnout_speed_above_kms"] >= 12.0
    assert "1,200 km range cap" in dev["min_burnout_speed_note"]


@pytest.mark.slow
def test_engage_redzikowo_iib_feasible_with_early_cue():
    """The cueing assumption matters: a fire-control track from 60 s with no decision
    delay lets the (notional) SM-3 IIB engage the same Yars."""
    d = run_json("engage", *YARS, *REDZIKOWO_SM3, "--cue-at", "60", "--decision-delay-s", "0")
    assert_engagement_fields(d)
    assert d["doctrine"]["decision_delay_s"] == 0.0
    iib = window(d, "sm-3-iib")
    assert iib["feasible"] is True, iib
    assert iib["earliest_launch_s"] == pytest.approx(60.0, abs=0.1)
    assert iib["first_launch_s"] >= iib["earliest_launch_s"]
    assert iib["first_intercept_s"] <= iib["last_intercept_s"] <= d["threat"]["impact_time_s"]
    # in the exo-atmospheric window of the catalogue (80-1,200 km for the IIB)
    cat = catalogue().interceptor("sm-3-iib")
    for h in (iib["first_altitude_km"], iib["last_altitude_km"]):
        assert cat.min_intercept_altitude.si / 1e3 <= h <= cat.max_intercept_altitude.si / 1e3
    # feasible at the catalogue speed, so the slowest speed that works is no faster
    if iib["min_burnout_speed_kms"] is not None:
        assert iib["min_burnout_speed_kms"] <= cat.burnout_speed.si / 1e3 + 0.05


def test_engage_out_writes_files_offline(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "eng"
    result = cli("engage", *ISKANDER, "-d", "redzikowo:sm-3-iia", "--no-min-speed", "--out", out)
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "redzikowo" in result.stdout and "outside-altitude-window" in result.stdout
    for name in ("engagement_timeline.png", "battle_space.png"):
        assert (out / name).read_bytes()[:8] == PNG, name
    summary = json.loads((out / "engagement_summary.json").read_text())
    assert_engagement_fields(summary)
    assert summary["windows"][0]["reason"] == "outside-altitude-window"
    # the threat's trajectory files (stem "threat")
    for name in (
        "threat_altitude_range.png",
        "threat_speed_time.png",
        "threat_map.png",
        "threat.geojson",
        "threat.csv",
        "threat_summary.json",
        "threat.kml",
    ):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert json.loads((out / "threat_summary.json").read_text())["missile"] == "iskander-m"
    # every source the answer used, with the entries that cite it (issue 17 item 6)
    sources = json.loads((out / "sources.json").read_text())["sources"]
    cited = {c for s in sources for c in s["cited_by"]}
    for entry in (
        "missile:iskander-m",
        "site:kaliningrad",
        "site:redzikowo",
        "interceptor:sm-3-iia",
        "radar:an-spy-1d",
        "sensor:early-warning-satellite",
        "doctrine:decision-delay",
    ):
        assert entry in cited, entry
    assert (out / "sources.md").read_text().startswith("# Sources: engage iskander-m")


# --- flyout ---------------------------------------------------------------------------


def test_flyout_json_fields_and_monotone_reach():
    d = run_json("flyout", "--interceptor", "sm-3-ib")
    assert set(d) == FLYOUT_KEYS
    assert d["interceptor"] == "sm-3-ib"
    assert set(d["site"]) == {"lat", "lon"}
    cat = catalogue().interceptor("sm-3-ib")
    assert d["altitude_window_km"] == {
        "min": pytest.approx(cat.min_intercept_altitude.si / 1e3),
        "max": pytest.approx(cat.max_intercept_altitude.si / 1e3),
    }
    assert d["max_flight_time_s"] == pytest.approx(cat.max_flight_time.si)
    assert d["max_ground_range_km"] == pytest.approx(cat.max_range.si / 1e3)
    # the best flyout is the reference of the catalogue's figure (here on the rotating
    # Earth from Deveselu: within 1 %)
    assert d["burnout_speed_kms"] == pytest.approx(cat.burnout_speed.si / 1e3, rel=0.01)
    assert d["elevation_deg"] is None
    rocket = d["rocket"]
    assert rocket["launch_mass_kg"] == pytest.approx(cat.launch_mass.si)
    assert rocket["kill_vehicle_mass_kg"] == pytest.approx(cat.kill_vehicle_mass.si)
    assert [st["burn_time_s"] for st in rocket["stages"]] == [
        t.si for t in cat.stage_burn_times
    ]
    assert rocket["thrust_scale"] == 1.0 and rocket["borrows_from"] is None
    assert rocket["liftoff_thrust_to_weight"] > 5.0  # SM-3-class boosters: many g
    rows = d["reach_km_at"]
    assert 2 <= len(rows) <= 6
    for r in rows:
        assert set(r) == REACH_KEYS
    times = [r["time_s"] for r in rows]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert times[-1] == pytest.approx(d["max_flight_time_s"])
    reached = [r for r in rows if r["max_ground_range_km"] is not None]
    assert reached, rows
    # once something in the window is reached, it stays reached
    assert rows[len(rows) - len(reached) :] == reached
    ranges = [r["max_ground_range_km"] for r in reached]
    heights = [r["max_altitude_km"] for r in reached]
    assert ranges == sorted(ranges) and ranges[-1] > ranges[0]
    assert heights == sorted(heights)
    assert all(h <= d["altitude_window_km"]["max"] for h in heights)


@pytest.mark.parametrize("iid", ["sm-3-ib", "sm-3-iia", "gbi"])
def test_flyout_burnout_speed_at_every_elevation(iid):
    """Issue 17: ``flyout --elevation-deg`` at 15, 30, 45, 60, 75 and 89 deg gives burnout
    speeds within 85-105 % of the catalogue value (gravity and drag losses only), and
    the catalogue value is met within 3 % on the reference (best) flyout."""
    kms = catalogue().interceptor(iid).burnout_speed.si / 1e3
    d = run_json("flyout", "--interceptor", iid, "--elevation-deg", "15")
    assert set(d) == FLYOUT_KEYS and d["elevation_deg"] == 15.0
    rows = {r["elevation_deg"]: r for r in d["burnout_speed_by_elevation"]}
    for r in rows.values():
        assert set(r) == BURNOUT_KEYS
    assert d["burnout_speed_kms"] == rows[15.0]["burnout_speed_kms"]
    for e in (15.0, 30.0, 45.0, 60.0, 75.0, 89.0):
        assert 0.85 * kms <= rows[e]["burnout_speed_kms"] <= 1.05 * kms, (iid, e, rows[e])
        assert rows[e]["burnout_time_s"] == pytest.approx(
            catalogue().interceptor(iid).burn_time.si, abs=0.1
        )
    best = rows[d["reference_elevation_deg"]]["burnout_speed_kms"]
    assert best == pytest.approx(kms, rel=0.03)
    assert best == max(r["burnout_speed_kms"] for r in rows.values())


def test_flyout_text_leads_with_the_burnout_speed():
    result = cli("flyout", "--interceptor", "sm-3-iib", "--elevation-deg", "45")
    assert result.exit_code == 0, (result.stderr, result.exception)
    first = result.stdout.splitlines()[0]
    assert first.startswith("sm-3-iib burns out at ") and "at 45 deg" in first
    assert "borrowed from sm-3-iia" in result.stdout
    assert "burnout by launch elevation" in result.stdout


@pytest.mark.parametrize("bad", ["0", "91", "nan"])
def test_flyout_bad_elevation(bad):
    msg = assert_user_error(cli("flyout", "--interceptor", "sm-3-ib", "--elevation-deg", bad))
    assert "elevation" in msg and "90" in msg


def test_flyout_alias_out_writes_plot_offline(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "fo"
    result = cli("flyout", "--interceptor", "SM-3 Block IIA", "--out", out)
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert (out / "flyout.png").read_bytes()[:8] == PNG
    summary = json.loads((out / "flyout_summary.json").read_text())
    assert set(summary) == FLYOUT_KEYS
    assert summary["interceptor"] == "sm-3-iia"


# --- coverage -------------------------------------------------------------------------

FIGURE = {
    "radar horizon": "radar_horizon_km",
    "radar range": "radar_range_km",
    "interceptor reach": "interceptor_reach_km",
}


def assert_ring_is_min_of_limits(ring):
    assert set(ring) == RING_KEYS
    if ring["limited_by"] == "altitude window":
        assert ring["radius_km"] == 0.0
        return
    figures = [ring[k] for k in FIGURE.values()]
    # rounding to 0.1 km is monotone, so the rounded minimum is the minimum of the rounded
    assert ring["radius_km"] == min(figures), ring
    assert ring[FIGURE[ring["limited_by"]]] == ring["radius_km"], ring


def test_coverage_json_rings_are_min_of_limits():
    d = run_json("coverage", "--site", "baranovichi-s-400-notional")
    assert set(d) == COVERAGE_KEYS
    assert set(d["site"]) == {"id", "lat", "lon"}
    assert d["site"]["id"] == "baranovichi-s-400-notional"
    assert d["interceptor"] == "s-400-40n6"  # the longest-reaching system there
    # both radars of the battery are tried at every altitude and the better one kept
    assert set(d["radar"].split(", ")) == {"91n6", "96l6"}
    assert {a["radar"]: a["from"] for a in d["antennas"]} == {
        "91n6": "radar on its vehicle",
        "96l6": "mast at the site",
    }
    alts = [r["target_altitude_km"] for r in d["rings"]]
    assert alts == [0.1, 1.0, 5.0, 10.0, 20.0, 30.0]
    for ring in d["rings"]:
        assert_ring_is_min_of_limits(ring)
        assert ring["limited_by"] in {*FIGURE, "altitude window"}
    # each radar's horizon grows with target altitude; low flyers are the mast radar's
    for radar in ("91n6", "96l6"):
        horizons = [r["radar_horizon_km"] for r in d["rings"] if r["radar"] == radar]
        assert horizons == sorted(horizons), radar
    assert [r["radar"] for r in d["rings"][:2]] == ["96l6", "96l6"]
    assert d["rings"][0]["limited_by"] == "radar horizon"


def test_coverage_of_a_low_flyer_is_the_mast_radars_horizon():
    """A 50 m target is seen out to the 4/3-Earth line-of-sight horizon from the low-
    altitude radar's mast: sqrt(2 k R h_mast) + sqrt(2 k R h_target) (Skolnik 2001 ch. 8),
    about 52 km from the catalogue's 30 m 40V6M-type mast, where the 91N6 on its 8 m
    vehicle with a 0.5 deg mask saw 4.7 km."""
    d = run_json(
        "coverage", "--site", "baranovichi-s-400-notional", "--target-altitude-km", "0.05"
    )
    (ring,) = d["rings"]
    mast = {a["radar"]: a["height_m"] for a in d["antennas"]}["96l6"]
    closed = (math.sqrt(2 * K43 * R_SPHERE * mast) + math.sqrt(2 * K43 * R_SPHERE * 50.0)) / 1e3
    assert ring["limited_by"] == "radar horizon"
    assert ring["radar"] == "96l6" and ring["antenna_height_m"] == mast
    # sqrt(2kRh) drops h^2 under the root and the arc's curvature: < 1e-5 relative here,
    # plus the 0.1 km rounding of the JSON
    assert ring["radius_km"] == pytest.approx(closed, abs=0.06)
    assert 45 < ring["radius_km"] < 60


def test_coverage_out_writes_its_sources(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "cov"
    result = cli("coverage", "--site", "baranovichi-s-400-notional", "--out", out)
    assert result.exit_code == 0, (result.stderr, result.exception)
    for name in ("coverage_map.png", "coverage.geojson", "coverage_summary.json", "sources.md"):
        assert (out / name).is_file(), name
    sources = json.loads((out / "sources.json").read_text())["sources"]
    cited = {c for s in sources for c in s["cited_by"]}
    assert {"site:baranovichi-s-400-notional", "interceptor:s-400-40n6", "radar:91n6"} <= cited
    assert "armyrecognition-s400-2015" in {s["id"] for s in sources}


def test_coverage_above_window_is_zero():
    # 40 km is above the S-400 40N6's 30 km ceiling in the catalogue
    d = run_json(
        "coverage",
        "--site",
        "baranovichi-s-400-notional",
        "--target-altitude-km",
        "10",
        "--target-altitude-km",
        "40",
    )
    ten, forty = d["rings"]
    assert_ring_is_min_of_limits(ten)
    assert ten["radius_km"] > 0
    assert forty["limited_by"] == "altitude window"
    assert forty["radius_km"] == 0.0 and forty["interceptor_reach_km"] == 0.0
    assert forty["radar_horizon_km"] > 0  # the radar still sees it; the interceptor cannot


# --- bad input ------------------------------------------------------------------------

ENGAGE_SRBM = ("engage", *ISKANDER, "--no-min-speed", "--json")


def test_engage_unknown_interceptor():
    msg = assert_user_error(cli(*ENGAGE_SRBM, "-d", "redzikowo:sm-9"))
    assert "sm-9" in msg


def test_engage_site_without_interceptors():
    msg = assert_user_error(cli(*ENGAGE_SRBM, "-d", "minsk"))
    assert "minsk" in msg and "INTERCEPTOR" in msg


def test_engage_malformed_cue_at():
    msg = assert_user_error(cli(*ENGAGE_SRBM, "-d", "redzikowo:sm-3-iia", "--cue-at", "soon"))
    assert "soon" in msg and "burnout" in msg


def test_engage_unknown_sensor_site():
    msg = assert_user_error(
        cli(*ENGAGE_SRBM, "-d", "redzikowo:sm-3-iia", "-s", "kurecick:an-tpy-2")
    )
    assert "kurecick" in msg and "kurecik" in msg


def test_effectiveness_salvo_matches_closed_form():
    import json

    # One RV, a salvo of two at Pk 0.8: P(kill) = 1 - 0.2^2 = 0.96 (Wilkening 2000, eq. 1).
    result = cli("effectiveness", "--raid", "1", "--pk", "0.8", "--shots", "2", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["p_zero_leakers"] == pytest.approx(0.96)
    assert data["expected_leakers"] == pytest.approx(0.04)


def test_effectiveness_needs_a_pk():
    assert_user_error(cli("effectiveness", "--raid", "3"))
