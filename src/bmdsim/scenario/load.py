"""Read a scenario YAML file (ruamel.yaml, YAML 1.2) and report every problem with its line.

The file is read by ``bmdsim.yaml_reader`` (a regular UTF-8 file of at most 1 MiB, at
most 64 levels deep and a million nodes with its aliases expanded: a FIFO, a Latin-1
file, an alias bomb or a 1,000-level nesting is one error line, not a hang, a traceback
or a gigabyte). A file none of whose keys is a scenario field is refused without
echoing its keys (they are the lines of whatever file it is).

Each error is a :class:`~bmdsim.scenario.schema.ScenarioError` whose message names the
file, the line, the field and what is allowed, one problem a line::

    europe.yaml:14: threats[2].shape: 'loft' is not one of minimum-energy, lofted, ...
    europe.yaml:3: unknown field 'threat'; allowed fields: name, description, epoch, ...
    europe.yaml:21: threats[0].missile: no missile named 'yarz'; did you mean: rs-24-yars?

:func:`scenario_hash` is the stable identity of a scenario for the results store.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bmdsim import yaml_reader
from bmdsim.errors import ScenarioError
from bmdsim.scenario.references import ReferenceProblems, loc_text
from bmdsim.scenario.schema import Scenario

__all__ = ["load_scenario", "parse_scenario", "scenario_hash"]


def _read(text: str, label: str) -> Any:
    return yaml_reader.load_yaml_text(text, label=label, error=ScenarioError)


def _show(value: Any) -> str:
    """A value from the user's file in a message: one line, at most 60 characters."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a huge number"
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers and scalars as plain Python (dict, list, str...)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, datetime.datetime):
        return datetime.datetime(*node.timetuple()[:6], node.microsecond, tzinfo=node.tzinfo)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _line_of(node: Any, loc: Sequence[Any]) -> int | None:
    """1-based line of the deepest key or item on ``loc`` that exists in ``node``."""
    line = None
    for step in loc:
        if isinstance(node, CommentedMap) and step in node:
            line = node.lc.key(step)[0] + 1
            node = node[step]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
            line = node.lc.item(step)[0] + 1
            node = node[step]
        else:
            break
    return line


# ---------------------------------------------------------------------------------------
# pydantic locations -> the fields a user wrote


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional (X | None) from an annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def _tag_of(member: Any) -> str | None:
    if typing.get_origin(member) is typing.Annotated:
        for meta in typing.get_args(member)[1:]:
            tag = getattr(meta, "tag", None)
            if isinstance(tag, str):
                return tag
        return _tag_of(typing.get_args(member)[0])
    if isinstance(member, type) and issubclass(member, BaseModel):
        return member.__name__
    return None


def _field_by_key(model: type[BaseModel], key: str):
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _walk(model: type[BaseModel], loc: Sequence[Any]) -> tuple[tuple, Any]:
    """The user's keys along a pydantic error ``loc`` (union tags dropped) and the
    annotation found at its end (a model class when the end is a model)."""
    clean: list[Any] = []
    current: Any = model
    for step in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = _field_by_key(current, step) if isinstance(step, str) else None
            clean.append(step)
            current = info.annotation if info is not None else None
            if info is not None and info.metadata:
                current = typing.Annotated[(current, *info.metadata)]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [m for m in typing.get_args(current) if m is not type(None)]
            chosen = next((m for m in members if _tag_of(m) == step), None)
            if chosen is not None:
                current = chosen
                continue
            if isinstance(step, str) and not isinstance(step, int):
                # a union member's type name ('str', 'list[str]'): not the user's key
                current = None
                continue
        if origin is list and isinstance(step, int):
            clean.append(step)
            current = typing.get_args(current)[0]
            continue
        if origin is dict:
            clean.append(step)
            current = typing.get_args(current)[1]
            continue
        if current is None and isinstance(step, str) and step in ("str", "float", "int"):
            continue
        clean.append(step)
        current = None
    return tuple(clean), _unwrap(current) if current is not None else None


def _keys_of(model: Any) -> list[str] | None:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or name for name, info in model.model_fields.items()]
    return None


