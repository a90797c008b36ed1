"""Run a chunked sweep on any ``concurrent.futures.Executor`` and record it in a store.

The task
--------
``task(start, stop, seed) -> pyarrow.Table`` computes samples [start, stop) and returns
their rows, with the store's index column (``"sample"``) holding each row's sample index.
It must draw its inputs from ``(seed, sample index)`` only (``sampling.sample`` does), so
the rows do not depend on chunking or executor. It must be a **top-level function of an
importable module** (not a lambda, closure or a function defined in ``__main__`` of an
interactive session): process pools and Dask workers receive it by pickle, i.e. by its
module and name; remote Dask workers need that module installed too. Scripts that use the
``processes`` or ``dask`` executors must guard their entry point with
``if __name__ == "__main__":`` because the workers are started by spawn and
re-import the main module.

Executors
---------
``"local"``                in this process, one chunk at a time (no pickling).
``"processes"``            ``ProcessPoolExecutor`` started by spawn (fork is unsafe in a
                           process that runs threads); each worker exits when this process
                           dies, even by ``kill -9`` (``PR_SET_PDEATHSIG`` on Linux and a
                           watchdog thread that sees its parent change).
``"dask"``                 a ``distributed.LocalCluster`` (``max_workers`` workers, one thread
                           each; worker processes unless ``dask_processes=False``) that only
                           its owner can use: TLS with a key and certificate made for the run
                           (``Security.temporary()``; a client without them is refused), on
                           127.0.0.1, and no dashboard (distributed always opens an HTTP
                           listener: it gets a random loopback port and no routes, never
                           8787) unless ``dashboard=True``.
``"dask=tcp://host:port"`` a running Dask scheduler by address; ``dask=tls://host:port`` one
                           that wants TLS, with the credentials of the Dask configuration
                           (``distributed.comm.tls.ca-file``, ``.client.cert``,
                           ``.client.key``; see docs/executors.md). The address is reached
                           with a plain TCP connect in ``CONNECT_TIMEOUT_S`` before any work
                           (``check_executor(..., connect=True)``), or refused in one line.
or any ``concurrent.futures.Executor`` instance, which the caller owns and shuts down.

Chunks are written by this (the parent) process as results arrive, so a store never sees
two writers. Before planning the work, ``run_sweep`` verifies the store (``store.verify``,
holding its lock): damaged or unknown parts are quarantined and their samples computed
again. At most ``2 * workers`` chunks are in flight: a killed run loses at most the
chunks being computed, never a written one; the same command resumes from the parts that
exist (see ``store.ResultStore``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait

import pyarrow as pa

from bmdsim.errors import InputError
from bmdsim.sweep.store import ResultStore

__all__ = [
    "InlineExecutor",
    "check_executor",
    "chunk_ranges",
    "executor_name",
    "open_executor",
    "run_sweep",
]

Task = Callable[[int, int, int], pa.Table]
Progress = Callable[[int, int], None]


class InlineExecutor(Executor):
    """A trivial Executor: ``submit`` runs the call at once in this process."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn(*args, **kwargs))
            except Exception as exc:  # delivered through the future, as a pool would
                future.set_exception(exc)
        return future


def _die_with_parent(parent_pid: int) -> None:
    """Process-pool worker initialiser: exit when the sweep's process is gone.

    Without it a ``kill -9`` of the sweep leaves its pool workers blocked on their call
    queue for ever (they hold the queue's write end themselves)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:  # died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="bmdsim-sweep-watchdog", daemon=True).start()


def chunk_ranges(ranges: list[tuple[int, int]], chunk_size: int) -> list[tuple[int, int]]:
    """Cut each [start, stop) into pieces of at most ``chunk_size``, aligned to multiples
    of ``chunk_size`` so that a resumed run cuts the same boundaries as the first."""
    out = []
    for start, stop in ranges:
        a = start
        while a < stop:
            b = min(stop, (a // chunk_size + 1) * chunk_size)
            out.append((a, b))
            a = b
    return out


def _default_workers(max_workers: int | None) -> int:
    if max_workers is not None:
        if max_workers < 1:
            raise InputError(
                "max_workers must be >= 1",
                field="max_workers",
                value=max_workers,
                allowed="an integer >= 1",
            )
        return int(max_workers)
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


def executor_name(executor) -> str:
    return executor if isinstance(executor, str) else type(executor).__name__


EXECUTORS = "local, processes, dask, dask=ADDRESS"
CONNECT_TIMEOUT_S = 5.0  # to reach a Dask scheduler's port before any work
CLIENT_TIMEOUT_S = 20.0  # for the Dask handshake once the port answered


def scheduler_address(executor: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``dask=[tcp://|tls://]HOST:PORT`` (or a same-process
    ``inproc://`` address, port 0); InputError otherwise."""
    address = executor.partition("=")[2].strip()
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    host, colon, port = rest.rpartition(":")
    host = host.strip("[]")
    allowed = "dask=tcp://HOST:PORT or dask=tls://HOST:PORT, PORT 1..65535"
    if scheme == "inproc" and rest:  # a scheduler in this very process (tests, notebooks)
        return scheme, rest, 0
    if scheme not in ("tcp", "tls") or not colon or not host or "/" in rest:
        raise InputError(
            f"executor {executor!r}: the scheduler address must be tcp://HOST:PORT or "
            "tls://HOST:PORT",
            field="executor",
            value=executor,
            allowed=allowed,
        )
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise InputError(
            f"executor {executor!r}: port {port!r} is not a number 1..65535",
            field="executor",
            value=executor,
            allowed=allowed,
        )
    return scheme, host, int(port)


