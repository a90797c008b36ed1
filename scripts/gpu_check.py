"""Compile every CUDA kernel of bmdsim for sm_90 and assemble it with ptxas: no GPU needed.

numba's CUDA simulator runs the kernels' Python on the CPU and enforces none of the
hardware's limits, so a kernel can pass every test and still fail to load on a GPU (it
did: the US-1976 table frozen into the flight kernel as 724 KB of constant data, where
a module may hold 64 KiB). This check closes that gap on a CPU-only machine:

1. numba-cuda lowers each kernel to PTX for compute capability 9.0 (``compile_ptx``);
   the device functions it calls ask numba for the current device's compute
   capability, which needs a driver, so a stand-in device answers (9, 0) meanwhile;
2. NVIDIA's PTX assembler (``ptxas -arch=sm_90 -v``, from the ``nvidia-cuda-nvcc-cu12``
   wheel; NVVM from the same wheel) assembles the PTX as the driver would;
3. per kernel it prints the registers, the stack frame (local memory), spill stores and
   loads, and the constant data: the PTX's ``.const`` declarations and the cubin's
   constant banks (user constant bank 3, kernel parameters bank 0).

It exits 1 on any compile or ptxas error, or on constant data above 64 KiB. What it
cannot tell: run time, occupancy under a real launch, numerical agreement with the CPU
(that is tests/parity, on a GPU), or a driver's own JIT limits.

Every module under src/bmdsim that defines a kernel (``cuda.jit``) must offer
``cuda_kernels()``: a list of (name, Python function, argument types); a module that
does not fails the check, so that no kernel escapes it.

Run:  make gpu-check   (or: .venv/bin/python scripts/gpu_check.py [--keep DIR])
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import types as pytypes
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
ARCH = "sm_90"
COMPUTE_CAPABILITY = (9, 0)
CONSTANT_LIMIT_BYTES = 64 * 1024  # per constant bank of a module (CUDA C Programming Guide)
_KERNEL_DEFINITION = re.compile(r"(@cuda\.jit\b|\bcuda\.jit\()")


@dataclass
class KernelReport:
    name: str
    registers: int | None = None
    stack_bytes: int | None = None
    spill_store_bytes: int | None = None
    spill_load_bytes: int | None = None
    ptx_const_bytes: int = 0
    banks: dict[int, int] = field(default_factory=dict)  # constant bank -> bytes
    errors: list[str] = field(default_factory=list)
    capped: list[tuple[int, dict]] = field(default_factory=list)  # (register cap, figures)

    @property
    def ok(self) -> bool:
        return not self.errors


@contextlib.contextmanager
def stand_in_device(cc=COMPUTE_CAPABILITY):
    """Let numba-cuda compile device functions without a driver: while inside, its
    ``get_current_device()`` answers a device of compute capability ``cc``."""
    import numba.cuda.compiler
    import numba.cuda.dispatcher

    device = pytypes.SimpleNamespace(compute_capability=tuple(cc), id=0, name=b"stand-in")
    patched = []
    for module in (numba.cuda.dispatcher, numba.cuda.compiler):
        if hasattr(module, "get_current_device"):
            patched.append((module, module.get_current_device))
            module.get_current_device = lambda: device
    try:
        yield device
    finally:
        for module, original in patched:
            module.get_current_device = original


def find_ptxas() -> str:
    """ptxas of the nvidia-cuda-nvcc-cu12 wheel (the dev extra), else one on PATH."""
    try:
        import nvidia.cuda_nvcc

        for base in nvidia.cuda_nvcc.__path__:
            candidate = Path(base) / "bin" / "ptxas"
            if candidate.exists():
                return str(candidate)
    except ImportError:
        pass
    found = shutil.which("ptxas")
    if found:
        return found
    raise SystemExit(
        "gpu-check: no ptxas found; install the dev extra (pip install -e '.[dev]'), "
        "which brings nvidia-cuda-nvcc-cu12"
    )


def ptx_const_bytes(ptx: str) -> int:
    """Bytes of constant data the PTX declares (``.const ... name[N]`` arrays and
    scalars): what ptxas puts in the module's user constant bank."""
    total = 0
    sizes = {"b8": 1, "u8": 1, "s8": 1, "b16": 2, "u16": 2, "s16": 2, "f16": 2,
             "b32": 4, "u32": 4, "s32": 4, "f32": 4, "b64": 8, "u64": 8, "s64": 8, "f64": 8}
    for match in re.finditer(
        r"^\s*(?:\.visible\s+|\.extern\s+)?\.const\s+(?:\.align\s+\d+\s+)?\.(\w+)\s+[\w$]+"
        r"((?:\[\d+\])*)",
        ptx,
        re.MULTILINE,
    ):
        count = 1
        for dim in re.findall(r"\[(\d+)\]", match.group(2)):
            count *= int(dim)
        total += sizes.get(match.group(1), 8) * count
    return total


