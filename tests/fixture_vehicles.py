"""Shared test vehicles.

SRBM and ICBM below are made-up test fixtures, not models of any real missile: round
numbers chosen so that the SRBM flies a few hundred km and the three-stage ICBM about
10,000 km. Real systems live in the catalogue with their sources.
"""

from __future__ import annotations

import pytest

from bmdsim.flight.vehicle import Stage, Vehicle

_CD_MACH = (0.0, 0.8, 1.2, 2.0, 5.0)
_CD = (0.15, 0.2, 0.35, 0.25, 0.2)

# Test fixture, not a real system: one stage, payload stays attached.
SRBM = Vehicle(
    id="srbm",
    stages=(Stage(12500, 8800, 240, 65, 1.65, 0.6),),
    payload_mass_kg=1000,
    payload_separates=False,
    rv_ballistic_coefficient_kg_m2=0,
    cd_mach=_CD_MACH,
    cd=_CD,
    vertical_rise_s=5,
)

# Test fixture, not a real system: three stages, separating RV (beta 8,000 kg/m^2).
ICBM = Vehicle(
    id="icbm",
    stages=(
        Stage(28000, 25000, 270, 60, 2.0, 1.2),
        Stage(12000, 10500, 290, 65, 1.8, 0.9),
        Stage(5000, 4300, 300, 60, 1.6, 0.7),
    ),
    payload_mass_kg=1200,
    payload_separates=True,
    rv_ballistic_coefficient_kg_m2=8000,
    cd_mach=_CD_MACH,
    cd=_CD,
    vertical_rise_s=10,
)

TEYKOVO = (56.86, 40.54)  # lat_deg, lon_deg (ICBM base area, public geography)


@pytest.fixture(scope="session")
def srbm():
    return SRBM


@pytest.fixture(scope="session")
def icbm():
    return ICBM


# Test fixtures, not real systems: interceptor designs of the SM-3 IB and IIB classes
# of open-data B3 (launch mass, stages, kill vehicle, body), with the slender Cd table.
_INTERCEPTOR_CD_MACH = (0.0, 0.8, 1.2, 2.0, 4.0, 10.0)
_INTERCEPTOR_CD = (0.30, 0.35, 0.50, 0.38, 0.28, 0.22)


def _design(id, m0, kv, burns, diameter, rise=20.0):
    from bmdsim.defence.interceptor import InterceptorDesign

    return InterceptorDesign(
        id=id,
        launch_mass_kg=m0,
        kill_vehicle_mass_kg=kv,
        stage_burn_times_s=burns,
        isp_vac_s=270.0,
        diameter_m=diameter,
        vertical_rise_s=rise,
        cd_mach=_INTERCEPTOR_CD_MACH,
        cd=_INTERCEPTOR_CD,
        name=f"{id} (test)",
    )


IB_CLASS = _design("ib-class", 1500.0, 25.0, (6.0, 30.0, 14.0), 0.343)
IIB_CLASS = _design("iib-class", 2500.0, 30.0, (6.0, 36.0, 18.0), 0.53)


def test_interceptor(speed_m_s, design=IB_CLASS):
    """The rocket of ``design`` calibrated to burn out at ``speed_m_s`` on its best flyout."""
    from bmdsim.defence.interceptor import interceptor_vehicle

    return interceptor_vehicle(design, float(speed_m_s), float(speed_m_s))


test_interceptor.__test__ = False  # a helper, not a test
