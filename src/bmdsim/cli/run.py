"""Commands that run many analyses at once: ``run`` (a scenario file, optionally with
Monte Carlo samples), ``study`` (the Europe study) and ``demo`` (the seed articles'
reach questions)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bmdsim import domains as D
from bmdsim.cli._console import answer, fail, fit_table, print_json, progress, stderr, stdout, warn
from bmdsim.cli._options import (
    BackendOpt,
    JsonOpt,
    OutOpt,
    check_out_dir,
    number,
    parse_out_dir,
    text_option,
)
from bmdsim.cli.engage_table import engagement_table, print_reasons
from bmdsim.cli.flight import print_footprint
from bmdsim.errors import BmdsimError, InputError

EXECUTORS_HELP = (
    "Where the sampled chunks run: local (this process), processes (a pool, one worker a "
    "core), dask (a Dask LocalCluster on this machine, TLS with a key made for the run, no "
    "dashboard) or dask=tcp://HOST:PORT / dask=tls://HOST:PORT (a running Dask scheduler, "
    "reached in 5 s or refused; TLS credentials from the Dask config, see "
    "docs/executors.md; its workers need bmdsim installed). Same seed, same results on any."
)


def _executor(value):
    from bmdsim.sweep.executors import check_executor

    try:
        D.check_text(value, field="--executor", max_length=500)
        check_executor(value, connect=True)
    except InputError as exc:
        raise typer.BadParameter(exc.message) from None
    return value


def _run_backend(value):
    if value is not None and value not in ("auto", "cpu", "cuda"):
        raise typer.BadParameter(f"unknown backend {value!r}; allowed: auto, cpu, cuda")
    return value


def run(
    scenario: Annotated[
        str,
        typer.Argument(
            help="Scenario YAML file, or the name of a shipped example (europe-2016, "
            "northern-waters-2016, baltic-srbm, north-atlantic-ships, belarus-2025)."
        ),
    ],
    samples: Annotated[
        int | None,
        number(
            D.SAMPLES,
            "--samples",
            "-n",
            help="Monte Carlo samples (default: the scenario's uncertainty.samples; 0: the "
            "central values only).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        number(D.SEED, help="Seed of the samples (default: the scenario's)."),
    ] = None,
    executor: Annotated[str, typer.Option(help=EXECUTORS_HELP, callback=_executor)] = "local",
    workers: Annotated[
        int | None,
        number(D.WORKERS, help="Workers for processes/dask (default: one a core)."),
    ] = None,
    chunk_size: Annotated[
        int | None,
        number(
            D.CHUNK_SIZE,
            help="Samples per chunk, the unit of work and of resume (default: 2000, or 250 "
            "when threats are flown per sample; 50 times more on a GPU).",
        ),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            callback=_run_backend,
            help="Override the scenario's backend: auto, cpu or cuda (threats flown per "
            "sample run there).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            parser=parse_out_dir,
            help="Output folder (default: runs/ and a slug of the scenario's name). Holds the "
            "results store: run the same command again after an interruption and it resumes.",
        ),
    ] = None,
    all_figures: Annotated[
        bool,
        typer.Option(
            "--all-figures",
            help="Also draw the figures the report does not show (polar footprints, "
            "altitude and speed plots, engagement timelines, per-threat maps); by default "
            "only the report's figures are drawn. The data files are always written.",
        ),
    ] = False,
):
    """Run every analysis a scenario file asks for (docs/scenarios.md) and write one folder:
    per-analysis files, a CZML scene, summary.json and a self-contained HTML report whose
    bibliography lists every source used.

    With samples (the scenario's uncertainty.samples or --samples), every threat is also
    engaged by every battery in each of N Monte Carlo samples of the inputs the scenario
    declares uncertain; the answers (P(feasible) per threat and battery, spreads,
    sensitivities) go into the report and uncertainty.json, every sample into the results
    store OUT/store (query it with `bmdsim results OUT --sql ...`). Interrupted (even by
    kill -9)? Run the same command again: finished chunks are kept, the rest computed.

    Examples: bmdsim run europe-2016 --samples 10000 --executor processes;
    bmdsim run my.yaml --samples 0 --out runs/central.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn

    from bmdsim.scenario import example_path, load_scenario
    from bmdsim.scenario.plausibility import scenario_warnings
    from bmdsim.scenario.run import default_out, run_scenario

    try:
        D.check_text(scenario, field="SCENARIO", max_length=4000)
        path = Path(scenario)
        if not _exists(path) and not scenario.endswith((".yaml", ".yml")):
            path = example_path(scenario)
        scn = load_scenario(path)
        if backend is not None:
            scn = _with_backend(scn, backend)
        for note in scenario_warnings(scn):
            warn(note)
        out = out or check_out_dir(default_out(scn), "--out")
        with progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        ) as bar:
            task = bar.add_task("analyses", total=None)
            sweep_task = None

            def tick(k, n, label):
                bar.update(task, completed=k, total=n, description=label)

            def sweep_tick(done, total):
                nonlocal sweep_task
                if sweep_task is None:
                    sweep_task = bar.add_task("samples", total=total)
                bar.update(sweep_task, completed=done, total=total)

            result = run_scenario(
                scn,
                out,
                progress=tick,
                samples=samples,
                seed=seed,
                executor=executor,
                chunk_size=chunk_size,
                max_workers=workers,
                sweep_progress=sweep_tick,
                all_figures=all_figures,
            )
    except BmdsimError as exc:
        fail(exc)
    con = stdout()
    for label, fp in result.footprints:
        print_footprint(fp, label)  # escapes the label and every name
    for tid, eng in result.engagements:
        con.print(engagement_table(eng, f"{tid}"))
        print_reasons(con, eng)
    for label, cov in result.coverages:
        con.print(
            f"{label}: "
            + ", ".join(
                f"{r.target_altitude_m / 1e3:g} km -> {r.radius_m / 1e3:,.0f} km" for r in cov.rings
            ),
            markup=False,
        )
    if result.claims:
        from rich.table import Table

        t = Table(title="Claimed flight times beside the model's (minutes)")
        for col in ("claim", "claimed", "min-energy", "depressed", "verdict"):
            t.add_column(col)
        for c in result.claims:
            d = c.to_dict()
            t.add_row(
                escape(f"{c.missile} {c.origin} -> {c.target} ({c.distance_km:,.0f} km)"),
                f"{c.claimed_s / 60:.1f}",
                "-" if d["minimum_energy_s"] is None else f"{d['minimum_energy_s'] / 60:.1f}",
                "-" if d["depressed_s"] is None else f"{d['depressed_s'] / 60:.1f}",
                escape(c.verdict),
            )
        con.print(t)
    if result.sweep is not None:
        con.print(sweep_table(result.sweep))
        top = [r for r in result.sweep["ranking"] if r["max_sobol"] is not None][:3]
        if top:
            con.print(
                "inputs that decide feasibility most (largest first-order Sobol index): "
                + "; ".join(f"{r['input']} {r['max_sobol']:.2f}" for r in top)
            )
        con.print(f"results store: {out / 'store'} (bmdsim results {out} --sql ...)", markup=False)
    for note in result.notes:
        stderr().print(f"[yellow]note:[/] {escape(note)}")
    for line in phase_lines(result.timing()):
        typer.echo(line, err=True)
    from bmdsim.output.answers import run_answer

    answer(run_answer(result.footprints, result.engagements, result.sweep))
    if scn.outputs.report:
        con.print(
            f"\nreport: [bold]{escape(str(out / 'report.html'))}[/]; all files in "
            f"{escape(str(out))}/"
        )
    else:
        con.print(f"\nall files in {out}/", markup=False)


