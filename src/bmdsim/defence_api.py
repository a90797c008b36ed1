"""Public API of the missile-defence analyses: catalogue names in, defence physics out.

``engage`` flies a threat (``bmdsim.fly``), builds the cueing timeline of the chosen
sensors and each battery's interceptor flyout table, and returns the feasible intercept
windows (``defence.engagement``). ``flyout`` and ``coverage`` answer the per-site
questions. Catalogue figures become physics here: an interceptor is a notional two-stage
rocket sized to the catalogue's burnout speed and burn time (``defence.flyout``); a radar
sees a target of RCS sigma to R_ref (sigma / sigma_ref)^(1/4) (``defence.radar``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from bmdsim.api import catalogue, fly, resolve_place
from bmdsim.api import resolve_missile as resolve_missile_api
from bmdsim.defence import engagement as E
from bmdsim.defence.early_warning import satellite_detection_time_s
from bmdsim.defence.flyout import flyout_table
from bmdsim.defence.interceptor import burnout_speed, interceptor_vehicle
from bmdsim.defence.radar import detection_range_m, track_timeline, visibility
from bmdsim.errors import BmdsimError, InputError

AZIMUTH_BUCKET_DEG = 30.0  # flyout tables are shared between threats within one bucket
SPEED_STEP_M_S = 50.0  # minimum-burnout-speed search resolution (tables cached per step)
DEFAULT_INVENTORY = 24  # interceptors of a battery named at a site that does not deploy them


@dataclass(frozen=True)
class InterceptorModel:
    """What the physics reads from a catalogue interceptor (SI)."""

    id: str
    burnout_speed_m_s: float
    burn_time_s: float
    kill_vehicle_mass_kg: float
    diameter_m: float
    min_altitude_m: float
    max_altitude_m: float
    max_flight_time_s: float
    notional: bool = False


# When the catalogue gives no kill-vehicle mass, the flyout sizing needs one: the
# catalogue's lightest kill vehicle (SM-3 LEAP class) is used and the output says so.
def interceptor_model(name, cat=None) -> InterceptorModel:
    cat = cat or catalogue()
    i = cat.interceptor(name)
    if i.kill_vehicle_mass is not None:
        kv = i.kill_vehicle_mass.si
    else:
        kv = min(x.kill_vehicle_mass.si for x in cat.entries("interceptor") if x.kill_vehicle_mass)
    return InterceptorModel(
        i.id,
        i.burnout_speed.si,
        i.burn_time.si,
        kv,
        i.diameter.si,
        i.min_intercept_altitude.si,
        i.max_intercept_altitude.si,
        i.max_flight_time.si,
        bool(i.notional),
    )


class _NoReach:
    """Flyout of an interceptor that cannot be built at a requested speed."""

    max_flight_time_s = 0.0

    def time_to(self, g, h):
        return np.full(np.shape(g), np.inf)

    time_to_unwindowed = time_to


@lru_cache(maxsize=512)
def _table(
    model: InterceptorModel,
    speed_m_s: float,
    lat: float,
    lon: float,
    alt: float,
    azimuth_deg: float,
    coarse: bool,
):
    try:
        vehicle = interceptor_vehicle(
            burnout_speed_m_s=speed_m_s,
            burn_time_s=model.burn_time_s,
            kill_vehicle_mass_kg=model.kill_vehicle_mass_kg,
            diameter_m=model.diameter_m,
            name=model.id,
        )
        # The sizing solves for the speed at one elevation; a wide, light airframe can meet
        # it on a degenerate, drag-stalled flight while steeper flyouts burn out far faster.
        # Such a vehicle is not the requested interceptor: refuse it.
        # (Light kill vehicles do burn out up to ~30 % faster on vertical flyouts than at
        # the 60 deg sizing elevation: docs/models/flyout.md; that spread is accepted.)
        steep = burnout_speed(vehicle, elevation_deg=np.array([60.0, 75.0, 89.0]))
        if not (np.min(steep) >= 0.5 * speed_m_s and np.max(steep) <= 1.5 * np.min(steep)):
            return _NoReach()
        kwargs = {}
        if coarse:
            kwargs["launch_elevations_deg"] = np.linspace(10.0, 89.0, 32)
        return flyout_table(
            vehicle,
            site_lat_deg=lat,
            site_lon_deg=lon,
            site_alt_m=alt,
            azimuth_deg=azimuth_deg,
            max_flight_time_s=model.max_flight_time_s,
            min_altitude_m=model.min_altitude_m,
            max_altitude_m=model.max_altitude_m,
            **kwargs,
        )
    except BmdsimError:
        return _NoReach()


def flyout(interceptor, *, site=None, azimuth_deg=0.0, burnout_speed_kms=None, cat=None):
    """Flyout table of a catalogue interceptor from a site (default: where it is deployed,
    else 0 N 0 E) toward ``azimuth_deg``; ``burnout_speed_kms`` overrides the catalogue."""
    cat = cat or catalogue()
    model = interceptor_model(interceptor, cat)
    if site is None:
        deployed = cat.sites_with(model.id, include_notional=True)
        site = deployed[0][0].id if deployed else "0,0"
    place = resolve_place(site, cat, what="site")
    speed = burnout_speed_kms * 1e3 if burnout_speed_kms else model.burnout_speed_m_s
    table = _table(
        model, float(speed), place.lat_deg, place.lon_deg, place.alt_m, float(azimuth_deg), False
    )
    if isinstance(table, _NoReach):
        raise InputError(
            f"no interceptor of burnout speed {speed / 1e3:g} km/s can be sized for {model.id}",
            field="burnout_speed",
            value=speed / 1e3,
        )
    return table


def _parse_pair(text: str, what: str):
    site, _, system = str(text).partition(":")
    if not site.strip():
        raise InputError(
            f"{what} {text!r}: write SITE or SITE:SYSTEM",
            field=what,
            value=text,
            allowed="SITE[:SYSTEM]",
        )
    return site.strip(), system.strip() or None


def azimuth_bucket_deg(track, site) -> float:
    """The flyout-table azimuth for a threat seen from a catalogue site: the azimuth of
    the threat's closest approach, rounded to ``AZIMUTH_BUCKET_DEG``."""
    ground, azimuth, _ = E.site_geometry(track, site.lat_deg, site.lon_deg, site.elevation_m or 0.0)
    az_closest = math.degrees(azimuth[int(np.argmin(ground))]) % 360.0
    return (round(az_closest / AZIMUTH_BUCKET_DEG) * AZIMUTH_BUCKET_DEG) % 360.0


