"""The interceptor rocket (defence/interceptor.py): built from launch mass, stages, burn
times and kill vehicle, calibrated so that its best flyout burns out at the catalogue
speed, and the invariant the open studies' use of that speed needs: at every launch
elevation from 15 to 89 deg the burnout speed differs from it only by gravity and drag
losses (85-105 %), for every catalogue interceptor at both ends of its speed band.

References: the rocket equation (Sutton & Biblarz, 7th ed., eq. 4-7) for the vacuum,
gravity-free limit; the reference backend (scipy DOP853) for the integration across a
stage burnout inside the vertical rise.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from bmdsim.analyses.resolve import interceptor_model
from bmdsim.catalogue import default_catalogue
from bmdsim.defence.interceptor import (
    FAN_ELEVATIONS_DEG,
    InterceptorDesign,
    best_flyout,
    burnout_speed,
    calibrate_propellant_fraction,
    design_summary,
    interceptor_vehicle,
    liftoff_thrust_to_weight,
    vehicle_from_design,
)
from bmdsim.earth.constants import G0_M_S2, GM_EARTH_M3_S2, SPHERE_RADIUS_M
from bmdsim.errors import InputError
from bmdsim.flight.batch import FlightModel
from fixture_vehicles import IB_CLASS, IIB_CLASS, _design

ELEVATIONS = np.arange(15.0, 90.0, 1.0)  # every launch elevation of the invariant, 15-89
CHECKED = (15.0, 30.0, 45.0, 60.0, 75.0, 89.0)


def _speeds(vehicle, elevations=ELEVATIONS):
    return burnout_speed(vehicle, elevation_deg=np.asarray(elevations, float))


def test_best_flyout_meets_the_request():
    for design, speed in ((IB_CLASS, 3_000.0), (IIB_CLASS, 5_500.0)):
        vehicle = interceptor_vehicle(design, speed, speed)
        best, elevation = best_flyout(vehicle)
        assert best == pytest.approx(speed, rel=1e-3)
        assert elevation in FAN_ELEVATIONS_DEG
        # the catalogue's masses are kept; the stages carry equal stack ratios
        assert vehicle.launch_mass_kg == pytest.approx(design.launch_mass_kg, rel=1e-12)
        assert vehicle.payload_mass_kg == design.kill_vehicle_mass_kg
        gross = [s.gross_mass_kg for s in vehicle.stages[::-1]]
        stacks = np.cumsum([vehicle.payload_mass_kg, *gross])
        ratios = stacks[1:] / stacks[:-1]
        np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
        assert [s.burn_time_s for s in vehicle.stages] == list(design.stage_burn_times_s)


def test_rocket_equation_in_vacuum():
    """Vertical flight without drag on the non-rotating sphere: the burnout speed is the
    rocket equation's sum of g0 Isp ln(m0/mf) over the stages less the gravity loss
    g t_burn (g at the surface; the rocket rises ~10 km), to 0.1 %, when the nozzle
    feels no back-pressure."""
    design = InterceptorDesign(
        id="vacuum",
        launch_mass_kg=1000.0,
        kill_vehicle_mass_kg=50.0,
        stage_burn_times_s=(2.0, 2.0),
        isp_vac_s=270.0,
        diameter_m=0.5,
        vertical_rise_s=0.0,
        cd_mach=(0.0, 10.0),
        cd=(0.3, 0.3),
    )
    vehicle = vehicle_from_design(design, 0.8)
    # no nozzle back-pressure (the kernel applies it with or without drag)
    vehicle = dataclasses.replace(
        vehicle,
        stages=tuple(dataclasses.replace(st, nozzle_exit_area_m2=0.0) for st in vehicle.stages),
    )
    ideal = 0.0
    above = design.kill_vehicle_mass_kg
    for st in reversed(vehicle.stages):
        m0 = above + st.gross_mass_kg
        ideal += G0_M_S2 * 270.0 * math.log(m0 / (m0 - st.propellant_mass_kg))
        above = m0
    g = GM_EARTH_M3_S2 / SPHERE_RADIUS_M**2
    vacuum = FlightModel(earth="sphere", rotation=False, drag=False)
    got = burnout_speed(vehicle, elevation_deg=90.0, model=vacuum)
    assert got == pytest.approx(ideal - g * 4.0, rel=1e-3)


def test_stage_burnout_inside_the_vertical_rise_matches_the_reference_integrator():
    """A 20 s rise spans the 6 s first stage: the RK4 kernel ends a step at that burnout
    (it once stepped across it and burnt the stage past its propellant: +150 m/s at this
    propellant fraction). Against DOP853 on the same model: within 1 m/s."""
    vehicle = vehicle_from_design(IB_CLASS, 0.507)
    for el in (36.0, 80.0):
        cpu = burnout_speed(vehicle, elevation_deg=el)
        ref = burnout_speed(vehicle, elevation_deg=el, backend="reference")
        assert cpu == pytest.approx(ref, abs=1.0)
    # the burnout speed is continuous in the propellant fraction
    f = np.linspace(0.500, 0.510, 11)
    s = [burnout_speed(vehicle_from_design(IB_CLASS, x), elevation_deg=36.0) for x in f]
    assert np.max(np.abs(np.diff(np.diff(s)))) < 1.0


def test_thrust_scaled_family():
    """Other speeds: the same masses and burn times, the thrust scaled: burnout speed
    grows with the scale, the lift-off thrust-to-weight with it; 12 km/s (the top of the
    minimum-speed search) is reachable; a speed whose rocket could not lift off is refused."""
    base = interceptor_vehicle(IB_CLASS, 3_000.0, 3_000.0)
    previous = 0.0
    for v in (1_500.0, 2_700.0, 3_000.0, 3_500.0, 6_000.0, 12_000.0):
        vehicle = interceptor_vehicle(IB_CLASS, v, 3_000.0)
        assert best_flyout(vehicle)[0] == pytest.approx(v, rel=1e-3)
        assert [s.propellant_mass_kg for s in vehicle.stages] == [
            s.propellant_mass_kg for s in base.stages
        ]
        tw = liftoff_thrust_to_weight(vehicle)
        assert tw > previous
        previous = tw
    # one stage of 40 s: a rocket that barely leaves the ground still burns out at about
    # 0.4 km/s (it sheds 3/4 of its mass), so slower speeds have no interceptor
    one = _design("one-stage", 900.0, 40.0, (40.0,), 0.34, rise=20.0)
    with pytest.raises(InputError, match="cannot lift off"):
        interceptor_vehicle(one, 100.0, 2_800.0)
    slow = interceptor_vehicle(one, 600.0, 2_800.0)
    assert best_flyout(slow)[0] == pytest.approx(600.0, rel=1e-3)


def test_bad_input():
    with pytest.raises(InputError):
        InterceptorDesign("x", 1000.0, 2000.0, (10.0,), 270.0, 0.3, 5.0, (0.0, 1.0), (0.3, 0.3))
    with pytest.raises(InputError):
        InterceptorDesign("x", 1000.0, 20.0, (), 270.0, 0.3, 5.0, (0.0, 1.0), (0.3, 0.3))
    with pytest.raises(InputError):
        InterceptorDesign("x", 1000.0, 20.0, (10.0,) * 5, 270.0, 0.3, 5.0, (0.0, 1.0), (0.3, 0.3))
    with pytest.raises(InputError):
        InterceptorDesign("x", 1000.0, 20.0, (-1.0,), 270.0, 0.3, 5.0, (0.0, 1.0), (0.3, 0.3))
    with pytest.raises(InputError, match="out of reach"):  # 1 t, 60 kg up, one 40 s stage
        calibrate_propellant_fraction(
            InterceptorDesign("x", 1000.0, 600.0, (40.0,), 270.0, 0.3, 5.0, (0.0, 1.0), (0.3, 0.3)),
            9_000.0,
        )
    with pytest.raises(InputError):
        interceptor_vehicle(IB_CLASS, -1.0, 3_000.0)


# --- every catalogue interceptor -------------------------------------------------------

CATALOGUE = default_catalogue()
IDS = sorted(CATALOGUE.interceptors)


@pytest.mark.parametrize("iid", IDS)
def test_every_interceptor_burns_out_at_its_speed_at_every_elevation(iid):
    """At the catalogue speed and at both ends of its band (the sweep samples them): the
    best flyout within 3 % of the speed (the convention of the catalogue figure), every
    launch elevation from 15 to 89 deg within 85-105 % (gravity and drag losses only),
    and a sane rocket: lift-off thrust-to-weight of at least 1.5, a peak boost
    acceleration under 100 g, an effective propellant fraction between 0.3 and 0.93."""
    model = interceptor_model(iid, CATALOGUE)
    q = CATALOGUE.interceptor(iid).burnout_speed
    for v in (q.low_si, q.si, q.high_si):
        vehicle = interceptor_vehicle(model.design, v, model.burnout_speed_m_s)
        best, _ = best_flyout(vehicle)
        assert best == pytest.approx(v, rel=0.03), (iid, v)
        ratio = _speeds(vehicle) / v
        assert ratio.min() >= 0.85, (iid, v, ELEVATIONS[np.argmin(ratio)], ratio.min())
        assert ratio.max() <= 1.05, (iid, v, ELEVATIONS[np.argmax(ratio)], ratio.max())
        rocket = design_summary(model.design, vehicle)
        assert rocket["liftoff_thrust_to_weight"] >= 1.5, (iid, v, rocket)
        assert rocket["peak_acceleration_g"] < 100.0, (iid, v, rocket)
        assert 0.3 <= rocket["propellant_fraction"] <= 0.93, (iid, v, rocket)
        assert rocket["launch_mass_kg"] == pytest.approx(model.design.launch_mass_kg)


@pytest.mark.parametrize("iid", IDS)
def test_every_interceptor_reaches_the_top_of_the_speed_search(iid):
    model = interceptor_model(iid, CATALOGUE)
    vehicle = interceptor_vehicle(model.design, 12_000.0, model.burnout_speed_m_s)
    assert best_flyout(vehicle)[0] == pytest.approx(12_000.0, rel=1e-3)


def test_notional_entries_say_whose_numbers_they_borrow():
    borrowed = {i.id: i.borrows_from for i in CATALOGUE.entries("interceptor") if i.borrows_from}
    assert borrowed == {"sm-3-iib": "sm-3-iia", "gbi-2-stage": "gbi"}
    for iid, parent in borrowed.items():
        a, b = CATALOGUE.interceptor(iid), CATALOGUE.interceptor(parent)
        assert a.notional and a.kill_vehicle_mass.si == b.kill_vehicle_mass.si
        assert "borrowed from" in (a.launch_mass.note or "")
        assert interceptor_model(iid, CATALOGUE).borrows_from == parent
