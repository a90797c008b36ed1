"""Calibrate the catalogue's models whose internals are not public.

For every missile with a ``calibration`` block, solve (secant on the named parameter,
``stages[k].isp_vac``) for the value at which the simulated maximum range, averaged over
36 launch azimuths from CALIBRATION_LAT_DEG, CALIBRATION_LON_DEG on the rotating WGS 84
Earth with drag, equals the entry's ``published_range``; then write that value between
the entry's ``# >>> calibrated`` / ``# <<< calibrated`` markers in missiles.yaml.

    .venv/bin/python scripts/calibrate.py            # all
    .venv/bin/python scripts/calibrate.py iskander-m # one
tests/validation/test_calibration.py checks that the shipped values still hit their
targets within 1 % (the physics changed? run this again and commit the YAML).
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from bmdsim.analyses.resolve import vehicle_from_missile
from bmdsim.catalogue import default_catalogue
from bmdsim.flight.reach import reach_vehicle

CALIBRATION_LAT_DEG = 50.0
CALIBRATION_LON_DEG = 20.0
N_AZIMUTHS = 36
YAML = Path(__file__).resolve().parents[1] / "src/bmdsim/catalogue/data/missiles.yaml"


def mean_max_range_m(vehicle) -> float:
    fp = reach_vehicle(
        vehicle,
        launch_lat_deg=CALIBRATION_LAT_DEG,
        launch_lon_deg=CALIBRATION_LON_DEG,
        n_azimuths=N_AZIMUTHS,
        flight_times=False,
    )
    return float(np.mean(fp.range_m))


def with_isp(vehicle, stage: int, isp: float):
    stages = list(vehicle.stages)
    stages[stage] = replace(stages[stage], isp_vac_s=isp)
    return replace(vehicle, stages=tuple(stages))


def calibrate(missile, cat) -> tuple[float, float]:
    match = re.fullmatch(r"stages\[(-?\d+)\]\.isp_vac", missile.calibration.parameter)
    if not match:
        raise SystemExit(f"{missile.id}: only stages[k].isp_vac can be calibrated by this script")
    k = int(match.group(1)) % len(missile.stages)
    base = vehicle_from_missile(missile, cat)
    target = missile.published_range.si
    x0 = base.stages[k].isp_vac_s
    x1 = x0 * 1.05
    f0 = mean_max_range_m(with_isp(base, k, x0)) - target
    f1 = mean_max_range_m(with_isp(base, k, x1)) - target
    for _ in range(20):
        if abs(f1) < 1e-4 * target:
            break
        x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
        x1 = min(max(x1, 0.3 * x0), 3.0 * x0)
        f1 = mean_max_range_m(with_isp(base, k, x1)) - target
    return x1, f1 + target


def write_back(missile_id: str, parameter: str, isp: float, achieved_m: float) -> None:
    text = YAML.read_text()
    block = re.compile(
        rf"(# >>> calibrated: {re.escape(missile_id)} {re.escape(parameter)}\n"
        r"\s*isp_vac: \{value: )"
        r"([0-9.]+)(, low: )([0-9.]+)(, high: )([0-9.]+)(.*?note: \")([^\"]*)(\"\})"
    )
    m = block.search(text)
    if not m:
        raise SystemExit(f"{missile_id}: calibration markers not found in {YAML}")
    low, high = float(m.group(4)), float(m.group(6))
    value = round(isp, 1)
    note = (
        f"calibrated by scripts/calibrate.py: azimuth-mean maximum range "
        f"{achieved_m / 1e3:,.1f} km from {CALIBRATION_LAT_DEG:g} N on the rotating WGS 84 "
        f"Earth with drag"
    )
    if not low <= value <= high:
        note += f"; band widened from {low:g}-{high:g} s to hold it"
        low, high = min(low, value), max(high, value)
    g = m.group
    new = f"{g(1)}{value:g}{g(3)}{low:g}{g(5)}{high:g}{g(7)}{note}{g(9)}"
    YAML.write_text(text[: m.start()] + new + text[m.end() :])


def main(ids: list[str]) -> None:
    cat = default_catalogue()
    for missile in cat.entries("missile"):
        if missile.calibration is None or (ids and missile.id not in ids):
            continue
        isp, achieved = calibrate(missile, cat)
        print(
            f"{missile.id:16s} {missile.calibration.parameter:18s} -> {isp:7.1f} s   "
            f"range {achieved / 1e3:9.1f} km (published {missile.published_range.si / 1e3:,.0f} km)"
        )
        write_back(missile.id, missile.calibration.parameter, isp, achieved)


if __name__ == "__main__":
    main(sys.argv[1:])