def _exists(path: Path) -> bool:
    """Whether ``path`` names something (False, not an error, for a name too long)."""
    try:
        return path.exists()
    except OSError:
        return False


def phase_lines(timing) -> list[str]:
    """Plain lines (no markup, one a phase) of a run's ``timing``: what a log or a
    benchmark script can grep, e.g. ``phase samples 3.21 s (cpu 6.10 s)``: wall clock,
    then this process's CPU time (all threads)."""
    cpu = timing["phases_cpu_s"]
    lines = [
        f"phase {name} {sec:.2f} s (cpu {cpu[name]:.2f} s)"
        for name, sec in timing["phases_s"].items()
    ]
    samples = f", {timing['samples']:,} samples" if timing["samples"] else ""
    lines.append(
        f"phase total {timing['total_s']:.2f} s (backend {timing['backend']}, executor "
        f"{timing['executor']}{samples})"
    )
    return lines


def _with_backend(scn, backend: str):
    """The scenario with ``--backend`` in place of its own, allowed the values its
    ``backend`` field allows (the schema's list, not one kept here)."""
    from typing import get_args

    from bmdsim.scenario.schema import Scenario

    allowed = list(get_args(Scenario.model_fields["backend"].annotation))
    if backend not in allowed:
        raise InputError(
            f"unknown backend {backend!r}", field="backend", value=backend, allowed=allowed
        )
    return scn.model_copy(update={"backend": backend})


