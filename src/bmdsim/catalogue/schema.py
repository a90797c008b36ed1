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

import math
import re
from typing import Literal

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bmdsim.catalogue.quantity import (
    ALSO_DESCRIPTION,
    GRADES,
    ID_PATTERN,
    Angle,
    Area,
    ArealMass,
    Dimensionless,
    Duration,
    EntryId,
    Grade,
    Length,
    Mass,
    Quantity,
    Source,
    Speed,
    _check_source,
    _check_sources,
    _known,
    _Model,
)

__all__ = [
    "GRADES",
    "ID_PATTERN",
    "Aero",
    "AeroTable",
    "CalibratedRanges",
    "Calibration",
    "CatalogueFile",
    "FieldOfRegard",
    "Interceptor",
    "Lifting",
    "Missile",
    "MotorClass",
    "Payload",
    "Published",
    "Quantity",
    "Radar",
    "Sensor",
    "Site",
    "SiteSystem",
    "Source",
    "Stage",
    "Steering",
]


class MotorClass(_Model):
    """A kind of rocket motor (``motors.yaml``) and what a motor of that kind can have:
    ``isp_vac`` low-high is the plausible vacuum specific impulse (value: a typical one),
    ``propellant_fraction`` low-high the plausible propellant / stage gross mass. A stage
    names its class in ``motor``; the catalogue's tests and ``scripts/calibrate.py`` hold
    every stage, and every calibrated value, inside its class's bands."""

    id: EntryId
    name: str
    propellants: str = Field(description="the propellant families the class covers")
    isp_vac: Duration
    propellant_fraction: Dimensionless
    notes: str | None = None


