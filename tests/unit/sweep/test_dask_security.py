"""A local Dask cluster only its owner can use, and scheduler addresses checked before any
work (issues 15 and 16)."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from toy_task import toy_task

from bmdsim.errors import InputError
from bmdsim.sweep.executors import _local_cluster, check_executor, open_executor


def _listening_ports() -> set[tuple[str, int]]:
    import psutil

    return {
        (c.laddr.ip, c.laddr.port)
        for c in psutil.Process(os.getpid()).net_connections()
        if c.status == psutil.CONN_LISTEN
    }


@pytest.mark.timeout(180)
def test_the_local_cluster_refuses_other_clients():

    with open_executor("dask", max_workers=1, dask_processes=False) as (executor, n):
        assert executor.submit(toy_task, 0, 3, 1).result().num_rows == 3  # the owner works
        address = executor._client.scheduler.address
        assert address.startswith("tls://127.0.0.1:")
        # no credentials; plain TCP; credentials of another (temporary) authority. Each
        # intruder runs in its own process: a refused Client can hang in its own close
        # (distributed's loop-runner lock; seen in 1 of 4 runs), and a hung intruder is a
        # refused one, so it is killed after INTRUDER_TIMEOUT_S and counts as refused.
        attempts = [
            (address, ""),
            (address.replace("tls://", "tcp://"), ""),
            (address, "temporary"),
        ]
        for target, security in attempts:
            assert _intrude(target, security) != "INTRUDED", (target, security)
        # no dashboard on 8787, and nothing listens beyond the loopback interface
        ports = _listening_ports()
        assert all(ip == "127.0.0.1" for ip, _ in ports), ports
        assert ("127.0.0.1", 8787) not in ports


INTRUDER_TIMEOUT_S = 60
_INTRUDER = """
import os, sys
from distributed import Client
from distributed.security import Security
kwargs = {"address": sys.argv[1], "timeout": 5}
if sys.argv[2] == "temporary":
    kwargs["security"] = Security.temporary()
try:
    with Client(**kwargs) as intruder:
        intruder.submit(os.getpid).result(timeout=5)
except Exception:
    print("REFUSED", flush=True)
    os._exit(0)
print("INTRUDED", flush=True)
os._exit(0)
"""


def _intrude(address: str, security: str) -> str:
    """'INTRUDED' when a client in another process got work done on ``address``;
    'REFUSED' when it was refused; 'HUNG' when it never finished (killed)."""
    import subprocess
    import sys

    try:
        out = subprocess.run(
            [sys.executable, "-c", _INTRUDER, address, security],
            capture_output=True,
            text=True,
            timeout=INTRUDER_TIMEOUT_S,
        ).stdout
    except subprocess.TimeoutExpired:
        return "HUNG"
    return "INTRUDED" if "INTRUDED" in out else "REFUSED"


@pytest.mark.timeout(180)
def test_the_intruder_does_get_in_where_nothing_keeps_it_out():
    """The control of the test above: against an open (plain TCP, no credentials)
    cluster the same intruder process gets its work done."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=":0",  # a free port: never 8787, which the test above checks
    ) as open_cluster:
        assert _intrude(open_cluster.scheduler_address, "") == "INTRUDED"


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_an_unreachable_scheduler_is_refused_before_any_work():
    """An unreachable local scheduler was a 30 s time-out and an OSError traceback."""
    port = _closed_port()
    t0 = time.perf_counter()
    with pytest.raises(InputError) as err:
        check_executor(f"dask=tcp://127.0.0.1:{port}", connect=True)
    assert time.perf_counter() - t0 < 8
    assert "cannot reach the Dask scheduler" in err.value.message
    check_executor(f"dask=tcp://127.0.0.1:{port}")  # without connect: parsing only


@pytest.mark.timeout(60)
def test_something_that_is_not_a_scheduler_is_refused_in_one_line():
    """tcp://10.0.0.5:8786 ended after ~110 s in a 3 EiB MemoryError (issue 15): here a
    server that answers with bytes that read as a frame of exabytes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    stop = threading.Event()

    def answer():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"\xff" * 64)
                time.sleep(0.5)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        t0 = time.perf_counter()
        with pytest.raises(InputError) as err:
            check_executor(f"dask=tcp://127.0.0.1:{port}", connect=True)
        assert time.perf_counter() - t0 < 30
        assert "did not accept this client" in err.value.message
        assert "\n" not in err.value.message
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@pytest.mark.parametrize(
    "spec",
    [
        "dask=10.0.0.5",
        "dask=tcp://host",
        "dask=tcp://host:0",
        "dask=tcp://host:99999",
        "dask=http://host:8786",
        "dask=tcp://host:port",
    ],
)
def test_a_malformed_address_is_refused(spec):
    with pytest.raises(InputError, match="HOST:PORT|port"):
        check_executor(spec)


@pytest.mark.timeout(180)
def test_a_tls_scheduler_with_the_dask_config_credentials():
    """The documented way to use a cluster that wants TLS: its credentials in the Dask
    config (distributed.comm.tls.*); without them, one line saying so."""
    import dask

    with _local_cluster(1, False, False) as client:
        address = client.scheduler.address
        security = client.security
        with pytest.raises(InputError, match="TLS credentials"):
            check_executor(f"dask={address}", connect=True)
        config = {
            "distributed.comm.tls.ca-file": security.tls_ca_file,
            "distributed.comm.tls.client.cert": security.tls_client_cert,
            "distributed.comm.tls.client.key": security.tls_client_key,
        }
        with dask.config.set(config):
            check_executor(f"dask={address}", connect=True)
            with open_executor(f"dask={address}") as (executor, n):
                assert executor.submit(toy_task, 0, 2, 1).result().num_rows == 2
