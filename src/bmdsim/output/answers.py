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
        f"in {_minutes(s['flight_time_s'])} on a {s['shape']} trajectory, apogee "
        f"{s['apogee_km']:,.0f} km. These are the catalogue's central values: the "
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
