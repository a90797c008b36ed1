"""Missile-defence engagements by catalogue name: ``engage`` and ``flyout``.

``engage`` flies a threat (``bmdsim.fly``), builds the cueing timeline of the chosen
sensors and each battery's interceptor flyout table, and returns the feasible intercept
windows (``defence.engagement``). Catalogue figures become physics here: an interceptor
is a notional two-stage rocket sized to the catalogue's burnout speed and burn time
(``defence.flyout``); a radar sees a target of RCS sigma to R_ref (sigma / sigma_ref)^(1/4)
(``defence.radar``). Flyout tables are cached (:func:`flyout_table_for`), so that the
minimum-speed searches of a study and the rungs of a Monte Carlo reuse each other's.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from bmdsim.analyses.flights import fly
from bmdsim.analyses.resolve import (
    BatterySpec,
    InterceptorModel,
    catalogue_or_default,
    check_cue_at,
    check_sensors,
    default_sensors,
    interceptor_model,
    resolve_defences,
    resolve_place,
    resolve_sensors,
)
from bmdsim.catalogue import Catalogue
from bmdsim.defence import engagement as E
from bmdsim.defence.early_warning import satellite_detection_time_s
from bmdsim.defence.flyout import flyout_tables
from bmdsim.defence.interceptor import burnout_speed, interceptor_vehicle
from bmdsim.defence.radar import detection_range_m, track_timeline
from bmdsim.errors import BmdsimError, InputError
from bmdsim.flight.batch import resolve_backend

__all__ = [
    "AZIMUTH_BUCKET_DEG",
    "SPEED_STEP_M_S",
    "assumed_cue",
    "azimuth_bucket_deg",
    "batteries_for",
    "engage",
    "flyout",
    "flyout_table_for",
    "flyout_tables_for",
    "sensor_cues",
]

AZIMUTH_BUCKET_DEG = 30.0  # flyout tables are shared between threats within one bucket
SPEED_STEP_M_S = 50.0  # minimum-burnout-speed search resolution (tables cached per step)


class _NoReach:
    """Flyout of an interceptor that cannot be built at a requested speed."""

    max_flight_time_s = 0.0

    def time_to(self, g, h):
        return np.full(np.shape(g), np.inf)

    time_to_unwindowed = time_to


def no_reach(table) -> bool:
    """Whether ``flyout_table_for`` found no interceptor at the asked speed."""
    return isinstance(table, _NoReach)


FLYOUT_CACHE_SIZE = 512  # flyout tables kept (least recently used dropped first)
_FLYOUT_CACHE: OrderedDict = OrderedDict()


def flyout_table_for(
    model: InterceptorModel,
    speed_m_s: float,
    lat: float,
    lon: float,
    alt: float,
    azimuth_deg: float,
    coarse: bool,
    *,
    backend: str = "cpu",
):
    """The (cached) flyout table of ``model`` sized to ``speed_m_s`` from a site toward
    ``azimuth_deg``; ``coarse``: 32 launch elevations (searches over speed). An object
    whose ``time_to`` is inf everywhere when no such interceptor can be sized. Many at
    once, flown as one batch: :func:`flyout_tables_for`."""
    key = (model, speed_m_s, lat, lon, alt, azimuth_deg, coarse)
    return flyout_tables_for([key], backend=backend)[0]


def flyout_tables_for(keys, *, backend: str = "cpu") -> list:
    """The flyout tables of ``keys``, each ``(model, speed_m_s, lat, lon, alt,
    azimuth_deg, coarse)`` as :func:`flyout_table_for` takes them: those not in the cache
    are built with their fans flown as one batch (``defence.flyout.flyout_tables``: every
    rung of a speed ladder and every azimuth bucket in one launch grid), each equal to
    the table built alone. ``backend`` flies them (a table is cached whatever flew it)."""
    keys = [tuple(k) for k in keys]
    requests = {}
    for key in dict.fromkeys(keys):
        if key in _FLYOUT_CACHE:
            continue
        request = _flyout_request(*key)
        if request is None:
            _cache_table(key, _NoReach())
        else:
            requests[key] = request
    if requests:
        try:
            built = flyout_tables(list(requests.values()), backend=backend)
        except BmdsimError:  # one request the batch cannot build: each alone, as before
            built = []
            for request in requests.values():
                try:
                    built.append(flyout_tables([request], backend=backend)[0])
                except BmdsimError:
                    built.append(_NoReach())
        for key, table in zip(requests, built, strict=True):
            _cache_table(key, table)
    out = []
    for key in keys:
        _FLYOUT_CACHE.move_to_end(key)
        out.append(_FLYOUT_CACHE[key])
    return out


def _cache_table(key, table):
    _FLYOUT_CACHE[key] = table
    while len(_FLYOUT_CACHE) > FLYOUT_CACHE_SIZE:
        _FLYOUT_CACHE.popitem(last=False)


def _flyout_request(model, speed_m_s, lat, lon, alt, azimuth_deg, coarse):
    """``defence.flyout.flyout_table``'s arguments for a cache key, or None when no
    interceptor of that speed can be sized."""
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
            return None
    except BmdsimError:
        return None
    request = {
        "vehicle": vehicle,
        "site_lat_deg": lat,
        "site_lon_deg": lon,
        "site_alt_m": alt,
        "azimuth_deg": azimuth_deg,
        "max_flight_time_s": model.max_flight_time_s,
        "min_altitude_m": model.min_altitude_m,
        "max_altitude_m": model.max_altitude_m,
    }
    if coarse:
        request["launch_elevations_deg"] = np.linspace(10.0, 89.0, 32)
    return request


def flyout(
    interceptor,
    *,
    site=None,
    azimuth_deg=0.0,
    burnout_speed_kms=None,
    catalogue: Catalogue | None = None,
):
    """Flyout table of a catalogue interceptor from a site (default: where it is deployed,
    else 0 N 0 E) toward ``azimuth_deg``; ``burnout_speed_kms`` overrides the catalogue."""
    cat = catalogue_or_default(catalogue)
    model = interceptor_model(interceptor, cat)
    if site is None:
        deployed = cat.sites_with(model.id, include_notional=True)
        site = deployed[0][0].id if deployed else "0,0"
    place = resolve_place(site, cat, what="site")
    speed = burnout_speed_kms * 1e3 if burnout_speed_kms else model.burnout_speed_m_s
    table = flyout_table_for(
        model, float(speed), place.lat_deg, place.lon_deg, place.alt_m, float(azimuth_deg), False
    )
    if no_reach(table):
        raise InputError(
            f"no interceptor of burnout speed {speed / 1e3:g} km/s can be sized for {model.id}",
            field="burnout_speed",
            value=speed / 1e3,
        )
    return table


def azimuth_bucket_deg(track, lat_deg: float, lon_deg: float, alt_m: float = 0.0) -> float:
    """The flyout-table azimuth for a threat seen from a site: the azimuth of the threat's
    closest approach, rounded to ``AZIMUTH_BUCKET_DEG``."""
    ground, azimuth, _ = E.site_geometry(track, lat_deg, lon_deg, alt_m)
    az_closest = math.degrees(azimuth[int(np.argmin(ground))]) % 360.0
    return (round(az_closest / AZIMUTH_BUCKET_DEG) * AZIMUTH_BUCKET_DEG) % 360.0


def batteries_for(specs, track, *, min_speed=True, backend="cpu") -> list[E.Battery]:
    """Physics Batteries for BatterySpecs, their flyout tables built toward the threat's
    closest approach (and, with ``min_speed``, a table per speed for the speed search),
    flown on ``backend``."""
    out = []
    buckets = [azimuth_bucket_deg(track, s.lat_deg, s.lon_deg, s.alt_m) for s in specs]
    tables = flyout_tables_for(  # every battery's table in one flight batch
        [
            (s.model, s.model.burnout_speed_m_s, s.lat_deg, s.lon_deg, s.alt_m, az, False)
            for s, az in zip(specs, buckets, strict=True)
        ],
        backend=backend,
    )
    for spec, az_bucket, table in zip(specs, buckets, tables, strict=True):
        model, lat, lon, alt = spec.model, spec.lat_deg, spec.lon_deg, spec.alt_m

        def for_speed(v, model=model, lat=lat, lon=lon, alt=alt, az=az_bucket):
            v = round(v / SPEED_STEP_M_S) * SPEED_STEP_M_S
            return flyout_table_for(model, float(v), lat, lon, alt, az, True, backend=backend)

        out.append(
            E.Battery(
                spec.site_id,
                spec.interceptor_id,
                lat,
                lon,
                alt,
                table,
                inventory=spec.inventory,
                own_sensors=spec.radars,
                flyout_for_speed=for_speed if min_speed else None,
                burnout_speed_m_s=model.burnout_speed_m_s,
            )
        )
    return out


def sensor_cues(
    sensors, track, catalogue: Catalogue | None = None, *, rcs_m2=None
) -> list[E.SensorCue]:
    """SensorCues for ``sensors`` (names or resolved RadarViews / Sensors: see
    ``resolve_sensors``). ``rcs_m2``: the threat's radar cross-section; by default each
    radar's catalogue reference RCS (its range as quoted)."""
    views, satellites = resolve_sensors(sensors, catalogue)
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
    t0 = check_cue_at(when)
    if t0 is None:
        raise InputError(
            f"cue time {when!r} must be 'burnout' or seconds >= 0",
            field="cue_at",
            value=when,
            allowed="burnout | seconds >= 0",
        )
    t0 = track.burnout_time_s if t0 == "burnout" else t0
    return E.SensorCue(f"assumed track from {t0:.0f} s", "assumed", track.t_s >= t0, t0, t0)


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
    catalogue: Catalogue | None = None,
) -> E.Engagement:
    """Can the named defences intercept ``threat`` flying ``origin`` -> ``target``?

    ``defences``: ``SITE`` (every non-notional interceptor there), ``SITE:INTERCEPTOR``
    or BatterySpecs. ``sensors``: ``SITE:RADAR``, ``SITE`` (its radars) or
    ``early-warning-satellite``; default: the radars at the defence sites plus the
    early-warning satellite. ``cue_at``: add an assumed remote track from that time
    ('burnout' or seconds), the cueing assumption of the open studies (Wilkening 2012;
    Butt & Postol 2011).
    """
    cat = catalogue_or_default(catalogue)
    doctrine = doctrine or E.Doctrine()
    if not defences:
        raise InputError(
            "name at least one defence: SITE or SITE:INTERCEPTOR",
            field="defence",
            allowed="SITE[:INTERCEPTOR]",
        )
    # Every name is checked before anything is flown.
    specs: list[BatterySpec] = resolve_defences(defences, cat, include_notional=include_notional)
    check_sensors(sensors, cat)
    check_cue_at(cue_at)
    traj = trajectory or fly(
        threat, origin=origin, target=target, shape=shape, backend=backend, catalogue=cat
    )
    track = E.threat_track(traj, label=f"{traj.missile_id} {origin} -> {target}")
    if sensors is None:
        sensors = default_sensors(specs, cat)
    cues = sensor_cues(sensors, track, cat, rcs_m2=rcs_m2)
    if cue_at is not None:
        cues.append(assumed_cue(track, cue_at))
    bats = batteries_for(specs, track, min_speed=min_speed, backend=resolve_backend(backend))
    eng = E.engage_track(track, bats, cues, doctrine, min_speed=min_speed, trajectory=traj)
    return replace(eng, batteries=tuple(bats))
