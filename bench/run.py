"""bmdsim benchmark: trajectories per second, footprint time, memory of a large sweep.

Run by ``make bench``; prints a table and never fails on timing. ``--quick`` skips the
largest batches; ``--only NAME`` / ``--skip NAME`` (repeatable) pick sections: flights,
footprint, engagement, memory, sweep, phases (``bmdsim run europe-2016`` phase by phase,
``--phase-samples`` samples, CPU) and gpu (ICBM and SRBM flights a second on the GPU at
1e5-1e7, and the europe-2016 run with 10^6 samples on the GPU, phase by phase; where there
is no GPU, one line says why it is skipped),
commands (wall time of `bmdsim --help`, `catalogue list`, `reach`, `trajectory` and
`make demo`, each in a fresh process as a user runs them). Vehicles: the test fixtures of
tests/fixture_vehicles.py (made-up SRBM and three-stage ICBM, not real systems); the sweep
section runs the shipped europe-2016 scenario. Targets are for a 2-core machine (DESIGN.md
s. 7).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _fixtures():
    path = ROOT / "tests" / "fixture_vehicles.py"
    spec = importlib.util.spec_from_file_location("bench_vehicles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Loaded by main(), not on import: the sweep section's spawned workers re-import this
# module (as __mp_main__) and need none of it (the fixtures import pytest).
FIX = SRBM = ICBM = TEYKOVO = None


def _load_fixtures():
    global FIX, SRBM, ICBM, TEYKOVO
    FIX = _fixtures()
    SRBM, ICBM, TEYKOVO = FIX.SRBM, FIX.ICBM, FIX.TEYKOVO


MAX_RANGE_KICK_RAD = {"srbm": 0.111, "icbm": 0.326}  # measured from Teykovo (maximum_range)
TARGET_PER_S = {"icbm": 10_000, "srbm": 50_000}
FOOTPRINT_TARGET_S = 0.5
SWEEP_TARGET_BYTES = 1 << 30


def _rows(vehicle, n, model, rng):
    from bmdsim.flight.batch import launch_rows

    az = rng.uniform(0.0, 2 * np.pi, n)
    kick = MAX_RANGE_KICK_RAD[vehicle.id] + rng.uniform(-0.03, 0.03, n)
    return launch_rows(
        0, np.radians(TEYKOVO[0]), np.radians(TEYKOVO[1]), 0.0, az, kick, np.inf, model
    )


def _time_flights(vehicle, n, model, backend, repeats, rng):
    from bmdsim.flight.batch import fly_batch
    from bmdsim.flight.vehicle import pack_vehicles

    table = pack_vehicles([vehicle])
    rows = _rows(vehicle, n, model, rng)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = fly_batch(table, rows, TEYKOVO[0], TEYKOVO[1], model, backend=backend)
        best = min(best, time.perf_counter() - t0)
    assert res.impacted.all(), "a benchmark flight did not come down"
    return best


def _kernel_only(vehicle, n, model, rng, repeats):
    """Time the numba launcher alone (no geodesic post-processing), for comparison."""
    from bmdsim.flight.backends.cpu import fly_batch as run
    from bmdsim.flight.vehicle import pack_vehicles

    table = pack_vehicles([vehicle])
    rows = _rows(vehicle, n, model, rng)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(table, rows, model.row())
        best = min(best, time.perf_counter() - t0)
    return best


def _footprint_seconds(vehicle, model, repeats=2):
    from bmdsim.flight.reach import reach_vehicle

    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        reach_vehicle(
            vehicle,
            launch_lat_deg=TEYKOVO[0],
            launch_lon_deg=TEYKOVO[1],
            n_azimuths=360,
            model=model,
        )
        best = min(best, time.perf_counter() - t0)
    return best


def _sweep_memory(n_total, chunk, model, rng):
    """Fly n_total SRBM summaries in chunks, keeping only (range, time, apogee) per
    flight; return (seconds, peak RSS growth in bytes)."""
    from bmdsim.flight.batch import fly_batch
    from bmdsim.flight.vehicle import pack_vehicles

    table = pack_vehicles([SRBM])
    kept = np.empty((n_total, 3))
    gc.collect()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    t0 = time.perf_counter()
    for start in range(0, n_total, chunk):
        n = min(chunk, n_total - start)
        res = fly_batch(table, _rows(SRBM, n, model, rng), TEYKOVO[0], TEYKOVO[1], model)
        kept[start : start + n, 0] = res.range_m
        kept[start : start + n, 1] = res.flight_time_s
        kept[start : start + n, 2] = res.apogee_m
    seconds = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return seconds, max(rss1 - rss0, 0)


def _cuda_available():
    try:
        from bmdsim.flight.backends import cuda

        return cuda.available() and not cuda.simulated()
    except Exception:  # noqa: BLE001 - any import or driver failure means "no GPU rows"
        return False


def _cuda_why_not() -> str:
    """Why there are no GPU rows here, in a line."""
    if os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1":
        return "NUMBA_ENABLE_CUDASIM=1 (numba's simulator is no GPU)"
    try:
        import bmdsim.flight.backends.cuda  # noqa: F401
    except Exception as exc:  # noqa: BLE001
        return f"the CUDA backend does not import ({type(exc).__name__}: {exc})"
    return "numba-cuda finds no NVIDIA GPU with a working driver"


GPU_TARGET_PER_S = {"icbm": 3_000_000, "srbm": 10_000_000}
GPU_SIZES = (100_000, 1_000_000, 10_000_000)
GPU_SWEEP_SAMPLES = 1_000_000
GPU_SWEEP_TARGET_S = 10.0  # issue 11: sampling and analysis of 10^6 samples, one H100


def _gpu_rows(model, rng, quick):
    """Full flights on the GPU, kernel and transfers (summaries only), 1e5 to 1e7
    trajectories (--quick: to 1e6): the issue's 3 M ICBM and 10 M SRBM a second."""
    from bmdsim.flight.backends.cuda import fly_batch as cuda_fly
    from bmdsim.flight.vehicle import pack_vehicles

    for vehicle in (ICBM, SRBM):
        table = pack_vehicles([vehicle])
        target = GPU_TARGET_PER_S[vehicle.id]
        cuda_fly(table, _rows(vehicle, 1_000, model, rng), model.row())  # load the kernel
        for n in GPU_SIZES[:2] if quick else GPU_SIZES:
            rows = _rows(vehicle, n, model, rng)
            t0 = time.perf_counter()
            summary, _ = cuda_fly(table, rows, model.row())
            sec = time.perf_counter() - t0
            down = int((summary[:, 0] == 1.0).sum())  # state.STATUS_IMPACT
            _print_row(
                f"{vehicle.id} full flight [cuda]",
                n,
                sec,
                n / sec,
                f">= {target:,}/s",
                ("yes" if n / sec >= target else "NO") + ("" if down == n else f" ({n - down} up)"),
            )


