"""Missile-defence engagements by catalogue name: ``engage`` and ``flyout``.

``engage`` flies a threat (``bmdsim.fly``), builds the cueing timeline of the chosen
sensors and each battery's interceptor flyout table, and returns the feasible intercept
windows (``defence.engagement``). Catalogue figures become physics here: an interceptor
is a rocket built from its catalogue launch mass, stages, burn times and kill vehicle,
burning out at the catalogue speed on its best flyout (``defence.interceptor``), its
flyout capped by the catalogue's range, altitude window and flight time
(``defence.flyout``); a radar sees the threat's own radar cross-section sigma (the
catalogue's, per missile) to R_ref (sigma / sigma_ref)^(1/4) (``defence.radar``).
Flyout tables are cached (:func:`flyout_table_for`), so that the minimum-speed searches
of a study and the rungs of a Monte Carlo reuse each other's.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from bmdsim import domains
from bmdsim.analyses.flights import fly
from bmdsim.analyses.resolve import (
    BatterySpec,
    InterceptorModel,
    catalogue_or_default,
    check_cue_at,
    check_sensors,
    default_doctrine,
    default_sensors,
    interceptor_model,
    report_latency_s,
    resolve_defences,
    resolve_missile,
    resolve_place,
    resolve_sensors,
    threat_rcs_m2,
)
from bmdsim.catalogue import Catalogue
from bmdsim.defence import engagement as E
from bmdsim.defence.early_warning import satellite_detection_time_s
from bmdsim.defence.flyout import flyout_tables
from bmdsim.defence.interceptor import (
    calibrate_propellant_fraction,
    design_summary,
    interceptor_vehicle,
)
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

# Numerical settings (not physics, not doctrine):
# A flyout table is built toward one azimuth and used for every threat whose closest
# approach lies within half a bucket of it, so a table may be used up to 15 deg off its
# heading. The table is indexed by ground range and altitude, which depend on the heading
# only through the Earth's rotation and oblateness. Measured with the earlier 60-deg
# sizing model and not yet re-measured with the catalogue-rocket model (the heading
# enters both the same way): flyouts from Redzikowo / Deveselu toward 0, 90, 180 and
# 270 deg against +15 deg, on a 120 x 60 grid to 3,000 km and 100-1,200 km altitude,
# changed the time of flight by at most 2.3 s (median 0.5 s) for the SM-3 IIA, 0.7 s for
# the IB, and for the two-stage GBI by a median 0.4 s, at most 21 s at the envelope's
# edge, where 1-2 % of the cells change reachability. Against windows of tens of seconds
# to minutes that is small, and 30 deg keeps a study at 12 tables per site and
# interceptor instead of one per threat.
AZIMUTH_BUCKET_DEG = 30.0
# The minimum-burnout-speed search bisects to this resolution, and speeds are rounded to
# it so that the searches of a study share (cached) flyout tables: 50 m/s is ~1-2 % of
# the speeds at issue (3-8 km/s), below the catalogue bands' spread (+-0.3-1.5 km/s).
SPEED_STEP_M_S = 50.0


class _NoReach:
    """Flyout of an interceptor that cannot be built at a requested speed (``reason``:
    why: a slower version could not lift off, or no thrust scale reaches the speed)."""

    max_flight_time_s = 0.0

    def __init__(self, reason: str = ""):
        self.reason = reason

    def time_to(self, g, h, *, window=True):
        return np.full(np.shape(g), np.inf)

    def time_to_unwindowed(self, g, h):
        return self.time_to(g, h)


def no_reach(table) -> bool:
    """Whether ``flyout_table_for`` found no interceptor at the asked speed."""
    return isinstance(table, _NoReach)


FAN_FINE = np.linspace(10.0, 89.0, 80)  # launch elevations, every 1 deg
FAN_COARSE = np.linspace(10.0, 89.0, 32)  # for searches over speed
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
    extra_elevations_deg: tuple[float, ...] = (),
    *,
    backend: str = "cpu",
):
    """The (cached) flyout table of ``model``'s interceptor burning out at ``speed_m_s``
    (``defence.interceptor.interceptor_vehicle``: the catalogue rocket, its thrust scaled
    for another speed) from a site toward ``azimuth_deg``, capped by the catalogue's
    range, altitude window and flight time. ``coarse``: 32 launch elevations (searches
    over speed), else 80; ``extra_elevations_deg`` are added to the fan. An object whose
    ``time_to`` is inf everywhere (``no_reach``) when no version of the interceptor burns
    out at that speed; a catalogue entry whose own speed cannot be built raises. Flown on
    ``backend``; many at once, flown as one batch: :func:`flyout_tables_for`."""
    key = (model, speed_m_s, lat, lon, alt, azimuth_deg, coarse, extra_elevations_deg)
    return flyout_tables_for([key], backend=backend)[0]


def flyout_tables_for(keys, *, backend: str = "cpu") -> list:
    """The flyout tables of ``keys``, each ``(model, speed_m_s, lat, lon, alt,
    azimuth_deg, coarse[, extra_elevations_deg])`` as :func:`flyout_table_for` takes
    them: those not in the cache are built with their fans flown as one batch
    (``defence.flyout.flyout_tables``: every rung of a speed ladder and every azimuth
    bucket in one launch grid), each equal to the table built alone. ``backend`` flies
    them (a table is cached whatever flew it)."""
    keys = [_cache_key(*k) for k in keys]
    requests = {}
    for key in dict.fromkeys(keys):
        if key in _FLYOUT_CACHE:
            continue
        made = _flyout_request(*key)
        if isinstance(made, _NoReach):
            _cache_table(key, made)
        else:
            requests[key] = made
    if requests:
        built = flyout_tables([request for request, _ in requests.values()], backend=backend)
        for (key, (_, rocket)), table in zip(requests.items(), built, strict=True):
            _cache_table(key, replace(table, rocket=rocket))
    out = []
    for key in keys:
        _FLYOUT_CACHE.move_to_end(key)
        out.append(_FLYOUT_CACHE[key])
    return out


def _cache_key(model, speed_m_s, lat, lon, alt, azimuth_deg, coarse, extra_elevations_deg=()):
    return (model, speed_m_s, lat, lon, alt, azimuth_deg, coarse, tuple(extra_elevations_deg))


def _cache_table(key, table):
    _FLYOUT_CACHE[key] = table
    while len(_FLYOUT_CACHE) > FLYOUT_CACHE_SIZE:
        _FLYOUT_CACHE.popitem(last=False)


def _flyout_request(model, speed_m_s, lat, lon, alt, azimuth_deg, coarse, extra_elevations_deg):
    """(``defence.flyout.flyout_table``'s arguments, the rocket's ``design_summary``) for
    a cache key, or a ``_NoReach`` saying why no version of the interceptor burns out at
    ``speed_m_s``; a catalogue entry whose own speed cannot be built raises."""
    calibrate_propellant_fraction(model.design, model.burnout_speed_m_s)
    try:
        vehicle = interceptor_vehicle(model.design, float(speed_m_s), model.burnout_speed_m_s)
    except BmdsimError as exc:
        return _NoReach(str(exc))
    fan = np.unique(np.r_[FAN_COARSE if coarse else FAN_FINE, list(extra_elevations_deg)])
    request = {
        "vehicle": vehicle,
        "site_lat_deg": lat,
        "site_lon_deg": lon,
        "site_alt_m": alt,
        "azimuth_deg": azimuth_deg,
        "max_flight_time_s": model.max_flight_time_s,
        "min_altitude_m": model.min_altitude_m,
        "max_altitude_m": model.max_altitude_m,
        "range_cap_m": model.max_range_m,
        "launch_elevations_deg": fan,
    }
    rocket = design_summary(model.design, vehicle)
    rocket["borrows_from"] = model.borrows_from
    return request, rocket


def flyout(
    interceptor,
    *,
    site=None,
    azimuth_deg=0.0,
    burnout_speed_kms=None,
    elevation_deg=None,
    catalogue: Catalogue | None = None,
):
    """Flyout table of a catalogue interceptor from a site (default: where it is deployed,
    else 0 N 0 E) toward ``azimuth_deg``; ``burnout_speed_kms`` overrides the catalogue
    speed (the same rocket, its thrust scaled); ``elevation_deg`` adds that launch
    elevation to the fan (``output.summary.flyout_summary`` reports its burnout)."""
    cat = catalogue_or_default(catalogue)
    domains.AZIMUTH.check(azimuth_deg, field="azimuth_deg")
    if burnout_speed_kms is not None:
        domains.BURNOUT_SPEED.check(burnout_speed_kms, field="burnout_speed_kms", unit="km/s")
    model = interceptor_model(interceptor, cat)
    extra = ()
    if elevation_deg is not None:
        e = float(elevation_deg)
        if not (math.isfinite(e) and 0.0 < e <= 90.0):
            raise InputError(
                f"launch elevation {elevation_deg!r} deg is out of range; allowed 0 < E <= 90",
                field="elevation_deg",
                value=elevation_deg,
                allowed="(0, 90] deg",
            )
        extra = (e,)
    if burnout_speed_kms is not None and not (
        math.isfinite(burnout_speed_kms) and 0.0 < burnout_speed_kms <= 30.0
    ):
        raise InputError(
            f"burnout speed {burnout_speed_kms!r} km/s is out of range; allowed 0 < v <= 30",
            field="burnout_speed",
            value=burnout_speed_kms,
            allowed="(0, 30] km/s",
        )
    if site is None:
        deployed = cat.sites_with(model.id, include_notional=True)
        site = deployed[0][0].id if deployed else "0,0"
    place = resolve_place(site, cat, what="site")
    speed = burnout_speed_kms * 1e3 if burnout_speed_kms else model.burnout_speed_m_s
    table = flyout_table_for(
        model,
        float(speed),
        place.lat_deg,
        place.lon_deg,
        place.alt_m,
        float(azimuth_deg),
        False,
        extra,
    )
    if no_reach(table):
        raise InputError(
            f"{model.id} at {speed / 1e3:g} km/s: {table.reason}",
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
                notional=bool(spec.notional or model.notional),
            )
        )
    return out


def sensor_cues(sensors, track, catalogue: Catalogue | None = None, *, rcs_m2) -> list[E.SensorCue]:
    """SensorCues for ``sensors`` (names or resolved RadarViews / Sensors: see
    ``resolve_sensors``) watching a threat of radar cross-section ``rcs_m2`` (the
    catalogue's, ``resolve.threat_rcs_m2``, or a stated value): each radar's detection
    range is scaled from its reference range and reference RCS to it. An early-warning
    report reaches the defence the catalogue's ``early-warning-report-latency`` after the
    declaration."""
    if not (rcs_m2 is not None and math.isfinite(rcs_m2) and rcs_m2 > 0):
        raise InputError(
            f"threat radar cross-section {rcs_m2!r} m^2; allowed > 0",
            field="rcs_m2",
            value=rcs_m2,
            allowed="> 0 m^2",
        )
    views, satellites = resolve_sensors(sensors, catalogue)
    cues = []
    latency = report_latency_s(catalogue) if satellites else 0.0
    for sat in satellites:
        t_det = satellite_detection_time_s(
            track.burnout_time_s, sat.detection_delay.si, report_latency_s=latency
        )
        vis = np.zeros(len(track.t_s), bool)
        if t_det is not None:
            vis = (track.t_s >= t_det) & (track.t_s <= track.burnout_time_s)
        # Infrared early warning reports a launch; it does not hold a fire-control
        # track, so it commits no interceptor by itself (firm_track_s None).
        cues.append(E.SensorCue(sat.id, "space", vis, t_det, None))
    for view in views:
        radar = view.radar
        rng = detection_range_m(radar.reference_range.si, radar.reference_rcs.si, rcs_m2)
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
    early-warning satellite. ``rcs_m2``: the threat's radar cross-section (default: the
    catalogue's, ``payload.rcs`` of the missile). ``cue_at``: add an assumed remote
    track from that time ('burnout' or seconds), the cueing assumption of the open
    studies (Wilkening 2012; Butt & Postol 2011). ``doctrine``: default, the catalogue's
    (``default_doctrine``). The answer's ``entries`` list every catalogue entry used
    (``analyses.provenance``).
    """
    from bmdsim.analyses.provenance import engagement_entries

    cat = catalogue_or_default(catalogue)
    doctrine = domains.check_doctrine(doctrine or default_doctrine(cat))
    if rcs_m2 is not None:
        domains.RCS.check(rcs_m2, field="rcs_m2")
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
    if rcs_m2 is None:
        vehicle, missile, _ = resolve_missile(threat, cat)
        rcs_m2 = threat_rcs_m2(missile, vehicle)
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
    entries = engagement_entries(threat, origin, target, specs, sensors, doctrine, cat)
    return replace(eng, batteries=tuple(bats), entries=entries)