def sweep_table(sw):
    """P(feasible) per threat and battery over the samples, with its 95 % interval."""
    from rich.table import Table

    from bmdsim.output.text import interval_text

    table = Table(title=f"P(feasible intercept) over {sw['samples']:,} samples (seed {sw['seed']})")
    for col in ("threat", "battery", "P(feasible)", "95 % interval", "main reason when not"):
        table.add_column(col)
    for p in sw["pairs"]:
        table.add_row(
            p["threat"],
            f"{p['site']}:{p['interceptor']}" if p["site"] else "-",
            f"{p['p_feasible']:.3f}",
            interval_text(p["ci95"]),
            p["main_reason"] or "",
        )
    return fit_table(table, ids=("threat", "battery"))


def study(
    name: Annotated[str, typer.Argument(help="Which study: europe.")] = "europe",
    missile: Annotated[
        str, text_option(max_length=4000, help="The ICBM flown from every base.")
    ] = "rs-24-yars",
    decision_delay_s: Annotated[
        float | None,
        number(
            D.DELAY,
            help="Ideal-cueing decision delay, s (default: the catalogue's doctrine "
            "decision-delay).",
        ),
    ] = None,
    site: Annotated[
        list[str] | None,
        text_option(
            "--site",
            help="Defence site(s); repeat. Default: redzikowo and deveselu. E.g. the "
            "sea stations norwegian-sea-station, north-sea-station.",
        ),
    ] = None,
    quick: Annotated[bool, typer.Option(help="Two bases and two aim points only.")] = False,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    backend: BackendOpt = "auto",
):
    """The Europe study (docs/study-europe.md): for every Russian ICBM base and US aim point,
    could SM-3 IB, IIA or a notional IIB at Redzikowo or Deveselu intercept, with the radars
    as deployed or with ideal cueing from burnout, and what burnout speed would it take?"""
    import bmdsim
    from bmdsim.analyses.studies.europe import europe_study
    from bmdsim.output.files import write_study_files
    from bmdsim.output.summary import study_summary

    if name != "europe":
        fail(
            InputError(
                f"unknown study {name!r}; allowed: europe",
                field="study",
                value=name,
                allowed=["europe"],
            )
        )
    try:
        with progress() as bar:
            task = bar.add_task("threats", total=None)

            def tick(k, n):
                bar.update(task, completed=k, total=n)

            kwargs = {"sites": tuple(site)} if site else {}
            result = europe_study(
                missile=missile,
                decision_delay_s=decision_delay_s,
                quick=quick,
                progress=tick,
                backend=backend,
                **kwargs,
            )
        if out:
            from bmdsim.analyses.provenance import bibliography
            from bmdsim.output.files import write_sources_files

            cat = bmdsim.catalogue()
            sites = [cat.site(s) for s in dict.fromkeys(r.site for r in result.rows)]
            write_study_files(result, out, sites=sites)
            write_sources_files(bibliography(result.entries, cat), out, product="study europe")
    except BmdsimError as exc:
        fail(exc)
    if as_json:
        print_json(study_summary(result))
        return
    from rich.table import Table

    t = Table(
        title=f"Europe study: {result.missile}, minimum-energy; ideal cueing = track from "
        f"burnout + {result.decision_delay_s:g} s"
    )
    for col in (
        "base -> aim point",
        "site",
        "interceptor",
        "closest km",
        "as deployed",
        "ideal cueing",
        "needs km/s",
        "has km/s",
    ):
        t.add_column(col)
    for r in result.rows:
        if r.min_burnout_speed_kms is not None:
            need = f"{r.min_burnout_speed_kms:.2f}"
        elif r.min_burnout_speed_above_kms is not None:
            need = f"> {r.min_burnout_speed_above_kms:g}"
        else:
            need = "no track"
        t.add_row(
            f"{r.base} -> {r.target}",
            r.site,
            r.interceptor + (" (notional)" if r.notional else ""),
            f"{r.closest_approach_km:,.0f}",
            "[green]yes[/]" if r.deployed_feasible else f"no ({r.deployed_reason})",
            "[green]yes[/]" if r.ideal_feasible else f"no ({r.ideal_reason})",
            need,
            f"{r.catalogue_burnout_speed_kms:.1f}",
        )
    stdout().print(fit_table(t, ids=("site", "interceptor")))
    if result.out_of_range:
        stdout().print(
            "beyond the missile's range, left out: "
            + ", ".join(f"{b} -> {a}" for b, a in result.out_of_range)
        )
    if out:
        stderr().print(f"files written to {out}/", markup=False, highlight=False)


