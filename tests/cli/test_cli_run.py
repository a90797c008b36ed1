"""bmdsim run: a small scenario end to end, with the network blocked."""

import json

import pytest
from cli_helpers import block_network, cli
from test_cli_errors import assert_user_error

SCENARIO = """\
name: tiny-baltic
description: one reach, one threat, one defence; small enough for the test suite
threats:
  - id: iskander-kaliningrad-redzikowo
    missile: iskander-m
    from: kaliningrad
    to: redzikowo
defences:
  - site: redzikowo
analyses:
  trajectories: true
  engage: true
  reach:
    - missile: iskander-e
      from: brest
      sites: [warsaw, redzikowo]
      n_azimuths: 36
  effectiveness:
    raid: 2
    shots: 2
"""


def test_run_writes_report_summary_and_exports(tmp_path, monkeypatch):
    block_network(monkeypatch)
    path = tmp_path / "tiny.yaml"
    path.write_text(SCENARIO)
    out = tmp_path / "out"
    result = cli("run", str(path), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "tiny-baltic"
    assert len(summary["reach"]) == 1 and len(summary["engagements"]) == 1
    # Iskander-M from Kaliningrad to Redzikowo stays below the SM-3 IIA's 80 km floor
    # (docs/study-europe.md; tests/cli/test_cli_defence.py checks the apogee).
    engagement = summary["engagements"][0]
    # the scenario's threat id beside the missile's description (they once collided)
    assert engagement["threat_id"] == "iskander-kaliningrad-redzikowo"
    assert "label" in engagement["threat"]
    window = engagement["windows"][0]
    assert window["feasible"] is False and window["reason"] == "outside-altitude-window"
    html = (out / "report.html").read_text()
    assert "tiny-baltic" in html and "data:image/png;base64," in html
    assert "Bibliography" in html or "bibliography" in html
    for name in ("scenario.czml", "reach", "threats", "engagements"):
        assert (out / name).exists(), name


def test_run_bad_scenario_names_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(SCENARIO.replace("to: redzikowo", "to: redzikowo\n    shape: loft"))
    result = cli("run", str(path))
    assert result.exit_code == 1
    assert "bad.yaml:" in result.stderr and "shape" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--executor", "ray"), "unknown executor 'ray'; allowed: local, processes, dask"),
        (("--executor", "dask="), "give the scheduler address after dask="),
        (("--backend", "reference"), "unknown backend 'reference'"),
    ],
    ids=["executor", "dask-without-address", "backend"],
)
def test_run_refuses_bad_options_before_any_work(tmp_path, args, words):
    out = tmp_path / "out"
    message = assert_user_error(cli("run", "europe-2016", "--out", str(out), *args))
    assert words in message
    assert not out.exists()
