"""defence.guided: an interceptor flown under guidance along straight lines of sight.

The line integrator is checked against the rocket equation in closed form (no air, no
gravity along a level line), and the catalogue S-400 missile for the invariants a
specialist would check across the whole fan: no line is ever faster than the rocket
equation allows, time grows with distance, the faster of fan and line is taken, and the
catalogue's altitude window, range cap and flight-time cap hold.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bmdsim.analyses.engage import GUIDED_FINE, flyout_table_for, guided_table_for
from bmdsim.analyses.resolve import interceptor_model
from bmdsim.catalogue import default_catalogue
from bmdsim.defence.guided import GuidedFlyout, fly_lines
from bmdsim.defence.interceptor import interceptor_vehicle
from bmdsim.earth.constants import G0_M_S2
from bmdsim.flight.vehicle import Stage, Vehicle

# A one-stage rocket whose burn time is no multiple of the 0.05 s step (the integrator
# must split the step at burnout), flown where the US-1976 table has no air (above
# 1,000 km) along a level line (no gravity component along it).
M0, PROP, ISP, BURN = 1000.0, 600.0, 250.0, 7.33
ROCKET = Vehicle(
    id="test-rocket",
    stages=(Stage(M0 - 100.0, PROP, ISP, BURN, 0.5, 0.0),),
    payload_mass_kg=100.0,
    payload_separates=False,
    rv_ballistic_coefficient_kg_m2=0.0,
    cd_mach=(0.0, 10.0),
    cd=(0.3, 0.3),
)


def rocket_equation(t):
    """Speed and distance of the rocket above in vacuum and without gravity (Tsiolkovsky,
    and its integral s = ve (t - (m / mdot) ln(m0 / m)))."""
    ve = G0_M_S2 * ISP
    mdot = PROP / BURN
    tb = np.minimum(t, BURN)
    m = M0 - mdot * tb
    v = ve * np.log(M0 / m)
    s = ve * (tb - (m / mdot) * np.log(M0 / m))
    return v, s + v * (t - tb)


def test_a_level_line_in_vacuum_is_the_rocket_equation():
    lines = fly_lines(ROCKET, site_alt_m=1.2e6, max_flight_time_s=20.0, elevations_deg=(0.0, 1.0))
    v, s = rocket_equation(lines.t_s)
    np.testing.assert_allclose(lines.speed_m_s[0], v, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(lines.path_m[0], s, rtol=1e-9, atol=1e-6)
    # and the lookup inverts it: the time to a distance along the level line
    t, speed, el = lines.time_and_speed(np.array([s[100], s[300]]), np.full(2, 1.2e6))
    np.testing.assert_allclose(t, lines.t_s[[100, 300]], atol=1e-6)
    np.testing.assert_allclose(el, 0.0)


@pytest.fixture(scope="module")
def s400():
    cat = default_catalogue()
    model = interceptor_model("s-400-48n6dm", cat)
    vehicle = interceptor_vehicle(model.design, model.burnout_speed_m_s, model.burnout_speed_m_s)
    return model, vehicle


def test_no_line_is_faster_than_the_rocket_equation_allows(s400):
    """Drag and gravity only take speed: along every line of the fan (0-90 deg), the speed
    never exceeds the vacuum, gravity-free rocket-equation speed of the same rocket."""
    model, vehicle = s400
    lines = fly_lines(vehicle, max_flight_time_s=model.max_flight_time_s)
    (stage,) = vehicle.stages
    ve = G0_M_S2 * stage.isp_vac_s
    m0 = vehicle.launch_mass_kg
    burnt = np.minimum(lines.t_s, stage.burn_time_s) * stage.mass_flow_kg_s
    bound = ve * np.log(m0 / (m0 - burnt))
    assert np.all(np.nan_to_num(lines.speed_m_s, nan=0.0) <= bound[None, :] + 1e-6)
    # and the air takes a great deal at sea level: the level line keeps under 95 % of it
    assert np.nanmax(lines.speed_m_s[0]) < 0.95 * bound[-1]


def test_time_grows_with_distance_at_every_low_altitude(s400):
    model, vehicle = s400
    lines = fly_lines(vehicle, max_flight_time_s=model.max_flight_time_s)
    g = np.linspace(1e3, 60e3, 120)
    for h in (10.0, 50.0, 200.0, 1_000.0, 5_000.0):
        t, _, _ = lines.time_and_speed(g, np.full_like(g, h))
        finite = t[np.isfinite(t)]
        assert len(finite) > 10, h
        assert np.all(np.diff(finite) > 0), h
        # once out of reach, it stays out of reach
        assert np.all(np.isfinite(t[: len(finite)])), h


@pytest.fixture(scope="module")
def guided_s400(s400):
    model, _ = s400
    table = flyout_table_for(model, model.burnout_speed_m_s, 53.1326, 26.0078, 0.0, 270.0, False)
    return model, table, guided_table_for(model, model.burnout_speed_m_s, table, coarse=False)


def test_the_faster_of_fan_and_line_is_taken(guided_s400):
    _, table, guided = guided_s400
    assert isinstance(guided, GuidedFlyout)
    g, h = np.meshgrid(np.linspace(2e3, 200e3, 60), np.linspace(20.0, 25e3, 40))
    t = guided.time_to(g, h)
    t_fan = table.time_to(g, h)
    t_line = guided._line_times(g, h, True)[0]
    np.testing.assert_array_equal(t, np.minimum(t_fan, t_line))
    assert np.all(t <= t_fan)
    # a cruise missile's height: the fan never gets there 20-40 km out, the line does
    low_g = np.array([20e3, 30e3, 40e3])
    assert np.all(np.isinf(table.time_to(low_g, np.full(3, 50.0))))
    assert np.all(np.isfinite(guided.time_to(low_g, np.full(3, 50.0))))
    # the attributes the outputs read are the table's
    assert guided.rocket is table.rocket and guided.azimuth_deg == table.azimuth_deg
    # the velocity of the faster path: along the line (its elevation) where it wins
    speed, gamma = guided.velocity_at(np.array([30e3]), np.array([50.0]))
    assert 100.0 < speed[0] < 2_500.0
    assert gamma[0] == pytest.approx(math.atan2(50.0, 30e3), abs=1e-9)


def test_the_catalogue_caps_hold_on_the_line(guided_s400):
    model, table, guided = guided_s400
    # below the altitude window's floor (10 m): out of reach, but reachable unwindowed
    assert math.isinf(guided.time_to(np.array([5e3]), np.array([5.0]))[0])
    assert math.isfinite(guided.time_to_unwindowed(np.array([5e3]), np.array([5.0]))[0])
    # beyond the range cap: out of reach even where a line would get there in time
    cap = model.max_range_m
    assert math.isinf(guided.time_to(np.array([cap + 1e3]), np.array([20e3]))[0])
    # every finite time is within the catalogue's flight-time cap
    g, h = np.meshgrid(np.linspace(1e3, 300e3, 80), np.linspace(20.0, 30e3, 30))
    t = guided.time_to(g, h)
    assert np.all(t[np.isfinite(t)] <= model.max_flight_time_s + 1e-9)


def test_the_line_fan_spans_every_elevation():
    assert GUIDED_FINE[0] == 0.0 and GUIDED_FINE[-1] == 90.0
    assert np.allclose(np.diff(GUIDED_FINE), 0.5)
