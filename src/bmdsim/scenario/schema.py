"""The scenario schema: one YAML file that states a whole question.

A scenario names its places (catalogue sites, changed loadouts at catalogue sites, or new
places), the threats (missile, launch point or area, target, trajectory shape), the
defences and sensors, the cueing doctrine, the analyses to run, the uncertainty to sample
and the outputs to write. ``docs/scenarios.md`` describes every field;
``docs/scenario.schema.json`` is :func:`scenario_json_schema`.

Models are pydantic v2 with ``extra="forbid"`` and frozen. Names are checked against the
catalogue when a :class:`Scenario` is validated: the catalogue and the folder that
relative vehicle-file paths are read from come from the validation context
(``{"catalogue": Catalogue, "base_dir": Path}``); without one, the shipped catalogue and
the working directory are used. ``bmdsim.scenario.load.load_scenario`` reads a file and
reports every problem as ``FILE:LINE: FIELD: what is wrong; what is allowed``.

For the runner, a validated scenario also answers: :meth:`Scenario.defence_specs` (the
``SITE:INTERCEPTOR`` batteries ``bmdsim.defence_api.engage`` takes),
:meth:`Scenario.uncertain_inputs` (each varied input with the range it is drawn from),
:meth:`Cueing.doctrine`, :meth:`Threat.missile_spec` and :func:`scenario_catalogue`
(the catalogue with the scenario's places added).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bmdsim import units
from bmdsim.catalogue.schema import ID_PATTERN, Quantity, resolve_path
from bmdsim.errors import BmdsimError, UnknownEntryError

__all__ = [
    "SCHEMA_ID",
    "SHAPES",
    "VARY_KINDS",
    "CUEING_VARY_FIELDS",
    "Analyses",
    "AreaLaunch",
    "CoverageAnalysis",
    "Cueing",
    "Defence",
    "Effectiveness",
    "LaunchArea",
    "Outputs",
    "Place",
    "PlaceSystem",
    "RangeOverride",
    "ReachAnalysis",
    "Scenario",
    "ScenarioError",
    "Threat",
    "Uncertainty",
    "UncertainInput",
    "VaryTarget",
    "parse_vary_path",
    "quantity_paths",
    "scenario_catalogue",
    "scenario_json_schema",
    "write_json_schema",
]

SCHEMA_ID = "urn:bmdsim:scenario-schema:1"

try:  # pragma: no cover - depends on who landed first
    from bmdsim.errors import ScenarioError  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover

    class ScenarioError(BmdsimError):
        """A scenario file is malformed or names something that does not exist; the
        message names file, line, field and what is allowed."""


SHAPES = ("minimum-energy", "lofted", "depressed", "apogee=KM")
"""Trajectory shapes a threat may fly (``apogee=KM``: that apogee in km, e.g. apogee=300)."""

VARY_KINDS = ("missile", "interceptor", "radar", "sensor", "site")
"""Catalogue kinds whose quantities ``uncertainty.vary`` may name (``KIND:ID.PATH``)."""

CUEING_VARY_FIELDS = ("decision_delay_s", "assessment_delay_s", "cue_at")
"""Cueing fields ``uncertainty.vary`` may name (``cueing.FIELD``; a range is required)."""

DISTRIBUTIONS = ("uniform", "triangular", "loguniform")

Distribution = Literal["uniform", "triangular", "loguniform"]
EntryId = Annotated[str, Field(pattern=ID_PATTERN)]

_SHAPE_RE = re.compile(r"^apogee=(?P<km>[0-9]+(?:\.[0-9]*)?)$")
_SHAPE_PATTERN = r"^(minimum-energy|lofted|depressed|apogee=[0-9]+(\.[0-9]*)?)$"
_POINT_RE = re.compile(
    r"^\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*,\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*$"
)
_VARY_RE = re.compile(r"^(?P<kind>[a-z_]+):(?P<id>[^.]+)\.(?P<path>\S+)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------
# small field types


def _check_shape(value: Any) -> str:
    text = value if isinstance(value, str) else None
    if text is not None:
        text = text.strip()
        if text in SHAPES[:3]:
            return text
        match = _SHAPE_RE.match(text)
        if match is not None and float(match["km"]) > 0:
            return text
    raise ValueError(f"{value!r} is not one of {', '.join(SHAPES)}")


Shape = Annotated[
    str,
    BeforeValidator(_check_shape),
    Field(
        description="minimum-energy, lofted, depressed or apogee=KM (apogee in km, > 0)",
        json_schema_extra={"pattern": _SHAPE_PATTERN},
    ),
]


def _check_point_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f'{value!r} is not a site id or "LAT,LON" in degrees')
    return value.strip()


PointText = Annotated[
    str,
    BeforeValidator(_check_point_text),
    Field(description='a site id or alias (catalogue or scenario), or "LAT,LON" in degrees'),
]


def parse_point(text: str) -> tuple[float, float] | None:
    """(lat, lon) for "LAT,LON" text, None for anything else (a site name)."""
    match = _POINT_RE.match(str(text))
    if match is None:
        return None
    return float(match[1]), float(match[2])


def _check_cue_at(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == "burnout":
        return "burnout"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value) and value >= 0:
            return float(value)
    raise ValueError(f"{value!r} is not one of: null, burnout, seconds >= 0")


def _check_sites_choice(value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    raise ValueError(f"{value!r} is not one of: a site tag, 'all', a list of site ids")


def _launch_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "point"
    if isinstance(value, dict | AreaLaunch):
        return "area"
    return None


# ---------------------------------------------------------------------------------------
# places


class PlaceSystem(_Model):
    """A system deployed at a scenario place: interceptor, radar or sensor id or alias."""

    system: str = Field(description="interceptor, radar or sensor id or alias")
    count: int = Field(default=1, ge=0, description="number deployed (interceptors: rounds)")
    notional: bool = Field(default=False, description="discussed or planned, not deployed")
    ship: bool = Field(default=False, description="sea-based (the place is where it sails)")
    boresight_azimuth_deg: float | None = Field(
        default=None,
        ge=0.0,
        lt=360.0,
        description="where a fixed-face radar points, degrees clockwise from true north",
    )


class Place(_Model):
    """A place of the scenario: a new place (``id`` not in the catalogue; ``name``,
    ``lat_deg`` and ``lon_deg`` required) or a catalogue site whose loadout the scenario
    changes (``id`` of that site; ``systems`` replaces what the catalogue deploys there,
    ``lat_deg``/``lon_deg``/``name`` may move or rename it)."""

    id: EntryId
    name: str | None = None
    lat_deg: float | None = Field(default=None, ge=-90.0, le=90.0)
    lon_deg: float | None = Field(default=None, ge=-180.0, le=180.0)
    elevation_m: float | None = None
    country: str | None = None
    tags: list[str] = Field(default_factory=list)
    systems: list[PlaceSystem] | None = Field(
        default=None, description="what is deployed here; for a catalogue site, replaces it"
    )
    note: str | None = None


# ---------------------------------------------------------------------------------------
# threats, defences, cueing


class LaunchArea(_Model):
    """Launches anywhere within ``radius_km`` of ``center`` (a site or "LAT,LON")."""

    center: PointText
    radius_km: float = Field(gt=0.0, le=5000.0)


class AreaLaunch(_Model):
    """``from: {area: {center, radius_km}}``: a launch area instead of a point."""

    area: LaunchArea


LaunchFrom = Annotated[
    Annotated[PointText, Tag("point")] | Annotated[AreaLaunch, Tag("area")],
    Discriminator(
        _launch_tag,
        custom_error_type="launch_point",
        custom_error_message='expected a site id, "LAT,LON" or {area: {center, radius_km}}',
    ),
]


class Threat(_Model):
    """One threat: ``missile`` flown ``from`` -> ``to`` along ``shape``."""

    id: EntryId = Field(description="unique within the scenario; names the threat in results")
    missile: str = Field(description="catalogue missile id or alias, or a vehicle YAML path")
    origin: LaunchFrom = Field(alias="from")
    target: PointText = Field(alias="to")
    shape: Shape = "minimum-energy"
    rcs_m2: float | None = Field(
        default=None, gt=0.0, description="radar cross-section; default each radar's reference"
    )
    _base_dir: Path | None = PrivateAttr(default=None)

    @property
    def is_file(self) -> bool:
        """Whether ``missile`` names a vehicle YAML file rather than a catalogue entry."""
        return _is_file_spec(self.missile)

    def missile_spec(self) -> str:
        """What ``bmdsim.fly`` takes: the catalogue name, or the vehicle file's path made
        absolute against the scenario file's folder."""
        if not self.is_file:
            return self.missile
        path = Path(self.missile).expanduser()
        if not path.is_absolute() and self._base_dir is not None:
            path = self._base_dir / path
        return str(path)

    def fly(self, cat=None, backend="auto"):
        """This threat flown at central values from its launch point (a launch area's
        centre) to its target along its shape: ``bmdsim.fly``'s Trajectory. ``cat``: the
        scenario's catalogue (``scenario_catalogue``), so scenario sites resolve."""
        from bmdsim.api import fly

        return fly(
            self.missile_spec(),
            origin=self.launch_point,
            target=self.target,
            shape=self.shape,
            backend=backend,
            catalogue_=cat,
        )

    @property
    def launch_area(self) -> LaunchArea | None:
        """The launch area, or None for a launch point."""
        return self.origin.area if isinstance(self.origin, AreaLaunch) else None

    @property
    def launch_point(self) -> str:
        """The launch point (a launch area's centre)."""
        return self.origin.area.center if isinstance(self.origin, AreaLaunch) else self.origin


