"""Which catalogue entries an answer used, and the sources files they make (issue 17 item 6)."""

import json

from bmdsim.analyses.provenance import (
    battery_entries,
    bibliography,
    doctrine_entries,
    engagement_entries,
    sensor_entries,
)
from bmdsim.analyses.resolve import default_doctrine, resolve_defences
from bmdsim.catalogue import default_catalogue
from bmdsim.output.files import sources_markdown, write_sources_files

CAT = default_catalogue()


def test_engagement_entries_name_every_catalogue_entry_used():
    specs = resolve_defences(["redzikowo:sm-3-iia", "deveselu:sm-3-iia"])
    sensors = ["redzikowo", "kurecik:an-tpy-2", "early-warning-satellite"]
    entries = engagement_entries(
        "SS-27 Mod 2", "teykovo", "38.9,-77.0", specs, sensors, default_doctrine()
    )
    assert entries[0] == ("missile", "rs-24-yars")  # alias resolved
    assert ("site", "teykovo") in entries  # launch site
    assert not any(e == ("site", None) for e in entries)  # a bare position is no entry
    for e in [
        ("site", "redzikowo"),
        ("interceptor", "sm-3-iia"),
        ("site", "deveselu"),
        ("radar", "an-spy-1d"),
        ("site", "kurecik"),
        ("radar", "an-tpy-2"),
        ("sensor", "early-warning-satellite"),
        ("doctrine", "early-warning-report-latency"),
        ("doctrine", "decision-delay"),
        ("doctrine", "assessment-delay"),
        ("doctrine", "notional-battery-inventory"),  # the IIA is not deployed at Deveselu
    ]:
        assert e in entries, e
    assert len(entries) == len(set(entries))


def test_doctrine_entries_only_when_the_cited_value_is_used():
    assert doctrine_entries(default_doctrine(decision_delay_s=0.0)) == [
        ("doctrine", "assessment-delay")
    ]


def test_deployed_batteries_cite_no_doctrine_inventory():
    entries = battery_entries(resolve_defences(["deveselu:sm-3-ib"]))
    assert entries == [("site", "deveselu"), ("interceptor", "sm-3-ib")]
    assert sensor_entries(["deveselu"]) == [("site", "deveselu"), ("radar", "an-spy-1d")]


def test_bibliography_lists_each_source_once_with_its_citers():
    bib = bibliography([("site", "kurecik"), ("radar", "an-tpy-2"), ("site", "kaliningrad")])
    ids = [b["id"] for b in bib]
    assert len(ids) == len(set(ids))
    by_id = {b["id"]: b for b in bib}
    # also-sources are listed: Lewis & Postol behind the TPY-2 band, Sputnik on Kaliningrad
    assert by_id["lewis-postol-tpy2-2012"]["cited_by"] == ["radar:an-tpy-2"]
    assert by_id["sputnik-kaliningrad-iskander-2016"]["cited_by"] == ["site:kaliningrad"]
    assert "site:kurecik" in by_id["wikipedia-kurecik"]["cited_by"]
    assert by_id["wikipedia-kurecik"]["accessed"]
    assert set(bib[0]) == {"id", "title", "author", "year", "url", "accessed", "note", "cited_by"}


def test_sources_files(tmp_path):
    bib = bibliography([("radar", "an-tpy-2")])
    write_sources_files(bib, tmp_path, product="engage test")
    data = json.loads((tmp_path / "sources.json").read_text())
    assert data["product"] == "engage test" and data["sources"] == bib
    md = (tmp_path / "sources.md").read_text()
    assert md.startswith("# Sources: engage test")
    assert "[lewis-postol-tpy2-2012]" in md and "(accessed " in md
    assert "1. [" in md and f"{len(bib)}. [" in md
    assert "No catalogue entry" in sources_markdown([], product="x")
