"""Catalogue names in, typed physics inputs out: the one place where they are joined.

The physics (``bmdsim.flight``, ``bmdsim.defence``) never imports the catalogue; every
analysis resolves its names here, once:

* places: a catalogue site (id or alias), ``"LAT,LON"`` in degrees, a (lat, lon) pair;
* missiles: an id or alias, a user's vehicle YAML file, a catalogue ``Missile`` or a
  physics ``Vehicle`` -> :class:`~bmdsim.flight.vehicle.Vehicle` (central values);
* cruise missiles (``cruise.yaml``) -> :class:`~bmdsim.flight.cruise.CruiseVehicle`, its
  fuel solved in closed form for either end of the published range's band;
* defences: ``SITE`` or ``SITE:INTERCEPTOR`` -> :class:`BatterySpec` (with its
  :class:`InterceptorModel`, inventory and the site's radars);
* sensors: ``SITE:RADAR``, ``SITE`` (its radars) or a sensor id such as
  ``early-warning-satellite`` -> :class:`RadarView` or the catalogue ``Sensor``;
* doctrine: the catalogue's cited defaults (``doctrine.yaml``) -> the physics'
  :class:`~bmdsim.defence.engagement.Doctrine`, the inventory of a what-if battery and the
  early-warning report latency.

Below this module no ``"SITE:SYSTEM"`` string is parsed again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from bmdsim.catalogue import Catalogue, Missile, Sensor, default_catalogue, load_missile_file
from bmdsim.defence.engagement import Doctrine
from bmdsim.defence.interceptor import InterceptorDesign
from bmdsim.defence.radar import visibility
from bmdsim.errors import InputError, UnknownEntryError
from bmdsim.flight.cruise import CruiseVehicle, breguet_fuel_fraction
from bmdsim.flight.trajectory import check_point
from bmdsim.flight.vehicle import Stage, Vehicle


def catalogue_or_default(catalogue: Catalogue | None) -> Catalogue:
    """``catalogue``, or the shipped one (``bmdsim.catalogue()``)."""
    return catalogue if catalogue is not None else default_catalogue()


# -- doctrine ------------------------------------------------------------------------------


def doctrine_value(name: str, catalogue: Catalogue | None = None) -> float:
    """The central value (SI) of the catalogue's doctrine entry ``name``."""
    return catalogue_or_default(catalogue).doctrine_entry(name).si


def default_doctrine(catalogue: Catalogue | None = None, **given) -> Doctrine:
    """The physics' Doctrine with the catalogue's cited delays (``decision-delay``,
    ``assessment-delay``) where ``given`` (Doctrine fields; None = not given) says nothing."""
    cat = catalogue_or_default(catalogue)
    values = {
        "decision_delay_s": doctrine_value("decision-delay", cat),
        "assessment_delay_s": doctrine_value("assessment-delay", cat),
    }
    values.update({k: v for k, v in given.items() if v is not None})
    return Doctrine(**values)


def notional_inventory(catalogue: Catalogue | None = None) -> int:
    """Rounds of a battery named as SITE:INTERCEPTOR where the catalogue deploys none
    (doctrine entry ``notional-battery-inventory``: an Aegis Ashore site's load)."""
    return int(round(doctrine_value("notional-battery-inventory", catalogue)))


def report_latency_s(catalogue: Catalogue | None = None) -> float:
    """Early-warning report latency [s] (doctrine entry ``early-warning-report-latency``)."""
    return doctrine_value("early-warning-report-latency", catalogue)


# -- places ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A point on the ellipsoid: a catalogue site (``id``, ``name``) or a bare position."""

    lat_deg: float
    lon_deg: float
    alt_m: float = 0.0
    id: str | None = None
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id or f"{self.lat_deg:.4f}, {self.lon_deg:.4f}"


