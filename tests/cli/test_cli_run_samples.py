"""bmdsim run with samples: probabilities in the report, the results store, executors that
agree, and a real `bmdsim run` killed with SIGKILL that resumes to identical results."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_helpers import block_network, cli

from bmdsim.scenario import parse_scenario
from bmdsim.scenario.sweep_summary import wilson_interval
from bmdsim.scenario.sweep_task import EngagementSweep
from bmdsim.sweep import ResultStore, run_sweep

FIXED_THREAT = """\
name: sampled-redzikowo
threats:
  - id: iskander-kaliningrad-redzikowo
    missile: iskander-m
    from: kaliningrad
    to: redzikowo
defences:
  - site: redzikowo
    interceptors: [pac-3-mse, thaad]
sensors: [redzikowo:an-spy-1d]
cueing:
  decision_delay_s: 30
analyses:
  trajectories: true
  engage: true
uncertainty:
  samples: 300
  seed: 5
  vary:
    - interceptor:thaad.burnout_speed
    - interceptor:pac-3-mse.burnout_speed
    - radar:an-spy-1d.reference_range
    - cueing.decision_delay_s
  overrides:
    cueing.decision_delay_s: {low: 10, high: 200}
outputs:
  kml: false
"""

FLOWN_PER_SAMPLE = """\
name: flown-per-sample
threats:
  - id: iskander-area-warsaw
    missile: iskander-m
    from: {area: {center: brest, radius_km: 40}}
    to: warsaw
defences:
  - site: redzikowo
    interceptors: [thaad]
sensors: [redzikowo:an-spy-1d]
cueing:
  cue_at: burnout
analyses:
  trajectories: true
  engage: true
uncertainty:
  samples: 160
  seed: 9
  vary:
    - missile:iskander-m.stages[0].isp_vac
    - interceptor:thaad.burnout_speed
outputs:
  report: false
  kml: false
  czml: false
  geojson: false
