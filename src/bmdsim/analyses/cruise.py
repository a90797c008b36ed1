"""Cruise missiles and their carriers by catalogue name: a cruise flight along a route
(``fly``), and the reach of a cruise missile or of an aircraft with a stand-off weapon
(``reach --carrier``). Names resolve in :mod:`bmdsim.analyses.resolve`; the flying is
:mod:`bmdsim.flight.cruise`'s (docs/models/cruise.md).

A carrier's reach is its combat radius (to the release point; the open sources' out-and
-back figure with a stand-off load) plus the weapon's fuel-limited range, each with its
band: the short ring is both low ends, the long ring both high ends. Neither depends on
the bearing in still air, so the rings are geodesic circles. A site's flight time is
the aircraft's leg at its cruise speed to the farthest release point that the weapon
still reaches the site from (no closer than it must), plus the weapon's flight.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bmdsim.analyses.resolve import (
    Place,
    catalogue_or_default,
    cruise_entry,
    cruise_vehicle,
    resolve_place,
    select_sites,
)
from bmdsim.catalogue import Catalogue
from bmdsim.earth import geodesic
from bmdsim.earth.geodetic import ecef_from_geodetic
from bmdsim.errors import InputError, UnreachableTargetError
from bmdsim.flight.cruise import fly_cruise, max_route_m
from bmdsim.flight.reach import LAUNCH_POINT_M, Footprint, ReachBand, Ring, SiteReach
from bmdsim.flight.trajectory import Burnout, Trajectory

__all__ = [
    "CarrierReach",
    "Route",
    "SiteLeg",
    "cruise_reach",
    "fly_cruise_missile",
    "parse_via",
]

MODEL = {
    "model": "cruise point mass (flight/cruise.py)",
    "earth": "sphere",
    "rotation": False,
    "drag": True,
}
BANDS = ("low", "value", "high")


# -- routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Waypoints joined by WGS 84 geodesics (great circles on the ellipsoid)."""

    points: tuple[Place, ...]
    leg_m: np.ndarray
    leg_azimuth_deg: np.ndarray

    @property
    def length_m(self) -> float:
        return float(np.sum(self.leg_m))

    def positions(self, s_m):
        """(lat_deg, lon_deg) at ground distances ``s_m`` along the route (clipped to it)."""
        s = np.clip(np.asarray(s_m, float), 0.0, self.length_m)
        starts = np.concatenate([[0.0], np.cumsum(self.leg_m)[:-1]])
        leg = np.clip(np.searchsorted(starts, s, side="right") - 1, 0, len(self.leg_m) - 1)
        lat0 = np.array([p.lat_deg for p in self.points[:-1]])[leg]
        lon0 = np.array([p.lon_deg for p in self.points[:-1]])[leg]
        lat, lon = geodesic.forward(
            lat_deg=lat0,
            lon_deg=lon0,
            azimuth_deg=self.leg_azimuth_deg[leg],
            distance_m=s - starts[leg],
        )
        return np.asarray(lat, float), np.asarray(lon, float)


def parse_via(via) -> list:
    """Waypoints from ``--via``: 'LAT,LON' strings (or site names), or a list of them;
    ';' separates several in one string."""
    if via is None:
        return []
    if isinstance(via, str):
        return [v.strip() for v in via.split(";") if v.strip()]
    return list(via)


def route_of(origin: Place, target: Place, via=(), catalogue=None) -> Route:
    """The route origin -> via... -> target."""
    points = (origin, *(resolve_place(v, catalogue, what="via") for v in via), target)
    lat = np.array([p.lat_deg for p in points])
    lon = np.array([p.lon_deg for p in points])
    dist, az, _ = geodesic.inverse(
        lat1_deg=lat[:-1], lon1_deg=lon[:-1], lat2_deg=lat[1:], lon2_deg=lon[1:]
    )
    return Route(points, np.asarray(dist, float), np.asarray(az, float))


# -- one flight --------------------------------------------------------------------------


def _entry_or_fail(missile, catalogue):
    entry = cruise_entry(missile, catalogue)
    if entry is None:
        cat = catalogue_or_default(catalogue)
        raise InputError(
            f"{missile!r} is not a cruise missile of the catalogue",
            field="missile",
            value=str(missile),
            allowed=sorted(cat.cruise_missiles),
        )
    return entry