def resolve_place(spec, catalogue: Catalogue | None = None, *, what="place") -> Place:
    """A catalogue site (id or alias), "LAT,LON" in degrees, a (lat, lon) pair, or a Place."""
    if isinstance(spec, Place):
        return spec
    if isinstance(spec, tuple | list) and len(spec) == 2:
        lat, lon = float(spec[0]), float(spec[1])
        check_point(lat, lon, what)
        return Place(lat, lon)
    text = str(spec).strip()
    parts = text.split(",")
    if len(parts) == 2:
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            lat = lon = None
        if lat is not None:
            check_point(lat, lon, what)
            return Place(lat, lon)
    site = catalogue_or_default(catalogue).site(text)
    return Place(site.lat_deg, site.lon_deg, site.elevation_m or 0.0, site.id, site.name)


def select_sites(sites="nato", catalogue: Catalogue | None = None):
    """Sites for a reach analysis: a tag ('nato', 'reference-city', ...), 'all', or ids, as
    (id, name, lat_deg, lon_deg) tuples."""
    cat = catalogue_or_default(catalogue)
    if sites is None:
        return []
    if isinstance(sites, str):
        if not sites.strip() or any(not s.strip() for s in sites.split(",")):
            raise InputError(
                f"sites {sites!r}: an empty site name; write a tag (nato), 'all' or id,id",
                field="sites",
                value=sites,
                allowed="a site tag, 'all' or comma-separated site ids",
            )
        if sites == "all":
            chosen = cat.entries("site")
        elif "," in sites or sites not in {t for s in cat.entries("site") for t in s.tags}:
            chosen = [cat.site(name.strip()) for name in sites.split(",") if name.strip()]
        else:
            chosen = [s for s in cat.entries("site") if sites in s.tags]
    else:
        chosen = [s if hasattr(s, "lat_deg") else cat.site(str(s)) for s in sites]
    return [(s.id, s.name, s.lat_deg, s.lon_deg) for s in chosen]


# -- missiles ----------------------------------------------------------------------------


def vehicle_from_missile(missile: Missile, catalogue: Catalogue | None = None) -> Vehicle:
    """The physics' Vehicle (SI floats, central values) for a catalogue Missile."""
    table = catalogue_or_default(catalogue).aero_table(missile.aero.cd_table)
    stages = tuple(
        Stage(
            gross_mass_kg=s.gross_mass.si,
            propellant_mass_kg=s.propellant_mass.si,
            isp_vac_s=s.isp_vac.si,
            burn_time_s=s.burn_time.si,
            diameter_m=s.diameter.si,
            nozzle_exit_area_m2=s.nozzle_exit_area.si,
        )
        for s in missile.stages
    )
    beta = missile.payload.ballistic_coefficient
    lift = {}
    if missile.lifting is not None:
        lift = {
            "lift_to_drag": missile.lifting.lift_to_drag.si,
            "quasi_ballistic_apogee_m": missile.lifting.apogee.si,
            "glide_altitude_m": missile.lifting.glide_altitude.si,
            "dive_angle_rad": missile.lifting.dive_angle.si,
        }
    return Vehicle(
        id=missile.id,
        name=missile.name,
        stages=stages,
        payload_mass_kg=missile.payload.mass.si,
        payload_separates=missile.payload.separates,
        rv_ballistic_coefficient_kg_m2=beta.si if beta is not None else 0.0,
        cd_mach=tuple(table.mach),
        cd=tuple(table.cd),
        cd_scale=missile.aero.cd_scale.si,
        vertical_rise_s=missile.steering.vertical_rise_time.si,
        **lift,
    )


def resolve_missile(spec, catalogue: Catalogue | None = None):
    """(Vehicle, Missile or None, provenance tuple) for an id, alias, YAML path or object."""
    if isinstance(spec, Vehicle):
        return spec, None, (f"vehicle:{spec.id} (user object)",)
    cat = catalogue_or_default(catalogue)
    if isinstance(spec, Missile):
        missile, prov = spec, (f"missile:{spec.id}",)
    else:
        text = str(spec)
        if text.lower().endswith((".yaml", ".yml")) or Path(text).is_file():
            missile = load_missile_file(text, cat)
            prov = (f"missile:{missile.id} (user file {text})",)
        else:
            missile = cat.missile(text)
            prov = (f"missile:{missile.id}",)
            if cat.is_overridden("missile", missile.id):
                prov = (f"missile:{missile.id} (overridden by a user file)",)
    return vehicle_from_missile(missile, cat), missile, prov