def _phase_rows(samples, backend, executor="local"):
    """``bmdsim run europe-2016`` with ``samples`` samples on ``backend``: the time of each
    phase (scenario.phases.PHASES), wall clock and this process's CPU, into a temporary
    folder. Returns the run's timing dict."""
    import tempfile

    from bmdsim.analyses import engage
    from bmdsim.defence import interceptor
    from bmdsim.scenario import example_path, load_scenario
    from bmdsim.scenario.run import run_scenario

    # as in a fresh `bmdsim run`: no flyout table or interceptor kept from earlier sections
    engage._FLYOUT_CACHE.clear()
    interceptor.interceptor_vehicle.cache_clear()
    interceptor.calibrate_propellant_fraction.cache_clear()
    scn = load_scenario(example_path("europe-2016")).model_copy(update={"backend": backend})
    with tempfile.TemporaryDirectory(prefix="bmdsim-bench-run-") as tmp:
        result = run_scenario(scn, Path(tmp) / "run", samples=samples, executor=executor)
    timing = result.timing()
    for name, sec in timing["phases_s"].items():
        cpu = timing["phases_cpu_s"][name]
        _print_row(f"europe-2016 phase {name} [{backend}]", samples, sec, None, f"cpu {cpu:.1f} s",
                   "-")  # fmt: skip
    sampling = sum(timing["phases_s"].get(k, 0.0) for k in ("tables", "samples", "store"))
    _print_row(f"europe-2016 total [{backend}, {executor}]", samples, timing["total_s"],
               samples / timing["total_s"], f"sampling {sampling:.1f} s", "-")  # fmt: skip
    return timing