def batteries_for(defences, track, cat=None, *, include_notional=False, min_speed=True):
    """Batteries for ``defences`` (``SITE`` or ``SITE:INTERCEPTOR``), their flyout tables
    built toward the threat's closest approach."""
    cat = cat or catalogue()
    out = []
    for spec in defences:
        site_name, system = _parse_pair(spec, "defence")
        site = cat.site(site_name)
        deployed = {s.system: s for s in site.systems}
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
            names = [(s.system, int(s.count_value)) for s in chosen]
        else:
            interceptor = cat.interceptor(system)
            s = deployed.get(interceptor.id)
            names = [(interceptor.id, int(s.count_value) if s else DEFAULT_INVENTORY)]
        radars = tuple(s.system for s in site.systems if s.system in cat.radars)
        az_bucket = azimuth_bucket_deg(track, site)
        for iid, count in names:
            model = interceptor_model(iid, cat)
            lat, lon, alt = site.lat_deg, site.lon_deg, float(site.elevation_m or 0.0)
            table = _table(model, model.burnout_speed_m_s, lat, lon, alt, az_bucket, False)

            def for_speed(v, model=model, lat=lat, lon=lon, alt=alt, az=az_bucket):
                v = round(v / SPEED_STEP_M_S) * SPEED_STEP_M_S
                return _table(model, float(v), lat, lon, alt, az, True)

            out.append(
                E.Battery(
                    site.id,
                    iid,
                    lat,
                    lon,
                    alt,
                    table,
                    inventory=count,
                    own_sensors=tuple(f"{site.id}:{r}" for r in radars),
                    flyout_for_speed=for_speed if min_speed else None,
                    burnout_speed_m_s=model.burnout_speed_m_s,
                )
            )
    return out


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


