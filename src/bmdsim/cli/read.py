"""``bmdsim read ARTICLE.txt``: the systems and places a news article names, and a
scenario that asks its question (``bmdsim.analyses.article``); ``--run`` runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bmdsim import domains as D
from bmdsim.cli._console import fail, print_json, stderr, stdout
from bmdsim.cli._options import JsonOpt, check_out_dir, number, parse_out_dir
from bmdsim.errors import BmdsimError, InputError


def read(
    article: Annotated[str, typer.Argument(help="The article: a UTF-8 text file.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            parser=parse_out_dir,
            help="Folder for scenario.yaml, reading.json and (with --run) the run "
            "(default: runs/read-<article name>).",
        ),
    ] = None,
    run: Annotated[
        bool, typer.Option("--run", help="Run the proposed scenario and write its report.")
    ] = False,
    azimuths: Annotated[
        int,
        number(D.AZIMUTHS_REACH, "--azimuths", help="Headings of each reach footprint proposed."),
    ] = 360,
    as_json: JsonOpt = False,
):
    """Read a news article: the catalogue systems (ids, aliases, NATO names, the press's
    spellings) and places (catalogue sites; GeoNames towns, offline) it names, each with
    the sentence it came from; then a proposed scenario (threats from the named launch
    areas to the named targets, the named defences, the named systems' reach) whose every
    inference is an assumption with its reason. Deterministic: rules and the catalogue,
    no network. Example: bmdsim read article.txt --out runs/article --run
    """
    from bmdsim import yaml_reader
    from bmdsim.analyses.article import propose_scenario, read_article
    from bmdsim.scenario.load import parse_scenario

    try:
        path = Path(article)
        text = yaml_reader.read_text_file(path, label=str(path), error=InputError)
        out = out or check_out_dir(Path("runs") / _slug(f"read-{path.stem}"), "--out")
        reading = read_article(text)
        scn_dict, assumptions, notes = propose_scenario(
            reading, name=f"read {path.stem}", n_azimuths=azimuths
        )
        yaml_text = scenario_yaml(scn_dict, assumptions, notes, path.name)
        scn = parse_scenario(yaml_text, label=str(out / "scenario.yaml"), base_dir=out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "scenario.yaml").write_text(yaml_text, encoding="utf-8")
        summary = {
            **reading.to_dict(),
            "answer": answer(reading, scn_dict),
            "assumptions": assumptions,
            "notes": notes,
            "scenario": str(out / "scenario.yaml"),
            "scenario_content": scn_dict,
        }
        _write_json(out / "reading.json", summary)
        result = None
        if run:
            from bmdsim.scenario.run import run_scenario

            with stderr().status("running the proposed scenario..."):
                result = run_scenario(scn, out / "run", samples=0)
            summary["run"] = str(out / "run")
    except BmdsimError as exc:
        fail(exc)
    if as_json:
        print_json(summary)
        return
    _print(reading, summary, out, result)


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "read"


def _write_json(path: Path, obj) -> None:
    import json

    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def answer(reading, scn: dict) -> str:
    """One sentence: what the article names and what the scenario asks."""
    systems = ", ".join(m.id for m in reading.systems) or "no catalogue system"
    places = ", ".join(m.name.split(" (", 1)[0] for m in reading.places) or "no place"
    n = len(scn["threats"])
    asks = (
        f"the scenario flies {n} threat{'s' if n != 1 else ''}"
        if n
        else "the scenario maps reach only"
    )
    return f"The article names {systems}; places {places}; {asks}."


def scenario_yaml(scn: dict, assumptions: list[dict], notes: list[str], source: str) -> str:
    """The scenario as YAML, its assumptions and notes as comments at the top."""
    import io

    from ruamel.yaml import YAML

    head = [f"# Proposed by `bmdsim read {source}` (rules and the catalogue; check before use)."]
    for a in assumptions:
        head.append(f"# assumption: {a['item']}: {a['reason']}")
    for n in notes:
        head.append(f"# note: {n}")
    yaml = YAML()
    yaml.default_flow_style = False
    buf = io.StringIO()
    yaml.dump(scn, buf)
    lines = [" ".join(line.split()) for line in head]
    return "\n".join(lines) + "\n" + buf.getvalue()


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _print(reading, summary, out, result) -> None:
    from rich.markup import escape
    from rich.table import Table

    con = stdout()
    con.print(f"[bold]{escape(summary['answer'])}[/]")
    table = Table(title="systems named", show_lines=False)
    for col in ("id", "as written", "sentence"):
        table.add_column(col, overflow="fold")
    for m in reading.systems:
        table.add_row(escape(m.id), escape(m.text), escape(_cut(m.sentence, 90)))
    con.print(table)
    table = Table(title="places named")
    for col in ("place", "country", "from", "sentence"):
        table.add_column(col, overflow="fold")
    for m in reading.places:
        table.add_row(
            escape(m.name.split(" (", 1)[0]),
            escape(m.country),
            "catalogue" if m.kind == "site" else "GeoNames",
            escape(_cut(m.sentence, 70)),
        )
    con.print(table)
    if reading.countries:
        con.print("countries: " + escape(", ".join(m.name for m in reading.countries)))
    if reading.unlisted:
        con.print("not in the catalogue: " + escape(", ".join(m.text for m in reading.unlisted)))
    for a in summary["assumptions"]:
        con.print(f"[yellow]assumption[/] {escape(a['item'])}: {escape(a['reason'])}")
    for n in summary["notes"]:
        con.print(f"note: {escape(n)}")
    con.print(
        f"\nscenario: {escape(summary['scenario'])} (bmdsim run {escape(summary['scenario'])})"
    )
    if result is not None:
        con.print(f"report: {escape(str(out / 'run' / 'report.html'))}")
