"""Progress when stderr is not a terminal (a pipe, a log): plain lines, nothing for a
command that answers within PLAIN_FIRST_S, then a line per step and a final 'done'."""

from __future__ import annotations

import time

from bmdsim.cli import _console


def test_plain_progress_silent_for_quick_work(capsys):
    with _console.PlainProgress("quick") as bar:
        task = bar.add_task("steps", total=3)
        for _ in range(3):
            bar.advance(task)
    assert capsys.readouterr().err == ""


def test_plain_progress_lines_after_the_first_seconds(capsys, monkeypatch):
    monkeypatch.setattr(_console, "PLAIN_FIRST_S", 0.0)
    monkeypatch.setattr(_console, "PLAIN_EVERY_S", 0.2)
    with _console.PlainProgress() as bar:
        task = bar.add_task("threats", total=2)
        bar.update(task, completed=1)
        time.sleep(1.3)  # a long step: heartbeat lines while nothing moves
        bar.update(task, completed=2, description="report")
    lines = capsys.readouterr().err.splitlines()
    assert all(line.startswith("bmdsim: ") for line in lines), lines
    assert any("threats: 1/2" in line for line in lines), lines
    assert sum("threats: 1/2" in line for line in lines) >= 2, lines  # the heartbeat
    assert lines[-1].startswith("bmdsim: done in "), lines
    assert not any("\x1b" in line or "\r" in line for line in lines)  # no terminal codes


def test_status_is_plain_on_a_real_pipe():
    """A real pipe (a subprocess's stderr): plain lines after PLAIN_FIRST_S, then done."""
    import os
    import subprocess
    import sys

    code = (
        "import time; from bmdsim.cli import _console as c; c.PLAIN_FIRST_S = 0.2\n"
        "with c.status('computing the footprint...'):\n    time.sleep(1.0)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert lines[0].startswith("bmdsim: computing the footprint ("), lines
    assert lines[-1].startswith("bmdsim: done in "), lines


def test_in_process_capture_prints_no_progress(capsys, monkeypatch):
    """A test runner's capture has no file descriptor: nothing is printed there, so a
    user error stays the only line on stderr."""
    monkeypatch.setattr(_console, "PLAIN_FIRST_S", 0.0)
    with _console.status("working..."):
        time.sleep(0.7)
    assert capsys.readouterr().err == ""
