"""A sampled run's answers: probabilities, spreads and sensitivities, from its store.

Everything is computed from the store (DuckDB over the Parquet parts), not from the
process that wrote it, so a resumed run summarises every chunk whoever computed it.

* P(feasible) per threat x battery with a 95 % Wilson score interval (the sampling error
  of a Monte Carlo proportion, not the input uncertainty);
* spreads (5th, 50th, 95th percentiles) of the threat's flight time, the commit time,
  the first intercept time and the window length, over the samples where they exist;
* sensitivities: for every threat x battery whose P(feasible) is neither 0 nor 1, the
  first-order and total-order Sobol indices (binned, ``sweep.sensitivity.sobol_indices``:
  the total is a second-order truncation, a lower bound) and Spearman's rank correlation
  of each varied input with feasibility, and the pairwise interactions above
  ``INTERACTION_FLOOR``, on up to ``SENSITIVITY_SAMPLES`` samples (the first by index, so
  the figures do not depend on chunking).
"""

from __future__ import annotations

import math

import numpy as np

from bmdsim.sweep.sensitivity import rank_correlations, sobol_indices

SENSITIVITY_SAMPLES = 20_000
# A pairwise interaction is listed when it is at least this, and at least INTERACTION_SIGMAS
# times its noise (``SobolIndices.interaction_noise``; some hundreds of pairs are tested)
INTERACTION_FLOOR = 0.02
INTERACTION_SIGMAS = 4.0
WILSON_Z = 1.959963984540054  # 95 %


