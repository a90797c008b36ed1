"""Figures of a sampled run: P(feasible) with its interval, and the input sensitivities.

Input: the plain data of ``scenario.sweep_summary.summarise_store``. Figures on an Agg
canvas (``plots.new_figure``); given a path, saved there.
"""

from __future__ import annotations

import numpy as np

from bmdsim.output.plots import IN_REACH, new_figure, save_figure

__all__ = ["plot_p_feasible", "plot_sensitivity"]

NEVER = "#bdbdbd"


def plot_p_feasible(summary: dict, path=None, *, title=None):
    """Horizontal bars: P(feasible intercept) for each threat x battery, with the 95 %
    Wilson interval of the Monte Carlo estimate; pairs never feasible drawn as a grey tick."""
    pairs = [p for p in summary["pairs"] if p["site"]]
    labels = [f"{p['threat']}  |  {p['site']}:{p['interceptor']}{_marks(p)}" for p in pairs]
    p = np.array([x["p_feasible"] for x in pairs], float)
    lo = np.array([x["ci95"][0] for x in pairs], float)
    hi = np.array([x["ci95"][1] for x in pairs], float)
    fig = new_figure(9.0, max(2.5, 0.28 * len(pairs) + 1.2))
    ax = fig.add_subplot()
    y = np.arange(len(pairs))[::-1]
    colours = [IN_REACH if v > 0 else NEVER for v in p]
    ax.barh(y, np.maximum(p, 0.004), color=colours, height=0.7)
    err = [np.clip(p - lo, 0, None), np.clip(hi - p, 0, None)]
    ax.errorbar(p, y, xerr=err, fmt="none", ecolor="#333333", lw=0.8, capsize=2)
    for yi, pi, hi_ in zip(y, p, hi, strict=True):
        x = min(hi_ + 0.01, 0.9)
        ax.text(x, yi, f"{pi:.3f}", va="center", fontsize=6, color="#333333")
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlim(0, 1)
    xlabel = "P(feasible intercept)  (bars: 95 % Monte Carlo interval)"
    if any(_marks(p) for p in pairs):
        xlabel += (
            "\n[notional]: never deployed as modelled; [speed fixed]: burnout speed not varied"
        )
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or f"Feasible intercepts over {summary['samples']:,} samples")
    if path is not None:
        save_figure(fig, path)
    return fig


def _marks(pair) -> str:
    """`` [notional]`` / `` [speed fixed]`` markers of a P(feasible) pair."""
    marks = ""
    if pair.get("notional"):
        marks += " [notional]"
    if pair.get("burnout_speed_varied") is False:
        marks += " [speed fixed]"
    return marks


def plot_sensitivity(summary: dict, path=None, *, title=None):
    """Bars of each input's largest first-order Sobol index over the threat x battery
    pairs, the largest total-order index as an outlined bar behind it (the difference is
    the input's interactions), and the mean first-order index as a dot: which uncertain
    inputs decide feasibility."""
    rank = [r for r in summary.get("ranking", []) if r["max_sobol"] is not None]
    fig = new_figure(8.0, max(2.2, 0.4 * len(rank) + 1.2))
    ax = fig.add_subplot()
    if not rank:
        ax.text(0.5, 0.5, "no pair with 0 < P(feasible) < 1: nothing to rank", ha="center")
        ax.set_axis_off()
    else:
        y = np.arange(len(rank))[::-1]
        totals = [r.get("max_total") for r in rank]
        if any(t is not None for t in totals):
            ax.barh(
                y,
                [0.0 if t is None else t for t in totals],
                color="none",
                edgecolor="#2c7bb6",
                height=0.6,
                label="largest total-order (lower bound)",
            )
        first = [r["max_sobol"] for r in rank]
        ax.barh(y, first, color="#2c7bb6", height=0.6, label="largest first-order")
        ax.plot([r["mean_sobol"] for r in rank], y, "o", color="#d95f02", label="mean first-order")
        ax.set_yticks(y, [r["input"] for r in rank], fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_xlabel("Sobol index of feasibility (over threat x battery pairs)")
        ax.legend(loc="lower right", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or "Which uncertain inputs decide feasibility")
    if path is not None:
        save_figure(fig, path)
    return fig