class Defence(_Model):
    """Interceptor batteries at a site. Without ``interceptors``: every interceptor
    deployed there (notional ones only with ``include_notional``)."""

    site: str = Field(description="site id or alias (catalogue or scenario)")
    interceptors: list[str] | None = Field(
        default=None, description="interceptor ids or aliases; default: those deployed there"
    )
    include_notional: bool = False


class Cueing(_Model):
    """The doctrine (``bmdsim.defence.engagement.Doctrine``) and a stated cueing assumption.

    ``cue_at``: null (only the scenario's sensors), ``burnout`` or seconds after launch: a
    remote fire-control track from then on, the "ideal cueing" of the open studies."""

    decision_delay_s: float = Field(default=30.0, ge=0.0)
    assessment_delay_s: float = Field(default=30.0, ge=0.0)
    launch_on_remote: bool = True
    engage_on_remote: bool = True
    cue_at: Annotated[
        float | Literal["burnout"] | None,
        BeforeValidator(_check_cue_at),
        Field(description="null, 'burnout' or seconds after launch (>= 0)"),
    ] = None

    def doctrine(self, **changes):
        """The engagement Doctrine (``changes``: sampled values, e.g. decision_delay_s)."""
        from bmdsim.defence.engagement import Doctrine

        values = {
            "decision_delay_s": self.decision_delay_s,
            "assessment_delay_s": self.assessment_delay_s,
            "launch_on_remote": self.launch_on_remote,
            "engage_on_remote": self.engage_on_remote,
        }
        values.update(changes)
        return Doctrine(**values)


