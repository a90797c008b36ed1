"""Record the ``--json`` answers of the README's commands as golden files.

Run from the repository root: ``.venv/bin/python tests/golden/record.py [NAME ...]``
(no names: every answer; ``run`` names the sampled run). The files in
``tests/golden/answers/`` are what ``tests/golden/test_golden.py`` compares against, so a
restructuring that changes no physics must leave them as they are. When a change is
*meant* to move a number (a new interceptor model, a recalibrated missile), re-record
and say in the commit message which answers moved and why.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ANSWERS = HERE / "answers"
sys.path.insert(0, str(HERE))

from commands import COMMANDS, RUN_ARGS, store_rows  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from bmdsim.cli import app  # noqa: E402

RUNNER = CliRunner(env={"COLUMNS": "250", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"})


def answer(args):
    result = RUNNER.invoke(app, list(args))
    if result.exit_code == 0:
        return {"exit_code": 0, "json": json.loads(result.stdout)}
    return {"exit_code": result.exit_code, "stderr": result.stderr.strip().splitlines()[-1]}


def main(names=()):
    unknown = set(names) - set(COMMANDS) - {"run"}
    if unknown:
        known = ", ".join(["run", *COMMANDS])
        sys.exit(f"error: no golden answer named {sorted(unknown)}; names: {known}")
    ANSWERS.mkdir(exist_ok=True)
    for name, args in COMMANDS.items():
        if names and name not in names:
            continue
        print(name, " ".join(args), flush=True)
        (ANSWERS / f"{name}.json").write_text(json.dumps(answer(args), indent=1) + "\n")
    if names and "run" not in names:
        return
    print("run", " ".join(RUN_ARGS), flush=True)
    out = Path(tempfile.mkdtemp())
    try:
        result = RUNNER.invoke(app, [*RUN_ARGS, "--out", str(out / "run")])
        assert result.exit_code == 0, result.stderr
        summary = json.loads((out / "run" / "summary.json").read_text())
        (ANSWERS / "run-europe-2016-summary.json").write_text(json.dumps(summary, indent=1) + "\n")
        rows = store_rows(out / "run")
        with gzip.open(ANSWERS / "run-europe-2016-rows.json.gz", "wt") as f:
            json.dump(rows, f)
    finally:
        shutil.rmtree(out)


if __name__ == "__main__":
    main(sys.argv[1:])
