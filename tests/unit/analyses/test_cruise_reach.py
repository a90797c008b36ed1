"""Cruise missiles and carriers by catalogue name (analyses/cruise.py): a carrier's reach
is its combat radius plus the weapon's fuel-limited range, band end by band end; a site's
flight time is the aircraft's leg plus the weapon's; the weapon ranges the cruise model
flies stay near the published ones they are calibrated to."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

import bmdsim
from bmdsim.analyses.cruise import cruise_reach, fly_cruise_missile
from bmdsim.analyses.resolve import cruise_entry, cruise_vehicle
from bmdsim.catalogue import default_catalogue
from bmdsim.errors import InputError, UnreachableTargetError
from bmdsim.flight.cruise import max_route_m

CAT = default_catalogue()
GEOD = Geod(ellps="WGS84")
FLYABLE = sorted(e.id for e in CAT.cruise_missiles.values() if e.flyable)


@pytest.fixture(scope="module")
def backfire():
    return cruise_reach("kh-22", origin="shaykovka", carrier="tu-22m3", sites="nato", n_azimuths=72)


def test_carrier_reach_is_radius_plus_weapon_range_at_each_band_end(backfire):
    r = backfire
    plane = CAT.carrier("tu-22m3")
    cr = plane.combat_radius
    assert r.radius_m == (cr.low_si, cr.si, cr.high_si)
    lo, mid, hi = r.weapon_range_m
    assert 0 < lo < mid < hi
    fp = r.footprint
    for ring, k in ((fp.band.low, 0), (fp.central, 1), (fp.band.high, 2)):
        assert np.allclose(ring.range_m, r.radius_m[k] + r.weapon_range_m[k])
        # the ring's points lie at that geodesic distance from the base
        d = GEOD.inv(
            np.full(len(ring.lat_deg), fp.launch_lon_deg),
            np.full(len(ring.lat_deg), fp.launch_lat_deg),
            ring.lon_deg,
            ring.lat_deg,
        )[2]
        assert np.allclose(d, ring.range_m, atol=1e-3)


def test_legs_add_up_to_the_site_and_its_flight_time(backfire):
    speed = CAT.carrier("tu-22m3").cruise_speed.si
    total = backfire.range_m
    site_by_id = {s.id: s for s in backfire.footprint.sites}
    checked = 0
    for leg in backfire.legs:
        site = site_by_id[leg.id]
        if site.distance_m <= total[1]:
            assert leg.aircraft_m + leg.weapon_m == pytest.approx(leg.distance_m, abs=1e-3)
            assert leg.weapon_m <= backfire.weapon_range_m[1] + 1e-6
            assert leg.aircraft_time_s == pytest.approx(leg.aircraft_m / speed)
            assert site.flight_time_s == pytest.approx(leg.total_time_s)
            checked += 1
        else:
            assert leg.weapon_time_s is None and site.flight_time_s is None
        verdict = (
            "in"
            if site.distance_m <= total[0]
            else "out"
            if site.distance_m > total[2]
            else "uncertain"
        )
        assert site.verdict == verdict, leg.id
    assert checked >= 10


def test_a_weapon_leg_time_is_its_flown_flight(backfire):
    # The Kh-22's time over its central range equals the time-to-ring minus the
    # aircraft's leg; and it averages a speed near its cruise speed (within 25 %).
    entry = CAT.cruise_missile("kh-22")
    leg = next(leg for leg in backfire.legs if leg.weapon_time_s is not None)
    mean = leg.weapon_m / leg.weapon_time_s
    assert mean == pytest.approx(entry.cruise_speed.si, rel=0.25)


@pytest.mark.parametrize("missile_id", FLYABLE)
@pytest.mark.parametrize("which", ["low", "value", "high"])
def test_flown_range_stays_near_the_published_range(missile_id, which):
    # Calibrated by Breguet at cruise; the flown profile adds the climb, a low-level
    # leg on the polar and the dive: within 20 % of the published band's end.
    entry = CAT.cruise_missile(missile_id)
    alt = entry.cruise_altitude.si if entry.launched_from == ["air"] else 0.0
    flown = max_route_m(cruise_vehicle(entry, which, launch_altitude_m=alt))
    published = {
        "low": entry.published_range.low_si,
        "value": entry.published_range.si,
        "high": entry.published_range.high_si,
    }[which]
    assert flown == pytest.approx(published, rel=0.20)


def test_no_cruise_name_is_a_ballistic_missile_name():
    for entry in CAT.cruise_missiles.values():
        for name in (entry.id, *entry.aliases):
            assert cruise_entry(name) is entry, name
    for missile in CAT.missiles.values():
        assert cruise_entry(missile.id) is None


def test_a_cruise_trajectory_reaches_its_target_through_its_waypoints():
    t = bmdsim.fly("kalibr", origin="44.6,33.5", target="50.45,30.52", via=["46.5,31.0"])
    assert t.shape == "cruise" and t.miss_m < 1.0
    a = GEOD.inv(33.5, 44.6, 31.0, 46.5)[2]
    b = GEOD.inv(31.0, 46.5, 30.52, 50.45)[2]
    assert t.range_m == pytest.approx(a + b, abs=1e3)
    # the track passes the waypoint
    d = GEOD.inv(
        np.full(len(t.lat_deg), 31.0), np.full(len(t.lat_deg), 46.5), t.lon_deg, t.lat_deg
    )[2]
    assert d.min() < 5e3
    assert t.apogee_alt_m < 200.0  # a low flyer all the way
    assert math.isfinite(t.flight_time_s) and t.flight_time_s > 0


def test_a_target_beyond_the_fuel_is_unreachable_and_kinzhal_is_not_flown():
    with pytest.raises(UnreachableTargetError, match="on its fuel"):
        fly_cruise_missile("9m728", origin="kaliningrad", target="berlin")
    with pytest.raises(InputError, match="aeroballistic"):
        fly_cruise_missile("kinzhal", origin="kaliningrad", target="berlin")
    with pytest.raises(InputError, match="cruise missiles"):
        bmdsim.fly("iskander-m", origin="kaliningrad", target="redzikowo", via=["54,18"])


def test_kinzhal_reach_is_its_published_band_at_its_mean_speed():
    r = cruise_reach(
        "kinzhal", origin="kaliningrad", carrier="tu-22m3", sites="redzikowo,berlin", n_azimuths=36
    )
    pr = CAT.cruise_missile("kinzhal").published_range
    assert r.weapon_range_m == (pr.low_si, pr.si, pr.high_si) and not r.flown
    leg = next(leg for leg in r.legs if leg.id == "redzikowo")
    mean_speed = CAT.cruise_missile("kinzhal").cruise_speed.si
    assert leg.weapon_time_s == pytest.approx(leg.weapon_m / mean_speed)


def test_a_pairing_the_catalogue_does_not_list_is_noted():
    r = cruise_reach("kalibr", origin="shaykovka", carrier="su-34", sites=None, n_azimuths=36)
    assert any("hypothetical" in n for n in r.notes)
    assert (
        bmdsim.reach(
            "kalibr", origin="shaykovka", carrier="su-34", sites=None, n_azimuths=36
        ).band.basis
        == "carrier"
    )