def cubin_constant_banks(cubin: bytes) -> dict[int, int]:
    """Bytes in each constant bank of an ELF cubin: sections ``.nv.constantK[.kernel]``
    (K = 0: parameters, per kernel, the largest is kept; 3: the module's user constant
    data)."""
    if cubin[:4] != b"\x7fELF" or cubin[4] != 2:
        raise ValueError("not a 64-bit ELF cubin")
    shoff = struct.unpack_from("<Q", cubin, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", cubin, 0x3A)
    headers = [
        struct.unpack_from("<IIQQQQ", cubin, shoff + k * shentsize) for k in range(shnum)
    ]
    strtab = headers[shstrndx][4]
    banks: dict[int, int] = {}
    for name_off, _, _, _, _, size in headers:
        start = strtab + name_off
        name = cubin[start : cubin.index(b"\0", start)].decode()
        m = re.match(r"\.nv\.constant(\d+)(\.|$)", name)
        if m:
            bank = int(m.group(1))
            banks[bank] = max(banks.get(bank, 0), size)
    return banks


def parse_ptxas(text: str) -> dict:
    """Registers, stack, spills of the entry function from ``ptxas -v`` output (the
    largest over the functions listed, which the entry function dominates)."""
    out = {}
    regs = [int(x) for x in re.findall(r"Used (\d+) registers", text)]
    if regs:
        out["registers"] = max(regs)
    frames = re.findall(
        r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads", text
    )
    if frames:
        out["stack_bytes"] = max(int(f[0]) for f in frames)
        out["spill_store_bytes"] = max(int(f[1]) for f in frames)
        out["spill_load_bytes"] = max(int(f[2]) for f in frames)
    return out


def check_kernel(
    name, function, argtypes, *, arch=ARCH, ptxas=None, keep=None, register_caps=()
) -> KernelReport:
    """Compile one kernel for ``arch`` and assemble it; a report with the figures and
    every error (compile, ptxas, constant data over the limit). ``register_caps``: also
    assemble with ``--maxrregcount`` at each cap, for the registers/spills trade-off of a
    higher occupancy (``KernelReport.capped``)."""
    from numba import cuda

    report = KernelReport(name)
    cc = (int(arch[3:-1]), int(arch[-1]))
    try:
        with stand_in_device(cc):
            ptx, _ = cuda.compile_ptx(function, tuple(argtypes), cc=cc)
    except Exception as exc:  # noqa: BLE001 - every compile failure is a finding
        report.errors.append(f"numba-cuda could not compile it: {type(exc).__name__}: {exc}")
        return report
    report.ptx_const_bytes = ptx_const_bytes(ptx)
    if report.ptx_const_bytes > CONSTANT_LIMIT_BYTES:
        report.errors.append(
            f"{report.ptx_const_bytes:,} bytes of constant data (limit "
            f"{CONSTANT_LIMIT_BYTES:,}): a module-level NumPy array read by the kernel? "
            "pass it as an argument"
        )
    with tempfile.TemporaryDirectory() as tmp:
        stem = re.sub(r"[^\w.]+", "_", name)
        ptx_path = Path(keep or tmp) / f"{stem}.ptx"
        cubin_path = Path(keep or tmp) / f"{stem}.cubin"
        ptx_path.parent.mkdir(parents=True, exist_ok=True)
        ptx_path.write_text(ptx)
        proc = subprocess.run(
            [ptxas or find_ptxas(), f"-arch={arch}", "-v", str(ptx_path), "-o", str(cubin_path)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        text = proc.stdout + proc.stderr
        for key, value in parse_ptxas(text).items():
            setattr(report, key, value)
        errors = [ln.strip() for ln in text.splitlines() if "error" in ln.lower()]
        if proc.returncode != 0:
            report.errors.extend(errors or [f"ptxas exited {proc.returncode}"])
        elif cubin_path.exists():
            for cap in register_caps:
                capped = subprocess.run(
                    [ptxas or find_ptxas(), f"-arch={arch}", "-v", f"--maxrregcount={cap}",
                     str(ptx_path), "-o", os.devnull],
                    capture_output=True, text=True, timeout=600,
                )  # fmt: skip
                report.capped.append((cap, parse_ptxas(capped.stdout + capped.stderr)))
            report.banks = cubin_constant_banks(cubin_path.read_bytes())
            for bank, size in sorted(report.banks.items()):
                if size > CONSTANT_LIMIT_BYTES:
                    report.errors.append(
                        f"constant bank {bank}: {size:,} bytes (limit {CONSTANT_LIMIT_BYTES:,})"
                    )
    return report


def kernel_modules(src: Path = SRC) -> list[str]:
    """Dotted names of the modules under ``src`` whose source defines a CUDA kernel."""
    names = []
    for path in sorted((src / "bmdsim").rglob("*.py")):
        if _KERNEL_DEFINITION.search(path.read_text()):
            names.append(".".join(path.relative_to(src).with_suffix("").parts))
    return names


def discover_kernels(src: Path = SRC):
    """(name, function, argtypes) of every kernel; a module without ``cuda_kernels()``
    gives a KernelReport with the error instead."""
    found, missing = [], []
    for module_name in kernel_modules(src):
        module = importlib.import_module(module_name)
        lister = getattr(module, "cuda_kernels", None)
        if lister is None:
            report = KernelReport(module_name)
            report.errors.append(
                "defines a CUDA kernel but no cuda_kernels() listing it for this check"
            )
            missing.append(report)
            continue
        found.extend(lister())
    return found, missing


def format_table(reports) -> str:
    def cell(value):
        return "-" if value is None else f"{value:,}"

    lines = [
        f"{'kernel (' + ARCH + ')':<28} {'registers':>9} {'stack B':>8} {'spill st/ld B':>14} "
        f"{'.const B':>9} {'cmem[3] B':>9} {'cmem[0] B':>9} {'warps/SM':>8}  result",
        "-" * 113,
    ]
    for r in reports:
        spills = (
            "-"
            if r.spill_store_bytes is None
            else f"{r.spill_store_bytes:,}/{r.spill_load_bytes:,}"
        )
        lines.append(
            f"{r.name:<28} {cell(r.registers):>9} {cell(r.stack_bytes):>8} {spills:>14} "
            f"{r.ptx_const_bytes:>9,} {cell(r.banks.get(3, 0 if r.banks else None)):>9} "
            f"{cell(r.banks.get(0)):>9} {warps_per_sm(r.registers):>8}  "
            f"{'ok' if r.ok else 'FAIL'}"
        )
        for err in r.errors:
            lines.append(f"    {err}")
        for cap, fig in r.capped:
            lines.append(
                f"    --maxrregcount={cap}: {fig.get('registers', '-')} registers, stack "
                f"{fig.get('stack_bytes', '-')} B, spills {fig.get('spill_store_bytes', '-')}/"
                f"{fig.get('spill_load_bytes', '-')} B (warps/SM by registers: "
                f"{warps_per_sm(fig.get('registers'))})"
            )
    return "\n".join(lines)


def warps_per_sm(registers, *, registers_per_sm=65_536, granule=256, most=64):
    """Resident warps an SM's register file allows at ``registers`` a thread (sm_90: 64 K
    32-bit registers, allocated per warp in units of 256; at most 64 warps)."""
    if not registers:
        return "-"
    per_warp = -(-registers * 32 // granule) * granule
    return min(most, registers_per_sm // per_warp)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="keep the PTX and cubin files in DIR")
    parser.add_argument(
        "--register-caps", metavar="N,N", default="",
        help="also assemble with --maxrregcount at each N: registers, spills, warps/SM",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1":
        print("gpu-check: unset NUMBA_ENABLE_CUDASIM (the simulator compiles nothing)")
        return 1
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    ptxas = find_ptxas()
    kernels, reports = discover_kernels()
    if not kernels and not reports:
        print("gpu-check: no CUDA kernel found under src/bmdsim")
        return 1
    caps = [int(c) for c in args.register_caps.split(",") if c.strip()]
    for name, function, argtypes in kernels:
        reports.append(
            check_kernel(
                name, function, argtypes, ptxas=ptxas, keep=args.keep, register_caps=caps
            )
        )
    print(format_table(reports))
    failed = [r.name for r in reports if not r.ok]
    if failed:
        print(f"gpu-check: FAILED ({', '.join(failed)})")
        return 1
    print(f"gpu-check: {len(reports)} kernel(s) assemble for {ARCH} with "
          f"<= {CONSTANT_LIMIT_BYTES:,} bytes of constant data each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