def check_executor(executor: str | Executor, *, connect: bool = False) -> str | Executor:
    """``executor`` if it names an executor (see the module doc) or is one; InputError,
    saying what is allowed, otherwise. Starts nothing: call it before any work. With
    ``connect``, a ``dask=ADDRESS`` scheduler must answer a TCP connect within
    ``CONNECT_TIMEOUT_S`` seconds."""
    if isinstance(executor, Executor):
        return executor
    if not isinstance(executor, str):
        raise InputError(
            f"unknown executor {executor!r}; allowed: {EXECUTORS} or a concurrent.futures.Executor",
            field="executor",
            value=executor,
            allowed=f"{EXECUTORS} or a concurrent.futures.Executor",
        )
    if not (executor in ("local", "processes", "dask") or executor.startswith("dask=")):
        raise InputError(
            f"unknown executor {executor!r}; allowed: {EXECUTORS}",
            field="executor",
            value=executor,
            allowed=EXECUTORS,
        )
    if executor.strip() == "dask=":
        raise InputError(
            "give the scheduler address after dask=, e.g. dask=tcp://10.0.0.5:8786",
            field="executor",
            value=executor,
            allowed=EXECUTORS,
        )
    if executor.startswith("dask="):
        scheme, host, port = scheduler_address(executor)
        if connect and scheme != "inproc":
            try:
                socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
            except OSError as exc:
                why = (
                    f"no answer in {CONNECT_TIMEOUT_S:g} s"
                    if isinstance(exc, TimeoutError)
                    else (exc.strerror or str(exc))
                )
                raise InputError(
                    f"cannot reach the Dask scheduler at {scheme}://{host}:{port}: {why}; "
                    "start it, or check the address",
                    field="executor",
                    value=executor,
                    allowed="a running Dask scheduler's address",
                ) from None
            with _remote_client(executor, timeout_s=CONNECT_TIMEOUT_S * 2):
                pass  # it answers as a Dask scheduler and takes this client
    return executor


@contextlib.contextmanager
def _remote_client(executor: str, timeout_s: float = CLIENT_TIMEOUT_S):
    """A Client of the scheduler ``dask=ADDRESS``, with the Dask config's security (TLS
    credentials for tls://); InputError in one line when it cannot be had."""
    from distributed import Client
    from distributed.security import Security

    scheme, host, port = scheduler_address(executor)
    address = f"{scheme}://{host}" + (f":{port}" if port else "")
    try:
        client = Client(address, security=Security(), timeout=timeout_s)
    except (OSError, TimeoutError, MemoryError, TypeError, ValueError) as exc:
        # MemoryError: something that is not a Dask scheduler answered, and its first
        # bytes read as a frame of exabytes
        hint = (
            "give the Dask config TLS credentials (distributed.comm.tls.ca-file, "
            ".client.cert, .client.key; docs/executors.md)"
            if scheme == "tls" or isinstance(exc, TypeError)
            else "is it a Dask scheduler, and does it want TLS (dask=tls://...)?"
        )
        raise InputError(
            f"the Dask scheduler at {address} did not accept this client "
            f"({type(exc).__name__}); {hint}",
            field="executor",
            value=executor,
            allowed="a running Dask scheduler's address",
        ) from None
    try:
        yield client
    finally:
        client.close()


@contextlib.contextmanager
def _local_cluster(n: int, processes: bool, dashboard: bool):
    """A LocalCluster only this process can use (module doc) and its Client."""
    import dask
    from distributed import Client, LocalCluster
    from distributed.security import Security

    security = Security.temporary()
    config = (
        {}
        if dashboard
        else {
            "distributed.scheduler.http.routes": [],
            "distributed.worker.http.routes": [],
        }
    )
    with (
        dask.config.set(config),
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=processes,
            protocol="tls",
            security=security,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0" if not dashboard else "127.0.0.1:8787",
        ) as cluster,
        Client(cluster, security=security) as client,
    ):
        yield client


