"""bmdsim run belarus-2025: the shipped scenario writes its report, with the Russian
flight-time claims beside the model's flight times, from the package alone (network
blocked, a few samples)."""

import json

import pytest
from cli_helpers import block_network, cli


@pytest.mark.slow
def test_belarus_2025_writes_its_report_with_the_claims(tmp_path, monkeypatch):
    block_network(monkeypatch)
    out = tmp_path / "out"
    result = cli("run", "belarus-2025", "--samples", "8", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Claimed flight times" in result.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "belarus-2025"
    claims = {(c["from"], c["to"]): c for c in summary["claims"]}
    assert len(claims) == 6
    for c in claims.values():
        # every claim is flown on both shapes; depressed is the faster
        assert c["depressed_s"] < c["minimum_energy_s"], c
    # the claims' minimum-energy times are the reach analysis' flight times
    oreshnik = next(r for r in summary["reach"] if r["label"].startswith("oreshnik"))
    london = next(s for s in oreshnik["sites_in_reach"] if s["id"] == "london")
    assert claims[("krichev-oreshnik", "london")]["minimum_energy_s"] == pytest.approx(
        london["flight_time_s"], abs=1.0
    )
    # Readovka's 81 s from Kaliningrad to Warsaw is faster than any flight of the model
    assert claims[("kaliningrad", "warsaw")]["verdict"].endswith("faster than the model can fly")
    # the notional S-400 sees a 50 m target to its mast radar's horizon
    (cov,) = summary["coverage"]
    assert cov["rings"][0]["limited_by"] == "radar horizon"
    assert 45 < cov["rings"][0]["radius_km"] < 60
    html = (out / "report.html").read_text()
    assert "Claimed flight times beside the physics" in html
    assert "express-oreshnik-belarus-2025" in html or "Daily Express" in html
    for name in ("scenario.czml", "reach", "threats", "engagements", "store"):
        assert (out / name).exists(), name
