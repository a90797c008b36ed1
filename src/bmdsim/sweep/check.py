"""Checking a results store against its ledger, and repairing it by quarantine.

Each part a sweep writes is entered in the store's ledger (``ledger.jsonl``: name, start,
stop, rows, bytes, SHA-256, seed, scenario hash). :func:`verify_store` compares every
file in ``parts/`` with it: a part whose size, checksum or row count differs, or that
does not read as Parquet (empty, truncated, garbage), is *damaged*; a file the ledger
does not know (a stray copy, a part-like name that covers samples twice) is *unknown*;
a ledger line whose file is gone is *lost*. With ``quarantine=True`` the damaged and
unknown files move to ``quarantine/`` and the ledger is rewritten with the good parts,
so the next run computes the missing samples again. ``bmdsim results DIR --check``
reports the same check without changing anything.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from bmdsim.sweep.store import METADATA_KEY, PART_RE, TMP_SUFFIX, _sha256

__all__ = ["StoreCheck", "verify_store"]


@dataclass
class StoreCheck:
    """What :meth:`ResultStore.verify` found: ``good`` parts (ledger entries), and the
    files it found wanting, each ``(file name, why)``: ``damaged`` (the ledger vouches
    for it but size, checksum or rows differ, or it does not read), ``unknown`` (in
    ``parts/`` but not in the ledger) and ``lost`` (in the ledger, gone from disk).
    ``quarantined``: where the damaged and unknown files went (when asked to move them)."""

    good: list[dict] = field(default_factory=list)
    damaged: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)
    adopted: int = 0
    quarantined: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.damaged or self.unknown or self.lost)

    @property
    def rows(self) -> int:
        return sum(int(e["rows"]) for e in self.good)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "parts": len(self.good),
            "rows": self.rows,
            "damaged": [{"file": f, "why": w} for f, w in self.damaged],
            "unknown": [{"file": f, "why": w} for f, w in self.unknown],
            "lost": [{"file": f, "why": w} for f, w in self.lost],
            "adopted": self.adopted,
            "quarantined": self.quarantined,
        }


def _part_info(meta) -> dict:
    try:
        info = json.loads((meta.metadata or {}).get(METADATA_KEY, b"{}"))
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def check_part(path: Path, entry: dict | None) -> str | None:
    """Why the part at ``path`` is not what ledger ``entry`` vouches for (or, without an
    entry, not a readable part holding the samples its name promises); None if it is."""
    m = PART_RE.match(path.name)
    try:
        size = path.stat().st_size
        if entry is not None:
            if size != entry.get("bytes"):
                return f"{size:,} bytes, the ledger says {entry.get('bytes')}"
            if _sha256(path) != entry.get("sha256"):
                return "its checksum differs from the ledger's"
        meta = pq.read_metadata(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    except Exception as exc:  # pyarrow: not Parquet, truncated, garbage
        return f"is not a whole Parquet file ({type(exc).__name__})"
    if entry is not None and meta.num_rows != entry.get("rows"):
        return f"{meta.num_rows:,} rows, the ledger says {entry.get('rows')}"
    if entry is None:
        if m is None:
            return "its name is not part-START-STOP.parquet"
        info = _part_info(meta)
        if (info.get("start"), info.get("stop")) != (int(m[1]), int(m[2])):
            return "its rows are not the samples its name promises"
    return None


def verify_store(store, *, quarantine: bool = False) -> StoreCheck:
    """:class:`StoreCheck` of ``store`` (a ResultStore); see the module doc."""
    check = StoreCheck()
    ledger = store.ledger()
    legacy = not store.ledger_path.exists()
    files = {
        p.name: p
        for p in store.parts_dir.iterdir()
        if not (p.name.startswith(".") and p.name.endswith(TMP_SUFFIX))
    }
    covered: list[tuple[int, int]] = []
    for name in sorted(files, key=lambda n: (PART_RE.match(n) is None, n)):
        path = files[name]
        entry = ledger.get(name)
        if not path.is_file():
            check.unknown.append((name, "not a file"))
            continue
        if entry is None and not legacy:
            check.unknown.append((name, "not in the ledger"))
            continue
        why = check_part(path, entry)
        if why is None and entry is None:  # a store from before the ledger: adopt the part
            m = PART_RE.match(name)
            a, b = int(m[1]), int(m[2])
            if any(a < d and c < b for c, d in covered):
                why = "covers samples another part holds"
            else:
                meta = pq.read_metadata(path)
                info = _part_info(meta)
                entry = {
                    "part": name,
                    "start": a,
                    "stop": b,
                    "rows": meta.num_rows,
                    "bytes": path.stat().st_size,
                    "sha256": _sha256(path),
                    "seed": info.get("seed"),
                    "scenario_hash": info.get("scenario_hash"),
                }
                check.adopted += 1
        elif why is None and any(
            int(entry["start"]) < d and c < int(entry["stop"]) for c, d in covered
        ):
            why = "covers samples another part holds"
        if why is not None:
            (check.damaged if name in ledger else check.unknown).append((name, why))
            continue
        covered.append((int(entry["start"]), int(entry["stop"])))
        check.good.append(entry)
    for name in ledger:
        if name not in files:
            check.lost.append((name, "in the ledger, missing from parts/"))
    check.good.sort(key=lambda e: (int(e["start"]), int(e["stop"])))
    if quarantine and (check.damaged or check.unknown or check.lost or check.adopted):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        for name, _ in check.damaged + check.unknown:
            store.quarantine_dir.mkdir(exist_ok=True)
            target = store.quarantine_dir / f"{name}.{stamp}"
            with contextlib.suppress(FileNotFoundError):
                os.replace(files[name], target)
                check.quarantined.append(str(target))
        store._write_ledger(check.good)
    return check
