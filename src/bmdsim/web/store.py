"""What a run's results store holds, as ``bmdsim results DIR --json`` prints it: runs,
rows, samples, missing ranges, columns and P(feasible) per threat x site x interceptor.

(The CLI's own overview lives in ``bmdsim.cli.results``, a sibling layer the web app may
not import; the fields and queries here are the same, and a test compares the two.)
"""

from __future__ import annotations

__all__ = ["overview"]

P_FEASIBLE_COLUMNS = ("threat", "site", "interceptor", "feasible")
P_FEASIBLE_SQL = (
    "SELECT threat, site, interceptor, count(*) AS n, avg(feasible::DOUBLE) AS p_feasible "
    "FROM results GROUP BY ALL ORDER BY ALL"
)
RUNS_COLUMNS = ("run_id", "status", "seed", "n_samples", "executor", "backend", "start", "end")


def overview(store) -> dict:
    from bmdsim.output.summary import json_records, json_value

    runs = store.runs()
    runs = runs[[c for c in RUNS_COLUMNS if c in runs.columns]]
    columns = store.query("DESCRIBE results")
    names = columns["column_name"].tolist()
    index = store.index_column
    samples_sql = f'count(DISTINCT "{index}")' if index in names else "NULL"
    counts = store.query(f"SELECT count(*) AS n_rows, {samples_sql} AS n_samples FROM results")
    n_rows, n_samples = (json_value(v) for v in counts.iloc[0].tolist())
    missing = None
    if len(runs):
        last_n = int(runs["n_samples"].iloc[-1])
        missing = [list(r) for r in store.missing_ranges(last_n)]
    p_feasible = None
    if all(c in names for c in P_FEASIBLE_COLUMNS):
        p_feasible = json_records(store.query(P_FEASIBLE_SQL))
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
    }
