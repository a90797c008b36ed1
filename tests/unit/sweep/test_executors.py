"""run_sweep: identical rows whatever the executor and chunking; resume after kill -9."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from toy_task import toy_task

from bmdsim.sweep import ResultStore, chunk_ranges, run_sweep

HERE = Path(__file__).parent
N = 600


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    store = run_sweep(toy_task, N, chunk_size=N, store=tmp_path_factory.mktemp("ref"), seed=42)
    return store.read()


def _assert_same(df, ref):
    assert df["sample"].tolist() == list(range(len(ref)))
    pd.testing.assert_frame_equal(df.reset_index(drop=True), ref, check_exact=True)


@pytest.mark.parametrize("chunk_size", [64, 250])
def test_local_chunk_sizes_agree(tmp_path, reference, chunk_size):
    seen = []
    store = run_sweep(
        toy_task,
        N,
        chunk_size=chunk_size,
        store=tmp_path,
        seed=42,
        progress=lambda done, total: seen.append((done, total)),
    )
    _assert_same(store.read(), reference)
    assert seen[0] == (0, N) and seen[-1] == (N, N)
    assert len(store.completed_chunks()) == -(-N // chunk_size)
    assert store.runs()["status"].tolist() == ["complete"]


def test_processes_agree(tmp_path, reference):
    store = run_sweep(
        toy_task, N, chunk_size=100, executor="processes", max_workers=2, store=tmp_path, seed=42
    )
    _assert_same(store.read(), reference)
    assert store.runs()["executor"].tolist() == ["processes"]


def test_dask_local_cluster_agrees(tmp_path, reference):
    store = run_sweep(
        toy_task,
        N,
        chunk_size=150,
        executor="dask",
        max_workers=2,
        dask_processes=False,
        store=tmp_path,
        seed=42,
    )
    _assert_same(store.read(), reference)


def test_dask_scheduler_by_address(tmp_path, reference):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address="127.0.0.1:0"
    ) as cluster:
        store = run_sweep(
            toy_task,
            N,
            chunk_size=200,
            executor=f"dask={cluster.scheduler_address}",
            store=tmp_path,
            seed=42,
        )
    _assert_same(store.read(), reference)


def test_resume_fills_only_the_gaps(tmp_path, reference):
    store = ResultStore(tmp_path)
    for a, b in [(0, 100), (300, 400)]:
        store.write_chunk(a, b, toy_task(a, b, 42))
    before = {p: p.stat().st_mtime_ns for p in store.part_files()}
    run_sweep(toy_task, N, chunk_size=128, store=store, seed=42)
    for p, t in before.items():
        assert p.stat().st_mtime_ns == t  # untouched
    assert store.completed_chunks() == [
        (0, 100),
        (100, 128),
        (128, 256),
        (256, 300),
        (300, 400),
        (400, 512),
        (512, 600),
    ]
    _assert_same(store.read(), reference)


def test_a_failing_chunk_marks_the_run_failed(tmp_path):
    with pytest.raises(ZeroDivisionError):
        run_sweep(_fails_at_200, 400, chunk_size=100, store=tmp_path, seed=1)
    store = ResultStore(tmp_path)
    assert store.runs()["status"].tolist() == ["failed"]
    assert store.completed_chunks() == [(0, 100), (100, 200)]


def _fails_at_200(start, stop, seed):
    if start >= 200:
        raise ZeroDivisionError("toy failure")
    return toy_task(start, stop, seed)


def test_chunk_ranges_align():
    assert chunk_ranges([(0, 10)], 4) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_ranges([(3, 10)], 4) == [(3, 4), (4, 8), (8, 10)]


def _descendants(pid: int) -> list[int]:
    """Child processes, recursively (Linux /proc; [] elsewhere)."""
    try:
        kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _descendants(k)]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has exited (a container's init may not reap)


@pytest.mark.parametrize("executor", ["local", "processes"])
def test_resume_after_kill_9(tmp_path, reference, executor):
    n, chunk = N, 10  # 60 chunks of 50 ms each
    store_dir = tmp_path / "killed"
    path = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    script = str(HERE / "run_toy_sweep.py")
    cmd = [sys.executable, script, str(store_dir), str(n), str(chunk), executor]
    log = tmp_path / "first-run.log"
    parts = store_dir / "parts"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if parts.is_dir() and len(list(parts.glob("part-*.parquet"))) >= 5:
                break
            assert proc.poll() is None, log.read_text()
            time.sleep(0.01)
        workers = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    if executor == "processes" and Path("/proc").is_dir():
        assert len(workers) >= 2  # the pool's workers (and its resource tracker)
    assert proc.returncode == -signal.SIGKILL
    killed_with = len(list(parts.glob("part-*.parquet")))
    assert 5 <= killed_with < n // chunk
    assert ResultStore(store_dir).runs()["status"].tolist() == ["running"]
    # pool workers do not outlive a killed sweep (they would block for ever)
    deadline = time.monotonic() + 10
    while any(_running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _running(w)]

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    store = ResultStore(store_dir)
    df = store.read()
    assert df["sample"].value_counts().max() == 1
    _assert_same(df, reference)
    assert store.temporary_files() == []
    assert store.runs()["status"].tolist() == ["interrupted", "complete"]


def test_dask_local_cluster_with_worker_processes(tmp_path, reference):
    store = run_sweep(
        toy_task, N, chunk_size=300, executor="dask", max_workers=2, store=tmp_path, seed=42
    )
    _assert_same(store.read(), reference)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("ray", "unknown executor 'ray'; allowed: local, processes, dask, dask=ADDRESS"),
        ("dask=", "give the scheduler address after dask="),
        (4, "concurrent.futures.Executor"),
    ],
)
def test_a_bad_executor_is_refused_before_anything_starts(spec, words):
    from bmdsim.errors import InputError
    from bmdsim.sweep.executors import check_executor, open_executor

    with pytest.raises(InputError, match=re.escape(words)):
        check_executor(spec)
    # open_executor asks the same question first: "dask=" must not start a LocalCluster
    with pytest.raises(InputError), open_executor(spec):
        pass


def test_good_executors_pass_the_check():
    from bmdsim.sweep.executors import InlineExecutor, check_executor

    for spec in ("local", "processes", "dask", "dask=tcp://10.0.0.5:8786"):
        assert check_executor(spec) == spec
    inline = InlineExecutor()
    assert check_executor(inline) is inline
