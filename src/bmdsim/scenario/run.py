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

Every phase is timed (``phases.PHASES``; ``RunResult.phases``, ``summary.json``'s ``timing``
and the report), so that a claim such as "a million samples in under ten seconds of
sampling and analysis" can be checked from the run's own files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bmdsim.analyses.coverage import coverage
from bmdsim.analyses.engage import engage
from bmdsim.analyses.flights import reach
from bmdsim.analyses.provenance import missile_entry, place_entry
from bmdsim.defence.effectiveness import defence_outcome
from bmdsim.flight.batch import resolve_backend
from bmdsim.output.files import (
    write_engagement_files,
    write_footprint_files,
    write_trajectory_files,
)
from bmdsim.scenario.load import scenario_hash
from bmdsim.scenario.phases import PhaseClock
from bmdsim.scenario.plan import doctrine, fly_threats, is_cruise_threat, scenario_batteries
from bmdsim.scenario.references import scenario_catalogue, uncertain_inputs
from bmdsim.scenario.run_maps import write_defence_maps
from bmdsim.scenario.run_report import slug, write_json, write_scene
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
    # (threat id, battery) -> {pk, shots, looks}: what each outcome assumed (report only)
    effectiveness_inputs: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)  # (kind, id) of catalogue entries used
    catalogue: object = None  # the scenario's catalogue (with its own sites)
    sweep: dict | None = None  # sweep_summary.summarise_store of the sampled part
    store: object = None  # the sampled part's ResultStore
    notes: list = field(default_factory=list)  # remarks for the user (the CLI prints them)
    phases: dict = field(default_factory=dict)  # phase -> wall seconds, in run order
    phases_cpu: dict = field(default_factory=dict)  # phase -> CPU seconds of this process
    backend: str = "cpu"  # the backend the run resolved (auto -> cpu or cuda)
    executor: str = "local"

    def timing(self) -> dict:
        """``summary.json``'s ``timing``: wall-clock seconds per phase (``phases.PHASES``) and
        their total, this process's CPU seconds per phase, and what decides them
        (backend, executor, samples). It varies from run to run and machine to machine,
        unlike every other field."""
        return {
            "phases_s": {k: round(v, 3) for k, v in self.phases.items()},
            "total_s": round(sum(self.phases.values()), 3),
            "phases_cpu_s": {k: round(v, 3) for k, v in self.phases_cpu.items()},
            "backend": self.backend,
            "executor": self.executor,
            "samples": self.sweep["samples"] if self.sweep else 0,
        }
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
            "timing": self.timing(),
        } | ({"claims": [c.to_dict() for c in self.claims]} if self.claims else {})


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


def default_chunk_size(scn: Scenario) -> int:
    """Samples per chunk: ~1 s of work on two cores. Threats flown per sample (varied
    missiles or launch areas) are ~10x dearer per sample than fixed ones. On a GPU
    (``backend`` cuda, or auto with one) chunks are 50x larger: every chunk launches a
    kernel per threat and battery, and small grids would leave the GPU idle."""
    varied = any(t.launch_area is not None for t in scn.threats) or any(
        p.startswith("missile:") for p in scn.uncertainty.varied
    )
    size = 250 if varied else 2_000
    return size * 50 if resolve_backend(scn.backend) == "cuda" else size


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
    all_figures: bool = False,
) -> RunResult:
    """Run every analysis of ``scn`` and write ``out``. ``progress(step, total, label)``.

    ``samples``/``seed``: override the scenario's ``uncertainty``; with samples > 0 the
    sampled engagement sweep runs on ``executor`` ('local', 'processes', 'dask',
    'dask=ADDRESS') into ``out/store``, reporting ``sweep_progress(done, total)``.
    ``all_figures``: also the figures the report does not show (polar footprints,
    altitude and speed plots, engagement timelines, per-threat maps); by default only the
    report's figures are drawn (about 2 of 3 minutes of the europe-2016 run were figures
    nobody asked for), the data files are always written."""
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
    res = RunResult(
        scn, out, catalogue=cat, backend=resolve_backend(scn.backend), executor=str(executor)
    )
    clock = PhaseClock()
    res.phases, res.phases_cpu = clock.seconds, clock.cpu_seconds
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
        with clock("reach"):
            fp = reach(
                r.missile,
                origin=r.origin,
                sites=r.sites,
                n_azimuths=r.n_azimuths,
                backend=scn.backend,
                catalogue=cat,
                carrier=r.carrier,
            )
            label = f"{fp.missile_id} from {r.origin}"
            res.footprints.append((label, fp))
            if fp.band is not None and fp.band.basis in ("carrier", "published"):
                res.entries.append(("cruise_missile", cat.cruise_missile(r.missile).id))
                if r.carrier is not None:
                    res.entries.append(("aircraft", cat.carrier(r.carrier).id))
            else:
                res.entries.append(missile_entry(r.missile, cat))
            res.entries.append(place_entry(r.origin, cat))
            res.entries += [("site", x.id) for x in fp.sites if x.id in cat.sites]
            write_footprint_files(
                fp,
                out / "reach" / slug(label),
                kml=scn.outputs.kml,
                geojson=scn.outputs.geojson,
                figures=all_figures,
            )
        tick(label)
    specs = scenario_batteries(scn, cat) if (a.engage and scn.defences) else []
    with clock("threats"):  # aimed together: one aim search for every threat
        for t, traj in zip(threats, fly_threats(threats, cat, scn.backend), strict=True):
            res.trajectories.append((t.id, traj))
            res.entries += [missile_entry(t.missile_spec(), cat), place_entry(t.target, cat)]
            res.entries.append(place_entry(t.launch_point, cat))
            write_trajectory_files(
                [traj],
                out / "threats" / t.id,
                kml=scn.outputs.kml,
                geojson=scn.outputs.geojson,
                figures=all_figures,
            )
    for threat_id, _traj in res.trajectories:
        if specs:
            with clock("engagements"):
                _engage_threat(res, threat_id, _traj, specs, cat, all_figures)
        tick(threat_id)
    for spec in specs:
        res.entries += [("site", spec.site_id), ("interceptor", spec.interceptor_id)]
    for c in a.coverage:
        with clock("coverage"):
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
    cruise = [t.id for t in scn.threats if is_cruise_threat(t, cat)]
    if samples > 0 and cruise:
        res.notes.append(
            f"{', '.join(cruise)}: cruise missile{'s are' if len(cruise) > 1 else ' is'} "
            "engaged on central values only (the sampled engagements fly ballistic threats)"
        )
    if samples > 0 and len(cruise) < len(scn.threats):
        _sample(
            res, cat, samples, seed, executor, chunk_size, max_workers, sweep_progress, tick, clock
        )
    if samples > 0 and res.footprints:
        with clock("samples"):
            _sample_reach(res, cat, samples, seed)
    with clock("report"):
        write_defence_maps(res, specs, cat)
        write_scene(res, cat)
    # summary.json again, now that the report phase is timed too (the HTML report cannot
    # hold its own writing time)
    write_json(out / "summary.json", res.summary())
    tick("report")
    return res


