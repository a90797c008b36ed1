"""The shipped catalogue, validated once and kept on disk between runs.

Reading the eight shipped YAML files with ruamel.yaml's round-trip parser (pure Python,
kept for its line numbers) and validating ~200 entries takes 3-5 s on a shared 2-core
machine, which every command paid before printing anything. The validated
:class:`~bmdsim.catalogue.loader.Catalogue` is pickled in the user's cache folder
(XDG_CACHE_HOME or ~/.cache, like numba's kernels, see ``bmdsim.jit_cache``) under a key
that hashes the shipped data files, the schema and loader sources and the Python and
pydantic versions: any edit of the data or of how it is read makes a new key, so a stale
catalogue is never used. A cache that cannot be read or written is ignored (the
catalogue is then read from the YAML as before); ``BMDSIM_NO_CATALOGUE_CACHE=1`` turns it
off. The pickle is written by this user for this user, like numba's cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_CODE = ("quantity.py", "schema.py", "loader.py", "cache.py")


def _key(files: tuple[str, ...]) -> str:
    import pydantic

    digest = hashlib.sha256()
    digest.update(f"{sys.version_info[:3]} pydantic {pydantic.VERSION}".encode())
    for name in _CODE:
        digest.update(name.encode())
        digest.update((_HERE / name).read_bytes())
    data = resources.files("bmdsim.catalogue") / "data"
    for name in files:
        digest.update(name.encode())
        digest.update((data / name).read_bytes())
    return digest.hexdigest()[:20]


def cache_path(files: tuple[str, ...]) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "bmdsim" / "catalogue" / f"{_key(files)}.pickle"


def cached(files: tuple[str, ...], build: Callable[[], Any]) -> Any:
    """``build()``'s catalogue, from the disk cache when its key matches."""
    if os.environ.get("BMDSIM_NO_CATALOGUE_CACHE"):
        return build()
    try:
        path = cache_path(files)
    except OSError:
        return build()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, truncated or from another layout: rebuild below
        pass
    catalogue = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(catalogue, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a parallel reader sees the old file or the new
    except Exception:  # a read-only home, a full disk: run without the cache
        try:
            os.unlink(tmp)
        except Exception:
            pass
    return catalogue
