"""Console helpers shared by the command modules (``cli``, ``cli_results``): rich consoles
for stdout and stderr, and the one-line user error that every command exits 1 with."""

from __future__ import annotations

import typer

from bmdsim.errors import BmdsimError

EXIT_USER_ERROR = 1


def _stderr():
    from rich.console import Console

    return Console(stderr=True)


def _stdout():
    from rich.console import Console

    return Console()


def _fail(exc: BmdsimError):
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)
