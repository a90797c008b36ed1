"""Calibrate the catalogue's models whose internals are not public, or check them.

For every missile with a ``calibration`` block (``bmdsim.analyses.calibration``): solve
the named quantity (an Isp, a propellant load, a payload) so that the model's maximum
range, averaged over 36 headings from 50 N 20 E on the rotating WGS 84 Earth with drag,
equals ``published_range``, and solve again for the two ends of the published range's
band to get the quantity's band. Every value stays inside what a real system of that
kind can have (motors.yaml; the published throw-weight): where no plausible value reaches
a target the value stops at the plausible limit and the catalogue's
``calibration.unreached`` says so; where the published value itself is unreached the
script fails and writes nothing for that missile. A 'cap' calibration (a declared range
limit on an airframe that flies farther) is checked, not solved.

    .venv/bin/python scripts/calibrate.py              # all: solve, write missiles.yaml
    .venv/bin/python scripts/calibrate.py iskander-m   # one
    .venv/bin/python scripts/calibrate.py --dry-run    # solve and report, write nothing
    .venv/bin/python scripts/calibrate.py --check      # fly the stored values, compare

The script rewrites only the line between ``# >>> calibrated: ID PARAMETER`` and
``# <<< calibrated`` and the lines between ``# >>> calibration record: ID`` and
``# <<< calibration record``. Every mode prints the report: each calibrated value with
its band, its target and band, what the stored values fly, and the Isp used.
tests/validation/test_calibration.py runs the same check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import textwrap
from pathlib import Path

from bmdsim.analyses.calibration import (
    CalibrationResult,
    calibrate,
    mean_max_range_m,
    model_version,
    motor_problems,
    plausible_band,
)
from bmdsim.analyses.resolve import vehicle_from_missile
from bmdsim.catalogue import default_catalogue
from bmdsim.catalogue.schema import resolve_path

YAML = Path(__file__).resolve().parents[1] / "src/bmdsim/catalogue/data/missiles.yaml"
CHECK_REL_TOL = 5e-3  # the stored values fly within 0.5 % of the recorded ranges


def _num(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:.0f}"


def write_value(text: str, res: CalibrationResult, date: str) -> str:
    """``text`` with the calibrated quantity's line rewritten (fits only)."""
    head = re.escape(f"# >>> calibrated: {res.missile_id} {res.parameter}")
    block = re.compile(
        rf"({head}\n\s*\w+: \{{value: )([-0-9.e]+)(, low: )([-0-9.e]+)(, high: )([-0-9.e]+)"
        r"(, unit: [^,]+, source: )([\w-]+)(, grade: )(\w)(.*?)(\}\n)"
    )
    m = block.search(text)
    if m is None:
        raise SystemExit(f"{res.missile_id}: calibration markers for {res.parameter} not found")
    lo_t, hi_t = res.target_km[1], res.target_km[2]
    note = (
        f"calibrated {date} (scripts/calibrate.py; see calibration): the published "
        f"{res.target_km[0]:,.0f} km; low/high from the published band {lo_t:,.0f}-{hi_t:,.0f} km"
    )
    if res.unreached:
        note += " where plausible (calibration.unreached)"
    g = m.group
    new = (
        f"{g(1)}{_num(res.value)}{g(3)}{_num(res.low)}{g(5)}{_num(res.high)}{g(7)}"
        f'bmdsim-calibration{g(9)}C, note: "{note}"{g(12)}'
    )
    return text[: m.start()] + new + text[m.end() :]


