"""CPU launcher: ``fly_one`` over the batch with numba ``prange`` (all cores).

Batches of fewer than ``PARALLEL_ROWS`` rows (an aim-point search for one threat flies
thousands of one-row batches) run on this thread alone (``numba.set_num_threads(1)``):
waking the other threads costs milliseconds when other processes hold the cores, more
than the flight itself (two ICBM aims with both cores busy: 4.2 s -> 1.1 s).

The kernel is compiled without numba's reference-counting runtime (``_nrt=False``): it
allocates nothing, and with the runtime every array argument handed down the call chain
(vehicle row, model row, atmosphere table) costs atomic increments and decrements in each
of the four right-hand-side calls of a step, ~20 % of the flight time on one core
(measured: SRBM 17,600 -> 22,800 flights/s, ICBM 7,200 -> 9,400)."""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

from bmdsim.earth.atmosphere import US1976_TABLE
from bmdsim.flight import state as S
from bmdsim.flight.integrate import fly_one


@njit(parallel=True, cache=True, _nrt=False)
def _fly_batch(vehicles, launches, model, atmosphere, summary, record, record_on):
    for i in prange(launches.shape[0]):
        fly_one(i, vehicles, launches, model, atmosphere, summary, record, record_on)


PARALLEL_ROWS = 8


def fly_batch(vehicles, launches, model, *, record_steps=0):
    """Fly every launch row under the model row ``model`` (``state.M_*``); returns
    (summary (N, S_SIZE), record (N, k, R_SIZE) or None)."""
    vehicles = np.ascontiguousarray(vehicles, dtype=np.float64)
    launches = np.ascontiguousarray(launches, dtype=np.float64)
    model = np.ascontiguousarray(model, dtype=np.float64)
    n = launches.shape[0]
    summary = np.zeros((n, S.S_SIZE))
    record_on = record_steps > 0
    record = np.zeros((n, record_steps, S.R_SIZE)) if record_on else np.zeros((1, 1, S.R_SIZE))
    threads = numba.get_num_threads()
    if n < PARALLEL_ROWS:
        numba.set_num_threads(1)
    try:
        _fly_batch(vehicles, launches, model, US1976_TABLE, summary, record, record_on)
    finally:
        numba.set_num_threads(threads)
    return summary, (record if record_on else None)