def _gpu_sweep_rows(samples=GPU_SWEEP_SAMPLES):
    """The issue's figure: europe-2016 with 10^6 samples on the GPU; sampling and analysis
    (tables + samples + store) under 10 s on one H100."""
    timing = _phase_rows(samples, "cuda")
    sampling = sum(timing["phases_s"].get(k, 0.0) for k in ("tables", "samples", "store"))
    _print_row(
        "europe-2016 sampling + analysis [cuda]",
        samples,
        sampling,
        samples / sampling,
        f"< {GPU_SWEEP_TARGET_S:g} s",
        "yes" if sampling < GPU_SWEEP_TARGET_S else "NO",
    )


def _print_row(case, batch, seconds, rate, target, met):
    rate_s = f"{rate:>14,.0f}" if rate is not None else f"{'-':>14}"
    print(f"{case:<34} {batch:>9,} {seconds:>9.3f} {rate_s}  {target:<16} {met}")


# --- engagement matrix (issue 3): 1,000 threats x 10 sites x 3 interceptors -----------

MATRIX_TARGET_S = 2.0
KALININGRAD = (54.71, 20.51)  # SRBM launch area of the bench (public geography)
# Ten defended points over Europe (lat, lon deg): the Aegis Ashore sites and otherwise
# capitals and towns as notional sites; public geography, no deployment implied.
EUROPE_SITES = {
    "redzikowo": (54.48, 17.10),
    "deveselu": (44.08, 24.35),
    "rota": (36.62, -6.35),
    "kurecik": (38.25, 37.80),
    "oslo": (59.91, 10.75),
    "stockholm": (59.33, 18.07),
    "helsinki": (60.17, 24.94),
    "vilnius": (54.69, 25.28),
    "berlin": (52.52, 13.40),
    "ramstein": (49.44, 7.60),
}
# Notional interceptors (not catalogue entries): burnout speed m/s, altitude window m.
BENCH_INTERCEPTORS = {
    "notional-3.0": (3_000.0, 70e3, np.inf),
    "notional-4.5": (4_500.0, 70e3, np.inf),
    "notional-5.5": (5_500.0, 100e3, np.inf),
}


def _bench_threats(model, rng, n):
    """70 % ICBMs from Teykovo westward (azimuths 280-340 deg), 30 % SRBMs from the
    Kaliningrad area westward, kicks scattered about maximum range; recorded."""
    from bmdsim.flight.batch import fly_batch, launch_rows
    from bmdsim.flight.vehicle import pack_vehicles

    n_icbm = int(0.7 * n)
    vid = np.r_[np.zeros(n_icbm), np.ones(n - n_icbm)]
    lat = np.r_[np.full(n_icbm, TEYKOVO[0]), np.full(n - n_icbm, KALININGRAD[0])]
    lon = np.r_[np.full(n_icbm, TEYKOVO[1]), np.full(n - n_icbm, KALININGRAD[1])]
    az = np.r_[rng.uniform(280.0, 340.0, n_icbm), rng.uniform(230.0, 290.0, n - n_icbm)]
    kick = np.r_[
        MAX_RANGE_KICK_RAD["icbm"] + rng.uniform(-0.05, 0.05, n_icbm),
        MAX_RANGE_KICK_RAD["srbm"] + rng.uniform(-0.03, 0.03, n - n_icbm),
    ]
    rows = launch_rows(
        vid, np.radians(lat), np.radians(lon), 0.0, np.radians(az), kick, np.inf, model
    )
    return fly_batch(pack_vehicles([ICBM, SRBM]), rows, lat, lon, model, record_steps=600)


