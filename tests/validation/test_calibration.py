"""Calibrated catalogue models still reproduce the published ranges they were tuned to.

scripts/calibrate.py tunes one Isp per missile so that the azimuth-mean maximum range from
50 N on the rotating WGS 84 Earth with drag equals ``published_range`` (sources in
sources.yaml). If the physics changes, this test says which entries to recalibrate.
"""

import numpy as np
import pytest

import bmdsim
from bmdsim.analyses.resolve import vehicle_from_missile
from bmdsim.flight.reach import reach_vehicle

CAL = bmdsim.catalogue()
CALIBRATED = [m.id for m in CAL.entries("missile") if m.calibration is not None]


@pytest.mark.slow
@pytest.mark.parametrize("missile_id", CALIBRATED)
def test_calibrated_maximum_range_matches_published_range(missile_id):
    missile = CAL.missile(missile_id)
    fp = reach_vehicle(vehicle_from_missile(missile, CAL), launch_lat_deg=50.0, launch_lon_deg=20.0,
                       n_azimuths=36, flight_times=False)
    published = missile.published_range.si
    # 0.5 %: the calibration solves to 1e-4; the rest is the footprint search's resolution.
    assert np.mean(fp.range_m) == pytest.approx(published, rel=5e-3)


def test_every_missile_has_a_calibration_or_published_internals():
    for m in CAL.entries("missile"):
        assert m.calibration is not None, f"{m.id}: no calibration block"