"""


def _sorted(df):
    return df.sort_values(["sample", "threat", "site", "interceptor"]).reset_index(drop=True)


def test_run_with_samples_writes_probabilities_store_and_report(tmp_path, monkeypatch):
    block_network(monkeypatch)
    path = tmp_path / "s.yaml"
    path.write_text(FIXED_THREAT)
    out = tmp_path / "out"
    result = cli("run", str(path), "--out", str(out), "--chunk-size", "100")
    assert result.exit_code == 0, result.stderr
    assert "P(feasible intercept) over 300 samples" in result.stdout
    store = ResultStore(out / "store")
    df = store.read()
    assert len(df) == 300 * 2 and df["sample"].nunique() == 300
    assert len(store.part_files()) == 3
    runs = store.runs()
    assert runs["status"].tolist() == ["complete"] and runs["seed"].tolist() == [5]
    # the answers, recomputed independently from the Parquet rows
    sw = json.loads((out / "uncertainty.json").read_text())
    assert sw["samples"] == 300 and sw["seed"] == 5
    assert {u["input"] for u in sw["inputs"]} == {
        "interceptor:thaad.burnout_speed",
        "interceptor:pac-3-mse.burnout_speed",
        "radar:an-spy-1d.reference_range",
        "cueing.decision_delay_s",
    }
    for pair in sw["pairs"]:
        rows = df[(df.threat == pair["threat"]) & (df.interceptor == pair["interceptor"])]
        k = int(rows.feasible.sum())
        assert pair["feasible"] == k and pair["p_feasible"] == pytest.approx(k / 300)
        assert pair["ci95"] == pytest.approx(list(wilson_interval(k, 300)))
        first = rows.first_intercept_s.dropna()
        if len(first):
            assert pair["first_intercept_s"][1] == pytest.approx(first.median())
    # a long decision delay loses intercepts: feasibility is neither certain nor impossible
    thaad = next(p for p in sw["pairs"] if p["interceptor"] == "thaad")
    assert 0.0 < thaad["p_feasible"] < 1.0
    ranked = [r["input"] for r in sw["ranking"] if r["max_sobol"] is not None]
    assert ranked[0] in ("cueing.decision_delay_s", "interceptor:thaad.burnout_speed")
    assert json.loads((out / "summary.json").read_text())["uncertainty"]["samples"] == 300
    html = (out / "report.html").read_text()
    assert "Uncertainty: probabilities and sensitivities" in html
    assert "Sensitivity ranking of the inputs" in html
    assert (out / "uncertainty" / "p_feasible.png").is_file()
    # bmdsim results reads the same store
    q = cli(
        "results",
        str(out),
        "--json",
        "--sql",
        "SELECT interceptor, sum(feasible::INT) AS k FROM results GROUP BY ALL ORDER BY 1",
    )
    assert q.exit_code == 0, q.stderr
    got = {r["interceptor"]: r["k"] for r in json.loads(q.stdout)}
    assert got == {p["interceptor"]: p["feasible"] for p in sw["pairs"]}


def test_samples_option_overrides_and_zero_runs_central_values(tmp_path, monkeypatch):
    block_network(monkeypatch)
    path = tmp_path / "s.yaml"
    path.write_text(FIXED_THREAT)
    out = tmp_path / "out"
    result = cli("run", str(path), "--out", str(out), "--samples", "0")
    assert result.exit_code == 0, result.stderr
    assert not (out / "store").exists()
    assert json.loads((out / "summary.json").read_text())["uncertainty"] is None
    # a smaller run than the store holds answers for its own samples only
    more = tmp_path / "more"
    assert cli("run", str(path), "--out", str(more), "--samples", "120").exit_code == 0
    fewer = cli("run", str(path), "--out", str(more), "--samples", "60", "--backend", "cpu")
    assert fewer.exit_code == 0, fewer.stderr
    assert ResultStore(more / "store").read()["sample"].nunique() == 120
    assert json.loads((more / "uncertainty.json").read_text())["samples"] == 60
    assert ResultStore(more / "store").runs()["backend"].tolist() == ["cpu", "cpu"]
    bad = cli("run", str(path), "--out", str(out), "--executor", "ray")
    assert bad.exit_code == 1 and "executor" in bad.stderr and "dask=ADDRESS" in bad.stderr


@pytest.fixture(scope="module")
def fixed_task():
    scn = parse_scenario(FIXED_THREAT)
    return EngagementSweep.build(scn)


@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_executors_give_identical_rows(tmp_path, fixed_task, executor):
    """The scenario's task on a process pool and on a Dask LocalCluster (worker processes)
    writes exactly the rows it writes in-process."""
    local = run_sweep(fixed_task, 120, chunk_size=40, store=tmp_path / "local", seed=5)
    other = run_sweep(
        fixed_task,
        120,
        chunk_size=40,
        executor=executor,
        max_workers=2,
        store=tmp_path / executor,
        seed=5,
    )
    a, b = local.read_table(), other.read_table()
    assert a.num_rows == 240 and a.equals(b)
    assert other.runs()["executor"].tolist() == [executor]


def _bmdsim_cmd():
    exe = Path(sys.executable).parent / "bmdsim"
    if exe.is_file():
        return [str(exe)]
    return [sys.executable, "-c", "from bmdsim.cli import main; main()"]


def test_a_killed_run_resumes_to_identical_results(tmp_path):
    """kill -9 a real `bmdsim run` in the middle of its sampling; the same command again
    finishes, and the store equals that of a run never interrupted."""
    path = tmp_path / "s.yaml"
    path.write_text(FLOWN_PER_SAMPLE)
    out = tmp_path / "killed"
    cmd = [*_bmdsim_cmd(), "run", str(path), "--out", str(out), "--chunk-size", "10"]
    parts = out / "store" / "parts"
    log = tmp_path / "first.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if parts.is_dir() and len(list(parts.glob("part-*.parquet"))) >= 3:
                break
            assert proc.poll() is None, log.read_text()
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    killed_with = len(list(parts.glob("part-*.parquet")))
    assert 3 <= killed_with < 16
    assert ResultStore(out / "store").runs()["status"].tolist() == ["running"]

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    store = ResultStore(out / "store")
    assert store.runs()["status"].tolist() == ["interrupted", "complete"]
    assert len(store.part_files()) == 16 and store.temporary_files() == []
    resumed = _sorted(store.read())
    assert resumed["sample"].value_counts().max() == 1 and len(resumed) == 160

    # the same samples computed in one go, never interrupted
    scn = parse_scenario(FLOWN_PER_SAMPLE)
    clean = run_sweep(EngagementSweep.build(scn), 160, chunk_size=80, store=tmp_path / "c", seed=9)
    pd.testing.assert_frame_equal(resumed, _sorted(clean.read()))
    assert np.ptp(resumed.threat_flight_time_s.dropna()) > 0  # the threats did vary
    assert json.loads((out / "uncertainty.json").read_text())["samples"] == 160


def test_samples_without_threats_sample_only_the_reach(tmp_path, monkeypatch):
    block_network(monkeypatch)
    path = tmp_path / "reach-only.yaml"
    path.write_text(
        "name: reach-only\nanalyses:\n  reach:\n"
        "    - {missile: iskander-m, from: brest, sites: [warsaw, riga], n_azimuths: 12}\n"
        "uncertainty:\n  samples: 5\n  vary: [missile:iskander-m.payload.mass]\n"
    )
    result = cli("run", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "no threats" in result.stderr and "only the reach analyses" in result.stderr
    assert not (tmp_path / "out" / "store").exists()  # no engagement rows
    unc = json.loads((tmp_path / "out" / "uncertainty.json").read_text())
    assert unc["samples"] == 5 and unc["pairs"] == []
    (reach,) = unc["reach"]
    assert reach["varied"] == ["missile:iskander-m.payload.mass"]
    sites = {s["id"]: s for s in reach["sites"]}
    assert sites["warsaw"]["p_in_reach"] == 1.0  # 186 km: in reach at any payload
    assert 0.0 <= sites["riga"]["p_in_reach"] <= 1.0 and sites["riga"]["samples"] == 5
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Reach under uncertainty: P(in reach)" in report
