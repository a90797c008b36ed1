"""Reach with bands: the short and long rings, the verdicts, and a declared range cap.

References: the short ring of a calibrated missile is the footprint of the vehicle with
its calibrated quantity at the band's end, flown on its own (the same physics, so the
same numbers to rounding); a verdict follows from the distance and the rings on every
site (an invariant, checked on all the NATO sites from three launch points); a cap cuts
the airframe's footprint to a circle.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import bmdsim
from bmdsim.analyses.calibration import band_vehicles, reach_band
from bmdsim.analyses.resolve import vehicle_from_missile
from bmdsim.errors import UnreachableTargetError
from bmdsim.flight.reach import reach_vehicle

CAT = bmdsim.catalogue()


def test_short_and_long_rings_are_the_band_ends_flown_alone():
    missile = CAT.missile("iskander-m")
    fp = bmdsim.reach("iskander-m", origin="brest", sites=(), n_azimuths=24)
    assert fp.band is not None and fp.band.basis == "calibration"
    short, long_ = band_vehicles(missile, CAT)
    q = missile.stages[0].isp_vac
    assert short.stages[0].isp_vac_s == q.low and long_.stages[0].isp_vac_s == q.high
    alone = reach_vehicle(
        short, launch_lat_deg=fp.launch_lat_deg, launch_lon_deg=fp.launch_lon_deg, n_azimuths=24
    )
    np.testing.assert_allclose(fp.band.low.range_m, alone.range_m, rtol=1e-9)
    # the band reproduces the published 400-500 km (calibrated from 50 N; Brest is 52 N)
    assert np.mean(fp.band.low.range_m) == pytest.approx(400e3, rel=0.01)
    assert np.mean(fp.band.high.range_m) == pytest.approx(500e3, rel=0.01)
    assert "400-500 km" in fp.band.text and "254.8 and 276.6 s" in fp.band.text


@pytest.mark.parametrize("origin", ["kaliningrad", "brest", "asipovichy"])
def test_every_verdict_follows_from_the_distance_and_the_rings(origin):
    fp = bmdsim.reach("iskander-m", origin=origin, sites="nato", n_azimuths=36)
    assert {s.verdict for s in fp.sites} <= {"in", "uncertain", "out"}
    for s in fp.sites:
        assert s.range_low_m <= s.max_range_m <= s.range_high_m
        if s.verdict == "in":
            assert s.distance_m <= s.range_low_m and s.in_reach and s.flight_time_s > 0
        elif s.verdict == "out":  # beyond the long ring, or inside the minimum range
            assert s.distance_m > s.range_high_m or (
                not s.in_reach and s.distance_m < 0.5 * s.range_low_m
            )
        else:
            assert s.range_low_m < s.distance_m <= s.range_high_m or not s.in_reach
        assert (s.flight_time_s is not None) == s.in_reach
        assert s.in_reach == (s.distance_m <= s.max_range_m) or s.distance_m > 0.99 * s.max_range_m


def test_a_declared_cap_cuts_the_airframe_footprint_on_every_bearing():
    missile = CAT.missile("iskander-e")
    band = reach_band(missile, CAT)
    assert band["range_cap_m"] == (250e3, 280e3, 280e3)
    fp = bmdsim.reach(
        "iskander-e", origin="kaliningrad", sites=["redzikowo", "warsaw"], n_azimuths=36
    )
    assert fp.band.basis == "cap" and fp.band.cap_m == (250e3, 280e3, 280e3)
    np.testing.assert_allclose(fp.range_m, 280e3)
    np.testing.assert_allclose(fp.band.low.range_m, 250e3)
    # the airframe flies farther on every bearing (about 500 km), so no maximum-range
    # flight ends on the capped ring: no flight time there
    assert np.all(fp.band.uncapped_range_m > 450e3)
    assert np.all(np.isnan(fp.flight_time_s))
    # the capped ring lies at the cap's geodesic distance from the launch point
    from pyproj import Geod

    d = Geod(ellps="WGS84").inv(
        np.full(36, fp.launch_lon_deg),
        np.full(36, fp.launch_lat_deg),
        fp.impact_lon_deg,
        fp.impact_lat_deg,
    )[2]
    np.testing.assert_allclose(d, 280e3, rtol=1e-9)
    v = {s.id: s.verdict for s in fp.sites}
    assert v == {"redzikowo": "in", "warsaw": "uncertain"}


def test_fly_refuses_a_target_beyond_the_cap_and_flies_one_inside():
    with pytest.raises(UnreachableTargetError, match="declared range limit") as info:
        bmdsim.fly("iskander-e", origin="kaliningrad", target="riga")  # 336 km
    assert info.value.allowed == "<= 280 km"
    t = bmdsim.fly("iskander-e", origin="kaliningrad", target="warsaw")  # 278 km
    assert t.miss_m < 100 and t.range_m == pytest.approx(277.6e3, abs=0.5e3)


def test_without_a_band_every_site_is_in_or_out():
    fp = bmdsim.reach("iskander-m", origin="brest", sites="nato", n_azimuths=24, band=False)
    assert fp.band is None and fp.rings()[0][0] == "central" and len(fp.rings()) == 1
    for s in fp.sites:
        assert s.verdict == ("in" if s.in_reach else "out")
        assert s.range_low_m == s.max_range_m == s.range_high_m
    vehicle = vehicle_from_missile(CAT.missile("iskander-m"), CAT)
    fp2 = bmdsim.reach(vehicle, origin="brest", sites=(), n_azimuths=24)
    assert fp2.band is None  # a user's Vehicle object has no catalogue band
    assert not math.isnan(fp2.flight_time_s[0])


def test_the_launch_point_is_not_listed_and_a_site_too_close_is_out():
    """A site at the launch point is no target (not listed: issue 12's note, Kaliningrad
    was 'uncertain' at 0 km); one well inside the short ring that no trajectory reaches
    (here 3 km from the launcher, under any ballistic missile's minimum range) is 'out',
    and says why."""
    fp = bmdsim.reach("iskander-e", origin="kaliningrad", sites="all", n_azimuths=24)
    ids = {s.id for s in fp.sites}
    assert "kaliningrad" not in ids and "pionersky-radar" in ids
    site = CAT.site("kaliningrad")
    near = [("near", "3 km east", site.lat_deg, site.lon_deg + 0.045)]
    vehicle = vehicle_from_missile(CAT.missile("iskander-m"))
    fp = reach_vehicle(
        vehicle,
        launch_lat_deg=site.lat_deg,
        launch_lon_deg=site.lon_deg,
        sites=near,
        n_azimuths=24,
    )
    (s,) = fp.sites
    assert 2e3 < s.distance_m < 4e3
    assert not s.in_reach and s.flight_time_s is None
    assert s.verdict == "out" and "inside its minimum range" in s.why("Iskander-M")