# The catalogue path of a missile quantity -> the Vehicle field it sets (the map
# ``vehicle_from_missile`` applies to central values, for values drawn per sample).
STAGE_FIELDS = {
    "gross_mass": "gross_mass_kg",
    "propellant_mass": "propellant_mass_kg",
    "isp_vac": "isp_vac_s",
    "burn_time": "burn_time_s",
    "diameter": "diameter_m",
    "nozzle_exit_area": "nozzle_exit_area_m2",
}
VEHICLE_FIELDS = {
    "payload.mass": "payload_mass_kg",
    "payload.ballistic_coefficient": "rv_ballistic_coefficient_kg_m2",
    "aero.cd_scale": "cd_scale",
    "steering.vertical_rise_time": "vertical_rise_s",
    "lifting.lift_to_drag": "lift_to_drag",
    "lifting.apogee": "quasi_ballistic_apogee_m",
    "lifting.glide_altitude": "glide_altitude_m",
    "lifting.dive_angle": "dive_angle_rad",
}
_STAGE_RE = re.compile(r"^stages\[(\d+)\]\.(\w+)$")


def vehicle_field(path: str) -> str | None:
    """The Vehicle field a catalogue missile path sets (``stages[1].isp_vac`` ->
    ``stages[1].isp_vac_s``), or None when the path is not a flight input."""
    m = _STAGE_RE.match(path)
    if m and m[2] in STAGE_FIELDS:
        return f"stages[{m[1]}].{STAGE_FIELDS[m[2]]}"
    return VEHICLE_FIELDS.get(path)


def vehicle_with(vehicle: Vehicle, values: dict) -> Vehicle:
    """``vehicle`` with Vehicle/Stage fields replaced (``{'stages[1].isp_vac_s': x, ...}``)."""
    stages = list(vehicle.stages)
    top = {}
    for key, v in values.items():
        m = _STAGE_RE.match(key)
        if m:
            k = int(m[1])
            stages[k] = replace(stages[k], **{m[2]: float(v)})
        else:
            top[key] = float(v)
    return replace(vehicle, stages=tuple(stages), **top)


# -- cruise missiles ---------------------------------------------------------------------


def cruise_entry(spec, catalogue: Catalogue | None = None):
    """The catalogue ``CruiseMissile`` named ``spec`` (id, alias or entry), or None when
    the name is no cruise missile (a ballistic missile's name, a vehicle file)."""
    if hasattr(spec, "flight_profile"):
        return spec
    if not isinstance(spec, str) or spec.lower().endswith((".yaml", ".yml")):
        return None
    cat = catalogue_or_default(catalogue)
    try:
        cat.missile(spec)
        return None
    except UnknownEntryError:
        pass
    try:
        return cat.cruise_missile(spec)
    except UnknownEntryError:
        return None


