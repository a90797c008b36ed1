"""The results store: atomic parts, resume bookkeeping, DuckDB queries, runs table."""

import numpy as np
import pyarrow as pa
import pytest
from toy_task import toy_task

from bmdsim.errors import InputError
from bmdsim.sweep.store import ResultStore, StoreBusyError, StoreMismatchError


def _fill(store, ranges, seed=1):
    for a, b in ranges:
        store.write_chunk(a, b, toy_task(a, b, seed))


def test_parts_named_and_ranges(tmp_path):
    store = ResultStore(tmp_path / "r")
    _fill(store, [(0, 10), (20, 30)])
    assert (tmp_path / "r/parts/part-000000000-000000010.parquet").is_file()
    assert store.completed_chunks() == [(0, 10), (20, 30)]
    assert store.missing_ranges(35) == [(10, 20), (30, 35)]
    assert store.missing_ranges(30) == [(10, 20)]
    assert store.missing_ranges(5) == []


def test_leftover_temporary_is_ignored_and_cleaned(tmp_path):
    store = ResultStore(tmp_path)
    _fill(store, [(0, 10)])
    # what a writer killed between open() and os.replace() leaves behind: a partial file
    good = store.part_path(0, 10).read_bytes()
    tmp = store.parts_dir / ".part-000000010-000000020.parquet.deadbeef.tmp"
    tmp.write_bytes(good[: len(good) // 2])
    assert store.completed_chunks() == [(0, 10)]
    assert store.read()["sample"].tolist() == list(range(10))
    assert store.query("SELECT count(*) AS n FROM results")["n"].item() == 10
    assert store.clean_temporary() == [tmp]
    assert not tmp.exists() and store.temporary_files() == []


def test_failed_write_leaves_no_temporary(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    import bmdsim.sweep.store as mod

    def boom(table, where):
        where.write(b"PAR1 partial")
        raise OSError("disk full")

    monkeypatch.setattr(mod.pq, "write_table", boom)
    with pytest.raises(OSError):
        store.write_chunk(0, 5, toy_task(0, 5, 1))
    assert list(store.parts_dir.iterdir()) == []


def test_write_chunk_checks_the_index(tmp_path):
    store = ResultStore(tmp_path)
    with pytest.raises(InputError):
        store.write_chunk(0, 5, toy_task(0, 6, 1))
    with pytest.raises(InputError):
        store.write_chunk(0, 5, pa.table({"x": [1.0]}))
    with pytest.raises(InputError):
        store.write_chunk(5, 5, toy_task(0, 5, 1))


def test_duckdb_query_over_parts(tmp_path):
    store = ResultStore(tmp_path)
    _fill(store, [(30, 60), (0, 30), (60, 100)])
    df = store.read()
    assert df["sample"].tolist() == list(range(100))
    q = store.query(
        "SELECT count(*) AS n, count(DISTINCT sample) AS k, "
        "avg(feasible::DOUBLE) AS p, max(range_km) AS m FROM results"
    )
    assert q["n"].item() == 100 and q["k"].item() == 100
    assert q["p"].item() == pytest.approx(df["feasible"].mean(), abs=1e-12)
    assert q["m"].item() == df["range_km"].max()
    top = store.query("SELECT sample FROM results ORDER BY range_km DESC LIMIT 3")
    expected = df.sort_values("range_km", ascending=False)["sample"][:3]
    assert top["sample"].tolist() == expected.tolist()
    assert store.query("SELECT count(*) AS n FROM runs")["n"].item() == 0


def test_empty_store_queries(tmp_path):
    store = ResultStore(tmp_path)
    assert store.query("SELECT count(*) AS n FROM results")["n"].item() == 0
    assert len(store.read()) == 0


def test_runs_table_and_guards(tmp_path):
    store = ResultStore(tmp_path)
    rid = store.start_run(
        seed=7, n_samples=10, chunk_size=5, executor="local", scenario_hash="abc", backend="cpu"
    )
    _fill(store, [(0, 5)], seed=7)
    runs = store.runs()
    assert runs["status"].tolist() == ["running"] and runs["seed"].tolist() == [7]
    assert store.mark_interrupted() == 1
    store.finish_run(rid, "complete")
    q = store.query("SELECT status, scenario_hash, bmdsim_version FROM runs")
    assert q.iloc[0].tolist()[:2] == ["complete", "abc"] and q.iloc[0, 2]
    store.check_compatible(seed=7, scenario_hash="abc")
    with pytest.raises(StoreMismatchError):
        store.check_compatible(seed=8, scenario_hash="abc")
    with pytest.raises(StoreMismatchError):
        store.check_compatible(seed=7, scenario_hash="other")
    with store.lock(), pytest.raises(StoreBusyError), ResultStore(tmp_path).lock():
        pass
    with store.lock():  # released again
        pass
    assert np.isfinite(store.runs()["end"].iloc[0].timestamp())
