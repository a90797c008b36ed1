"""A sweep's results folder: Parquet part-files are the record, a ledger vouches for
each, DuckDB queries them.

Layout::

    DIR/
      parts/part-000000000-000001000.parquet   one per chunk [start, stop), written atomically
      ledger.jsonl                              one line per part: rows, bytes, sha256, seed
      runs.parquet                              one row per `run_sweep` call (see RUNS_SCHEMA)
      quarantine/                               parts that failed their check, kept for a look
      .lock                                     held (flock) while a sweep writes

A part is written to a temporary name in ``parts/`` (``.part-...parquet.<uuid>.tmp``),
flushed and fsync'ed, then ``os.replace``-d onto its final name and the folder fsync'ed;
then its ledger line (name, start, stop, rows, bytes, sha256, seed, scenario hash) is
appended and fsync'ed. So after ``kill -9`` at any moment a part either exists whole and
vouched for, or is unknown to the ledger, or does not exist.

Only parts the ledger vouches for are results. :meth:`ResultStore.verify` checks every
file in ``parts/`` against the ledger (size, SHA-256, row count); with
``quarantine=True`` (what `run_sweep` does, holding the lock, before it plans the work)
a damaged, empty, truncated or garbage part, and any file the ledger does not know (a
stray copy, a part-like name covering samples twice), is moved to ``quarantine/`` and
its samples are computed again. A store written before the ledger existed is adopted:
each part that reads back whole, with the rows its name promises, is entered in a new
ledger. ``bmdsim results DIR --check`` runs :meth:`verify` without changing anything.

Which seed and scenario a store holds is read from its parts (their ledger lines), not
from the runs table: a run killed before its first part leaves a ``running`` row and no
part, and locks out nothing.

Every part holds rows whose ``index_column`` (default ``"sample"``) lies in [start, stop).
``find_store(DIR)`` finds the store a user names (DIR, or DIR/store of a ``bmdsim run``
folder) without creating anything; ``open_store(DIR)`` opens it.

Queries: :meth:`ResultStore.connect` gives a DuckDB connection with two views, ``results``
and ``runs``, and nothing else: the parts are handed over as an Arrow dataset, and
DuckDB's external access is off and locked (no file reads such as ``read_text``, no
``COPY ... TO``, ``ATTACH``, extensions or scans of Python objects), with a memory
limit; :meth:`ResultStore.query` adds a row limit and a time limit. This is what
``bmdsim results --sql`` runs. ``connect(external_access=True)`` is the Python API's
full DuckDB connection, for those who ask for it explicitly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bmdsim.errors import InputError, StoreBusyError, StoreError, StoreMismatchError

try:  # POSIX; elsewhere the store is simply unlocked
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

__all__ = [
    "RUNS_SCHEMA",
    "STORE_EXPECTED",
    "ResultStore",
    "StoreBusyError",
    "StoreMismatchError",
    "bmdsim_version",
    "find_store",
    "is_store",
    "open_store",
]

PART_RE = re.compile(r"^part-(\d{9,})-(\d{9,})\.parquet$")
TMP_SUFFIX = ".tmp"
METADATA_KEY = b"bmdsim.sweep"
LEDGER = "ledger.jsonl"
QUARANTINE = "quarantine"

RUNS_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("scenario_hash", pa.string()),
        ("bmdsim_version", pa.string()),
        ("seed", pa.int64()),
        ("backend", pa.string()),
        ("executor", pa.string()),
        ("n_samples", pa.int64()),
        ("chunk_size", pa.int64()),
        ("start", pa.timestamp("us", tz="UTC")),
        ("end", pa.timestamp("us", tz="UTC")),
        ("status", pa.string()),  # running | complete | failed | interrupted
    ]
)

RUN_STATUSES = ("running", "complete", "failed", "interrupted")


def bmdsim_version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("bmdsim")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "unknown"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _atomic_write(final: Path, write) -> str:
    """Call ``write(file_object)`` on a temp file beside ``final``, fsync, rename; returns
    the SHA-256 (hex) of what was written."""
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        digest = _sha256(tmp)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(final.parent)
    return digest


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ResultStore:
    """A results folder (see module doc). Creating the object creates the folders."""

    def __init__(self, path: str | os.PathLike, *, index_column: str = "sample"):
        self.path = Path(path)
        self.index_column = index_column
        self.parts_dir = self.path / "parts"
        self.runs_path = self.path / "runs.parquet"
        self.ledger_path = self.path / LEDGER
        self.quarantine_dir = self.path / QUARANTINE
        self.last_check = None  # the StoreCheck of the last run_sweep on this object
        self.parts_dir.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"ResultStore({str(self.path)!r})"

    # -- parts ---------------------------------------------------------------------
    def part_path(self, start: int, stop: int) -> Path:
        return self.parts_dir / f"part-{start:09d}-{stop:09d}.parquet"

    def write_chunk(
        self, start: int, stop: int, table: pa.Table, metadata: dict | None = None
    ) -> Path:
        """Write the rows of samples [start, stop) atomically and enter the part in the
        ledger; returns the part's path.

        ``table`` must have the index column with every value in [start, stop).
        ``metadata`` (JSON-able) is kept in the Parquet schema under ``bmdsim.sweep``; its
        ``seed`` and ``scenario_hash`` are also the part's ledger line.
        """
        start, stop = int(start), int(stop)
        if not 0 <= start < stop:
            raise InputError(
                f"a chunk needs 0 <= start < stop (got {start}, {stop})",
                field="chunk",
                value=(start, stop),
                allowed="0 <= start < stop",
            )
        if not isinstance(table, pa.Table):
            raise InputError(
                f"a chunk's result must be a pyarrow.Table, not {type(table).__name__}",
                field="table",
                value=type(table).__name__,
                allowed="pyarrow.Table",
            )
        if self.index_column not in table.column_names:
            raise InputError(
                f"a chunk's table lacks the index column {self.index_column!r}",
                field="table",
                value=table.column_names,
                allowed=f"a table with a {self.index_column!r} column",
            )
        idx = table.column(self.index_column)
        if table.num_rows:
            import pyarrow.compute as pc

            lo, hi = pc.min(idx).as_py(), pc.max(idx).as_py()
            if lo is None or lo < start or hi >= stop:
                raise InputError(
                    f"chunk [{start}, {stop}) returned {self.index_column} values in [{lo}, {hi}]",
                    field=self.index_column,
                    value=(lo, hi),
                    allowed=f"[{start}, {stop})",
                )
        metadata = dict(metadata or {})
        meta = dict(table.schema.metadata or {})
        meta[METADATA_KEY] = json.dumps(
            {"start": start, "stop": stop, **metadata}, sort_keys=True
        ).encode()
        table = table.replace_schema_metadata(meta)
        final = self.part_path(start, stop)
        digest = _atomic_write(final, lambda f: pq.write_table(table, f))
        self._append_ledger(
            {
                "part": final.name,
                "start": start,
                "stop": stop,
                "rows": int(table.num_rows),
                "bytes": final.stat().st_size,
                "sha256": digest,
                "seed": metadata.get("seed"),
                "scenario_hash": metadata.get("scenario_hash"),
            }
        )
        return final

    # -- the ledger --------------------------------------------------------------------
    def _append_ledger(self, entry: dict) -> None:
        line = json.dumps(entry, sort_keys=True) + "\n"
        fd = os.open(self.ledger_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def ledger(self) -> dict[str, dict]:
        """The ledger's entries by part file name (the last line for a name wins; a torn
        last line, what a kill during the append leaves, is ignored)."""
        entries: dict[str, dict] = {}
        try:
            text = self.ledger_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return entries
        for line in text.splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if isinstance(e, dict) and isinstance(e.get("part"), str) and PART_RE.match(e["part"]):
                entries[e["part"]] = e
        return entries

    def _write_ledger(self, entries: list[dict]) -> None:
        text = "".join(json.dumps(e, sort_keys=True) + "\n" for e in entries)
        _atomic_write(self.ledger_path, lambda f: f.write(text.encode()))

    def _entries(self) -> list[dict]:
        """Ledger entries whose part file exists with the size the ledger says, by start
        (what reading and querying use; :meth:`verify` checks checksums too). A store
        from before the ledger reads as its part-named files until a sweep adopts them."""
        if not self.ledger_path.exists():
            return self._legacy_entries()
        out = []
        for name, e in self.ledger().items():
            p = self.parts_dir / name
            try:
                if p.stat().st_size == e.get("bytes"):
                    out.append(e)
            except OSError:
                continue
        return sorted(out, key=lambda e: (int(e["start"]), int(e["stop"])))

    def _legacy_entries(self) -> list[dict]:
        found = []
        for p in self.parts_dir.iterdir():
            m = PART_RE.match(p.name)
            if m and p.is_file():
                found.append({"part": p.name, "start": int(m[1]), "stop": int(m[2])})
        return sorted(found, key=lambda e: (e["start"], e["stop"]))

    def part_files(self) -> list[Path]:
        """The parts the ledger vouches for, sorted by start."""
        return [self.parts_dir / e["part"] for e in self._entries()]

    def completed_chunks(self) -> list[tuple[int, int]]:
        """[(start, stop), ...] of the parts the ledger vouches for, sorted."""
        return [(int(e["start"]), int(e["stop"])) for e in self._entries()]

    def missing_ranges(self, n_samples: int) -> list[tuple[int, int]]:
        """The maximal sub-ranges of [0, n_samples) that no vouched-for part covers."""
        missing, cursor = [], 0
        for start, stop in self.completed_chunks():
            if start >= n_samples:
                break
            if start > cursor:
                missing.append((cursor, start))
            cursor = max(cursor, stop)
        if cursor < n_samples:
            missing.append((cursor, n_samples))
        return missing

    def verify(self, *, quarantine: bool = False):
        """Check every file in ``parts/`` against the ledger (see module doc): a
        :class:`~bmdsim.sweep.check.StoreCheck`. With ``quarantine``, move damaged and
        unknown files to ``quarantine/`` and rewrite the ledger with the good parts only,
        so that their samples are computed again; call it only holding the lock
        (``run_sweep`` does). A store without a ledger (written before it existed) has
        its readable parts adopted into one."""
        from bmdsim.sweep.check import verify_store

        return verify_store(self, quarantine=quarantine)

    def temporary_files(self) -> list[Path]:
        return sorted(
            p
            for d in (self.parts_dir, self.path)
            for p in d.iterdir()
            if p.name.startswith(".") and p.name.endswith(TMP_SUFFIX)
        )

    def clean_temporary(self) -> list[Path]:
        """Remove half-written temporaries left by a killed writer; returns them.

        Call only while no other process writes to this store (`run_sweep` holds the lock).
        """
        removed = []
        for p in self.temporary_files():
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
                removed.append(p)
        return removed

    # -- reading ---------------------------------------------------------------------
    def read_table(self, columns: list[str] | None = None) -> pa.Table:
        """All vouched-for parts as one Arrow table sorted by the index column (stable)."""
        files = self.part_files()
        if not files:
            return pa.table({self.index_column: pa.array([], pa.int64())})
        tables = [pq.read_table(p, columns=columns) for p in files]
        table = pa.concat_tables(tables, promote_options="default")
        table = table.replace_schema_metadata(None)
        if self.index_column in table.column_names:
            table = table.sort_by([(self.index_column, "ascending")])
        return table

    def read(self, columns: list[str] | None = None):
        """All results as a pandas DataFrame sorted by sample index, index reset."""
        return self.read_table(columns).to_pandas()

    def connect(self, *, external_access: bool = False):
        """A fresh in-memory DuckDB connection with views ``results`` (every part the
        ledger vouches for) and ``runs``; read-only toward the world unless
        ``external_access`` (see ``bmdsim.sweep.query.connect``). Close it when done."""
        from bmdsim.sweep.query import connect

        return connect(self, external_access=external_access)

    def query(self, sql: str, params=None, **limits):
        """DuckDB SQL over the views ``results`` and ``runs`` on a read-only connection,
        with a row and a time limit (``bmdsim.sweep.query.query``); a pandas DataFrame."""
        from bmdsim.sweep.query import query

        return query(self, sql, params, **limits)

    # -- runs table --------------------------------------------------------------------
    def runs_table(self) -> pa.Table:
        if not self.runs_path.exists():
            return RUNS_SCHEMA.empty_table()
        try:
            return pq.read_table(self.runs_path).cast(RUNS_SCHEMA)
        except Exception as exc:  # a damaged runs table: say so, never a traceback
            raise StoreError(
                f"{self.runs_path} cannot be read ({type(exc).__name__}); move it away to "
                "start a new runs table (the parts are kept)",
                field="store",
                value=str(self.runs_path),
            ) from None

    def runs(self):
        """The runs table as a pandas DataFrame, oldest first."""
        return self.runs_table().to_pandas()

    def _write_runs(self, rows: list[dict]) -> None:
        table = pa.Table.from_pylist(rows, schema=RUNS_SCHEMA)
        _atomic_write(self.runs_path, lambda f: pq.write_table(table, f))

    def start_run(
        self,
        *,
        seed: int,
        n_samples: int,
        chunk_size: int,
        executor: str,
        scenario_hash: str = "",
        backend: str = "",
    ) -> str:
        """Append a ``running`` row; returns its run_id."""
        rows = self.runs_table().to_pylist()
        run_id = uuid.uuid4().hex
        rows.append(
            {
                "run_id": run_id,
                "scenario_hash": scenario_hash,
                "bmdsim_version": bmdsim_version(),
                "seed": int(seed),
                "backend": backend,
                "executor": executor,
                "n_samples": int(n_samples),
                "chunk_size": int(chunk_size),
                "start": datetime.now(UTC),
                "end": None,
                "status": "running",
            }
        )
        self._write_runs(rows)
        return run_id

    def finish_run(self, run_id: str, status: str) -> None:
        if status not in RUN_STATUSES:
            raise InputError(
                f"unknown run status {status!r}",
                field="status",
                value=status,
                allowed=list(RUN_STATUSES),
            )
        rows = self.runs_table().to_pylist()
        for r in rows:
            if r["run_id"] == run_id:
                r["status"], r["end"] = status, datetime.now(UTC)
        self._write_runs(rows)

    def mark_interrupted(self) -> int:
        """Mark rows still ``running`` as ``interrupted`` (their writer died); call with
        the lock held. Returns how many."""
        rows = self.runs_table().to_pylist()
        stale = [r for r in rows if r["status"] == "running"]
        for r in stale:
            r["status"] = "interrupted"
        if stale:
            self._write_runs(rows)
        return len(stale)

    def check_compatible(self, *, seed: int, scenario_hash: str = "") -> None:
        """Refuse to add to a store whose parts came from another seed or scenario.

        The parts say what they are (their ledger lines); runs that wrote no part (killed
        before their first chunk) do not count. Parts written without a seed (by hand,
        through ``write_chunk`` without metadata) are judged by the runs table."""
        entries = self._entries()
        if not entries:
            return
        clear = f"use another folder (--out), or delete {self.path} to start this store again"
        for e in entries:
            if e.get("seed") is None:
                break
            if int(e["seed"]) != int(seed) or (e.get("scenario_hash") or "") != scenario_hash:
                raise StoreMismatchError(
                    f"{self.path} holds results of seed {e['seed']}, scenario hash "
                    f"{(e.get('scenario_hash') or '(none)')[:16]}; this run has seed {seed}, "
                    f"scenario hash {(scenario_hash or '(none)')[:16]}: {clear}",
                    field="store",
                    value=str(self.path),
                    allowed="an empty folder or one from the same scenario and seed",
                )
        else:
            return
        for r in self.runs_table().to_pylist():
            if r["seed"] != int(seed) or r["scenario_hash"] != scenario_hash:
                raise StoreMismatchError(
                    f"{self.path} holds results of seed {r['seed']}, scenario hash "
                    f"{r['scenario_hash'] or '(none)'}; this run has seed {seed}, scenario "
                    f"hash {scenario_hash or '(none)'}: {clear}",
                    field="store",
                    value=str(self.path),
                    allowed="an empty folder or one from the same scenario and seed",
                )

    # -- lock --------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's write lock (released by the OS if the holder is killed)."""
        if fcntl is None:  # pragma: no cover
            yield
            return
        fd = os.open(self.path / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreBusyError(
                    f"another sweep is writing to {self.path}",
                    field="store",
                    value=str(self.path),
                    allowed="a store no other sweep is using",
                ) from None
            yield
        finally:
            os.close(fd)


# -- finding a store ---------------------------------------------------------------------
STORE_EXPECTED = (
    "a results store (a folder with parts/ and/or runs.parquet) or a `bmdsim run` output "
    "folder with such a store in store/"
)


def is_store(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a results-store folder (it has ``parts/`` or ``runs.parquet``)."""
    path = Path(path)
    try:
        return path.is_dir() and ((path / "parts").is_dir() or (path / "runs.parquet").is_file())
    except OSError:  # a name too long, a loop of links: not a store
        return False


def find_store(directory: str | os.PathLike) -> Path:
    """The results-store folder that DIR names: DIR itself, or DIR/store (a run folder).

    Raises InputError, naming DIR and what was expected, for anything else. Looks only:
    creates nothing (``ResultStore(path)`` would create ``parts/``)."""
    path = Path(directory)
    if is_store(path):
        return path
    if is_store(path / "store"):
        return path / "store"
    try:
        exists = path.exists()
    except OSError as exc:
        exists, problem = None, f"cannot be read ({exc.strerror})"
    if exists is None:
        pass
    elif not exists:
        problem = "does not exist"
    elif not path.is_dir():
        problem = "is not a folder"
    else:
        problem = "is not a results store"
    raise InputError(
        f"{path} {problem}: expected {STORE_EXPECTED}",
        field="DIR",
        value=str(path),
        allowed=STORE_EXPECTED,
    )


def open_store(directory: str | os.PathLike) -> ResultStore:
    """The ``ResultStore`` that DIR names (see ``find_store``), opened for reading;
    InputError if there is none or it cannot be opened."""
    path = find_store(directory)
    try:
        return ResultStore(path)
    except OSError as exc:  # e.g. a read-only store that has runs.parquet but no parts/
        raise InputError(
            f"cannot open the results store {path}: {exc}",
            field="DIR",
            value=str(path),
            allowed=STORE_EXPECTED,
        ) from None
