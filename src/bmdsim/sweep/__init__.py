"""Uncertainty sweeps: sampling, chunked execution on local/process/Dask executors, a
resumable Parquet + DuckDB results store, and sensitivity rankings.

A scenario runner plugs in a top-level ``task(start, stop, seed) -> pyarrow.Table`` that
draws its inputs with :func:`sample` for ``range(start, stop)`` and returns one or more rows
per sample with a ``sample`` column, then calls :func:`run_sweep`::

    store = run_sweep(task, 100_000, chunk_size=2_000, executor="processes",
                      store="out/europe-2016", seed=2016, scenario_hash=h, backend="cpu")
    store.query("SELECT avg(feasible::DOUBLE) FROM results")

Dask (``distributed``) and DuckDB are imported only when used.
"""

from bmdsim.sweep.executors import InlineExecutor, chunk_ranges, open_executor, run_sweep
from bmdsim.sweep.sampling import UncertainParameter, grid, grid_size, sample
from bmdsim.sweep.sensitivity import (
    Sensitivity,
    first_order_sobol,
    rank_correlations,
    sensitivity_table,
)
from bmdsim.sweep.store import ResultStore, StoreBusyError, StoreMismatchError

__all__ = [
    "InlineExecutor",
    "ResultStore",
    "Sensitivity",
    "StoreBusyError",
    "StoreMismatchError",
    "UncertainParameter",
    "chunk_ranges",
    "first_order_sobol",
    "grid",
    "grid_size",
    "open_executor",
    "rank_correlations",
    "run_sweep",
    "sample",
    "sensitivity_table",
]
