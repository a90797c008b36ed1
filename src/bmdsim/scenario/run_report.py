"""The files of a finished ``bmdsim run`` (``scenario.run``): ``summary.json``, the CZML
scene, ``sources.json``/``sources.md`` (every source of every catalogue entry the run
used, ``analyses.provenance``) and the HTML report, one section per analysis, each table
captioned, notional systems and estimated inputs marked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bmdsim.analyses.provenance import bibliography
from bmdsim.output.files import write_sources_files
from bmdsim.output.text import interval_text
from bmdsim.scenario.phases import timing_section


def slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in str(text).lower()).strip("-")


def write_json(path: Path, obj) -> None:
    """Strict JSON (RFC 8259): NaN and infinities as null."""
    from bmdsim.output.summary import json_value

    path.write_text(json.dumps(json_value(obj), indent=2, allow_nan=False))


def _need(w: dict):
    """The report's 'need km/s' cell of an engagement window (engagement_summary): the
    slowest burnout speed that intercepts, '> 12' when none up to the search's top does,
    'no track' when no speed helps, blank when not computed."""
    if w["min_burnout_speed_kms"] is not None:
        return w["min_burnout_speed_kms"]
    if w["min_burnout_speed_above_kms"] is not None:
        return f"> {w['min_burnout_speed_above_kms']:g}"
    note = w["min_burnout_speed_note"] or ""
    return "no track" if note.startswith("never tracked") else ""


def write_scene(res, cat):
    """summary.json, the CZML scene, sources.json/.md and report.html of a finished run:
    each section's answer in words with the caveats that decide it, then its tables and
    captioned figures (``output.answers``)."""
    from bmdsim.output import answers, czml, report
    from bmdsim.output.summary import engagement_summary

    scn, out = res.scenario, res.out
    write_json(out / "summary.json", res.summary())
    if scn.outputs.czml and (res.trajectories or res.footprints):
        czml.write_czml(
            out / "scenario.czml",
            trajectories=[t for _, t in res.trajectories],
            footprints=[fp for _, fp in res.footprints],
            epoch=scn.epoch,
        )
    entries = [e for e in dict.fromkeys(_hashable(e) for e in res.entries) if e is not None]
    bib = bibliography(entries, cat)
    cited = {row["id"] for row in bib}
    for c in res.claims:  # the press claims set beside the physics cite their articles
        if c.source not in cited:
            cited.add(c.source)
            src = cat.sources[c.source]
            row = {k: getattr(src, k) for k in ("id", "title", "author", "year", "url")}
            row |= {"accessed": src.accessed, "note": src.note}
            bib.append(row | {"cited_by": [f"claim:{c.claimed_by}"]})
    write_sources_files(bib, out, product=f"bmdsim run {scn.name}")
    if not scn.outputs.report:
        return
    sections = []
    if res.footprints:
        sections.append(_reach_section(res, cat))
    if res.engagements:
        rows = []
        for tid, eng in res.engagements:
            summary = engagement_summary(eng)
            for w, b in zip(summary["windows"], eng.batteries, strict=False):
                rows.append(
                    {
                        "threat": tid,
                        "battery": f"{w['site']}:{w['interceptor']}",
                        "system": "notional" if b.notional else "deployed",
                        "feasible": w["feasible"],
                        "why not": w["reason"] or "",
                        "first intercept s": w["first_intercept_s"],
                        "need km/s": _need(w),
                    }
                )
        d = res.engagements[0][1].doctrine
        cueing = (
            f"decision delay {d.decision_delay_s:g} s, assessment delay "
            f"{d.assessment_delay_s:g} s ({_doctrine_origin(scn, cat)}), launch on remote "
            f"{'yes' if d.launch_on_remote else 'no'}, engage on remote "
            f"{'yes' if d.engage_on_remote else 'no'}, assumed track from "
            f"{scn.cueing.cue_at if scn.cueing.cue_at is not None else 'none'}."
        )
        notional = sorted({w["battery"] for w in rows if w["system"] == "notional"})
        notes = (
            [
                "Notional systems (never deployed as modelled; figures as the open studies "
                f"had them): {', '.join(notional)}."
            ]
            if notional
            else []
        )
        eng_answer, eng_caveats = answers.engagement_section(res.engagements, cueing.rstrip("."))
        sections.append(
            report.ReportSection(
                "Engagements",
                text="Cueing: "
                + cueing
                + " need km/s: the slowest burnout speed of that interceptor "
                "(same rocket and burn time, thrust scaled; same cueing) that would "
                "intercept; '> 12': none up to 12 km/s; 'no track': no speed helps "
                "(docs/models/engagement.md).",
                tables=[
                    (
                        rows,
                        "Kinematic feasibility of each battery against each threat at "
                        "central catalogue values; need: the slowest burnout speed that "
                        "would intercept",
                    )
                ],
                figures=[
                    *(
                        [
                            (
                                out / "engagements" / "tracks_map.png",
                                "Where the threats fly past the defence sites: every "
                                "threat's ground track from launch to its aim point, with "
                                "the batteries' sites. Central values, minimum-energy "
                                "unless the scenario says otherwise.",
                            )
                        ]
                        if (out / "engagements" / "tracks_map.png").is_file()
                        else []
                    ),
                    *(
                        (
                            out / "engagements" / tid / "battle_space.png",
                            f"Battle space against {tid}: where and when each battery's "
                            "interceptor could meet the threat (altitude against ground "
                            "range), given the cueing above. Kinematic reach only, no Pk.",
                        )
                        for tid, _ in res.engagements
                    ),
                ],
                notes=notes,
                answer=eng_answer,
                caveats=eng_caveats,
            )
        )
    if res.coverages:
        rows = [
            {
                "site": lab,
                "target altitude km": r.target_altitude_m / 1e3,
                "radius km": round(r.radius_m / 1e3),
                "limited by": r.limited_by,
            }
            for lab, cov in res.coverages
            for r in cov.rings
        ]
        notes = _coverage_notes(res, cat)
        cov_answer, cov_caveats = answers.coverage_section(res.coverages)
        sections.append(
            report.ReportSection(
                "Air-defence coverage",
                tables=[
                    (
                        rows,
                        "Radius covered against a target at each altitude, and what limits "
                        "it (central catalogue values)",
                    )
                ],
                figures=[
                    (
                        out / "coverage" / slug(cov.place.id) / "coverage_map.png",
                        f"What {lab} covers: the ground over which it engages a threat at "
                        "each altitude (rings), the smallest of radar horizon, radar range "
                        "and interceptor reach; places inside marked. Smooth Earth.",
                    )
                    for lab, cov in res.coverages
                    if (out / "coverage" / slug(cov.place.id) / "coverage_map.png").is_file()
                ],
                notes=notes,
                answer=cov_answer,
                caveats=cov_caveats,
            )
        )
    if res.claims:
        from bmdsim.scenario.claims import claims_section

        sections.append(claims_section(res.claims))
    if res.effectiveness:
        sections.append(_effectiveness_section(res, cat))
    if res.sweep is not None and res.sweep.get("pairs"):
        sections.append(_uncertainty_section(res))
    if res.sweep is not None and res.sweep.get("reach"):
        sections.append(_reach_uncertainty_section(res))
    sections.append(timing_section(res))
    sources = bib
    text = Path(scn.source).read_text() if scn.source and Path(scn.source).is_file() else None
    report.write_report(
        out / "report.html",
        title=f"bmdsim: {scn.name}",
        scenario_text=text,
        sections=sections,
        sources=sources,
        overrides=cat.overrides,
        generated_by="bmdsim run",
        generated_at=datetime.now(UTC),
    )


def _hashable(entry):
    """A (kind, id) pair for an entry (a user file's Missile becomes its own pair)."""
    if entry is None or isinstance(entry, tuple):
        return entry
    return ("missile", entry.id) if hasattr(entry, "stages") else None


def _doctrine_origin(scn, cat) -> str:
    given = [
        f for f in ("decision_delay_s", "assessment_delay_s") if getattr(scn.cueing, f) is not None
    ]
    if len(given) == 2:
        return "both set by the scenario"
    entries = [cat.doctrine_entry(n) for n in ("decision-delay", "assessment-delay")]
    grades = ", ".join(f"{e.id} [{e.quantity.source}, grade {e.quantity.grade}]" for e in entries)
    return ("partly set by the scenario; " if given else "") + f"catalogue doctrine: {grades}"


def _reach_section(res, cat):
    from bmdsim.output import answers, report
    from bmdsim.output.summary import footprint_summary

    rows, notes = [], []
    for label, fp in res.footprints:
        s = footprint_summary(fp)
        band = s["band"]
        m = cat.missiles.get(fp.missile_id)
        rng = m.published_range if m is not None else None
        rows.append(
            {
                "launch": label,
                "max range km": f"{s['max_range_km']['min']:,.0f}-{s['max_range_km']['max']:,.0f}",
                "band km": ""
                if band is None
                else f"{band['low_km']['min']:,.0f}-{band['high_km']['max']:,.0f}",
                "published range": ""
                if rng is None
                else f"{rng.value:g} ({rng.low:g}-{rng.high:g}) {rng.unit}, grade {rng.grade}",
                "sites in reach": ", ".join(
                    f"{x['id']} ({x['flight_time_s'] / 60:.1f} min)"
                    if x["flight_time_s"] is not None
                    else x["id"]
                    for x in s["sites_in_reach"]
                )
                or "none",
                "uncertain": "; ".join(x["why"] for x in s["sites"] if x["verdict"] == "uncertain")
                or "none",
            }
        )
        if m is not None and "quasi-ballistic" in f"{m.summary} {m.notes or ''}".lower():
            notes.append(
                f"{m.id} is quasi-ballistic: its flight times here are those of a ballistic "
                "missile of the same range (catalogue note); the real flights are flatter."
            )
    bands = sorted({fp.band.text for _, fp in res.footprints if fp.band is not None})
    reach_answer, reach_caveats = answers.reach_section(res.footprints)
    return report.ReportSection(
        "Reach",
        text="Maximum-range footprints on the rotating WGS 84 Earth. A site is in reach when "
        "it lies inside the footprint at every value of the missile's band, uncertain when "
        "only part of the band reaches it, out when none does; times are minimum-energy "
        "flights at central values. " + " ".join(bands),
        tables=[(rows, "Maximum range, the range band, sites in reach and sites uncertain")],
        figures=_footprint_maps(res),
        notes=list(dict.fromkeys(notes)),
        answer=reach_answer,
        caveats=reach_caveats,
    )


def _footprint_maps(res):
    return [
        (
            res.out / "reach" / slug(lab) / "footprint_map.png",
            f"Where {lab} reaches: the maximum-range footprint on the rotating WGS 84 Earth "
            "(solid: central values; shaded: the range band), sites marked in, uncertain or "
            "out. Assumes the catalogue's range band and minimum-energy flight.",
        )
        for lab, _ in res.footprints
    ]


def _coverage_notes(res, cat) -> list[str]:
    """Systems a coverage uses that entered service after the scenario's epoch."""
    year = res.scenario.epoch.year if res.scenario.epoch is not None else None
    notes = []
    for _, cov in res.coverages:
        site = cat.sites.get(cov.place.id)
        for dep in site.systems if site is not None else ():
            late = year is not None and dep.since is not None and dep.since > year
            if dep.system == cov.interceptor_id and late:
                notes.append(
                    f"{dep.system} at {site.id}: in service from about {dep.since}, after this "
                    f"scenario's {year}; used here as a what-if ({dep.note or ''})".rstrip(" ()")
                )
            if dep.system == cov.interceptor_id and dep.notional:
                notes.append(f"{dep.system} at {site.id} is notional: not a reported deployment.")
    return notes


def _effectiveness_section(res, cat):
    from bmdsim.output import answers, report

    eff = res.scenario.analyses.effectiveness
    rows = []
    for tid, b, o in res.effectiveness:
        interceptor = cat.interceptor(b.split(":", 1)[1])
        pk = interceptor.single_shot_pk
        given = eff is not None and eff.pk is not None
        rows.append(
            {
                "threat": tid,
                "battery": b,
                "single-shot Pk": o["pk"],
                "shots": res.effectiveness_inputs.get((tid, b), {}).get("shots"),
                "looks": res.effectiveness_inputs.get((tid, b), {}).get("looks"),
                "Pk from": "scenario"
                if given
                else f"catalogue {pk.low:g}-{pk.high:g} [{pk.source}], grade {pk.grade}",
                "expected leakers": o["expected_leakers"],
                "P(no leaker)": o["p_zero_leakers"],
            }
        )
    eff_answer, eff_caveats = answers.effectiveness_section(res.effectiveness)
    return report.ReportSection(
        "Effectiveness (Wilkening 2000)",
        text="Leakers of the scenario's raid against each battery that can intercept, by "
        "the closed forms of Wilkening (2000). The single-shot Pk is no measured figure for "
        "any system: the catalogue's value is an illustrative central value, grade R, with "
        "a wide band, and the answers move with it.",
        tables=[
            (rows, "Expected leakers and P(no leaker), with the Pk, shots and looks each row used")
        ],
        answer=eff_answer,
        caveats=eff_caveats,
    )


def _fmt_spread(x, scale=1.0, unit="s"):
    if not x:
        return ""
    lo, mid, hi = (None if v is None else v / scale for v in x)
    if mid is None:
        return ""
    return f"{mid:,.0f} ({lo:,.0f}-{hi:,.0f}) {unit}"


def _reach_uncertainty_section(res):
    from bmdsim.output import report

    sw = res.sweep
    rows = []
    for r in sw["reach"]:
        for x in r["sites"]:
            lo, mid, hi = x["range_km"]
            rows.append(
                {
                    "launch": r["label"],
                    "site": x["id"],
                    "km away": f"{x['distance_km']:,.0f}",
                    "P(in reach)": f"{x['p_in_reach']:.3f}",
                    "95 % interval": interval_text(x["ci95"]),
                    "reach on its bearing, km (5-50-95 %)": f"{lo:,.0f} / {mid:,.0f} / {hi:,.0f}",
                    "verdict from the catalogue band": x["verdict"],
                }
            )
    varied = sorted({v for r in sw["reach"] for v in r["varied"]})
    text = (
        f"Over {sw['samples']:,} samples (seed {sw['seed']}) of the scenario's uncertain "
        "missile inputs: the share of samples in which each site lies within the missile's "
        "maximum range on its bearing, with its 95 % Wilson interval (the Monte Carlo error "
        "only). Inputs varied: "
        + (", ".join(varied) or "none (P is 0 or 1: central values)")
        + ". The catalogue verdict uses the calibrated band instead."
    )
    return report.ReportSection("Reach under uncertainty: P(in reach)", text=text, tables=[rows])


def _uncertainty_section(res):
    from bmdsim.output import answers, report
    from bmdsim.output.sweep_plots import plot_p_feasible, plot_sensitivity

    sw, out = res.sweep, res.out / "uncertainty"
    figures = [
        plot_p_feasible(sw, out / "p_feasible.png"),
        plot_sensitivity(sw, out / "sensitivity.png"),
    ]
    inputs = [
        {
            "input": u["input"],
            "range": f"{u['low']:g}-{u['high']:g} {u['unit']} (central {u['value']:g})",
            "distribution": u["distribution"],
            "from": "scenario override" if u["overridden"] else f"catalogue [{u['source']}]",
            "note": u["note"] or "",
        }
        for u in sw["inputs"]
    ]
    probs = [
        {
            "threat": p["threat"],
            "battery": f"{p['site']}:{p['interceptor']}" if p["site"] else "(no defence)",
            "system": _system_marker(p),
            "P(feasible)": f"{p['p_feasible']:.3f}",
            "95 % interval": interval_text(p["ci95"]),
            "main reason when not": p["main_reason"] or "",
            "first intercept, median (5-95 %)": _fmt_spread(p["first_intercept_s"]),
            "window, median (5-95 %)": _fmt_spread(p["window_s"]),
            "threat flight time, median (5-95 %)": _fmt_spread(p["flight_time_s"]),
        }
        for p in sw["pairs"]
    ]
    ranking = [
        {
            "input": r["input"],
            "largest first-order": _fmt_index(r["max_sobol"]),
            "largest total-order": _fmt_index(r.get("max_total")),
            "mean first / total": f"{_fmt_index(r['mean_sobol'])} / "
            f"{_fmt_index(r.get('mean_total'))}",
            "where the total is largest": r.get("where_total") or r["where"] or "",
        }
        for r in sw["ranking"]
    ]
    interactions = [
        {
            "threat": x["threat"],
            "battery": x["battery"],
            "inputs": " x ".join(x["inputs"]),
            "interaction index": f"{x['sobol_second_order']:.2f}",
        }
        for x in sw.get("interactions", [])[:15]
    ]
    text = (
        f"{sw['samples']:,} Monte Carlo samples (seed {sw['seed']}); each draws every input "
        "below from its range, independently, with a seed per sample index (the results do "
        "not depend on chunking or executor). P(feasible) is the share of samples in which "
        "the battery could intercept under the scenario's cueing; its interval is the Monte "
        "Carlo error only. Sensitivities are Sobol indices of feasibility on the first "
        f"{min(sw['samples'], 20_000):,} samples, for the pairs whose P(feasible) is neither "
        "0 nor 1: the first-order index is an input's effect alone; the total-order index "
        "adds its interactions with each other input (speed x delay, say), binned from the "
        "same plain Monte Carlo rows and truncated at second order, so it is a lower bound "
        "(third-order interactions are not counted, and coarse bins under-resolve sharp "
        "thresholds at small sample counts). A total well above the first-order index "
        "means the input matters through its interplay with others. Every sample is in the "
        "results store (store/; query it with `bmdsim results DIR --sql ...`)."
    )
    noise = [x["sobol_total_noise"] for x in sw.get("sensitivity", []) if x["sobol_total_noise"]]
    if noise:
        text += (
            f" At this sample count a total-order index carries a noise of about "
            f"+-{max(noise):.2f} (one standard deviation where nothing interacts), and "
            "interactions are listed only above four times their own noise."
        )
    marked = [p for p in sw["pairs"] if p.get("notional") or p.get("burnout_speed_varied") is False]
    notes = []
    if any(p.get("notional") for p in marked):
        notes.append(
            "notional: a system never deployed as modelled (e.g. the SM-3 IIB, the two-stage "
            "GBI); its figures are those the open studies assumed."
        )
    if any(p.get("burnout_speed_varied") is False for p in marked):
        notes.append(
            "speed fixed: that interceptor's burnout speed is held at its catalogue central "
            "value in every sample (not in uncertainty.vary), so its P(feasible) carries none "
            "of the speed's uncertainty."
        )
    return report.ReportSection(
        "Uncertainty: probabilities and sensitivities",
        text=text,
        tables=[
            (inputs, "Uncertain inputs and the ranges they are drawn from"),
            (probs, "Feasible intercept per threat and battery"),
            (ranking, "Sensitivity ranking of the inputs: first- and total-order Sobol indices"),
            (
                interactions,
                "Largest pairwise interactions (second-order Sobol indices >= 0.02)",
            ),
        ],
        figures=figures,
        notes=notes,
        answer=answers.uncertainty_section(sw)[0],
        caveats=answers.uncertainty_section(sw)[1],
    )


def _fmt_index(x) -> str:
    return "" if x is None else f"{x:.2f}"


def _system_marker(pair) -> str:
    marks = []
    if pair.get("notional"):
        marks.append("notional")
    if pair.get("burnout_speed_varied") is False:
        marks.append("speed fixed")
    return ", ".join(marks)
