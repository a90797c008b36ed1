#!/usr/bin/env bash
# The GPU checks of issue 11, in ONE call of a GPU machine (an H100 or H200 whose Python
# 3.12 image holds numba and numba-cuda but none of bmdsim's other needs, and reaches no
# package registry): under 7 minutes, every result under $OUT.
#
#   1. the real-GPU parity tests: 1e5 mixed ICBM/SRBM flights, GPU against CPU (impact
#      points within 1 m), and a 20,000-sample sweep whose per-sample engagement rule runs
#      on the GPU against the CPU (identical rows);
#   2. the GPU bench rows: full ICBM and SRBM trajectories per second at 1e5, 1e6 and 1e7
#      (issue targets 3 M/s and 10 M/s);
#   3. `bmdsim run europe-2016 --samples 1000000 --backend cuda`, its phase times (issue
#      target: sampling and analysis, i.e. tables + samples + store, well under 10 s).
#
# Prepare on the CPU machine:   scripts/device_wheels.sh      (fills .whl/, ~42 MB)
# Then one device call, from the checkout whose tree the device tool sends (a session's
# own checkout, not a helper's worktree: commit and merge there first):
#     command: bash scripts/device_check.sh          carry: [".whl"]     timeout: 480 s
# `bash scripts/device_check.sh 3` reruns step 3 alone (any of 1, 2, 3: "13", "2"...).
# Files back under $OUT: device_check.log (everything), parity.txt, bench.txt,
# phases.txt (the plain `phase ...` lines of the run), run_stdout.txt, run_stderr.txt,
# summary.json. Each step has its own time limit, so one that hangs leaves time for the
# others. Nothing here changes the GPU's settings.
set -uo pipefail
OUT=${OUT:-/tmp/bmdsim-device-check}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/device_check.log") 2>&1
export PYTHONUNBUFFERED=1
PY=${PY:-python3}
SITE=${SITE:-/tmp/site}
t0=$(date +%s)
STEPS=${1:-123}
step() { echo; echo "== [$(($(date +%s) - t0)) s] $*"; }
wanted() { [[ $STEPS == *"$1"* ]]; }

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm --format=csv || true
nproc
$PY -c 'import sys, numpy, numba; print(sys.version.split()[0], "numpy", numpy.__version__, "numba", numba.__version__)'
$PY -m pip show numba-cuda 2>/dev/null | grep -i '^version' || echo "numba-cuda: not installed"

step "wheels (.whl, carried) into $SITE"
if ls .whl/*.whl >/dev/null 2>&1; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target "$SITE" .whl/*.whl || { echo "FAILED: wheel install"; exit 1; }
else
  echo "no .whl/ carried: run scripts/device_wheels.sh here and carry .whl"; exit 1
fi
export PYTHONPATH=$SITE:$PWD/src:$PWD/tests
$PY -c 'from bmdsim.flight.backends import cuda; print("cuda available:", cuda.available())' \
  || { echo "FAILED: the CUDA backend does not import"; exit 1; }

if wanted 1; then
step "1. parity on the GPU (1e5 flights; 2e4 sampled rows)"
timeout 150 $PY -m pytest -q -p no:cacheprovider -rA \
  tests/parity/test_cuda_backend.py tests/parity/test_sampled_cuda.py -k real_gpu \
  2>&1 | tee "$OUT/parity.txt"
fi

if wanted 2; then
step "2. GPU bench rows (flights a second, 1e5-1e7)"
timeout 100 $PY bench/run.py --only gpu --gpu-sweep-samples 0 2>&1 | tee "$OUT/bench.txt"
fi

if wanted 3; then
step "3. bmdsim run europe-2016 --samples 1000000 --backend cuda"
rm -rf /tmp/europe-2016-1e6
timeout 200 $PY -m bmdsim.cli run europe-2016 --samples 1000000 --backend cuda \
  --out /tmp/europe-2016-1e6 >"$OUT/run_stdout.txt" 2>"$OUT/run_stderr.txt"
echo "exit $?"
grep '^phase' "$OUT/run_stderr.txt" | tee "$OUT/phases.txt"
grep -v '^phase' "$OUT/run_stderr.txt" | tail -20
cp /tmp/europe-2016-1e6/summary.json "$OUT/" 2>/dev/null || echo "no summary.json"
awk '/^phase (tables|samples|store) /{s += $3} END {printf "sampling and analysis (tables + samples + store): %.2f s (target < 10 s)\n", s}' \
  "$OUT/phases.txt"
fi

step "done"
