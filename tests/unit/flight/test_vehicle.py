"""Vehicle rows (vehicle.py, layout in state.py): masses at ignition, thrust, timing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bmdsim.errors import BmdsimError, InputError
from bmdsim.flight import state as S
from bmdsim.flight.vehicle import Stage, Vehicle, pack_vehicle, pack_vehicles
from fixture_vehicles import ICBM, SRBM

G0 = 9.80665  # m/s^2, standard gravity (CGPM 1901), the Isp convention


def _stage_field(row, k, field):
    return row[S.V_STAGE0 + k * S.STAGE_FIELDS + field]


def test_icbm_row_layout():
    row = pack_vehicle(ICBM)
    assert row.shape == (S.V_SIZE,)
    assert row[S.V_NSTAGES] == 3
    # whole-vehicle mass at each ignition: this stage, the stages above, the payload
    expected_mass = (28000 + 12000 + 5000 + 1200, 12000 + 5000 + 1200, 5000 + 1200)
    expected_times = ((0, 60), (60, 125), (125, 185))
    for k, st in enumerate(ICBM.stages):
        assert _stage_field(row, k, S.SF_M_IGNITION) == expected_mass[k]
        assert (_stage_field(row, k, S.SF_T_IGNITION), _stage_field(row, k, S.SF_T_BURNOUT)) == \
            expected_times[k]
        mdot = st.propellant_mass_kg / st.burn_time_s
        assert _stage_field(row, k, S.SF_MDOT) == pytest.approx(mdot, rel=1e-15)
        # F_vac = mdot g0 Isp_vac (Sutton & Biblarz eq. 2-14)
        assert _stage_field(row, k, S.SF_THRUST_VAC) == pytest.approx(mdot * G0 * st.isp_vac_s,
                                                                       rel=1e-15)
        assert _stage_field(row, k, S.SF_EXIT_AREA) == st.nozzle_exit_area_m2
        assert _stage_field(row, k, S.SF_REF_AREA) == pytest.approx(math.pi * st.diameter_m**2 / 4)
    # first-stage vacuum thrust: 25,000 kg / 60 s * 9.80665 * 270 s = 1,103,248.1 N
    assert _stage_field(row, 0, S.SF_THRUST_VAC) == pytest.approx(1_103_248.125, abs=1e-6)
    # mass just before stage 2 ignites = stage-2 ignition mass + stage-1 dry mass
    burnt_1 = _stage_field(row, 0, S.SF_M_IGNITION) - 25000
    assert burnt_1 - (28000 - 25000) == _stage_field(row, 1, S.SF_M_IGNITION)
    assert row[S.V_SEPARATES] == 1.0
    assert row[S.V_RV_MASS] == 1200
    assert row[S.V_RV_BETA] == 8000
    assert row[S.V_T_VERTICAL] == 10
    assert row[S.V_CD_SCALE] == 1.0
    assert row[S.V_NCD] == 5
    np.testing.assert_array_equal(row[S.V_CD_MACH:S.V_CD_MACH + 5], ICBM.cd_mach)
    np.testing.assert_array_equal(row[S.V_CD_VALUE:S.V_CD_VALUE + 5], ICBM.cd)
    # unused stage slots stay zero
    assert not np.any(row[S.V_STAGE0 + 3 * S.STAGE_FIELDS:S.V_SEPARATES])


def test_srbm_row_keeps_payload_attached():
    row = pack_vehicle(SRBM)
    assert row[S.V_NSTAGES] == 1
    assert _stage_field(row, 0, S.SF_M_IGNITION) == 13500
    assert row[S.V_SEPARATES] == 0.0
    assert row[S.V_RV_BETA] == 0.0  # the spent stage flies on with the Cd table
    assert row[S.V_COAST_REF_AREA] == pytest.approx(math.pi * 1.65**2 / 4)
    assert SRBM.launch_mass_kg == 13500
    assert SRBM.burn_time_s == 65


def test_pack_vehicles_stacks_rows_in_order():
    table = pack_vehicles([SRBM, ICBM])
    assert table.shape == (2, S.V_SIZE)
    np.testing.assert_array_equal(table[1], pack_vehicle(ICBM))


def _stage(**changes):
    base = dict(gross_mass_kg=1000.0, propellant_mass_kg=800.0, isp_vac_s=250.0, burn_time_s=50.0,
                diameter_m=1.0, nozzle_exit_area_m2=0.3)
    base.update(changes)
    return Stage(**base)


def _vehicle(stages=None, **changes):
    base = dict(id="bad", stages=(_stage(),) if stages is None else stages, payload_mass_kg=100.0,
                payload_separates=False, rv_ballistic_coefficient_kg_m2=0.0,
                cd_mach=(0.0, 2.0), cd=(0.2, 0.3))
    base.update(changes)
    return Vehicle(**base)


@pytest.mark.parametrize("stage, field", [
    (_stage(propellant_mass_kg=1000.0), "stages[0].propellant_mass"),  # no dry mass
    (_stage(propellant_mass_kg=1200.0), "stages[0].propellant_mass"),
    (_stage(propellant_mass_kg=0.0), "stages[0].propellant_mass"),
    (_stage(burn_time_s=0.0), "stages[0]"),
    (_stage(isp_vac_s=-250.0), "stages[0]"),
])
def test_bad_stage_raises_input_error(stage, field):
    with pytest.raises(InputError) as err:
        _vehicle(stages=(stage,))
    assert err.value.field == field
    assert isinstance(err.value, BmdsimError)
    assert "bad" in str(err.value)  # names the vehicle


def test_too_many_stages_raises_input_error():
    with pytest.raises(InputError) as err:
        _vehicle(stages=(_stage(),) * (S.MAX_STAGES + 1))
    assert err.value.field == "stages"


def test_bad_drag_table_raises_input_error():
    with pytest.raises(InputError):
        _vehicle(cd_mach=(0.0, 1.0, 2.0), cd=(0.2, 0.3))
    with pytest.raises(InputError):
        _vehicle(cd_mach=(0.0,), cd=(0.2,))


def test_separating_rv_needs_a_ballistic_coefficient():
    with pytest.raises(InputError) as err:
        _vehicle(payload_separates=True, rv_ballistic_coefficient_kg_m2=0.0)
    assert "ballistic coefficient" in str(err.value)
