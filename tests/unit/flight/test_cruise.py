"""Cruise flight (flight/cruise.py) against closed forms and across its input range.

References: Breguet's range equation at constant speed, lift-to-drag ratio and altitude
(Anderson, Aircraft Performance and Design, 1999, eq. 5.153), with the centrifugal
relief V^2/(R+h) and the ground scaling R/(R+h) of flight over a sphere, which the
model's equations of motion contain; route lengths against pyproj's WGS 84 geodesics
(Karney 2013), an implementation independent of the model's route sampling.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

from bmdsim.flight.cruise import (
    CruiseVehicle,
    breguet_fuel_fraction,
    breguet_range_m,
    fly_cruise,
    max_route_m,
)

GEOD = Geod(ellps="WGS84")


def _vehicle(v=250.0, h=5000.0, e=8.0, isp=5000.0, fuel=0.35, polar=False, **kw):
    kw.setdefault("launch_altitude_m", h)
    return CruiseVehicle(
        "test",
        cruise_speed_m_s=v,
        cruise_altitude_m=h,
        launch_mass_kg=2000.0,
        fuel_mass_kg=fuel * 2000.0,
        lift_to_drag=e,
        isp_s=isp,
        thrust_to_weight=1.5 if isp < 1000 else 0.4,
        polar=polar,
        **kw,
    )


# Speeds from a subsonic missile to Mach 4, L/D of a rocket-powered body to a glider,
# turbofan and rocket Isp, 50 m to 40 km, fuel fractions 5 % to 60 %.
CASES = [
    (180.0, 50.0, 12.0, 5000.0, 0.05),
    (250.0, 5000.0, 8.0, 5000.0, 0.35),
    (300.0, 11000.0, 15.0, 3500.0, 0.60),
    (1000.0, 22000.0, 4.0, 250.0, 0.45),
    (1200.0, 40000.0, 3.0, 290.0, 0.55),
]


@pytest.mark.parametrize(("v", "h", "e", "isp", "fuel"), CASES)
def test_constant_lift_to_drag_cruise_flies_breguets_range(v, h, e, isp, fuel):
    # Held at its speed and altitude with D = L / E, the distance flown until the fuel
    # ends is Breguet's; tolerance 1e-5 (RK4 on an exponential decay, and the event
    # interpolated inside a 0.5 s step).
    flight = fly_cruise([_vehicle(v, h, e, isp, fuel)], np.inf)[0]
    expected = breguet_range_m(v, e, isp, 1.0 / (1.0 - fuel), h)
    assert flight.fuel_out_m == pytest.approx(float(expected), rel=1e-5)
    assert np.all(np.abs(flight.alt_m[flight.t_s <= flight.fuel_out_s] - h) < 1e-3)


@pytest.mark.parametrize(("v", "h", "e", "isp", "fuel"), CASES)
def test_breguet_fuel_fraction_inverts_the_range(v, h, e, isp, fuel):
    r = breguet_range_m(v, e, isp, 1.0 / (1.0 - fuel), h)
    assert float(breguet_fuel_fraction(r, v, e, isp, h)) == pytest.approx(fuel, rel=1e-12)


@pytest.mark.parametrize(("v", "h", "e", "isp", "fuel"), CASES)
def test_invariants_of_a_flight_with_its_whole_profile(v, h, e, isp, fuel):
    # Climb from the launch (the ground; a carrier's 10 km for the supersonic rockets,
    # which cannot fly at their cruise speed in sea-level air), cruise on the drag polar,
    # dive when the fuel ends: mass never rises or falls below dry, the vehicle stays
    # above the ground until the end, lift stays within 5 g, the range is finite.
    veh = _vehicle(v, h, e, isp, fuel, polar=True, launch_altitude_m=0.0 if v < 400 else 1e4)
    f = fly_cruise([veh], np.inf)[0]
    dry = veh.launch_mass_kg - veh.fuel_mass_kg
    assert np.all(np.diff(f.mass_kg) <= 1e-9)
    assert np.all(f.mass_kg >= dry - 1e-6)
    assert np.all(f.alt_m[:-1] >= -1e-6) and abs(f.alt_m[-1]) < 1e-6
    assert np.all(np.abs(f.lift_n) <= 5.0 * 9.80665 * f.mass_kg + 1e-6)
    assert 0 < f.range_m < math.inf and math.isfinite(f.fuel_out_m)
    assert np.all(np.diff(f.s_m) >= -1e-9)


def test_a_route_is_flown_to_its_end_and_a_longer_one_takes_longer():
    veh = _vehicle(polar=True, launch_altitude_m=0.0, low_level_altitude_m=50.0, low_level_m=200e3)
    routes = np.array([150e3, 500e3, 1000e3, 2000e3])
    flights = fly_cruise([veh] * len(routes), routes)
    for r, f in zip(routes, flights, strict=True):
        assert f.reached and abs(f.range_m - r) < 1e3
        # speed held: the time is the distance at cruise speed within 10 %
        assert f.flight_time_s == pytest.approx(r / veh.cruise_speed_m_s, rel=0.10)
    assert np.all(np.diff([f.flight_time_s for f in flights]) > 0)
    low = flights[-1]
    last = low.s_m > 2000e3 - 150e3
    climbing_done = (low.s_m > 1000e3) & (low.s_m < 2000e3 - 250e3)
    assert np.all(np.abs(low.alt_m[climbing_done] - 5000.0) < 50.0)
    assert np.all(low.alt_m[last] < 200.0)


@pytest.mark.parametrize("low_m", [0.0, 100e3, 500e3, 1500e3])
def test_a_longer_low_level_leg_costs_range(low_m):
    # On the polar, the dense air of a low leg costs fuel per km: max route falls as the
    # low-level leg grows (the open literature's high-low versus low profile).
    base = _vehicle(polar=True, launch_altitude_m=0.0)
    longer = _vehicle(
        polar=True, launch_altitude_m=0.0, low_level_altitude_m=50.0, low_level_m=low_m + 200e3
    )
    shorter = (
        _vehicle(polar=True, launch_altitude_m=0.0, low_level_altitude_m=50.0, low_level_m=low_m)
        if low_m > 0
        else base
    )
    assert max_route_m(longer) < max_route_m(shorter) + 1e3


@pytest.mark.parametrize("fuel", [0.1, 0.2, 0.3, 0.4, 0.5])
def test_more_fuel_flies_farther(fuel):
    a = fly_cruise([_vehicle(fuel=fuel, polar=True)], np.inf)[0]
    b = fly_cruise([_vehicle(fuel=fuel + 0.05, polar=True)], np.inf)[0]
    assert b.range_m > a.range_m


@pytest.mark.parametrize(
    ("points"),
    [
        [(54.2267, 34.3717), (49.437, 7.6)],
        [(54.2267, 34.3717), (57.0, 22.0), (49.437, 7.6)],
        [(44.6, 33.5), (46.5, 31.0), (50.45, 30.52)],
        [(60.0, 170.0), (60.0, -170.0), (40.0, -120.0)],  # across the antimeridian
    ],
)
def test_route_length_and_positions_are_geodesics(points):
    from bmdsim.analyses.cruise import route_of
    from bmdsim.analyses.resolve import Place

    places = [Place(lat, lon) for lat, lon in points]
    route = route_of(places[0], places[-1], places[1:-1])
    total = sum(
        GEOD.inv(a[1], a[0], b[1], b[0])[2] for a, b in zip(points, points[1:], strict=False)
    )
    assert route.length_m == pytest.approx(total, abs=1e-3)
    s = np.linspace(0.0, route.length_m, 41)
    lat, lon = route.positions(s)
    # every sample lies on its leg: distance to the leg's two ends adds up to the leg
    starts = np.concatenate([[0.0], np.cumsum(route.leg_m)])
    for k, (a, b) in enumerate(zip(points, points[1:], strict=False)):
        on = (s >= starts[k]) & (s <= starts[k + 1])
        for la, lo in zip(lat[on], lon[on], strict=True):
            d1 = GEOD.inv(a[1], a[0], lo, la)[2]
            d2 = GEOD.inv(lo, la, b[1], b[0])[2]
            assert d1 + d2 == pytest.approx(route.leg_m[k], abs=1e-3)
    assert (lat[-1], lon[-1]) == pytest.approx(points[-1], abs=1e-9)


def test_a_cruise_vehicle_out_of_its_domain_is_refused():
    with pytest.raises(ValueError, match="fuel_mass_kg"):
        _vehicle(fuel=1.0)
    with pytest.raises(ValueError, match="lift_to_drag"):
        _vehicle(e=0.0)
