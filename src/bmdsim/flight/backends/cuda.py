"""CUDA launcher: ``integrate.fly_one`` as a numba.cuda kernel, one thread a trajectory.

The kernel calls exactly the physics the CPU runs (the ``register_jitable`` functions of
``earth/`` and ``flight/``); only summaries come back from the device unless a time
series is asked for, and large batches stream through the device in chunks that fit its
memory. Needs an NVIDIA GPU and the ``[gpu]`` extra (numba-cuda); CI runs the same
kernel on a few trajectories under numba's CUDA simulator (NUMBA_ENABLE_CUDASIM=1).
"""

from __future__ import annotations

import math
import os

import numpy as np

from bmdsim.flight import state as S
from bmdsim.flight.integrate import fly_one

# Some GPU images pair a numba-cuda that still calls numpy.row_stack with a NumPy that
# removed it (2.5): alias it before numba.cuda is imported.
if not hasattr(np, "row_stack"):
    np.row_stack = np.vstack

from numba import cuda  # noqa: E402

THREADS_PER_BLOCK = 128
DEVICE_MEMORY_FRACTION = 0.5  # of the free device memory one chunk may take

_KERNEL = None


def simulated() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1"


def available() -> bool:
    """True when a CUDA device (or the simulator) can run the kernel."""
    try:
        return bool(cuda.is_available())
    except Exception:  # a broken driver install reads as "no GPU"
        return False


def _kernel():
    global _KERNEL
    if _KERNEL is None:

        @cuda.jit(cache=not simulated())
        def fly_kernel(
            vehicles,
            launches,
            summary,
            record,
            record_on,
            earth_model,
            rotation,
            drag,
            dt_boost,
            dt_max,
            dt_atmosphere,
            step_factor,
            dt_min,
            t_max,
        ):
            i = cuda.grid(1)
            if i < launches.shape[0]:
                fly_one(
                    i,
                    vehicles,
                    launches,
                    summary,
                    record,
                    record_on,
                    earth_model,
                    rotation,
                    drag,
                    dt_boost,
                    dt_max,
                    dt_atmosphere,
                    step_factor,
                    dt_min,
                    t_max,
                )

        _KERNEL = fly_kernel
    return _KERNEL


def chunk_size(n: int, record_steps: int) -> int:
    """Trajectories per device chunk: what fits in a fraction of the free memory."""
    per_row = 8 * (S.L_SIZE + S.S_SIZE + record_steps * S.R_SIZE)
    if simulated():
        return max(1, min(n, 256))
    free, _ = cuda.current_context().get_memory_info()
    return max(1, min(n, int(free * DEVICE_MEMORY_FRACTION) // per_row))


def fly_batch(vehicles, launches, *, earth_model, rotation, drag, steps, record_steps=0):
    """Fly every launch row on the GPU; same contract as ``backends.cpu.fly_batch``."""
    from bmdsim.errors import InputError

    if not available():
        raise InputError(
            "backend 'cuda' needs an NVIDIA GPU with a working driver and the "
            "[gpu] extra (pip install 'bmdsim[gpu]'); use --backend cpu or auto",
            field="backend",
            value="cuda",
            allowed=["auto", "cpu"],
        )
    vehicles = np.ascontiguousarray(vehicles, dtype=np.float64)
    launches = np.ascontiguousarray(launches, dtype=np.float64)
    n = launches.shape[0]
    summary = np.zeros((n, S.S_SIZE))
    record_on = record_steps > 0
    record = np.zeros((n, record_steps, S.R_SIZE)) if record_on else None
    kernel = _kernel()
    d_vehicles = cuda.to_device(vehicles)
    d_dummy = cuda.to_device(np.zeros((1, 1, S.R_SIZE)))
    chunk = chunk_size(n, record_steps)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        m = stop - start
        d_launches = cuda.to_device(launches[start:stop])
        d_summary = cuda.device_array((m, S.S_SIZE), dtype=np.float64)
        d_record = (
            cuda.device_array((m, record_steps, S.R_SIZE), dtype=np.float64)
            if record_on
            else d_dummy
        )
        blocks = math.ceil(m / THREADS_PER_BLOCK)
        kernel[blocks, THREADS_PER_BLOCK](
            d_vehicles,
            d_launches,
            d_summary,
            d_record,
            record_on,
            int(earth_model),
            bool(rotation),
            bool(drag),
            *steps.as_tuple(),
        )
        summary[start:stop] = d_summary.copy_to_host()
        if record_on:
            record[start:stop] = d_record.copy_to_host()
    return summary, record
