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
    for name in ("scenario.czml", "reach", "threats", "engagements", "sources.md"):
        assert (out / name).exists(), name
    # the bibliography covers launch and reach sites, sensors and doctrine (item 6)
    sources = json.loads((out / "sources.json").read_text())["sources"]
    cited = {c for s in sources for c in s["cited_by"]}
    for entry in (
        "site:brest",  # a reach origin
        "site:warsaw",  # a reach target
        "site:kaliningrad",  # a threat's launch site
        "radar:an-spy-1d",  # the defence site's radar, a sensor by default
        "sensor:early-warning-satellite",
        "doctrine:decision-delay",
    ):
        assert entry in cited, entry
    assert all(f'id="src-{s["id"]}"' in html for s in sources)
    # the effectiveness table states the Pk it used and its grade
    assert "single-shot Pk" in html and "grade R" in html
    # every phase timed: plain lines on stderr, the same seconds in summary.json
    timing = summary["timing"]
    assert list(timing["phases_s"]) == ["reach", "threats", "engagements", "report"]
    assert all(v >= 0 for v in timing["phases_s"].values()) and timing["samples"] == 0
    assert timing["total_s"] == pytest.approx(sum(timing["phases_s"].values()), abs=0.01)
    for name, sec in timing["phases_s"].items():
        assert f"phase {name} {sec:.2f} s (cpu {timing['phases_cpu_s'][name]:.2f} s)" in (
            result.stderr
        )
    assert "Run time by phase" in html
    # answers first: the findings box before the sections, each answer with its caveat,
    # the scenario YAML in an appendix after the sources, the tracks map, no Python dict
    assert html.index('id="findings"') < html.index('id="section-1"')
    assert "Kinematic feasibility only" in html and "Caveat:" in html
    assert html.index('id="sources"') < html.index('id="scenario"')
    assert "{&#39;" not in html and "{'" not in html
    assert (out / "engagements" / "tracks_map.png").is_file()
    assert "Where the threats fly past the defence sites" in html
    # the run's own answer in words; only the report's figures unless --all-figures
    assert "In words:" in result.stdout
    assert not (out / "threats" / "iskander-kaliningrad-redzikowo" / "trajectory_map.png").exists()


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
