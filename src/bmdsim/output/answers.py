"""The one or two sentences in words that every command ends with (and the report's
findings box opens with): the answer, then the caveat that decides it. Built from the
stable summaries of :mod:`bmdsim.output.summary`, so the command line, the report and
the web app say the same thing."""

from __future__ import annotations

from collections import Counter

__all__ = [
    "coverage_answer",
    "effectiveness_answer",
    "engagement_answer",
    "footprint_closing",
    "run_answer",
    "trajectory_answer",
]


def _minutes(seconds) -> str:
    return "?" if seconds is None else f"{seconds / 60:.1f} min"


def trajectory_answer(s: dict, origin: str, target: str) -> str:
    """'rs-24-yars flies 7,894 km from teykovo to washington-dc in 33.0 min ...'."""
    return (
        f"In words: {s['missile']} flies {s['range_km']:,.0f} km from {origin} to {target} "
        f"in {_minutes(s['flight_time_s'])} ({s['shape']} trajectory, apogee "
        f"{s['apogee_km']:,.0f} km). These are the catalogue's central values: the "
        "missile's range band and its burn (not published) move them."
    )


def footprint_closing(fp) -> str:
    """The closing sentence of ``reach``: counts, the fastest arrival, the band."""
    inside = sorted((s for s in fp.sites if s.verdict == "in"), key=lambda s: s.distance_m)
    unsure = [s for s in fp.sites if s.verdict == "uncertain"]
    who = (getattr(fp, "missile_name", "") or str(fp.missile_id)).split(" (", 1)[0]
    text = f"In words: {who} reaches {len(inside)} of {len(fp.sites)} sites tested"
    times = [s.flight_time_s for s in inside if s.flight_time_s]
    if times:
        text += f", the farthest of them in {_minutes(max(times))}"
    text += "."
    if unsure:
        text += (
            f" {len(unsure)} more lie inside only part of its range band: whether they are "
            "in reach depends on where in the band the real missile is."
        )
    elif fp.band is None:
        text += " One range, no band: the catalogue gives no uncertainty for it."
    return text


def engagement_answer(s: dict, cue_at=None) -> str:
    """Which batteries could intercept, when, with how many shots; else the commonest
    reason; then the assumption that decides it (cueing, no Pk)."""
    windows = s["windows"]
    ok = [w for w in windows if w["feasible"]]
    label = s["threat"]["label"]
    if ok:
        first = min(ok, key=lambda w: w["first_intercept_s"] or 0.0)
        ids = ", ".join(f"{w['site']}:{w['interceptor']}" for w in ok)
        text = (
            f"In words: {len(ok)} of {len(windows)} batteries could intercept {label} "
            f"({ids}); the earliest at {first['first_intercept_s']:.0f} s after launch, "
            f"with {first['shots']} shot opportunit{'y' if first['shots'] == 1 else 'ies'}."
        )
        if s["threat"].get("cruise") and first.get("first_ground_range_km") is not None:
            text = text[:-1] + (
                f", {first['first_ground_range_km']:,.0f} km from the site at "
                f"{first['first_altitude_km'] * 1e3:,.0f} m."
            )
    else:
        reasons = Counter(w["reason_text"] or w["reason"] or "unknown" for w in windows)
        why, _ = reasons.most_common(1)[0]
        text = f"In words: no battery could intercept {label}: {why}."
    cue = (
        "an ideal remote track from burnout"
        if cue_at == "burnout"
        else f"a remote track from {cue_at} s"
        if cue_at is not None
        else "the sensors named (their detection and track times above)"
    )
    return text + f" Kinematic feasibility only (no kill probability), with cueing from {cue}."


def coverage_answer(s: dict, label: str) -> str:
    """How far the site engages at its best altitude and at its lowest."""
    rings = [r for r in s["rings"] if r["radius_km"] is not None]
    if not rings:
        return f"In words: {label} covers no ground at the altitudes asked for."
    best = max(rings, key=lambda r: r["radius_km"])
    low = min(rings, key=lambda r: r["target_altitude_km"])
    text = (
        f"In words: {label} engages a threat at {best['target_altitude_km']:g} km altitude "
        f"out to {best['radius_km']:,.0f} km ({best['limited_by']})"
    )
    if low is not best:
        text += (
            f", but one at {low['target_altitude_km']:g} km only out to "
            f"{low['radius_km']:,.0f} km ({low['limited_by']})"
        )
    return text + ". A smooth Earth (no terrain masking) and the radar's catalogue range."


def effectiveness_answer(raid, expected_leakers, p_zero_leakers, pk, shots, looks) -> str:
    """Expected leakers and P(no leaker) with the Pk and shots they assume."""
    return (
        f"In words: of {raid:,} warheads about {expected_leakers:.1f} get through, and "
        f"the chance that none does is {100 * p_zero_leakers:.0f} %, assuming a single-shot "
        f"Pk of {pk:g} and {shots} shot(s) per target in each of {looks} look(s): "
        "open-literature Pk values are guesses, and this answer moves most with them."
    )


