"""No catalogue stage has a vacuum Isp a motor of its kind cannot have.

Every stage names a motor class (motors.yaml); its vacuum Isp (value, low and high: the
band a sweep draws from) and its propellant fraction must lie inside that class's bands.
The solid class's ceiling is about 300 s (Sutton & Biblarz, Table 12-1: AP/Al composites
deliver about 260-270 s at the standard 1,000 psia expanded to sea level; a vacuum
nozzle adds about 10-15 %). The provenance review found calibrations at 301-343 s.
"""

from __future__ import annotations

import pytest

from bmdsim.analyses.calibration import motor_problems
from bmdsim.catalogue import MotorClass, Quantity, default_catalogue, load_missile_file
from bmdsim.errors import VehicleFileError

CAT = default_catalogue()
STAGES = [(m.id, k, s) for m in CAT.entries("missile") for k, s in enumerate(m.stages)]


def test_the_motor_classes_are_cited_and_solid_tops_out_near_300_s():
    classes = CAT.entries("motor_class")
    assert {c.id for c in classes} >= {
        "solid-composite",
        "liquid-lox-alcohol",
        "liquid-nitric-acid",
    }
    for c in classes:
        assert isinstance(c, MotorClass)
        for q in (c.isp_vac, c.propellant_fraction):
            assert isinstance(q, Quantity) and q.source and q.note, c.id
    solid = CAT.motor_class("solid-composite").isp_vac
    assert solid.unit == "s" and solid.high <= 300.0
    # a storable or an alcohol liquid of the Scud/V-2 generation stays below solids' top
    assert CAT.motor_class("liquid-lox-alcohol").isp_vac.high < solid.high
    assert CAT.motor_class("liquid-nitric-acid").isp_vac.high < solid.high


@pytest.mark.parametrize(
    ("missile_id", "k", "stage"), STAGES, ids=[f"{m}[{k}]" for m, k, _ in STAGES]
)
def test_stage_isp_and_propellant_fraction_are_inside_its_motor_class(missile_id, k, stage):
    assert stage.motor is not None, f"{missile_id}.stages[{k}] names no motor class"
    motor = CAT.motor_class(stage.motor)
    band = motor.isp_vac
    for end in ("value", "low", "high"):
        isp = getattr(stage.isp_vac, end)
        assert band.low <= isp <= band.high, (
            f"{missile_id}.stages[{k}].isp_vac {end} {isp:g} s outside {motor.id} "
            f"{band.low:g}-{band.high:g} s"
        )
    f = stage.propellant_mass.si / stage.gross_mass.si
    assert motor.propellant_fraction.low <= f <= motor.propellant_fraction.high


def test_motor_problems_is_empty_for_the_catalogue_and_names_a_bad_stage(tmp_path):
    assert motor_problems(CAT) == []
    # the same check on a catalogue with one stage above the solid ceiling
    from bmdsim.catalogue import load_catalogue

    text = (
        "missiles:\n"
        "  - id: hot-solid\n    name: Hot solid\n    kind: srbm\n    country: Nowhere\n"
        "    summary: a motor no one can build\n"
        "    published_range: {value: 100, low: 90, high: 110, unit: km, source: bmdsim-estimate,"
        " grade: R}\n"
        "    stages:\n"
        "      - gross_mass: {value: 1000, low: 900, high: 1100, unit: kg, source: bmdsim-estimate,"
        " grade: R}\n"
        "        propellant_mass: {value: 800, low: 700, high: 850, unit: kg, source: "
        "bmdsim-estimate, grade: R}\n"
        "        isp_vac: {value: 343, low: 330, high: 350, unit: s, source: bmdsim-estimate,"
        " grade: R}\n"
        "        burn_time: {value: 20, low: 15, high: 25, unit: s, source: bmdsim-estimate,"
        " grade: R}\n"
        "        diameter: {value: 0.5, low: 0.5, high: 0.5, unit: m, source: bmdsim-estimate,"
        " grade: R}\n"
        "        nozzle_exit_area: {value: 0.05, low: 0.04, high: 0.06, unit: m^2, source: "
        "bmdsim-estimate, grade: R}\n"
        "        motor: solid-composite\n"
        "    payload: {mass: {value: 100, low: 90, high: 110, unit: kg, source: bmdsim-estimate,"
        " grade: R}, separates: false}\n"
        "    aero: {cd_table: v2-sutton}\n"
        "    steering: {vertical_rise_time: {value: 3, low: 2, high: 4, unit: s, source: "
        "bmdsim-estimate, grade: R}}\n"
    )
    path = tmp_path / "hot.yaml"
    path.write_text(text)
    problems = motor_problems(load_catalogue([path]))
    assert any(p.startswith("hot-solid.stages[0].isp_vac value 343 s") for p in problems)
    assert len([p for p in problems if p.startswith("hot-solid")]) == 3  # value, low, high


def test_an_unknown_motor_class_is_refused_with_the_known_ones(tmp_path):
    path = tmp_path / "v.yaml"
    text = (CAT_FILE_TEMPLATE).replace("MOTOR", "nuclear-thermal")
    path.write_text(text)
    with pytest.raises(VehicleFileError, match="unknown motor class 'nuclear-thermal'; known: "):
        load_missile_file(path, CAT)


CAT_FILE_TEMPLATE = """\
id: odd
name: Odd
kind: srbm
country: Nowhere
summary: a test vehicle
published_range: {value: 100, low: 90, high: 110, unit: km, source: bmdsim-estimate, grade: R}
stages:
  - gross_mass: {value: 1000, low: 900, high: 1100, unit: kg, source: bmdsim-estimate, grade: R}
    propellant_mass: {value: 800, low: 700, high: 850, unit: kg, source: bmdsim-estimate, grade: R}
    isp_vac: {value: 250, low: 240, high: 260, unit: s, source: bmdsim-estimate, grade: R}
    burn_time: {value: 20, low: 15, high: 25, unit: s, source: bmdsim-estimate, grade: R}
    diameter: {value: 0.5, low: 0.5, high: 0.5, unit: m, source: bmdsim-estimate, grade: R}
    nozzle_exit_area: {value: 0.05, low: 0.04, high: 0.06, unit: m^2, source: bmdsim-estimate, grade: R}
    motor: MOTOR
payload: {mass: {value: 100, low: 90, high: 110, unit: kg, source: bmdsim-estimate, grade: R}, separates: false}
aero: {cd_table: v2-sutton}
steering: {vertical_rise_time: {value: 3, low: 2, high: 4, unit: s, source: bmdsim-estimate, grade: R}}
"""
