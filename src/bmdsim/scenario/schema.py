"""The scenario schema: one YAML file that states a whole question.

A scenario names its places (catalogue sites, changed loadouts at catalogue sites, or new
places), the threats (missile, launch point or area, target, trajectory shape), the
defences and sensors, the cueing doctrine, the analyses to run, the uncertainty to sample
and the outputs to write. ``docs/scenarios.md`` describes every field;
``docs/scenario.schema.json`` is :func:`scenario_json_schema`.

Models are pydantic v2 with ``extra="forbid"``, frozen and strict: ``true`` is not 1 and
``0`` is not false, NaN and infinities are refused, and every number a scenario can hold
lies in the domain that ``bmdsim.domains`` states for its quantity (the command line and
the analyses check the same domains). Names are checked against the
catalogue when a :class:`Scenario` is validated: the catalogue and the folder that
relative vehicle-file paths are read from come from the validation context
(``{"catalogue": Catalogue, "base_dir": Path}``); without one, the shipped catalogue and
the working directory are used. ``bmdsim.scenario.load.load_scenario`` reads a file and
reports every problem as ``FILE:LINE: FIELD: what is wrong; what is allowed``.

This module is data: the models, their field checks and the JSON Schema. The
cross-checks against the catalogue, the scenario's catalogue and its uncertain inputs
are ``scenario.references``; what the analyses take (batteries, doctrine, the flight of
a threat) is ``scenario.plan``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
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

from bmdsim import domains, units
from bmdsim.catalogue.schema import ID_PATTERN, Quantity
from bmdsim.errors import InputError

__all__ = [
    "SCHEMA_ID",
    "SHAPES",
    "VARY_KINDS",
    "CUEING_VARY_FIELDS",
    "CUEING_DOCTRINE",
    "Analyses",
    "AreaLaunch",
    "CoverageAnalysis",
    "Cueing",
    "Defence",
    "Effectiveness",
    "FlightTimeClaim",
    "LaunchArea",
    "Outputs",
    "Place",
    "PlaceSystem",
    "RangeOverride",
    "ReachAnalysis",
    "Scenario",
    "Threat",
    "Uncertainty",
    "UncertainInput",
    "VaryTarget",
    "scenario_json_schema",
    "write_json_schema",
]

SCHEMA_ID = "urn:bmdsim:scenario-schema:1"

SHAPES = ("minimum-energy", "lofted", "depressed", "apogee=KM", "quasi-ballistic[=KM]")
"""Trajectory shapes a threat may fly (``apogee=KM``: that apogee in km, e.g. apogee=300;
``quasi-ballistic[=KM]``: a lifting missile under an apogee cap, docs/models/lifting-flight.md)."""

VARY_KINDS = ("missile", "interceptor", "radar", "sensor", "site")
"""Catalogue kinds whose quantities ``uncertainty.vary`` may name (``KIND:ID.PATH``)."""

CUEING_VARY_FIELDS = ("decision_delay_s", "assessment_delay_s", "cue_at")
"""Cueing fields ``uncertainty.vary`` may name (``cueing.FIELD``): the two delays take the
catalogue's doctrine band unless overridden; ``cue_at`` needs a range in the scenario."""

CUEING_DOCTRINE = {"decision_delay_s": "decision-delay", "assessment_delay_s": "assessment-delay"}
"""The catalogue doctrine entry behind each cueing field."""

DISTRIBUTIONS = ("uniform", "triangular", "loguniform")

Distribution = Literal["uniform", "triangular", "loguniform"]
EntryId = Annotated[str, Field(pattern=ID_PATTERN)]