def run_answer(footprints, engagements, sweep=None) -> str:
    """A scenario run in two sentences: reach (sites in reach per launch) and defence
    (threats some battery could intercept, and the sampled P(feasible) range)."""
    from bmdsim.output.summary import engagement_summary

    parts = []
    if footprints:
        n_in = sum(sum(s.verdict == "in" for s in fp.sites) for _, fp in footprints)
        n_unc = sum(sum(s.verdict == "uncertain" for s in fp.sites) for _, fp in footprints)
        parts.append(
            f"{len(footprints)} launch point(s) reach {n_in} site(s) at every value of "
            f"the range band and {n_unc} more only at part of it."
        )
    if engagements:
        caught = []
        for tid, eng in engagements:
            ok = [w for w in engagement_summary(eng)["windows"] if w["feasible"]]
            if ok:
                caught.append(tid)
        parts.append(
            f"{len(caught)} of {len(engagements)} threats could be intercepted by at least "
            "one battery on the central values"
            + (f" ({', '.join(caught[:4])}{' ...' if len(caught) > 4 else ''})" if caught else "")
            + "; kinematic feasibility only, no kill probability."
        )
    if sweep and sweep.get("pairs"):
        ps = [p["p_feasible"] for p in sweep["pairs"] if p["p_feasible"] is not None]
        if ps:
            parts.append(
                f"Over {sweep['samples']:,} samples of the uncertain inputs, P(feasible) "
                f"ranges from {min(ps):.2f} to {max(ps):.2f} across threat-battery pairs."
            )
    return "In words: " + " ".join(parts) if parts else "In words: nothing was analysed."


# ---------------------------------------------------------------------------------------
# the report's sections: (answer, caveats) each, for the findings box


def reach_section(footprints) -> tuple[str, list[str]]:
    parts = []
    for label, fp in footprints:
        inside = sorted((s for s in fp.sites if s.verdict == "in"), key=lambda s: s.distance_m)
        unsure = [s for s in fp.sites if s.verdict == "uncertain"]
        ids = ", ".join(s.id for s in inside[:3]) + (" ..." if len(inside) > 3 else "")
        parts.append(
            f"{label} reaches {len(inside)} site(s)"
            + (f" ({ids})" if inside else "")
            + (f", {len(unsure)} more only at part of its range band" if unsure else "")
        )
    return "; ".join(parts) + ".", [
        "Ranges are the catalogue's bands (published ranges, not tested ones); flight "
        "times are minimum-energy flights at central values; quasi-ballistic flight "
        "(Iskander) is modelled as ballistic."
    ]


def engagement_section(engagements, cueing: str) -> tuple[str, list[str]]:
    from bmdsim.output.summary import engagement_summary

    caught, total = [], 0
    for tid, eng in engagements:
        total += 1
        if any(w["feasible"] for w in engagement_summary(eng)["windows"]):
            caught.append(str(tid))
    answer = f"{len(caught)} of {total} threats could be intercepted by at least one battery"
    answer += f" ({', '.join(caught[:4])}{' ...' if len(caught) > 4 else ''})." if caught else "."
    return answer, [
        f"Kinematic feasibility only: no kill probability, no discrimination. Cueing: "
        f"{cueing}. The interceptors' burnout speeds are open-literature estimates."
    ]


def coverage_section(coverages) -> tuple[str, list[str]]:
    parts = []
    for label, cov in coverages:
        rings = [r for r in cov.rings if r.radius_m > 0]
        if not rings:
            parts.append(f"{label} covers no ground at the altitudes asked for")
            continue
        best = max(rings, key=lambda r: r.radius_m)
        low = min(rings, key=lambda r: r.target_altitude_m)
        parts.append(
            f"{label} engages out to {best.radius_m / 1e3:,.0f} km at "
            f"{best.target_altitude_m / 1e3:g} km altitude and {low.radius_m / 1e3:,.0f} km "
            f"at {low.target_altitude_m / 1e3:g} km ({low.limited_by})"
        )
    return "; ".join(parts) + ".", [
        "A smooth Earth (no terrain masking); the radar's catalogue range against the "
        "stated radar cross-section; notional deployments are marked notional."
    ]


def effectiveness_section(rows) -> tuple[str, list[str]]:
    """``rows``: (threat, battery, outcome dict with expected_leakers, p_zero_leakers)."""
    if not rows:
        return "No battery could engage, so no raid was scored.", []
    leak = [o["expected_leakers"] for _, _, o in rows]
    p0 = [o["p_zero_leakers"] for _, _, o in rows]

    def span(lo, hi, fmt):
        return fmt(lo) if fmt(lo) == fmt(hi) else f"{fmt(lo)} to {fmt(hi)}"

    return (
        f"Expected leakers: {span(min(leak), max(leak), lambda x: f'{x:.2f}')} per raid; "
        f"the chance that none leaks: "
        f"{span(min(p0), max(p0), lambda x: f'{100 * x:.0f} %')}.",
        [
            "Closed forms of Wilkening (2000) with the single-shot Pk and shots stated in "
            "the table: open-literature Pk values are guesses and move this most."
        ],
    )


def uncertainty_section(sweep) -> tuple[str, list[str]]:
    ps = [p["p_feasible"] for p in sweep.get("pairs", []) if p["p_feasible"] is not None]
    if not ps:
        return "No threat-battery pair was sampled.", []
    return (
        f"Over {sweep['samples']:,} samples, P(feasible) ranges from {min(ps):.2f} to "
        f"{max(ps):.2f} across threat-battery pairs.",
        [
            "Only the inputs the scenario declares uncertain vary, over their catalogue "
            "bands; everything else stays at its central value."
        ],
    )
