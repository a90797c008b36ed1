"""Options that several commands share, spelled and explained once, and the checks every
option value passes before a command does any work.

A number option is declared with :func:`number` and a :mod:`bmdsim.domains` Domain: its
help states the domain, and a value outside it (NaN, an infinity, 1e309, a negative
delay, 1e9 decoys, a seed beyond 64 bits) ends the command with one line::

    error: --decision-delay-s: -300 s is outside its domain; allowed: 0 to 3,600 s (...)

Paths (``--out``, ``--csv``) are checked by :func:`check_out_dir` / :func:`check_out_file`
before any work: empty, too long, a file where a folder is meant, a FIFO or device, or a
folder that cannot be written are refused at once, not after an hour of computing.
Names (missiles, places, defences, sensors) are text without control characters, and
``SITE:SYSTEM`` pairs have both halves.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from bmdsim import domains
from bmdsim.errors import InputError

__all__ = [
    "BackendOpt",
    "FromOpt",
    "JsonOpt",
    "MissileOpt",
    "OutOpt",
    "check_out_dir",
    "check_out_file",
    "cue_at_option",
    "number",
    "pairs_option",
    "shape_option",
    "text_option",
]

NAME_MAX = 255  # bytes in one path component (Linux, macOS)
PATH_MAX = 4000  # bytes in a whole path, a little under Linux's 4096


def _fail(problem: str):
    raise typer.BadParameter(problem)


# -- numbers ---------------------------------------------------------------------------------


def number(domain: domains.Domain, *decls: str, help: str, unit: str | None = None, **kw):
    """A typer Option whose value(s) must lie in ``domain`` (in ``unit``, default the
    domain's own); the help ends with the domain."""

    def check(value):
        if value is None:
            return value
        for v in value if isinstance(value, list | tuple) else [value]:
            problem = domain.explain(v, unit=unit)[0]
            if problem is not None:
                _fail(problem)
        return value

    text = f"{help} Allowed: {domain.allowed(unit)}."
    return typer.Option(*decls, help=text, callback=check, **kw)


# -- text ------------------------------------------------------------------------------------


def _text(value, max_length: int) -> str:
    try:
        return domains.check_text(value, field="text", max_length=max_length)
    except InputError as exc:
        _fail(exc.message.removeprefix("text: "))


def text_option(*decls: str, help: str, max_length: int = 200, **kw):
    """A name (catalogue id, alias, site, "LAT,LON"): non-empty text without control
    characters, at most ``max_length`` characters."""

    def check(value):
        if value is None:
            return value
        if isinstance(value, list | tuple):
            return [_text(v, max_length) for v in value]
        return _text(value, max_length)

    return typer.Option(*decls, help=help, callback=check, **kw)


def _pair(value: str, what: str) -> str:
    text = _text(value, 200)
    site, colon, system = text.partition(":")
    if not site.strip() or (colon and not system.strip()) or ":" in system:
        _fail(
            f"{value!r} is not {what}: write SITE or SITE:SYSTEM, e.g. redzikowo:sm-3-iia "
            "(nothing may be empty around the colon)"
        )
    return text


def pairs_option(*decls: str, help: str, what: str, **kw):
    """Repeatable ``SITE`` / ``SITE:SYSTEM`` values (``-d``, ``--sensor``)."""

    def check(value):
        if value is None:
            return value
        return [_pair(v, what) for v in value]

    return typer.Option(*decls, help=help, callback=check, **kw)


def sites_option(**kw):
    """``reach --sites``: a tag, 'all' or comma-separated ids; never empty."""

    def check(value):
        text = _text(value, 2000)
        if any(not part.strip() for part in text.split(",")):
            _fail(f"{value!r} has an empty site name; write a tag (nato), 'all' or id,id")
        return text

    return typer.Option(
        help="Sites to test: a tag (nato, aimpoint, belarus...), 'all', or comma-separated ids.",
        callback=check,
        **kw,
    )


def shape_option(help: str, **kw):
    """A trajectory shape: minimum-energy | lofted | depressed | apogee=KM."""

    def check(value):
        try:
            return domains.check_shape(value, field="shape")
        except InputError as exc:
            _fail(exc.message.removeprefix("shape: "))

    return typer.Option(help=help, callback=check, **kw)


def cue_at_option(*decls: str, help: str, **kw):
    """``--cue-at``: 'burnout' or seconds after launch in ``domains.CUE_TIME``."""

    def check(value):
        if value is None or value.strip().lower() == "burnout":
            return value
        try:
            seconds = float(value)
        except ValueError:
            _fail(f"{value!r} is not 'burnout' or seconds after launch")
        problem = domains.CUE_TIME.explain(seconds)[0]
        if problem is not None:
            _fail(problem)
        return value

    return typer.Option(
        *decls, help=f"{help} Seconds: {domains.CUE_TIME.allowed()}.", callback=check, **kw
    )


# -- paths -----------------------------------------------------------------------------------

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFREG: "a file",
    stat.S_IFDIR: "a folder",
}


def _kind(path: Path) -> str | None:
    try:
        return _KINDS.get(stat.S_IFMT(os.stat(path).st_mode), "not a folder")
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}", field="path", value=str(path)) from None


