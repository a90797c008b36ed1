"""US Standard Atmosphere 1976 against the printed Table I, the reference model and ussa1976."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pytest

from bmdsim.earth import atmosphere
from bmdsim.earth.atmosphere import US1976_TABLE, density_pressure_sound_speed, us1976

ROOT = Path(__file__).resolve().parents[3]
REF = ROOT / "tests" / "references" / "us1976_table1.csv"

# Geometric altitudes [m] of the layer boundaries below 86 km (H_b = 11, 20, 32, 47, 51,
# 71 km' through Z = r0 H / (r0 - H)): the lapse rate jumps there, so linear interpolation
# on the 100 m grid is worst in the one cell that holds each of them.
R0_M = 6356.766e3
KINKS_M = np.array([R0_M * h / (R0_M - h) for h in (11e3, 20e3, 32e3, 47e3, 51e3, 71e3)])


def _in_kink_cell(z):
    cell = np.floor((np.asarray(z) + 5000.0) / 100.0)
    kink_cells = np.floor((KINKS_M + 5000.0) / 100.0)
    return np.isin(cell, kink_cells)


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_us1976_table", ROOT / "scripts" / "make_us1976_table.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table1():
    return pd.read_csv(REF, comment="#")


@pytest.fixture(scope="module")
def generator():
    return _generator()


def _rel(model, ref):
    return np.abs(np.asarray(model) / np.asarray(ref) - 1.0)


COLUMNS = ["temperature_K", "pressure_Pa", "density_kg_m3", "speed_of_sound_m_s"]


def test_reference_model_matches_table1_below_86_km(table1, generator):
    # NOAA-S/T 76-1562 Table I. Tolerance 1e-4 (0.01 %): the printed values carry 5-6
    # significant digits (half a unit of the 5th digit is up to 5e-5) and the transcribed
    # layer-boundary altitudes are rounded to 1 m (up to 8e-5 in p at 75.9 km).
    low = table1[table1.altitude_m < 86e3]
    t, p, rho, a = generator.build_table(low.altitude_m.to_numpy(float))
    for name, model in zip(COLUMNS, (t, p, rho, a), strict=True):
        ref = low[name].to_numpy(float)
        assert np.max(_rel(model, ref)) < 1e-4, name


def test_shipped_table_matches_table1_below_86_km(table1):
    # Same 1e-4, except within the 100 m cell holding a layer boundary, where linear
    # interpolation across the lapse-rate jump costs up to h*dL/(4T) ~ 8e-4 in T and rho:
    # there 1e-3. Pressure is smooth (C1) across the boundaries: 1e-4 everywhere.
    low = table1[table1.altitude_m < 86e3]
    z = low.altitude_m.to_numpy(float)
    state = us1976(z)
    kink = _in_kink_cell(z)
    for name, model in zip(COLUMNS, state, strict=True):
        err = _rel(model, low[name].to_numpy(float))
        tol = 1e-4 if name == "pressure_Pa" else np.where(kink, 1e-3, 1e-4)
        assert np.all(err < tol), (name, z[err >= tol])


def test_upper_atmosphere_matches_table1_86_to_1000_km(table1):
    # 86-1000 km: Table I pressure and density at 5 significant digits (PDAS transcription)
    # and kinetic temperature at 0.01 K. Tolerance 0.2 % for p and rho: the species
    # densities are integrated numerically; we sit within 0.1 % of the printed values, the
    # largest gaps at 800-1000 km where hydrogen (eqs. 38-40) dominates. T to 0.02 K.
    high = table1[table1.altitude_m >= 86e3]
    z = high.altitude_m.to_numpy(float)
    state = us1976(z)
    for name, model in zip(COLUMNS[1:3], state[1:3], strict=True):
        ref = high[name].to_numpy(float)
        ok = ~np.isnan(ref)
        assert ok.sum() >= 20
        assert np.max(_rel(model[ok], ref[ok])) < 2e-3, name
    t_ref = high.temperature_K.to_numpy(float)
    ok = ~np.isnan(t_ref)
    assert np.max(np.abs(state.temperature_k[ok] - t_ref[ok])) < 0.02


def test_reference_has_at_least_50_altitudes_spanning_0_to_1000_km(table1):
    assert table1.altitude_m.nunique() >= 50
    assert table1.altitude_m.min() <= 0.0 and table1.altitude_m.max() >= 1000e3


def test_shipped_table_is_what_the_generator_writes(generator):
    # Guards against a stale CSV: rebuild the grid and compare to the file's 9 digits.
    z = atmosphere.ALTITUDE_M
    t, p, rho, a = generator.build_table(z)
    assert np.max(_rel(atmosphere.TEMPERATURE_K, t)) < 1e-7
    assert np.max(_rel(atmosphere.PRESSURE_PA, p)) < 1e-8
    assert np.max(_rel(atmosphere.DENSITY_KG_M3, rho)) < 1e-8
    assert np.max(_rel(atmosphere.SPEED_OF_SOUND_M_S, a)) < 1e-7


def test_interpolation_error_at_cell_midpoints(generator):
    # Midpoints are where linear interpolation is worst. Required: < 1e-4 below 86 km and
    # < 1e-3 above (we get < 1e-5 and < 1e-4), except T and rho in the layer-boundary cells.
    z = atmosphere.ALTITUDE_M[:-1] + 50.0
    t, p, rho, a = generator.build_table(z)
    state = us1976(z)
    low = z < 86e3
    kink = _in_kink_cell(z) | ((z > 85.9e3) & (z < 86.1e3))
    assert np.max(_rel(state.pressure_pa[low], p[low])) < 2e-5
    for model, exact in ((state.temperature_k, t), (state.density_kg_m3, rho),
                         (state.speed_of_sound_m_s, a)):
        assert np.max(_rel(model[low & ~kink], exact[low & ~kink])) < 2e-5
        assert np.max(_rel(model[kink], exact[kink])) < 1e-3
    for model, exact in zip(state, (t, p, rho, a), strict=True):
        assert np.max(_rel(model[~low & ~kink], exact[~low & ~kink])) < 1e-4


def test_jitted_scalar_matches_array_function():
    @numba.njit(cache=False)
    def batch(h, table):
        out = np.empty((h.size, 3))
        for k in range(h.size):
            out[k, 0], out[k, 1], out[k, 2] = density_pressure_sound_speed(h[k], table)
        return out

    rng = np.random.default_rng(1976)
    h = np.concatenate([rng.uniform(-6e3, 1.1e6, 20_000), [-5e3, 0.0, 86e3, 1e6, 1e6 + 1]])
    out = batch(h, US1976_TABLE)
    state = us1976(h)
    np.testing.assert_allclose(out[:, 0], state.density_kg_m3, rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(out[:, 1], state.pressure_pa, rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(out[:, 2], state.speed_of_sound_m_s, rtol=1e-12, atol=0.0)
    # Plain Python runs the same function (the reference integrator calls it so).
    for hk, row in zip(h[:200], out[:200], strict=True):
        got = density_pressure_sound_speed(float(hk), US1976_TABLE)
        np.testing.assert_allclose(got, row, rtol=1e-12)


def test_edges_clamp_below_and_vacuum_above():
    table = US1976_TABLE
    assert density_pressure_sound_speed(-20e3, table) == density_pressure_sound_speed(-5e3, table)
    rho, p, a = density_pressure_sound_speed(1.5e6, table)
    assert rho == 0.0 and p == 0.0 and a == pytest.approx(float(atmosphere._A_TOP))
    assert all(math.isnan(v) for v in density_pressure_sound_speed(math.nan, table))
    state = us1976([-20e3, 2e6, np.nan])
    assert state.density_kg_m3[0] == pytest.approx(us1976(-5e3).density_kg_m3)
    assert state.density_kg_m3[1] == 0.0 and state.pressure_pa[1] == 0.0
    assert np.isnan(state.density_kg_m3[2])
    assert us1976(np.zeros((2, 3))).pressure_pa.shape == (2, 3)


def test_sea_level_values_are_the_standard_ones():
    # Table I at Z = 0: 288.15 K, 101325 Pa, 1.2250 kg/m^3, 340.29 m/s.
    rho, p, a = density_pressure_sound_speed(0.0, US1976_TABLE)
    assert p == pytest.approx(101325.0, rel=1e-12)
    assert rho == pytest.approx(1.2250, rel=1e-5)
    assert a == pytest.approx(340.294, rel=1e-5)


def test_agrees_with_ussa1976_below_100_km():
    # ussa1976 0.3.4 agrees with the standard to all printed digits below 86 km: 1e-4
    # (1e-3 in the layer-boundary cells, for rho and T, as above).
    ussa1976 = pytest.importorskip("ussa1976")
    z = np.arange(0.0, 86e3, 250.0)
    ds = ussa1976.compute(z=z, variables=["t", "p", "rho", "cs"])
    state = us1976(z)
    kink = _in_kink_cell(z)
    np.testing.assert_allclose(state.pressure_pa, ds["p"].values, rtol=1e-4)
    for model, name in ((state.temperature_k, "t"), (state.density_kg_m3, "rho"),
                        (state.speed_of_sound_m_s, "cs")):
        err = _rel(model, ds[name].values)
        if name == "t":
            # ussa1976 reports the molecular-scale T_M up to 86 km; Table I (and we) give
            # the kinetic T = T_M M/M0, which departs from T_M above 80 km (Table 8).
            err = np.where(z < 80e3, err, 0.0)
        assert np.all(err < np.where(kink, 1e-3, 1e-4)), name


def test_ussa1976_runs_high_above_86_km_and_why():
    # 86-150 km. ussa1976 0.3.4 puts M_N2 (not M0) in the eddy-mixing term of the atomic
    # oxygen equation (core.thermal_diffusion_term_atomic_oxygen): its O, hence p and rho,
    # grow too high with altitude: +0.26 % in p at 100 km (Table I 3.2011e-2 Pa, ours
    # within 0.01 %), +2.5 % at 150 km, which is the known 4-7 % gap at 230-500 km.
    # Below 100 km the two agree to 0.3 %; between 100 and 150 km ussa1976 is 0-3 % high.
    ussa1976 = pytest.importorskip("ussa1976")
    z = np.arange(87e3, 150e3 + 1.0, 1e3)  # at 86 km ussa1976 reports T_M
    ds = ussa1976.compute(z=z, variables=["t", "p", "rho"])
    state = us1976(z)
    np.testing.assert_allclose(state.temperature_k, ds["t"].values, rtol=1e-4)
    for model, name in ((state.pressure_pa, "p"), (state.density_kg_m3, "rho")):
        ratio = ds[name].values / model - 1.0
        below = z <= 100e3
        assert np.all(np.abs(ratio[below]) < 3e-3), name
        assert np.all((ratio[~below] > -1e-4) & (ratio[~below] < 3e-2)), name
