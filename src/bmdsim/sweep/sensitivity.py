"""Which uncertain inputs drive an output: rank correlation, first-order and total-order
Sobol indices.

All are estimated from the *same* plain Monte Carlo samples the sweep already ran (no
extra sample structure: the sweep's design is independent draws per sample index,
``sweep.sampling``):

* :func:`rank_correlations`: Spearman's rho (``scipy.stats.spearmanr``) of each input
  with the output, and its p-value. Catches monotone effects of either sign.
* :func:`first_order_sobol`: S_i = Var(E[Y | X_i]) / Var(Y), estimated by **binning**
  X_i into equal-count (quantile) bins and taking the between-bin share of the variance,
  corrected for the noise that bin means add (the epsilon-squared of a one-way ANOVA:
  (SS_between - (B - 1) MS_within) / SS_total), clipped to [0, 1]. Catches non-monotone
  effects too; needs a few thousand samples for +-0.02.
* :func:`sobol_indices`: first-order, **second-order interaction** and **total-order**
  indices. The closed index of a pair, S_ij^c = Var(E[Y | X_i, X_j]) / Var(Y), is binned
  the same way on a B2 x B2 grid of quantile cells; the interaction is
  S_ij = S_ij^c - S_i - S_j (the marginals binned on the same B2 bins, so the binning
  bias cancels to first order); the total index is then the **second-order truncation**
  S_Ti ~ S_i + sum_j S_ij, clipped to [S_i, 1]. The truncation is exact when no three
  inputs interact (Ishigami: tests/unit/sweep/test_sensitivity.py) and otherwise a lower
  bound of S_Ti = E[Var(Y | X_~i)] / Var(Y) (every Sobol term is >= 0): a pure third-order
  interaction is missed. A pick-freeze (Saltelli/Jansen) estimator would be unbiased for
  any order, but needs its own A/B/AB_i sample matrices, which the sweep's design does not
  have; the given-data form is what plain Monte Carlo rows allow (Saltelli et al. 2010,
  "Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181,
  259-270, for the definitions; cited from knowledge).

Rows whose output (or that input) is not finite are dropped pairwise; a boolean output
(feasible or not) is treated as 0/1. An input or output with no spread gets NaN and is
ranked last. Results are ranked by magnitude, largest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import spearmanr

from bmdsim.errors import InputError

__all__ = [
    "Sensitivity",
    "SobolIndices",
    "first_order_sobol",
    "rank_correlations",
    "sensitivity_table",
    "sobol_indices",
]


@dataclass(frozen=True)
class Sensitivity:
    """One input's influence on an output."""

    name: str
    value: float  # Spearman rho in [-1, 1], or first-order Sobol index in [0, 1]
    method: str  # "spearman" | "sobol-binned"
    p_value: float = float("nan")  # Spearman only
    n: int = 0  # samples used


