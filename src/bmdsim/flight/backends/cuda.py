"""CUDA launcher: ``integrate.fly_one`` as a numba.cuda kernel, one thread a trajectory.

The kernel calls exactly the physics the CPU runs (the ``register_jitable`` functions of
``earth/`` and ``flight/``) with the same arguments (``state``: the rows and the
atmosphere table, which lives in global memory, copied to the device once); only
summaries come back from the device unless a time series is asked for, and large batches
stream through the device in chunks that fit its memory. Needs an NVIDIA GPU and the
``[gpu]`` extra (numba-cuda); CI runs the same kernel on a few trajectories under numba's
CUDA simulator (NUMBA_ENABLE_CUDASIM=1) and compiles it for sm_90 (``make gpu-check``).
"""

from __future__ import annotations

import math
import os

import numpy as np

from bmdsim.earth.atmosphere import US1976_TABLE
from bmdsim.flight import state as S
from bmdsim.flight.integrate import fly_one

# Some GPU images pair a numba-cuda that still calls numpy.row_stack with a NumPy that
# removed it (2.5): alias it before numba.cuda is imported.
if not hasattr(np, "row_stack"):
    np.row_stack = np.vstack

from numba import cuda, types  # noqa: E402

THREADS_PER_BLOCK = 128
DEVICE_MEMORY_FRACTION = 0.5  # of the free device memory one chunk may take

_F8_1D = types.Array(types.float64, 1, "C")
_F8_2D = types.Array(types.float64, 2, "C")
_F8_3D = types.Array(types.float64, 3, "C")
# The one signature the kernel is compiled for (here and by scripts/gpu_check.py):
# vehicles, launches, model row, atmosphere table, summary, record, record_on.
FLY_KERNEL_SIGNATURE = (_F8_2D, _F8_2D, _F8_1D, _F8_2D, _F8_2D, _F8_3D, types.boolean)


def fly_kernel(vehicles, launches, model, atmosphere, summary, record, record_on):
    """One thread a trajectory: ``integrate.fly_one`` for row ``cuda.grid(1)``."""
    i = cuda.grid(1)
    if i < launches.shape[0]:
        fly_one(i, vehicles, launches, model, atmosphere, summary, record, record_on)


def cuda_kernels():
    """(name, Python function, argument types) of every CUDA kernel of this module, for
    the sm_90 compile check (``make gpu-check``)."""
    return [("flight.fly_kernel", fly_kernel, FLY_KERNEL_SIGNATURE)]


_KERNEL = None
_DEVICE_ATMOSPHERE = (None, None)  # (CUDA context, the US-1976 table on its device)


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
        # Compiled for the one signature that scripts/gpu_check.py checks for sm_90.
        _KERNEL = cuda.jit(types.void(*FLY_KERNEL_SIGNATURE), cache=not simulated())(fly_kernel)
    return _KERNEL


def _device_atmosphere():
    """The atmosphere table on the device, copied once per CUDA context (an aim search
    launches thousands of small grids)."""
    global _DEVICE_ATMOSPHERE
    if simulated():
        return cuda.to_device(np.array(US1976_TABLE))
    context = cuda.current_context()
    cached_context, table = _DEVICE_ATMOSPHERE
    if cached_context is not context:
        table = cuda.to_device(np.array(US1976_TABLE))
        _DEVICE_ATMOSPHERE = (context, table)
    return table


def chunk_size(n: int, record_steps: int) -> int:
    """Trajectories per device chunk: what fits in a fraction of the free memory."""
    per_row = 8 * (S.L_SIZE + S.S_SIZE + record_steps * S.R_SIZE)
    if simulated():
        return max(1, min(n, 256))
    free, _ = cuda.current_context().get_memory_info()
    return max(1, min(n, int(free * DEVICE_MEMORY_FRACTION) // per_row))


def fly_batch(vehicles, launches, model, *, record_steps=0):
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
    model = np.ascontiguousarray(model, dtype=np.float64)
    n = launches.shape[0]
    summary = np.zeros((n, S.S_SIZE))
    record_on = record_steps > 0
    record = np.zeros((n, record_steps, S.R_SIZE)) if record_on else None
    if n == 0:
        return summary, record
    kernel = _kernel()
    d_vehicles = cuda.to_device(vehicles)
    d_model = cuda.to_device(model)
    d_atmosphere = _device_atmosphere()
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
            d_vehicles, d_launches, d_model, d_atmosphere, d_summary, d_record, record_on
        )
        summary[start:stop] = d_summary.copy_to_host()
        if record_on:
            record[start:stop] = d_record.copy_to_host()
    return summary, record
