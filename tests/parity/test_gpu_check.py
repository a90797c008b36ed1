"""``make gpu-check`` (scripts/gpu_check.py) catches what numba's CUDA simulator cannot:
a kernel that ptxas refuses for sm_90. The failure case is the one met on an H100
(issue 11): a module-level NumPy table read by a kernel is frozen into it as constant
data, and a module may hold 64 KiB of it. No GPU needed: numba-cuda and NVIDIA's ptxas
from the CUDA wheels of the dev extra."""

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("gpu_check", ROOT / "scripts" / "gpu_check.py")
gpu_check = importlib.util.module_from_spec(_spec)
sys.modules["gpu_check"] = gpu_check  # its dataclasses look their module up
_spec.loader.exec_module(gpu_check)

pytestmark = pytest.mark.skipif(
    os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1",
    reason="the CUDA simulator compiles no PTX",
)

BIG_TABLE = np.linspace(0.0, 1.0, 12_800)  # 102,400 bytes of float64, > 64 KiB
SMALL_TABLE = np.linspace(0.0, 1.0, 64)  # 512 bytes


def _kernels():
    from numba import cuda, types

    def reads_big_global(out):
        i = cuda.grid(1)
        if i < out.shape[0]:
            out[i] = BIG_TABLE[i % 12_800]

    def reads_small_global(out):
        i = cuda.grid(1)
        if i < out.shape[0]:
            out[i] = SMALL_TABLE[i % 64]

    def reads_table_argument(table, out):
        i = cuda.grid(1)
        if i < out.shape[0]:
            out[i] = table[i % table.shape[0]]

    f8 = types.Array(types.float64, 1, "C")
    return reads_big_global, reads_small_global, reads_table_argument, f8


def test_a_large_module_level_table_fails_the_check():
    big, _, _, f8 = _kernels()
    report = gpu_check.check_kernel("reads_big_global", big, (f8,))
    assert not report.ok
    assert report.ptx_const_bytes == 102_400
    text = " ".join(report.errors)
    assert "constant data" in text
    # ptxas itself refuses it, as on the H100: "File uses too much global constant data".
    assert "too much global constant data" in text
    assert "FAIL" in gpu_check.format_table([report])


def test_the_same_table_as_an_argument_passes():
    _, small, arg, f8 = _kernels()
    report = gpu_check.check_kernel("reads_table_argument", arg, (f8, f8))
    assert report.ok, report.errors
    assert report.ptx_const_bytes == 0
    assert report.registers is not None and report.registers > 0
    assert report.spill_store_bytes == 0
    # A small global table is still frozen in (bank 3), under the limit: reported, passes.
    report = gpu_check.check_kernel("reads_small_global", small, (f8,))
    assert report.ok, report.errors
    assert report.ptx_const_bytes == 512
    assert report.banks.get(3) == 512


def test_every_kernel_module_of_the_package_is_listed_for_the_check():
    kernels, missing = gpu_check.discover_kernels()
    assert not missing, [r.errors for r in missing]
    names = [name for name, _, _ in kernels]
    assert "flight.fly_kernel" in names


def test_a_kernel_module_without_a_listing_fails(tmp_path):
    pkg = tmp_path / "bmdsim"
    pkg.mkdir()
    (pkg / "stray.py").write_text("from numba import cuda\n\n@cuda.jit\ndef k(x):\n    pass\n")
    assert gpu_check.kernel_modules(tmp_path) == ["bmdsim.stray"]


def test_warps_per_sm_follow_the_sm90_register_file():
    # CUDA occupancy calculator, sm_90: 65,536 registers an SM, allocated per warp in
    # units of 256, at most 64 warps. The flight kernel's 228 registers allow 8 warps.
    assert [gpu_check.warps_per_sm(r) for r in (228, 168, 128, 90, 64, 32)] == [
        8, 12, 16, 21, 32, 64,
    ]  # fmt: skip
    assert gpu_check.warps_per_sm(None) == "-"
