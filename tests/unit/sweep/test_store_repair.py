"""A store that checks and repairs itself (issue 16): the ledger, quarantine of damaged,
empty, truncated, garbage and stray parts, adoption of a store written before the ledger,
no lock-out of a later seed by a killed run, and the read-only query door."""

from __future__ import annotations

import json
import shutil
import time

import pyarrow.parquet as pq
import pytest
from toy_task import toy_task

from bmdsim.errors import InputError, StoreMismatchError
from bmdsim.sweep import ResultStore, run_sweep

N, CHUNK, SEED = 60, 10, 7


@pytest.fixture
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("reference")
    return run_sweep(toy_task, N, chunk_size=CHUNK, store=path, seed=SEED).read()


def _sweep(path, seed=SEED, n=N):
    return run_sweep(toy_task, n, chunk_size=CHUNK, store=path, seed=seed)


def test_every_part_is_in_the_ledger(tmp_path):
    store = _sweep(tmp_path)
    ledger = store.ledger()
    assert sorted(ledger) == [p.name for p in store.part_files()]
    e = ledger["part-000000000-000000010.parquet"]
    assert e["rows"] == 10 and e["seed"] == SEED and len(e["sha256"]) == 64
    assert store.verify().ok


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[:50]),  # truncated
        lambda p: p.write_bytes(b""),  # empty
        lambda p: p.write_bytes(b"garbage" * 40),  # garbage
        lambda p: p.write_bytes(p.read_bytes()[:-9] + b"X" + p.read_bytes()[-8:]),  # a bit
    ],
    ids=["truncated", "empty", "garbage", "one-byte"],
)
def test_a_damaged_part_is_quarantined_and_recomputed(tmp_path, reference, damage):
    store = _sweep(tmp_path)
    victim = store.part_files()[2]
    damage(victim)
    check = store.verify()
    assert not check.ok and [n for n, _ in check.damaged] == [victim.name]
    assert store.verify().damaged  # verify() alone changes nothing
    store = _sweep(tmp_path)
    assert store.last_check.quarantined
    assert len(list(store.quarantine_dir.iterdir())) == 1
    assert store.verify().ok
    assert store.read().equals(reference)


def test_a_stray_part_is_not_read_and_is_quarantined(tmp_path, reference):
    """A part-like file the ledger does not know (76,800 rows for 72,000 keys, issue 16)."""
    store = _sweep(tmp_path)
    pq.write_table(toy_task(5, 15, SEED), store.parts_dir / "part-000000005-000000015.parquet")
    shutil.copy(store.part_files()[0], store.parts_dir / "copy.parquet")
    assert store.query("SELECT count(*) AS n FROM results")["n"].item() == N
    assert len(store.read()) == N
    check = store.verify()
    assert sorted(n for n, _ in check.unknown) == [
        "copy.parquet",
        "part-000000005-000000015.parquet",
    ]
    store = _sweep(tmp_path)
    assert len(store.last_check.quarantined) == 2 and store.verify().ok
    assert store.read().equals(reference)


def test_a_killed_run_before_its_first_part_locks_out_no_seed(tmp_path, reference):
    store = ResultStore(tmp_path)
    store.start_run(seed=1, n_samples=N, chunk_size=CHUNK, executor="local")  # then killed
    _sweep(tmp_path, seed=SEED)  # another seed: accepted
    store = _sweep(tmp_path, seed=SEED, n=N)  # and it resumes
    assert store.read().equals(reference)
    with pytest.raises(StoreMismatchError, match="delete .* to start this store again"):
        _sweep(tmp_path, seed=1)


def test_a_torn_ledger_line_loses_one_part_only(tmp_path, reference):
    store = _sweep(tmp_path)
    text = store.ledger_path.read_text()
    store.ledger_path.write_text(text[:-40])  # a kill during the last append
    assert len(store.part_files()) == N // CHUNK - 1
    store = _sweep(tmp_path)
    assert store.verify().ok and store.read().equals(reference)