def _launch_altitude(entry, carrier, start: Place) -> float:
    """Where the weapon starts: the carrier's cruise altitude; an air-launched weapon
    without a carrier at its own cruise altitude; otherwise the ground."""
    if carrier is not None:
        return carrier.cruise_altitude.si
    if entry.launched_from == ["air"]:
        return entry.cruise_altitude.si
    return start.alt_m


def fly_cruise_missile(
    missile,
    *,
    origin,
    target,
    via=(),
    catalogue: Catalogue | None = None,
) -> Trajectory:
    """Fly a cruise missile (id or alias in ``cruise.yaml``) from ``origin`` to
    ``target`` through the ``via`` waypoints ('LAT,LON' or site names), with its
    catalogue profile (cruise altitude, low-level leg, terminal dive) and its central
    fuel load. :class:`UnreachableTargetError` when its fuel ends short of the target."""
    entry = _entry_or_fail(missile, catalogue)
    start = resolve_place(origin, catalogue, what="launch")
    end = resolve_place(target, catalogue, what="target")
    route = route_of(start, end, parse_via(via), catalogue)
    if route.length_m <= 0:
        raise InputError("the route has no length", field="target", value=str(target))
    vehicle = cruise_vehicle(entry, launch_altitude_m=_launch_altitude(entry, None, start))
    flight = fly_cruise([vehicle], route.length_m)[0]
    if not flight.reached:
        raise UnreachableTargetError(
            f"the route is {route.length_m / 1e3:,.0f} km long; {entry.name} flies "
            f"{flight.range_m / 1e3:,.0f} km on its fuel with its profile (published range "
            f"{entry.published_range.value:g} {entry.published_range.unit})",
            field="target",
            value=round(route.length_m / 1e3, 1),
            allowed=f"a route up to {flight.range_m / 1e3:,.0f} km",
        )
    return _trajectory(entry, route, flight, end)


def _trajectory(entry, route: Route, flight, end: Place) -> Trajectory:
    lat, lon = route.positions(flight.s_m)
    x, y, z = ecef_from_geodetic(np.radians(lat), np.radians(lon), flight.alt_m)
    # The cruise model has no Earth rotation (MODEL), so, as for a ballistic flight
    # flown without it, its inertial frame is the Earth-fixed one: every consumer
    # (engagement tracks, radar timelines) reads r_eci_m as ECEF when rotation is off.
    r_eci = np.stack([x, y, z], axis=-1)
    v_eci = np.gradient(r_eci, flight.t_s, axis=0) if len(flight.t_s) > 1 else np.zeros_like(r_eci)
    k = int(np.argmax(flight.alt_m))
    dry = flight.fuel_out_s
    j = len(flight.t_s) - 1 if not math.isfinite(dry) else int(np.searchsorted(flight.t_s, dry))
    j = min(j, len(flight.t_s) - 1)
    burnout = Burnout(
        float(flight.t_s[j]),
        float(flight.alt_m[j]),
        float(flight.speed_m_s[j]),
        float(flight.gamma_rad[j]),
    )
    miss = geodesic.inverse(
        lat1_deg=lat[-1], lon1_deg=lon[-1], lat2_deg=end.lat_deg, lon2_deg=end.lon_deg
    )[0]
    return Trajectory(
        missile_id=entry.id,
        shape="cruise",
        launch_lat_deg=route.points[0].lat_deg,
        launch_lon_deg=route.points[0].lon_deg,
        t_s=flight.t_s,
        lat_deg=lat,
        lon_deg=lon,
        alt_m=flight.alt_m,
        ground_range_m=flight.s_m,
        speed_m_s=flight.speed_m_s,
        r_eci_m=r_eci,
        v_eci_m_s=v_eci,
        burnout=burnout,
        apogee_alt_m=float(flight.alt_m[k]),
        apogee_time_s=float(flight.t_s[k]),
        flight_time_s=flight.flight_time_s,
        range_m=flight.range_m,
        impact_lat_deg=float(lat[-1]),
        impact_lon_deg=float(lon[-1]),
        launch_azimuth_deg=float(route.leg_azimuth_deg[0]) % 360.0,
        kick_rad=0.0,
        target_lat_deg=end.lat_deg,
        target_lon_deg=end.lon_deg,
        miss_m=float(miss),
        backend="cpu",
        model=dict(MODEL),
        provenance=(f"cruise_missile:{entry.id}",),
        end_speed_m_s=float(flight.speed_m_s[-1]),
        end_flight_path_angle_rad=float(flight.gamma_rad[-1]),
    )


