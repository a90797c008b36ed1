"""A sweep's results folder: Parquet part-files are the record, DuckDB queries them.

Layout::

    DIR/
      parts/part-000000000-000001000.parquet   one per chunk [start, stop), written atomically
      runs.parquet                              one row per `run_sweep` call (see RUNS_SCHEMA)
      .lock                                     held (flock) while a sweep writes

A part is written to a temporary name in ``parts/`` (``.part-...parquet.<uuid>.tmp``),
flushed and fsync'ed, then ``os.replace``-d onto its final name and the folder fsync'ed;
so after ``kill -9`` at any moment a part either exists whole or not at all. Only files
matching ``part-<start>-<stop>.parquet`` count as complete; leftover temporaries are
ignored and removed by :meth:`ResultStore.clean_temporary` (which `run_sweep` calls while
holding the lock). One sweep writes to a store at a time: a second gets StoreBusyError.

Every part holds rows whose ``index_column`` (default ``"sample"``) lies in [start, stop).
``find_store(DIR)`` finds the store a user names (DIR, or DIR/store of a ``bmdsim run``
folder) without creating anything; ``open_store(DIR)`` opens it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bmdsim.errors import InputError, StoreBusyError, StoreMismatchError

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

# DuckDB must never fetch an extension at run time (this machine is offline); Parquet
# support is built into the Python wheel.
_DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


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


def _atomic_write(final: Path, write) -> None:
    """Call ``write(file_object)`` on a temp file beside ``final``, fsync, rename."""
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(final.parent)


class ResultStore:
    """A results folder (see module doc). Creating the object creates the folders."""

    def __init__(self, path: str | os.PathLike, *, index_column: str = "sample"):
        self.path = Path(path)
        self.index_column = index_column
        self.parts_dir = self.path / "parts"
        self.runs_path = self.path / "runs.parquet"
        self.parts_dir.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"ResultStore({str(self.path)!r})"

    # -- parts ---------------------------------------------------------------------
    def part_path(self, start: int, stop: int) -> Path:
        return self.parts_dir / f"part-{start:09d}-{stop:09d}.parquet"

    def write_chunk(
        self, start: int, stop: int, table: pa.Table, metadata: dict | None = None
    ) -> Path:
        """Write the rows of samples [start, stop) atomically; returns the part's path.

        ``table`` must have the index column with every value in [start, stop).
        ``metadata`` (JSON-able) is kept in the Parquet schema under ``bmdsim.sweep``.
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
        meta = dict(table.schema.metadata or {})
        meta[METADATA_KEY] = json.dumps(
            {"start": start, "stop": stop, **(metadata or {})}, sort_keys=True
        ).encode()
        table = table.replace_schema_metadata(meta)
        final = self.part_path(start, stop)
        _atomic_write(final, lambda f: pq.write_table(table, f))
        return final

    def part_files(self) -> list[Path]:
        """Complete part files, sorted by start."""
        found = []
        for p in self.parts_dir.iterdir():
            m = PART_RE.match(p.name)
            if m and p.is_file():
                found.append((int(m.group(1)), int(m.group(2)), p))
        return [p for _, _, p in sorted(found)]

    def completed_chunks(self) -> list[tuple[int, int]]:
        """[(start, stop), ...] of the complete part files, sorted (temporaries never count)."""
        out = []
        for p in self.part_files():
            m = PART_RE.match(p.name)
            out.append((int(m.group(1)), int(m.group(2))))
        return out

    def missing_ranges(self, n_samples: int) -> list[tuple[int, int]]:
        """The maximal sub-ranges of [0, n_samples) that no complete part covers."""
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
        """All parts as one Arrow table sorted by the index column (stable)."""
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

    def connect(self):
        """A fresh in-memory DuckDB connection with views ``results`` (every part) and
        ``runs`` (the runs table). Close it when done."""
        import duckdb

        con = duckdb.connect(":memory:", config=_DUCKDB_CONFIG)
        glob = str(self.parts_dir / "part-*.parquet").replace("'", "''")
        if self.part_files():
            con.execute(
                f"CREATE VIEW results AS SELECT * FROM read_parquet('{glob}', union_by_name = true)"
            )
        else:
            con.execute(
                f'CREATE VIEW results AS SELECT NULL::BIGINT AS "{self.index_column}" WHERE false'
            )
        con.register("_runs_arrow", self.runs_table())
        con.execute("CREATE VIEW runs AS SELECT * FROM _runs_arrow")
        return con

    def query(self, sql: str, params=None):
        """Run DuckDB SQL over the views ``results`` and ``runs``; a pandas DataFrame."""
        con = self.connect()
        try:
            return con.execute(sql, params).df() if params else con.execute(sql).df()
        finally:
            con.close()

    # -- runs table --------------------------------------------------------------------
    def runs_table(self) -> pa.Table:
        if not self.runs_path.exists():
            return RUNS_SCHEMA.empty_table()
        return pq.read_table(self.runs_path).cast(RUNS_SCHEMA)

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
        """Refuse to add to a store whose parts came from another seed or scenario."""
        if not self.part_files():
            return
        for r in self.runs_table().to_pylist():
            if r["seed"] != int(seed) or r["scenario_hash"] != scenario_hash:
                raise StoreMismatchError(
                    f"{self.path} holds results of seed {r['seed']}, scenario hash "
                    f"{r['scenario_hash'] or '(none)'}; this run has seed {seed}, scenario "
                    f"hash {scenario_hash or '(none)'}: use another folder",
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
    return path.is_dir() and ((path / "parts").is_dir() or (path / "runs.parquet").is_file())


def find_store(directory: str | os.PathLike) -> Path:
    """The results-store folder that DIR names: DIR itself, or DIR/store (a run folder).

    Raises InputError, naming DIR and what was expected, for anything else. Looks only:
    creates nothing (``ResultStore(path)`` would create ``parts/``)."""
    path = Path(directory)
    if is_store(path):
        return path
    if is_store(path / "store"):
        return path / "store"
    if not path.exists():
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
