"""Warp divergence of the flight kernel, estimated on the CPU (docs/design.md, "Kernel
speed"): how much of a GPU warp's time its 32 lanes spend flying.

A warp runs until its longest flight ends, and the impact search of ``integrate.fly_one``
(regula falsi on the last step, re-taking the RK4 step) runs with only the impacting
lanes active, once for every loop iteration in which some lane impacts. From the bench's
batches (bench/run.py ``_rows``: random azimuth, kick +-0.03 rad about maximum range),
flown on the CPU kernel, this prints per vehicle: RK4 steps a flight, the longest flight
of each warp of 32 consecutive rows, the distinct impact steps a warp, the RK4 re-steps
of the impact search (counted by running ``fly_one`` as plain Python on 40 flights), and

    lane efficiency = mean steps / (longest in warp + re-steps x distinct impact steps),

as launched and with the rows sorted by kick. Run: PYTHONPATH=src python bench/divergence.py
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WARP = 32


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._load_fixtures()
    return module


def impact_search_steps(vehicles, rows, model_row, n=40):
    """RK4 calls beyond one a step, per flight, for the first ``n`` rows: ``fly_one``
    run as Python (its helpers are plain functions there) with a counting ``rk4_step``."""
    from bmdsim.earth.atmosphere import US1976_TABLE
    from bmdsim.flight import integrate
    from bmdsim.flight import state as S

    real, calls = integrate.rk4_step, [0]

    def counting(*args):
        calls[0] += 1
        return real(*args)

    summary = np.zeros((n, S.S_SIZE))
    record = np.zeros((1, 1, S.R_SIZE))
    extra = []
    integrate.rk4_step = counting
    try:
        for i in range(n):
            calls[0] = 0
            integrate.fly_one(i, vehicles, rows, model_row, US1976_TABLE, summary, record, False)
            extra.append(calls[0] - summary[i, S.S_N_STEPS])
    finally:
        integrate.rk4_step = real
    return np.array(extra)


def lane_efficiency(steps, re_steps):
    warps = steps[: len(steps) // WARP * WARP].reshape(-1, WARP)
    longest = warps.max(axis=1)
    distinct = np.array([len(np.unique(w)) for w in warps])
    eff = (steps.mean() + re_steps) / (longest + re_steps * distinct).mean()
    return longest.mean(), distinct.mean(), eff


def main():
    bench = _bench()
    from bmdsim.flight import state as S
    from bmdsim.flight.backends.cpu import fly_batch
    from bmdsim.flight.batch import FlightModel
    from bmdsim.flight.vehicle import pack_vehicles

    model = FlightModel()
    rng = np.random.default_rng(20240601)
    print(f"{'':6} {'steps (min-max)':>18} {'longest/warp':>13} {'impacts/warp':>13} "
          f"{'re-steps':>9} {'efficiency':>11} {'sorted by kick':>15}")  # fmt: skip
    for vehicle in (bench.SRBM, bench.ICBM):
        rows = bench._rows(vehicle, WARP * 256, model, rng)
        table = pack_vehicles([vehicle])
        summary, _ = fly_batch(table, rows, model.row())
        steps = summary[:, S.S_N_STEPS]
        re_steps = float(impact_search_steps(table, rows, model.row()).mean())
        longest, distinct, eff = lane_efficiency(steps, re_steps)
        order = np.argsort(rows[:, S.L_KICK])
        _, _, eff_sorted = lane_efficiency(steps[order], re_steps)
        print(f"{vehicle.id:6} {steps.mean():7.1f} ({steps.min():.0f}-{steps.max():.0f})"
              f"{longest:>13.1f} {distinct:>13.1f} {re_steps:>9.1f} {eff:>11.2f} "
              f"{eff_sorted:>15.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
