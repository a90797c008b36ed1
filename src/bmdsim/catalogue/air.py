"""Catalogue schema of what flies in the air: aircraft (carriers) and cruise missiles and
stand-off weapons (``aircraft.yaml``, ``cruise.yaml``).

Written like the rest of the catalogue (``schema.py``, ``quantity.py``): every number a cited
:class:`~bmdsim.catalogue.schema.Quantity` with its band and grade. What the cruise
flight model (``bmdsim.flight.cruise``) reads from a :class:`CruiseMissile`:
``cruise_speed``, ``cruise_altitude``, ``launch_mass``, ``lift_to_drag`` (the maximum
lift-to-drag ratio at the design point), ``specific_impulse`` (fuel-based: a turbofan's
~5,000 s is a thrust-specific fuel consumption of 1 / (g0 Isp)), ``thrust_to_weight``,
``terminal_dive_angle`` and, for a low-level profile, ``low_level_altitude`` and
``low_level_distance``. Its fuel load is not published for any of them: it is solved in
closed form (Breguet) so that a cruise at ``cruise_speed`` and ``cruise_altitude``
reaches ``published_range`` (its low and high from the range's band;
``docs/models/cruise.md``). An ``aeroballistic`` weapon (Kinzhal) is not a cruise
missile: its range, speed and apogee are catalogued for reach, and it is not flown.

An :class:`Aircraft` is a carrier: ``combat_radius`` (out and back with a stand-off
load, the figure the open sources give), ``cruise_speed`` (the transit to the release
point), ``dash_speed``, ``cruise_altitude`` and ``weapons`` (ids in ``cruise.yaml``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bmdsim.catalogue.quantity import (
    Angle,
    Area,
    Dimensionless,
    Duration,
    EntryId,
    Length,
    Mass,
    Source,
    Speed,
    _known,
    _Model,
)

__all__ = ["Aircraft", "CruiseMissile"]

AircraftRole = Literal["bomber", "fighter", "fighter-bomber", "interceptor"]
CruiseKind = Literal["alcm", "glcm", "slcm", "anti-ship", "aeroballistic"]
Propulsion = Literal["turbofan", "turbojet", "liquid-rocket", "solid-rocket", "ramjet"]
Profile = Literal["high", "low", "high-low", "high-dive", "aeroballistic"]
Basing = Literal["air", "ground", "sea"]


class CruiseMissile(_Model):
    """A cruise missile or stand-off weapon (air-, ground- or sea-launched)."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: CruiseKind
    launched_from: list[Basing] = Field(min_length=1)
    country: str
    summary: str
    propulsion: Propulsion
    flight_profile: Profile
    published_range: Length
    cruise_speed: Speed
    cruise_altitude: Length
    max_speed: Speed | None = None
    low_level_altitude: Length | None = None
    low_level_distance: Length | None = None
    terminal_dive_angle: Angle | None = None
    apogee: Length | None = Field(default=None, description="aeroballistic: highest point")
    launch_mass: Mass
    lift_to_drag: Dimensionless | None = None
    specific_impulse: Duration | None = None
    thrust_to_weight: Dimensionless | None = None
    rcs: Area | None = None
    notes: str | None = None
    sources: list[Source] = Field(
        default_factory=list, description="sources only this entry cites (user files)"
    )

    @model_validator(mode="after")
    def _flyable(self) -> CruiseMissile:
        if self.flight_profile == "aeroballistic":
            if self.kind != "aeroballistic":
                raise ValueError("flight_profile 'aeroballistic' needs kind 'aeroballistic'")
            return self
        missing = [
            name
            for name in ("lift_to_drag", "specific_impulse", "thrust_to_weight")
            if getattr(self, name) is None
        ]
        if missing:
            raise ValueError(f"a cruise missile needs {', '.join(missing)}")
        if self.flight_profile in ("low", "high-low") and self.low_level_altitude is None:
            raise ValueError(f"flight_profile {self.flight_profile!r} needs low_level_altitude")
        if self.flight_profile == "high-low" and self.low_level_distance is None:
            raise ValueError("flight_profile 'high-low' needs low_level_distance")
        return self

    @property
    def flyable(self) -> bool:
        """Whether the cruise flight model flies it (not an aeroballistic weapon)."""
        return self.flight_profile != "aeroballistic"


class Aircraft(_Model):
    """An aircraft as a carrier of stand-off weapons."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    role: AircraftRole
    country: str
    summary: str
    combat_radius: Length
    cruise_speed: Speed
    dash_speed: Speed
    cruise_altitude: Length
    service_ceiling: Length | None = None
    weapons: list[EntryId] = Field(default_factory=list, description="cruise.yaml ids")
    notes: str | None = None
    sources: list[Source] = Field(
        default_factory=list, description="sources only this entry cites (user files)"
    )

    @field_validator("weapons")
    @classmethod
    def _weapons_known(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known = _known(info, "cruise_missiles")
        if known is not None:
            unknown = [w for w in value if w not in known]
            if unknown:
                raise ValueError(
                    f"unknown weapon {unknown[0]!r}; known: {', '.join(sorted(known))}"
                )
        return value
