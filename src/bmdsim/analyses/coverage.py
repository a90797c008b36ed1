"""What a defence site covers, by catalogue name: ``coverage`` (an air-defence site
against targets at given altitudes) and ``defended_footprint`` (the ground a
missile-defence site defends against a threat from a launch point)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bmdsim import domains
from bmdsim.analyses.engage import (
    assumed_cue,
    batteries_for,
    flyout_table_for,
    sensor_cues,
)
from bmdsim.analyses.provenance import engagement_entries
from bmdsim.analyses.resolve import (
    Place,
    antenna_height_m,
    catalogue_or_default,
    check_cue_at,
    check_sensors,
    default_doctrine,
    default_sensors,
    interceptor_model,
    resolve_defences,
    resolve_missile,
    resolve_place,
    threat_rcs_m2,
)
from bmdsim.catalogue import Catalogue
from bmdsim.defence import engagement as E
from bmdsim.defence.coverage import CoverageRing, coverage_ring, interceptor_reach_at_altitude_m
from bmdsim.defence.radar import detection_range_m
from bmdsim.earth import geodesic
from bmdsim.errors import InputError
from bmdsim.flight.batch import FlightModel, resolve_backend
from bmdsim.flight.targeting import Launcher, fly_to_aimpoints
from bmdsim.flight.trajectory import RECORD_STEPS, trajectory_from_batch
from bmdsim.flight.vehicle import pack_vehicles

__all__ = ["Coverage", "DefendedFootprint", "DefendedPoint", "coverage", "defended_footprint"]


@dataclass(frozen=True)
class Coverage:
    """Covered ground of an air-defence site, one ring per target altitude."""

    place: Place
    interceptor_id: str
    radar_id: str  # the radars used, comma-separated (each ring names its own)
    rings: tuple[CoverageRing, ...]
    antennas: tuple[tuple[str, float, str], ...] = ()  # (radar, height above ground m, from)
    entries: tuple = ()  # (kind, id) of the catalogue entries used (analyses.provenance)

    def __repr__(self) -> str:
        radii = ", ".join(
            f"{r.target_altitude_m / 1e3:g} km: {r.radius_m / 1e3:.0f} km" for r in self.rings
        )
        return f"<Coverage {self.place.label} {self.interceptor_id} with {self.radar_id}: {radii}>"

    def to_dataframe(self):
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "target_altitude_m": r.target_altitude_m,
                    "radius_m": r.radius_m,
                    "limited_by": r.limited_by,
                    "horizon_m": r.horizon_m,
                    "radar_range_m": r.radar_range_m,
                    "interceptor_reach_m": r.interceptor_reach_m,
                    "radar": r.radar,
                    "antenna_height_m": r.antenna_height_m,
                }
                for r in self.rings
            ]
        )


def coverage(
    site,
    *,
    target_altitudes_km=(0.1, 1.0, 5.0, 10.0, 20.0, 30.0),
    interceptor=None,
    radar=None,
    rcs_m2=None,
    catalogue: Catalogue | None = None,
) -> Coverage:
    """Coverage rings of an air-defence site against targets at given altitudes: radar
    horizon, radar range at the target's RCS (default the radar's reference RCS) and the
    interceptor's kinematic reach (``defence.coverage``).

    Without ``radar``, every radar deployed at the site is tried at each altitude and the
    one that covers most is kept (a battery's surveillance radar sees high targets
    farthest, its low-altitude radar on a mast sees low flyers farthest). A radar's
    antenna height is its deployment's ``mast_height`` where the site gives one, else the
    radar's own ``antenna_height``; each ring names its radar and antenna height."""
    cat = catalogue_or_default(catalogue)
    for h in target_altitudes_km:
        domains.ALTITUDE.check(h, field="target_altitudes_km", unit="km")
    if rcs_m2 is not None:
        domains.RCS.check(rcs_m2, field="rcs_m2")
    s = cat.site(site)
    place = resolve_place(s.id, cat)
    systems = [x.system for x in s.systems]
    if interceptor is None:
        candidates = [x for x in systems if x in cat.interceptors]
        if not candidates:
            raise InputError(
                f"no interceptors are deployed at {s.id}; give --interceptor",
                field="interceptor",
                allowed=sorted(cat.interceptors),
            )
        # the longest-reaching system there
        interceptor = max(candidates, key=lambda x: cat.interceptor(x).max_range.si)
    deployed = [x for x in s.systems if x.system in cat.radars]
    if radar is None:
        if not deployed:
            raise InputError(
                f"no radar is deployed at {s.id}; give --radar",
                field="radar",
                allowed=sorted(cat.radars),
            )
        looks = [(cat.radar(x.system), x) for x in deployed]
    else:
        r = cat.radar(radar)
        here = [x for x in deployed if x.system == r.id]
        looks = [(r, here[0] if here else None)]
    i_model = interceptor_model(interceptor, cat)
    table = flyout_table_for(
        i_model, i_model.burnout_speed_m_s, place.lat_deg, place.lon_deg, place.alt_m, 0.0, False
    )
    antennas = []
    for r, deployment in looks:
        height, origin = antenna_height_m(r, deployment)
        antennas.append((r.id, height, origin))
    rings = []
    for h_km in target_altitudes_km:
        h = float(h_km) * 1e3
        inside = i_model.min_altitude_m <= h <= i_model.max_altitude_m
        reach = interceptor_reach_at_altitude_m(table, h) if inside else 0.0
        candidates = []
        for (r, _), (_, height, _) in zip(looks, antennas, strict=True):
            rcs = rcs_m2 if rcs_m2 is not None else r.reference_rcs.si
            candidates.append(
                coverage_ring(
                    site_lat_deg=place.lat_deg,
                    site_lon_deg=place.lon_deg,
                    antenna_height_m=place.alt_m + height,
                    target_altitude_m=h,
                    radar_range_m=detection_range_m(
                        r.reference_range.si, r.reference_rcs.si, rcs
                    ),
                    min_elevation_rad=r.min_elevation.si,
                    interceptor_reach_m=reach,
                    in_altitude_window=inside,
                    radar=r.id,
                )
            )
        # the radar that covers most here; on a tie (interceptor reach or altitude window
        # limits every radar) the one seeing farthest, then the site's first
        rings.append(
            max(candidates, key=lambda c: (c.radius_m, min(c.horizon_m, c.radar_range_m)))
        )
    used = list(dict.fromkeys(ring.radar for ring in rings)) or [looks[0][0].id]
    kept = tuple(a for a in antennas if a[0] in used)
    entries = (("site", s.id), ("interceptor", i_model.id), *(("radar", u) for u in used))
    return Coverage(place, i_model.id, ", ".join(used), tuple(rings), kept, entries)


