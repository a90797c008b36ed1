"""Turn a scenario into analyses and an output folder (``bmdsim run``).

The deterministic part: every analysis the scenario asks for (reach footprints, threat
trajectories, engagements of every threat by every battery, air-defence coverage,
effectiveness of each battery that can intercept), run on the catalogue's central values
through the public API, written to one folder with per-analysis files, a CZML scene, a
summary JSON and a self-contained HTML report whose bibliography lists every source of
every catalogue entry used.

With ``samples > 0`` (the scenario's ``uncertainty.samples`` or the caller's), the
sampled part follows: ``sweep_task.EngagementSweep`` runs every threat against every
battery for each sample, chunk by chunk on the chosen executor, into the results store
``OUT/store`` (resumable: the same call after a kill computes only the missing chunks);
``sweep_summary`` turns the store into probabilities, spreads and sensitivities for
``summary.json``, ``uncertainty.json`` and the report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bmdsim.analyses.coverage import coverage
from bmdsim.analyses.engage import engage
from bmdsim.analyses.flights import reach
from bmdsim.defence.effectiveness import defence_outcome
from bmdsim.output.files import (
    write_engagement_files,
    write_footprint_files,
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
    sweep: dict | None = None  # sweep_summary.summarise_store of the sampled part
    store: object = None  # the sampled part's ResultStore
    notes: list = field(default_factory=list)  # remarks for the user (the CLI prints them)
    claims: list = field(default_factory=list)  # claims.ClaimCheck, one per scenario claim

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
                # "threat" is the missile's description in engagement_summary; the
                # scenario's threat id travels beside it.
                {"threat_id": tid, **engagement_summary(e)}
                for tid, e in self.engagements
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
        } | ({"claims": [c.to_dict() for c in self.claims]} if self.claims else {})


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in str(text).lower()).strip("-")


RUNS_ROOT = Path("runs")


def folder_name(name: str) -> str:
    """A scenario name as one folder name: lower-case ASCII letters, digits, ``.``, ``_``
    and ``-`` (anything else a ``-``), no leading dot or hyphen, at most 80 characters,
    ``scenario`` if nothing is left. ``../../x`` -> ``x``, ``/etc`` -> ``etc``: a name is
    data, never a path."""
    text = re.sub(r"[^a-z0-9._-]+", "-", str(name).lower()).strip(".-")
    text = re.sub(r"-{2,}", "-", text)[:80].strip(".-")
    return text or "scenario"


def default_out(scn: Scenario, root: Path = RUNS_ROOT) -> Path:
    """Where ``bmdsim run`` writes without ``--out``: ``runs/<folder_name(name)>``, always
    inside ``root``."""
    return Path(root) / folder_name(scn.name)


def _write_json(path: Path, obj) -> None:
    """Strict JSON (RFC 8259): NaN and infinities as null."""
    from bmdsim.output.summary import json_value

    path.write_text(json.dumps(json_value(obj), indent=2, allow_nan=False))


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
    # refuse what the sampled part cannot do, before any work
    if samples > 0 and (scn.threats or scn.analyses.reach):
        from bmdsim.scenario.sweep_task import sweep_inputs
        from bmdsim.sweep import ResultStore

        sweep_inputs(scn, cat)
        if (Path(out) / "store").is_dir():
            ResultStore(Path(out) / "store").check_compatible(
                seed=seed, scenario_hash=scenario_hash(scn)
            )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    res = RunResult(scn, out)
    a = scn.analyses
    threats = list(scn.threats) if (a.trajectories or a.engage) else []
    total = len(a.reach) + len(threats) + len(a.coverage) + 1 + (2 if samples > 0 else 0)
    total += 1 if scn.claims else 0
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
        res.entries.append(("missile", fp.missile_id))
        write_footprint_files(
            fp, out / "reach" / _slug(label), kml=scn.outputs.kml, geojson=scn.outputs.geojson
        )
        tick(label)
    specs = scenario_batteries(scn, cat) if (a.engage and scn.defences) else []
    for t in threats:
        traj = fly_threat(t, cat, scn.backend)
        res.trajectories.append((t.id, traj))
        if not t.is_file:
            res.entries.append(("missile", cat.missile(t.missile).id))
        write_trajectory_files(
            [traj], out / "threats" / t.id, kml=scn.outputs.kml, geojson=scn.outputs.geojson
        )
        if specs:
            eng = engage(
                t.missile_spec(),
                origin=t.launch_point,
                target=t.target,
                defences=specs,
                sensors=scn.sensors,
                doctrine=doctrine(scn.cueing),
                cue_at=scn.cueing.cue_at,
                rcs_m2=t.rcs_m2,
                trajectory=traj,
                catalogue=cat,
            )
            res.engagements.append((t.id, eng))
            write_engagement_files(
                eng, out / "engagements" / t.id, kml=scn.outputs.kml, geojson=scn.outputs.geojson
            )
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
        res.entries += [("site", cov.place.id), ("interceptor", cov.interceptor_id)]
        res.entries += [("radar", rid) for rid, _, _ in cov.antennas]
        tick(cov.place.id)
    if scn.claims:
        from bmdsim.scenario.claims import check_claims

        res.claims = check_claims(scn.claims, cat, scn.backend)
        res.entries += [("missile", c.missile) for c in res.claims]
        tick("claims")
    if samples > 0 and not scn.threats:
        res.notes.append(
            f"{samples} samples asked for, but the scenario has no threats: only the reach "
            "analyses were sampled (P(in reach)); coverage uses central values"
        )
    if samples > 0 and scn.threats:
        _sample(res, cat, samples, seed, executor, chunk_size, max_workers, sweep_progress, tick)
    if samples > 0 and res.footprints:
        _sample_reach(res, cat, samples, seed)
    _write_scene(res, cat)
    tick("report")
    return res


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
    check = store.last_check
    if check is not None and check.quarantined:
        res.notes.append(
            f"the results store had {len(check.quarantined)} damaged or unknown part file(s); "
            f"they were moved to {store.quarantine_dir} and their samples computed again"
        )
    tick("summarising the samples")
    summary = summarise_store(store, task.input_names, samples)
    summary["seed"] = seed
    summary["inputs"] = _input_rows(scn, cat)
    res.sweep = summary
    _write_json(res.out / "uncertainty.json", summary)


def _sample_reach(res, cat, samples, seed):
    """P(in reach) per site of every reach analysis over the sampled missile inputs
    (``sweep_reach``), into ``res.sweep['reach']`` and uncertainty.json."""
    from bmdsim.scenario.sweep_reach import reach_probabilities
    from bmdsim.scenario.sweep_task import sweep_inputs

    scn = res.scenario
    inputs, missile_inputs, _ = sweep_inputs(scn, cat)
    reach_p = reach_probabilities(
        scn, cat, res.footprints, inputs, missile_inputs, samples, seed
    )
    if res.sweep is None:
        res.sweep = {
            "samples": samples,
            "seed": seed,
            "pairs": [],
            "sensitivity": [],
            "ranking": [],
            "inputs": _input_rows(scn, cat),
        }
    res.sweep["reach"] = reach_p
    _write_json(res.out / "uncertainty.json", res.sweep)


def _input_rows(scn, cat):
    return [
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


def _effectiveness(res, threat_id, eng, eff, cat):
    for w, b in zip(eng.windows, eng.batteries, strict=True):
        if not w.feasible:
            continue
        kwargs = eff.outcome_kwargs()
        kwargs.setdefault("pk", cat.interceptor(b.interceptor_id).single_shot_pk.value)
        kwargs.setdefault("inventory", b.inventory)
        kwargs["looks"] = min(kwargs["looks"], max(w.shots, 1))
        outcome = defence_outcome(eff.raid, **kwargs).to_dict()
        res.effectiveness.append(
            (
                threat_id,
                f"{b.site_id}:{b.interceptor_id}",
                {k: (float(v) if isinstance(v, float) else v) for k, v in outcome.items()},
            )
        )


def _write_scene(res: RunResult, cat):
    from bmdsim.output import czml, report
    from bmdsim.output.summary import engagement_summary, footprint_summary

    scn, out = res.scenario, res.out
    _write_json(out / "summary.json", res.summary())
    if scn.outputs.czml and (res.trajectories or res.footprints):
        czml.write_czml(
            out / "scenario.czml",
            trajectories=[t for _, t in res.trajectories],
            footprints=[fp for _, fp in res.footprints],
            epoch=scn.epoch,
        )
    if not scn.outputs.report:
        return
    sections = []
    if res.footprints:
        rows = []
        for label, fp in res.footprints:
            s = footprint_summary(fp)
            band = s["band"]
            rows.append(
                {
                    "launch": label,
                    "max range km": f"{s['max_range_km']['min']:,.0f}-"
                    f"{s['max_range_km']['max']:,.0f}",
                    "band km": ""
                    if band is None
                    else f"{band['low_km']['min']:,.0f}-{band['high_km']['max']:,.0f}",
                    "sites in reach": ", ".join(
                        f"{x['id']} ({x['flight_time_s'] / 60:.1f} min)"
                        if x["flight_time_s"] is not None
                        else x["id"]
                        for x in s["sites_in_reach"]
                    )
                    or "none",
                    "uncertain": "; ".join(
                        x["why"] for x in s["sites"] if x["verdict"] == "uncertain"
                    )
                    or "none",
                }
            )
        bands = sorted({fp.band.text for _, fp in res.footprints if fp.band is not None})
        sections.append(
            report.ReportSection(
                "Reach",
                text="Maximum-range footprints on the rotating WGS 84 Earth. A site is in "
                "reach when it lies inside the footprint at every value of the missile's "
                "band, uncertain when only part of the band reaches it, out when none "
                "does; times are minimum-energy flights at central values. "
                + " ".join(bands),
                tables=[rows],
                figures=[
                    out / "reach" / _slug(lab) / "footprint_map.png" for lab, _ in res.footprints
                ],
            )
        )
    if res.engagements:
        rows = []
        for tid, eng in res.engagements:
            for w in engagement_summary(eng)["windows"]:
                rows.append(
                    {
                        "threat": tid,
                        "battery": f"{w['site']}:{w['interceptor']}",
                        "feasible": w["feasible"],
                        "why not": w["reason"] or "",
                        "first intercept s": w["first_intercept_s"],
                        "need km/s": _need(w),
                    }
                )
        sections.append(
            report.ReportSection(
                "Engagements",
                text=f"Cueing: {scn.cueing.model_dump()}. need km/s: the slowest burnout "
                "speed of that interceptor (same rocket and burn time, thrust scaled; same "
                "cueing) that would intercept; '> 12': none up to 12 km/s; 'no track': no "
                "speed helps (docs/models/engagement.md).",
                tables=[rows],
                figures=[
                    out / "engagements" / tid / "battle_space.png" for tid, _ in res.engagements
                ],
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
        sections.append(report.ReportSection("Air-defence coverage", tables=[rows]))
    if res.claims:
        from bmdsim.scenario.claims import claims_section

        sections.append(claims_section(res.claims))
    if res.effectiveness:
        rows = [
            {
                "threat": tid,
                "battery": b,
                "expected leakers": o["expected_leakers"],
                "P(no leaker)": o["p_zero_leakers"],
            }
            for tid, b, o in res.effectiveness
        ]
        sections.append(report.ReportSection("Effectiveness (Wilkening 2000)", tables=[rows]))
    if res.sweep is not None and res.sweep.get("pairs"):
        sections.append(_uncertainty_section(res))
    if res.sweep is not None and res.sweep.get("reach"):
        sections.append(_reach_uncertainty_section(res))
    entries = list(dict.fromkeys(res.entries))
    sources = report.catalogue_sources_for(cat, entries)
    cited = {x.id for x in sources}
    sources += [cat.sources[c.source] for c in res.claims if c.source not in cited]
    sources = list({x.id: x for x in sources}.values())
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
                    "95 % interval": f"{x['ci95'][0]:.3f}-{x['ci95'][1]:.3f}",
                    "reach on its bearing, km (5-50-95 %)": f"{lo:,.0f} / {mid:,.0f} / {hi:,.0f}",
                    "verdict from the catalogue band": x["verdict"],
                }
            )
    varied = sorted({v for r in sw["reach"] for v in r["varied"]})
    text = (
        f"Over {sw['samples']:,} samples (seed {sw['seed']}) of the scenario's uncertain "
        "missile inputs: the share of samples in which each site lies within the missile's "
        "maximum range on its bearing, with its 95 % Wilson interval (the Monte Carlo error "
        "only). Inputs varied: " + (", ".join(varied) or "none (P is 0 or 1: central "
        "values)") + ". The catalogue verdict uses the calibrated band instead."
    )
    return report.ReportSection("Reach under uncertainty: P(in reach)", text=text, tables=[rows])


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
            "largest first-order index": "" if r["max_sobol"] is None else f"{r['max_sobol']:.2f}",
            "mean over pairs": "" if r["mean_sobol"] is None else f"{r['mean_sobol']:.2f}",
            "where largest": r["where"] or "",
        }
        for r in sw["ranking"]
    ]
    text = (
        f"{sw['samples']:,} Monte Carlo samples (seed {sw['seed']}); each draws every input "
        "below from its range, independently, with a seed per sample index (the results do "
        "not depend on chunking or executor). P(feasible) is the share of samples in which "
        "the battery could intercept under the scenario's cueing; its interval is the Monte "
        "Carlo error only. Sensitivities are first-order Sobol indices of feasibility "
        f"(binned estimator) on the first {min(sw['samples'], 20_000):,} samples, for the "
        "pairs whose P(feasible) is neither 0 nor 1. Every sample is in the results store "
        "(store/; query it with `bmdsim results DIR --sql ...`)."
    )
    return report.ReportSection(
        "Uncertainty: probabilities and sensitivities",
        text=text,
        tables=[
            (inputs, "Uncertain inputs and the ranges they are drawn from"),
            (probs, "Feasible intercept per threat and battery"),
            (ranking, "Sensitivity ranking of the inputs"),
        ],
        figures=figures,
    )