DEMO_LAUNCHES = [
    ("iskander-m", "brest"),
    ("iskander-m", "asipovichy"),
    ("iskander-m", "kaliningrad"),
    ("iskander-e", "brest"),
    ("iskander-e", "asipovichy"),
    ("iskander-e", "kaliningrad"),
]
DEMO_ICBM = ("rs-24-yars", "teykovo", "washington-dc")
DEMO_DEFENCES = ("redzikowo:sm-3-iia", "redzikowo:sm-3-iib")


def demo(out: OutOpt = Path("demo-output"), backend: BackendOpt = "auto"):
    """Answer the seed articles' reach questions: Iskander-M/-E from Belarus and
    Kaliningrad against the catalogue's NATO sites, and a Yars from Teykovo to
    Washington. Writes maps, plots and data to --out and prints summary tables."""
    import bmdsim
    from bmdsim.output.files import (
        write_engagement_files,
        write_footprint_files,
        write_trajectory_files,
    )

    try:
        out = check_out_dir(out or Path("demo-output"), "--out")
    except BmdsimError as exc:
        fail(exc)
    con = stdout()
    footprints = []
    try:
        with progress() as bar:
            task = bar.add_task("reach footprints", total=len(DEMO_LAUNCHES) + 2)
            for missile, origin in DEMO_LAUNCHES:
                fp = bmdsim.reach(missile, origin=origin, sites="nato", backend=backend)
                write_footprint_files(fp, out / f"{missile}_from_{origin}")
                footprints.append((missile, origin, fp))
                bar.advance(task)
            m, a, b = DEMO_ICBM
            yars = bmdsim.fly(m, origin=a, target=b, backend=backend)
            write_trajectory_files([yars], out / f"{m}_{a}_to_{b}", stem="trajectory")
            bar.advance(task)
            eng = bmdsim.engage(
                m, origin=a, target=b, defences=DEMO_DEFENCES, cue_at="burnout", trajectory=yars
            )
            write_engagement_files(eng, out / f"{m}_{a}_to_{b}_vs_redzikowo")
            bar.advance(task)
    except BmdsimError as exc:
        fail(exc)
    for missile, origin, fp in footprints:
        print_footprint(fp, f"{missile} from {origin}")
    from rich.table import Table

    t = Table(title="Which NATO sites are in reach (minimum-energy flight time)")
    t.add_column("launch")
    t.add_column("missile")
    t.add_column("in reach at every value of the band")
    t.add_column("uncertain (inside part of the band)")
    for missile, origin, fp in footprints:
        near = sorted(fp.sites, key=lambda s: s.distance_m)
        inside = [
            f"{s.id} ({s.flight_time_s / 60:.1f} min)" if s.flight_time_s else s.id
            for s in near
            if s.verdict == "in"
        ]
        unsure = [
            f"{s.id} ({s.distance_m / 1e3:,.0f} km)" for s in near if s.verdict == "uncertain"
        ]
        t.add_row(origin, missile, ", ".join(inside) or "none", ", ".join(unsure) or "none")
    con.print(fit_table(t, ids=("launch", "missile")))
    con.print(
        f"\n[bold]{m}[/] {a} -> {b}: range {yars.range_m / 1e3:,.0f} km, apogee "
        f"{yars.apogee_alt_m / 1e3:,.0f} km, flight time {yars.flight_time_s / 60:.1f} min "
        f"(minimum-energy; burnout {yars.burnout.speed_m_s / 1e3:.2f} km/s at "
        f"{yars.burnout.time_s:.0f} s)"
    )
    con.print(
        engagement_table(
            eng,
            "Could SM-3s at Redzikowo intercept it? (ideal cueing: a track from burnout, "
            f"{eng.doctrine.decision_delay_s:g} s decision delay)",
        )
    )
    print_reasons(con, eng)
    con.print(
        f"\nMaps, plots, GeoJSON, KML and CSV in [bold]{out}/[/]; every number used is "
        "cited in the catalogue (bmdsim catalogue show ID)."
    )