@dataclass(frozen=True)
class DefendedPoint:
    lat_deg: float
    lon_deg: float
    defended: bool
    reason: str | None
    first_intercept_s: float | None


@dataclass(frozen=True)
class DefendedFootprint:
    """Aim points around a missile-defence site, each defended or not (and why)."""

    place: Place
    interceptor_id: str | None
    points: tuple[DefendedPoint, ...]
    launch: Place  # where the threat is launched from
    threat_id: str  # the threat's catalogue id
    entries: tuple = ()  # (kind, id) of the catalogue entries used (analyses.provenance)

    def __repr__(self) -> str:
        ok = sum(p.defended for p in self.points)
        return (
            f"<DefendedFootprint {self.place.label} {self.interceptor_id}: "
            f"{ok}/{len(self.points)} aim points defended>"
        )

    def to_dataframe(self):
        import pandas as pd

        return pd.DataFrame([p.__dict__ for p in self.points])


def defended_footprint(
    site,
    *,
    threat,
    origin,
    interceptor=None,
    sensors=None,
    cue_at=None,
    doctrine: E.Doctrine | None = None,
    radii_km=None,
    n_azimuths=16,
    shape="minimum-energy",
    backend="auto",
    catalogue: Catalogue | None = None,
) -> DefendedFootprint:
    """The ground a BMD site defends against a threat from ``origin``: aim points on a polar
    grid around the site (``n_azimuths`` x ``radii_km``; those beyond the threat's range
    are left out), the threats flown in one batch (``flight.targeting.fly_to_aimpoints``)
    and each tested as in ``engage``."""
    backend = resolve_backend(backend)
    cat = catalogue_or_default(catalogue)
    doctrine = domains.check_doctrine(doctrine or default_doctrine(cat))
    for r in radii_km if radii_km is not None else ():
        domains.RING_RADIUS.check(r, field="radii_km", unit="km")
    domains.AZIMUTHS_COVERAGE.check(n_azimuths, field="n_azimuths")
    s = cat.site(site)
    place = resolve_place(s.id, cat)
    specs = resolve_defences([f"{s.id}:{interceptor}" if interceptor else s.id], cat)
    check_sensors(sensors, cat)
    check_cue_at(cue_at)
    vehicle, missile, prov = resolve_missile(threat, cat)
    rcs_m2 = threat_rcs_m2(missile, vehicle)  # the threat's own cross-section
    start = resolve_place(origin, cat, what="launch")
    radii = np.asarray(radii_km if radii_km is not None else (0, 100, 250, 500, 800), float)
    az = np.arange(n_azimuths) * 360.0 / n_azimuths
    grid_az, grid_r = np.meshgrid(az, radii[radii > 0])
    lats, lons = geodesic.forward(
        lat_deg=np.full(grid_az.size, place.lat_deg),
        lon_deg=np.full(grid_az.size, place.lon_deg),
        azimuth_deg=grid_az.ravel(),
        distance_m=grid_r.ravel() * 1e3,
    )
    lats = np.concatenate([[place.lat_deg], lats]) if 0 in radii else np.asarray(lats)
    lons = np.concatenate([[place.lon_deg], lons]) if 0 in radii else np.asarray(lons)
    model = FlightModel()
    launcher = Launcher(
        pack_vehicles([vehicle]),
        np.zeros(len(lats)),
        np.full(len(lats), start.lat_deg),
        np.full(len(lats), start.lon_deg),
        start.alt_m,
        model,
        backend,
    )
    flown, reached = fly_to_aimpoints(launcher, lats, lons, shape, record_steps=RECORD_STEPS)
    points = [
        DefendedPoint(float(lat), float(lon), False, "beyond-threat-range", None)
        for lat, lon in zip(lats[~reached], lons[~reached], strict=True)
    ]
    sensors = default_sensors(specs, cat) if sensors is None else sensors
    for batch in flown:
        sol = batch.solution
        for k, i in enumerate(batch.rows):
            traj = trajectory_from_batch(
                batch.result,
                k,
                vehicle_id=vehicle.id,
                shape=shape,
                launch_lat_deg=start.lat_deg,
                launch_lon_deg=start.lon_deg,
                model=model,
                azimuth_rad=sol.azimuth_rad[k],
                kick_rad=sol.kick_rad[k],
                backend=backend,
                target=(lats[i], lons[i]),
                miss_m=sol.miss_m[k],
                provenance=prov,
            )
            track = E.threat_track(traj)
            cues = sensor_cues(sensors, track, cat, rcs_m2=rcs_m2)
            if cue_at is not None:
                cues.append(assumed_cue(track, cue_at))
            bats = batteries_for(specs, track, min_speed=False)
            windows = [E.battery_window(track, b, cues, doctrine, min_speed=False) for b in bats]
            best = next((w for w in windows if w.feasible), windows[0])
            points.append(
                DefendedPoint(
                    float(lats[i]),
                    float(lons[i]),
                    best.feasible,
                    best.reason,
                    best.first_intercept_s,
                )
            )
    interceptor_id = specs[0].interceptor_id if flown else interceptor
    entries = engagement_entries(threat, origin, s.id, specs, sensors, doctrine, cat)
    return DefendedFootprint(place, interceptor_id, tuple(points), start, vehicle.id, entries)


def places_near(cov: Coverage, catalogue=None, factor: float = 1.15) -> list:
    """Catalogue places (cities, bases, other sites) within ``factor`` times the widest
    ring of ``cov``, for its map; the coverage's own site left out."""
    from bmdsim.catalogue import default_catalogue
    from bmdsim.earth import geodesic

    widest = max((r.radius_m for r in cov.rings), default=0.0)
    cat = catalogue if catalogue is not None else default_catalogue()
    places = [s for s in cat.entries("site") if s.id != cov.place.id]
    if widest <= 0 or not places:
        return []
    dist, _, _ = geodesic.inverse(
        lat1_deg=[cov.place.lat_deg] * len(places),
        lon1_deg=[cov.place.lon_deg] * len(places),
        lat2_deg=[s.lat_deg for s in places],
        lon2_deg=[s.lon_deg for s in places],
    )
    return [s for s, d in zip(places, dist, strict=True) if d <= factor * widest]
