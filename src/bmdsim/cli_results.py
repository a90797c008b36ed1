"""``bmdsim results DIR``: look into a sweep's results store, or query it with DuckDB SQL.

cli.py registers it with ``app.command("results")(results_command)``; the console helpers
are ``bmdsim.cli_console``'s, shared with cli.py.

A user error (DIR is not a store, the SQL fails) prints one line ``error: ...`` on stderr
and exits with code 1, as every bmdsim command; stdout then holds nothing.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from bmdsim.cli_console import EXIT_USER_ERROR, _fail, _stderr, _stdout
from bmdsim.errors import BmdsimError, InputError

__all__ = ["EXIT_USER_ERROR", "MAX_ROWS", "P_FEASIBLE_SQL", "find_store", "results_command"]

MAX_ROWS = 50
P_FEASIBLE_COLUMNS = ("threat", "site", "interceptor", "feasible")
P_FEASIBLE_SQL = (
    "SELECT threat, site, interceptor, count(*) AS n, avg(feasible::DOUBLE) AS p_feasible "
    "FROM results GROUP BY ALL ORDER BY ALL"
)
RUNS_COLUMNS = ("run_id", "status", "seed", "n_samples", "executor", "backend", "start", "end")
STORE_EXPECTED = (
    "a results store (a folder with parts/ and/or runs.parquet) or a `bmdsim run` output "
    "folder with such a store in store/"
)
SQL_HINT = (
    "views: results (every sample's rows), runs (one row per run); quote column names with "
    'special characters in double quotes, e.g. "interceptor:sm-3-iia.burnout_speed"'
)


def _print_json(obj):
    sys.stdout.write(json.dumps(obj, indent=2, allow_nan=False) + "\n")


def _is_store(path: Path) -> bool:
    return path.is_dir() and ((path / "parts").is_dir() or (path / "runs.parquet").is_file())


def find_store(directory: str | Path) -> Path:
    """The results-store folder that DIR names: DIR itself, or DIR/store (a run folder).

    Raises InputError, naming DIR and what was expected, for anything else. Looks only:
    creates nothing (``ResultStore(path)`` would create ``parts/``)."""
    path = Path(directory)
    if _is_store(path):
        return path
    if _is_store(path / "store"):
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


def _open_store(directory: Path):
    from bmdsim.sweep.store import ResultStore

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


def _is_missing(v) -> bool:
    import numpy as np
    import pandas as pd

    if v is None:
        return True
    try:
        missing = pd.isna(v)
    except (TypeError, ValueError):
        return False
    return bool(missing) if isinstance(missing, bool | np.bool_) else False


def _jsonable(v):
    """A DataFrame cell as plain JSON: NaN, NaT, NA, +-inf -> None; numpy -> Python."""
    import numpy as np

    if isinstance(v, np.ndarray | list | tuple):
        return [_jsonable(x) for x in (v.tolist() if isinstance(v, np.ndarray) else v)]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if _is_missing(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, float | Decimal):
        v = float(v)
        return v if math.isfinite(v) else None
    if isinstance(v, _dt.datetime | _dt.date | _dt.time):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        return v.total_seconds()
    if isinstance(v, bytes):
        return v.hex()
    return str(v)


def _records(df) -> list[dict]:
    cols = [str(c) for c in df.columns]
    return [
        {c: _jsonable(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def _cell(v) -> str:
    """A DataFrame cell for a rich table."""
    if _is_missing(v):
        return "NULL"
    if isinstance(v, _dt.datetime):
        return v.isoformat(sep=" ", timespec="seconds")
    v = _jsonable(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | dict):
        return json.dumps(v)
    return str(v)


def _frame_table(df, *, title: str | None = None, max_rows: int = MAX_ROWS, right=()):
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    table = Table(title=escape(title) if title else None)
    for col in df.columns:
        numeric = col in right or df[col].dtype.kind in "iuf"
        table.add_column(escape(str(col)), justify="right" if numeric else "left")
    for row in df.head(max_rows).itertuples(index=False, name=None):
        table.add_row(*(Text(_cell(v)) for v in row))
    if len(df) > max_rows:
        table.caption = (
            f"{max_rows} of {len(df):,} rows shown, {len(df) - max_rows:,} left out "
            "(--max-rows N for more; --json or --csv FILE give every row)"
        )
    elif not len(df):
        table.caption = "no rows"
    return table


def _run_sql(store, sql: str):
    import duckdb

    try:
        return store.query(sql)
    except duckdb.Error as exc:
        message = " ".join(str(exc).split())
        raise InputError(
            f"the SQL failed: {message} | SQL: {sql} | {SQL_HINT}",
            field="--sql",
            value=sql,
            allowed="DuckDB SQL over the views results and runs",
        ) from None


# -- the overview ----------------------------------------------------------------------------
def _overview(store):
    """Everything `bmdsim results DIR` (no --sql) prints: (JSON-able dict, runs DataFrame)."""
    runs = store.runs()
    runs = runs[[c for c in RUNS_COLUMNS if c in runs.columns]]
    columns = _run_sql(store, "DESCRIBE results")
    names = columns["column_name"].tolist()
    index = store.index_column
    samples_sql = f'count(DISTINCT "{index}")' if index in names else "NULL"
    counts = _run_sql(store, f"SELECT count(*) AS n_rows, {samples_sql} AS n_samples FROM results")
    n_rows, n_samples = (_jsonable(v) for v in counts.iloc[0].tolist())
    missing = None
    if len(runs):
        last_n = int(runs["n_samples"].iloc[-1])
        missing = [list(r) for r in store.missing_ranges(last_n)]
    p_feasible = None
    if all(c in names for c in P_FEASIBLE_COLUMNS):
        p_feasible = _records(_run_sql(store, P_FEASIBLE_SQL))
    return {
        "store": str(store.path),
        "runs": _records(runs),
        "parts": len(store.part_files()),
        "rows": n_rows or 0,
        "samples": n_samples,
        "missing_ranges": missing,
        "columns": [
            {"name": n, "type": t}
            for n, t in zip(names, columns["column_type"].tolist(), strict=True)
        ],
        "p_feasible": p_feasible,
    }, runs


def _print_overview(ov: dict, runs, max_rows: int) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    con = _stdout()
    con.print(_frame_table(runs, title=f"runs of {ov['store']}", max_rows=max_rows))
    samples = "?" if ov["samples"] is None else f"{ov['samples']:,}"
    con.print(
        f"stored: {samples} samples, {ov['rows']:,} rows in {ov['parts']:,} part files",
        highlight=False,
    )
    if ov["missing_ranges"]:
        gaps = ov["missing_ranges"]
        n = sum(b - a for a, b in gaps)
        shown = ", ".join(f"[{a}, {b})" for a, b in gaps[:5]) + (", ..." if len(gaps) > 5 else "")
        con.print(
            escape(
                f"missing: {n:,} samples of the last run in {len(gaps)} "
                f"range{'s' if len(gaps) != 1 else ''} ({shown}); "
                "run the same command again to compute them"
            ),
            highlight=False,
        )
    cols = Table(title=f"columns of results ({len(ov['columns'])})")
    cols.add_column("column")
    cols.add_column("type")
    for c in ov["columns"]:
        cols.add_row(Text(c["name"]), Text(c["type"]))
    con.print(cols)
    if ov["p_feasible"] is not None:
        table = Table(title="P(feasible) per threat x site x interceptor")
        for name, just in [
            ("threat", "left"),
            ("site", "left"),
            ("interceptor", "left"),
            ("samples", "right"),
            ("P(feasible)", "right"),
        ]:
            table.add_column(name, justify=just)
        for r in ov["p_feasible"]:
            p = r["p_feasible"]
            table.add_row(
                *(Text("-" if r[k] is None else str(r[k])) for k in P_FEASIBLE_COLUMNS[:3]),
                f"{r['n']:,}",
                "-" if p is None else f"{p:.3f}",
            )
        if not ov["p_feasible"]:
            table.caption = "no rows"
        con.print(table)
    con.print(
        escape(f'query it: bmdsim results {ov["store"]} --sql "SELECT ... FROM results"'),
        highlight=False,
    )


# -- the command -----------------------------------------------------------------------------
def results_command(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            show_default=False,
            help="A results store (a folder with parts/ and/or runs.parquet), or a "
            "`bmdsim run` output folder that holds one in store/.",
        ),
    ],
    sql: Annotated[
        str | None,
        typer.Option(
            "--sql",
            help="DuckDB SQL over the views results (the stored rows) and runs (one row per "
            "run). Quote column names with special characters in double quotes.",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print only JSON on stdout: the query's rows as a list of records (NaN -> "
            "null), or the overview as one object.",
        ),
    ] = False,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Write the query's rows (all of them) to this CSV file."),
    ] = None,
    max_rows: Annotated[
        int,
        typer.Option(
            "--max-rows", min=1, help="Rows to print in a table (JSON and CSV get every row)."
        ),
    ] = MAX_ROWS,
):
    # The help text is RESULTS_HELP (set below: its examples are longer than a source line).
    try:
        if csv is not None and sql is None:
            raise InputError(
                '--csv needs --sql (e.g. --sql "SELECT * FROM results")',
                field="--csv",
                value=str(csv),
                allowed="--csv FILE together with --sql",
            )
        store = _open_store(directory)
        with _stderr().status("querying the results store..."):
            if sql is None:
                ov, runs = _overview(store)
            else:
                df = _run_sql(store, sql)
        if sql is None:
            if as_json:
                _print_json(ov)
            else:
                _print_overview(ov, runs, max_rows)
            return
        if csv is not None:
            try:
                csv.parent.mkdir(parents=True, exist_ok=True)
                df.to_csv(csv, index=False)
            except OSError as exc:
                raise InputError(
                    f"cannot write {csv}: {exc}",
                    field="--csv",
                    value=str(csv),
                    allowed="a writable file path",
                ) from None
            _stderr().print(f"wrote {len(df):,} rows to {csv}", highlight=False)
        if as_json:
            _print_json(_records(df))
        elif csv is None:
            _stdout().print(_frame_table(df, max_rows=max_rows))
    except BmdsimError as exc:
        _fail(exc)


RESULTS_HELP = (
    "Show what a sweep's results store holds, or query it with DuckDB SQL.\n\n"
    "DIR is a results store (a folder with parts/ and runs.parquet, as a sweep writes it) "
    "or a `bmdsim run` output folder with the store in DIR/store.\n\n"
    "Without --sql: the runs (seed, samples, executor, backend, start, end, status), how "
    "many samples, rows and part files are stored, the columns, and P(feasible) per threat "
    "x site x interceptor when the results have threat, site, interceptor and feasible "
    "columns.\n\n"
    "With --sql: the query's rows as a table (the first --max-rows), as JSON records "
    "(--json) or as a CSV file (--csv FILE). Two views: results (every stored row: the "
    "sample index, the sampled inputs and the outputs) and runs (one row per run: run_id, "
    "seed, n_samples, status, start, end...). Column names with special characters need "
    'double quotes, e.g. "interceptor:sm-3-iia.burnout_speed"; strings take single '
    "quotes.\n\n"
    "Examples:\n\n"
    "  bmdsim results runs/europe-2016\n\n"
    '  bmdsim results runs/europe-2016 --sql "SELECT threat, site, interceptor, '
    "avg(feasible::DOUBLE) AS p FROM results WHERE site = 'redzikowo' GROUP BY ALL "
    'ORDER BY p"\n\n'
    "  bmdsim results runs/europe-2016/store --csv speed.csv --sql 'SELECT threat, feasible, "
    'median("interceptor:sm-3-iia.burnout_speed") AS median_speed FROM results '
    "GROUP BY ALL ORDER BY ALL'"
)
results_command.__doc__ = RESULTS_HELP
