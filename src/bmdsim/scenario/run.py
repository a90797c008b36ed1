"""Turn a scenario into analyses and an output folder (``bmdsim run``).

The deterministic part: every analysis the scenario asks for (reach footprints, threat
trajectories, engagements of every threat by every battery, air-defence coverage,
effectiveness of each battery that can intercept), run on the catalogue's central values
through the public API, written to one folder with per-analysis files, a CZML scene, a
summary JSON and a self-contained HTML report whose bibliography lists every source of
every catalogue entry used: missiles, launch and aim sites, the sites tested for reach,
batteries, sensors (radars and the early-warning satellite) and the doctrine defaults
(``analyses.provenance``), also written as ``sources.json`` and ``sources.md``.

With ``samples > 0`` (the scenario's ``uncertainty.samples`` or the caller's), the
sampled part follows: ``sweep_task.EngagementSweep`` runs every threat against every
battery for each sample, chunk by chunk on the chosen executor, into the results store
``OUT/store`` (resumable: the same call after a kill computes only the missing chunks);
``sweep_summary`` turns the store into probabilities, spreads and sensitivities for
``summary.json``, ``uncertainty.json`` and the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bmdsim.analyses.coverage import coverage
from bmdsim.analyses.engage import engage
from bmdsim.analyses.flights import reach
from bmdsim.analyses.provenance import bibliography, missile_entry, place_entry
from bmdsim.defence.effectiveness import defence_outcome
from bmdsim.output.files import (
    write_engagement_files,
    write_footprint_files,
    write_sources_files,
    write_trajectory_files,
)
from bmdsim.scenario.load import scenario_hash
from bmdsim.scenario.plan import doctrine, fly_threat, scenario_batteries
from bmdsim.scenario.references import scenario_catalogue, uncertain_inputs
from bmdsim.scenario.schema import Scenario


@dataclass
class RunResult:
    scenario: Scenario
    out: Path
    footprints: list = field(default_factory=list)  # (label, Footprint)
    trajectories: list = field(default_factory=list)  # (threat id, Trajectory)
    engagements: list = field(default_factory=list)  # (threat id, Engagement)
    coverages: list = field(default_factory=list)  # (label, Coverage)
    effectiveness: list = field(default_factory=list)  # (threat id, battery, outcome dict)
    entries: list = field(default_factory=list)  # (kind, id) of catalogue entries used
    catalogue: object = None  # the scenario's catalogue (with its own sites)
    sweep: dict | None = None  # sweep_summary.summarise_store of the sampled part
    store: object = None  # the sampled part's ResultStore
    notes: list = field(default_factory=list)  # remarks for the user (the CLI prints them)

    def summary(self) -> dict:
        from bmdsim.output.summary import engagement_summary, footprint_summary, trajectory_summary

        def strip(d):
            return {k: v for k, v in d.items() if k != "footprint"}

        return {
            "scenario": self.scenario.name,
            "hash": scenario_hash(self.scenario),
            "reach": [
                {"label": lab, **strip(footprint_summary(fp))} for lab, fp in self.footprints
            ],
            "trajectories": [
                {"threat": tid, **trajectory_summary(t)} for tid, t in self.trajectories
            ],
            "engagements": [
                {"threat": tid, **engagement_summary(e)} for tid, e in self.engagements
            ],
            "coverage": [
                {
                    "label": lab,
                    "site": cov.place.id,
                    "interceptor": cov.interceptor_id,
                    "radar": cov.radar_id,
                    "rings": [
                        {
                            "target_altitude_km": r.target_altitude_m / 1e3,
                            "radius_km": round(r.radius_m / 1e3, 1),
                            "limited_by": r.limited_by,
                        }
                        for r in cov.rings
                    ],
                }
                for lab, cov in self.coverages
            ],
            "effectiveness": [
                {"threat": tid, "battery": b, **o} for tid, b, o in self.effectiveness
            ],
            "uncertainty": self.sweep,
        }


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in str(text).lower()).strip("-")


def default_chunk_size(scn: Scenario) -> int:
    """Samples per chunk: ~1 s of work. Threats flown per sample (varied missiles or
    launch areas) are ~10x dearer per sample than fixed ones."""
    varied = any(t.launch_area is not None for t in scn.threats) or any(
        p.startswith("missile:") for p in scn.uncertainty.varied
    )
    return 250 if varied else 2_000


def run_scenario(
    scn: Scenario,
    out: Path,
    *,
    progress=None,
    samples: int | None = None,
    seed: int | None = None,
    executor="local",
    chunk_size: int | None = None,
    max_workers: int | None = None,
    sweep_progress=None,
) -> RunResult:
    """Run every analysis of ``scn`` and write ``out``. ``progress(step, total, label)``.

    ``samples``/``seed``: override the scenario's ``uncertainty``; with samples > 0 the
    sampled engagement sweep runs on ``executor`` ('local', 'processes', 'dask',
    'dask=ADDRESS') into ``out/store``, reporting ``sweep_progress(done, total)``."""
    cat = scenario_catalogue(scn)
    samples = scn.uncertainty.samples if samples is None else int(samples)
    seed = scn.uncertainty.seed if seed is None else int(seed)
    if samples > 0 and scn.threats:  # refuse what the sampled part cannot do, before any work
        from bmdsim.scenario.sweep_task import sweep_inputs
        from bmdsim.sweep import ResultStore

        sweep_inputs(scn, cat)
        if (Path(out) / "store").is_dir():
            ResultStore(Path(out) / "store").check_compatible(
                seed=seed, scenario_hash=scenario_hash(scn)
            )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    res = RunResult(scn, out, catalogue=cat)
    a = scn.analyses
    threats = list(scn.threats) if (a.trajectories or a.engage) else []
    total = len(a.reach) + len(threats) + len(a.coverage) + 1 + (2 if samples > 0 else 0)
    step = 0

    def tick(label):
        nonlocal step
        step += 1
        if progress:
            progress(step, total, label)

    for r in a.reach:
        fp = reach(
            r.missile,
            origin=r.origin,
            sites=r.sites,
            n_azimuths=r.n_azimuths,
            backend=scn.backend,
            catalogue=cat,
        )
        label = f"{fp.missile_id} from {r.origin}"
        res.footprints.append((label, fp))
        res.entries += [missile_entry(r.missile, cat), place_entry(r.origin, cat)]
        res.entries += [("site", x.id) for x in fp.sites if x.id in cat.sites]
        write_footprint_files(fp, out / "reach" / _slug(label))
        tick(label)
    specs = scenario_batteries(scn, cat) if (a.engage and scn.defences) else []
    for t in threats:
        traj = fly_threat(t, cat, scn.backend)
        res.trajectories.append((t.id, traj))
        res.entries += [missile_entry(t.missile_spec(), cat), place_entry(t.target, cat)]
        res.entries.append(place_entry(t.launch_point, cat))
        write_trajectory_files([traj], out / "threats" / t.id)
        if specs:
            eng = engage(
                t.missile_spec(),
                origin=t.launch_point,
                target=t.target,
                defences=specs,
                sensors=scn.sensors,
                doctrine=doctrine(scn.cueing, cat),
                cue_at=scn.cueing.cue_at,
                rcs_m2=t.rcs_m2,
                trajectory=traj,
                catalogue=cat,
            )
            res.engagements.append((t.id, eng))
            res.entries += list(eng.entries)
            write_engagement_files(eng, out / "engagements" / t.id)
            if a.effectiveness is not None:
                _effectiveness(res, t.id, eng, a.effectiveness, cat)
        tick(t.id)
    for spec in specs:
        res.entries += [("site", spec.site_id), ("interceptor", spec.interceptor_id)]
    for c in a.coverage:
        cov = coverage(
            c.site,
            target_altitudes_km=tuple(c.target_altitudes_km),
            interceptor=c.interceptor,
            radar=c.radar,
            rcs_m2=c.rcs_m2,
            catalogue=cat,
        )
        label = f"{cov.place.label}: {cov.interceptor_id} with {cov.radar_id}"
        res.coverages.append((label, cov))
        res.entries += list(cov.entries)
        tick(cov.place.id)
    if samples > 0 and not scn.threats:
        res.notes.append(
            f"{samples} samples asked for, but the scenario has no threats: the Monte Carlo "
            "engages threats, so nothing was sampled (reach and coverage use central values)"
        )
    if samples > 0 and scn.threats:
        _sample(res, cat, samples, seed, executor, chunk_size, max_workers, sweep_progress, tick)
    _write_scene(res, cat)
    tick("report")
    return res


def _sample(res, cat, samples, seed, executor, chunk_size, max_workers, sweep_progress, tick):
    from bmdsim.scenario.sweep_summary import summarise_store
    from bmdsim.scenario.sweep_task import EngagementSweep
    from bmdsim.sweep import run_sweep

    scn = res.scenario
    tick("preparing the sampled engagements")
    task = EngagementSweep.build(scn, cat, trajectories=dict(res.trajectories))
    store = run_sweep(
        task,
        samples,
        chunk_size=chunk_size or default_chunk_size(scn),
        executor=executor,
        store=res.out / "store",
        seed=seed,
        progress=sweep_progress,
        max_workers=max_workers,
        scenario_hash=scenario_hash(scn),
        backend=task.backend,
    )
    res.store = store
    tick("summarising the samples")
    summary = summarise_store(store, task.input_names, samples)
    summary["seed"] = seed
    varied = set(task.input_names)
    notional = {b.label: b.notional for b in scenario_batteries(scn, cat)} if scn.defences else {}
    for p in summary["pairs"]:
        i = cat.interceptors.get(p["interceptor"]) if p["interceptor"] else None
        p["notional"] = bool(notional.get(f"{p['site']}:{p['interceptor']}", False))
        p["burnout_speed_varied"] = (
            None if i is None else f"interceptor:{i.id}.burnout_speed" in varied
        )
    summary["inputs"] = [
        {
            "input": u.path,
            "low": u.low,
            "high": u.high,
            "value": u.value,
            "unit": u.unit,
            "distribution": u.distribution,
            "source": u.source,
            "overridden": u.overridden,
            "note": u.note,
        }
        for u in uncertain_inputs(scn, cat)
    ]
    res.sweep = summary
    (res.out / "uncertainty.json").write_text(json.dumps(summary, indent=2, allow_nan=False))


def _effectiveness(res, threat_id, eng, eff, cat):
    for w, b in zip(eng.windows, eng.batteries, strict=True):
        if not w.feasible:
            continue
        kwargs = eff.outcome_kwargs()
        kwargs.setdefault("pk", cat.interceptor(b.interceptor_id).single_shot_pk.value)
        kwargs.setdefault("inventory", b.inventory)
        kwargs["looks"] = min(kwargs["looks"], max(w.shots, 1))
        outcome = {"pk": float(kwargs["pk"]), **defence_outcome(eff.raid, **kwargs).to_dict()}
        res.effectiveness.append(
            (
                threat_id,
                f"{b.site_id}:{b.interceptor_id}",
                {k: (float(v) if isinstance(v, float) else v) for k, v in outcome.items()},
            )
        )


def _write_scene(res: RunResult, cat):
    from bmdsim.output import czml, report
    from bmdsim.output.summary import engagement_summary

    scn, out = res.scenario, res.out
    (out / "summary.json").write_text(json.dumps(res.summary(), indent=2))
    if scn.outputs.czml and (res.trajectories or res.footprints):
        czml.write_czml(
            out / "scenario.czml",
            trajectories=[t for _, t in res.trajectories],
            footprints=[fp for _, fp in res.footprints],
            epoch=scn.epoch,
        )
    entries = [e for e in dict.fromkeys(_hashable(e) for e in res.entries) if e is not None]
    bib = bibliography(entries, cat)
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
                        "need km/s": w["min_burnout_speed_kms"],
                    }
                )
        d = res.engagements[0][1].doctrine
        cueing = (
            f"Cueing: decision delay {d.decision_delay_s:g} s, assessment delay "
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
        sections.append(
            report.ReportSection(
                "Engagements",
                text=cueing,
                tables=[
                    (
                        rows,
                        "Kinematic feasibility of each battery against each threat at "
                        "central catalogue values; need: the slowest burnout speed that "
                        "would intercept",
                    )
                ],
                figures=[
                    out / "engagements" / tid / "battle_space.png" for tid, _ in res.engagements
                ],
                notes=notes,
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
                notes=notes,
            )
        )
    if res.effectiveness:
        sections.append(_effectiveness_section(res, cat))
    if res.sweep is not None:
        sections.append(_uncertainty_section(res))
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
    from bmdsim.output import report
    from bmdsim.output.summary import footprint_summary

    rows, notes = [], []
    for label, fp in res.footprints:
        s = footprint_summary(fp)
        m = cat.missiles.get(fp.missile_id)
        rng = m.published_range if m is not None else None
        lo = rng.low / rng.value if rng is not None and rng.value > 0 else 1.0
        hi = rng.high / rng.value if rng is not None and rng.value > 0 else 1.0
        edge = [
            x.id for x in fp.sites if lo * x.max_range_m < x.distance_m <= hi * x.max_range_m
        ]
        rows.append(
            {
                "launch": label,
                "max range km": f"{s['max_range_km']['min']:,.0f}-"
                f"{s['max_range_km']['max']:,.0f}",
                "published range": "" if rng is None else (
                    f"{rng.value:g} ({rng.low:g}-{rng.high:g}) {rng.unit}, grade {rng.grade}"
                ),
                "sites in reach": ", ".join(
                    f"{x['id']} ({x['flight_time_s'] / 60:.1f} min)" for x in s["sites_in_reach"]
                )
                or "none",
                "inside the range band (uncertain)": ", ".join(edge),
            }
        )
        if m is not None and "quasi-ballistic" in f"{m.summary} {m.notes or ''}".lower():
            notes.append(
                f"{m.id} is quasi-ballistic: its flight times here are those of a ballistic "
                "missile of the same range (catalogue note); the real flights are flatter."
            )
    return report.ReportSection(
        "Reach",
        text="Maximum-range footprints on the rotating WGS 84 Earth at the catalogue's "
        "central values; a site is in reach when inside the footprint; times are "
        "minimum-energy flights. The map draws one ring at the central range: the sites "
        "listed as inside the range band lie between the footprint scaled to the low and "
        "to the high end of the published range, so whether they are in reach is not "
        "decided by the open figures.",
        tables=[(rows, "Maximum range, sites in reach and sites inside the range band")],
        figures=_footprint_maps(res),
        notes=list(dict.fromkeys(notes)),
    )


def _footprint_maps(res):
    return [res.out / "reach" / _slug(lab) / "footprint_map.png" for lab, _ in res.footprints]


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
    from bmdsim.output import report

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
                "Pk from": "scenario"
                if given
                else f"catalogue {pk.low:g}-{pk.high:g} [{pk.source}], grade {pk.grade}",
                "expected leakers": o["expected_leakers"],
                "P(no leaker)": o["p_zero_leakers"],
            }
        )
    return report.ReportSection(
        "Effectiveness (Wilkening 2000)",
        text="Leakers of the scenario's raid against each battery that can intercept, by "
        "the closed forms of Wilkening (2000). The single-shot Pk is no measured figure for "
        "any system: the catalogue's value is an illustrative central value, grade R, with "
        "a wide band, and the answers move with it.",
        tables=[(rows, "Expected leakers and P(no leaker), with the Pk each row used")],
    )


def _fmt_spread(x, scale=1.0, unit="s"):
    if not x:
        return ""
    lo, mid, hi = (None if v is None else v / scale for v in x)
    if mid is None:
        return ""
    return f"{mid:,.0f} ({lo:,.0f}-{hi:,.0f}) {unit}"


def _uncertainty_section(res):
    from bmdsim.output import report
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
            "95 % interval": f"{p['ci95'][0]:.4f}-{p['ci95'][1]:.4f}",
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