def _engage_threat(res, threat_id, traj, specs, cat, all_figures=False):
    """The central-value engagement of a threat (flown: ``traj``) by every battery."""
    scn = res.scenario
    t = next(x for x in scn.threats if x.id == threat_id)
    cue_at = scn.cueing.cue_at
    if is_cruise_threat(t, cat) and str(cue_at).strip().lower() == "burnout":
        cue_at = None  # a cruise missile has no boost phase to be cued from
        res.notes.append(
            f"{t.id}: the scenario's cue from burnout does not apply to a cruise missile; "
            "it is cued by the radars alone"
        )
    eng = engage(
        t.missile_spec(),
        origin=t.launch_point,
        target=t.target,
        defences=specs,
        sensors=scn.sensors,
        doctrine=doctrine(scn.cueing, cat),
        cue_at=cue_at,
        rcs_m2=t.rcs_m2,
        trajectory=traj,
        catalogue=cat,
        via=t.via,
    )
    res.engagements.append((t.id, eng))
    res.entries += list(eng.entries)
    write_engagement_files(
        eng,
        res.out / "engagements" / t.id,
        kml=scn.outputs.kml,
        geojson=scn.outputs.geojson,
        figures=all_figures,
    )
    if scn.analyses.effectiveness is not None:
        _effectiveness(res, t.id, eng, scn.analyses.effectiveness, cat)


def _sample(
    res, cat, samples, seed, executor, chunk_size, max_workers, sweep_progress, tick, clock
):
    from bmdsim.scenario.sweep_task import EngagementSweep
    from bmdsim.sweep import run_sweep

    scn = res.scenario
    tick("preparing the sampled engagements")
    with clock("tables"):
        task = EngagementSweep.build(scn, cat, trajectories=dict(res.trajectories))
    with clock("samples"):
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
    with clock("store"):
        _summarise(res, cat, store, task, samples, seed)


def _summarise(res, cat, store, task, samples, seed):
    from bmdsim.scenario.sweep_summary import summarise_store

    scn = res.scenario
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
    summary["inputs"] = _input_rows(scn, cat)
    res.sweep = summary
    write_json(res.out / "uncertainty.json", summary)


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
    write_json(res.out / "uncertainty.json", res.sweep)


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
        outcome = {"pk": float(kwargs["pk"]), **defence_outcome(eff.raid, **kwargs).to_dict()}
        res.effectiveness_inputs[(threat_id, f"{b.site_id}:{b.interceptor_id}")] = {
            "pk": kwargs["pk"],
            "shots": kwargs.get("shots_per_target", 1),
            "looks": kwargs["looks"],
        }
        res.effectiveness.append(
            (
                threat_id,
                f"{b.site_id}:{b.interceptor_id}",
                {k: (float(v) if isinstance(v, float) else v) for k, v in outcome.items()},
            )
        )


