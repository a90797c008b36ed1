"""Sensitivity rankings pick the input that drives a toy output."""

import numpy as np
import pytest

from bmdsim.sweep.sampling import UncertainParameter, sample
from bmdsim.sweep.sensitivity import first_order_sobol, rank_correlations, sensitivity_table

PARAMS = [UncertainParameter(n, 0.0, 1.0) for n in ("x1", "x2", "x3")]


@pytest.fixture(scope="module")
def draws():
    return sample(PARAMS, range(4000), seed=123)


def test_rank_correlation_picks_the_driver(draws):
    y = -5.0 * draws["x2"] + 0.5 * draws["x1"]  # x3 does nothing
    ranked = rank_correlations(draws, y)
    assert [s.name for s in ranked] == ["x2", "x1", "x3"]
    assert ranked[0].value < -0.95 and ranked[0].p_value < 1e-10
    assert abs(ranked[2].value) < 0.05  # ~3 sigma for n = 4000
    table = sensitivity_table(ranked)
    assert table["name"].tolist() == ["x2", "x1", "x3"]


def test_sobol_binned_matches_a_linear_model(draws):
    # y = 3 x1 + x2 with independent U(0, 1): S1 = 9 / 10, S2 = 1 / 10, S3 = 0
    y = 3.0 * draws["x1"] + draws["x2"]
    s = {r.name: r.value for r in first_order_sobol(draws, y)}
    assert s["x1"] == pytest.approx(0.9, abs=0.02)
    assert s["x2"] == pytest.approx(0.1, abs=0.02)
    assert s["x3"] == pytest.approx(0.0, abs=0.01)


def test_sobol_sees_a_non_monotone_effect_spearman_misses(draws):
    y = (draws["x3"] - 0.5) ** 2 + 0.01 * draws["x1"]
    assert first_order_sobol(draws, y)[0].name == "x3"
    rho = {r.name: r.value for r in rank_correlations(draws, y)}
    assert abs(rho["x3"]) < 0.1


def test_boolean_output_constant_input_and_nan(draws):
    feasible = draws["x1"] > 0.7
    inputs = {**draws, "fixed": np.full(4000, 2.0)}
    ranked = rank_correlations(inputs, feasible)
    assert ranked[0].name == "x1" and ranked[-1].name == "fixed"
    assert np.isnan(ranked[-1].value)
    y = draws["x1"].copy()
    y[::10] = np.nan
    r = rank_correlations({"x1": draws["x1"]}, y)[0]
    assert r.n == 3600 and r.value == pytest.approx(1.0)
    assert np.isnan(first_order_sobol({"x1": draws["x1"]}, np.ones(4000))[0].value)
