"""Read a YAML file a user gives (scenario, vehicle, catalogue) without being fooled by it.

Before ruamel.yaml builds anything, a file must be

* a regular file (a FIFO would block the read for ever, a device never ends),
* at most ``max_bytes`` long,
* UTF-8 text without NUL bytes (a Latin-1 or binary file is refused by its content,
  never echoed),
* no deeper than ``max_depth`` nested collections (1,000 levels exhaust Python's stack),
* and no larger than ``max_nodes`` nodes once its aliases are expanded: a 447-byte
  "billion laughs" file of nine nested aliases expands to 387 million nodes, which the
  validation that follows would build one by one (1 GB and 15 s; ten levels exhaust
  memory). The expansion is counted on the parser's event stream, where an alias costs
  the size of its anchor and nothing is built.

The event scan uses libyaml (PyYAML's C parser) where it is installed, else ruamel's own
parser; the document itself is then read by ruamel.yaml (YAML 1.2, round trip, so line
numbers survive for error messages). Every refusal is one line naming the file, and
never quotes the file's lines.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "load_yaml_text",
    "read_text_file",
    "read_yaml_file",
    "short_key",
    "unknown_keys_refusal",
]

MAX_BYTES = 1 << 20  # 1 MiB: the largest shipped catalogue file is 36 kB, a scenario ~3 kB
MAX_DEPTH = 64  # nested collections; the catalogue's deepest entry is ~6
MAX_NODES = 1_000_000  # nodes after alias expansion; the whole shipped catalogue has ~20,000

_KIND_NAMES = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def _error(error, label: str, message: str):
    return error(f"{label}: {message}", field="file", value=label)


def read_text_file(path, *, label: str | None = None, error=ValueError, max_bytes=MAX_BYTES):
    """The UTF-8 text of the regular file ``path`` (a BOM is dropped), at most
    ``max_bytes`` long; ``error`` (a BmdsimError class) for anything else."""
    path = Path(path)
    label = label or str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _error(error, label, "cannot read: no such file") from None
    except OSError as exc:
        raise _error(error, label, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = _KIND_NAMES.get(stat.S_IFMT(st.st_mode), "not a regular file")
        raise _error(error, label, f"is {kind}, not a YAML file")
    if st.st_size > max_bytes:
        raise _error(
            error, label, f"is {st.st_size:,} bytes; a YAML input may hold at most {max_bytes:,}"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the stat
                raise _error(error, label, "is not a regular file")
            with os.fdopen(fd, "rb", closefd=False) as f:
                data = f.read(max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _error(error, label, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise _error(error, label, f"is longer than {max_bytes:,} bytes")
    return decode_text(data, label=label, error=error)


def decode_text(data: bytes, *, label: str, error=ValueError) -> str:
    """``data`` as UTF-8 text; refuse binary (NUL bytes) and other encodings by content."""
    if b"\x00" in data:
        raise _error(error, label, "is not a text file (it holds NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error(
            error,
            label,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line}); save it as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def _events(text: str):
    """The parser's event stream: libyaml's where PyYAML has it (fast, in C), else
    ruamel's. Yields ('start', anchor) / ('end', None) / ('scalar', anchor) /
    ('alias', anchor)."""
    try:
        import yaml as pyyaml

        loader = pyyaml.CSafeLoader
    except (ImportError, AttributeError):
        loader = None
    if loader is not None:
        try:
            for ev in pyyaml.parse(text, Loader=loader):
                yield _kind(ev)
            return
        except pyyaml.YAMLError as exc:
            if "maximum nesting depth" in str(exc):
                yield ("too-deep", None)
                return
            # libyaml (YAML 1.1) disagrees with this file: let ruamel's parser decide,
            # from the start
            yield ("restart", None)
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    for ev in yaml.parse(text):
        yield _kind(ev)


def _kind(ev) -> tuple[str, Any]:
    name = type(ev).__name__
    anchor = getattr(ev, "anchor", None)
    if name in ("MappingStartEvent", "SequenceStartEvent"):
        return ("start", anchor)
    if name in ("MappingEndEvent", "SequenceEndEvent"):
        return ("end", None)
    if name == "ScalarEvent":
        return ("scalar", anchor)
    if name == "AliasEvent":
        return ("alias", anchor)
    return ("other", None)


def check_structure(text: str, *, label: str, error, max_depth=MAX_DEPTH, max_nodes=MAX_NODES):
    """Refuse ``text`` whose nesting exceeds ``max_depth`` or whose nodes, aliases
    expanded, exceed ``max_nodes``; parse errors are left to the loader."""
    sizes: dict[Any, int] = {}  # anchor -> expanded size of its node
    stack: list[list] = []  # open collections: [anchor, size so far]
    total = 0

    def add(n: int):
        nonlocal total
        total += n
        if stack:
            stack[-1][1] += n
        if total > max_nodes:
            raise _error(
                error,
                label,
                f"expands to more than {max_nodes:,} nodes (aliases of aliases?); a YAML "
                "input may hold at most that many",
            )

    too_deep = _error(
        error, label, f"nests deeper than {max_depth} levels; a YAML input may nest at most that"
    )
    try:
        for kind, anchor in _events(text):
            if kind == "start":
                stack.append([anchor, 0])
                if len(stack) > max_depth:
                    raise too_deep
            elif kind == "end" and stack:
                anchor, size = stack.pop()
                size += 1
                if anchor is not None:
                    sizes[anchor] = size
                add(size)
            elif kind == "scalar":
                if anchor is not None:
                    sizes[anchor] = 1
                add(1)
            elif kind == "alias":
                add(sizes.get(anchor, 1))
            elif kind == "too-deep":
                raise too_deep
            elif kind == "restart":
                sizes.clear()
                stack.clear()
                total = 0
    except Exception as exc:
        if isinstance(exc, error):
            raise
        # a syntax error: ruamel reports it with its line when it loads the text


def load_yaml_text(
    text: str, *, label: str, error, max_depth=MAX_DEPTH, max_nodes=MAX_NODES
) -> Any:
    """ruamel.yaml's round-trip document (YAML 1.2) for ``text``, after
    :func:`check_structure`; a syntax error is ``error`` naming ``label`` and its line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    check_structure(text, label=label, error=error, max_depth=max_depth, max_nodes=max_nodes)
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f"{mark.line + 1}:" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        detail = f"{problem} ({context})" if context and context not in problem else problem
        detail = " ".join(str(detail).split())[:200]
        raise error(f"{label}:{line} not valid YAML: {detail}", field="file", value=label) from None
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. an integer of 5,000 digits
        raise _error(error, label, f"cannot be read as YAML ({type(exc).__name__})") from None
    except RecursionError:  # pragma: no cover - check_structure refuses deep files first
        raise _error(error, label, f"nests deeper than {max_depth} levels") from None


def read_yaml_file(path, *, label: str | None = None, error, max_bytes=MAX_BYTES, **limits):
    """(text, document) of the YAML file ``path``: :func:`read_text_file` then
    :func:`load_yaml_text`."""
    label = label or str(path)
    text = read_text_file(path, label=label, error=error, max_bytes=max_bytes)
    return text, load_yaml_text(text, label=label, error=error, **limits)


def short_key(key: Any, limit: int = 40) -> str:
    """A key of a user's file for a message: repr'd, one line, at most ``limit`` chars."""
    text = repr(str(key))
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def unknown_keys_refusal(doc: Any, known, *, label: str, what: str, error) -> None:
    """Refuse a mapping none of whose top-level keys is a field of ``what`` (a scenario,
    a vehicle file): such a file is something else (a password file, a log) and its keys,
    which are its lines, are not echoed one by one."""
    if not isinstance(doc, dict) or not doc:
        return
    known = set(known)
    if not any(str(k) in known for k in doc):
        raise _error(
            error,
            label,
            f"does not look like {what}: none of its {len(doc):,} top-level keys is a field "
            f"of {what} ({', '.join(sorted(known))})",
        )