def write_record(text: str, res: CalibrationResult, date: str, model: str) -> str:
    """``text`` with the missile's calibration record (model, date, ranges) rewritten."""
    pattern = re.compile(
        rf"( *)# >>> calibration record: {re.escape(res.missile_id)}\n.*?"
        rf"# <<< calibration record\n",
        re.S,
    )
    m = pattern.search(text)
    if m is None:
        raise SystemExit(f"{res.missile_id}: calibration record markers not found")
    ind = m.group(1)
    v, lo, hi = res.range_km_at
    lines = [
        f"{ind}# >>> calibration record: {res.missile_id}",
        f"{ind}model: {json.dumps(model)}",
        f"{ind}date: {json.dumps(date)}",
        f"{ind}range_km_at: {{value: {v:.1f}, low: {lo:.1f}, high: {hi:.1f}}}",
    ]
    if res.uncapped_km is not None:
        lines.append(f"{ind}uncapped_km: {res.uncapped_km:.1f}")
    if res.unreached:
        lines.append(f"{ind}unreached: {json.dumps(res.unreached, ensure_ascii=False)}")
    lines.append(f"{ind}# <<< calibration record")
    return text[: m.start()] + "\n".join(lines) + "\n" + text[m.end() :]


def _isp_text(missile) -> str:
    return "/".join(f"{s.isp_vac.value:g}" for s in missile.stages)


def report(rows: list[tuple[object, CalibrationResult]], out=sys.stdout) -> None:
    """The calibration table, two lines a missile (80 columns): the calibrated quantity,
    its value and band, and the Isp of every stage; then the target range and band and
    what the stored values fly; then the notes (plausible bands, what is unreached)."""
    print(
        "missile        calibrated quantity = value (band)        [vacuum Isp per stage, s]",
        file=out,
    )
    print("               target km (band) -> the model flies km (band)", file=out)
    print("-" * 79, file=out)
    notes = []
    for missile, r in rows:
        value = f"{_num(r.value)} ({_num(r.low)}-{_num(r.high)}) {r.unit}"
        print(f"{r.missile_id:14s} {r.parameter} = {value}  [{_isp_text(missile)}]", file=out)
        v, lo, hi = r.range_km_at
        print(
            f"{'':14s} target {r.target_km[0]:,.0f} ({r.target_km[1]:,.0f}-"
            f"{r.target_km[2]:,.0f}) -> flies {v:,.0f} ({min(lo, hi):,.0f}-{max(lo, hi):,.0f})"
            + (" [range cap]" if r.kind == "cap" else ""),
            file=out,
        )
        if r.kind == "cap":
            notes.append(f"{r.missile_id}: range cap, {r.plausible_text}")
        else:
            notes.append(f"{r.missile_id}: plausible {r.parameter}: {r.plausible_text}")
        if r.unreached:
            notes.append(f"{r.missile_id}: UNREACHED: {r.unreached}")
        if r.failed:
            notes.append(f"{r.missile_id}: FAILED: {r.failed}")
    print("", file=out)
    for n in notes:
        print(textwrap.fill(n, 79, subsequent_indent="    "), file=out)


def stored_result(missile, cat) -> CalibrationResult:
    """The stored calibration as a CalibrationResult, the ranges flown afresh."""
    from bmdsim import units
    from bmdsim.analyses.calibration import _vehicle_at
    from bmdsim.analyses.resolve import vehicle_field

    cal = missile.calibration
    target = resolve_path(missile, cal.target)
    target_km = tuple(
        units.to_si(x, target.unit) / 1e3 for x in (target.value, target.low, target.high)
    )
    base = vehicle_from_missile(missile, cat)
    if cal.kind == "cap":
        cap = missile.range_cap
        uncapped = float(mean_max_range_m([base])[0]) / 1e3
        caps = [units.to_si(x, cap.unit) / 1e3 for x in (cap.value, cap.low, cap.high)]
        return CalibrationResult(
            missile.id,
            "range_cap",
            "cap",
            cap.unit,
            cap.value,
            cap.low,
            cap.high,
            tuple(min(uncapped, c) for c in caps),
            target_km,
            (0.0, float("inf")),
            f"a declared limit on an airframe that flies {uncapped:,.0f} km",
            uncapped_km=uncapped,
            failed=None if uncapped >= caps[2] else f"the airframe flies only {uncapped:,.0f} km",
        )
    q = resolve_path(missile, cal.parameter)
    name = vehicle_field(cal.parameter)
    flown = mean_max_range_m(
        [_vehicle_at(base, name, units.to_si(x, q.unit)) for x in (q.value, q.low, q.high)]
    )
    lo, hi, why = plausible_band(missile, cat)
    to_unit = units.to_si(1.0, q.unit)
    return CalibrationResult(
        missile.id,
        cal.parameter,
        "fit",
        q.unit,
        q.value,
        q.low,
        q.high,
        tuple(float(r) / 1e3 for r in flown),
        target_km,
        (lo / to_unit, hi / to_unit),
        why,
        unreached=cal.unreached,
    )