def _engagement_rows(model, rng, quick):
    """Flyout tables (built once per interceptor, shared by the ten sites), the threats
    flown and put on a 1 s grid, and the matrix itself, timed apart."""
    from bmdsim.defence.engagement import Battery
    from bmdsim.defence.flyout import flyout_table
    from bmdsim.defence.interceptor import InterceptorDesign, interceptor_vehicle
    from bmdsim.defence.matrix import engagement_matrix, threat_tracks_to_grid

    n_elev = 20 if quick else 80
    t0 = time.perf_counter()
    tables = {}
    # a notional SM-3 IIA-class rocket (not a catalogue entry), thrust scaled per speed
    design = InterceptorDesign(
        id="bench",
        launch_mass_kg=2_500.0,
        kill_vehicle_mass_kg=30.0,
        stage_burn_times_s=(6.0, 36.0, 18.0),
        isp_vac_s=270.0,
        diameter_m=0.53,
        vertical_rise_s=20.0,
        cd_mach=(0.0, 0.8, 1.2, 2.0, 4.0, 10.0),
        cd=(0.30, 0.35, 0.50, 0.38, 0.28, 0.22),
    )
    for iid, (speed, lo, hi) in BENCH_INTERCEPTORS.items():
        vehicle = interceptor_vehicle(design, speed, 4_500.0)
        tables[iid] = flyout_table(
            vehicle,
            site_lat_deg=52.0,
            site_lon_deg=15.0,
            azimuth_deg=0.0,
            launch_elevations_deg=np.linspace(10.0, 89.0, n_elev),
            max_flight_time_s=400.0,
            min_altitude_m=lo,
            max_altitude_m=hi,
        )
    sec = time.perf_counter() - t0
    nodes = sum(t.time_s.size for t in tables.values())
    _print_row(f"flyout tables, {n_elev} elevations", 3, sec, None, f"({nodes:,} nodes)", "-")

    n = 1_000
    _bench_threats(model, rng, 8)  # compile or load the cache
    t0 = time.perf_counter()
    res = _bench_threats(model, rng, n)
    t_fly = time.perf_counter() - t0
    assert res.impacted.all(), "a benchmark threat did not come down"
    threat_tracks_to_grid(res, 1.0, model=model)  # compile or load the cache
    t0 = time.perf_counter()
    grid = threat_tracks_to_grid(res, 1.0, model=model)
    t_grid = time.perf_counter() - t0
    _print_row("threats flown (record)", n, t_fly, n / t_fly, "-", "-")
    _print_row(f"threats on a 1 s grid ({len(grid.t_s)} s)", n, t_grid, n / t_grid, "-", "-")

    batteries = [
        Battery(site, iid, lat, lon, 0.0, table)
        for site, (lat, lon) in EUROPE_SITES.items()
        for iid, table in tables.items()
    ]
    # cueing: firm track 60 s after burnout, commit 30 s later; one threat in ten never
    detect = grid.burnout_time_s + 60.0
    commit = np.repeat((detect + 30.0)[:, None], len(batteries), axis=1)
    commit[::10] = np.inf
    tracked = grid.t_s[None, :] >= detect[:, None]
    args = (grid.t_s, grid.r_ecef_m, grid.alt_m, grid.valid, batteries, commit)
    t0 = time.perf_counter()
    engagement_matrix(*args, tracked=tracked)  # compile or load the cache
    t_first = time.perf_counter() - t0
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        out = engagement_matrix(*args, tracked=tracked)
        best = min(best, time.perf_counter() - t0)
    pairs = out.feasible.size
    _print_row(
        f"engagement matrix {n:,} x {len(EUROPE_SITES)} x {len(tables)}",
        pairs,
        best,
        pairs / best,
        f"< {MATRIX_TARGET_S:g} s",
        "yes" if best < MATRIX_TARGET_S else "NO",
    )
    counts = ", ".join(f"{k} {v:,}" for k, v in out.reason_counts().items())
    print(
        f"{'':<4}(pairs/s above; first call {t_first:.2f} s incl. compile or cache load; "
        f"{int(out.feasible.any(axis=1).sum())} threats engageable; {counts})"
    )


