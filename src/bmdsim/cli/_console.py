"""What every command shares on the way out: rich consoles for stdout (results) and
stderr (progress, notes, errors), the one JSON printer, and the one-line user error that
every command exits 1 with (never a traceback).

:class:`OneLineErrors` is the command group of ``bmdsim``: a bad option (an unknown one,
a value typer cannot convert, one outside its domain) ends with the same single
``error: --option: what is wrong; allowed: ...`` line and exit code 1 as an error that a
command finds itself, not click's usage box and exit code 2.
"""

from __future__ import annotations

import json
import sys

import typer
from typer.core import TyperGroup

try:  # typer >= 0.2x carries its own copy of click
    from typer._click import exceptions as _click
except ImportError:  # pragma: no cover - typer on the click package
    from click import exceptions as _click

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


def one_line(message: str) -> str:
    """``message`` as one line: the first line of a multi-line error (a scenario file with
    several problems), with how many more there are."""
    lines = [" ".join(line.split()) for line in str(message).splitlines() if line.strip()]
    if not lines:
        return "unknown error"
    more = len(lines) - 1
    return lines[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def fail(exc: BmdsimError):
    """Print ``error: MESSAGE`` (one line) on stderr and exit with code 1."""
    typer.echo(f"error: {one_line(str(exc))}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)


def warn(message: str) -> None:
    """Print ``warning: MESSAGE`` (one line) on stderr; the command goes on."""
    typer.echo(f"warning: {one_line(message)}", err=True)


def _click_message(exc) -> str:
    if isinstance(exc, _click.BadParameter) and not isinstance(exc, _click.MissingParameter):
        param = exc.param
        hint = exc.param_hint
        if hint is None and param is not None:
            names = [o for o in getattr(param, "opts", []) if o.startswith("--")]
            hint = names[0] if names else (param.human_readable_name if param else None)
        if isinstance(hint, list | tuple):
            hint = hint[0]
        hint = str(hint).strip("'\"") if hint else None
        return f"{hint}: {exc.message}" if hint else exc.message
    return exc.format_message()


_NO_ARGS = getattr(_click, "NoArgsIsHelpError", ())


class OneLineErrors(TyperGroup):
    """The ``bmdsim`` group: click's usage errors become one ``error:`` line, exit 1."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except _NO_ARGS as exc:
            if not standalone_mode:
                raise
            exc.show()
            sys.exit(0)
        except _click.ClickException as exc:
            if not standalone_mode:
                raise
            typer.echo(f"error: {one_line(_click_message(exc))}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("error: aborted", err=True)
            sys.exit(EXIT_USER_ERROR)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)
