"""Uncertain inputs as arrays with a leading sample axis (STYLE habit 13).

Reproducibility contract
------------------------
The draw for sample index ``i`` depends only on ``(seed, i, parameter)``:

* each index gets its own ``numpy.random.SeedSequence(entropy=seed, spawn_key=(i,))``,
  which is exactly ``SeedSequence(seed).spawn(i + 1)[i]``; one 64-bit word from it is the
  index's key;
* each parameter's uniform variate is that key mixed (SplitMix64 finaliser) with a
  64-bit key of the parameter's *name* (BLAKE2b), so parameters are drawn in no order at
  all: adding, removing or fixing one uncertain parameter, or adding output columns,
  leaves the draws of every other parameter unchanged;
* the uniform is turned into the distribution by its inverse CDF (no ``Generator``
  method, whose streams NumPy does not promise to keep across versions).

So chunking, executors and worker counts cannot change a single value.

Distributions
-------------
``uniform``     on [low, high].
``triangular``  on [low, high] with mode ``value`` (the midpoint when ``value`` is None).
``normal``      mean ``value`` (the midpoint when None), sigma = (high - low) / 4, truncated
                to [low, high] (so an untruncated 95 % interval would span the range).
``loguniform``  uniform in log x on [low, high] (low > 0): for a range spanning a factor
                of several, each factor equally likely.
A parameter with ``low == high`` is fixed at that value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from bmdsim.errors import InputError

__all__ = ["DISTRIBUTIONS", "UncertainParameter", "grid", "grid_size", "sample", "uniforms"]

DISTRIBUTIONS = ("uniform", "triangular", "normal", "loguniform")

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class UncertainParameter:
    """One uncertain scalar input: its name, range and distribution (see module doc)."""

    name: str
    low: float
    high: float
    distribution: str = "uniform"
    value: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(
                "an uncertain parameter needs a non-empty name",
                field="name",
                value=self.name,
                allowed="a non-empty string",
            )
        low, high = float(self.low), float(self.high)
        if not (np.isfinite(low) and np.isfinite(high)) or low > high:
            raise InputError(
                f"parameter {self.name!r}: low must be <= high, both finite "
                f"(got {self.low}, {self.high})",
                field=f"{self.name}.low",
                value=(self.low, self.high),
                allowed="finite low <= high",
            )
        if self.distribution not in DISTRIBUTIONS:
            raise InputError(
                f"parameter {self.name!r}: unknown distribution {self.distribution!r}",
                field=f"{self.name}.distribution",
                value=self.distribution,
                allowed=list(DISTRIBUTIONS),
            )
        if self.distribution == "loguniform" and not low > 0:
            raise InputError(
                f"parameter {self.name!r}: a loguniform range needs low > 0 (got {low})",
                field=f"{self.name}.low",
                value=self.low,
                allowed="> 0",
            )
        if self.value is not None and not (low <= float(self.value) <= high):
            raise InputError(
                f"parameter {self.name!r}: value {self.value} lies outside [{low}, {high}]",
                field=f"{self.name}.value",
                value=self.value,
                allowed=f"[{low}, {high}]",
            )

    @property
    def centre(self) -> float:
        """The mode/mean: ``value``, or the midpoint of the range."""
        return float(self.value) if self.value is not None else 0.5 * (self.low + self.high)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: maps uniforms in (0, 1) to this parameter's distribution."""
        u = np.asarray(u, dtype=np.float64)
        low, high = float(self.low), float(self.high)
        if low == high:
            return np.full(u.shape, low)
        width = high - low
        if self.distribution == "uniform":
            x = low + u * width
        elif self.distribution == "loguniform":
            x = np.exp(np.log(low) + u * (np.log(high) - np.log(low)))
        elif self.distribution == "triangular":
            c = self.centre
            fc = (c - low) / width
            left = low + np.sqrt(u * width * (c - low))
            right = high - np.sqrt((1.0 - u) * width * (high - c))
            x = np.where(u < fc, left, right)
        else:  # truncated normal
            mu, sigma = self.centre, width / 4.0
            a, b = ndtr((low - mu) / sigma), ndtr((high - mu) / sigma)
            x = mu + sigma * ndtri(a + u * (b - a))
        return np.clip(x, low, high)


