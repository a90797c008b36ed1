"""Toy sweep tasks: top-level (picklable) functions that process pools and Dask workers
import by name. Not real systems: made-up parameters with simple closed-form outputs."""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa

from bmdsim.sweep.sampling import UncertainParameter, sample

PARAMETERS = [
    UncertainParameter("burnout_speed", 2000.0, 2600.0),
    UncertainParameter("drag_factor", 0.8, 1.2, "triangular", value=0.9),
    UncertainParameter("radar_range", 500.0, 900.0, "normal"),
]


def toy_task(start: int, stop: int, seed: int) -> pa.Table:
    x = sample(PARAMETERS, range(start, stop), seed)
    v, k, r = x["burnout_speed"], x["drag_factor"], x["radar_range"]
    flight_range = v**2 / 9.81 / k / 1000.0  # km
    return pa.table(
        {
            "sample": np.arange(start, stop, dtype=np.int64),
            "burnout_speed": v,
            "drag_factor": k,
            "radar_range": r,
            "range_km": flight_range,
            "feasible": flight_range < r,
        }
    )


def slow_toy_task(start: int, stop: int, seed: int) -> pa.Table:
    time.sleep(0.05)
    return toy_task(start, stop, seed)