def _expected(ctx: dict) -> list[str] | None:
    if "expected" not in ctx:
        return None
    return [s.strip(" '\"") for s in str(ctx["expected"]).replace(" or ", ",").split(",")]


_TYPES = {  # pydantic error type -> what the value is not (strict: no silent conversion)
    "finite_number": "is not a finite number",
    "float_type": "is not a number",
    "int_type": "is not a whole number",
    "int_from_float": "is not a whole number",
    "bool_type": "is not true or false",
    "string_type": "is not text",
}
_BOUNDS = {  # pydantic error type -> (ctx key, symbol)
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}


def _problems(exc: ValidationError, raw: Any, label: str) -> list[tuple[str, str, str, Any, Any]]:
    """(where, field, message, value, allowed) for each error, in file order."""
    out = []
    for err in exc.errors(include_url=False):
        kind = err["type"]
        ctx = err.get("ctx") or {}
        error = ctx.get("error")
        if isinstance(error, ReferenceProblems):
            for loc, message, value, allowed in error.problems:
                line = _line_of(raw, loc) or 1
                field = loc_text(loc)
                text = f"{field}: {message}" if field else message
                out.append((line, field, text, value, allowed))
            continue
        loc, holder = _walk(Scenario, err["loc"])
        value = err.get("input")
        allowed = None
        if kind in ("missing", "extra_forbidden"):
            parent, name = loc[:-1], loc[-1]
            field = loc_text(parent)
            parent_model = _walk(Scenario, err["loc"][:-1])[1]
            allowed = _keys_of(parent_model)
            if kind == "missing":
                message = f"field {name!r} is required"
                line = _line_of(raw, parent)
                value = None
            else:
                message = f"unknown field {yaml_reader.short_key(name)}"
                if allowed:
                    message += f"; allowed fields: {', '.join(allowed)}"
                line = _line_of(raw, loc)
        else:
            field = loc_text(loc)
            line = _line_of(raw, loc)
            allowed = _expected(ctx)
            bound = ctx.get(_BOUNDS[kind][0]) if kind in _BOUNDS else None
            if kind == "literal_error" and allowed:
                message = f"{_show(value)} is not one of {', '.join(allowed)}"
            elif kind in _BOUNDS and bound is not None:
                message = f"{_show(value)} must be {_BOUNDS[kind][1]} {bound}"
                allowed = f"{_BOUNDS[kind][1]} {bound}"
            elif kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
                message = (
                    f"{value!r} is not a valid id: lower-case letters and digits in words "
                    "joined by single hyphens, e.g. my-site"
                )
                allowed = ctx.get("pattern")
            elif kind in _TYPES:
                message = f"{_show(value)} {_TYPES[kind]}"
            elif kind in ("model_type", "model_attributes_type", "dict_type") and _keys_of(holder):
                allowed = _keys_of(holder)
                message = f"expected a mapping with the fields {', '.join(allowed)}"
            else:
                message = err["msg"].removeprefix("Value error, ")
                if (
                    value is not None
                    and not isinstance(value, dict | list)
                    and (
                        kind.endswith(("_parsing", "_type", "greater_than", "less_than"))
                        or kind.startswith(("greater_than", "less_than"))
                    )
                ):
                    message = f"{_show(value)}: {message}"
        if isinstance(value, dict | list):
            value = None
        out.append((line or 1, field, f"{field}: {message}" if field else message, value, allowed))
    # file order, then as pydantic reported them
    out.sort(key=lambda p: p[0])
    return [
        (f"{label}:{line}", field, msg, value, allowed) for line, field, msg, value, allowed in out
    ]