def cruise_vehicle(entry, which: str = "value", *, launch_altitude_m: float = 0.0):
    """The ``CruiseVehicle`` (SI) of a catalogue ``CruiseMissile`` whose fuel load flies
    the ``which`` end ('low', 'value', 'high') of its published range by Breguet's range
    at cruise speed and altitude (docs/models/cruise.md). InputError for an aeroballistic
    weapon, which the cruise model does not fly."""
    if not entry.flyable:
        raise InputError(
            f"{entry.id} is {entry.kind}: the cruise model does not fly it (its range and "
            "speed are catalogued for reach only)",
            field="missile",
            value=entry.id,
            allowed="a cruise missile (bmdsim catalogue list --kind cruise)",
        )
    rng = {"low": entry.published_range.low_si, "value": entry.published_range.si}
    rng["high"] = entry.published_range.high_si
    v, h, e = entry.cruise_speed.si, entry.cruise_altitude.si, entry.lift_to_drag.si
    isp, m0 = entry.specific_impulse.si, entry.launch_mass.si
    fuel = float(breguet_fuel_fraction(rng[which], v, e, isp, h)) * m0
    low_alt = entry.low_level_altitude.si if entry.low_level_altitude is not None else 0.0
    low_m = 0.0
    if entry.flight_profile == "high-low":
        low_m = entry.low_level_distance.si
    dive = entry.terminal_dive_angle.si if entry.terminal_dive_angle is not None else 0.5236
    return CruiseVehicle(
        id=entry.id,
        name=entry.name,
        cruise_speed_m_s=v,
        cruise_altitude_m=h,
        launch_mass_kg=m0,
        fuel_mass_kg=fuel,
        lift_to_drag=e,
        isp_s=isp,
        thrust_to_weight=entry.thrust_to_weight.si,
        dive_angle_rad=dive,
        low_level_altitude_m=low_alt,
        low_level_m=low_m,
        launch_altitude_m=launch_altitude_m,
    )


# -- interceptors and batteries ------------------------------------------------------------


@dataclass(frozen=True)
class InterceptorModel:
    """What the physics reads from a catalogue interceptor (SI): the catalogue burnout
    speed, the rocket it is built from (``defence.interceptor.InterceptorDesign``) and
    the caps of its flyout (altitude window, maximum flight time, maximum range)."""

    id: str
    burnout_speed_m_s: float
    design: InterceptorDesign
    min_altitude_m: float
    max_altitude_m: float
    max_flight_time_s: float
    max_range_m: float
    notional: bool = False
    borrows_from: str | None = None

    @property
    def burn_time_s(self) -> float:
        return self.design.burn_time_s


def interceptor_design(i, catalogue: Catalogue | None = None) -> InterceptorDesign:
    """The ``InterceptorDesign`` (central values, SI) of a catalogue ``Interceptor``."""
    table = catalogue_or_default(catalogue).aero_table(i.aero.cd_table)
    return InterceptorDesign(
        id=i.id,
        launch_mass_kg=i.launch_mass.si,
        kill_vehicle_mass_kg=i.kill_vehicle_mass.si,
        stage_burn_times_s=tuple(t.si for t in i.stage_burn_times),
        isp_vac_s=i.isp_vac.si,
        diameter_m=i.diameter.si,
        vertical_rise_s=i.vertical_rise_time.si,
        cd_mach=tuple(table.mach),
        cd=tuple(table.cd),
        cd_scale=i.aero.cd_scale.si,
        kill_vehicle_separates=bool(i.kill_vehicle_separates),
        name=i.name,
    )


def interceptor_model(name, catalogue: Catalogue | None = None) -> InterceptorModel:
    """The ``InterceptorModel`` of a catalogue interceptor (id or alias)."""
    cat = catalogue_or_default(catalogue)
    i = cat.interceptor(name)
    if i.borrows_from is not None:
        cat.interceptor(i.borrows_from)  # a name that does not resolve fails here
    return InterceptorModel(
        i.id,
        i.burnout_speed.si,
        interceptor_design(i, cat),
        i.min_intercept_altitude.si,
        i.max_intercept_altitude.si,
        i.max_flight_time.si,
        i.max_range.si,
        bool(i.notional),
        i.borrows_from,
    )


def threat_rcs_m2(missile, vehicle=None) -> float:
    """The radar cross-section (m^2) of the object a radar tracks of a catalogue
    ``Missile`` (its payload's ``rcs``). InputError when there is none (a user vehicle
    without ``payload.rcs``): name an RCS instead (``rcs_m2``)."""
    rcs = None if missile is None else missile.payload.rcs
    if rcs is None:
        name = missile.id if missile is not None else getattr(vehicle, "id", "the threat")
        raise InputError(
            f"{name} has no radar cross-section (payload.rcs); give one (--rcs-m2, or a "
            "threat's rcs_m2 in a scenario) or add payload.rcs to its vehicle file",
            field="rcs_m2",
            value=None,
            allowed="> 0 m^2",
        )
    return rcs.si


