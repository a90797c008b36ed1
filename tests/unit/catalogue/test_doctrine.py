"""The doctrine section: cited, banded defaults that the analyses read (item 4 of issue 17)."""

import dataclasses

import numpy as np
import pytest

from bmdsim.analyses.engage import sensor_cues
from bmdsim.analyses.resolve import (
    default_doctrine,
    notional_inventory,
    report_latency_s,
    resolve_defences,
)
from bmdsim.catalogue import DOCTRINE_IDS, default_catalogue, load_catalogue
from bmdsim.defence.engagement import Doctrine, ThreatTrack

CAT = default_catalogue()


@pytest.mark.parametrize("entry_id", DOCTRINE_IDS)
def test_every_doctrine_default_is_cited_banded_and_graded(entry_id):
    entry = CAT.doctrine_entry(entry_id)
    q = entry.quantity
    assert q.source in CAT.sources and q.grade in "VCKR"
    assert q.low <= q.value <= q.high and q.high > q.low  # a real band, not a point
    assert q.note and entry.used_by


def test_physics_defaults_are_the_catalogue_central_values():
    # defence.engagement.Doctrine repeats the catalogue's central values for hand-built
    # calls; they must not drift apart
    assert Doctrine().decision_delay_s == CAT.doctrine_entry("decision-delay").si
    assert Doctrine().assessment_delay_s == CAT.doctrine_entry("assessment-delay").si
    assert default_doctrine() == Doctrine()


def test_default_doctrine_takes_what_is_given():
    d = default_doctrine(decision_delay_s=5.0, assessment_delay_s=None, launch_on_remote=False)
    assert d.decision_delay_s == 5.0 and d.launch_on_remote is False
    assert d.assessment_delay_s == CAT.doctrine_entry("assessment-delay").si


def test_notional_inventory_is_an_aegis_ashore_load():
    assert notional_inventory() == 24
    deveselu = {s.system: s.count_value for s in CAT.site("deveselu").systems}
    assert deveselu["sm-3-ib"] == notional_inventory()
    # a what-if battery gets it, and is marked notional; a deployed one keeps its count
    (what_if,) = resolve_defences(["deveselu:sm-3-iia"])
    (deployed,) = resolve_defences(["deveselu:sm-3-ib"])
    assert what_if.inventory == 24 and what_if.notional
    assert deployed.inventory == 24 and not deployed.notional


def _user_doctrine(tmp_path, entry_id, value, unit):
    path = tmp_path / "doctrine.yaml"
    path.write_text(
        "doctrine:\n"
        f"  - id: {entry_id}\n"
        "    name: test\n"
        "    summary: test\n"
        f"    quantity: {{value: {value}, low: 0, high: 100, unit: '{unit}', "
        "source: bmdsim-assumption, grade: R}\n"
        "    used_by: test\n"
    )
    return load_catalogue([path])


def test_a_user_file_overrides_a_doctrine_default(tmp_path):
    cat = _user_doctrine(tmp_path, "decision-delay", 12, "s")
    assert cat.is_overridden("doctrine", "decision-delay")
    assert default_doctrine(cat).decision_delay_s == 12.0
    cat = _user_doctrine(tmp_path, "notional-battery-inventory", 8, "")
    assert notional_inventory(cat) == 8
    assert resolve_defences(["deveselu:sm-3-iia"], cat)[0].inventory == 8


def test_report_latency_delays_the_satellite_report(tmp_path):
    # a threat that burns for 180 s: detected at the satellite's delay, reported that
    # plus the catalogue's latency later
    t = np.arange(0.0, 600.0, 1.0)
    zeros = np.zeros((len(t), 3))
    track = ThreatTrack(t, zeros, zeros, t * 0, t * 0, t * 0, 600.0, 180.0, "test")
    delay = CAT.sensor("early-warning-satellite").detection_delay.si
    (base,) = sensor_cues(["early-warning-satellite"], track, rcs_m2=0.01)
    assert report_latency_s() == 0.0 and base.first_detection_s == pytest.approx(delay)
    cat = _user_doctrine(tmp_path, "early-warning-report-latency", 20, "s")
    (late,) = sensor_cues(["early-warning-satellite"], track, cat, rcs_m2=0.01)
    assert late.first_detection_s == pytest.approx(delay + 20.0)
    assert late.firm_track_s is None  # a report, never a fire-control track


def test_doctrine_dataclass_fields_are_all_defaulted_from_the_catalogue():
    names = {f.name for f in dataclasses.fields(Doctrine)}
    assert {"decision_delay_s", "assessment_delay_s"} <= names
