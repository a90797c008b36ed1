"""``bmdsim demo``: the seed articles' reach questions end to end (about 30-40 s)."""

from __future__ import annotations

import re

import pytest
from cli_helpers import block_network, cli

from bmdsim.cli.run import DEMO_ICBM, DEMO_LAUNCHES


@pytest.mark.slow
def test_demo_writes_a_folder_per_launch(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "demo"
    result = cli("demo", "--out", out)
    assert result.exit_code == 0, (result.stderr, result.exception)
    text = result.stdout
    assert "Traceback" not in text + result.stderr

    # the in-reach table: Iskander-M from Kaliningrad reaches Redzikowo (~220 km)
    assert "Which NATO sites are in reach" in text
    table = text.split("Which NATO sites are in reach", 1)[1]
    row = next(
        (line for line in table.splitlines() if "kaliningrad" in line and "iskander-m" in line),
        None,
    )
    assert row is not None, table
    assert re.search(r"redzikowo \(\d+\.\d min\)", row), row

    # the ICBM line: flight time in the published ~30-minute band
    m = re.search(r"flight\s+time\s+([\d.]+)\s+min", text)
    assert m and 25 <= float(m.group(1)) <= 40, text[-600:]

    # one folder per launch, each with its map
    folders = {p.name for p in out.iterdir() if p.is_dir()}
    expected = {f"{missile}_from_{origin}" for missile, origin in DEMO_LAUNCHES}
    missile, origin, target = DEMO_ICBM
    expected.add(f"{missile}_{origin}_to_{target}")
    engagement = f"{missile}_{origin}_to_{target}_vs_redzikowo"
    assert folders == expected | {engagement}
    # the Redzikowo question: SM-3s against the Yars, with figures
    assert "Could SM-3s at Redzikowo intercept it?" in text
    for name in ("engagement_timeline.png", "battle_space.png", "engagement_summary.json"):
        assert (out / engagement / name).stat().st_size > 1_000, name
    for name in expected:
        maps = list((out / name).glob("*_map.png"))
        assert len(maps) == 1 and maps[0].stat().st_size > 10_000, name
        assert list((out / name).glob("*.geojson")), name
        assert list((out / name).glob("*.kml")), name