# -- reach -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteLeg:
    """How a site is reached: the aircraft's leg to the release point and the weapon's
    flight from there (both None where the site is beyond the central reach)."""

    id: str
    name: str
    distance_m: float
    aircraft_m: float | None
    aircraft_time_s: float | None
    weapon_m: float | None
    weapon_time_s: float | None

    @property
    def total_time_s(self) -> float | None:
        if self.weapon_time_s is None:
            return None
        return (self.aircraft_time_s or 0.0) + self.weapon_time_s


@dataclass(frozen=True)
class CarrierReach:
    """The reach of a weapon, alone or from a carrier: ``footprint`` (a
    :class:`~bmdsim.flight.reach.Footprint` whose rings are radius + weapon range, with
    the band), the parts (``radius_m`` and ``weapon_range_m`` as (low, value, high)),
    and each site's ``legs``. ``flown``: the weapon's range and times are flown by the
    cruise model (False for an aeroballistic weapon: published range, mean speed)."""

    footprint: Footprint
    weapon_id: str
    weapon_name: str
    carrier_id: str | None
    carrier_name: str
    radius_m: tuple[float, float, float]
    weapon_range_m: tuple[float, float, float]
    aircraft_speed_m_s: float | None
    legs: tuple[SiteLeg, ...] = ()
    flown: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def range_m(self) -> tuple[float, float, float]:
        return tuple(r + w for r, w in zip(self.radius_m, self.weapon_range_m, strict=True))


def _ring(lat0, lon0, az, radius_m) -> Ring:
    lat, lon = geodesic.forward(
        lat_deg=np.full(len(az), lat0),
        lon_deg=np.full(len(az), lon0),
        azimuth_deg=az,
        distance_m=np.full(len(az), radius_m),
    )
    return Ring(az, np.full(len(az), float(radius_m)), np.asarray(lat), np.asarray(lon))


