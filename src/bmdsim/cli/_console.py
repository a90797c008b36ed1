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


# ---------------------------------------------------------------------------------------
# progress: a spinner or bar on a terminal; plain lines on stderr when piped or logged


PLAIN_FIRST_S = 2.0  # a command that answers sooner prints no progress at all
PLAIN_EVERY_S = 10.0  # then one line at most this often, and a heartbeat if nothing moves


class PlainProgress:
    """rich.progress.Progress's add_task / update / advance as plain stderr lines, for a
    stderr that is not a terminal (a pipe, a log file, CI): nothing during the first
    2 s, then ``bmdsim: LABEL: K/N (T s)`` when a step changes or every 10 s, a
    heartbeat line while one step runs long, and ``bmdsim: done in T s`` at the end."""

    def __init__(self, description: str = "working"):
        import threading

        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._tasks: dict[int, list] = {}
        self._default = description
        self._t0 = 0.0
        self._last = 0.0
        self._said = ""
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def __enter__(self):
        import time

        self._t0 = self._last = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        import time

        self._stop.set()
        self._thread.join(timeout=1.0)
        elapsed = time.monotonic() - self._t0
        if elapsed >= PLAIN_FIRST_S and exc[0] is None:
            self._line(f"done in {elapsed:,.0f} s")
        return False

    def _line(self, text: str) -> None:
        sys.stderr.write(f"bmdsim: {text}\n")
        sys.stderr.flush()

    def _text(self) -> str:
        parts = []
        for desc, done, total in self._tasks.values():
            if total:
                parts.append(f"{desc}: {done:,.0f}/{total:,.0f}")
            else:
                parts.append(str(desc))
        return "; ".join(parts) or self._default

    def _maybe_say(self, force: bool = False) -> None:
        import time

        now = time.monotonic()
        if now - self._t0 < PLAIN_FIRST_S:
            return
        text = self._text()
        first = not self._said  # the first line as soon as the work passes PLAIN_FIRST_S
        changed = text != self._said and now - self._last >= 1.0
        if force or first or changed or now - self._last >= PLAIN_EVERY_S:
            self._line(f"{text} ({now - self._t0:,.0f} s)")
            self._said, self._last = text, now

    def _beat(self) -> None:
        while not self._stop.wait(0.5):
            with self._lock:
                self._maybe_say()

    def add_task(self, description, total=None, **_):
        with self._lock:
            key = len(self._tasks)
            self._tasks[key] = [description, 0, total]
            return key

    def update(self, task, *, completed=None, total=None, description=None, advance=None, **_):
        with self._lock:
            entry = self._tasks[task]
            if description is not None:
                entry[0] = description
            if total is not None:
                entry[2] = total
            if completed is not None:
                entry[1] = completed
            if advance is not None:
                entry[1] += advance
            self._maybe_say()

    def advance(self, task, advance=1):
        self.update(task, advance=advance)


class NoProgress(PlainProgress):
    """Progress that prints nothing: stderr is neither a terminal nor a real stream."""

    def _line(self, text: str) -> None:
        pass


def _stderr_kind() -> str:
    """'terminal', 'stream' (a pipe or a file: plain lines) or 'captured' (an in-process
    capture such as a test runner's, with no file descriptor: nothing, so that a user
    error stays the only line there)."""
    if sys.stderr.isatty():
        return "terminal"
    try:
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return "captured"
    return "stream"


def progress(*columns, transient=True, **kwargs):
    """A rich Progress on a terminal, :class:`PlainProgress` on a pipe or a file."""
    kind = _stderr_kind()
    if kind == "terminal":
        from rich.progress import Progress

        return Progress(*columns, console=stderr(), transient=transient, **kwargs)
    return PlainProgress() if kind == "stream" else NoProgress()


def status(message: str):
    """A spinner with ``message`` on a terminal; plain lines after 2 s on a pipe."""
    kind = _stderr_kind()
    if kind == "terminal":
        return stderr().status(message)
    label = message.rstrip(". ")
    plain = PlainProgress(label) if kind == "stream" else NoProgress(label)
    plain.add_task(label)
    return plain


# ---------------------------------------------------------------------------------------
# tables at 80 columns


def fit_table(table, ids=()):
    """Make ``table`` usable at 80 columns without losing what a user must copy.

    Columns whose header is in ``ids`` hold ids (a site, a battery, a source): they never
    wrap, never fold and are never cut, so their minimum width is their longest first line
    (a cell may add a name on later lines, which wraps). Every other column wraps at spaces
    and folds a word longer than the column instead of cutting it with an ellipsis."""
    from rich.text import Text

    def first_line_len(cell) -> int:
        text = cell if isinstance(cell, Text) else Text.from_markup(str(cell))
        return max((Text(line).cell_len for line in text.plain.splitlines()[:1]), default=0)

    ids = set(ids)
    for col in table.columns:
        header = col.header if isinstance(col.header, str) else str(col.header)
        if header in ids:
            widths = [first_line_len(c) for c in col._cells] + [len(header)]
            col.min_width = max(widths)
            col.overflow = "fold"  # only a later line (a name) ever needs to wrap
        else:
            col.overflow = "fold"
    return table


def plain(value) -> str:
    """A value for a user: '' for None, never a Python repr ('TASS (None)')."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """'1 sensor', '2 sensors' (never '1 sensor entries')."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def wrap_indented(line: str, width: int = 80) -> str:
    """``line`` wrapped to ``width`` at spaces only (an id or a hyphenated word is never
    broken), continuation lines indented like the first (plus 2 after a '- ' item)."""
    import textwrap

    body = line.lstrip(" ")
    indent = " " * (len(line) - len(body))
    more = indent + ("  " if body.startswith("- ") else "")
    return "\n".join(
        textwrap.wrap(
            body,
            width=max(width, 20),
            initial_indent=indent,
            subsequent_indent=more,
            break_long_words=False,
            break_on_hyphens=False,
        )
        or [line]
    )


def answer(text: str) -> None:
    """The closing sentence(s) in words of a command, on stdout, wrapped at spaces."""
    typer.echo("")
    typer.echo(wrap_indented(text, stdout().width))