def test_a_store_from_before_the_ledger_is_adopted(tmp_path, reference):
    store = _sweep(tmp_path)
    store.ledger_path.unlink()
    assert len(store.part_files()) == N // CHUNK  # read as before
    store = _sweep(tmp_path)
    assert store.last_check.adopted == N // CHUNK and not store.last_check.quarantined
    assert store.ledger_path.exists() and store.verify().ok
    assert store.read().equals(reference)


def test_a_lost_part_is_recomputed(tmp_path, reference):
    store = _sweep(tmp_path)
    store.part_files()[1].unlink()
    assert [n for n, _ in store.verify().lost] == ["part-000000010-000000020.parquet"]
    store = _sweep(tmp_path)
    assert store.read().equals(reference)


def test_kill_nine_trials_resume_to_identical_rows(tmp_path, reference):
    """Simulated kills at the three moments that matter: after the temporary is written,
    after the rename but before the ledger line, and after the ledger line."""
    store = _sweep(tmp_path)
    victim = store.part_files()[3]
    # between rename and ledger append: a part the ledger does not know
    entries = [e for e in store.ledger().values() if e["part"] != victim.name]
    store._write_ledger(entries)
    # a half-written temporary
    (store.parts_dir / ".part-000000050-000000060.parquet.dead.tmp").write_bytes(b"PAR1")
    store = _sweep(tmp_path)
    assert store.verify().ok and store.read().equals(reference)
    assert not store.temporary_files()


# -- the read-only query door ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "COPY (SELECT 1) TO 'COPIED.csv'",
        "ATTACH 'ATTACHED.db' AS x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "EXPORT DATABASE 'EXPORTED'",
    ],
)
def test_the_query_door_is_read_only(tmp_path, sql):
    import duckdb

    store = _sweep(tmp_path / "s")
    sql = sql.replace("COPIED", str(tmp_path / "c")).replace("ATTACHED", str(tmp_path / "a"))
    sql = sql.replace("EXPORTED", str(tmp_path / "e"))
    with pytest.raises((duckdb.Error, InputError)):
        store.query(sql)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_the_views_and_ddl_still_work(tmp_path):
    store = _sweep(tmp_path)
    q = store.query("SELECT count(*) AS n, count(DISTINCT sample) AS k FROM results")
    assert q.iloc[0].tolist() == [N, N]
    store.query("CREATE TABLE t AS SELECT 1")  # in memory, harmless
    assert store.query("SELECT count(*) AS n FROM runs")["n"].item() == 1


def test_the_full_connection_is_for_those_who_ask(tmp_path):
    store = _sweep(tmp_path)
    out = tmp_path / "copied.csv"
    store.query(f"COPY (SELECT 1 AS one) TO '{out}'", external_access=True)
    assert out.read_text().strip().splitlines() == ["one", "1"]


def test_row_and_time_limits(tmp_path):
    store = _sweep(tmp_path)
    with pytest.raises(InputError, match="more than 5 rows"):
        store.query("SELECT * FROM results", max_rows=5)
    assert len(store.query("SELECT * FROM results", max_rows=N)) == N
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="longer than 0.5 s"):
        store.query(
            "SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3", timeout_s=0.5
        )
    assert time.perf_counter() - t0 < 30


def test_empty_sql_is_a_user_error(tmp_path):
    store = _sweep(tmp_path)
    for sql in ("", "   "):
        with pytest.raises(InputError, match="empty"):
            store.query(sql)


def test_verify_reports_as_data(tmp_path):
    store = _sweep(tmp_path)
    store.part_files()[0].write_bytes(b"")
    report = store.verify().to_dict()
    assert json.loads(json.dumps(report))["damaged"][0]["file"].startswith("part-")
    assert report["ok"] is False and report["parts"] == N // CHUNK - 1
