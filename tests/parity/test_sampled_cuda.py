"""The per-sample engagement rule on CUDA (``defence.sampled_cuda``) against the CPU
kernels: the same loop body (``sampled.window_sample``, ``sampled.firm_track_sample``),
so a sweep's rows must be identical.

CI has no GPU: the CUDA kernels run under numba's CUDA simulator (NUMBA_ENABLE_CUDASIM=1,
set before numba.cuda is imported: hence a subprocess) on a small sweep with sampled
burnout speeds, radar ranges, and delays. Where a GPU is present, the same
comparison runs on it with 20,000 samples (a failure to load the backend fails the test).
What the simulator cannot see (ptxas limits) is checked by tests/parity/test_gpu_check.py.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from test_cuda_backend import WARNING_FILTERS, _real_gpu

SCENARIO = """\
name: sampled-cuda
backend: cpu  # tables and tracks on the CPU; the test moves the per-sample rule to CUDA
threats:
  - id: iskander-kaliningrad-redzikowo
    missile: iskander-m
    from: kaliningrad
    to: redzikowo
  - id: iskander-brest-warsaw
    missile: iskander-m
    from: brest
    to: warsaw
defences:
  - site: redzikowo
    interceptors: [pac-3-mse, thaad, sm-3-iia]
sensors: [redzikowo:an-spy-1d, early-warning-satellite]
cueing:
  decision_delay_s: 20
  assessment_delay_s: 15
  launch_on_remote: false
uncertainty:
  vary:
    - interceptor:thaad.burnout_speed
    - interceptor:pac-3-mse.burnout_speed
    - radar:an-spy-1d.reference_range
    - radar:an-spy-1d.track_time
    - cueing.decision_delay_s
  overrides:
    cueing.decision_delay_s: {low: 5, high: 90}
"""

SCRIPT = textwrap.dedent(
    """
    import builtins, warnings
    for entry in {filters!r}:
        action, message, category, module = (entry.split(":") + ["", "", ""])[:4]
        warnings.filterwarnings(action, message, getattr(builtins, category or "Warning"),
                                module)
    import json, pathlib, tempfile
    from bmdsim.scenario import parse_scenario
    from bmdsim.scenario.sweep_task import EngagementSweep

    scn = parse_scenario({scenario!r}, base_dir=pathlib.Path(tempfile.gettempdir()))
    task = EngagementSweep.build(scn)  # backend: cpu
    cpu = task(0, {n}, 5)
    task.backend = "cuda"  # the per-sample rule only: no threat is flown per sample
    gpu = task(0, {n}, 5)
    df = cpu.to_pandas()
    print(json.dumps({{
        "equal": gpu.equals(cpu),
        "rows": cpu.num_rows,
        "feasible": int(df.feasible.sum()),
        "reasons": sorted(set(df.reason.dropna())),
        "shots": sorted(set(df.shots.tolist())),
    }}))
    """
)


def _run(n, simulator):
    env = dict(os.environ)
    if simulator:
        env["NUMBA_ENABLE_CUDASIM"] = "1"
    else:
        env.pop("NUMBA_ENABLE_CUDASIM", None)
    code = SCRIPT.format(filters=WARNING_FILTERS, scenario=SCENARIO, n=n)
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1800
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_sampled_rule_on_cuda_simulator_gives_the_cpu_rows():
    out = _run(n=24, simulator=True)
    assert out["rows"] == 24 * 2 * 3
    assert out["equal"], "CUDA (simulated) and CPU rows differ"
    # the case exercises feasible and failing rows, several reasons and shot counts
    assert 0 < out["feasible"] < out["rows"]
    assert len(out["reasons"]) >= 2 and len(out["shots"]) >= 2


@pytest.mark.skipif(not _real_gpu(), reason="no NVIDIA GPU or driver here")
def test_sampled_rule_on_real_gpu_gives_the_cpu_rows():
    out = _run(n=20_000, simulator=False)
    assert out["equal"], "GPU and CPU rows differ"