class Stage(_Model):
    """One rocket stage. ``gross_mass`` includes its propellant and excludes upper stages
    and payload; ``isp_vac`` is the vacuum specific impulse; ``motor`` the motor class
    (an id in ``motors.yaml``) whose Isp and propellant-fraction bands it must respect."""

    gross_mass: Mass
    propellant_mass: Mass
    isp_vac: Duration
    burn_time: Duration
    diameter: Length
    nozzle_exit_area: Area
    motor: EntryId | None = Field(
        default=None, description="motor class id (motors.yaml), e.g. solid-composite"
    )

    @field_validator("motor")
    @classmethod
    def _motor_known(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = _known(info, "motor_classes")
        if value is not None and known is not None and value not in known:
            raise ValueError(f"unknown motor class {value!r}; known: {', '.join(sorted(known))}")
        return value

    @model_validator(mode="after")
    def _propellant_fits(self) -> Stage:
        if self.propellant_mass.si >= self.gross_mass.si:
            raise ValueError("propellant_mass must be smaller than gross_mass")
        return self


class Payload(_Model):
    """What flies on after final burnout. With ``separates`` false (V-2, Scud-B, Iskander,
    Tochka, Polonez) the spent last stage coasts with it under the missile's Cd table.

    ``rcs`` is the radar cross-section of the object a defence radar tracks after
    burnout (the RV of a separating payload, the whole missile body otherwise): each
    radar's detection range scales to it from its reference range and reference RCS
    (R ~ sigma^(1/4)). Optional for user files; every shipped missile has one."""

    mass: Mass
    separates: bool
    ballistic_coefficient: ArealMass | None = Field(
        default=None, description="m/(Cd A) of the separated RV; required when separates"
    )
    rcs: Area | None = Field(
        default=None,
        description="radar cross-section of the tracked object (RV or missile body), m^2",
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


class Lifting(_Model):
    """Aerodynamic lift and the control law of a quasi-ballistic flight
    (docs/models/lifting-flight.md). Read only by the ``quasi-ballistic`` shape; every
    other shape and the footprints fly the missile ballistic.

    * ``lift_to_drag``: the largest lift-to-drag ratio; the lift is at most this times
      the drag of the missile's Cd table (a constant-L/D point mass);
    * ``apogee``: the apogee the quasi-ballistic profile is flown to (full burn, the
      kick that caps the ascent there);
    * ``glide_altitude``: the altitude the pull-up and level glide are commanded to
      (where L/D cannot hold it, the missile glides below it at full lift);
    * ``dive_angle``: the flight-path angle below the horizontal of the terminal dive."""

    lift_to_drag: Dimensionless
    apogee: Length
    glide_altitude: Length
    dive_angle: Angle

    @model_validator(mode="after")
    def _consistent(self) -> Lifting:
        if not 0.0 < self.lift_to_drag.low <= self.lift_to_drag.high <= 10.0:
            raise ValueError("lift_to_drag must lie in (0, 10]")
        if not 0.0 < self.dive_angle.low_si <= self.dive_angle.high_si <= math.pi / 2 + 1e-9:
            raise ValueError("dive_angle must lie in (0, 90] deg")
        if self.apogee.low_si <= 0 or self.glide_altitude.low_si <= 0:
            raise ValueError("apogee and glide_altitude must be positive")
        return self


class CalibratedRanges(_Model):
    """Azimuth-mean maximum ranges [km] the model flies from the calibration point with
    the calibrated quantity at its ``value``, ``low`` and ``high``."""

    value: float
    low: float
    high: float


class Calibration(_Model):
    """Which quantity was tuned, to hit which published figure, how, and with what.

    ``kind`` 'fit': ``parameter`` was solved so that the model's maximum range equals
    ``target`` (its low and high from the target's band); 'cap': ``parameter`` is the
    missile's ``range_cap``, a declared limit that reach applies on every bearing to an
    airframe that flies farther. ``model`` and ``date`` say which bmdsim physics did it;
    ``range_km_at`` what the stored values fly; ``unreached`` which part of the target
    band no plausible value reaches, and why (``scripts/calibrate.py`` writes these)."""

    parameter: str = Field(description="dotted path, e.g. 'stages[2].isp_vac' or 'payload.mass'")
    target: str = Field(default="published_range")
    method: str
    kind: Literal["fit", "cap"] = "fit"
    model: str | None = Field(default=None, description="bmdsim version and physics hash used")
    date: str | None = Field(default=None, description="ISO 8601 date of the calibration")
    range_km_at: CalibratedRanges | None = None
    uncapped_km: float | None = Field(
        default=None, description="cap: the airframe's own azimuth-mean maximum range, km"
    )
    unreached: str | None = Field(
        default=None, description="the part of the target band no plausible value reaches"
    )


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


MissileKind = Literal["srbm", "mrbm", "irbm", "icbm", "slbm", "hgv", "rocket-artillery", "historic"]

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
    lifting: Lifting | None = Field(
        default=None, description="lift for the quasi-ballistic shape; none: ballistic only"
    )
    calibration: Calibration | None = None
    range_cap: Length | None = Field(
        default=None,
        description="a declared range limit (export, treaty) that reach applies on every "
        "bearing to an airframe that flies farther; band low-high",
    )
    notes: str | None = None
    sources: list[Source] = Field(
        default_factory=list, description="sources only this entry cites (user files)"
    )

    @model_validator(mode="after")
    def _calibration_resolves(self) -> Missile:
        cal = self.calibration
        if cal is not None and cal.kind == "cap" and cal.parameter != "range_cap":
            raise ValueError("calibration: a 'cap' calibration's parameter is 'range_cap'")
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
    "air-defence",
    "radar",
    "air-base",
    "naval-base",
    "city",
    "capital",
    "icbm-base",
    "missile-brigade",
    "launch-area",
    "reference-city",
    "sea-station",
    "other",
]


def _check_system(value: str, info: ValidationInfo) -> str:
    known = _known(info, "systems")
    if known is not None and value not in known:
        raise ValueError(
            f"unknown system {value!r}: an interceptor, radar or sensor id; known: "
            f"{', '.join(sorted(known))}"
        )
    return value


class SiteSystem(_Model):
    """What is deployed at a site: an interceptor, radar or sensor id and how many.

    ``count`` is a plain integer where the number is published exactly (24 SM-3 IB at
    Deveselu) or a dimensionless :class:`Quantity` with a band where it is not (SM-3 loads
    of the Rota destroyers). ``notional`` marks a deployment that open sources discussed
    or planned but that did not happen as modelled (an S-400 battery in Belarus, SM-3 IIB
    at Redzikowo). ``ship`` marks sea-based systems homeported at the site (they can sail;
    the site point is only where they are based). ``boresight_azimuth`` is where a
    fixed-face radar points (degrees clockwise from true north), for radars whose field of
    regard is not 360 degrees. ``mast_height`` is the height above the ground of a radar
    antenna raised on a mast at this deployment (the 40V6M family of S-300/S-400
    towers); where given it replaces the radar type's ``antenna_height``: a low-altitude
    radar's horizon is set by its mast."""

    system: EntryId
    count: int | Dimensionless = Field(description="number deployed: an integer or a Quantity")
    notional: bool = False
    ship: bool = False
    since: int | None = Field(default=None, description="year operational (or planned)")
    boresight_azimuth: Angle | None = None
    mast_height: Length | None = Field(
        default=None,
        description="a radar's antenna height on a mast here, above the ground; "
        "replaces the radar's antenna_height",
    )
    source: str
    grade: Grade
    note: str | None = None
    also: list[str] | None = Field(default=None, description=ALSO_DESCRIPTION)

    _system_known = field_validator("system")(_check_system)
    _source_known = field_validator("source")(_check_source)
    _also_known = field_validator("also")(_check_sources)

    @field_validator("count")
    @classmethod
    def _count_positive(cls, count: int | Quantity) -> int | Quantity:
        low = count if isinstance(count, int) else count.low
        if low < 0:
            raise ValueError("count must be >= 0")
        return count

    @property
    def count_value(self) -> float:
        """The count as a float (the central value where a band is given)."""
        return float(self.count) if isinstance(self.count, int) else self.count.value


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
    also: list[str] | None = Field(default=None, description=ALSO_DESCRIPTION)
    systems: list[SiteSystem] = Field(
        default_factory=list, description="interceptors, radars and sensors deployed here"
    )

    _source_known = field_validator("source")(_check_source)
    _also_known = field_validator("also")(_check_sources)


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


# ---------------------------------------------------------------------------------------
# missile defence: interceptors, radars, sensors

KillMechanism = Literal["hit-to-kill", "blast-fragmentation"]


class Interceptor(_Model):
    """A missile-defence interceptor: the kinematic figures the open debate uses and the
    few airframe figures that are public or estimated (stage internals are not public
    for any of them).

    What the flyout physics reads (``docs/catalogue.md``, "Interceptors";
    ``docs/models/flyout.md``):

    * ``burnout_speed`` [m/s via ``.si``]: the speed at the end of powered flight, after
      gravity and drag losses, relative to the Earth, on the interceptor's best flyout
      (the launch elevation from 10 to 89 deg that burns out fastest). This is the number
      the policy debate turns on, and the one sweeps vary.
    * the rocket: ``launch_mass``, ``kill_vehicle_mass`` (everything above the motors:
      the kill vehicle, or warhead and guidance section), ``stage_burn_times`` (one per
      stage; their sum is ``burn_time``), ``isp_vac`` (vacuum specific impulse of the
      class of motor), ``diameter``, ``aero`` (Cd(Mach)), ``vertical_rise_time`` (vertical
      flight before the turn to the flyout elevation) and ``kill_vehicle_separates``.
      The flyout model calibrates one effective propellant fraction so that the best
      flyout burns out at ``burnout_speed``. ``borrows_from`` names the interceptor whose
      airframe figures a notional entry borrows.
    * ``min_intercept_altitude``, ``max_intercept_altitude``: an intercept is possible
      only inside this altitude window (exo-atmospheric kill vehicles only above the floor).
    * ``max_range`` (ground range from the site) and ``max_flight_time`` (time from
      launch): caps on the flyout table. They stand in for what the point-mass model does
      not compute: divert fuel, battery life and guidance limits.

    ``single_shot_pk`` is for the effectiveness layer; it is not a measured figure for
    any system: wide band, grade R."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str
    summary: str
    kill_mechanism: KillMechanism
    exo_atmospheric: bool = Field(
        description="true where the kill vehicle works only above the atmosphere"
    )
    notional: bool = Field(
        default=False, description="never deployed; figures as the open studies modelled it"
    )
    variant_of: EntryId | None = Field(default=None, description="id of the parent interceptor")
    borrows_from: EntryId | None = Field(
        default=None,
        description="a notional entry: the interceptor whose airframe figures it borrows",
    )
    burnout_speed: Speed
    burn_time: Duration
    stage_burn_times: list[Duration] = Field(min_length=1, max_length=4)
    kill_vehicle_mass: Mass
    kill_vehicle_separates: bool = Field(
        default=True, description="the kill vehicle flies on alone after burnout"
    )
    launch_mass: Mass
    isp_vac: Duration
    vertical_rise_time: Duration
    diameter: Length
    aero: Aero
    max_range: Length
    min_intercept_altitude: Length
    max_intercept_altitude: Length
    max_flight_time: Duration
    single_shot_pk: Dimensionless
    notes: str | None = None
    sources: list[Source] = Field(
        default_factory=list, description="sources only this entry cites (user files)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Interceptor:
        if self.min_intercept_altitude.si >= self.max_intercept_altitude.si:
            raise ValueError("min_intercept_altitude must be below max_intercept_altitude")
        pk = self.single_shot_pk
        if not 0.0 <= pk.low <= pk.high <= 1.0:
            raise ValueError("single_shot_pk must lie in [0, 1]")
        if self.variant_of == self.id:
            raise ValueError("variant_of must name another interceptor")
        if self.borrows_from == self.id:
            raise ValueError("borrows_from must name another interceptor")
        total = sum(t.si for t in self.stage_burn_times)
        if abs(total - self.burn_time.si) > 0.01 * self.burn_time.si:
            raise ValueError(
                f"stage_burn_times add up to {total:g} s but burn_time is "
                f"{self.burn_time.si:g} s; they must agree within 1 %"
            )
        if self.kill_vehicle_mass.si >= self.launch_mass.si:
            raise ValueError("kill_vehicle_mass must be below launch_mass")
        return self

    @property
    def altitude_window_m(self) -> tuple[float, float]:
        """(floor, ceiling) of intercept altitude [m], central values."""
        return self.min_intercept_altitude.si, self.max_intercept_altitude.si


class FieldOfRegard(_Model):
    """Where a radar can look. ``azimuth_half_width`` is measured from the boresight
    (180 degrees for rotating antennas and for phased arrays whose faces cover 360
    degrees); elevation runs from the radar's ``min_elevation`` up to ``max_elevation``.
    The boresight azimuth belongs to a deployment (``SiteSystem.boresight_azimuth``)."""

    azimuth_half_width: Angle
    max_elevation: Angle
    faces: int = Field(ge=0, description="array faces; 0 for a rotating antenna")

    @model_validator(mode="after")
    def _angles(self) -> FieldOfRegard:
        if not 0.0 < self.azimuth_half_width.si <= math.pi + 1e-9:
            raise ValueError("azimuth_half_width must lie in (0, 180] deg")
        if not 0.0 < self.max_elevation.si <= math.pi / 2 + 1e-9:
            raise ValueError("max_elevation must lie in (0, 90] deg")
        return self

    @property
    def full_circle(self) -> bool:
        """Whether the radar sees all azimuths (half-width >= 180 degrees)."""
        return self.azimuth_half_width.si >= math.pi - 1e-9


RadarRole = Literal["early-warning", "bmd-tracking", "air-defence-surveillance", "multifunction"]


class Radar(_Model):
    """A radar type. Its detection range against a target of radar cross-section sigma is
    ``R(sigma) = reference_range * (sigma / reference_rcs) ** 0.25`` (radar equation at a
    fixed signal-to-noise ratio), limited by the Earth's horizon from ``antenna_height``
    above the site, by ``min_elevation`` and by ``field_of_regard``. ``track_time`` is the
    delay from first detection to a firm track that can commit an interceptor.

    ``reference_rcs`` is the anchor of the scaling: the cross-section that the published
    range is for, or, where the source does not say, the assumption stated in its note.
    Its band is empty (low = value = high) on purpose: the disagreement lives in
    ``reference_range``."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str
    role: RadarRole
    band: str = Field(description="frequency band as published, e.g. 'X', 'S', 'VHF'")
    summary: str
    reference_range: Length
    reference_rcs: Area
    min_elevation: Angle
    field_of_regard: FieldOfRegard
    antenna_height: Length
    track_time: Duration
    notes: str | None = None
    sources: list[Source] = Field(
        default_factory=list, description="sources only this entry cites (user files)"
    )

    @model_validator(mode="after")
    def _positive_rcs(self) -> Radar:
        if self.reference_rcs.low <= 0 or self.reference_range.low <= 0:
            raise ValueError("reference_range and reference_rcs must be positive")
        return self

    def detection_range_m(self, rcs_m2: float, which: str = "value") -> float:
        """Free-space detection range [m] against ``rcs_m2`` by the sigma^(1/4) scaling
        (no horizon): ``which`` is 'value', 'low' or 'high' of ``reference_range``."""
        r_ref = {
            "value": self.reference_range.si,
            "low": self.reference_range.low_si,
            "high": self.reference_range.high_si,
        }[which]
        return r_ref * (rcs_m2 / self.reference_rcs.si) ** 0.25


SensorKind = Literal["early-warning-satellite"]


class Sensor(_Model):
    """A non-radar sensor. An early-warning satellite reports a boosting missile
    ``detection_delay`` after its launch (if it is still burning then); the report cues
    radars and can support launch-on-remote but is not a fire-control track."""

    id: EntryId
    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str
    kind: SensorKind
    summary: str
    detection_delay: Duration
    notes: str | None = None
    sources: list[Source] = Field(
        default_factory=list, description="sources only this entry cites (user files)"
    )


class CatalogueFile(_Model):
    """One catalogue YAML document: any of these lists (shipped files hold one kind)."""

    sources: list[Source] = Field(default_factory=list)
    aero_tables: list[AeroTable] = Field(default_factory=list)
    missiles: list[Missile] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    motor_classes: list[MotorClass] = Field(default_factory=list)
    interceptors: list[Interceptor] = Field(default_factory=list)
    radars: list[Radar] = Field(default_factory=list)
    sensors: list[Sensor] = Field(default_factory=list)
