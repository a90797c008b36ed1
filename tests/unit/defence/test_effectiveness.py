"""Defence effectiveness closed forms (Wilkening, Science & Global Security 8, 2000) against
hand-checked numbers and a seeded Monte Carlo of the same doctrine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmdsim.defence.effectiveness import (
    DefenceOutcome,
    defence_outcome,
    expected_interceptors_per_target,
    expected_leakers,
    probability_no_leaker,
    salvo_kill_probability,
    shoot_look_shoot_kill_probability,
)
from bmdsim.errors import InputError


def test_salvo_kill_probability_by_hand():
    # 1 - 0.2^2 = 0.96; 1 - 0.5^3 = 0.875
    assert salvo_kill_probability(0.8, 2) == pytest.approx(0.96, abs=1e-15)
    assert salvo_kill_probability(0.5, 3) == pytest.approx(0.875, abs=1e-15)
    assert salvo_kill_probability(0.7, 0) == 0.0
    np.testing.assert_allclose(salvo_kill_probability(np.array([0.0, 1.0]), 4), [0.0, 1.0])


def test_shoot_look_shoot_by_hand():
    # perfect assessment: 1 - (0.2^1)^2 = 0.96, the salvo of two's kill probability
    assert shoot_look_shoot_kill_probability(0.8, 1, 2) == pytest.approx(0.96, abs=1e-15)
    # two looks of two shots, pk 0.5: survive a look 0.25; 1 - 0.25^2 = 0.9375
    assert shoot_look_shoot_kill_probability(0.5, 2, 2) == pytest.approx(0.9375, abs=1e-15)
    # imperfect assessment 0.9: leak = q((1 - a) + a q) = 0.2 (0.1 + 0.18) = 0.056
    assert shoot_look_shoot_kill_probability(0.8, 1, 2, 0.9) == pytest.approx(0.944, abs=1e-15)
    # mean interceptors: 1 + a q = 1 + 0.9 * 0.2 = 1.18; perfect: 1.2
    assert expected_interceptors_per_target(0.8, 1, 2, 0.9) == pytest.approx(1.18, abs=1e-15)
    assert expected_interceptors_per_target(0.8, 1, 2) == pytest.approx(1.2, abs=1e-15)


def test_one_look_is_a_salvo():
    for pk in (0.3, 0.8):
        for s in (1, 2, 4):
            assert shoot_look_shoot_kill_probability(pk, s, 1) == pytest.approx(
                salvo_kill_probability(pk, s), abs=1e-15
            )


def test_fully_engaged_raid_closed_form():
    # 10 RVs, 2 shots each at pk 0.8: P(no leaker) = 0.96^10, E[leakers] = 10 x 0.04
    out = defence_outcome(10, pk=0.8, shots_per_target=2)
    assert isinstance(out, DefenceOutcome)
    assert out.p_zero_leakers == pytest.approx(0.96**10, rel=1e-12)
    assert out.expected_leakers == pytest.approx(0.4, rel=1e-12)
    assert out.interceptors_spent == pytest.approx(20.0, rel=1e-12)
    assert out.rv_engaged == pytest.approx(10.0, rel=1e-12)
    assert "10 RVs" in repr(out)
    assert expected_leakers(10, pk=0.8, shots_per_target=2) == out.expected_leakers
    assert probability_no_leaker(10, pk=0.8, shots_per_target=2) == out.p_zero_leakers


def test_inventory_exhaustion_by_hand():
    # 15 interceptors, 2 a salvo: 7 RVs engaged, 1 interceptor held back, 3 RVs leak.
    out = defence_outcome(10, pk=0.8, shots_per_target=2, inventory=15)
    assert out.expected_leakers == pytest.approx(3 + 7 * 0.04, rel=1e-12)
    assert out.p_zero_leakers == 0.0
    assert out.interceptors_spent == pytest.approx(14.0, rel=1e-12)
    # shoot-look-shoot reserves 2 x 2 per RV: 3 fully, the 4th gets one look (3 left -> 1 salvo)
    out = defence_outcome(4, pk=0.5, shots_per_target=2, looks=2, inventory=15)
    leak_full, leak_one = 0.25**2, 0.25
    assert out.expected_leakers == pytest.approx(3 * leak_full + leak_one, rel=1e-12)
    assert out.p_zero_leakers == pytest.approx((1 - leak_full) ** 3 * (1 - leak_one), rel=1e-12)
    assert out.interceptors_reserved == pytest.approx(14.0, rel=1e-12)
    assert out.interceptors_spent == pytest.approx(3 * (2 + 2 * 0.25) + 2, rel=1e-12)


def test_decoys_by_hand():
    # 1 RV, 1 decoy never discriminated, 2 interceptors, 2 shots a target: only one object
    # is engaged, the RV with probability 1/2. P(no leaker) = 0.5 x 0.96.
    out = defence_outcome(
        1, pk=0.8, shots_per_target=2, inventory=2, decoys_per_rv=1, p_discriminate=0.0
    )
    assert out.p_zero_leakers == pytest.approx(0.48, rel=1e-12)
    assert out.expected_leakers == pytest.approx(0.5 + 0.5 * 0.04, rel=1e-12)
    assert out.decoys_engaged == pytest.approx(0.5, rel=1e-12)


def test_system_reliability_scales_outcome():
    a = defence_outcome(3, pk=0.8, shots_per_target=2)
    b = defence_outcome(3, pk=0.8, shots_per_target=2, p_system=0.9)
    assert b.p_zero_leakers == pytest.approx(0.9 * a.p_zero_leakers, rel=1e-12)
    assert b.expected_leakers == pytest.approx(0.9 * a.expected_leakers + 0.1 * 3, rel=1e-12)


def test_bad_input_says_what_is_allowed():
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        defence_outcome(3, pk=1.2)
    with pytest.raises(InputError, match="whole number"):
        defence_outcome(3, pk=0.5, shots_per_target=0)
    with pytest.raises(InputError, match="whole number"):
        defence_outcome(2.5, pk=0.5)


def monte_carlo(
    rng, trials, *, raid, pk, s, looks, inventory, decoys_per_rv, p_d, p_assess, p_system
):
    """Trial-by-trial simulation of the stated doctrine, independent of the closed form."""
    n_obj = raid * (1 + decoys_per_rv)
    is_rv = np.zeros(n_obj, bool)
    is_rv[:raid] = True
    exists = np.ones((trials, n_obj), bool)
    exists[:, raid:] = rng.random((trials, n_obj - raid)) > p_d  # undiscriminated decoys
    keys = np.where(exists, rng.random((trials, n_obj)), 2.0)
    rank = np.argsort(np.argsort(keys, axis=1), axis=1)  # arrival position of each object
    total = exists.sum(axis=1)
    per = s * looks
    inv = np.full(trials, 10**9) if inventory is None else np.full(trials, inventory)
    k_full = np.minimum(total, inv // per)
    part = np.where(k_full < total, np.minimum(looks, (inv - k_full * per) // s), 0)
    looks_given = np.where(
        rank < k_full[:, None], looks, np.where(rank == k_full[:, None], part[:, None], 0)
    )
    looks_given = np.where(exists, looks_given, 0)
    alive = exists.copy()
    engage = looks_given > 0
    spent = np.zeros(trials)
    for j in range(looks):
        fire = engage & alive & (looks_given > j)
        spent += s * fire.sum(axis=1)
        killed = fire & (rng.random((trials, n_obj)) < 1.0 - (1.0 - pk) ** s)
        alive &= ~killed
        engage = fire & alive & (rng.random((trials, n_obj)) < p_assess)
    works = rng.random(trials) < p_system
    rv_leak = np.where(works, (alive & is_rv).sum(axis=1), raid)
    spent = np.where(works, spent, 0.0)
    return rv_leak, spent


CASES = [
    dict(
        raid=10,
        pk=0.8,
        s=2,
        looks=1,
        inventory=None,
        decoys_per_rv=0,
        p_d=1.0,
        p_assess=1.0,
        p_system=1.0,
    ),
    dict(
        raid=5,
        pk=0.7,
        s=1,
        looks=2,
        inventory=12,
        decoys_per_rv=2,
        p_d=0.6,
        p_assess=0.9,
        p_system=1.0,
    ),
    dict(
        raid=4,
        pk=0.6,
        s=2,
        looks=3,
        inventory=30,
        decoys_per_rv=3,
        p_d=0.8,
        p_assess=0.8,
        p_system=0.95,
    ),
    dict(
        raid=3,
        pk=0.9,
        s=1,
        looks=2,
        inventory=7,
        decoys_per_rv=1,
        p_d=0.3,
        p_assess=1.0,
        p_system=1.0,
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_closed_form_matches_monte_carlo(case):
    # 200,000 seeded trials; agreement within 4 standard errors of the Monte Carlo mean.
    rng = np.random.default_rng(20000)
    leak, spent = monte_carlo(rng, 200_000, **case)
    out = defence_outcome(
        case["raid"],
        pk=case["pk"],
        shots_per_target=case["s"],
        looks=case["looks"],
        inventory=case["inventory"],
        decoys_per_rv=case["decoys_per_rv"],
        p_discriminate=case["p_d"],
        p_assess=case["p_assess"],
        p_system=case["p_system"],
    )
    n = leak.size
    for mc, exact in (
        (leak, out.expected_leakers),
        (leak == 0, out.p_zero_leakers),
        (spent, out.interceptors_spent),
    ):
        mc = np.asarray(mc, float)
        se = mc.std(ddof=1) / math.sqrt(n)
        assert abs(mc.mean() - exact) <= 4.0 * se + 1e-12, (mc.mean(), exact, se)


doctrines = st.fixed_dictionaries(
    dict(
        raid_size=st.integers(0, 12),
        pk=st.floats(0.0, 1.0),
        shots_per_target=st.integers(1, 3),
        looks=st.integers(1, 3),
        decoys_per_rv=st.integers(0, 4),
        p_discriminate=st.floats(0.0, 1.0),
        p_assess=st.floats(0.0, 1.0),
    )
)


@settings(max_examples=60, deadline=None)
@given(doctrine=doctrines, inventory=st.integers(0, 60), extra=st.integers(1, 20))
def test_more_interceptors_never_increase_leakers(doctrine, inventory, extra):
    fewer = defence_outcome(inventory=inventory, **doctrine)
    more = defence_outcome(inventory=inventory + extra, **doctrine)
    unlimited = defence_outcome(inventory=None, **doctrine)
    tol = 1e-9
    assert more.expected_leakers <= fewer.expected_leakers + tol
    assert more.p_zero_leakers >= fewer.p_zero_leakers - tol
    assert unlimited.expected_leakers <= more.expected_leakers + tol
    for out in (fewer, more, unlimited):
        assert 0.0 <= out.p_zero_leakers <= 1.0 + tol
        assert -tol <= out.expected_leakers <= doctrine["raid_size"] + tol
    assert fewer.interceptors_spent <= fewer.interceptors_reserved + tol <= inventory + 2 * tol


@settings(max_examples=60, deadline=None)
@given(doctrine=doctrines, inventory=st.one_of(st.none(), st.integers(0, 60)))
def test_perfect_discrimination_equals_no_decoys(doctrine, inventory):
    with_decoys = defence_outcome(inventory=inventory, **{**doctrine, "p_discriminate": 1.0})
    plain = defence_outcome(
        inventory=inventory, **{**doctrine, "decoys_per_rv": 0, "p_discriminate": 0.3}
    )
    assert with_decoys.expected_leakers == pytest.approx(plain.expected_leakers, abs=1e-12)
    assert with_decoys.p_zero_leakers == pytest.approx(plain.p_zero_leakers, abs=1e-12)
    assert with_decoys.decoys_engaged == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(pk=st.floats(0.0, 1.0), s=st.integers(1, 4), looks=st.integers(1, 4), n=st.integers(1, 20))
def test_perfect_assessment_shoot_look_shoot_equals_big_salvo(pk, s, looks, n):
    # same kill probability as one salvo of s L shots, never more interceptors
    assert shoot_look_shoot_kill_probability(pk, s, looks) == pytest.approx(
        salvo_kill_probability(pk, s * looks), abs=1e-12
    )
    assert expected_interceptors_per_target(pk, s, looks) <= s * looks + 1e-12
    # unlimited fully engaged raid: P(no leaker) = P_kill^N
    out = defence_outcome(n, pk=pk, shots_per_target=s, looks=looks)
    assert out.p_zero_leakers == pytest.approx(
        shoot_look_shoot_kill_probability(pk, s, looks) ** n, abs=1e-12
    )