# --- sampled engagement sweep (issue 4): europe-2016, 100,000 samples --------------------

MC_SAMPLES = 100_000
MC_TARGET_S = 60.0  # build + sweep, 2 cores
OVERHEAD_SAMPLES, OVERHEAD_CHUNK = 20_000, 2_000
SWEEP_EXECUTORS = ("local", "processes", "dask")


def _cpu_seconds():
    """User + system CPU of this process and its reaped children (pool workers)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed_sweep(task, n, chunk, executor):
    """(seconds, CPU seconds, rows written) of one run_sweep into a fresh temporary store."""
    import tempfile
    import warnings

    from bmdsim.sweep import run_sweep

    with tempfile.TemporaryDirectory(prefix="bmdsim-bench-") as tmp, warnings.catch_warnings():
        # a LocalCluster falls back to another port when 8787 is taken: not a result
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cpu0 = _cpu_seconds()
        t0 = time.perf_counter()
        store = run_sweep(
            task,
            n,
            chunk_size=chunk,
            executor=executor,
            store=tmp,
            seed=2016,
            scenario_hash="bench",
            backend=task.backend,
        )
        sec = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        rows = int(store.query("SELECT count(*) AS n FROM results")["n"].iloc[0])
    return sec, cpu, rows


def _sweep_rows(quick):
    """The precompute (threats flown at central values, then EngagementSweep.build: threat
    tracks, flyout-table ladders), the executor comparison at 20,000 samples, then 100,000
    samples on local and processes (--quick: on the faster of the two only). The total
    (precompute + sweep) is the issue's "< 60 s"."""
    from bmdsim.scenario import example_path, load_scenario
    from bmdsim.scenario.plan import fly_threats
    from bmdsim.scenario.references import scenario_catalogue
    from bmdsim.scenario.run import default_chunk_size
    from bmdsim.scenario.sweep_task import EngagementSweep

    scn = load_scenario(example_path("europe-2016"))
    cat = scenario_catalogue(scn)
    # the central trajectories, aimed together and flown as run_scenario does before the build
    t0 = time.perf_counter()
    flown = dict(zip([t.id for t in scn.threats], fly_threats(scn.threats, cat, scn.backend),
                     strict=True))  # fmt: skip
    t_fly = time.perf_counter() - t0
    t0 = time.perf_counter()
    task = EngagementSweep.build(scn, cat, trajectories=flown)
    t_tables = time.perf_counter() - t0
    t_build = t_fly + t_tables
    t0 = time.perf_counter()
    task(0, 100, 0)  # compile or load numba's cache for the per-sample kernels
    t_warm = time.perf_counter() - t0
    _print_row("europe-2016 threats flown, aimed", len(flown), t_fly, None, "-", "-")
    _print_row(
        "europe-2016 sweep build (tables)",
        len(task.batteries),
        t_tables,
        None,
        f"({len(task.threats)} threats)",
        "-",
    )

    overhead = {
        ex: _timed_sweep(task, OVERHEAD_SAMPLES, OVERHEAD_CHUNK, ex) for ex in SWEEP_EXECUTORS
    }
    times = {ex: sec for ex, (sec, _, _) in overhead.items()}
    for executor, (sec, cpu, _) in overhead.items():
        _print_row(
            f"europe-2016 MC [{executor}]",
            OVERHEAD_SAMPLES,
            sec,
            OVERHEAD_SAMPLES / sec,
            f"{sec / times['local']:.2f} x local",
            f"(cpu {cpu:.1f} s)",
        )
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{'':<4}(executor overhead: samples/s above, chunk {OVERHEAD_CHUNK:,}, "
        f"{workers} workers for processes/dask; their times include starting the workers: "
        f"spawn, import bmdsim, numba cache load; cpu = this process + its workers)"
    )

    chunk = default_chunk_size(scn)
    fastest = min(("local", "processes"), key=times.get)
    executors = [fastest] if quick else ["local", "processes"]
    results = {ex: _timed_sweep(task, MC_SAMPLES, chunk, ex) for ex in executors}
    for executor, (sec, cpu, rows) in results.items():
        _print_row(
            f"europe-2016 MC [{executor}]",
            MC_SAMPLES,
            sec,
            MC_SAMPLES / sec,
            f"{rows:,} rows",
            f"(cpu {cpu:.1f} s)",
        )
    best = min(results, key=lambda ex: results[ex][0])
    total = t_build + results[best][0]
    _print_row(
        f"europe-2016 MC total [{best}]",
        MC_SAMPLES,
        total,
        MC_SAMPLES / total,
        f"< {MC_TARGET_S:g} s",
        "yes" if total < MC_TARGET_S else "NO",
    )
    rows = {r for _, _, r in results.values()}
    print(
        f"{'':<4}(samples/s above; chunk {chunk:,}; rows = rows in the store's results "
        f"({'same' if len(rows) == 1 else 'DIFFER'} on every executor); numba cache warmed "
        f"by task(0, 100, 0) before timing, {t_warm:.2f} s; total = threats flown "
        f"{t_fly:.1f} s + build {t_tables:.1f} s + sweep)"
    )


