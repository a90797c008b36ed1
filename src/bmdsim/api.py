"""The public API: catalogue names in, physics results out.

This layer joins the cited catalogue (``bmdsim.catalogue``) to the physics
(``bmdsim.flight``), which never imports the catalogue. Names are resolved here:
missiles by id, alias or a user's YAML file; places by catalogue id/alias or
"LAT,LON" in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bmdsim.flight.batch import FlightModel
from bmdsim.flight.integrate import StepControl
from bmdsim.flight.reach import Footprint, reach_vehicle
from bmdsim.flight.trajectory import Trajectory, check_point, coast, fly_vehicle
from bmdsim.flight.vehicle import Stage, Vehicle


def catalogue(extra_paths=()):
    """The cited catalogue (shipped files plus any of the user's): ``bmdsim.catalogue()``."""
    import bmdsim.catalogue as package  # callable: see catalogue/__init__.py

    return package(extra_paths)


def vehicle_from_missile(missile, cat=None) -> Vehicle:
    """The physics' Vehicle (SI floats, central values) for a catalogue Missile."""
    cat = cat or catalogue()
    table = cat.aero_table(missile.aero.cd_table)
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
    )


def resolve_missile(spec, cat=None):
    """(Vehicle, Missile or None, provenance tuple) for an id, alias, YAML path or object."""
    if isinstance(spec, Vehicle):
        return spec, None, (f"vehicle:{spec.id} (user object)",)
    cat = cat or catalogue()
    from bmdsim.catalogue import Missile, load_missile_file

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


@dataclass(frozen=True)
class Place:
    lat_deg: float
    lon_deg: float
    alt_m: float = 0.0
    id: str | None = None
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id or f"{self.lat_deg:.4f}, {self.lon_deg:.4f}"


def resolve_place(spec, cat=None, *, what="place") -> Place:
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
    site = (cat or catalogue()).site(text)
    return Place(site.lat_deg, site.lon_deg, site.elevation_m or 0.0, site.id, site.name)


def flight_model(earth="wgs84", rotation=True, drag=True, steps=None) -> FlightModel:
    return FlightModel(earth=earth, rotation=rotation, drag=drag, steps=steps or StepControl())


def fly(
    missile,
    *,
    origin,
    target=None,
    shape="minimum-energy",
    azimuth_deg=None,
    kick_deg=None,
    model: FlightModel | None = None,
    backend="auto",
    catalogue_=None,
) -> Trajectory:
    """Fly a missile from ``origin`` to ``target`` (site id/alias or "LAT,LON") along
    ``shape`` ('minimum-energy', 'lofted', 'depressed' or 'apogee=KM'); or, without a
    target, on heading ``azimuth_deg`` at maximum range (or with ``kick_deg``).

    >>> import bmdsim
    >>> t = bmdsim.fly("iskander-m", origin="brest", target="redzikowo")  # doctest: +SKIP
    """
    cat = catalogue_
    vehicle, _, prov = resolve_missile(missile, cat)
    start = resolve_place(origin, cat, what="launch")
    kwargs = {}
    if target is not None:
        end = resolve_place(target, cat, what="target")
        kwargs = {"target_lat_deg": end.lat_deg, "target_lon_deg": end.lon_deg}
    return fly_vehicle(
        vehicle,
        launch_lat_deg=start.lat_deg,
        launch_lon_deg=start.lon_deg,
        launch_alt_m=start.alt_m,
        shape=shape,
        azimuth_deg=azimuth_deg,
        kick_deg=kick_deg,
        model=model,
        backend=backend,
        provenance=prov,
        **kwargs,
    )


def select_sites(sites="nato", cat=None):
    """Sites for a reach analysis: a tag ('nato', 'aimpoint', ...), 'all', or ids."""
    cat = cat or catalogue()
    if sites is None:
        return []
    if isinstance(sites, str):
        if sites == "all":
            chosen = cat.entries("site")
        elif "," in sites or sites not in {t for s in cat.entries("site") for t in s.tags}:
            chosen = [cat.site(name.strip()) for name in sites.split(",") if name.strip()]
        else:
            chosen = [s for s in cat.entries("site") if sites in s.tags]
    else:
        chosen = [s if hasattr(s, "lat_deg") else cat.site(str(s)) for s in sites]
    return [(s.id, s.name, s.lat_deg, s.lon_deg) for s in chosen]


def reach(
    missile,
    *,
    origin,
    sites="nato",
    n_azimuths=360,
    model: FlightModel | None = None,
    backend="auto",
    flight_times=True,
    catalogue_=None,
) -> Footprint:
    """Maximum-range footprint of a missile from ``origin`` and which ``sites`` (a tag such
    as 'nato', 'all', or a list of ids) lie in it, with minimum-energy flight times."""
    cat = catalogue_
    vehicle, _, prov = resolve_missile(missile, cat)
    start = resolve_place(origin, cat, what="launch")
    return reach_vehicle(
        vehicle,
        launch_lat_deg=start.lat_deg,
        launch_lon_deg=start.lon_deg,
        launch_alt_m=start.alt_m,
        sites=select_sites(sites, cat),
        n_azimuths=n_azimuths,
        model=model,
        backend=backend,
        flight_times=flight_times,
        provenance=prov,
    )


__all__ = [
    "catalogue",
    "fly",
    "reach",
    "coast",
    "resolve_missile",
    "resolve_place",
    "vehicle_from_missile",
    "flight_model",
    "select_sites",
    "Place",
]