def sensor_views(sensors, cat=None):
    """(radar views, satellite sensors) for ``sensors``: ``SITE:RADAR`` (or ``SITE`` for
    every radar there) and sensor ids such as ``early-warning-satellite``."""
    cat = cat or catalogue()
    views, satellites = [], []
    for spec in sensors:
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
                    (site.elevation_m or 0.0) + radar.antenna_height.si,
                    radar,
                    boresight,
                    radar.field_of_regard.azimuth_half_width.si
                    if boresight is not None
                    else math.pi,
                )
            )
    return views, satellites


def default_sensors(defences, cat=None) -> list[str]:
    """The radars at the defence sites plus every catalogue sensor (``engage``'s default)."""
    cat = cat or catalogue()
    sensors = []
    for spec in defences:
        site = cat.site(_parse_pair(spec, "defence")[0])
        sensors += [f"{site.id}:{s.system}" for s in site.systems if s.system in cat.radars]
    sensors += [s for s in cat.sensors]
    return list(dict.fromkeys(sensors))


def sensor_cues(sensors, track, cat=None, *, rcs_m2=None):
    """SensorCues for ``sensors``: ``SITE:RADAR`` (or ``SITE`` for every radar there) and
    ``early-warning-satellite``. ``rcs_m2``: the threat's radar cross-section; by default
    each radar's catalogue reference RCS (its range as quoted)."""
    views, satellites = sensor_views(sensors, cat)
    cues = []
    for sat in satellites:
        t_det = satellite_detection_time_s(track.burnout_time_s, sat.detection_delay.si)
        vis = np.zeros(len(track.t_s), bool)
        if t_det is not None:
            vis = (track.t_s >= t_det) & (track.t_s <= track.burnout_time_s)
        # Infrared early warning reports a launch; it does not hold a fire-control
        # track, so it commits no interceptor by itself (firm_track_s None).
        cues.append(E.SensorCue(sat.id, "space", vis, t_det, None))
    for view in views:
        radar = view.radar
        rcs = rcs_m2 if rcs_m2 is not None else radar.reference_rcs.si
        rng = detection_range_m(radar.reference_range.si, radar.reference_rcs.si, rcs)
        look = view.visibility(track.r_ecef_m, max_range_m=rng)
        tl = track_timeline(track.t_s, look.visible, radar.track_time.si)
        cues.append(
            E.SensorCue(
                view.name,
                view.site_id,
                np.asarray(look.visible),
                tl.first_detection_s,
                tl.firm_track_s,
            )
        )
    return cues


def assumed_cue(track, when) -> E.SensorCue:
    """A stated cueing assumption: a fire-control-quality track of the threat everywhere
    from ``when`` (seconds after launch, or 'burnout') to impact, as the open studies
    assume when they ask what interceptors could do with ideal cueing."""
    try:
        t0 = track.burnout_time_s if str(when).strip().lower() == "burnout" else float(when)
    except ValueError:
        t0 = math.nan
    if not math.isfinite(t0) or t0 < 0:
        raise InputError(
            f"cue time {when!r} must be 'burnout' or seconds >= 0",
            field="cue_at",
            value=when,
            allowed="burnout | seconds >= 0",
        )
    return E.SensorCue(f"assumed track from {t0:.0f} s", "assumed", track.t_s >= t0, t0, t0)


def _check_engage_inputs(defences, sensors, cue_at, cat):
    """Name errors in the defences, sensors and cue before anything is flown."""
    for spec in defences:
        site_name, system = _parse_pair(spec, "defence")
        site = cat.site(site_name)
        if system is not None:
            cat.interceptor(system)
        elif not any(s.system in cat.interceptors for s in site.systems):
            raise InputError(
                f"no interceptors are deployed at {site.id}; name one as {site.id}:INTERCEPTOR",
                field="defence",
                value=spec,
                allowed=sorted(cat.interceptors),
            )
    for spec in sensors or ():
        site_name, system = _parse_pair(spec, "sensor")
        if system is None and site_name in cat.sensors:
            continue
        cat.site(site_name)
        if system is not None:
            cat.radar(system)
    if cue_at is not None and str(cue_at).strip().lower() != "burnout":
        try:
            ok = float(cue_at) >= 0
        except ValueError:
            ok = False
        if not ok:
            raise InputError(
                f"cue time {cue_at!r} must be 'burnout' or seconds >= 0",
                field="cue_at",
                value=cue_at,
                allowed="burnout | seconds >= 0",
            )