# The first hour (issue 15): wall time of commands as a user types them, in a fresh
# process each (imports, catalogue, compiled-kernel cache load, work, output), median of
# COMMAND_REPEATS runs after one warm-up run that fills the compile and catalogue caches.
COMMAND_REPEATS = 3
COMMANDS = (
    ("bmdsim --help", ["--help"], 1.0),
    ("bmdsim catalogue list", ["catalogue", "list"], 1.0),
    (
        "bmdsim reach iskander-m kaliningrad",
        ["reach", "--missile", "iskander-m", "--from", "kaliningrad"],
        2.0,
    ),
    (
        "bmdsim trajectory yars (lofted)",
        [
            "trajectory",
            "--missile",
            "rs-24-yars",
            "--from",
            "teykovo",
            "--to",
            "washington-dc",
            "--shape",
            "lofted",
        ],
        2.0,
    ),
)
DEMO_TARGET_S = 60.0


def _command_seconds(args, repeats):
    """(median wall s, median CPU s of the child) of ``python -m bmdsim.cli ARGS``."""
    import statistics
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    cmd = [sys.executable, "-m", "bmdsim.cli", *args]
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(
            cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
        )
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def _command_rows(quick):
    for case, args, target in COMMANDS:
        _command_seconds(args, 1)  # warm-up: compile/catalogue caches
        wall, cpu = _command_seconds(args, COMMAND_REPEATS)
        _print_row(
            case,
            1,
            wall,
            None,
            f"< {target:g} s wall",
            "yes" if wall < target else f"NO (cpu {cpu:.2f} s)",
        )
    if quick:
        print(f"{'':<4}(make demo: skipped with --quick)")
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = _command_seconds(["run", "europe-2016", "--out", f"{tmp}/demo"], 1)
    _print_row(
        "make demo (run europe-2016)",
        1,
        wall,
        None,
        f"< {DEMO_TARGET_S:g} s",
        "yes" if wall < DEMO_TARGET_S else f"NO (cpu {cpu:.0f} s)",
    )
    print(
        f"{'':<4}(commands: fresh process each, median of {COMMAND_REPEATS} after a warm-up; "
        "wall time on a shared machine: the load average above slows every row; cpu is the "
        "child's user+system time)"
    )


