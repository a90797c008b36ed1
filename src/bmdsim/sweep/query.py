"""DuckDB over a results store: the read-only door and the full one.

:func:`connect` gives an in-memory DuckDB connection with two views, ``results`` (every
part the store's ledger vouches for) and ``runs`` (the runs table), and by default
nothing else: the parts come in as an Arrow dataset, so DuckDB itself opens no file;
external access is then disabled and the configuration locked, which refuses every file
read (``read_text('/etc/hostname')``, ``read_parquet``, ``glob``), ``COPY ... TO``,
``ATTACH``, ``EXPORT``, ``INSTALL``/``LOAD`` and scans of Python objects, and memory is
limited. :func:`query` adds a row limit and a time limit (``con.interrupt()`` from a
timer). ``bmdsim results --sql`` runs here.

``external_access=True`` is the Python API's full DuckDB (views over ``read_parquet``
of the same files), for code that asks for it explicitly.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bmdsim.errors import InputError

__all__ = ["QUERY_MAX_ROWS", "QUERY_MEMORY_LIMIT", "QUERY_TIMEOUT_S", "connect", "query"]

# DuckDB must never fetch an extension at run time (this machine is offline); Parquet
# support is built into the Python wheel.
_DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

QUERY_MAX_ROWS = 1_000_000  # rows one query returns (more: refused, say LIMIT)
QUERY_TIMEOUT_S = 120.0  # seconds one query may run
QUERY_MEMORY_LIMIT = "2GB"  # DuckDB's memory for one read-only connection


def _dataset(files: list[Path]):
    import pyarrow.dataset as ds

    schemas = [pq.read_schema(p).remove_metadata() for p in files]
    schema = pa.unify_schemas(schemas, promote_options="default")
    return ds.dataset([str(p) for p in files], format="parquet", schema=schema)


def _reader(relation, batch_rows: int):
    """An Arrow RecordBatchReader over a DuckDB relation (the method's name changed)."""
    if hasattr(relation, "to_arrow_reader"):
        return relation.to_arrow_reader(batch_rows)
    return relation.fetch_arrow_reader(batch_rows)  # DuckDB 1.x


def connect(store, *, external_access: bool = False):
    """A fresh in-memory DuckDB connection over ``store`` (module doc). Close it."""
    import duckdb

    con = duckdb.connect(":memory:", config=_DUCKDB_CONFIG)
    files = store.part_files()
    if files and external_access:
        listing = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
        con.execute(
            f"CREATE VIEW results AS SELECT * FROM read_parquet([{listing}], union_by_name = true)"
        )
    elif files:
        con.register("_results_parts", _dataset(files))
        con.execute("CREATE VIEW results AS SELECT * FROM _results_parts")
    else:
        index = store.index_column.replace('"', '""')
        con.execute(f'CREATE VIEW results AS SELECT NULL::BIGINT AS "{index}" WHERE false')
    con.register("_runs_arrow", store.runs_table())
    con.execute("CREATE VIEW runs AS SELECT * FROM _runs_arrow")
    if not external_access:
        con.execute(f"SET memory_limit = '{QUERY_MEMORY_LIMIT}'")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


def query(
    store,
    sql: str,
    params=None,
    *,
    max_rows: int | None = QUERY_MAX_ROWS,
    timeout_s: float | None = QUERY_TIMEOUT_S,
    external_access: bool = False,
):
    """Run ``sql`` over ``store``'s views (read-only unless ``external_access``); a pandas
    DataFrame. More than ``max_rows`` rows or longer than ``timeout_s`` seconds:
    InputError saying so. A statement that returns no rows gives an empty DataFrame.
    DuckDB's own errors (syntax, permission) propagate as ``duckdb.Error``."""
    import duckdb
    import pandas as pd

    if not isinstance(sql, str) or not sql.strip():
        raise InputError(
            "the SQL is empty", field="sql", value=sql, allowed="a SELECT over results and runs"
        )
    con = connect(store, external_access=external_access)
    timer = None
    if timeout_s is not None:
        timer = threading.Timer(timeout_s, con.interrupt)
        timer.daemon = True
        timer.start()
    try:
        rel = con.sql(sql, params=params) if params else con.sql(sql)
        if rel is None:  # a statement without rows (CREATE ..., SET ...)
            return pd.DataFrame()
        if max_rows is None:
            return rel.df()
        reader = _reader(rel, min(max_rows + 1, 100_000))
        batches, n = [], 0
        for batch in reader:
            batches.append(batch)
            n += batch.num_rows
            if n > max_rows:
                raise InputError(
                    f"the query returns more than {max_rows:,} rows; add LIMIT or aggregate "
                    "(GROUP BY)",
                    field="sql",
                    value=sql,
                    allowed=f"at most {max_rows:,} rows",
                )
        return pa.Table.from_batches(batches, schema=reader.schema).to_pandas()
    except duckdb.InterruptException:
        raise InputError(
            f"the query ran longer than {timeout_s:g} s and was stopped",
            field="sql",
            value=sql,
            allowed=f"queries of at most {timeout_s:g} s",
        ) from None
    finally:
        if timer is not None:
            timer.cancel()
        con.close()