def engage(
    threat,
    *,
    origin,
    target,
    defences,
    sensors=None,
    shape="minimum-energy",
    doctrine: E.Doctrine | None = None,
    rcs_m2=None,
    include_notional=False,
    cue_at=None,
    min_speed=True,
    backend="auto",
    trajectory=None,
    cat=None,
) -> E.Engagement:
    """Can the named defences intercept ``threat`` flying ``origin`` -> ``target``?

    ``defences``: ``SITE`` (every non-notional interceptor there) or ``SITE:INTERCEPTOR``.
    ``sensors``: ``SITE:RADAR``, ``SITE`` (its radars) or ``early-warning-satellite``;
    default: the radars at the defence sites plus the early-warning satellite.
    ``cue_at``: add an assumed remote track from that time ('burnout' or seconds), the
    cueing assumption of the open studies (Wilkening 2012; Butt & Postol 2011).
    """
    cat = cat or catalogue()
    doctrine = doctrine or E.Doctrine()
    if not defences:
        raise InputError(
            "name at least one defence: SITE or SITE:INTERCEPTOR",
            field="defence",
            allowed="SITE[:INTERCEPTOR]",
        )
    _check_engage_inputs(defences, sensors, cue_at, cat)
    traj = trajectory or fly(
        threat, origin=origin, target=target, shape=shape, backend=backend, catalogue_=cat
    )
    track = E.threat_track(traj, label=f"{traj.missile_id} {origin} -> {target}")
    if sensors is None:
        sensors = default_sensors(defences, cat)
    cues = sensor_cues(sensors, track, cat, rcs_m2=rcs_m2)
    if cue_at is not None:
        cues.append(assumed_cue(track, cue_at))
    bats = batteries_for(
        defences, track, cat, include_notional=include_notional, min_speed=min_speed
    )
    eng = E.engage_track(track, bats, cues, doctrine, min_speed=min_speed, trajectory=traj)
    return replace(eng, batteries=tuple(bats))


def coverage(
    site,
    *,
    target_altitudes_km=(0.1, 1.0, 5.0, 10.0, 20.0, 30.0),
    interceptor=None,
    radar=None,
    rcs_m2=None,
    cat=None,
):
    """Coverage rings of an air-defence site against targets at given altitudes: radar
    horizon, radar range at the target's RCS (default the radar's reference RCS) and the
    interceptor's kinematic reach. Returns (Place, interceptor id, radar id, [CoverageRing])."""
    from bmdsim.defence.coverage import coverage_ring, interceptor_reach_at_altitude_m

    cat = cat or catalogue()
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
    if radar is None:
        radars = [x for x in systems if x in cat.radars]
        if not radars:
            raise InputError(
                f"no radar is deployed at {s.id}; give --radar",
                field="radar",
                allowed=sorted(cat.radars),
            )
        radar = radars[0]
    i_model = interceptor_model(interceptor, cat)
    r = cat.radar(radar)
    table = _table(
        i_model, i_model.burnout_speed_m_s, place.lat_deg, place.lon_deg, place.alt_m, 0.0, False
    )
    rcs = rcs_m2 if rcs_m2 is not None else r.reference_rcs.si
    rng = detection_range_m(r.reference_range.si, r.reference_rcs.si, rcs)
    rings = []
    for h_km in target_altitudes_km:
        h = float(h_km) * 1e3
        inside = i_model.min_altitude_m <= h <= i_model.max_altitude_m
        reach = interceptor_reach_at_altitude_m(table, h) if inside else 0.0
        rings.append(
            coverage_ring(
                site_lat_deg=place.lat_deg,
                site_lon_deg=place.lon_deg,
                antenna_height_m=place.alt_m + r.antenna_height.si,
                target_altitude_m=h,
                radar_range_m=rng,
                min_elevation_rad=r.min_elevation.si,
                interceptor_reach_m=reach,
                in_altitude_window=inside,
            )
        )
    return place, i_model.id, r.id, rings


