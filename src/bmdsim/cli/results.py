"""``bmdsim results DIR``: look into a sweep's results store, query it with DuckDB SQL, or
check it.

``--sql`` runs on a read-only DuckDB connection (``bmdsim.sweep.query``): the views
``results`` and ``runs`` and nothing else: no file reads, ``COPY``, ``ATTACH`` or
extensions, at most a million rows (``QUERY_MAX_ROWS``) and two minutes.
``--check`` verifies every part against the store's ledger and changes nothing.

A user error (DIR is not a store, the SQL fails or is refused) prints one line
``error: ...`` on stderr and exits with code 1, as every bmdsim command; stdout then holds
nothing. Finding and opening the store is ``sweep.store``'s (``open_store``); turning cells
into JSON is ``output.summary``'s (``json_value``, ``json_records``).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Annotated

import typer

from bmdsim import domains as D
from bmdsim.cli._console import fail, fit_table, print_json, status, stderr, stdout
from bmdsim.cli._options import number, parse_out_file
from bmdsim.errors import BmdsimError, InputError

__all__ = ["MAX_ROWS", "P_FEASIBLE_SQL", "results"]

MAX_ROWS = 50
P_FEASIBLE_COLUMNS = ("threat", "site", "interceptor", "feasible")
P_FEASIBLE_SQL = (
    "SELECT threat, site, interceptor, count(*) AS n, avg(feasible::DOUBLE) AS p_feasible "
    "FROM results GROUP BY ALL ORDER BY ALL"
)
RUNS_COLUMNS = ("run_id", "status", "seed", "n_samples", "executor", "backend", "start", "end")
SQL_HINT = (
    "views: results (every sample's rows), runs (one row per run); quote column names with "
    'special characters in double quotes, e.g. "interceptor:sm-3-iia.burnout_speed"'
)


def _cell(v) -> str:
    """A DataFrame cell for a rich table: NULL when missing or not finite."""
    from bmdsim.output.summary import json_value

    plain = json_value(v)
    if plain is None:
        return "NULL"
    if isinstance(v, _dt.datetime):
        return v.isoformat(sep=" ", timespec="seconds")
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, float):
        return f"{plain:.6g}"
    if isinstance(plain, list | dict):
        return json.dumps(plain)
    return str(plain)


# result columns that hold ids a user copies into a query: never cut or broken
_ID_COLUMNS = {"threat", "site", "interceptor", "battery", "missile", "id", "input", "column"}


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
    id_like = [escape(str(c)) for c in df.columns if str(c) in _ID_COLUMNS]
    return fit_table(table, ids=id_like)


def _run_sql(store, sql: str):
    import duckdb

    if not sql.strip():
        raise InputError(
            '--sql: the query is empty; e.g. --sql "SELECT * FROM results LIMIT 10"',
            field="--sql",
            value=sql,
            allowed="DuckDB SQL over the views results and runs",
        )
    try:
        return store.query(sql)
    except duckdb.PermissionException:
        raise InputError(
            "--sql: refused: the query reaches outside the store (files, COPY, ATTACH, "
            f"extensions); {SQL_HINT}",
            field="--sql",
            value=sql,
            allowed="read-only SQL over the views results and runs",
        ) from None
    except duckdb.Error as exc:
        message = " ".join(str(exc).split())[:300]
        shown = " ".join(sql.split())
        shown = shown if len(shown) <= 200 else shown[:197] + "..."
        raise InputError(
            f"the SQL failed: {message} | SQL: {shown} | {SQL_HINT}",
            field="--sql",
            value=sql,
            allowed="DuckDB SQL over the views results and runs",
        ) from None


# -- the overview ----------------------------------------------------------------------------
def _overview(store):
    """Everything `bmdsim results DIR` (no --sql) prints: (JSON-able dict, runs DataFrame)."""
    from bmdsim.output.summary import json_records, json_value

    runs = store.runs()
    runs = runs[[c for c in RUNS_COLUMNS if c in runs.columns]]
    columns = _run_sql(store, "DESCRIBE results")
    names = columns["column_name"].tolist()
    index = store.index_column
    samples_sql = f'count(DISTINCT "{index}")' if index in names else "NULL"
    counts = _run_sql(store, f"SELECT count(*) AS n_rows, {samples_sql} AS n_samples FROM results")
    n_rows, n_samples = (json_value(v) for v in counts.iloc[0].tolist())
    missing = None
    if len(runs):
        last_n = int(runs["n_samples"].iloc[-1])
        missing = [list(r) for r in store.missing_ranges(last_n)]
    p_feasible = None
    if all(c in names for c in P_FEASIBLE_COLUMNS):
        p_feasible = json_records(_run_sql(store, P_FEASIBLE_SQL))
    return {
        "store": str(store.path),
        "runs": json_records(runs),
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

    con = stdout()
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
    con.print(fit_table(cols, ids=("column",)))
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
        con.print(fit_table(table, ids=("threat", "site", "interceptor")))
    con.print(
        escape(f'query it: bmdsim results {ov["store"]} --sql "SELECT ... FROM results"'),
        highlight=False,
    )


# -- the command -----------------------------------------------------------------------------
def results(
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
        typer.Option(
            "--csv",
            parser=parse_out_file,
            help="Write the query's rows (all of them, up to a million) to this CSV file.",
        ),
    ] = None,
    max_rows: Annotated[
        int,
        number(
            D.MAX_ROWS,
            "--max-rows",
            help="Rows to print in a table (JSON and CSV get every row).",
        ),
    ] = MAX_ROWS,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Verify every part file against the store's ledger (size, checksum, rows) "
            "and list damaged, unknown or lost ones; changes nothing. Exit 1 if any.",
        ),
    ] = False,
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
        from bmdsim.sweep.store import open_store

        store = open_store(directory)
        if check:
            _check(store, as_json)
            return
        with status("querying the results store..."):
            if sql is None:
                ov, runs = _overview(store)
            else:
                df = _run_sql(store, sql)
        if sql is None:
            if as_json:
                print_json(ov)
            else:
                _print_overview(ov, runs, max_rows)
            return
        if csv is not None:
            from bmdsim.output.tables import write_csv

            try:
                write_csv(df, csv)
            except OSError as exc:
                raise InputError(
                    f"cannot write {csv}: {exc}",
                    field="--csv",
                    value=str(csv),
                    allowed="a writable file path",
                ) from None
            stderr().print(f"wrote {len(df):,} rows to {csv}", highlight=False)
        if as_json:
            from bmdsim.output.summary import json_records

            print_json(json_records(df))
        elif csv is None:
            stdout().print(_frame_table(df, max_rows=max_rows))
    except BmdsimError as exc:
        fail(exc)


def _check(store, as_json: bool) -> None:
    """``--check``: the store's parts against its ledger; exit 1 if anything is wrong."""
    with status("checking the results store..."):
        check = store.verify(quarantine=False)
    report = {"store": str(store.path), **check.to_dict()}
    if as_json:
        print_json(report)
    else:
        con = stdout()
        con.print(
            f"{store.path}: {len(check.good):,} good part files, {check.rows:,} rows",
            markup=False,
            highlight=False,
        )
        for kind in ("damaged", "unknown", "lost"):
            for name, why in getattr(check, kind):
                con.print(f"  {kind}: {name}: {why}", markup=False, highlight=False)
    if not check.ok:
        n = len(check.damaged) + len(check.unknown) + len(check.lost)
        fail(
            InputError(
                f"{store.path}: {n} part file(s) damaged, unknown or lost; the next run of the "
                "same command moves them to quarantine/ and computes their samples again",
                field="DIR",
                value=str(store.path),
            )
        )