def check(rows, cat) -> list[str]:
    """What is wrong with the stored calibrations (empty: all hold)."""
    problems = list(motor_problems(cat))
    for missile, r in rows:
        cal = missile.calibration
        if cal.range_km_at is None or cal.model is None or cal.date is None:
            problems.append(f"{r.missile_id}: no calibration record (run scripts/calibrate.py)")
            continue
        rec = (cal.range_km_at.value, cal.range_km_at.low, cal.range_km_at.high)
        for name, now, then in zip(("value", "low", "high"), r.range_km_at, rec, strict=True):
            if abs(now - then) > CHECK_REL_TOL * then:
                problems.append(
                    f"{r.missile_id}: {r.parameter} {name} flies {now:,.1f} km, recorded "
                    f"{then:,.1f} km (the physics changed? run scripts/calibrate.py)"
                )
        if r.kind == "fit":
            lo, hi = r.plausible
            for name, x in (("value", r.value), ("low", r.low), ("high", r.high)):
                if not lo * (1 - 1e-9) <= x <= hi * (1 + 1e-9):
                    problems.append(
                        f"{r.missile_id}: {r.parameter} {name} {x:g} is outside the plausible "
                        f"{lo:g}-{hi:g} ({r.plausible_text})"
                    )
            central_unreached = cal.unreached and "published value" in cal.unreached
            if not central_unreached and abs(r.range_km_at[0] - r.target_km[0]) > (
                CHECK_REL_TOL * r.target_km[0]
            ):
                problems.append(
                    f"{r.missile_id}: flies {r.range_km_at[0]:,.1f} km, published "
                    f"{r.target_km[0]:,.0f} km"
                )
        if r.failed:
            problems.append(f"{r.missile_id}: {r.failed}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="missile ids (default: every calibrated one)")
    parser.add_argument("--check", action="store_true", help="fly the stored values, compare")
    parser.add_argument("--dry-run", action="store_true", help="solve and report, write nothing")
    args = parser.parse_args(argv)
    cat = default_catalogue()
    missiles = [
        m
        for m in cat.entries("missile")
        if m.calibration is not None and (not args.ids or m.id in args.ids)
    ]
    unknown = set(args.ids) - {m.id for m in missiles}
    if unknown:
        print(f"error: no calibrated missile {', '.join(sorted(unknown))}", file=sys.stderr)
        return 1
    if args.check:
        rows = [(m, stored_result(m, cat)) for m in missiles]
        report(rows)
        problems = check(rows, cat)
        for p in problems:
            print(f"CHECK FAILED: {p}")
        print("calibration check:", "FAILED" if problems else "ok")
        return 1 if problems else 0
    date = dt.date.today().isoformat()
    model = model_version()
    rows = []
    text = YAML.read_text()
    failed = False
    for m in missiles:
        res = calibrate(m, cat)
        rows.append((m, res))
        if res.failed:
            failed = True
            continue
        if res.kind == "fit":
            text = write_value(text, res, date)
        text = write_record(text, res, date, model)
    report(rows)
    if not args.dry_run:
        YAML.write_text(text)
        print(f"\nwrote {YAML} ({model}; {date})")
    if failed:
        print(
            "error: some published ranges cannot be reached (FAILED above); their entries "
            "were not written",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
