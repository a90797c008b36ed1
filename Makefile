# One-command set-up: every target creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test gpu-check bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The seed articles' world (src/bmdsim/scenario/examples/europe-2016.yaml) with its
# defaults: central values, then 1,000 Monte Carlo samples; prints where the report is.
demo: $(STAMP)
	$(VENV)/bin/bmdsim run europe-2016 --out demo-output/europe-2016

test: $(STAMP) gpu-check
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

# Every CUDA kernel compiled for sm_90 (numba-cuda) and assembled by NVIDIA's ptxas from
# the CUDA wheels of the dev extra; no GPU or driver needed. Fails on a ptxas error or on
# constant data over 64 KiB, which numba's CUDA simulator never sees (scripts/gpu_check.py).
gpu-check: $(STAMP)
	env -u NUMBA_ENABLE_CUDASIM $(PY) scripts/gpu_check.py

bench: $(STAMP)
	$(PY) bench/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

clean:
	rm -rf $(VENV) demo-output .pytest_cache
