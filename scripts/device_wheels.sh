#!/usr/bin/env bash
# Fetch, on this (CPU) machine, the Python 3.12 x86-64 wheels of what bmdsim needs at run
# time and the GPU device machine's image lacks, into .whl/ (git-ignored), so that
# scripts/device_check.sh can install them there (the device machine reaches no package
# registry). Run once before a device call that carries .whl:
#
#   scripts/device_wheels.sh            # ~42 MB; a device call carries at most 64 MiB
#
# Not fetched: what only `bmdsim serve` (fastapi, uvicorn, python-multipart) and the dask
# executor's TLS (cryptography) import; the device checks use neither.
#
# The image already holds numpy, numba, numba-cuda, scipy, pandas, pyarrow, matplotlib,
# jinja2, lxml, rich, typer, pyyaml, pytest and hypothesis (as listed for that image);
# the versions below are those of the project's tested environment (pip list there).
set -euo pipefail
cd "$(dirname "$0")/.."
exclude="$(git rev-parse --git-path info/exclude)"
grep -qx '/.whl/' "$exclude" 2>/dev/null || echo '/.whl/' >>"$exclude"
mkdir -p .whl
PACKAGES=(
  annotated-types==0.8.0 antimeridian==0.4.9 arrow==1.4.0 czml3==4.0.0
  dask==2026.8.0 distributed==2026.8.0 duckdb==2.0.1 fastkml==1.4.0 locket==1.0.0
  partd==1.4.2 pydantic==2.14.4 pydantic-core==2.50.5 pygeoif==1.6.0 pyproj==3.7.2
  ruamel.yaml==0.19.1 shapely==2.2.0 tblib==3.2.2 tornado==6.6.1
  typing-inspection==0.4.5 tzdata==2026.6 zict==3.0.0
)
platforms=()
for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_24_x86_64 \
  manylinux_2_17_x86_64 manylinux2014_x86_64 manylinux1_x86_64; do
  platforms+=(--platform "$p")
done
for pkg in "${PACKAGES[@]}"; do
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp "${platforms[@]}" -d .whl "$pkg"
done
du -sh .whl