def _name_key(name: str) -> np.uint64:
    return np.uint64(
        int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")
    )


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK64
    x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK64
    x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK64
    return x ^ (x >> np.uint64(31))


def _as_indices(indices: Iterable[int] | np.ndarray | range) -> np.ndarray:
    if isinstance(indices, range):
        idx = np.arange(indices.start, indices.stop, indices.step, dtype=np.int64)
    else:
        idx = np.asarray(indices)
    if idx.ndim != 1:
        raise InputError("sample indices must be one-dimensional", field="indices")
    if idx.size and (not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0):
        raise InputError(
            "sample indices must be non-negative integers",
            field="indices",
            value=idx.dtype,
            allowed="integers >= 0",
        )
    return idx.astype(np.int64, copy=False)


def _index_keys(idx: np.ndarray, seed: int) -> np.ndarray:
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(
            "the seed must be a non-negative integer",
            field="seed",
            value=seed,
            allowed="an integer >= 0",
        )
    if idx.size and int(idx.max()) >= 2**32:  # a two-word spawn key: NumPy's own, slowly
        out = np.empty(idx.size, dtype=np.uint64)
        for k, i in enumerate(idx.tolist()):
            out[k] = np.random.SeedSequence(entropy=int(seed), spawn_key=(i,)).generate_state(
                1, np.uint64
            )[0]
        return out
    return _seed_sequence_words(int(seed), idx.astype(np.uint64))


# NumPy's SeedSequence (O'Neill's seed_seq_fe, numpy/random/bit_generator.pyx) for one
# spawn-key word, vectorised over the sample indices: a Python loop over
# ``SeedSequence(seed, spawn_key=(i,)).generate_state(1, uint64)`` costs ~15 us a sample
# (15 s for 10^6 samples); this gives the very same words (tests/unit/sweep/test_sampling.py
# checks them against NumPy's) at ~0.4 us a sample. Only the spawn key varies, so the pool
# mixed from the seed is computed once.
_M32 = 0xFFFFFFFF
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R, _XSHIFT = 0xCA01F9DD, 0x4973F715, 16
_POOL = 4


def _seed_sequence_words(seed: int, index: np.ndarray) -> np.ndarray:
    hash_const = _INIT_A

    def hashmix(value: int) -> int:
        nonlocal hash_const
        value = (value ^ hash_const) & _M32
        hash_const = (hash_const * _MULT_A) & _M32
        value = (value * hash_const) & _M32
        return value ^ (value >> _XSHIFT)

    def mix(x: int, y: int) -> int:
        r = (_MIX_L * x - _MIX_R * y) & _M32
        return r ^ (r >> _XSHIFT)

    entropy = []
    while True:  # the seed as little-endian 32-bit words, padded to the pool size
        entropy.append(seed & _M32)
        seed >>= 32
        if not seed:
            break
    entropy += [0] * (_POOL - len(entropy))
    pool = [hashmix(entropy[i]) for i in range(_POOL)]
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                pool[dst] = mix(pool[dst], hashmix(pool[src]))
    for word in entropy[_POOL:]:
        for dst in range(_POOL):
            pool[dst] = mix(pool[dst], hashmix(word))
    m32, shift = np.uint64(_M32), np.uint64(_XSHIFT)
    with np.errstate(over="ignore"):
        words = []
        for dst in range(_POOL):  # the spawn key, the last entropy word
            value = (index ^ np.uint64(hash_const)) & m32
            hash_const = (hash_const * _MULT_A) & _M32
            value = (value * np.uint64(hash_const)) & m32
            value ^= value >> shift
            r = (np.uint64(_MIX_L) * np.uint64(pool[dst]) - np.uint64(_MIX_R) * value) & m32
            words.append(r ^ (r >> shift))
        out = []
        hash_b = _INIT_B
        for k in range(2):  # generate_state(1, uint64): two 32-bit words, little-endian
            value = words[k] ^ np.uint64(hash_b)
            hash_b = (hash_b * _MULT_B) & _M32
            value = (value * np.uint64(hash_b)) & m32
            out.append(value ^ (value >> shift))
    return out[0] | (out[1] << np.uint64(32))