@dataclass(frozen=True)
class BatterySpec:
    """One interceptor type at one site, resolved from the catalogue (or a scenario)."""

    site_id: str
    interceptor_id: str
    lat_deg: float
    lon_deg: float
    alt_m: float
    inventory: int  # rounds at the site (notional_inventory() where none is deployed)
    radars: tuple[str, ...]  # SITE:RADAR names of the site's own radars
    model: InterceptorModel
    pk: float  # the catalogue's single-shot Pk (central value)
    notional: bool = False  # a notional interceptor, deployment or what-if battery

    @property
    def label(self) -> str:
        return f"{self.site_id}:{self.interceptor_id}"


def _parse_pair(text: str, what: str):
    site, colon, system = str(text).partition(":")
    if not site.strip() or (colon and not system.strip()) or ":" in system:
        raise InputError(
            f"{what} {text!r}: write SITE or SITE:SYSTEM",
            field=what,
            value=text,
            allowed="SITE[:SYSTEM]",
        )
    return site.strip(), system.strip() or None


def resolve_defences(
    defences, catalogue: Catalogue | None = None, *, include_notional=False
) -> list[BatterySpec]:
    """BatterySpecs for ``defences``: ``SITE`` (every interceptor deployed there; notional
    ones only with ``include_notional``), ``SITE:INTERCEPTOR`` or BatterySpec objects."""
    cat = catalogue_or_default(catalogue)
    out: list[BatterySpec] = []
    for spec in defences:
        if isinstance(spec, BatterySpec):
            out.append(spec)
            continue
        site_name, system = _parse_pair(spec, "defence")
        site = cat.site(site_name)
        if system is None:
            chosen = [
                s
                for s in site.systems
                if s.system in cat.interceptors and (include_notional or not s.notional)
            ]
            if not chosen:
                raise InputError(
                    f"no interceptors are deployed at {site.id}; name one as {site.id}:INTERCEPTOR",
                    field="defence",
                    value=spec,
                    allowed=sorted(cat.interceptors),
                )
            names = [(s.system, int(s.count_value), s.notional) for s in chosen]
        else:
            interceptor = cat.interceptor(system)
            deployed = {s.system: s for s in site.systems}
            s = deployed.get(interceptor.id)
            names = [
                (
                    interceptor.id,
                    int(s.count_value) if s else notional_inventory(cat),
                    s.notional if s else True,  # not deployed there: a what-if battery
                )
            ]
        radars = tuple(f"{site.id}:{s.system}" for s in site.systems if s.system in cat.radars)
        for iid, count, notional_here in names:
            model = interceptor_model(iid, cat)
            out.append(
                BatterySpec(
                    site.id,
                    iid,
                    site.lat_deg,
                    site.lon_deg,
                    float(site.elevation_m or 0.0),
                    count,
                    radars,
                    model,
                    float(cat.interceptor(iid).single_shot_pk.value),
                    bool(notional_here or model.notional),
                )
            )
    return out


# -- sensors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarView:
    """One radar deployed at one site, as a sensor: where its antenna is and where it looks."""

    name: str  # SITE:RADAR
    site_id: str
    lat_deg: float
    lon_deg: float
    antenna_alt_m: float  # site elevation + antenna height
    radar: object  # the catalogue Radar
    boresight_azimuth_rad: float | None
    half_width_azimuth_rad: float

    def visibility(self, r_ecef_m, *, max_range_m, min_elevation_rad=None):
        """``radar.visibility`` of ECEF points (N, 3) from this radar."""
        fov = self.radar.field_of_regard
        return visibility(
            self.lat_deg,
            self.lon_deg,
            self.antenna_alt_m,
            r_ecef_m,
            max_range_m=max_range_m,
            min_elevation_rad=(
                self.radar.min_elevation.si if min_elevation_rad is None else min_elevation_rad
            ),
            boresight_azimuth_rad=self.boresight_azimuth_rad,
            half_width_azimuth_rad=self.half_width_azimuth_rad,
            max_elevation_rad=fov.max_elevation.si,
        )