SECTIONS = ("flights", "footprint", "engagement", "memory", "sweep", "phases", "gpu", "commands")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1e5 batches, 1e5 summaries")
    names = ", ".join(SECTIONS)
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, metavar="NAME", help=f"run only NAME ({names})"
    )
    parser.add_argument(
        "--skip", action="append", choices=SECTIONS, metavar="NAME", help="skip NAME"
    )
    parser.add_argument(
        "--phase-samples", type=int, default=10_000, metavar="N",
        help="samples of the europe-2016 run timed phase by phase (section phases; CPU)",
    )  # fmt: skip
    parser.add_argument(
        "--gpu-sweep-samples", type=int, default=GPU_SWEEP_SAMPLES, metavar="N",
        help="samples of the europe-2016 run on the GPU (section gpu; 0: flights only)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    run = {s for s in (args.only or SECTIONS) if s not in (args.skip or ())}
    _load_fixtures()

    import numba

    from bmdsim.flight.batch import FlightModel

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores "
        f"(numba threads {numba.get_num_threads()}), Python {platform.python_version()}, "
        f"numba {numba.__version__}, numpy {np.__version__}; load average "
        f"{os.getloadavg()[0]:.1f} (other work on the cores lowers every rate below)"
    )
    model = FlightModel()  # full model: rotating WGS 84, J2, US-1976 drag
    rng = np.random.default_rng(20240601)
    backends = ["cpu"] + (["cuda"] if _cuda_available() else [])
    if "cuda" not in backends:
        print(f"cuda: no GPU rows here: {_cuda_why_not()}; the gpu section is skipped")

    t0 = time.perf_counter()
    for backend in backends:  # warm-up: JIT compile (or load the cache) first
        for vehicle in (SRBM, ICBM):
            _time_flights(vehicle, 8, model, backend, 1, rng)
    print(f"warm-up (compile or cache load): {time.perf_counter() - t0:.1f} s\n")

    print(f"{'case':<34} {'batch':>9} {'seconds':>9} {'trajectories/s':>14}  {'target':<16} met?")
    print("-" * 96)
    if "flights" in run:
        sizes = [1, 1_000, 10_000] + ([] if args.quick else [100_000])
        for backend in ["cpu"]:
            for vehicle in (ICBM, SRBM):
                target = TARGET_PER_S[vehicle.id]
                for n in sizes:
                    repeats = 3 if n <= 10_000 else 1
                    sec = _time_flights(vehicle, n, model, backend, repeats, rng)
                    rate = n / sec
                    met = "yes" if n < 1_000 or rate >= target else "NO"
                    if n < 1_000:
                        met = "(latency)"
                    _print_row(
                        f"{vehicle.id} full flight [{backend}]",
                        n,
                        sec,
                        rate,
                        f">= {target:,}/s" if n >= 1_000 else "-",
                        met,
                    )
            n = 10_000
            for vehicle in (ICBM, SRBM):
                sec = _kernel_only(vehicle, n, model, rng, 2) if backend == "cpu" else None
                if sec is not None:
                    _print_row(f"{vehicle.id} kernel only [{backend}]", n, sec, n / sec, "-", "-")
    if "footprint" in run:
        for vehicle in (SRBM, ICBM):
            sec = _footprint_seconds(vehicle, model)
            _print_row(
                f"{vehicle.id} footprint, 360 azimuths",
                360,
                sec,
                None,
                f"< {FOOTPRINT_TARGET_S} s",
                "yes" if sec < FOOTPRINT_TARGET_S else "NO",
            )
    if "engagement" in run:
        _engagement_rows(model, rng, args.quick)
    if "commands" in run:
        _command_rows(args.quick)
    if "memory" in run:
        n_sweep = 100_000 if args.quick else 1_000_000
        sec, grew = _sweep_memory(n_sweep, 50_000, model, rng)
        _print_row(
            "srbm summaries in 50k chunks",
            n_sweep,
            sec,
            n_sweep / sec,
            "< 1 GiB RSS",
            f"{'yes' if grew < SWEEP_TARGET_BYTES else 'NO'} (+{grew / 2**20:,.0f} MiB peak RSS)",
        )
    if "sweep" in run:
        _sweep_rows(args.quick)
    if "phases" in run:
        _phase_rows(args.phase_samples, "cpu")
    if "gpu" in run and "cuda" in backends:
        _gpu_rows(model, rng, args.quick)
        if args.gpu_sweep_samples > 0:
            _gpu_sweep_rows(args.gpu_sweep_samples)
    elif "gpu" in run:
        print(f"{'gpu rows':<34} skipped: {_cuda_why_not()}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