def _check_lengths(text: str, what: str) -> Path:
    if not text or not text.strip():
        raise InputError(f"{what}: the path is empty", field=what, value=text, allowed="a path")
    if "\x00" in text:
        raise InputError(f"{what}: the path holds a NUL byte", field=what, value=text)
    path = Path(text).expanduser()
    for part in path.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise InputError(
                f"{what}: a name in the path is {len(os.fsencode(part)):,} bytes long; at most "
                f"{NAME_MAX} are allowed",
                field=what,
                value=text[:60],
                allowed=f"path components of at most {NAME_MAX} bytes",
            )
    if len(os.fsencode(str(path.absolute()))) > PATH_MAX:
        raise InputError(
            f"{what}: the path is longer than {PATH_MAX:,} bytes",
            field=what,
            value=text[:60],
            allowed=f"at most {PATH_MAX} bytes",
        )
    return path


def _nearest_existing(path: Path) -> Path:
    a = path.absolute()
    while _kind(a) is None and a != a.parent:
        a = a.parent
    return a


def _probe(folder: Path, what: str, target: Path) -> None:
    """Create and remove a temporary folder in ``folder``: the one test that a folder can
    be written that holds for root too (os.access says yes to /proc)."""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".bmdsim-probe-", dir=folder))
    except OSError as exc:
        raise InputError(
            f"{what}: cannot write {target}: nothing can be created in {folder} ({exc.strerror})",
            field=what,
            value=str(target),
            allowed="a folder you can write",
        ) from None


def check_out_dir(text: str | os.PathLike | None, what: str = "--out") -> Path | None:
    """The output folder ``text``, checked before any work: non-empty, not too long, an
    existing folder or a path whose nearest existing parent is a writable folder; never a
    file, FIFO or device. Creates nothing."""
    if text is None:
        return None
    path = _check_lengths(os.fspath(text), what)
    kind = _kind(path)
    if kind is not None and kind != "a folder":
        raise InputError(
            f"{what}: {path} is {kind}, not a folder",
            field=what,
            value=str(path),
            allowed="a folder (it is created if missing)",
        )
    parent = path if kind is not None else _nearest_existing(path)
    parent_kind = _kind(parent)
    if parent_kind != "a folder":
        raise InputError(
            f"{what}: cannot create {path}: {parent} is {parent_kind}, not a folder",
            field=what,
            value=str(path),
            allowed="a folder (it is created if missing)",
        )
    _probe(parent, what, path)
    return path


def check_out_file(text: str | os.PathLike | None, what: str) -> Path | None:
    """An output file (``--csv``): its folder as :func:`check_out_dir`, and the file
    itself, if it exists, a regular file (never a FIFO, device or folder)."""
    if text is None:
        return None
    path = _check_lengths(os.fspath(text), what)
    kind = _kind(path)
    if kind is not None and kind != "a file":
        raise InputError(
            f"{what}: {path} is {kind}, not a file",
            field=what,
            value=str(path),
            allowed="a file path",
        )
    check_out_dir(path.parent if str(path.parent) else ".", what)
    return path


def parse_out_dir(value) -> Path | None:
    """``--out``'s parser: the raw text checked by :func:`check_out_dir` (typer's Path type
    would turn '' into '.', the current folder)."""
    if value is None or isinstance(value, Path):
        return value
    try:
        return check_out_dir(value, "path")
    except InputError as exc:
        _fail(exc.message.removeprefix("path: "))


def parse_out_file(value) -> Path | None:
    """``--csv``'s parser: :func:`check_out_file`."""
    if value is None or isinstance(value, Path):
        return value
    try:
        return check_out_file(value, "path")
    except InputError as exc:
        _fail(exc.message.removeprefix("path: "))


# -- the shared options ----------------------------------------------------------------------

MissileOpt = Annotated[
    str,
    text_option(
        "--missile",
        "-m",
        max_length=4000,
        help="Catalogue id or alias (iskander-m, 'SS-26', palanez...) or a vehicle YAML file.",
    ),
]
FromOpt = Annotated[
    str,
    text_option(
        "--from",
        help="Launch point: catalogue site id/alias "
        "(brest, kaliningrad, teykovo...) or LAT,LON in degrees.",
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Print only JSON on stdout (stable fields: see docs/outputs.md)."),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        parser=parse_out_dir,
        help="Folder for plots, map, GeoJSON, KML and CSV (created; checked writable first).",
    ),
]
# The reference backend (scipy DOP853) is the test suite's yardstick through the Python
# API; it records no trajectory steps, so no command can build a Trajectory with it.
BACKENDS = ("auto", "cpu", "cuda")


def _backend(value):
    if value is not None and value not in BACKENDS:
        hint = (
            " (reference, scipy DOP853, is for checks through the Python API: it records no "
            "trajectory for a command to print)"
            if value == "reference"
            else ""
        )
        _fail(f"unknown backend {value!r}; allowed: {', '.join(BACKENDS)}{hint}")
    return value


ViaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--via",
        help="Cruise missiles: a waypoint (LAT,LON or site) on the route; repeat the "
        "option for more, in order.",
    ),
]
BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        callback=_backend,
        help="auto (CUDA when an NVIDIA GPU is present, else cpu), cpu (numba, all cores) or "
        "cuda (NVIDIA GPU, the [gpu] extra).",
    ),
]
