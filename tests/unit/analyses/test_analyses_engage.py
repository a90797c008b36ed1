"""bmdsim.analyses.engage: catalogue names in, sensor cues, cueing assumptions and batteries out.

The threats are the made-up SRBM test fixture (tests/fixture_vehicles.py) flown between
LAT,LON points chosen so that the expected answer is obvious from the geometry alone.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bmdsim.analyses.engage import assumed_cue, batteries_for, engage, sensor_cues
from bmdsim.analyses.flights import fly
from bmdsim.analyses.resolve import resolve_defences
from bmdsim.catalogue import default_catalogue
from bmdsim.defence import engagement as E
from bmdsim.defence.radar import detection_range_m, visibility
from bmdsim.errors import InputError
from fixture_vehicles import SRBM


@pytest.fixture(scope="module")
def cat():
    return default_catalogue()


@pytest.fixture(scope="module")
def kurecik(cat):
    site = cat.site("kurecik")
    (tpy2,) = [s for s in site.systems if s.system == "an-tpy-2"]
    radar = cat.radar("an-tpy-2")
    return site, tpy2, radar


# Kürecik's AN/TPY-2 looks east-south-east (catalogue boresight 100 deg, toward Iran) with
# a single face +-60 deg wide: it sees azimuths 40-160 deg from the site.
#   IN FRONT: from 37.0 N 43.0 E (about 480 km to the ESE, near the Turkey-Iraq-Iran corner)
#   toward 38.0 N 40.5 E (about 240 km ESE): the whole flight stays near azimuth 100 deg,
#   well inside the face, and within the radar's 1,000 km reference range.
#   BEHIND: from 38.6 N 33.0 E (about 420 km due west) toward 38.4 N 35.6 E (about 190 km
#   west): the whole flight is near azimuth 275 deg, behind the face. It is as close as
#   the first one and flies as high, so range and horizon would let an all-round radar see
#   it: only the sector hides it (checked below with the same visibility function and no
#   sector).
FRONT = ("37.0,43.0", "38.0,40.5")
BEHIND = ("38.6,33.0", "38.4,35.6")


@pytest.fixture(scope="module")
def front_track(cat):
    return E.threat_track(fly(SRBM, origin=FRONT[0], target=FRONT[1], catalogue=cat))


@pytest.fixture(scope="module")
def behind_track(cat):
    return E.threat_track(fly(SRBM, origin=BEHIND[0], target=BEHIND[1], catalogue=cat))


def _azimuths_deg(track, site):
    ground, az, _ = E.site_geometry(track, site.lat_deg, site.lon_deg, site.elevation_m or 0.0)
    return ground, np.degrees(az) % 360.0


def test_kurecik_boresight_from_catalogue(kurecik):
    _, tpy2, radar = kurecik
    assert math.degrees(tpy2.boresight_azimuth.si) == pytest.approx(100.0)
    assert math.degrees(radar.field_of_regard.azimuth_half_width.si) == pytest.approx(60.0)


def test_geometry_of_the_two_threats(kurecik, front_track, behind_track):
    site, tpy2, radar = kurecik
    bore = math.degrees(tpy2.boresight_azimuth.si)
    half = math.degrees(radar.field_of_regard.azimuth_half_width.si)
    for track, inside in ((front_track, True), (behind_track, False)):
        ground, az = _azimuths_deg(track, site)
        off = np.abs((az - bore + 180.0) % 360.0 - 180.0)
        assert (off < half - 20.0).all() if inside else (off > half + 20.0).all()
        assert ground.max() < 0.6 * radar.reference_range.si
        assert track.alt_m.max() > 50e3


def test_tpy2_sees_srbm_in_front(cat, front_track):
    (cue,) = sensor_cues(["kurecik:an-tpy-2"], front_track, cat, rcs_m2=0.01)
    assert cue.name == "kurecik:an-tpy-2"
    assert cue.site_id == "kurecik"
    assert np.asarray(cue.visible).any()
    assert cue.first_detection_s is not None and cue.firm_track_s is not None
    assert 0 <= cue.first_detection_s <= cue.firm_track_s < front_track.impact_time_s
    # SITE alone means every radar there: the same single TPY-2
    (same,) = sensor_cues(["kurecik"], front_track, cat, rcs_m2=0.01)
    assert same.name == cue.name and same.first_detection_s == cue.first_detection_s


def test_tpy2_does_not_see_srbm_behind(cat, kurecik, behind_track):
    (cue,) = sensor_cues(["kurecik:an-tpy-2"], behind_track, cat, rcs_m2=0.01)
    assert not np.asarray(cue.visible).any()
    assert cue.first_detection_s is None and cue.firm_track_s is None
    # Control: the same radar with no sector (all round) does see it, so the sector,
    # not range or the horizon, is what hides the threat.
    site, _, radar = kurecik
    all_round = visibility(
        site.lat_deg,
        site.lon_deg,
        (site.elevation_m or 0.0) + radar.antenna_height.si,
        behind_track.r_ecef_m,
        max_range_m=detection_range_m(
            radar.reference_range.si, radar.reference_rcs.si, radar.reference_rcs.si
        ),
        min_elevation_rad=radar.min_elevation.si,
        boresight_azimuth_rad=None,
        half_width_azimuth_rad=math.pi,
        max_elevation_rad=radar.field_of_regard.max_elevation.si,
    )
    assert np.asarray(all_round.visible).any()


def test_radar_range_scales_to_the_threats_own_rcs(cat, kurecik, front_track):
    """Each radar sees the threat at the threat's cross-section, its range scaled from the
    reference range and reference RCS by (sigma / sigma_ref)^(1/4) (Skolnik 2001, sec.
    1.2): the cue's visible samples are exactly those of ``visibility`` at that range;
    a smaller cross-section is seen over fewer samples; none or a bad one is refused."""
    site, tpy2, radar = kurecik
    seen = {}
    for rcs in (1.0, 0.01, 1e-6):
        (cue,) = sensor_cues(["kurecik:an-tpy-2"], front_track, cat, rcs_m2=rcs)
        expected = visibility(
            site.lat_deg,
            site.lon_deg,
            (site.elevation_m or 0.0) + radar.antenna_height.si,
            front_track.r_ecef_m,
            max_range_m=radar.reference_range.si * (rcs / radar.reference_rcs.si) ** 0.25,
            min_elevation_rad=radar.min_elevation.si,
            boresight_azimuth_rad=tpy2.boresight_azimuth.si,
            half_width_azimuth_rad=radar.field_of_regard.azimuth_half_width.si,
            max_elevation_rad=radar.field_of_regard.max_elevation.si,
        )
        np.testing.assert_array_equal(cue.visible, expected.visible)
        seen[rcs] = int(np.count_nonzero(cue.visible))
    assert seen[1.0] >= seen[0.01] > seen[1e-6]  # 1e-6 m^2: 31.6 km at 1,000 km / 0.01
    for bad in (None, 0.0, -1.0, float("nan")):
        with pytest.raises(InputError, match="cross-section"):
            sensor_cues(["kurecik:an-tpy-2"], front_track, cat, rcs_m2=bad)


def test_engage_sees_the_threat_at_its_catalogue_rcs(cat):
    """By default ``engage`` uses the missile's catalogue payload.rcs, not each radar's
    reference RCS; a vehicle without one must be given an RCS."""
    kw = dict(origin="kaliningrad", target="redzikowo", defences=["redzikowo"], min_speed=False)
    sigma = cat.missile("iskander-m").payload.rcs.si
    assert sigma != cat.radar("an-spy-1d").reference_rcs.si
    default = engage("iskander-m", **kw)
    stated = engage("iskander-m", rcs_m2=sigma, **kw)
    tiny = engage("iskander-m", rcs_m2=1e-6, **kw)  # the smallest RCS the domain allows
    radar = [c for c in default.cues if c.name == "redzikowo:an-spy-1d"]
    assert radar and radar[0].first_detection_s == next(
        c.first_detection_s for c in stated.cues if c.name == radar[0].name
    )
    later = next(c for c in tiny.cues if c.name == radar[0].name)
    assert later.first_detection_s is None or later.first_detection_s > radar[0].first_detection_s
    with pytest.raises(InputError, match="rcs"):
        engage(SRBM, **kw)


def test_assumed_cue_at_burnout(front_track):
    cue = assumed_cue(front_track, "burnout")
    t_b = front_track.burnout_time_s
    assert cue.first_detection_s == t_b and cue.firm_track_s == t_b
    assert cue.site_id == "assumed"
    vis = np.asarray(cue.visible)
    assert vis.shape == front_track.t_s.shape
    np.testing.assert_array_equal(vis, front_track.t_s >= t_b)
    assert vis[-1] and not vis[0]
    # case and spaces do not matter; seconds work too
    assert assumed_cue(front_track, " Burnout ").firm_track_s == t_b
    assert assumed_cue(front_track, "30").firm_track_s == 30.0


@pytest.mark.parametrize("when", [-5, "nan", "inf"])
def test_assumed_cue_rejects_bad_times(front_track, when):
    with pytest.raises(InputError):
        assumed_cue(front_track, when)


def test_assumed_cue_rejects_words(front_track):
    with pytest.raises(InputError):
        assumed_cue(front_track, "soon")


def test_batteries_for_site_uses_only_non_notional(cat, front_track):
    bats = batteries_for(resolve_defences(["redzikowo"], cat), front_track, min_speed=False)
    site = cat.site("redzikowo")
    real = {s.system for s in site.systems if s.system in cat.interceptors and not s.notional}
    notional = {s.system for s in site.systems if s.system in cat.interceptors and s.notional}
    assert real == {"sm-3-iia"} and notional  # the catalogue as this test assumes
    assert {b.interceptor_id for b in bats} == real
    for b in bats:
        assert b.site_id == "redzikowo"
        assert not cat.interceptor(b.interceptor_id).notional
        assert b.burnout_speed_m_s == cat.interceptor(b.interceptor_id).burnout_speed.si
        assert b.inventory == 24
        assert b.own_sensors == ("redzikowo:an-spy-1d",)
        assert b.flyout_for_speed is None  # min_speed=False


def test_engage_with_no_defences_raises_input_error():
    with pytest.raises(InputError, match="defence"):
        engage("iskander-m", origin="kaliningrad", target="redzikowo", defences=[])


@pytest.mark.slow
def test_defended_footprint_marks_points_beyond_the_threat_range_and_defends_the_site():
    import bmdsim
    from bmdsim.analyses.coverage import defended_footprint

    origin = "44.0,30.0"  # western Black Sea, ~460 km from Deveselu
    footprint = defended_footprint(
        "deveselu", threat="iskander-m", origin=origin, n_azimuths=4, radii_km=(0, 300)
    )
    place, iid, points = footprint.place, footprint.interceptor_id, footprint.points
    assert iid == "sm-3-ib"
    centre = points[[p.lat_deg for p in points].index(place.lat_deg)]
    # Independent reason: the minimum-energy Iskander to the site climbs above the SM-3's
    # 80 km floor (catalogue), and the site's own SPY-1D sees it in time.
    t = bmdsim.fly("iskander-m", origin=origin, target="deveselu")
    floor = bmdsim.catalogue().interceptor("sm-3-ib").min_intercept_altitude.si
    assert t.apogee_alt_m > floor
    assert centre.defended
    # 300 km west of Deveselu is ~760 km from the launch: beyond Iskander-M's 500 km.
    west = [p for p in points if p.lon_deg < place.lon_deg - 2.0]
    assert west and all(p.reason == "beyond-threat-range" for p in west)


def test_a_feasible_battery_never_needs_more_than_its_own_speed(cat):
    """The minimum-speed search against a non-monotonic case: an S-400 made six times
    faster (thrust scaled, same burn time) climbs through its 30 km ceiling before it
    gets anywhere, so at the search's top (12 km/s) it cannot intercept the Iskander-M it
    intercepts at its own 2 km/s. The answer must be a speed at or below its own, never
    '> 12' for a battery that can intercept."""
    eng = engage(
        "iskander-m",
        origin="asipovichy",
        target="vilnius",
        defences=["baranovichi-s-400-notional:s-400-48n6dm"],
        backend="cpu",
        catalogue=cat,
    )
    (w,) = eng.windows
    assert w.feasible
    assert w.min_burnout_speed_above_m_s is None
    assert w.min_burnout_speed_m_s is not None
    assert 500.0 <= w.min_burnout_speed_m_s <= 2_000.0