_SHAPE_PATTERN = (
    r"^(minimum-energy|lofted|depressed|quasi-ballistic|"
    r"(apogee|quasi-ballistic)=[0-9]+(\.[0-9]*)?( ?km)?)$"
)
_POINT_RE = re.compile(
    r"^\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*,\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*$"
)
_VARY_RE = re.compile(r"^(?P<kind>[a-z_]+):(?P<id>[^.]+)\.(?P<path>\S+)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _in(domain: domains.Domain, unit: str | None = None, **field) -> Any:
    """A number field held to ``domain`` (in ``unit``, default the domain's own): the
    one check the CLI and the analyses make too, with its bounds in the JSON Schema."""

    def check(value):
        problem, number = domain.explain(value, unit=unit)
        if problem is not None:
            raise ValueError(problem)
        return number

    base = int if domain.integer else float
    extra = {
        **domain.bounds(unit),
        "description": field.pop("description", None) or f"{domain.name}: {domain.describe(unit)}",
    }
    return Annotated[base, AfterValidator(check), Field(json_schema_extra=extra, **field)]


def _text(max_length: int = 200):
    """A name a user gives: text without control characters, at most ``max_length``."""

    def check(value: str) -> str:
        try:
            return domains.check_text(value, field="text", max_length=max_length, empty=True)
        except InputError as exc:
            raise ValueError(exc.message.removeprefix("text: ")) from None

    return Annotated[str, AfterValidator(check)]


Name = _text(200)
Note = _text(10_000)

# The domain of each cueing field that uncertainty.overrides may give a range to.
CUEING_DOMAINS = {
    "decision_delay_s": domains.DELAY,
    "assessment_delay_s": domains.DELAY,
    "cue_at": domains.CUE_TIME,
}


# ---------------------------------------------------------------------------------------
# small field types


def _check_shape(value: Any) -> str:
    try:
        return domains.check_shape(value, field="shape")
    except InputError as exc:
        raise ValueError(exc.message.removeprefix("shape: ")) from None


Shape = Annotated[
    str,
    BeforeValidator(_check_shape),
    Field(
        description="minimum-energy, lofted, depressed, apogee=KM (apogee in km, > 0) or, "
        "for a missile with a catalogue L/D, quasi-ballistic[=KM] (apogee cap in km)",
        json_schema_extra={"pattern": _SHAPE_PATTERN},
    ),
]


def _check_point_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ValueError(f'{domains._show(value)} is not a site id or "LAT,LON" in degrees')
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
        problem, number = domains.CUE_TIME.explain(value)
        if problem is None:
            return float(number)
        raise ValueError(problem)
    raise ValueError(
        f"{domains._show(value)} is not one of: null, burnout, seconds "
        f"({domains.CUE_TIME.allowed()})"
    )


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

    system: Name = Field(description="interceptor, radar or sensor id or alias")
    count: _in(domains.INVENTORY, description="number deployed (interceptors: rounds)") = 1
    notional: bool = Field(default=False, description="discussed or planned, not deployed")
    ship: bool = Field(default=False, description="sea-based (the place is where it sails)")
    boresight_azimuth_deg: (
        _in(
            domains.catalogue_domain("boresight_azimuth"),
            "deg",
            description="where a fixed-face radar points, degrees clockwise from true north",
        )
        | None
    ) = None


class Place(_Model):
    """A place of the scenario: a new place (``id`` not in the catalogue; ``name``,
    ``lat_deg`` and ``lon_deg`` required) or a catalogue site whose loadout the scenario
    changes (``id`` of that site; ``systems`` replaces what the catalogue deploys there,
    ``lat_deg``/``lon_deg``/``name`` may move or rename it)."""

    id: EntryId
    name: Name | None = None
    lat_deg: _in(domains.LATITUDE) | None = None
    lon_deg: _in(domains.LONGITUDE) | None = None
    elevation_m: _in(domains.ELEVATION) | None = None
    country: Name | None = None
    tags: list[Name] = Field(default_factory=list)
    systems: list[PlaceSystem] | None = Field(
        default=None, description="what is deployed here; for a catalogue site, replaces it"
    )
    note: Note | None = None


# ---------------------------------------------------------------------------------------
# threats, defences, cueing


class LaunchArea(_Model):
    """Launches anywhere within ``radius_km`` of ``center`` (a site or "LAT,LON")."""

    center: PointText
    radius_km: _in(domains.LAUNCH_AREA_RADIUS, "km")


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
    """One threat: ``missile`` flown ``from`` -> ``to`` along ``shape``; a cruise missile
    flies its catalogue profile through the ``via`` waypoints (engaged on central values
    only: the sampled engagements fly ballistic threats)."""

    id: EntryId = Field(description="unique within the scenario; names the threat in results")
    missile: Name = Field(description="catalogue missile id or alias, or a vehicle YAML path")
    origin: LaunchFrom = Field(alias="from")
    target: PointText = Field(alias="to")
    shape: Shape = "minimum-energy"
    via: list[PointText] = Field(default_factory=list, description="cruise missiles: waypoints")
    rcs_m2: (
        _in(
            domains.RCS,
            description="radar cross-section; default the missile's catalogue payload.rcs",
        )
        | None
    ) = None
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

    site: Name = Field(description="site id or alias (catalogue or scenario)")
    interceptors: list[Name] | None = Field(
        default=None, description="interceptor ids or aliases; default: those deployed there"
    )
    include_notional: bool = False


class Cueing(_Model):
    """The doctrine (``bmdsim.defence.engagement.Doctrine``, built by
    ``scenario.plan.doctrine``) and a stated cueing assumption.

    ``cue_at``: null (only the scenario's sensors), ``burnout`` or seconds after launch: a
    remote fire-control track from then on, the "ideal cueing" of the open studies.
    ``decision_delay_s``, ``assessment_delay_s``: null (the default) takes the catalogue's
    cited doctrine entries ``decision-delay`` and ``assessment-delay``."""

    decision_delay_s: (
        _in(domains.DELAY, description="s; default: the catalogue's doctrine decision-delay")
        | None
    ) = None
    assessment_delay_s: (
        _in(domains.DELAY, description="s; default: the catalogue's doctrine assessment-delay")
        | None
    ) = None
    launch_on_remote: bool = True
    engage_on_remote: bool = True
    cue_at: Annotated[
        float | Literal["burnout"] | None,
        BeforeValidator(_check_cue_at),
        Field(
            description=f"null, 'burnout' or seconds after launch ({domains.CUE_TIME.allowed()})"
        ),
    ] = None


# ---------------------------------------------------------------------------------------
# analyses


class ReachAnalysis(_Model):
    """Maximum-range footprint of ``missile`` from ``from`` and which ``sites`` it reaches.
    ``missile`` may be a cruise missile (``cruise.yaml``); with ``carrier`` (an aircraft,
    ``aircraft.yaml``) ``from`` is its base and the reach is its combat radius plus the
    weapon's range (``bmdsim.cruise_reach``)."""

    missile: Name = Field(
        description="catalogue missile or cruise-missile id or alias, or a vehicle YAML path"
    )
    carrier: Name | None = Field(
        default=None, description="an aircraft id or alias carrying the missile from 'from'"
    )
    origin: PointText = Field(alias="from")
    sites: Annotated[
        str | list[str],
        BeforeValidator(_check_sites_choice),
        Field(description="a site tag (e.g. nato), 'all', or a list of site ids"),
    ] = "nato"
    n_azimuths: _in(domains.AZIMUTHS_REACH) = 360


class CoverageAnalysis(_Model):
    """Coverage rings of an air-defence site against targets at these altitudes."""

    site: Name
    target_altitudes_km: list[_in(domains.ALTITUDE, "km")] = Field(
        default_factory=lambda: [0.1, 1.0, 5.0, 10.0, 20.0, 30.0], min_length=1, max_length=100
    )
    interceptor: Name | None = Field(default=None, description="default: longest-reaching there")
    radar: Name | None = Field(default=None, description="default: the first radar there")
    rcs_m2: _in(domains.RCS) | None = None


class Effectiveness(_Model):
    """Raid arithmetic (``bmdsim.defence.effectiveness.defence_outcome``) for each battery
    that can intercept: ``raid`` RVs with ``decoys`` decoys each, ``shots`` interceptors
    per look, up to ``looks`` looks. ``inventory`` default: the battery's deployed count;
    ``pk`` default: the interceptor's catalogue single-shot Pk."""

    raid: _in(domains.RAID) = 1
    shots: _in(domains.SHOTS) = 1
    looks: _in(domains.LOOKS) = 1
    inventory: _in(domains.INVENTORY) | None = None
    decoys: _in(domains.DECOYS, description="decoys per RV") = 0
    discrimination: _in(domains.PROBABILITY, description="P(a decoy is recognised as one)") = 1.0
    pk: _in(domains.PROBABILITY) | None = None

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


class FlightTimeClaim(_Model):
    """A published claim of how long ``missile`` takes ``from`` -> ``to``, which the run
    sets beside the flight times the model flies (minimum-energy and depressed): the
    claim is data, with who made it and the catalogue source that reports it."""

    missile: Name = Field(description="catalogue missile id or alias")
    origin: PointText = Field(alias="from")
    target: PointText = Field(alias="to")
    claimed_s: _in(domains.FLIGHT_TIME_CLAIM, description="the claimed flight time, seconds")
    claimed_by: Name = Field(description="who made the claim, as the source reports it")
    source: Name = Field(description="a catalogue source id (sources.yaml) reporting it")
    note: Note = ""


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
    note: Note | None = Field(default=None, description="why: cite the source of the range")

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

    samples: _in(domains.SAMPLES) = 0
    seed: _in(domains.SEED) = 0
    vary: list[Name] = Field(
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


# ---------------------------------------------------------------------------------------
# the scenario


class Scenario(_Model):
    """A whole question: places, threats, defences, sensors, cueing, analyses,
    uncertainty and outputs. See ``docs/scenarios.md``."""

    name: Name = Field(min_length=1, description="names the run; its output folder is a slug of it")
    description: Note = ""
    epoch: datetime | None = Field(
        default=None,
        strict=False,
        description="UTC time of launch (ISO 8601); a time without a zone is UTC",
    )
    sites: list[Place] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    defences: list[Defence] = Field(default_factory=list)
    sensors: list[Name] | None = Field(
        default=None,
        description="SITE, SITE:RADAR or a sensor id (early-warning-satellite); default: the "
        "radars at the defence sites plus the early-warning satellite",
    )
    cueing: Cueing = Field(default_factory=Cueing)
    analyses: Analyses = Field(default_factory=Analyses)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    outputs: Outputs = Field(default_factory=Outputs)
    claims: list[FlightTimeClaim] = Field(
        default_factory=list,
        max_length=100,
        description="published flight-time claims, set beside the model's flight times",
    )
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
        # The cross-checks live in scenario/references.py (which imports this module).
        from bmdsim.scenario.references import ReferenceProblems, reference_problems

        problems, file_missiles = reference_problems(self, cat, base_dir)
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


def _is_file_spec(text: str) -> bool:
    return str(text).lower().endswith((".yaml", ".yml"))


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
