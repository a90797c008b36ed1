"""Sampling: draws depend only on (seed, sample index, parameter name)."""

import numpy as np
import pytest
from scipy import stats

from bmdsim.errors import InputError
from bmdsim.sweep.sampling import UncertainParameter, grid, grid_size, sample

PARAMS = [
    UncertainParameter("a", 1.0, 2.0),
    UncertainParameter("b", -5.0, 5.0, "triangular", value=4.0),
    UncertainParameter("c", 10.0, 20.0, "normal", value=12.0),
]


def test_same_seed_same_draws_whatever_the_chunking():
    whole = sample(PARAMS, range(1000), seed=3)
    pieces = [sample(PARAMS, range(a, min(a + 97, 1000)), seed=3) for a in range(0, 1000, 97)]
    shuffled_idx = np.random.default_rng(0).permutation(1000)
    shuffled = sample(PARAMS, shuffled_idx, seed=3)
    for name in ("a", "b", "c"):
        assert np.array_equal(whole[name], np.concatenate([p[name] for p in pieces]))
        assert np.array_equal(whole[name][shuffled_idx], shuffled[name])


def test_equals_seedsequence_spawn():
    # index i's stream is SeedSequence(seed).spawn(...)[i]: the documented contract
    from bmdsim.sweep.sampling import _index_keys

    children = np.random.SeedSequence(11).spawn(5)
    keys = _index_keys(np.arange(5), 11)
    assert [int(k) for k in keys] == [int(c.generate_state(1, np.uint64)[0]) for c in children]


@pytest.mark.parametrize("seed", [0, 1, 11, 2016, 2**32 - 1, 2**32 + 7, 2**70 + 3, 2**130 + 1])
def test_vectorised_keys_equal_numpy_seedsequence(seed):
    """The vectorised SeedSequence words against NumPy's own, for seeds of one to five
    32-bit words and indices across the one-word range (and the two-word fallback)."""
    from bmdsim.sweep.sampling import _index_keys

    rng = np.random.default_rng(seed % 1000)
    idx = np.r_[0, 1, 2, 2**32 - 1, rng.integers(0, 2**32, 300)].astype(np.int64)
    want = [
        int(
            np.random.SeedSequence(entropy=seed, spawn_key=(int(i),)).generate_state(1, np.uint64)[
                0
            ]
        )
        for i in idx
    ]
    assert [int(k) for k in _index_keys(idx, seed)] == want
    big = np.array([2**32, 2**40 + 5], np.int64)
    want_big = [
        int(
            np.random.SeedSequence(entropy=seed, spawn_key=(int(i),)).generate_state(1, np.uint64)[
                0
            ]
        )
        for i in big
    ]
    assert [int(k) for k in _index_keys(big, seed)] == want_big


def test_draws_differ_between_indices_seeds_and_parameters():
    d = sample(PARAMS, range(500), seed=1)
    assert len(np.unique(d["a"])) == 500
    other = sample(PARAMS, range(500), seed=2)
    assert not np.any(d["a"] == other["a"])
    # two parameters with the same range still get independent draws
    twin = sample([UncertainParameter("x", 0, 1), UncertainParameter("y", 0, 1)], range(2000), 1)
    assert abs(np.corrcoef(twin["x"], twin["y"])[0, 1]) < 0.1  # 4.5 sigma for n = 2000


def test_adding_a_parameter_leaves_the_others_unchanged():
    base = sample(PARAMS[:2], range(100), seed=5)
    more = sample(PARAMS + [UncertainParameter("aa", 0.0, 1.0)], range(100), seed=5)
    assert np.array_equal(base["a"], more["a"]) and np.array_equal(base["b"], more["b"])
    assert list(more) == ["a", "aa", "b", "c"]  # sorted names


def test_bounds_and_distributions():
    d = sample(PARAMS, range(20000), seed=9)
    for p in PARAMS:
        assert d[p.name].min() >= p.low and d[p.name].max() <= p.high
    # KS distances: 0.015 is ~2x the 1 % critical value for n = 20000
    assert stats.kstest(d["a"], stats.uniform(1.0, 1.0).cdf).statistic < 0.015
    tri = stats.triang(c=0.9, loc=-5.0, scale=10.0)
    assert stats.kstest(d["b"], tri.cdf).statistic < 0.015
    sigma = 10.0 / 4
    tn = stats.truncnorm((10 - 12) / sigma, (20 - 12) / sigma, loc=12.0, scale=sigma)
    assert stats.kstest(d["c"], tn.cdf).statistic < 0.015


def test_fixed_parameter_and_errors():
    assert np.all(sample([UncertainParameter("f", 3.0, 3.0)], range(4), 0)["f"] == 3.0)
    with pytest.raises(InputError):
        UncertainParameter("x", 2.0, 1.0)
    with pytest.raises(InputError):
        UncertainParameter("x", 0.0, 1.0, "lognormal")
    with pytest.raises(InputError):
        UncertainParameter("x", 0.0, 1.0, "triangular", value=2.0)
    with pytest.raises(InputError):
        sample(PARAMS + [PARAMS[0]], range(3), 0)
    with pytest.raises(InputError):
        sample(PARAMS, [-1], 0)
    with pytest.raises(InputError):
        sample(PARAMS, range(3), -4)


def test_grid():
    g = grid(PARAMS[:2], {"a": 3, "b": 2})
    assert grid_size(PARAMS[:2], {"a": 3, "b": 2}) == 6
    assert g["a"].tolist() == [1.0, 1.0, 1.5, 1.5, 2.0, 2.0]
    assert g["b"].tolist() == [-5.0, 5.0] * 3
    part = grid(PARAMS[:2], {"a": 3, "b": 2}, indices=range(2, 5))
    assert part["a"].tolist() == g["a"][2:5].tolist()
    one = grid(PARAMS, 1)
    assert one == {"a": pytest.approx([1.5]), "b": pytest.approx([4.0]), "c": pytest.approx([12.0])}
    with pytest.raises(InputError):
        grid(PARAMS[:2], 2, indices=[4])


def test_loguniform_is_uniform_in_log():
    p = UncertainParameter("rcs", 0.01, 1.0, "loguniform")
    x = sample([p], range(20_000), seed=3)["rcs"]
    assert x.min() >= 0.01 and x.max() <= 1.0
    # each decade equally likely: P(x < 0.1) = 1/2, median sqrt(0.01 * 1) = 0.1
    assert np.mean(x < 0.1) == pytest.approx(0.5, abs=0.015)
    assert np.mean(x < 10**-1.5) == pytest.approx(0.25, abs=0.015)
    with pytest.raises(InputError, match="low > 0"):
        UncertainParameter("rcs", 0.0, 1.0, "loguniform")
