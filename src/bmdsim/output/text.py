"""Plain-text helpers shared by the command line, the report and the figures, with no
plotting stack behind them (``bmdsim reach`` prints its table without importing
matplotlib)."""

from __future__ import annotations

import math

__all__ = ["interval_text", "km_span", "probability_interval"]


def km_span(low_m: float, high_m: float, dash: str = "-") -> str:
    """'250-280 km', or '280 km' when both ends round to the same km."""
    lo, hi = round(low_m / 1e3), round(high_m / 1e3)
    return f"{lo:,} km" if lo == hi else f"{lo:,}{dash}{hi:,} km"


def probability_interval(low: float, high: float, digits: int = 3) -> tuple[float, float]:
    """A probability's interval clipped to [0, 1] and rounded to ``digits`` decimals (a
    Wilson or normal interval's end such as 2.17e-19 reads as 0)."""
    lo = 0.0 if not math.isfinite(low) else min(max(low, 0.0), 1.0)
    hi = 1.0 if not math.isfinite(high) else min(max(high, 0.0), 1.0)
    return round(lo, digits), round(hi, digits)


def interval_text(ci, digits: int = 3) -> str:
    """'0.000-0.012' for a probability interval, clipped to [0, 1]; '' when unknown."""
    if ci is None or any(x is None or (isinstance(x, float) and x != x) for x in ci):
        return ""
    lo, hi = probability_interval(float(ci[0]), float(ci[1]), digits)
    return f"{lo:.{digits}f}-{hi:.{digits}f}"
