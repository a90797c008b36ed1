"""Which uncertain inputs drive an output: rank correlation and first-order Sobol indices.

Both are estimated from the *same* Monte Carlo samples the sweep already ran (no extra
sample structure):

* :func:`rank_correlations`: Spearman's rho (``scipy.stats.spearmanr``) of each input
  with the output, and its p-value. Catches monotone effects of either sign.
* :func:`first_order_sobol`: S_i = Var(E[Y | X_i]) / Var(Y), estimated by **binning**
  X_i into equal-count (quantile) bins and taking the between-bin share of the variance,
  corrected for the noise that bin means add (the epsilon-squared of a one-way ANOVA:
  (SS_between - (B - 1) MS_within) / SS_total), clipped to [0, 1]. Catches non-monotone
  effects too; needs a few thousand samples for +-0.02. The Saltelli estimator is not
  used: it needs its own A/B/AB_i sample matrices.

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

__all__ = ["Sensitivity", "first_order_sobol", "rank_correlations", "sensitivity_table"]


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
        b = bins if bins is not None else int(np.clip(round(np.sqrt(n)), 2, 64))
        # equal-count bins by rank (ties in x stay together through the stable sort)
        order = np.argsort(xv, kind="stable")
        label = np.empty(n, dtype=np.int64)
        label[order] = np.minimum((np.arange(n) * b) // n, b - 1)
        # samples with equal x must share a bin: give each tie group its first label
        xs_sorted = xv[order]
        first = np.r_[True, xs_sorted[1:] != xs_sorted[:-1]]
        group_label = label[order][np.maximum.accumulate(np.where(first, np.arange(n), 0))]
        label[order] = group_label
        _, label = np.unique(label, return_inverse=True)
        k = int(label.max()) + 1
        if k < 2:
            out.append(Sensitivity(name, float("nan"), "sobol-binned", n=int(n)))
            continue
        counts = np.bincount(label, minlength=k)
        means = np.bincount(label, weights=yv, minlength=k) / counts
        ybar = yv.mean()
        ss_total = float(np.sum((yv - ybar) ** 2))
        ss_between = float(np.sum(counts * (means - ybar) ** 2))
        ms_within = (ss_total - ss_between) / max(n - k, 1)
        s = (ss_between - (k - 1) * ms_within) / ss_total
        out.append(Sensitivity(name, float(np.clip(s, 0.0, 1.0)), "sobol-binned", n=int(n)))
    return _ranked(out)


def sensitivity_table(results: list[Sensitivity]):
    """The ranking as a pandas DataFrame (one row per input, in rank order)."""
    import pandas as pd

    return pd.DataFrame(
        [asdict(s) for s in results], columns=["name", "value", "method", "p_value", "n"]
    )
