# One-command set-up: every target creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install browser demo serve web test gpu-check bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) browser

# Debian's chromium, for the browser tests of the web app (tests/web): installed with apt
# when it is missing (as root, or with password-less sudo); a failed install stops here.
# Only where there is no apt at all are the browser tests skipped, with a message.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests (apt-get install -y chromium)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "note: no apt-get here: install chromium yourself, or the browser tests are skipped"; \
	fi

# The seed articles' world (src/bmdsim/scenario/examples/europe-2016.yaml) with its
# defaults: central values, then 1,000 Monte Carlo samples; prints where the report is.
demo: $(STAMP)
	$(VENV)/bin/bmdsim run europe-2016 --out demo-output/europe-2016
	@echo
	@echo "The web app (a globe: click a launch point): $(VENV)/bin/bmdsim serve"
	@echo "then open http://127.0.0.1:8765/ (or: make serve)"

# The offline web app on http://127.0.0.1:8765/ (docs/web.md).
serve: $(STAMP)
	$(VENV)/bin/bmdsim serve

# Rebuild the page's committed bundle (src/bmdsim/web/static/) from web/src and the npm
# packages pinned in web/package-lock.json; needed only after editing web/.
web:
	cd web && npm ci --no-audit --no-fund && npm run build

test: $(STAMP) browser gpu-check
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
	rm -rf $(VENV) demo-output .pytest_cache web/node_modules
