"""The terminal at 80 columns: ids a user must copy are never cut or broken, option
names in --help are whole, rich markup such as [gpu] shows, no Python reprs, intervals
inside [0, 1] (issue 15, item 4)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

import bmdsim
from bmdsim.cli import app
from bmdsim.output.text import interval_text, probability_interval
from bmdsim.scenario.sweep_summary import wilson_interval

RUNNER80 = CliRunner(env={"COLUMNS": "80", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"})


def cli80(*args):
    result = RUNNER80.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result.stdout


def tokens(text: str) -> set[str]:
    return set(re.split(r"[\s│┃|,;()\[\]]+", text))


def assert_fits(text: str):
    long = [line for line in text.splitlines() if len(line) > 80]
    assert not long, long
    assert "…" not in text  # nothing cut with an ellipsis


@pytest.mark.parametrize("kind", ["missile", "site", "source", "interceptor", "radar", "sensor"])
def test_catalogue_list_keeps_every_id_whole(kind):
    out = cli80("catalogue", "list", "--kind", kind)
    assert_fits(out)
    cat = bmdsim.catalogue()
    entries = cat.entries(kind)
    words = tokens(out)
    assert {e.id for e in entries} <= words
    for e in entries:  # the source behind the headline number, whole
        src = getattr(getattr(e, "published_range", None), "source", None)
        if src:
            assert src in words, (e.id, src)


def test_catalogue_counts_read_as_words():
    assert "1 sensor in the catalogue" in cli80("catalogue", "list", "--kind", "sensor")


def test_catalogue_show_has_no_python_repr():
    out = cli80("catalogue", "show", "rs-24-yars")
    assert_fits(out)
    assert "None" not in out and "{'" not in out and "':" not in out
    assert "tass-yars" in out


COMMANDS = [
    ["trajectory"],
    ["reach"],
    ["coast"],
    ["engage"],
    ["flyout"],
    ["coverage"],
    ["effectiveness"],
    ["run"],
    ["results"],
    ["study"],
    ["demo"],
    ["serve"],
    ["catalogue", "list"],
    ["catalogue", "show"],
]


def _options(args):
    import typer.main

    cmd = typer.main.get_command(app)
    for name in args:
        cmd = cmd.commands[name]
    return [o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_help_never_cuts_an_option_name(args):
    out = cli80(*args, "--help")
    assert_fits(out)
    words = tokens(out)
    for opt in _options(args):
        assert opt in words, opt
    flat = " ".join(out.split())
    if "NVIDIA GPU, the" in flat:  # the shared --backend help
        assert "the [gpu] extra" in flat  # escaped, not eaten as rich markup


def test_reach_table_keeps_site_ids_whole():
    out = cli80(
        "reach",
        "--missile",
        "iskander-e",
        "--from",
        "kaliningrad",
        "--sites",
        "all",
        "--azimuths",
        "36",
    )
    assert_fits(out)
    ids = {s.id for s in bmdsim.catalogue().entries("site") if s.id != "kaliningrad"}
    words = tokens(out)
    assert "baranovichi-s-400-notional" in words
    assert len(ids & words) >= len(ids) - 1


def test_probability_intervals_stay_inside_0_1():
    assert wilson_interval(0, 1000)[0] == 0.0
    assert wilson_interval(1000, 1000)[1] == 1.0
    for k in (0, 1, 500, 999, 1000):
        lo, hi = wilson_interval(k, 1000)
        assert 0.0 <= lo <= k / 1000 <= hi <= 1.0
    assert probability_interval(2.17e-19, 1.0000000001) == (0.0, 1.0)
    assert probability_interval(-0.1, float("nan")) == (0.0, 1.0)
    assert interval_text([2.17e-19, 0.0038]) == "0.000-0.004"
    assert interval_text([None, 0.5]) == ""