def uniforms(name: str, indices, seed: int, *, _keys: np.ndarray | None = None) -> np.ndarray:
    """The uniform variates in (0, 1) of parameter ``name`` for ``indices`` (see module doc)."""
    keys = _index_keys(_as_indices(indices), seed) if _keys is None else _keys
    with np.errstate(over="ignore"):
        bits = _splitmix64(keys ^ _splitmix64(np.full(keys.shape, _name_key(name))))
    return ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def _check_unique(parameters: Sequence[UncertainParameter]) -> list[UncertainParameter]:
    params = sorted(parameters, key=lambda p: p.name)
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise InputError(
            f"uncertain parameters named twice: {dup}",
            field="parameters",
            value=dup,
            allowed="unique names",
        )
    return params


def sample(parameters: Sequence[UncertainParameter], indices, seed: int) -> dict[str, np.ndarray]:
    """Monte Carlo draws: ``{name: float64 array, one value per index}``, names sorted.

    >>> p = [UncertainParameter("burnout_speed", 2000.0, 2400.0)]
    >>> a = sample(p, range(0, 10), seed=7)["burnout_speed"]
    >>> b = sample(p, range(5, 10), seed=7)["burnout_speed"]
    >>> bool((a[5:] == b).all())
    True
    """
    params = _check_unique(parameters)
    idx = _as_indices(indices)
    keys = _index_keys(idx, seed)
    return {p.name: p.ppf(uniforms(p.name, idx, seed, _keys=keys)) for p in params}


def _points(parameters, points_per_axis) -> list[tuple[UncertainParameter, int]]:
    params = _check_unique(parameters)
    out = []
    for p in params:
        n = (
            points_per_axis.get(p.name, 1)
            if isinstance(points_per_axis, Mapping)
            else points_per_axis
        )
        if not isinstance(n, int | np.integer) or n < 1:
            raise InputError(
                f"points per axis for {p.name!r} must be an integer >= 1",
                field="points_per_axis",
                value=n,
                allowed="integer >= 1",
            )
        out.append((p, 1 if p.low == p.high else int(n)))
    return out


def grid_size(parameters: Sequence[UncertainParameter], points_per_axis) -> int:
    """The number of points of :func:`grid`: the product of the points per axis."""
    return int(np.prod([n for _, n in _points(parameters, points_per_axis)], dtype=np.int64))


def grid(
    parameters: Sequence[UncertainParameter], points_per_axis: int | Mapping[str, int], indices=None
) -> dict[str, np.ndarray]:
    """A full-factorial grid, ``linspace(low, high, n)`` on each axis, as flat columns.

    Point ``i`` is ``numpy.unravel_index(i, shape)`` over the axes in sorted-name order
    (C order: the last name varies fastest), so a sweep can run a grid in chunks by
    passing ``indices``; ``None`` gives every point. With one point an axis sits at the
    parameter's ``value`` (or midpoint). ``points_per_axis`` may be a mapping by name
    (axes it omits get one point).
    """
    axes = _points(parameters, points_per_axis)
    shape = tuple(n for _, n in axes)
    total = int(np.prod(shape, dtype=np.int64))
    idx = np.arange(total) if indices is None else _as_indices(indices)
    if idx.size and idx.max() >= total:
        raise InputError(
            f"grid index {int(idx.max())} is beyond the grid's {total} points",
            field="indices",
            value=int(idx.max()),
            allowed=f"[0, {total})",
        )
    sub = np.unravel_index(idx, shape) if shape else ()
    out = {}
    for k, (p, n) in enumerate(axes):
        values = np.linspace(p.low, p.high, n) if n > 1 else np.array([p.centre])
        out[p.name] = values[sub[k]]
    return out
