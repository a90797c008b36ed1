"""Load and validate catalogue YAML; refuse an uncited number; record user overrides.

Files are read with ruamel.yaml (YAML 1.2, so ``NO`` stays the string "NO") in
round-trip mode, which keeps the line of every key; a validation error is reported as
``missiles.yaml:42: iskander-m.stages[0].isp_vac: field 'source' is required``.

A catalogue document is a mapping with any of the keys ``sources``, ``aero_tables``,
``motor_classes``, ``interceptors``, ``radars``, ``sensors``, ``sites``, ``missiles`` and
``doctrine``, each a list of entries. Shipped files hold one kind each;
a user file may hold several. Entries in user files (``extra_paths``) add to the
shipped ones, or replace an entry with the same id; each replacement is recorded in
``Catalogue.overrides`` so that outputs can say which numbers were not the defaults.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bmdsim import yaml_reader
from bmdsim.catalogue.air import Aircraft, CruiseMissile
from bmdsim.catalogue.doctrine import DoctrineEntry
from bmdsim.catalogue.schema import (
    AeroTable,
    Interceptor,
    Missile,
    MotorClass,
    Quantity,
    Radar,
    Sensor,
    Site,
    SiteSystem,
    Source,
)
from bmdsim.errors import CatalogueError, UnknownEntryError, VehicleFileError

__all__ = [
    "KINDS",
    "SYSTEM_KINDS",
    "Catalogue",
    "Override",
    "default_catalogue",
    "load_catalogue",
    "load_missile_file",
    "normalise_name",
]

# kind -> (key in a catalogue document, model). Order matters: sources first, then the
# tables that later kinds refer to (Cd tables for missiles; interceptors, radars and
# sensors for the systems deployed at sites).
_KIND_MODELS: dict[str, tuple[str, type[BaseModel]]] = {
    "source": ("sources", Source),
    "aero_table": ("aero_tables", AeroTable),
    "motor_class": ("motor_classes", MotorClass),
    "interceptor": ("interceptors", Interceptor),
    "radar": ("radars", Radar),
    "sensor": ("sensors", Sensor),
    "site": ("sites", Site),
    "missile": ("missiles", Missile),
    "doctrine": ("doctrine", DoctrineEntry),
    "cruise_missile": ("cruise_missiles", CruiseMissile),
    "aircraft": ("aircraft", Aircraft),
}
# kinds that a site's `systems:` may name
SYSTEM_KINDS: tuple[str, ...] = ("interceptor", "radar", "sensor")
# kinds whose entries may carry their own `sources:` list
_OWN_SOURCES = ("missile", "interceptor", "radar", "sensor", "cruise_missile", "aircraft")
KINDS: tuple[str, ...] = tuple(_KIND_MODELS)
_KIND_OF_KEY = {key: kind for kind, (key, _) in _KIND_MODELS.items()}
_SHIPPED_FILES = (
    "sources.yaml",
    "aero.yaml",
    "motors.yaml",
    "interceptors.yaml",
    "radars.yaml",
    "sensors.yaml",
    "sites.yaml",
    "missiles.yaml",
    "doctrine.yaml",
    "cruise.yaml",
    "aircraft.yaml",
)

# Letters that Unicode does not decompose into ASCII plus a combining mark.
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "đ": "d", "ı": "i"})


def normalise_name(name: str) -> str:
    """Fold a name for lookup: case, accents, spaces, hyphens and ASCII punctuation
    ignored, so that "SS-26", "ss 26" and "Ss_26" match, and "Łask" matches "lask". Any
    other character (an en dash, a Cyrillic letter) is kept, so it matches only a name
    that has it: "iskander–m" (en dash) is no silent "iskander-m" but a "did you mean"."""
    text = unicodedata.normalize("NFKD", name.translate(_FOLD))
    out = []
    for ch in text.casefold():
        if ch.isascii():
            if ch.isalnum():
                out.append(ch)
        elif unicodedata.category(ch) != "Mn":  # combining accents (é = e + ´) are dropped
            out.append(ch)
    return "".join(out)


class Override(NamedTuple):
    """A catalogue entry replaced by one from a user file."""

    kind: str
    id: str
    file: str


# ---------------------------------------------------------------------------------------
# reading YAML with line numbers


def _read_yaml(path: Path, label: str, error: type[Exception]):
    """The round-trip YAML document of ``path``, read with ``bmdsim.yaml_reader``'s limits
    (a regular UTF-8 file, size, nesting and alias expansion bounded)."""
    return yaml_reader.read_yaml_file(path, label=label, error=error)[1]


def _line_of(node: Any, loc: Sequence[str | int]) -> int | None:
    """1-based line of the deepest key or item on ``loc`` that exists in ``node``."""
    line = None
    for step in loc:
        if isinstance(node, CommentedMap) and step in node:
            line = node.lc.key(step)[0] + 1
            node = node[step]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
            line = node.lc.item(step)[0] + 1
            node = node[step]
        else:
            break
    return line


def _node_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return None if lc is None else lc.line + 1


def loc_text(entry_id: str | None, loc: Sequence[str | int]) -> str:
    text = entry_id or ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model class found by walking ``loc`` down from ``model``."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(step)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _inner_model(origin) if origin is not None and origin is not annotation else None


@dataclass(frozen=True)
class _Problem:
    where: str
    message: str
    field: str
    value: Any
    allowed: list[str] | None


def _problems(
    exc: ValidationError,
    model: type[BaseModel],
    raw: Any,
    label: str,
    entry_id: str | None,
    base_loc: Sequence[str | int] = (),
) -> list[_Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        allowed = None
        if kind in ("missing", "extra_forbidden"):
            parent, name = loc[:-1], loc[-1]
            field_text = loc_text(entry_id, (*base_loc, *parent))
            holder = _model_at(model, parent)
            if holder is not None:
                allowed = list(holder.model_fields)
            if kind == "missing":
                message = f"field {name!r} is required"
            else:
                message = f"unknown field {name!r}"
                if allowed:
                    message += f"; allowed fields: {', '.join(allowed)}"
            line = _line_of(raw, parent) if kind == "missing" else _line_of(raw, loc)
        else:
            field_text = loc_text(entry_id, (*base_loc, *loc))
            message = err["msg"].removeprefix("Value error, ")
            line = _line_of(raw, loc)
            ctx = err.get("ctx") or {}
            if "expected" in ctx:
                allowed = [
                    s.strip(" '") for s in str(ctx["expected"]).replace(" or ", ",").split(",")
                ]
        if line is None:
            line = _node_line(raw)
        where = f"{label}:{line}" if line is not None else label
        value = err.get("input") if kind != "missing" else None
        if isinstance(value, dict | list):
            value = None
        out.append(
            _Problem(
                where,
                f"{field_text}: {message}" if field_text else message,
                field_text,
                value,
                allowed,
            )
        )
    return out


def _raise(problems: list[_Problem], error: type[Exception]) -> None:
    first = problems[0]
    lines = [f"{p.where}: {p.message}" for p in problems]
    raise error("\n".join(lines), field=first.field, value=first.value, allowed=first.allowed)


# ---------------------------------------------------------------------------------------
# the catalogue


@dataclass
class Catalogue:
    """Validated catalogue entries by kind and id, with alias lookups.

    ``missiles``, ``sites``, ``sources``, ``aero_tables``, ``interceptors``, ``radars``,
    ``sensors`` and ``doctrine`` are dicts by id; ``overrides`` lists the entries that user
    files replaced; ``files`` the files read.
    """

    sources: dict[str, Source] = field(default_factory=dict)
    aero_tables: dict[str, AeroTable] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    missiles: dict[str, Missile] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    interceptors: dict[str, Interceptor] = field(default_factory=dict)
    radars: dict[str, Radar] = field(default_factory=dict)
    sensors: dict[str, Sensor] = field(default_factory=dict)
    doctrine: dict[str, DoctrineEntry] = field(default_factory=dict)
    motor_classes: dict[str, MotorClass] = field(default_factory=dict)
    cruise_missiles: dict[str, CruiseMissile] = field(default_factory=dict)
    aircraft: dict[str, Aircraft] = field(default_factory=dict)
    _names: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return (
            f"Catalogue({len(self.missiles)} missiles, {len(self.sites)} sites, "
            f"{len(self.interceptors)} interceptors, {len(self.radars)} radars, "
            f"{len(self.sensors)} sensors, "
            f"{len(self.doctrine)} doctrine entries, {len(self.cruise_missiles)} cruise missiles, "
            f"{len(self.aircraft)} aircraft, "
            f"{len(self.sources)} sources, {len(self.aero_tables)} Cd tables, "
            f"{len(self.overrides)} overrides)"
        )

    def _table(self, kind: str) -> dict[str, Any]:
        kind = _kind_name(kind)
        return getattr(self, _KIND_MODELS[kind][0])

    def entries(self, kind: str) -> list[Any]:
        """All entries of ``kind`` ('missile', 'site', 'source', 'aero_table',
        'interceptor', 'radar', 'sensor', 'doctrine'; plurals ok)."""
        return list(self._table(kind).values())

    def lookup(self, kind: str, name: str):
        """The entry of ``kind`` whose id or alias matches ``name`` (case, spaces,
        hyphens and underscores ignored); :class:`UnknownEntryError` otherwise."""
        kind = _kind_name(kind)
        table = self._table(kind)
        if name in table:
            return table[name]
        names = self._names.get(kind, {})
        key = normalise_name(str(name))
        if key in names:
            return table[names[key]]
        close_keys = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
        close: list[str] = []
        for k in close_keys:
            if names[k] not in close:
                close.append(names[k])
        label = kind.replace("_", " ")
        if close:
            message = f"no {label} named {name!r}; did you mean: {', '.join(close)}?"
        else:
            message = f"no {label} named {name!r}; known: {', '.join(sorted(table))}"
        raise UnknownEntryError(message, field=kind, value=name, allowed=close or sorted(table))

    def missile(self, name: str) -> Missile:
        """A missile by id or alias: ``missile("SS-26")`` is ``iskander-m``."""
        return self.lookup("missile", name)

    def cruise_missile(self, name: str) -> CruiseMissile:
        """A cruise missile or stand-off weapon by id or alias: ``cruise_missile("AS-4")``
        is ``kh-22`` (``cruise.yaml``)."""
        return self.lookup("cruise_missile", name)

    def carrier(self, name: str) -> Aircraft:
        """An aircraft by id or alias: ``carrier("Backfire")`` is ``tu-22m3``."""
        return self.lookup("aircraft", name)

    def site(self, name: str) -> Site:
        """A site by id or alias: ``site("Bobruysk")`` is ``babruysk``."""
        return self.lookup("site", name)

    def interceptor(self, name: str) -> Interceptor:
        """An interceptor by id or alias: ``interceptor("SM-3 Block IB")`` is ``sm-3-ib``."""
        return self.lookup("interceptor", name)

    def radar(self, name: str) -> Radar:
        """A radar by id or alias: ``radar("Big Bird")`` is ``91n6``."""
        return self.lookup("radar", name)

    def sensor(self, name: str) -> Sensor:
        """A non-radar sensor by id or alias (early-warning satellites)."""
        return self.lookup("sensor", name)

    def system(self, name: str) -> Interceptor | Radar | Sensor:
        """An interceptor, radar or sensor by id or alias (what a site's ``systems`` name).

        Raises :class:`UnknownEntryError` with the closest names over all three kinds."""
        for kind in SYSTEM_KINDS:
            try:
                return self.lookup(kind, name)
            except UnknownEntryError:
                continue
        names: dict[str, str] = {}
        for kind in SYSTEM_KINDS:
            names.update(self._names.get(kind, {}))
        close: list[str] = []
        for k in difflib.get_close_matches(normalise_name(str(name)), list(names), n=5):
            if names[k] not in close:
                close.append(names[k])
        known = sorted(set(self.interceptors) | set(self.radars) | set(self.sensors))
        label = f"no interceptor, radar or sensor named {name!r}"
        if close:
            message = f"{label}; did you mean: {', '.join(close)}?"
        else:
            message = f"{label}; known: {', '.join(known)}"
        raise UnknownEntryError(message, field="system", value=name, allowed=close or known)

    def systems_at(self, site: str | Site) -> list[tuple[SiteSystem, Interceptor | Radar | Sensor]]:
        """What is deployed at ``site`` (id, alias or Site): (deployment, entry) pairs."""
        site = site if isinstance(site, Site) else self.site(site)
        return [(s, self.system(s.system)) for s in site.systems]

    def sites_with(
        self, system: str, include_notional: bool = True
    ) -> list[tuple[Site, SiteSystem]]:
        """The sites where the interceptor/radar/sensor ``system`` (id or alias) is
        deployed, with the deployment; notional deployments only if ``include_notional``."""
        entry = self.system(system)
        out = []
        for site in self.sites.values():
            for dep in site.systems:
                if dep.system == entry.id and (include_notional or not dep.notional):
                    out.append((site, dep))
        return out

    def doctrine_entry(self, name: str) -> DoctrineEntry:
        """A doctrine default by id or alias (``decision-delay``, ...)."""
        return self.lookup("doctrine", name)

    def source(self, id: str) -> Source:
        """A source by id."""
        return self.lookup("source", id)

    def aero_table(self, id: str) -> AeroTable:
        """A Cd(Mach) table by id."""
        return self.lookup("aero_table", id)

    def motor_class(self, id: str) -> MotorClass:
        """A motor class (``motors.yaml``) by id: the Isp band a motor of that kind can have."""
        return self.lookup("motor_class", id)

    def sources_for(self, entry: BaseModel) -> list[Source]:
        """Every source that ``entry`` cites (for a missile or an interceptor: also its
        Cd table's), in the order first cited."""
        own = {s.id: s for s in getattr(entry, "sources", []) if isinstance(s, Source)}
        ids: list[str] = []
        _collect_source_ids(entry, ids)
        aero = getattr(entry, "aero", None)
        if aero is not None and aero.cd_table in self.aero_tables:
            _collect_source_ids(self.aero_tables[entry.aero.cd_table], ids)
        out = []
        for sid in ids:
            if sid in own:
                out.append(own[sid])
            elif sid in self.sources:
                out.append(self.sources[sid])
        return out

    def is_overridden(self, kind: str, id: str) -> bool:
        """Whether a user file replaced the shipped entry ``kind``/``id``."""
        kind = _kind_name(kind)
        return any(o.kind == kind and o.id == id for o in self.overrides)

    def _index(self, kind: str) -> None:
        names: dict[str, str] = {}
        for entry in self._table(kind).values():
            for name in (entry.id, *getattr(entry, "aliases", ())):
                key = normalise_name(name)
                other = names.get(key)
                if other is not None and other != entry.id:
                    raise CatalogueError(
                        f"{kind} name {name!r} is used by both {other!r} and {entry.id!r}",
                        field="aliases",
                        value=name,
                    )
                names[key] = entry.id
        self._names[kind] = names


def _kind_name(kind: str) -> str:
    k = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if k in _KIND_OF_KEY:
        k = _KIND_OF_KEY[k]
    if k == "aero":
        k = "aero_table"
    if k == "doctrines":
        k = "doctrine"
    if k in ("motor", "motors"):
        k = "motor_class"
    if k not in _KIND_MODELS:
        raise CatalogueError(
            f"unknown catalogue kind {kind!r}", field="kind", value=kind, allowed=list(KINDS)
        )
    return k


def _collect_source_ids(obj: Any, out: list[str]) -> None:
    """Every source id ``obj`` cites (``source``, then ``also``), depth first."""
    if isinstance(obj, Source):
        return
    if isinstance(obj, BaseModel):
        for sid in (getattr(obj, "source", None), *(getattr(obj, "also", None) or ())):
            if isinstance(sid, str) and sid not in out:
                out.append(sid)
        if isinstance(obj, Quantity):
            return
        for name in type(obj).model_fields:
            if name not in ("sources", "source", "also"):
                _collect_source_ids(getattr(obj, name), out)
    elif isinstance(obj, list | tuple):
        for item in obj:
            _collect_source_ids(item, out)


@dataclass
class _RawEntry:
    kind: str
    raw: Any
    label: str
    index: int
    user: bool


def _entry_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("id")
        return str(value) if value is not None else None
    return None


def _split_document(doc: Any, label: str, user: bool) -> list[_RawEntry]:
    if doc is None:
        return []
    if not isinstance(doc, CommentedMap):
        raise CatalogueError(
            f"{label}:1: a catalogue file is a mapping with lists under {', '.join(_KIND_OF_KEY)}",
            field="file",
            value=label,
            allowed=list(_KIND_OF_KEY),
        )
    entries = []
    for key, items in doc.items():
        if key not in _KIND_OF_KEY:
            line = doc.lc.key(key)[0] + 1
            raise CatalogueError(
                f"{label}:{line}: unknown section {key!r}; allowed: {', '.join(_KIND_OF_KEY)}",
                field=str(key),
                allowed=list(_KIND_OF_KEY),
            )
        if items is None:
            continue
        if not isinstance(items, CommentedSeq):
            line = doc.lc.key(key)[0] + 1
            raise CatalogueError(
                f"{label}:{line}: {key!r} must be a list of entries", field=str(key)
            )
        for i, raw in enumerate(items):
            entries.append(_RawEntry(_KIND_OF_KEY[key], raw, label, i, user))
    return entries


def _validate(
    entry: _RawEntry, context: dict[str, set[str]], error: type[Exception] = CatalogueError
):
    model = _KIND_MODELS[entry.kind][1]
    entry_id = _entry_id(entry.raw)
    if not isinstance(entry.raw, dict):
        line = _node_line(entry.raw)
        where = f"{entry.label}:{line}" if line else entry.label
        raise error(
            f"{where}: {entry.kind} entry {entry.index} must be a mapping", field=entry.kind
        )
    ctx = context
    own = entry.raw.get("sources") if entry.kind in _OWN_SOURCES else None
    if isinstance(own, list):
        ids = {str(s.get("id")) for s in own if isinstance(s, dict)}
        ctx = {**context, "sources": context.get("sources", set()) | ids}
    try:
        return model.model_validate(entry.raw, context=ctx)
    except ValidationError as exc:
        _raise(_problems(exc, model, entry.raw, entry.label, entry_id), error)


def _shipped_documents() -> list[tuple[str, Any]]:
    data = resources.files("bmdsim.catalogue") / "data"
    docs = []
    for name in _SHIPPED_FILES:
        resource = data / name
        with resources.as_file(resource) as path:
            docs.append((name, _read_yaml(Path(path), name, CatalogueError)))
    return docs


def load_catalogue(extra_paths: Iterable[str | Path] = ()) -> Catalogue:
    """Load the shipped catalogue plus the user files ``extra_paths`` (later files win).

    Raises :class:`CatalogueError` (file:line: field: what is wrong) for an invalid or
    uncited entry, a duplicate id within the shipped data, or an alias used twice.
    """
    raw: list[_RawEntry] = []
    catalogue = Catalogue()
    for label, doc in _shipped_documents():
        raw.extend(_split_document(doc, label, user=False))
        catalogue.files.append(label)
    for path in extra_paths:
        path = Path(path)
        label = str(path)
        raw.extend(_split_document(_read_yaml(path, label, CatalogueError), label, user=True))
        catalogue.files.append(label)

    context: dict[str, set[str]] = {}
    for kind in KINDS:
        table: dict[str, Any] = catalogue._table(kind)
        origin: dict[str, _RawEntry] = {}
        for entry in (e for e in raw if e.kind == kind):
            model = _validate(entry, context)
            previous = origin.get(model.id)
            if previous is not None:
                if not entry.user or previous.label == entry.label:
                    line = _node_line(entry.raw)
                    raise CatalogueError(
                        f"{entry.label}:{line}: {kind} id {model.id!r} is defined twice "
                        f"(also in {previous.label})",
                        field="id",
                        value=model.id,
                    )
                catalogue.overrides.append(Override(kind, model.id, entry.label))
            table[model.id] = model
            origin[model.id] = entry
        context[_KIND_MODELS[kind][0]] = set(table)
        context["systems"] = {id for k in SYSTEM_KINDS for id in catalogue._table(k)}
        catalogue._index(kind)
    return catalogue


@functools.cache
def default_catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process (and validated once per edit of
    the data: ``bmdsim.catalogue.cache``)."""
    from bmdsim.catalogue.cache import cached

    return cached(_SHIPPED_FILES, load_catalogue)


def load_missile_file(path: str | Path, catalogue: Catalogue | None = None) -> Missile:
    """A user's vehicle file: one missile mapping in the catalogue schema.

    The file may cite the catalogue's sources and Cd tables, or carry its own
    ``sources:`` list. Raises :class:`VehicleFileError` naming file, line and field.
    """
    catalogue = catalogue if catalogue is not None else default_catalogue()
    path = Path(path)
    label = str(path)
    doc = _read_yaml(path, label, VehicleFileError)
    yaml_reader.unknown_keys_refusal(
        doc,
        [*Missile.model_fields, "missiles", "sources"],
        label=label,
        what="a vehicle file",
        error=VehicleFileError,
    )
    if isinstance(doc, CommentedMap) and "missiles" in doc:
        entries = _split_document(doc, label, user=True)
        missiles = [e for e in entries if e.kind == "missile"]
        if len(missiles) != 1 or len(entries) != 1:
            raise VehicleFileError(
                f"{label}: a vehicle file holds exactly one missile (found {len(missiles)})",
                field="missiles",
            )
        entry = missiles[0]
    elif isinstance(doc, CommentedMap):
        entry = _RawEntry("missile", doc, label, 0, True)
    else:
        raise VehicleFileError(
            f"{label}:1: a vehicle file is a mapping with the fields of a missile: "
            f"{', '.join(Missile.model_fields)}",
            field="file",
            value=label,
            allowed=list(Missile.model_fields),
        )
    context = {
        "sources": set(catalogue.sources),
        "aero_tables": set(catalogue.aero_tables),
        "motor_classes": set(catalogue.motor_classes),
    }
    return _validate(entry, context, error=VehicleFileError)