def parse_scenario(
    text: str,
    *,
    label: str = "<scenario>",
    base_dir: str | Path | None = None,
    catalogue=None,
) -> Scenario:
    """Validate scenario YAML ``text``; errors name ``label`` and the line.
    ``base_dir``: where relative vehicle-file paths are read from (default: cwd)."""
    raw = _read(text, label)
    yaml_reader.unknown_keys_refusal(
        raw, _keys_of(Scenario) or [], label=label, what="a scenario", error=ScenarioError
    )
    if not isinstance(raw, CommentedMap):
        keys = _keys_of(Scenario) or []
        line = getattr(getattr(raw, "lc", None), "line", 0) + 1
        what = "empty" if raw is None else f"a {type(raw).__name__}"
        raise ScenarioError(
            f"{label}:{line}: a scenario is a mapping with the fields {', '.join(keys)} "
            f"(this is {what})",
            field="file",
            value=label,
            allowed=keys,
        )
    context = {
        "catalogue": catalogue,
        "base_dir": Path(base_dir) if base_dir is not None else Path.cwd(),
        "source": label,
    }
    try:
        scn = Scenario.model_validate(_plain(raw), context=context)
    except ValidationError as exc:
        problems = _problems(exc, raw, label)
        where, field, message, value, allowed = problems[0]
        lines = [f"{w}: {m}" for w, _, m, _, _ in problems]
        raise ScenarioError("\n".join(lines), field=field, value=value, allowed=allowed) from None
    _check_min_ranges(scn, raw, label, catalogue)
    return scn


def _check_min_ranges(scn: Scenario, raw, label: str, catalogue) -> None:
    """Refuse a threat whose target lies inside its missile's catalogue minimum range
    (launch points only: a launch area's points differ)."""
    from bmdsim.scenario.plausibility import min_range_problem
    from bmdsim.scenario.references import scenario_catalogue

    lines = []
    cat = None
    for i, t in enumerate(scn.threats):
        if t.launch_area is not None or t.is_file:
            continue
        cat = cat or scenario_catalogue(scn, catalogue)
        problem = min_range_problem(t.missile, t.launch_point, t.target, cat)
        if problem:
            line = _line_of(raw, ("threats", i, "to")) or 1
            lines.append(f"{label}:{line}: threats[{i}].to: {problem}")
    if lines:
        raise ScenarioError("\n".join(lines), field="threats", value=None)


def load_scenario(path: str | Path, *, catalogue=None) -> Scenario:
    """Read and validate the scenario file ``path`` (names checked against ``catalogue``,
    default the shipped one). Raises :class:`ScenarioError` naming file, line, field and
    what is allowed; relative vehicle-file paths are read from the file's folder."""
    path = Path(path)
    label = str(path)
    text = yaml_reader.read_text_file(path, label=label, error=ScenarioError)
    return parse_scenario(text, label=label, base_dir=path.resolve().parent, catalogue=catalogue)


def _canonical(obj: Any) -> Any:
    if isinstance(obj, float):
        if math.isfinite(obj) and obj == int(obj) and abs(obj) < 2**53:
            return int(obj)  # 30 and 30.0 hash alike
        return obj
    if isinstance(obj, dict):
        return {k: _canonical(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_canonical(v) for v in obj]
    return obj


def scenario_hash(scenario: Scenario) -> str:
    """Stable sha256 (hex) of the scenario's normalised content: every field with its
    defaults filled in, keys sorted, numbers canonical (30 == 30.0), plus the contents of
    the vehicle files it names. Formatting, comments and key order in the file do not
    change it; any value that changes results does. Left out, as they change how much
    is computed, where, or what is written, not any row of a results store:
    ``uncertainty.samples``, ``backend`` and ``outputs`` (so a store can be extended with
    more samples, or resumed on a GPU), and ``claims`` (published flight-time claims
    only annotate the report)."""
    dump = scenario.model_dump(mode="json", by_alias=True)
    dump.pop("backend", None)
    dump.pop("outputs", None)
    dump.pop("claims", None)
    dump.get("uncertainty", {}).pop("samples", None)
    for threat in dump.get("threats", []):  # no waypoints: the hash it had before via:
        if not threat.get("via"):
            threat.pop("via", None)
    content = _canonical(dump)
    files: dict[str, str] = {}
    specs = [t for t in scenario.threats] + list(scenario.analyses.reach)
    for item in specs:
        spec = item.missile
        if not str(spec).lower().endswith((".yaml", ".yml")):
            continue
        path = Path(spec).expanduser()
        if not path.is_absolute() and scenario.base_dir is not None:
            path = scenario.base_dir / path
        try:
            files[spec] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            files[spec] = "missing"
    payload = json.dumps(
        {"scenario": content, "vehicle_files": files},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
