"""The README's commands give the answers recorded in tests/golden/answers/.

The answers were recorded (tests/golden/record.py) before the user layer was restructured
("One house"); a change that moves no physics must reproduce them. Floats are compared to
1e-9 relative (1e-9 absolute near zero): the same arithmetic in another order, nothing
more. When a change is meant to move an answer, re-record it and say why in the commit.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bmdsim.cli import app
from golden.commands import COMMANDS, RUN_ARGS, store_rows

ANSWERS = Path(__file__).parent / "answers"
RUNNER = CliRunner(env={"COLUMNS": "250", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"})


def assert_same(got, want, where="$"):
    if isinstance(want, dict):
        assert isinstance(got, dict), where
        assert sorted(got) == sorted(want), (where, sorted(set(got) ^ set(want)))
        for k in want:
            assert_same(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (where, len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{i}]")
    elif isinstance(want, float) and not isinstance(want, bool):
        assert isinstance(got, (int, float)), (where, got, want)
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (where, got, want)
    else:
        assert got == want, (where, got, want)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_readme_command_gives_the_recorded_answer(name):
    want = json.loads((ANSWERS / f"{name}.json").read_text())
    result = RUNNER.invoke(app, COMMANDS[name])
    assert result.exit_code == want["exit_code"], result.stderr
    if want["exit_code"] == 0:
        assert_same(json.loads(result.stdout), want["json"])
    else:
        assert result.stderr.strip().splitlines()[-1] == want["stderr"]


@pytest.mark.slow
def test_europe_2016_sampled_run_gives_the_recorded_summary_and_rows(tmp_path):
    result = RUNNER.invoke(app, [*RUN_ARGS, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    # wall-clock seconds per phase: present, never compared
    assert set(summary.pop("timing")["phases_s"]) >= {"threats", "tables", "samples", "report"}
    assert_same(summary, json.loads((ANSWERS / "run-europe-2016-summary.json").read_text()))
    with gzip.open(ANSWERS / "run-europe-2016-rows.json.gz", "rt") as f:
        want = json.load(f)
    assert_same(store_rows(tmp_path / "run"), want)