def antenna_height_m(radar, deployment=None) -> tuple[float, str]:
    """A radar's antenna height above the ground [m] at a deployment, and where it comes
    from: the deployment's ``mast_height`` (a 40V6M-type mast) where the site gives one,
    else the radar type's ``antenna_height``."""
    mast = getattr(deployment, "mast_height", None)
    if mast is not None:
        return mast.si, "mast at the site"
    return radar.antenna_height.si, "radar on its vehicle"


def resolve_sensors(sensors, catalogue: Catalogue | None = None):
    """(radar views, satellite sensors) for ``sensors``: ``SITE:RADAR`` (or ``SITE`` for
    every radar there), sensor ids such as ``early-warning-satellite``, or RadarView /
    catalogue Sensor objects."""
    cat = catalogue_or_default(catalogue)
    views, satellites = [], []
    for spec in sensors:
        if isinstance(spec, RadarView):
            views.append(spec)
            continue
        if isinstance(spec, Sensor):
            satellites.append(spec)
            continue
        site_name, system = _parse_pair(spec, "sensor")
        if system is None and site_name in cat.sensors:
            satellites.append(cat.sensor(site_name))
            continue
        site = cat.site(site_name)
        systems = [s for s in site.systems if s.system in cat.radars]
        if system is not None:
            radar = cat.radar(system)
            systems = [s for s in systems if s.system == radar.id] or [None]
            pairs = [(radar, systems[0])]
        else:
            if not systems:
                raise InputError(
                    f"no radar is deployed at {site.id}; name one as {site.id}:RADAR",
                    field="sensor",
                    value=spec,
                    allowed=sorted(cat.radars),
                )
            pairs = [(cat.radar(s.system), s) for s in systems]
        for radar, deployment in pairs:
            boresight = (
                deployment.boresight_azimuth.si
                if deployment is not None and deployment.boresight_azimuth is not None
                else None
            )
            views.append(
                RadarView(
                    f"{site.id}:{radar.id}",
                    site.id,
                    site.lat_deg,
                    site.lon_deg,
                    (site.elevation_m or 0.0) + antenna_height_m(radar, deployment)[0],
                    radar,
                    boresight,
                    radar.field_of_regard.azimuth_half_width.si
                    if boresight is not None
                    else math.pi,
                )
            )
    return views, satellites


def default_sensors(batteries, catalogue: Catalogue | None = None) -> list[str]:
    """The radars at the batteries' sites plus every catalogue sensor (``engage``'s default)."""
    cat = catalogue_or_default(catalogue)
    sensors = [r for b in batteries for r in b.radars]
    sensors += list(cat.sensors)
    return list(dict.fromkeys(sensors))


def check_sensors(sensors, catalogue: Catalogue | None = None) -> None:
    """Raise for a sensor name that does not resolve (before anything is flown)."""
    if sensors:
        resolve_sensors(sensors, catalogue)


def check_cue_at(cue_at) -> float | str | None:
    """``cue_at`` as 'burnout', seconds >= 0, or None; raise InputError otherwise."""
    if cue_at is None or str(cue_at).strip().lower() == "burnout":
        return None if cue_at is None else "burnout"
    try:
        t0 = float(cue_at)
    except ValueError:
        t0 = math.nan
    if not (math.isfinite(t0) and t0 >= 0):
        raise InputError(
            f"cue time {cue_at!r} must be 'burnout' or seconds >= 0",
            field="cue_at",
            value=cue_at,
            allowed="burnout | seconds >= 0",
        )
    return t0
