"""The model row (state.M_*): one float64 array carries the physics switches and the step
control to every launcher, instead of a dozen positional kernel arguments."""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.earth.constants import OMEGA_EARTH_RAD_S
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel, fly_batch, launch_rows
from bmdsim.flight.integrate import StepControl
from bmdsim.flight.vehicle import pack_vehicles
from fixture_vehicles import SRBM, TEYKOVO


def test_the_row_layout_is_dense_and_built_from_the_model():
    fields = [getattr(S, n) for n in dir(S) if n.startswith("M_") and n != "M_SIZE"]
    assert sorted(fields) == list(range(S.M_SIZE))
    steps = StepControl(dt_boost=0.5, dt_max=10.0, dt_atmosphere=4.0, step_factor=0.1,
                        dt_min=0.01, t_max=1234.0)
    row = FlightModel(earth="sphere", rotation=False, drag=True, steps=steps).row()
    assert row.dtype == np.float64 and row.shape == (S.M_SIZE,)
    assert row[S.M_EARTH] == S.EARTH_SPHERE
    assert (row[S.M_ROTATION], row[S.M_DRAG]) == (0.0, 1.0)
    assert [row[S.M_DT_BOOST], row[S.M_DT_MAX], row[S.M_DT_ATMOSPHERE], row[S.M_STEP_FACTOR],
            row[S.M_DT_MIN], row[S.M_T_MAX]] == [0.5, 10.0, 4.0, 0.1, 0.01, 1234.0]
    assert FlightModel().row()[S.M_EARTH] == S.EARTH_WGS84
    assert FlightModel().omega_rad_s == OMEGA_EARTH_RAD_S
    assert FlightModel(rotation=False).omega_rad_s == 0.0


@pytest.mark.parametrize("backend", ["cpu", "reference"])
def test_every_launcher_reads_the_time_limit_from_the_row(backend):
    model = FlightModel(steps=StepControl(t_max=40.0))
    rows = launch_rows(0, np.radians(TEYKOVO[0]), np.radians(TEYKOVO[1]), 0.0, 1.0, 0.11,
                       np.inf, model)
    res = fly_batch(pack_vehicles([SRBM]), rows, *TEYKOVO, model, backend=backend)
    assert res.summary[0, S.S_STATUS] == S.STATUS_TIME_LIMIT
    assert res.summary[0, S.S_T_END] == pytest.approx(40.0, abs=1e-9)


def test_the_drag_switch_in_the_row_reaches_the_kernel():
    # Without air the same launch flies farther: the switch travels in M_DRAG.
    ranges = []
    for drag in (True, False):
        model = FlightModel(drag=drag)
        rows = launch_rows(0, np.radians(TEYKOVO[0]), np.radians(TEYKOVO[1]), 0.0, 1.0, 0.11,
                           np.inf, model)
        ranges.append(fly_batch(pack_vehicles([SRBM]), rows, *TEYKOVO, model).range_m[0])
    assert ranges[1] > ranges[0] * 1.05