def wilson_interval(k: int, n: int, z: float = WILSON_Z) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion k / n."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    den = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    # exact ends at k = 0 and k = n (the formula leaves rounding dust such as 2.17e-19)
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def _q(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def summarise_store(store, input_names: list[str], n_samples: int | None = None) -> dict:
    """The answers of a sampled engagement run (module doc) as plain data; over samples
    [0, n_samples) when given (a store may hold more, from an earlier, larger run)."""
    con = store.connect()
    try:
        if not store.part_files():
            return {"samples": 0, "pairs": [], "sensitivity": [], "ranking": [], "interactions": []}
        limit = "" if n_samples is None else f" WHERE sample < {int(n_samples)}"
        con.execute("ALTER VIEW results RENAME TO all_results")
        con.execute(f"CREATE VIEW results AS SELECT * FROM all_results{limit}")
        n_samples = int(con.execute("SELECT count(DISTINCT sample) FROM results").fetchone()[0])
        pct = "[0.05, 0.5, 0.95]"
        df = con.execute(
            f"""
            SELECT threat, site, interceptor, count(*) AS n,
                   sum(feasible::INTEGER) AS k,
                   avg(p_kill) AS mean_p_kill,
                   quantile_cont(threat_flight_time_s, {pct}) AS flight_time_s,
                   quantile_cont(commit_s, {pct}) AS commit_s,
                   quantile_cont(first_intercept_s, {pct}) AS first_intercept_s,
                   quantile_cont(window_s, {pct}) AS window_s,
                   mode(reason) FILTER (WHERE NOT feasible) AS main_reason,
                   count(*) FILTER (WHERE reason = 'threat-cannot-reach-target') AS n_short
            FROM results GROUP BY threat, site, interceptor ORDER BY threat, site, interceptor
            """
        ).df()
        pairs = []
        for row in df.itertuples(index=False):
            n, k = int(row.n), int(row.k)
            lo, hi = wilson_interval(k, n)

            def spread(x):
                if not isinstance(x, list | tuple | np.ndarray):  # NULL: no such value
                    return None
                vals = [
                    float(v) if isinstance(v, int | float) and math.isfinite(v) else None for v in x
                ]
                return None if all(v is None for v in vals) else vals

            pairs.append(
                {
                    "threat": row.threat,
                    "site": row.site,
                    "interceptor": row.interceptor,
                    "samples": n,
                    "feasible": k,
                    "p_feasible": k / n if n else math.nan,
                    "ci95": [lo, hi],
                    "mean_p_kill": None if row.mean_p_kill is None else float(row.mean_p_kill),
                    "main_reason": row.main_reason if isinstance(row.main_reason, str) else None,
                    "threat_cannot_reach_target": int(row.n_short),
                    "flight_time_s": spread(row.flight_time_s),
                    "commit_s": spread(row.commit_s),
                    "first_intercept_s": spread(row.first_intercept_s),
                    "window_s": spread(row.window_s),
                }
            )
        sens, interactions = [], []
        names = [c for c in input_names]
        uncertain = [p for p in pairs if 0 < p["feasible"] < p["samples"] and p["site"]]
        if names and uncertain:
            cols = ", ".join(_q(c) for c in names)
            sub = con.execute(
                f"""SELECT threat, site, interceptor, feasible::DOUBLE AS y, {cols}
                    FROM results WHERE sample < (SELECT min(sample) FROM results) + ?
                    ORDER BY sample""",
                [SENSITIVITY_SAMPLES],
            ).df()
            for p in uncertain:
                m = (
                    (sub["threat"] == p["threat"])
                    & (sub["site"] == p["site"])
                    & (sub["interceptor"] == p["interceptor"])
                )
                part = sub[m]
                inputs = {c: part[c].to_numpy() for c in names}
                y = part["y"].to_numpy()
                sobol = {s.name: s for s in sobol_indices(inputs, y)}
                rho = {s.name: s.value for s in rank_correlations(inputs, y)}
                battery = f"{p['site']}:{p['interceptor']}"
                noise = next(iter(sobol.values())).interaction_noise if sobol else math.nan
                active = sum(1 for ix in sobol.values() if np.isfinite(ix.first))
                for c in names:
                    ix = sobol.get(c)
                    sens.append(
                        {
                            "threat": p["threat"],
                            "battery": battery,
                            "input": c,
                            "sobol_first_order": _clean(ix.first if ix else None),
                            "sobol_total_order": _clean(ix.total if ix else None),
                            "sobol_total_noise": _clean(math.sqrt(max(active - 1, 0)) * noise),
                            "spearman": _clean(rho.get(c)),
                            "samples": int(len(y)),
                        }
                    )
                floor = max(INTERACTION_FLOOR, INTERACTION_SIGMAS * noise)
                for i, a in enumerate(names):
                    for b in names[i + 1 :]:
                        v = sobol[a].interactions.get(b) if a in sobol else None
                        if v is not None and np.isfinite(v) and v >= floor:
                            interactions.append(
                                {
                                    "threat": p["threat"],
                                    "battery": battery,
                                    "inputs": [a, b],
                                    "sobol_second_order": float(v),
                                    "floor": float(floor),
                                }
                            )
        interactions.sort(key=lambda r: -r["sobol_second_order"])
        return {
            "samples": n_samples,
            "pairs": pairs,
            "sensitivity": sens,
            "ranking": ranking(sens, names),
            "interactions": interactions,
            "sensitivity_method": (
                "binned Sobol indices from the plain Monte Carlo rows: first-order S_i; "
                "total-order S_Ti = S_i + sum_j S_ij (second-order truncation, a lower bound: "
                "third- and higher-order interactions are not counted), with its noise "
                "(sobol_total_noise, one standard deviation where nothing interacts); "
                "interactions listed above max(0.02, 4 x their noise); "
                "bmdsim.sweep.sensitivity"
            ),
        }
    finally:
        con.close()


def _clean(x):
    return None if x is None or not np.isfinite(x) else float(x)


def ranking(sens: list[dict], names: list[str]) -> list[dict]:
    """Inputs ranked by their largest first-order index over the threat x battery pairs,
    with the mean, the pair where it is largest, and the same for the total-order index."""
    out = []
    for c in names:
        rows = [s for s in sens if s["input"] == c and s["sobol_first_order"] is not None]
        if not rows:
            out.append(
                {
                    "input": c,
                    "max_sobol": None,
                    "mean_sobol": None,
                    "where": None,
                    "max_total": None,
                    "mean_total": None,
                    "where_total": None,
                }
            )
            continue
        best = max(rows, key=lambda s: s["sobol_first_order"])
        totals = [s for s in rows if s.get("sobol_total_order") is not None]
        best_t = max(totals, key=lambda s: s["sobol_total_order"]) if totals else None
        out.append(
            {
                "input": c,
                "max_sobol": best["sobol_first_order"],
                "mean_sobol": float(np.mean([s["sobol_first_order"] for s in rows])),
                "where": f"{best['threat']} / {best['battery']}",
                "max_total": None if best_t is None else best_t["sobol_total_order"],
                "mean_total": (
                    float(np.mean([s["sobol_total_order"] for s in totals])) if totals else None
                ),
                "where_total": None
                if best_t is None
                else f"{best_t['threat']} / {best_t['battery']}",
            }
        )
    out.sort(
        key=lambda r: (
            -(r["max_total"] if r["max_total"] is not None else -1.0),
            -(r["max_sobol"] if r["max_sobol"] is not None else -1.0),
        )
    )
    return out
