"""Before/after table of the Europe study's speeds needed, path by path (docs/study-europe.md).

    python scripts/study_compare.py BEFORE.csv AFTER.csv [--site redzikowo]

BEFORE and AFTER are ``study_europe_results.csv`` files written by ``bmdsim study europe
--out`` (e.g. the one the 60-deg sizing model wrote: ``git show
3a91585:docs/study_europe_results.csv``). Prints a Markdown table: for every threat path
and interceptor at the site, the slowest burnout speed that intercepts under ideal
cueing, before -> after, in km/s; ``>N`` when no speed up to N km/s does (the old CSV has
no bound: ``>10``, the old search's top), ``-`` when the path is not in a file.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

OLD_TOP_KMS = 10.0  # the 60-deg model's search bracket top (issue 17)


def _need(row: dict) -> str:
    v = row.get("min_burnout_speed_kms") or ""
    if v:
        return f"{float(v):.2f}"
    above = row.get("min_burnout_speed_above_kms") or ""
    if above:
        return f">{float(above):g}"
    note = row.get("min_burnout_speed_note") or ""
    if note.startswith("never tracked"):
        return "no track"
    return f">{OLD_TOP_KMS:g}" if "min_burnout_speed_above_kms" not in row else "?"


def _read(path: Path, site: str) -> dict:
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["site"] == site]
    return {(r["base"], r["target"], r["interceptor"]): r for r in rows}


def table(before: Path, after: Path, site: str) -> str:
    old, new = _read(before, site), _read(after, site)
    interceptors = list(dict.fromkeys(k[2] for k in [*new, *old]))
    paths = sorted(dict.fromkeys((k[0], k[1]) for k in [*new, *old]))
    lines = [
        "| path | " + " | ".join(f"{i} before -> after" for i in interceptors) + " |",
        "|---|" + "---|" * len(interceptors),
    ]
    for base, target in paths:
        cells = []
        for i in interceptors:
            a, b = old.get((base, target, i)), new.get((base, target, i))
            cells.append(f"{_need(a) if a else '-'} -> {_need(b) if b else '-'}")
        lines.append(f"| {base} -> {target} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--site", default="redzikowo")
    args = ap.parse_args()
    print(table(args.before, args.after, args.site))


if __name__ == "__main__":
    main()
