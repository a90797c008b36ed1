"""Calibrated catalogue models still reproduce the published ranges they were tuned to,
with plausible values.

``scripts/calibrate.py`` solves each missile's calibrated quantity (an Isp, a propellant
load, a throw-weight) so that the azimuth-mean maximum range from 50 N 20 E on the
rotating WGS 84 Earth with drag equals ``published_range`` (sources in sources.yaml),
and solves again for both ends of the published band to set the quantity's band. This
test re-runs the check that ``scripts/calibrate.py --check`` runs: the stored value,
low and high fly the ranges recorded in the catalogue (and the value the published
range), and each lies inside what a real system of its kind can have. If the physics
changes, it says which entries to recalibrate.
"""

import numpy as np
import pytest

from bmdsim import units
from bmdsim.analyses.calibration import (
    _vehicle_at,
    mean_max_range_m,
    motor_problems,
    plausible_band,
)
from bmdsim.analyses.resolve import vehicle_field, vehicle_from_missile
from bmdsim.catalogue import default_catalogue
from bmdsim.catalogue.schema import resolve_path

CAT = default_catalogue()
FITS = [m.id for m in CAT.entries("missile") if m.calibration and m.calibration.kind == "fit"]
CAPS = [m.id for m in CAT.entries("missile") if m.calibration and m.calibration.kind == "cap"]
# The calibration solves to 0.01 %; the rest is the footprint search's resolution and the
# rounding of the stored value (Isp to 0.1 s, masses to 1 kg).
REL_TOL = 5e-3


@pytest.mark.parametrize("missile_id", FITS)
def test_calibrated_value_and_band_are_plausible(missile_id):
    missile = CAT.missile(missile_id)
    q = resolve_path(missile, missile.calibration.parameter)
    lo, hi, why = plausible_band(missile, CAT)
    for end in ("value", "low", "high"):
        x = units.to_si(getattr(q, end), q.unit)
        assert lo * (1 - 1e-9) <= x <= hi * (1 + 1e-9), f"{missile_id} {end}: {why}"
    assert motor_problems(CAT) == []


@pytest.mark.slow
@pytest.mark.parametrize("missile_id", FITS)
def test_stored_calibration_flies_the_published_range_and_its_band(missile_id):
    missile = CAT.missile(missile_id)
    cal = missile.calibration
    q = resolve_path(missile, cal.parameter)
    base = vehicle_from_missile(missile, CAT)
    name = vehicle_field(cal.parameter)
    flown_km = (
        mean_max_range_m(
            [_vehicle_at(base, name, units.to_si(x, q.unit)) for x in (q.value, q.low, q.high)]
        )
        / 1e3
    )
    recorded = [cal.range_km_at.value, cal.range_km_at.low, cal.range_km_at.high]
    np.testing.assert_allclose(flown_km, recorded, rtol=REL_TOL)
    published = missile.published_range
    assert flown_km[0] == pytest.approx(published.si / 1e3, rel=REL_TOL)
    # the band of the quantity spans the published band, except where the catalogue
    # says a plausible value cannot reach it
    short, long_ = min(flown_km[1:]), max(flown_km[1:])
    if cal.unreached is None:
        assert short == pytest.approx(published.low_si / 1e3, rel=REL_TOL)
        assert long_ == pytest.approx(published.high_si / 1e3, rel=REL_TOL)
    else:
        assert published.low_si / 1e3 * (1 - REL_TOL) <= short
        assert long_ <= published.high_si / 1e3 * (1 + REL_TOL)


@pytest.mark.slow
@pytest.mark.parametrize("missile_id", CAPS)
def test_a_range_cap_binds_on_the_airframe_at_its_weakest(missile_id):
    missile = CAT.missile(missile_id)
    base = vehicle_from_missile(missile, CAT)
    weakest = base
    for k, s in enumerate(missile.stages):
        weakest = _vehicle_at(weakest, f"stages[{k}].isp_vac_s", s.isp_vac.low_si)
    central, weak = mean_max_range_m([base, weakest]) / 1e3
    assert central == pytest.approx(missile.calibration.uncapped_km, rel=REL_TOL)
    assert weak > missile.range_cap.high_si / 1e3
