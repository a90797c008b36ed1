"""`bmdsim serve`: loopback by default, a warning when bound elsewhere."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bmdsim.cli import app as cli_app

pytestmark = pytest.mark.web
RUNNER = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture
def started(monkeypatch):
    """What `bmdsim serve` hands uvicorn (nothing is started)."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    return calls


def test_serve_listens_on_loopback_by_default(started, tmp_path):
    r = RUNNER.invoke(cli_app, ["serve", "--no-warm", "--data-dir", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    app, kw = started[0]
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8765
    assert "warning" not in r.stderr and "http://127.0.0.1:8765/" in r.stderr
    assert app.state.settings.allowed_hosts[:2] == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_serve_warns_when_bound_elsewhere(started, tmp_path, host):
    r = RUNNER.invoke(cli_app, ["serve", "--host", host, "--no-warm", "--data-dir", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    assert "warning:" in r.stderr and "not loopback" in r.stderr
    assert started[0][1]["host"] == host


@pytest.mark.parametrize("host", ["localhost", "127.0.0.2", "::1"])
def test_other_loopback_addresses_get_no_warning(started, tmp_path, host):
    r = RUNNER.invoke(cli_app, ["serve", "--host", host, "--no-warm", "--data-dir", str(tmp_path)])
    assert r.exit_code == 0 and "warning" not in r.stderr


def test_a_bad_port_is_one_error_line(started):
    r = RUNNER.invoke(cli_app, ["serve", "--port", "70000"])
    assert r.exit_code != 0 and not started
