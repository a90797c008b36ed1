"""Test vehicles shared by the flight tests and bench/run.py.

SRBM and ICBM below are made-up test fixtures, not models of any real missile: round
numbers chosen so that the SRBM flies a few hundred km and the three-stage ICBM about
10,000 km. Real systems live in the catalogue with their sources. Imported as
``validation.vehicles`` (tests/ is on sys.path through tests/conftest.py): a module named
``conftest`` would clash with the other conftest.py files of the suite.
"""

from __future__ import annotations

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