RESULTS_HELP = (
    "Show what a sweep's results store holds, or query it with DuckDB SQL.\n\n"
    "DIR is a results store (a folder with parts/ and runs.parquet, as a sweep writes it) "
    "or a `bmdsim run` output folder with the store in DIR/store.\n\n"
    "Without --sql: the runs (seed, samples, executor, backend, start, end, status), how "
    "many samples, rows and part files are stored, the columns, and P(feasible) per threat "
    "x site x interceptor when the results have threat, site, interceptor and feasible "
    "columns.\n\n"
    "With --sql: the query's rows as a table (the first --max-rows), as JSON records "
    "(--json) or as a CSV file (--csv FILE). The query is read-only: the two views and "
    "nothing else (no files, COPY, ATTACH or extensions), at most a million rows and two "
    "minutes. Two views: results (every stored row: the "
    "sample index, the sampled inputs and the outputs) and runs (one row per run: run_id, "
    "seed, n_samples, status, start, end...). Column names with special characters need "
    'double quotes, e.g. "interceptor:sm-3-iia.burnout_speed"; strings take single '
    "quotes.\n\n"
    "With --check: every part file checked against the store's ledger (size, SHA-256, "
    "rows); damaged, unknown or lost files are listed and the exit code is 1.\n\n"
    "Examples:\n\n"
    "  bmdsim results runs/europe-2016\n\n"
    '  bmdsim results runs/europe-2016 --sql "SELECT threat, site, interceptor, '
    "avg(feasible::DOUBLE) AS p FROM results WHERE site = 'redzikowo' GROUP BY ALL "
    'ORDER BY p"\n\n'
    "  bmdsim results runs/europe-2016/store --csv speed.csv --sql 'SELECT threat, feasible, "
    'median("interceptor:sm-3-iia.burnout_speed") AS median_speed FROM results '
    "GROUP BY ALL ORDER BY ALL'"
)
results.__doc__ = RESULTS_HELP
