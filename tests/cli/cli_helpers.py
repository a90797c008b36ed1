"""Helpers for the command-line tests: run ``bmdsim`` in-process with typer's CliRunner.

These are plain functions, not fixtures in a ``tests/cli/conftest.py``: the other test
folders do ``from conftest import ICBM`` (tests/conftest.py), and a second module named
``conftest`` would shadow it in ``sys.modules``.

typer 0.29's CliRunner (on click 8.2+) has no ``mix_stderr``: ``result.stdout`` and
``result.stderr`` are always captured separately (``result.output`` is both), so the
tests can check that ``--json`` leaves only JSON on stdout and errors only on stderr.
"""

from __future__ import annotations

import json
import socket

from typer.testing import CliRunner

from bmdsim.cli import app

# Wide terminal, no colour: rich tables do not wrap ids and names across lines.
CLI_ENV = {"COLUMNS": "250", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"}
RUNNER = CliRunner(env=CLI_ENV)


def cli(*args):
    """Run ``bmdsim ARGS...`` in-process; returns click's Result."""
    return RUNNER.invoke(app, [str(a) for a in args])


def block_network(monkeypatch):
    """Make any attempt to open a network connection fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def run_json(*args):
    """Run a command with ``--json``; it must exit 0 and stdout must be one JSON document."""
    result = cli(*args, "--json")
    assert result.exit_code == 0, (result.exit_code, result.stderr, result.exception)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as exc:  # pragma: no cover - the failure message
        raise AssertionError(f"stdout is not only JSON: {result.stdout!r}") from exc
