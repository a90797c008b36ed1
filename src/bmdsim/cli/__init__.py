"""The ``bmdsim`` command line: each command calls one public function.

Results go to stdout (a table, or JSON with ``--json``); progress and errors to stderr.
A user error prints one line and exits with code 1, never a traceback.

One module per family of commands, each command a plain function registered below:
``flight`` (trajectory, reach, coast, kepler), ``catalogue`` (catalogue list, show),
``defence`` (engage, flyout, coverage, effectiveness), ``run`` (run, study, demo),
``results`` and ``serve`` (the web app, ``bmdsim.web``).
Shared options are in ``_options``, the consoles, the JSON printer and the user error in
``_console``. Heavy stacks (matplotlib, numba kernels, Dask, DuckDB) are imported inside
the commands that need them, so ``bmdsim --help`` imports none of them.
"""

from __future__ import annotations

import sys

import typer

from bmdsim.cli import catalogue, defence, flight, results, run, serve
from bmdsim.cli._console import OneLineErrors, one_line
from bmdsim.errors import BmdsimError

__all__ = ["app", "main"]

app = typer.Typer(
    cls=OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    help=(
        "bmdsim: open, cited, physics-based ballistic-missile simulation for policy analysis.\n\n"
        "Examples:\n\n"
        "  bmdsim catalogue list\n\n"
        "  bmdsim reach --missile iskander-m --from kaliningrad --out out/iskander\n\n"
        "  bmdsim trajectory --missile rs-24-yars --from teykovo --to washington-dc --json\n\n"
        "  bmdsim coast --lat 0 --lon 0 --alt-km 0 --speed-kms 3 --gamma-deg 40 --azimuth-deg 90 "
        "--earth sphere --no-rotation --no-drag"
    ),
)
catalogue_app = typer.Typer(no_args_is_help=True, help="List and show the cited catalogue.")
catalogue_app.command("list")(catalogue.list_entries)
catalogue_app.command("show")(catalogue.show)
app.add_typer(catalogue_app, name="catalogue")

# In the order `bmdsim --help` lists them (typer lists the catalogue group after them).
app.command()(flight.trajectory)
app.command()(flight.reach)
app.command()(flight.coast)
app.command()(flight.kepler)
app.command()(defence.engage)
app.command()(defence.flyout)
app.command()(defence.coverage)
app.command()(defence.effectiveness)
app.command()(run.run)
app.command("results")(results.results)
app.command()(run.study)
app.command()(run.demo)
app.command()(serve.serve)


def main():
    try:
        app()
    except BmdsimError as exc:  # anything that escaped a command
        typer.echo(f"error: {one_line(str(exc))}", err=True)
        sys.exit(1)