def _pairs(inputs: Mapping[str, np.ndarray], output) -> tuple[dict, np.ndarray]:
    y = np.asarray(output, dtype=np.float64).ravel()
    xs = {}
    for name, x in inputs.items():
        x = np.asarray(x, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise InputError(
                f"input {name!r} has {x.size} values, the output {y.size}",
                field=name,
                value=x.size,
                allowed=f"{y.size} values",
            )
        xs[name] = x
    return xs, y


def _ranked(results: list[Sensitivity]) -> list[Sensitivity]:
    return sorted(results, key=lambda s: (np.isnan(s.value), -abs(np.nan_to_num(s.value)), s.name))


def rank_correlations(inputs: Mapping[str, np.ndarray], output) -> list[Sensitivity]:
    """Spearman rank correlation of each input with ``output``, ranked by |rho|."""
    xs, y = _pairs(inputs, output)
    out = []
    for name, x in xs.items():
        ok = np.isfinite(x) & np.isfinite(y)
        xv, yv = x[ok], y[ok]
        if xv.size < 3 or np.ptp(xv) == 0 or np.ptp(yv) == 0:
            out.append(Sensitivity(name, float("nan"), "spearman", float("nan"), int(xv.size)))
            continue
        res = spearmanr(xv, yv)
        out.append(
            Sensitivity(name, float(res.statistic), "spearman", float(res.pvalue), int(xv.size))
        )
    return _ranked(out)


def _bin_labels(x: np.ndarray, b: int) -> tuple[np.ndarray, int]:
    """Equal-count (quantile) bin of each value of ``x`` among ``b`` bins, ties sharing a
    bin; (labels 0..k-1, k non-empty bins)."""
    n = x.size
    order = np.argsort(x, kind="stable")
    label = np.empty(n, dtype=np.int64)
    label[order] = np.minimum((np.arange(n) * b) // n, b - 1)
    # samples with equal x must share a bin: give each tie group its first label
    xs_sorted = x[order]
    first = np.r_[True, xs_sorted[1:] != xs_sorted[:-1]]
    group_label = label[order][np.maximum.accumulate(np.where(first, np.arange(n), 0))]
    label[order] = group_label
    _, label = np.unique(label, return_inverse=True)
    return label, int(label.max()) + 1


def _closed_index(label: np.ndarray, k: int, y: np.ndarray, ss_total: float) -> float:
    """Epsilon-squared share of Var(y) between the ``k`` groups of ``label`` (unclipped)."""
    n = y.size
    counts = np.bincount(label, minlength=k)
    keep = counts > 0
    means = np.bincount(label, weights=y, minlength=k)[keep] / counts[keep]
    k = int(np.count_nonzero(keep))
    ss_between = float(np.sum(counts[keep] * (means - y.mean()) ** 2))
    ms_within = (ss_total - ss_between) / max(n - k, 1)
    return (ss_between - (k - 1) * ms_within) / ss_total


def _default_bins(n: int) -> int:
    return int(np.clip(round(np.sqrt(n)), 2, 64))


def _default_pair_bins(n: int) -> int:
    # about 15 samples a cell, at most 48 x 48 cells: on Ishigami and on a step
    # y = 1[x1 + x2 > 1] this trades the binning bias (cells too coarse to resolve the
    # interaction) against the noise of many small cells (measured in the tests' module)
    return int(np.clip(int(np.sqrt(n / 15.0)), 2, 48))


def first_order_sobol(
    inputs: Mapping[str, np.ndarray], output, bins: int | None = None
) -> list[Sensitivity]:
    """First-order Sobol indices by binning (see module doc), ranked largest first.

    ``bins`` defaults to round(sqrt(n)) clipped to [2, 64].
    """
    xs, y = _pairs(inputs, output)
    out = []
    for name, x in xs.items():
        ok = np.isfinite(x) & np.isfinite(y)
        xv, yv = x[ok], y[ok]
        n = xv.size
        if n < 4 or np.ptp(xv) == 0 or np.ptp(yv) == 0:
            out.append(Sensitivity(name, float("nan"), "sobol-binned", n=int(n)))
            continue
        b = bins if bins is not None else _default_bins(n)
        label, k = _bin_labels(xv, b)
        if k < 2:
            out.append(Sensitivity(name, float("nan"), "sobol-binned", n=int(n)))
            continue
        ss_total = float(np.sum((yv - yv.mean()) ** 2))
        s = _closed_index(label, k, yv, ss_total)
        out.append(Sensitivity(name, float(np.clip(s, 0.0, 1.0)), "sobol-binned", n=int(n)))
    return _ranked(out)


@dataclass(frozen=True)
class SobolIndices:
    """One input's first-order and total-order index, and its pairwise interactions."""

    name: str
    first: float  # S_i (binned, clipped to [0, 1])
    total: float  # S_Ti, second-order truncation (a lower bound; module doc)
    interactions: dict  # {other input: S_ij (unclipped estimate, may be slightly < 0)}
    n: int = 0
    # standard deviation of one S_ij estimate where the pair has no effect (noise floor):
    # sqrt(2 (K - 1)) / n for K pair cells, the epsilon-squared's null spread (checked by
    # simulation in tests/unit/sweep/test_sensitivity.py); the total's noise is about
    # sqrt(d - 1) times this for d inputs
    interaction_noise: float = float("nan")


def sobol_indices(
    inputs: Mapping[str, np.ndarray],
    output,
    *,
    bins: int | None = None,
    pair_bins: int | None = None,
) -> list[SobolIndices]:
    """First-order, second-order interaction and total-order Sobol indices from plain
    Monte Carlo rows (see module doc), ranked by total index, largest first.

    Rows where the output or any input is not finite are dropped (all inputs together, so
    the pairs share rows). ``bins``: for the first-order index (default round(sqrt(n))
    in [2, 64]); ``pair_bins``: per axis of a pair's grid (default sqrt(n / 50) in
    [2, 12], about 50 samples a cell). Inputs or outputs without spread get NaN.
    """
    xs, y = _pairs(inputs, output)
    names = list(xs)
    ok = np.isfinite(y)
    for x in xs.values():
        ok &= np.isfinite(x)
    y = y[ok]
    n = y.size
    nan = float("nan")
    spread = {m: n >= 4 and np.ptp(xs[m][ok]) > 0 for m in names}
    if n < 4 or np.ptp(y) == 0:
        return [SobolIndices(m, nan, nan, {}, int(n)) for m in names]
    ss_total = float(np.sum((y - y.mean()) ** 2))
    b1 = bins if bins is not None else _default_bins(n)
    b2 = pair_bins if pair_bins is not None else _default_pair_bins(n)
    first, coarse, labels = {}, {}, {}
    for m in names:
        if not spread[m]:
            continue
        x = xs[m][ok]
        lab, k = _bin_labels(x, b1)
        first[m] = float(np.clip(_closed_index(lab, k, y, ss_total), 0.0, 1.0)) if k > 1 else nan
        lab2, k2 = _bin_labels(x, b2)
        labels[m] = (lab2, k2)
        coarse[m] = _closed_index(lab2, k2, y, ss_total)
    inter: dict[str, dict[str, float]] = {m: {} for m in names}
    active = [m for m in names if m in labels and labels[m][1] > 1]
    for a_i, a in enumerate(active):
        la, ka = labels[a]
        for b in active[a_i + 1 :]:
            lb, kb = labels[b]
            closed = _closed_index(la * kb + lb, ka * kb, y, ss_total)
            s_ab = closed - coarse[a] - coarse[b]
            inter[a][b] = inter[b][a] = float(s_ab)
    cells = [labels[m][1] for m in active]
    k_pair = float(np.mean(cells)) ** 2 if cells else 1.0
    noise = float(np.sqrt(2.0 * max(k_pair - 1.0, 0.0)) / n)
    out = []
    for m in names:
        f = first.get(m, nan)
        if np.isnan(f):
            out.append(SobolIndices(m, nan, nan, {}, int(n), noise))
            continue
        total = float(np.clip(f + sum(inter[m].values()), f, 1.0))
        out.append(SobolIndices(m, f, total, inter[m], int(n), noise))
    return sorted(out, key=lambda s: (np.isnan(s.total), -np.nan_to_num(s.total), s.name))


def sensitivity_table(results: list[Sensitivity]):
    """The ranking as a pandas DataFrame (one row per input, in rank order)."""
    import pandas as pd

    return pd.DataFrame(
        [asdict(s) for s in results], columns=["name", "value", "method", "p_value", "n"]
    )
