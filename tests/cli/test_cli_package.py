"""The command line's shape: small modules, and `bmdsim --help` without the heavy stacks.

Each command family is one module of bmdsim/cli/ and every file an analysis writes comes
from bmdsim/output/ (docs/design.md); these tests keep both folders readable and keep
the plotting, Dask and DuckDB stacks out of the import of the command line itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bmdsim

SRC = Path(bmdsim.__file__).parent
MAX_LINES = 700  # the project's limit for one module (issue "One house")
# Imported by a command when it runs, never by `bmdsim --help`.
HEAVY = ("matplotlib", "dask", "distributed", "duckdb", "pyarrow", "czml3", "jinja2")


def test_no_module_of_the_package_is_longer_than_the_limit():
    sizes = {
        str(p.relative_to(SRC)): len(p.read_text().splitlines()) for p in SRC.rglob("*.py")
    }
    assert len(sizes) > 50 and not {n: k for n, k in sizes.items() if k > MAX_LINES}, sizes


def test_importing_the_command_line_loads_no_heavy_stack():
    code = (
        "import sys, bmdsim.cli;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
