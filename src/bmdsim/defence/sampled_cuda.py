"""CUDA launcher of the per-sample engagement rule: ``defence.sampled`` on a GPU.

One thread a sample runs the very loop bodies the CPU kernels run under ``prange``
(``sampled.window_sample``, ``sampled.firm_track_sample``, which call the scalar rule
of ``defence.rules``): same arguments, same outputs, one code path for the rule. The
inputs go to the device, the outputs come back into the caller's arrays. Needs an
NVIDIA GPU and the ``[gpu]`` extra (numba-cuda); the tests run it under numba's CUDA
simulator (NUMBA_ENABLE_CUDASIM=1) and ``make gpu-check`` compiles it for sm_90.

The kernels read no table frozen at module level (the track arrays are arguments), so
they carry no user constant data (``scripts/gpu_check.py`` checks the 64 KiB limit).
"""

from __future__ import annotations

import math
import os

import numpy as np

from bmdsim.defence.sampled import firm_track_sample, window_sample

# Some GPU images pair a numba-cuda that still calls numpy.row_stack with a NumPy that
# removed it (2.5): alias it before numba.cuda is imported (as flight.backends.cuda).
if not hasattr(np, "row_stack"):
    np.row_stack = np.vstack

from numba import cuda, types  # noqa: E402

THREADS_PER_BLOCK = 128

_F8 = {d: types.Array(types.float64, d, "C") for d in (1, 2, 3)}
_B1 = {d: types.Array(types.boolean, d, "C") for d in (1, 2, 3)}
_I8 = types.Array(types.int64, 1, "C")
_I1 = types.Array(types.int8, 1, "C")

# The one signature each kernel is compiled for (here and by scripts/gpu_check.py), in
# the argument order of ``sampled._firm_track_kernel`` and ``sampled._windows_kernel``.
FIRM_TRACK_SIGNATURE = (
    _F8[1], _I8, _B1[2], _F8[2], _F8[2], _I8, _I8, _F8[1], _F8[1], _F8[1], _F8[1],
)  # fmt: skip
WINDOWS_SIGNATURE = (
    _F8[1], _I8, _F8[2], _B1[2], _F8[3], _F8[1], _I8, _I8,  # track rows, ladder, spans
    *([_F8[1]] * 6),  # speed, altitude window, max flight time, commit, assumed cue
    _B1[3], _F8[3], _F8[3], _F8[2], _F8[2], _F8[2], _B1[1],  # radars
    _F8[1], _I8,  # assessment delay, inventory
    _B1[1], _I1, *([_F8[1]] * 5), _I8,  # outputs
)  # fmt: skip


def firm_track_kernel(
    t, row_of_sample, geom, slant, elev, span_lo, span_hi, det_range, min_elev, delay, out
):
    """One thread a sample: ``sampled.firm_track_sample`` for sample ``cuda.grid(1)``."""
    s = cuda.grid(1)
    if s < row_of_sample.shape[0]:
        firm_track_sample(
            s, t, row_of_sample, geom, slant, elev, span_lo, span_hi, det_range, min_elev,
            delay, out,
        )  # fmt: skip


def windows_kernel(
    t, row_of_sample, alt, valid, tau, rungs, span_lo, span_hi,
    speed, alt_lo, alt_hi, t_max, commit, assumed_t0,
    cue_geom, cue_slant, cue_elev, cue_range, cue_min_elev, cue_firm, cue_allowed,
    assessment, inventory,
    feasible, code, first, last, first_alt, first_launch, last_launch, shots,
):  # fmt: skip
    """One thread a sample: ``sampled.window_sample`` for sample ``cuda.grid(1)``."""
    s = cuda.grid(1)
    if s < row_of_sample.shape[0]:
        window_sample(
            s, t, row_of_sample, alt, valid, tau, rungs, span_lo, span_hi,
            speed, alt_lo, alt_hi, t_max, commit, assumed_t0,
            cue_geom, cue_slant, cue_elev, cue_range, cue_min_elev, cue_firm, cue_allowed,
            assessment, inventory,
            feasible, code, first, last, first_alt, first_launch, last_launch, shots,
        )  # fmt: skip


_KERNELS = {
    "firm_track": (firm_track_kernel, FIRM_TRACK_SIGNATURE),
    "windows": (windows_kernel, WINDOWS_SIGNATURE),
}


def cuda_kernels():
    """(name, Python function, argument types) of every CUDA kernel of this module, for
    the sm_90 compile check (``make gpu-check``)."""
    return [(f"defence.sampled.{name}", fn, sig) for name, (fn, sig) in _KERNELS.items()]


def simulated() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1"


_COMPILED: dict = {}


def _kernel(name):
    if name not in _COMPILED:
        fn, sig = _KERNELS[name]
        _COMPILED[name] = cuda.jit(types.void(*sig), cache=not simulated())(fn)
    return _COMPILED[name]


def launch(name, args, n_outputs):
    """Run kernel ``name`` on ``args`` (host arrays, in the CPU kernel's order; the last
    ``n_outputs`` are outputs, filled in place): inputs to the device, one thread a
    sample (the second argument is the sample -> track row map), outputs back (every
    kernel writes every element of its outputs)."""
    from bmdsim.errors import InputError

    try:
        ok = bool(cuda.is_available())
    except Exception:  # a broken driver install reads as "no GPU"
        ok = False
    if not ok:
        raise InputError(
            "backend 'cuda' needs an NVIDIA GPU with a working driver and the [gpu] extra "
            "(pip install 'bmdsim[gpu]'); use --backend cpu or auto",
            field="backend",
            value="cuda",
            allowed=["auto", "cpu"],
        )
    n = args[1].shape[0]
    if n == 0:
        return
    inputs = args[:-n_outputs]
    device = [cuda.to_device(np.ascontiguousarray(a)) for a in inputs]
    device += [cuda.device_array(a.shape, dtype=a.dtype) for a in args[-n_outputs:]]
    blocks = math.ceil(n / THREADS_PER_BLOCK)
    _kernel(name)[blocks, THREADS_PER_BLOCK](*device)
    for host, dev in zip(args[-n_outputs:], device[-n_outputs:], strict=True):
        host[...] = dev.copy_to_host()