def cruise_reach(
    missile,
    *,
    origin,
    carrier=None,
    sites="nato",
    n_azimuths: int = 360,
    flight_times: bool = True,
    catalogue: Catalogue | None = None,
) -> CarrierReach:
    """Reach of a cruise missile or stand-off weapon from ``origin`` (a launch point,
    or with ``carrier`` the carrier's base): rings at radius + weapon range (low, central,
    high), which ``sites`` lie inside, and how long the flight to each takes."""
    cat = catalogue_or_default(catalogue)
    entry = _entry_or_fail(missile, cat)
    plane = cat.carrier(carrier) if carrier is not None else None
    start = resolve_place(origin, cat, what="launch" if plane is None else "base")
    notes = []
    if plane is not None and entry.id not in plane.weapons:
        notes.append(
            f"the catalogue does not list {entry.id} among {plane.id}'s weapons "
            f"({', '.join(plane.weapons) or 'none'}): a hypothetical pairing"
        )
    alt = _launch_altitude(entry, plane, start)
    if entry.flyable:
        vehicles = {b: cruise_vehicle(entry, b, launch_altitude_m=alt) for b in BANDS}
        weapon = tuple(max_route_m(vehicles[b]) for b in BANDS)
    else:
        pr = entry.published_range
        weapon = (pr.low_si, pr.si, pr.high_si)
        notes.append(
            f"{entry.id} is {entry.kind}: its range is the published band and its flight "
            f"time the distance at a mean {entry.cruise_speed.value:g} "
            f"{entry.cruise_speed.unit} (not flown)"
        )
    if plane is not None:
        cr = plane.combat_radius
        radius = (cr.low_si, cr.si, cr.high_si)
        speed = plane.cruise_speed.si
    else:
        radius, speed = (0.0, 0.0, 0.0), None
    total = [r + w for r, w in zip(radius, weapon, strict=True)]
    az = np.linspace(0.0, 360.0, n_azimuths, endpoint=False)
    low, central, high = (_ring(start.lat_deg, start.lon_deg, az, t) for t in total)
    time_to_ring = (radius[1] / speed if speed else 0.0) + _weapon_times(
        entry, vehicles if entry.flyable else None, [weapon[1]]
    )[0]
    short = entry.name.split(" (", 1)[0]
    who = f"{plane.name.split(' (', 1)[0]} + {short}" if plane is not None else entry.name
    band_text = (
        f"{who}: radius {radius[0] / 1e3:,.0f}-{radius[2] / 1e3:,.0f} km + weapon "
        f"{weapon[0] / 1e3:,.0f}-{weapon[2] / 1e3:,.0f} km"
        if plane is not None
        else f"{entry.name}: fuel-limited range {weapon[0] / 1e3:,.0f}-"
        f"{weapon[2] / 1e3:,.0f} km (published {entry.published_range.low:g}-"
        f"{entry.published_range.high:g} {entry.published_range.unit})"
    )
    prov = [f"cruise_missile:{entry.id}"] + ([f"aircraft:{plane.id}"] if plane else [])
    fp = Footprint(
        missile_id=f"{plane.id}+{entry.id}" if plane is not None else entry.id,
        launch_lat_deg=start.lat_deg,
        launch_lon_deg=start.lon_deg,
        launch_azimuth_deg=az,
        azimuth_deg=az,
        range_m=central.range_m,
        impact_lat_deg=central.lat_deg,
        impact_lon_deg=central.lon_deg,
        flight_time_s=np.full(n_azimuths, time_to_ring),
        kick_rad=np.zeros(n_azimuths),
        backend="cpu",
        model=dict(MODEL),
        provenance=tuple(prov),
        band=ReachBand(
            basis="carrier" if plane else "published", text=band_text, low=low, high=high
        ),
        missile_name=who,
    )
    chosen = select_sites(sites, cat)
    if not chosen:
        return CarrierReach(
            fp,
            entry.id,
            entry.name,
            plane.id if plane else None,
            plane.name if plane else "",
            radius,
            weapon,
            speed,
            (),
            entry.flyable,
            tuple(notes),
        )
    lat = np.array([s[2] for s in chosen])
    lon = np.array([s[3] for s in chosen])
    dist = np.asarray(
        geodesic.inverse(
            lat1_deg=np.full(len(chosen), start.lat_deg),
            lon1_deg=np.full(len(chosen), start.lon_deg),
            lat2_deg=lat,
            lon2_deg=lon,
        )[0],
        float,
    )
    bearing = (
        np.asarray(
            geodesic.inverse(
                lat1_deg=np.full(len(chosen), start.lat_deg),
                lon1_deg=np.full(len(chosen), start.lon_deg),
                lat2_deg=lat,
                lon2_deg=lon,
            )[1],
            float,
        )
        % 360.0
    )
    keep = dist >= LAUNCH_POINT_M  # the launch point (or base) itself is no target
    chosen = [c for c, k in zip(chosen, keep, strict=True) if k]
    dist, bearing = dist[keep], bearing[keep]
    inside = dist <= total[1]
    weapon_leg = np.minimum(dist, weapon[1])
    plane_leg = np.maximum(dist - weapon[1], 0.0)
    times = np.full(len(chosen), np.nan)
    if flight_times and np.any(inside):
        idx = np.flatnonzero(inside)
        times[idx] = _weapon_times(entry, vehicles if entry.flyable else None, weapon_leg[idx])
    site_reach, legs = [], []
    for j, s in enumerate(chosen):
        t_plane = plane_leg[j] / speed if speed else 0.0
        t = float(times[j] + t_plane) if math.isfinite(times[j]) else None
        site_reach.append(
            SiteReach(
                id=str(s[0]),
                name=str(s[1]),
                lat_deg=float(s[2]),
                lon_deg=float(s[3]),
                distance_m=float(dist[j]),
                azimuth_deg=float(bearing[j]),
                max_range_m=total[1],
                in_reach=bool(inside[j]),
                flight_time_s=t,
                range_low_m=total[0],
                range_high_m=total[2],
            )
        )
        legs.append(
            SiteLeg(
                str(s[0]),
                str(s[1]),
                float(dist[j]),
                float(plane_leg[j]) if inside[j] and plane else None,
                float(t_plane) if inside[j] and plane else None,
                float(weapon_leg[j]) if inside[j] else None,
                float(times[j]) if math.isfinite(times[j]) else None,
            )
        )
    from dataclasses import replace

    return CarrierReach(
        replace(fp, sites=tuple(site_reach)),
        entry.id,
        entry.name,
        plane.id if plane else None,
        plane.name if plane else "",
        radius,
        weapon,
        speed,
        tuple(legs),
        entry.flyable,
        tuple(notes),
    )


def _weapon_times(entry, vehicles, distances_m) -> np.ndarray:
    """The weapon's flight time over each distance: flown on the central vehicle (its
    whole profile, ending at the distance), or at the mean speed if not flyable."""
    d = np.asarray(distances_m, float)
    if vehicles is None:
        return d / entry.cruise_speed.si
    flights = fly_cruise([vehicles["value"]] * len(d), d, record_points=2)
    return np.array([f.flight_time_s for f in flights])
