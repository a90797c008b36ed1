"""The catalogue schema: every number about a real system, with its source and range.

A :class:`Quantity` is ``{value, low, high, unit, source, grade}``: the best open figure,
the band that open sources disagree over, the unit it was published in, the id of the
entry in ``sources.yaml`` that it came from, and how sure we are of it:

====== ==================================================================
grade  meaning
====== ==================================================================
V      verified: the number was seen in the cited source
C      computed or calibrated here (method in the note or the calibration)
K      a standard reference cited from knowledge, not re-read
R      rumoured or secondary (press, blogs, hobby code): a wide band
====== ==================================================================

Models are pydantic v2 with ``extra="forbid"``. Cross-references (source ids, Cd table
ids) are checked when a validation context holds the known ids, which the loader
always supplies; built by hand without a context, they are not checked.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bmdsim import units

__all__ = [
    "GRADES",
    "ID_PATTERN",
    "Aero",
    "AeroTable",
    "Calibration",
    "CatalogueFile",
    "Missile",
    "Payload",
    "Published",
    "Quantity",
    "Site",
    "Source",
    "Stage",
    "Steering",
]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Entry ids are lower-case words joined by single hyphens: ``iskander-m``."""

GRADES = ("V", "C", "K", "R")

Grade = Literal["V", "C", "K", "R"]
EntryId = Annotated[str, Field(pattern=ID_PATTERN)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known(info: ValidationInfo, key: str) -> set[str] | None:
    context = info.context
    if isinstance(context, dict) and key in context:
        return context[key]
    return None


def _check_source(value: str, info: ValidationInfo) -> str:
    known = _known(info, "sources")
    if known is not None and value not in known:
        raise ValueError(
            f"unknown source id {value!r}: add it to sources.yaml "
            "(or to the file's own 'sources:' list)"
        )
    return value


class Source(_Model):
    """One entry of the bibliography (``sources.yaml``)."""

    id: EntryId
    title: str
    author: str = Field(description="person or organisation")
    year: int | None = Field(default=None, description="year of publication, if known")
    url: str | None = Field(default=None, description="expected where the source is online")
    accessed: str | None = Field(default=None, description="date the URL was read, ISO 8601")
    note: str | None = None


class Quantity(_Model):
    """A cited number: ``value`` within ``[low, high]``, in ``unit``, from ``source``."""

    value: float
    low: float
    high: float
    unit: str = Field(description=f"one of {', '.join(repr(u) for u in units.ALLOWED_UNITS)}")
    source: str
    grade: Grade
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def _unit_known(cls, unit: str) -> str:
        if unit not in units.ALLOWED_UNITS:
            raise ValueError(
                f"unknown unit {unit!r}; allowed: {', '.join(repr(u) for u in units.ALLOWED_UNITS)}"
            )
        return unit

    _source_known = field_validator("source")(_check_source)

    @model_validator(mode="after")
    def _ordered(self) -> Quantity:
        if not self.low <= self.value <= self.high:
            raise ValueError(
                f"need low <= value <= high, got low={self.low:g}, value={self.value:g}, "
                f"high={self.high:g}"
            )
        return self

    @property
    def si(self) -> float:
        """``value`` in SI units."""
        return units.to_si(self.value, self.unit)

    @property
    def low_si(self) -> float:
        """``low`` in SI units."""
        return units.to_si(self.low, self.unit)

    @property
    def high_si(self) -> float:
        """``high`` in SI units."""
        return units.to_si(self.high, self.unit)


def _of(dimension: str):
    """A Quantity whose unit must be of ``dimension`` (e.g. ``kg`` or ``t`` for mass)."""

    def check(q: Quantity) -> Quantity:
        if units.dimension_of(q.unit) != dimension:
            allowed = [u for u in units.ALLOWED_UNITS if units.dimension_of(u) == dimension]
            raise ValueError(f"unit {q.unit!r} is not a {dimension}; allowed: {', '.join(allowed)}")
        return q

    return Annotated[Quantity, AfterValidator(check)]


Length = _of("length")
Mass = _of("mass")
Duration = _of("time")
Speed = _of("speed")
Area = _of("area")
ArealMass = _of("areal_mass")
Dimensionless = _of("dimensionless")


class Stage(_Model):
    """One rocket stage. ``gross_mass`` includes its propellant and excludes upper stages
    and payload; ``isp_vac`` is the vacuum specific impulse."""

    gross_mass: Mass
    propellant_mass: Mass
    isp_vac: Duration
    burn_time: Duration
    diameter: Length
    nozzle_exit_area: Area

    @model_validator(mode="after")
    def _propellant_fits(self) -> Stage:
        if self.propellant_mass.si >= self.gross_mass.si:
            raise ValueError("propellant_mass must be smaller than gross_mass")
        return self


class Payload(_Model):
    """What flies on after final burnout. With ``separates`` false (V-2, Scud-B, Iskander,
    Tochka, Polonez) the spent last stage coasts with it under the missile's Cd table."""

    mass: Mass
    separates: bool
    ballistic_coefficient: ArealMass | None = Field(
        default=None, description="m/(Cd A) of the separated RV; required when separates"
    )

    @model_validator(mode="after")
    def _beta_when_separating(self) -> Payload:
        if self.separates and self.ballistic_coefficient is None:
            raise ValueError("ballistic_coefficient is required when separates is true")
        return self


def _default_cd_scale() -> Quantity:
    return Quantity(
        value=1.0,
        low=1.0,
        high=1.0,
        unit="",
        source="bmdsim-assumption",
        grade="C",
        note="default: the Cd table as published",
    )


class Aero(_Model):
    """Drag model: a Cd(Mach) table from ``aero.yaml`` times ``cd_scale``."""

    cd_table: EntryId
    cd_scale: Dimensionless = Field(default_factory=_default_cd_scale)

    @field_validator("cd_table")
    @classmethod
    def _table_known(cls, value: str, info: ValidationInfo) -> str:
        known = _known(info, "aero_tables")
        if known is not None and value not in known:
            raise ValueError(f"unknown cd_table {value!r}; known: {', '.join(sorted(known))}")
        return value


class Steering(_Model):
    """Open-loop steering: vertical rise before the pitch-over kick."""

    vertical_rise_time: Duration


class Calibration(_Model):
    """Which quantity was tuned, to hit which published figure, and how."""

    parameter: str = Field(description="dotted path, e.g. 'stages[2].isp_vac' or 'payload.mass'")
    target: str = Field(default="published_range")
    method: str


class Published(_Model):
    """Published whole-system figures, kept for reports and validation bands; the flight
    model does not read them."""

    launch_mass: Mass | None = None
    length: Length | None = None
    diameter: Length | None = None
    throw_weight: Mass | None = None
    min_range: Length | None = None
    max_speed: Speed | None = None
    apogee: Length | None = None
    flight_time: Duration | None = None


MissileKind = Literal["srbm", "mrbm", "irbm", "icbm", "slbm", "rocket-artillery", "historic"]

_PATH_STEP = re.compile(r"^(?P<name>[a-z_]+)(?:\[(?P<index>\d+)\])?$")


def resolve_path(entry: BaseModel, path: str):
    """The object at a dotted path such as ``stages[0].isp_vac`` in ``entry``."""
    obj = entry
    for step in path.split("."):
        match = _PATH_STEP.match(step)
        if match is None or not hasattr(obj, match["name"]):
            raise ValueError(f"no field {step!r} in {path!r}")
        obj = getattr(obj, match["name"])
        if match["index"] is not None:
            index = int(match["index"])
            if not isinstance(obj, list) or index >= len(obj):
                raise ValueError(f"index {index} out of range in {path!r}")
            obj = obj[index]
    return obj


class Missile(_Model):
    """A ballistic missile or rocket: stages, payload, aerodynamics, steering."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: MissileKind
    country: str
    summary: str
    published_range: Length
    published: Published = Field(default_factory=Published)
    stages: list[Stage] = Field(min_length=1, max_length=4)
    payload: Payload
    aero: Aero
    steering: Steering
    calibration: Calibration | None = None
    notes: str | None = None
    sources: list[Source] = Field(
        default_factory=list, description="sources only this entry cites (user files)"
    )

    @model_validator(mode="after")
    def _calibration_resolves(self) -> Missile:
        if self.calibration is not None:
            for path in (self.calibration.parameter, self.calibration.target):
                try:
                    target = resolve_path(self, path)
                except ValueError as exc:
                    raise ValueError(f"calibration: {exc}") from None
                if not isinstance(target, Quantity):
                    raise ValueError(f"calibration: {path!r} is not a quantity")
        return self

    @property
    def launch_mass_kg(self) -> float:
        """Sum of stage gross masses and payload mass of the model [kg]."""
        return sum(s.gross_mass.si for s in self.stages) + self.payload.mass.si


SiteKind = Literal[
    "aegis-ashore",
    "radar",
    "air-base",
    "naval-base",
    "city",
    "capital",
    "icbm-base",
    "missile-brigade",
    "launch-area",
    "aimpoint",
    "other",
]


class Site(_Model):
    """A place on the WGS 84 ellipsoid, with the radius within which it is known."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str
    kind: SiteKind
    lat_deg: float = Field(ge=-90.0, le=90.0)
    lon_deg: float = Field(ge=-180.0, le=180.0)
    elevation_m: float | None = None
    uncertainty_km: float = Field(ge=0.0)
    tags: list[str] = Field(default_factory=list)
    geonameid: int | None = Field(default=None, description="GeoNames id of the town point")
    source: str
    grade: Grade
    note: str | None = None

    _source_known = field_validator("source")(_check_source)


class AeroTable(_Model):
    """Zero-lift drag coefficient against Mach number, referred to the body cross-section
    (largest stage diameter); linear interpolation, constant beyond the ends."""

    id: EntryId
    name: str
    mach: list[float] = Field(min_length=2)
    cd: list[float] = Field(min_length=2)
    source: str
    grade: Grade
    note: str | None = None

    _source_known = field_validator("source")(_check_source)

    @model_validator(mode="after")
    def _table_shape(self) -> AeroTable:
        if len(self.mach) != len(self.cd):
            raise ValueError(f"mach has {len(self.mach)} points but cd has {len(self.cd)}")
        if any(b <= a for a, b in zip(self.mach, self.mach[1:], strict=False)):
            raise ValueError("mach must be strictly increasing")
        if self.mach[0] < 0 or any(c <= 0 for c in self.cd):
            raise ValueError("mach must be >= 0 and cd > 0")
        return self


class CatalogueFile(_Model):
    """One catalogue YAML document: any of these lists (shipped files hold one kind)."""

    sources: list[Source] = Field(default_factory=list)
    aero_tables: list[AeroTable] = Field(default_factory=list)
    missiles: list[Missile] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
