"""Cited numbers: :class:`Quantity` (value, band, unit, source, grade), the entry and
source ids, and the base model every catalogue entry shares (``extra="forbid"``, frozen,
no NaN or infinity, each cited band inside its quantity's domain).

Split from :mod:`bmdsim.catalogue.schema`, which re-exports every name here; the grades
are explained there.
"""

from __future__ import annotations

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

from bmdsim import domains, units

__all__ = [
    "GRADES",
    "ID_PATTERN",
    "Angle",
    "Area",
    "ArealMass",
    "Dimensionless",
    "Duration",
    "EntryId",
    "Grade",
    "Length",
    "Mass",
    "Quantity",
    "Source",
    "Speed",
]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Entry ids are lower-case words joined by single hyphens: ``iskander-m``."""

GRADES = ("V", "C", "K", "R")

Grade = Literal["V", "C", "K", "R"]
EntryId = Annotated[str, Field(pattern=ID_PATTERN)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _quantities_in_domain(self):
        """Each cited band [low, high] lies in its quantity's domain (``bmdsim.domains``,
        the same check as the scenario's overrides and the command line's options)."""
        for name in type(self).model_fields:
            q = getattr(self, name)
            domain = domains.catalogue_domain(name) if isinstance(q, Quantity) else None
            if domain is None:
                continue
            for which in ("low", "value", "high"):
                problem = domain.explain(getattr(q, which), unit=q.unit)[0]
                if problem is not None:
                    raise ValueError(f"{name}.{which}: {problem}")
        return self


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
Angle = _of("angle")
