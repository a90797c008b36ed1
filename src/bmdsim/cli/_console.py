"""What every command shares on the way out: rich consoles for stdout (results) and
stderr (progress, notes, errors), the one JSON printer, and the one-line user error that
every command exits 1 with (never a traceback)."""

from __future__ import annotations

import json
import sys

import typer

from bmdsim.errors import BmdsimError

EXIT_USER_ERROR = 1


def stdout():
    """The console for results (tables and lines a user reads or pipes)."""
    from rich.console import Console

    return Console()


def stderr():
    """The console for progress, notes and files written: never mixed into results."""
    from rich.console import Console

    return Console(stderr=True)


def print_json(obj) -> None:
    """``obj`` on stdout as strict JSON (RFC 8259), indented, and nothing else. JSON has
    no NaN or infinity: a value that is one is written as ``null``."""
    try:
        text = json.dumps(obj, indent=2, allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere: null, as the summaries write it
        from bmdsim.output.summary import json_value

        text = json.dumps(json_value(obj), indent=2, allow_nan=False)
    sys.stdout.write(text + "\n")


def fail(exc: BmdsimError):
    """Print ``error: MESSAGE`` on stderr and exit with code 1."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)