@dataclass(frozen=True)
class DefendedPoint:
    lat_deg: float
    lon_deg: float
    defended: bool
    reason: str | None
    first_intercept_s: float | None


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
    cat=None,
):
    """The ground a BMD site defends against a threat from ``origin``: aim points on a polar
    grid around the site (``n_azimuths`` x ``radii_km``; those beyond the threat's range
    are left out), each threat flown with one batched aim-point solution and tested as in
    ``engage``. Returns (Place, interceptor id, [DefendedPoint])."""
    from bmdsim.earth import geodesic
    from bmdsim.flight.batch import FlightModel, resolve_backend
    from bmdsim.flight.targeting import Launcher, solve_aimpoints, within_range

    backend = resolve_backend(backend)
    from bmdsim.flight.trajectory import RECORD_STEPS, trajectory_from_batch
    from bmdsim.flight.vehicle import pack_vehicles

    cat = cat or catalogue()
    doctrine = doctrine or E.Doctrine()
    s = cat.site(site)
    place = resolve_place(s.id, cat)
    spec = f"{s.id}:{interceptor}" if interceptor else s.id
    _check_engage_inputs([spec], sensors, cue_at, cat)
    vehicle, _, prov = resolve_missile_api(threat, cat)
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
    points = []
    ok = []
    # Keep the aim points inside the threat's maximum range on their azimuth (batched).
    probe = Launcher(
        pack_vehicles([vehicle]),
        np.zeros(len(lats)),
        np.full(len(lats), start.lat_deg),
        np.full(len(lats), start.lon_deg),
        start.alt_m,
        model,
        backend,
    )
    inside = within_range(probe, lats, lons)
    for lat, lon in zip(lats[~inside], lons[~inside], strict=True):
        points.append(DefendedPoint(float(lat), float(lon), False, "beyond-threat-range", None))
    ok = list(zip(lats[inside], lons[inside], strict=True))
    if ok:
        launcher = Launcher(
            pack_vehicles([vehicle]),
            np.zeros(len(ok)),
            np.full(len(ok), start.lat_deg),
            np.full(len(ok), start.lon_deg),
            start.alt_m,
            model,
            backend,
        )
        sol = solve_aimpoints(launcher, [p[0] for p in ok], [p[1] for p in ok], shape)
        flown = launcher.fly(
            sol.azimuth_rad, sol.kick_rad, sol.t_cutoff_s, record_steps=RECORD_STEPS
        )
        first = None
        for k, (lat, lon) in enumerate(ok):
            traj = trajectory_from_batch(
                flown,
                k,
                vehicle_id=vehicle.id,
                shape=shape,
                launch_lat_deg=start.lat_deg,
                launch_lon_deg=start.lon_deg,
                model=model,
                azimuth_rad=sol.azimuth_rad[k],
                kick_rad=sol.kick_rad[k],
                backend=backend,
                target=(lat, lon),
                miss_m=sol.miss_m[k],
                provenance=prov,
            )
            track = E.threat_track(traj)
            cues = sensor_cues(
                sensors
                if sensors is not None
                else [f"{s.id}:{x.system}" for x in s.systems if x.system in cat.radars]
                + list(cat.sensors),
                track,
                cat,
            )
            if cue_at is not None:
                cues.append(assumed_cue(track, cue_at))
            bats = batteries_for([spec], track, cat, min_speed=False)
            if first is None:
                first = bats
            windows = [E.battery_window(track, b, cues, doctrine, min_speed=False) for b in bats]
            best = next((w for w in windows if w.feasible), windows[0])
            points.append(
                DefendedPoint(
                    float(lat), float(lon), best.feasible, best.reason, best.first_intercept_s
                )
            )
        interceptor = first[0].interceptor_id if first else interceptor
    return place, interceptor, points
