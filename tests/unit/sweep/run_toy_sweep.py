"""Script for the kill -9 test: ``python run_toy_sweep.py STORE N CHUNK [EXECUTOR]``."""

import sys

from toy_task import slow_toy_task

from bmdsim.sweep import run_sweep

if __name__ == "__main__":
    store, n, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    executor = sys.argv[4] if len(sys.argv) > 4 else "local"
    run_sweep(
        slow_toy_task,
        n,
        chunk_size=chunk,
        executor=executor,
        max_workers=2,
        store=store,
        seed=42,
        scenario_hash="toy",
    )
    print("done")
