"""Turn a scenario into analyses and an output folder (``bmdsim run``).

The deterministic part: every analysis the scenario asks for (reach footprints, threat
trajectories, engagements of every threat by every battery, air-defence coverage,
effectiveness of each battery that can intercept), run on the catalogue's central values
through the public API, written to one folder with per-analysis files, a CZML scene, a
summary JSON and a self-contained HTML report whose bibliography lists every source of
every catalogue entry used. Uncertainty sampling (issue 4) builds on this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bmdsim.api import fly, reach
from bmdsim.defence.effectiveness import defence_outcome
from bmdsim.defence_api import coverage, engage
from bmdsim.output.files import (
    write_engagement_files,
    write_footprint_files,
    write_trajectory_files,
)
from bmdsim.scenario.load import scenario_hash
from bmdsim.scenario.schema import Scenario, scenario_catalogue


@dataclass
class RunResult:
    scenario: Scenario
    out: Path
    footprints: list = field(default_factory=list)  # (label, Footprint)
    trajectories: list = field(default_factory=list)  # (threat id, Trajectory)
    engagements: list = field(default_factory=list)  # (threat id, Engagement)
    coverages: list = field(default_factory=list)  # (label, place, interceptor, radar, rings)
    effectiveness: list = field(default_factory=list)  # (threat id, battery, outcome dict)
    entries: list = field(default_factory=list)  # (kind, id) of catalogue entries used

    def summary(self) -> dict:
        from bmdsim.output.defence_summary import engagement_summary
        from bmdsim.output.summary import footprint_summary, trajectory_summary

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
                    "site": place.id,
                    "interceptor": iid,
                    "radar": rid,
                    "rings": [
                        {
                            "target_altitude_km": r.target_altitude_m / 1e3,
                            "radius_km": round(r.radius_m / 1e3, 1),
                            "limited_by": r.limited_by,
                        }
                        for r in rings
                    ],
                }
                for lab, place, iid, rid, rings in self.coverages
            ],
            "effectiveness": [
                {"threat": tid, "battery": b, **o} for tid, b, o in self.effectiveness
            ],
        }


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in str(text).lower()).strip("-")


def run_scenario(scn: Scenario, out: Path, *, progress=None) -> RunResult:
    """Run every analysis of ``scn`` and write ``out``. ``progress(step, total, label)``."""
    cat = scenario_catalogue(scn)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    res = RunResult(scn, out)
    a = scn.analyses
    threats = list(scn.threats) if (a.trajectories or a.engage) else []
    total = len(a.reach) + len(threats) + len(a.coverage) + 1
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
            catalogue_=cat,
        )
        label = f"{fp.missile_id} from {r.origin}"
        res.footprints.append((label, fp))
        res.entries.append(("missile", fp.missile_id))
        write_footprint_files(fp, out / "reach" / _slug(label))
        tick(label)
    specs = scn.defence_specs(cat) if (a.engage and scn.defences) else []
    for t in threats:
        traj = fly(
            t.missile_spec(),
            origin=t.launch_point,
            target=t.target,
            shape=t.shape,
            backend=scn.backend,
            catalogue_=cat,
        )
        res.trajectories.append((t.id, traj))
        if not t.is_file:
            res.entries.append(("missile", cat.missile(t.missile).id))
        write_trajectory_files([traj], out / "threats" / t.id)
        if specs:
            eng = engage(
                t.missile_spec(),
                origin=t.launch_point,
                target=t.target,
                defences=specs,
                sensors=scn.sensors,
                doctrine=scn.cueing.doctrine(),
                cue_at=scn.cueing.cue_at,
                rcs_m2=t.rcs_m2,
                trajectory=traj,
                cat=cat,
            )
            res.engagements.append((t.id, eng))
            write_engagement_files(eng, out / "engagements" / t.id)
            if a.effectiveness is not None:
                _effectiveness(res, t.id, eng, a.effectiveness, cat)
        tick(t.id)
    for spec in specs:
        site, _, iid = spec.partition(":")
        res.entries += [("site", site), ("interceptor", iid)]
    for c in a.coverage:
        place, iid, rid, rings = coverage(
            c.site,
            target_altitudes_km=tuple(c.target_altitudes_km),
            interceptor=c.interceptor,
            radar=c.radar,
            rcs_m2=c.rcs_m2,
            cat=cat,
        )
        res.coverages.append((f"{place.label}: {iid} with {rid}", place, iid, rid, rings))
        res.entries += [("site", place.id), ("interceptor", iid), ("radar", rid)]
        tick(place.id)
    _write_scene(res, cat)
    tick("report")
    return res


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
    from bmdsim.output.defence_summary import engagement_summary
    from bmdsim.output.summary import footprint_summary

    scn, out = res.scenario, res.out
    (out / "summary.json").write_text(json.dumps(res.summary(), indent=2))
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
            rows.append(
                {
                    "launch": label,
                    "max range km": f"{s['max_range_km']['min']:,.0f}-"
                    f"{s['max_range_km']['max']:,.0f}",
                    "sites in reach": ", ".join(
                        f"{x['id']} ({x['flight_time_s'] / 60:.1f} min)"
                        for x in s["sites_in_reach"]
                    )
                    or "none",
                }
            )
        sections.append(
            report.ReportSection(
                "Reach",
                text="Maximum-range footprints on the rotating WGS 84 Earth; a site is in "
                "reach when inside the footprint; times are minimum-energy flights.",
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
                        "need km/s": w["min_burnout_speed_kms"],
                    }
                )
        sections.append(
            report.ReportSection(
                "Engagements",
                text=f"Cueing: {scn.cueing.model_dump()}.",
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
            for lab, _, _, _, rings in res.coverages
            for r in rings
        ]
        sections.append(report.ReportSection("Air-defence coverage", tables=[rows]))
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
    entries = list(dict.fromkeys(res.entries))
    sources = report.catalogue_sources_for(cat, entries)
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
