"""Where numba keeps compiled kernels: a folder keyed by a hash of the physics sources.

numba keys its on-disk cache by the file of the compiled function alone, so an edited
physics function in another module (say ``earth/geodetic.py``, inlined into a flight or
defence kernel) would silently reuse stale machine code. Keying the folder by a hash of
``earth/``, ``flight/`` and ``defence/`` (sources and tables) rules that out. The folder
is in the user's cache directory (XDG_CACHE_HOME or ~/.cache) unless NUMBA_CACHE_DIR is
set. ``configure()`` runs when ``bmdsim`` is imported, before anything compiles; it
does not import numba (a second or more on a cold disk): numba reads NUMBA_CACHE_DIR
when it is first imported, so setting the variable is enough, and subprocesses (spawned
sweep workers) inherit the same folder. Only if numba is already imported is its config
set directly.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_HASHED = ("earth", "flight", "defence")


def cache_dir() -> str:
    digest = hashlib.sha256()
    for sub in _HASHED:
        for path in sorted((_ROOT / sub).rglob("*")):
            if path.suffix in (".py", ".csv"):
                digest.update(path.relative_to(_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bmdsim" / "numba"
    return str(base / digest.hexdigest()[:16])


def configure() -> None:
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    folder = cache_dir()
    os.environ["NUMBA_CACHE_DIR"] = folder
    numba = sys.modules.get("numba")
    if numba is not None:  # imported before bmdsim: its config has already read the env
        numba.config.CACHE_DIR = folder