@contextlib.contextmanager
def open_executor(
    executor: str | Executor = "local",
    *,
    max_workers: int | None = None,
    dask_processes: bool = True,
    dashboard: bool = False,
) -> Iterator[tuple[Executor, int]]:
    """Yield ``(Executor, worker count)`` for an executor spec (see module doc);
    ``dashboard``: the local Dask cluster serves its dashboard (127.0.0.1:8787)."""
    check_executor(executor)
    if isinstance(executor, Executor):
        yield executor, _default_workers(max_workers)
        return
    if executor == "local":
        yield InlineExecutor(), 1
    elif executor == "processes":
        n = _default_workers(max_workers)
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=n, mp_context=ctx, initializer=_die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            yield pool, n
    elif executor.startswith("dask="):
        with _remote_client(executor) as client:
            n = max(1, sum(client.nthreads().values()))
            yield client.get_executor(), n
    else:  # dask (check_executor allows nothing else)
        n = _default_workers(max_workers)
        with _local_cluster(n, dask_processes, dashboard) as client:
            yield client.get_executor(), n


def run_sweep(
    task: Task,
    n_samples: int,
    *,
    chunk_size: int,
    executor: str | Executor = "local",
    store: ResultStore | str | os.PathLike,
    seed: int,
    progress: Progress | None = None,
    max_workers: int | None = None,
    scenario_hash: str = "",
    backend: str = "",
    dask_processes: bool = True,
    dashboard: bool = False,
) -> ResultStore:
    """Compute samples [0, n_samples) in chunks and record them in ``store``; resumable.

    The store is verified first (``store.verify(quarantine=True)``): a damaged or unknown
    part is moved to ``quarantine/`` and its samples computed again; ``store.last_check``
    keeps what was found. Chunks already complete in the store are skipped; the rest are
    submitted to the
    executor, and each finished chunk's table is written with ``store.write_chunk`` here,
    in the calling process, as it arrives. ``progress(done, total)`` is called in samples
    (first with what the store already held). A row in the store's runs table records the
    call (scenario hash, bmdsim version, seed, backend, executor, start, end, status).
    If a chunk raises, pending chunks are cancelled, the run is marked ``failed`` and the
    exception propagates; finished chunks stay written. Returns the store.
    """
    if not isinstance(n_samples, int) or n_samples < 0:
        raise InputError(
            "n_samples must be an integer >= 0",
            field="n_samples",
            value=n_samples,
            allowed="an integer >= 0",
        )
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError(
            "chunk_size must be an integer >= 1",
            field="chunk_size",
            value=chunk_size,
            allowed="an integer >= 1",
        )
    store = store if isinstance(store, ResultStore) else ResultStore(store)
    with store.lock():
        store.clean_temporary()
        store.mark_interrupted()
        store.last_check = store.verify(quarantine=True)
        store.check_compatible(seed=seed, scenario_hash=scenario_hash)
        todo = chunk_ranges(store.missing_ranges(n_samples), chunk_size)
        done = n_samples - sum(b - a for a, b in todo)
        if progress is not None:
            progress(done, n_samples)
        run_id = store.start_run(
            seed=seed,
            n_samples=n_samples,
            chunk_size=chunk_size,
            executor=executor_name(executor),
            scenario_hash=scenario_hash,
            backend=backend,
        )
        status = "failed"
        try:
            if todo:
                with open_executor(
                    executor,
                    max_workers=max_workers,
                    dask_processes=dask_processes,
                    dashboard=dashboard,
                ) as (pool, workers):
                    done = _drive(
                        pool,
                        workers,
                        task,
                        todo,
                        seed,
                        store,
                        done,
                        n_samples,
                        progress,
                        {"seed": int(seed), "scenario_hash": scenario_hash, "backend": backend},
                    )
            status = "complete"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            store.finish_run(run_id, status)
    return store


def _drive(
    pool: Executor,
    workers: int,
    task: Task,
    todo: list[tuple[int, int]],
    seed: int,
    store: ResultStore,
    done: int,
    total: int,
    progress: Progress | None,
    metadata: dict,
) -> int:
    # Keep every worker busy with one chunk queued behind it; in-process, one at a time.
    window = 1 if isinstance(pool, InlineExecutor) else max(1, 2 * workers)
    queue = list(reversed(todo))
    running: dict[Future, tuple[int, int]] = {}
    try:
        while queue or running:
            while queue and len(running) < window:
                start, stop = queue.pop()
                running[pool.submit(task, start, stop, int(seed))] = (start, stop)
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for fut in finished:
                start, stop = running.pop(fut)
                store.write_chunk(start, stop, fut.result(), metadata)
                done += stop - start
                if progress is not None:
                    progress(done, total)
    finally:
        for fut in running:
            fut.cancel()
    return done