# ---------------------------------------------------------------------------------------
# analyses


class ReachAnalysis(_Model):
    """Maximum-range footprint of ``missile`` from ``from`` and which ``sites`` it reaches."""

    missile: str = Field(description="catalogue missile id or alias, or a vehicle YAML path")
    origin: PointText = Field(alias="from")
    sites: Annotated[
        str | list[str],
        BeforeValidator(_check_sites_choice),
        Field(description="a site tag (e.g. nato), 'all', or a list of site ids"),
    ] = "nato"
    n_azimuths: int = Field(default=360, ge=8, le=3600)


class CoverageAnalysis(_Model):
    """Coverage rings of an air-defence site against targets at these altitudes."""

    site: str
    target_altitudes_km: list[Annotated[float, Field(ge=0.0, le=2000.0)]] = Field(
        default_factory=lambda: [0.1, 1.0, 5.0, 10.0, 20.0, 30.0], min_length=1
    )
    interceptor: str | None = Field(default=None, description="default: longest-reaching there")
    radar: str | None = Field(default=None, description="default: the first radar there")
    rcs_m2: float | None = Field(default=None, gt=0.0)


class Effectiveness(_Model):
    """Raid arithmetic (``bmdsim.defence.effectiveness.defence_outcome``) for each battery
    that can intercept: ``raid`` RVs with ``decoys`` decoys each, ``shots`` interceptors
    per look, up to ``looks`` looks. ``inventory`` default: the battery's deployed count;
    ``pk`` default: the interceptor's catalogue single-shot Pk."""

    raid: int = Field(default=1, ge=1)
    shots: int = Field(default=1, ge=1)
    looks: int = Field(default=1, ge=1)
    inventory: int | None = Field(default=None, ge=0)
    decoys: int = Field(default=0, ge=0, description="decoys per RV")
    discrimination: float = Field(
        default=1.0, ge=0.0, le=1.0, description="P(a decoy is recognised as one)"
    )
    pk: float | None = Field(default=None, ge=0.0, le=1.0)

    def outcome_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``defence_outcome`` (``pk``/``inventory`` only if given)."""
        out: dict[str, Any] = {
            "shots_per_target": self.shots,
            "looks": self.looks,
            "decoys_per_rv": self.decoys,
            "p_discriminate": self.discrimination,
        }
        if self.pk is not None:
            out["pk"] = self.pk
        if self.inventory is not None:
            out["inventory"] = self.inventory
        return out


class Analyses(_Model):
    """What to compute. ``trajectories``: fly every threat; ``engage``: every threat
    against every defence (needs both)."""

    reach: list[ReachAnalysis] = Field(default_factory=list)
    trajectories: bool = True
    engage: bool = True
    coverage: list[CoverageAnalysis] = Field(default_factory=list)
    effectiveness: Effectiveness | None = None


# ---------------------------------------------------------------------------------------
# uncertainty


class RangeOverride(_Model):
    """A declared range replacing the catalogue's (or giving one to a cueing field), in
    ``unit`` (default: the catalogue quantity's unit; seconds for cueing fields)."""

    low: float
    high: float
    value: float | None = Field(default=None, description="central value; default: the midpoint")
    distribution: Distribution | None = Field(
        default=None, description="default: uncertainty.distribution"
    )
    unit: str | None = None
    note: str | None = Field(default=None, description="why: cite the source of the range")

    @model_validator(mode="after")
    def _ordered(self) -> RangeOverride:
        if not self.low <= self.high:
            raise ValueError(f"need low <= high, got low={self.low:g}, high={self.high:g}")
        if self.value is not None and not self.low <= self.value <= self.high:
            raise ValueError(
                f"need low <= value <= high, got low={self.low:g}, value={self.value:g}, "
                f"high={self.high:g}"
            )
        if self.distribution == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform range needs low > 0")
        if self.unit is not None and self.unit not in units.ALLOWED_UNITS:
            raise ValueError(
                f"unknown unit {self.unit!r}; allowed: "
                f"{', '.join(repr(u) for u in units.ALLOWED_UNITS)}"
            )
        return self


class Uncertainty(_Model):
    """Monte Carlo over the inputs named in ``vary`` (and in ``overrides``), each drawn
    from its catalogue band [low, high] unless ``overrides`` declares another.
    ``samples: 0`` runs the central values only."""

    samples: int = Field(default=0, ge=0, le=100_000_000)
    seed: int = Field(default=0, ge=0)
    vary: list[str] = Field(
        default_factory=list,
        description="KIND:ID.PATH (e.g. interceptor:sm-3-iia.burnout_speed) or cueing.FIELD",
    )
    overrides: dict[str, RangeOverride] = Field(default_factory=dict)
    distribution: Distribution = "uniform"

    @property
    def varied(self) -> list[str]:
        """Every varied path: ``vary`` then any override not already listed."""
        return list(dict.fromkeys([*self.vary, *self.overrides]))


class Outputs(_Model):
    """What ``bmdsim run`` writes besides the results store."""

    report: bool = True
    czml: bool = True
    kml: bool = True
    geojson: bool = True


# ---------------------------------------------------------------------------------------
# resolved views for the runner


@dataclasses.dataclass(frozen=True)
class VaryTarget:
    """A parsed vary path: ``kind`` ('missile', ..., or 'cueing'), the canonical entry
    ``id`` (None for cueing), the ``path`` inside it, and the catalogue Quantity there
    (None for cueing fields)."""

    text: str
    kind: str
    id: str | None
    path: str
    quantity: Quantity | None

    @property
    def canonical(self) -> str:
        if self.kind == "cueing":
            return f"cueing.{self.path}"
        return f"{self.kind}:{self.id}.{self.path}"


@dataclasses.dataclass(frozen=True)
class UncertainInput:
    """One varied input with the range it is drawn from, in ``unit`` and in SI."""

    path: str  # as written in the scenario
    target: VaryTarget
    low: float
    high: float
    value: float
    unit: str
    distribution: str
    overridden: bool  # True: the range is the scenario's, not the catalogue's
    source: str | None  # catalogue source id of the range (None when overridden)
    note: str | None = None

    @property
    def low_si(self) -> float:
        return units.to_si(self.low, self.unit)

    @property
    def high_si(self) -> float:
        return units.to_si(self.high, self.unit)

    @property
    def value_si(self) -> float:
        return units.to_si(self.value, self.unit)


def quantity_paths(entry: Any, prefix: str = "") -> list[str]:
    """Every path in a catalogue entry that resolves to a Quantity, e.g.
    ``stages[0].isp_vac`` (what ``uncertainty.vary`` may name after ``KIND:ID.``)."""
    out: list[str] = []
    if isinstance(entry, Quantity):
        return [prefix]
    if isinstance(entry, BaseModel):
        for name in type(entry).model_fields:
            if name == "sources":
                continue
            value = getattr(entry, name)
            out += quantity_paths(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(entry, list):
        for i, item in enumerate(entry):
            out += quantity_paths(item, f"{prefix}[{i}]")
    return out


def parse_vary_path(text: str, cat=None, file_missiles: dict | None = None) -> VaryTarget:
    """Parse and resolve ``KIND:ID.PATH`` or ``cueing.FIELD``; raise ``ValueError`` (with
    the allowed forms or close matches) when it does not name a catalogue Quantity or a
    cueing field. ``file_missiles``: missiles from the scenario's vehicle files, by id."""
    text = str(text).strip()
    if text.startswith("cueing."):
        name = text.removeprefix("cueing.")
        if name not in CUEING_VARY_FIELDS:
            raise ValueError(
                f"{text!r}: no cueing field {name!r}; allowed: "
                f"{', '.join('cueing.' + f for f in CUEING_VARY_FIELDS)}"
            )
        return VaryTarget(text, "cueing", None, name, None)
    match = _VARY_RE.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a vary path; write KIND:ID.PATH (KIND one of "
            f"{', '.join(VARY_KINDS)}, e.g. interceptor:sm-3-iia.burnout_speed) or "
            f"cueing.FIELD ({', '.join(CUEING_VARY_FIELDS)})"
        )
    kind, name, path = match["kind"], match["id"], match["path"]
    if kind not in VARY_KINDS:
        raise ValueError(f"{text!r}: unknown kind {kind!r}; allowed: {', '.join(VARY_KINDS)}")
    if cat is None:
        from bmdsim.catalogue import default_catalogue

        cat = default_catalogue()
    if kind == "missile" and file_missiles and name in file_missiles:
        entry = file_missiles[name]
    else:
        try:
            entry = cat.lookup(kind, name)
        except UnknownEntryError as exc:
            raise ValueError(f"{text!r}: {exc.message}") from None
    try:
        target = resolve_path(entry, path)
    except ValueError:
        target = None
    if not isinstance(target, Quantity):
        choices = quantity_paths(entry)
        close = difflib.get_close_matches(path, choices, n=3, cutoff=0.5)
        hint = (
            f"did you mean: {', '.join(close)}?"
            if close
            else f"quantities of {kind} {entry.id}: {', '.join(choices)}"
        )
        what = (
            f"{path!r} names no quantity"
            if target is None
            else f"{path!r} is not a quantity ({type(target).__name__})"
        )
        raise ValueError(f"{text!r}: {what} in {kind} {entry.id}; {hint}")
    return VaryTarget(text, kind, entry.id, path, target)


# ---------------------------------------------------------------------------------------
# the scenario


class Scenario(_Model):
    """A whole question: places, threats, defences, sensors, cueing, analyses,
    uncertainty and outputs. See ``docs/scenarios.md``."""

    name: str = Field(min_length=1)
    description: str = ""
    epoch: datetime | None = Field(
        default=None, description="UTC time of launch (ISO 8601); a time without a zone is UTC"
    )
    sites: list[Place] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    defences: list[Defence] = Field(default_factory=list)
    sensors: list[str] | None = Field(
        default=None,
        description="SITE, SITE:RADAR or a sensor id (early-warning-satellite); default: the "
        "radars at the defence sites plus the early-warning satellite",
    )
    cueing: Cueing = Field(default_factory=Cueing)
    analyses: Analyses = Field(default_factory=Analyses)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    outputs: Outputs = Field(default_factory=Outputs)
    backend: Literal["auto", "cpu", "cuda"] = "auto"

    _base_dir: Path | None = PrivateAttr(default=None)
    _source: str | None = PrivateAttr(default=None)
    _file_missiles: dict = PrivateAttr(default_factory=dict)

    @field_validator("epoch")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        plain = datetime(*value.timetuple()[:6], value.microsecond, tzinfo=value.tzinfo)
        return plain.replace(tzinfo=UTC) if plain.tzinfo is None else plain.astimezone(UTC)

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Scenario:
        context = info.context if isinstance(info.context, dict) else {}
        cat = context.get("catalogue")
        if cat is None:
            from bmdsim.catalogue import default_catalogue

            cat = default_catalogue()
        base = context.get("base_dir")
        base_dir = Path(base) if base is not None else Path.cwd()
        self._base_dir = base_dir
        self._source = context.get("source")
        for threat in self.threats:
            threat._base_dir = base_dir
        problems, file_missiles = _reference_problems(self, cat, base_dir)
        self._file_missiles = file_missiles
        if problems:
            raise ReferenceProblems(problems)
        return self

    # -- views for the runner ------------------------------------------------------------

    @property
    def source(self) -> str | None:
        """The file the scenario was read from, if any."""
        return self._source

    @property
    def base_dir(self) -> Path | None:
        """The folder relative vehicle-file paths are read from."""
        return self._base_dir

    def threat(self, id: str) -> Threat:
        for t in self.threats:
            if t.id == id:
                return t
        raise KeyError(id)

    def defence_specs(self, cat=None) -> list[str]:
        """Every battery as ``SITE:INTERCEPTOR`` (canonical ids), the defaults resolved:
        what ``bmdsim.defence_api.engage(defences=...)`` takes. ``cat``: the
        :func:`scenario_catalogue` (built if not given)."""
        cat = cat if cat is not None else scenario_catalogue(self)
        out: list[str] = []
        for d in self.defences:
            site = cat.site(d.site)
            if d.interceptors is not None:
                ids = [cat.interceptor(i).id for i in d.interceptors]
            else:
                ids = [
                    s.system
                    for s in site.systems
                    if s.system in cat.interceptors and (d.include_notional or not s.notional)
                ]
            out += [f"{site.id}:{i}" for i in ids]
        return list(dict.fromkeys(out))

    def uncertain_inputs(self, cat=None) -> list[UncertainInput]:
        """Every varied input with its range: the override where the scenario declares one,
        else the catalogue Quantity's [low, high] (central value ``value``)."""
        cat = cat if cat is not None else scenario_catalogue(self)
        out = []
        for path in self.uncertainty.varied:
            target = parse_vary_path(path, cat, self._file_missiles)
            override = self.uncertainty.overrides.get(path)
            q = target.quantity
            if override is not None:
                unit = override.unit or (q.unit if q is not None else "s")
                value = (
                    override.value
                    if override.value is not None
                    else 0.5 * (override.low + override.high)
                )
                out.append(
                    UncertainInput(
                        path,
                        target,
                        override.low,
                        override.high,
                        value,
                        unit,
                        override.distribution or self.uncertainty.distribution,
                        True,
                        None,
                        override.note,
                    )
                )
            else:
                assert q is not None  # cueing paths without an override are refused
                out.append(
                    UncertainInput(
                        path,
                        target,
                        q.low,
                        q.high,
                        q.value,
                        q.unit,
                        self.uncertainty.distribution,
                        False,
                        q.source,
                        q.note,
                    )
                )
        return out


class ReferenceProblems(ValueError):
    """Names in a scenario that the catalogue (or the scenario) does not define; each
    problem is (loc, message, value, allowed) so the loader can find its line."""

    def __init__(self, problems: list[tuple[tuple, str, Any, Any]]):
        self.problems = problems
        super().__init__(
            "\n".join(f"{_loc_text(loc)}: {msg}" if loc else msg for loc, msg, _, _ in problems)
        )


def _loc_text(loc) -> str:
    """``threats[0].from``-style text of a pydantic error location (as the catalogue's)."""
    from bmdsim.catalogue.loader import _loc_text as catalogue_loc_text

    return catalogue_loc_text(None, loc)


def _is_file_spec(text: str) -> bool:
    return str(text).lower().endswith((".yaml", ".yml"))


def _reference_problems(scn: Scenario, cat, base_dir: Path):
    """Every name in ``scn`` that does not resolve, as (loc, message, value, allowed)."""
    from bmdsim.catalogue import load_missile_file

    problems: list[tuple[tuple, str, Any, Any]] = []

    def add(loc, message, value=None, allowed=None):
        problems.append((tuple(loc), message, value, allowed))

    # places: new ones need a position; changed catalogue sites keep theirs
    own: dict[str, Place] = {}
    for i, p in enumerate(scn.sites):
        if p.id in own:
            add(("sites", i, "id"), f"site id {p.id!r} is used twice", p.id)
        own[p.id] = p
        known = p.id in cat.sites
        if not known:
            for name in ("name", "lat_deg", "lon_deg"):
                if getattr(p, name) is None:
                    add(
                        ("sites", i),
                        f"{p.id!r} is not a catalogue site, so {name!r} is required "
                        "(or use a catalogue site id to change its loadout)",
                        p.id,
                    )
        for j, s in enumerate(p.systems or ()):
            try:
                cat.system(s.system)
            except UnknownEntryError as exc:
                add(("sites", i, "systems", j, "system"), exc.message, s.system, exc.allowed)

    # the catalogue the rest is checked against: places added, loadouts replaced
    try:
        scat = scenario_catalogue(scn, cat)
    except (BmdsimError, ValueError):
        scat = cat  # problems above say why

    def site_problem(loc, name):
        try:
            return scat.site(name)
        except UnknownEntryError as exc:
            add(loc, exc.message, name, exc.allowed)
            return None

    def point_problem(loc, text):
        latlon = parse_point(text)
        if latlon is not None:
            lat, lon = latlon
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                add(
                    loc,
                    f"{text!r}: latitude must lie in [-90, 90] and longitude in [-180, 180]",
                    text,
                )
            return
        site_problem(loc, text)

    file_missiles: dict = {}

    def missile_problem(loc, spec):
        if _is_file_spec(spec):
            path = Path(spec).expanduser()
            if not path.is_absolute():
                path = base_dir / path
            if not path.is_file():
                add(loc, f"vehicle file {spec!r} not found (looked for {path})", spec)
                return
            try:
                m = load_missile_file(path, cat)
            except BmdsimError as exc:
                add(loc, f"vehicle file {spec!r}: {exc.message}", spec)
                return
            file_missiles[m.id] = m
            return
        try:
            cat.missile(spec)
        except UnknownEntryError as exc:
            add(loc, exc.message, spec, exc.allowed)

    # threats
    seen: set[str] = set()
    for i, t in enumerate(scn.threats):
        if t.id in seen:
            add(("threats", i, "id"), f"threat id {t.id!r} is used twice", t.id)
        seen.add(t.id)
        missile_problem(("threats", i, "missile"), t.missile)
        if isinstance(t.origin, AreaLaunch):
            point_problem(("threats", i, "from", "area", "center"), t.origin.area.center)
        else:
            point_problem(("threats", i, "from"), t.origin)
        point_problem(("threats", i, "to"), t.target)

    # defences
    for i, d in enumerate(scn.defences):
        site = site_problem(("defences", i, "site"), d.site)
        if d.interceptors is not None:
            if not d.interceptors:
                add(
                    ("defences", i, "interceptors"),
                    "name at least one interceptor (or leave "
                    "interceptors out for those deployed at the site)",
                )
            for j, name in enumerate(d.interceptors):
                try:
                    scat.interceptor(name)
                except UnknownEntryError as exc:
                    add(("defences", i, "interceptors", j), exc.message, name, exc.allowed)
        elif site is not None:
            deployed = [s for s in site.systems if s.system in scat.interceptors]
            usable = [s for s in deployed if d.include_notional or not s.notional]
            if not usable:
                hint = (
                    f"only notional ones ({', '.join(s.system for s in deployed)}): set "
                    "include_notional: true or name them under interceptors"
                    if deployed
                    else "name them under interceptors"
                )
                add(
                    ("defences", i, "site"),
                    f"no interceptors are deployed at {site.id}; {hint}",
                    d.site,
                    sorted(scat.interceptors),
                )

    # sensors
    for i, spec in enumerate(scn.sensors or ()):
        site_name, _, radar = str(spec).partition(":")
        site_name, radar = site_name.strip(), radar.strip()
        if not radar:
            try:
                scat.sensor(site_name)
                continue
            except UnknownEntryError:
                pass
        try:
            site = scat.site(site_name)
        except UnknownEntryError as exc:
            allowed = [*sorted(scat.sensors), *(exc.allowed or [])]
            add(
                ("sensors", i),
                f"{exc.message} (a sensor is SITE, SITE:RADAR or one of "
                f"{', '.join(sorted(scat.sensors))})",
                spec,
                allowed,
            )
            continue
        if radar:
            try:
                scat.radar(radar)
            except UnknownEntryError as exc:
                add(("sensors", i), exc.message, spec, exc.allowed)
        elif not any(s.system in scat.radars for s in site.systems):
            add(
                ("sensors", i),
                f"no radar is deployed at {site.id}; write {site.id}:RADAR",
                spec,
                sorted(scat.radars),
            )

    # analyses
    an = scn.analyses
    tags = {t for s in scat.entries("site") for t in s.tags}
    for i, r in enumerate(an.reach):
        missile_problem(("analyses", "reach", i, "missile"), r.missile)
        point_problem(("analyses", "reach", i, "from"), r.origin)
        if isinstance(r.sites, str):
            if r.sites != "all" and r.sites not in tags:
                names = [n.strip() for n in r.sites.split(",") if n.strip()]
                for name in names:
                    try:
                        scat.site(name)
                    except UnknownEntryError as exc:
                        allowed = sorted(tags)
                        add(
                            ("analyses", "reach", i, "sites"),
                            f"{name!r} is not a site tag, 'all' or a site id; tags: "
                            f"{', '.join(allowed)} ({exc.message})",
                            r.sites,
                            ["all", *allowed],
                        )
        else:
            for j, name in enumerate(r.sites):
                site_problem(("analyses", "reach", i, "sites", j), name)
    for i, c in enumerate(an.coverage):
        site = site_problem(("analyses", "coverage", i, "site"), c.site)
        if c.interceptor is not None:
            try:
                scat.interceptor(c.interceptor)
            except UnknownEntryError as exc:
                add(
                    ("analyses", "coverage", i, "interceptor"),
                    exc.message,
                    c.interceptor,
                    exc.allowed,
                )
        elif site is not None and not any(s.system in scat.interceptors for s in site.systems):
            add(
                ("analyses", "coverage", i, "site"),
                f"no interceptors are deployed at {site.id}; name one under interceptor",
                c.site,
                sorted(scat.interceptors),
            )
        if c.radar is not None:
            try:
                scat.radar(c.radar)
            except UnknownEntryError as exc:
                add(("analyses", "coverage", i, "radar"), exc.message, c.radar, exc.allowed)
        elif site is not None and not any(s.system in scat.radars for s in site.systems):
            add(
                ("analyses", "coverage", i, "site"),
                f"no radar is deployed at {site.id}; name one under radar",
                c.site,
                sorted(scat.radars),
            )
    if "engage" in an.model_fields_set and an.engage and not (scn.threats and scn.defences):
        add(("analyses", "engage"), "engage: true needs at least one threat and one defence")
    if an.effectiveness is not None and not scn.defences and an.effectiveness.pk is None:
        add(
            ("analyses", "effectiveness", "pk"),
            "give pk, or name defences whose interceptors' catalogue Pk is used",
        )

    # uncertainty
    unc = scn.uncertainty
    seen_paths: set[str] = set()
    targets: dict[str, VaryTarget] = {}
    for i, path in enumerate(unc.vary):
        try:
            target = parse_vary_path(path, scat, file_missiles)
        except ValueError as exc:
            add(("uncertainty", "vary", i), str(exc), path)
            continue
        if target.canonical in seen_paths:
            add(("uncertainty", "vary", i), f"{path!r} is listed twice", path)
        seen_paths.add(target.canonical)
        targets[path] = target
        if target.kind == "cueing" and path not in unc.overrides:
            add(
                ("uncertainty", "vary", i),
                f"{path!r} has no catalogue range: declare one under "
                f"uncertainty.overrides.{path!r} (low, high)",
                path,
            )
    for path, override in unc.overrides.items():
        loc = ("uncertainty", "overrides", path)
        target = targets.get(path)
        if target is None:
            try:
                target = parse_vary_path(path, scat, file_missiles)
            except ValueError as exc:
                add(loc, str(exc), path)
                continue
        if target.kind == "cueing" and target.path == "cue_at" and scn.cueing.cue_at == "burnout":
            add(loc, "cueing.cue_at is 'burnout'; give it in seconds to vary it", path)
        want = target.quantity.unit if target.quantity is not None else "s"
        if override.unit is not None and override.unit in units.ALLOWED_UNITS:
            if units.dimension_of(override.unit) != units.dimension_of(want):
                add(
                    (*loc, "unit"),
                    f"unit {override.unit!r} is not a {units.dimension_of(want)} "
                    f"(the quantity is in {want!r})",
                    override.unit,
                )
    return problems, file_missiles


def scenario_catalogue(scenario: Scenario, cat=None):
    """``cat`` (default: the shipped catalogue) with the scenario's places added and the
    loadouts it changes replaced, so that every catalogue-name API
    (``bmdsim.fly``, ``engage``, ``coverage``...) accepts the scenario's site ids. Changed
    catalogue sites are recorded in ``Catalogue.overrides``."""
    from bmdsim.catalogue import Override, Site, SiteSystem
    from bmdsim.catalogue import default_catalogue as _default

    cat = cat if cat is not None else _default()
    if not scenario.sites:
        return cat
    label = f"scenario {scenario.source or scenario.name}"
    source = "bmdsim-assumption"
    sites = dict(cat.sites)
    overrides = list(cat.overrides)
    for p in scenario.sites:
        base = cat.sites.get(p.id)
        systems = None
        if p.systems is not None:
            systems = []
            for s in p.systems:
                entry = cat.system(s.system)
                boresight = None
                if s.boresight_azimuth_deg is not None:
                    v = s.boresight_azimuth_deg
                    boresight = Quantity(
                        value=v,
                        low=v,
                        high=v,
                        unit="deg",
                        source=source,
                        grade="C",
                        note=label,
                    )
                systems.append(
                    SiteSystem(
                        system=entry.id,
                        count=s.count,
                        notional=s.notional,
                        ship=s.ship,
                        boresight_azimuth=boresight,
                        source=source,
                        grade="C",
                        note=label,
                    )
                )
        if base is not None:
            changes: dict[str, Any] = {}
            for name in ("name", "lat_deg", "lon_deg", "elevation_m", "country", "note"):
                if getattr(p, name) is not None:
                    changes[name] = getattr(p, name)
            if p.tags:
                changes["tags"] = list(dict.fromkeys([*base.tags, *p.tags]))
            if systems is not None:
                changes["systems"] = systems
            sites[p.id] = base.model_copy(update=changes)
            overrides.append(Override("site", p.id, label))
        else:
            sites[p.id] = Site(
                id=p.id,
                name=p.name or p.id,
                country=p.country or "",
                kind="other",
                lat_deg=p.lat_deg if p.lat_deg is not None else 0.0,
                lon_deg=p.lon_deg if p.lon_deg is not None else 0.0,
                elevation_m=p.elevation_m,
                uncertainty_km=0.0,
                tags=[*p.tags, "scenario"],
                source=source,
                grade="C",
                note=p.note or label,
                systems=systems or [],
            )
    new = dataclasses.replace(
        cat, sites=sites, overrides=overrides, files=[*cat.files, label], _names=dict(cat._names)
    )
    new._index("site")
    return new


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file (``docs/scenario.schema.json``)."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def write_json_schema(path: str | Path) -> Path:
    """Write :func:`scenario_json_schema` to ``path`` (``docs/scenario.schema.json``)."""
    path = Path(path)
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return path
