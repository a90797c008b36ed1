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


def _q(value, low, high, unit):
    return (
        f"{{value: {value}, low: {low}, high: {high}, unit: {unit}, "
        "source: bmdsim-estimate, grade: R}"
    )


def _vehicle_yaml(isp=(250, 240, 260), motor="solid-composite", indent=""):
    """A one-stage test vehicle in the catalogue schema."""
    lines = [
        "id: odd",
        "name: Odd",
        "kind: srbm",
        "country: Nowhere",
        "summary: a test vehicle",
        f"published_range: {_q(100, 90, 110, 'km')}",
        "stages:",
        f"  - gross_mass: {_q(1000, 900, 1100, 'kg')}",
        f"    propellant_mass: {_q(800, 700, 850, 'kg')}",
        f"    isp_vac: {_q(*isp, 's')}",
        f"    burn_time: {_q(20, 15, 25, 's')}",
        f"    diameter: {_q(0.5, 0.5, 0.5, 'm')}",
        f"    nozzle_exit_area: {_q(0.05, 0.04, 0.06, 'm^2')}",
        f"    motor: {motor}",
        "payload:",
        f"  mass: {_q(100, 90, 110, 'kg')}",
        "  separates: false",
        "aero: {cd_table: v2-sutton}",
        "steering:",
        f"  vertical_rise_time: {_q(3, 2, 4, 's')}",
    ]
    return "\n".join(indent + line for line in lines) + "\n"


def test_motor_problems_is_empty_for_the_catalogue_and_names_a_bad_stage(tmp_path):
    from bmdsim.catalogue import load_catalogue

    assert motor_problems(CAT) == []
    # the same check on a catalogue with one stage above the solid ceiling
    text = _vehicle_yaml(isp=(343, 330, 350), indent="    ")
    path = tmp_path / "hot.yaml"
    path.write_text("missiles:\n  - " + text.lstrip())
    problems = motor_problems(load_catalogue([path]))
    assert any(p.startswith("odd.stages[0].isp_vac value 343 s") for p in problems)
    assert len([p for p in problems if p.startswith("odd")]) == 3  # value, low, high


def test_an_unknown_motor_class_is_refused_with_the_known_ones(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(_vehicle_yaml(motor="nuclear-thermal"))
    with pytest.raises(VehicleFileError, match="unknown motor class 'nuclear-thermal'; known: "):
        load_missile_file(path, CAT)
    path.write_text(_vehicle_yaml())
    assert load_missile_file(path, CAT).stages[0].motor == "solid-composite"
