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
    cruise_entry,
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
from bmdsim.defence.guided import LINE_ELEVATIONS_DEG, GuidedFlyout, fly_lines
from bmdsim.defence.interceptor import (
    calibrate_propellant_fraction,
    design_summary,
    interceptor_vehicle,
)
from bmdsim.defence.radar import detection_range_m, radar_horizon_range_m, track_timeline
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


def guided_table_for(model: InterceptorModel, speed_m_s: float, table, *, coarse: bool):
    """``table`` (the flyout table of ``model`` at ``speed_m_s``) with the guided
    line-of-sight flights of the same rocket beside it (``defence.guided``: the faster
    path wins), for a threat flying low; a ``no_reach`` table is returned as it is. The
    lines are cached with the table's site, speed and fan."""
    if no_reach(table):
        return table
    key = ("guided", model, speed_m_s, table.site_alt_m, coarse)
    lines = _FLYOUT_CACHE.get(key)
    if lines is None:
        vehicle = interceptor_vehicle(model.design, float(speed_m_s), model.burnout_speed_m_s)
        elevations = GUIDED_COARSE if coarse else GUIDED_FINE
        lines = fly_lines(
            vehicle,
            site_alt_m=table.site_alt_m,
            max_flight_time_s=model.max_flight_time_s,
            elevations_deg=elevations,
        )
        _cache_table(key, lines)
    return GuidedFlyout(table, lines)


# Line-of-sight elevations of the guided flights (defence.guided): every 0.5 deg for an
# engagement's table, every 1 deg for the tables of the minimum-speed search.
GUIDED_FINE = LINE_ELEVATIONS_DEG
GUIDED_COARSE = tuple(float(k) for k in range(91))


def batteries_for(specs, track, *, min_speed=True, backend="cpu", guided=False) -> list[E.Battery]:
    """Physics Batteries for BatterySpecs, their flyout tables built toward the threat's
    closest approach (and, with ``min_speed``, a table per speed for the speed search),
    flown on ``backend``. ``guided``: every table also offers the guided line-of-sight
    path (``guided_table_for``), for a threat that flies low (a cruise missile)."""
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
        if guided:
            table = guided_table_for(model, model.burnout_speed_m_s, table, coarse=False)

        def for_speed(v, model=model, lat=lat, lon=lon, alt=alt, az=az_bucket):
            v = float(round(v / SPEED_STEP_M_S) * SPEED_STEP_M_S)
            t = flyout_table_for(model, v, lat, lon, alt, az, True, backend=backend)
            return guided_table_for(model, v, t, coarse=True) if guided else t

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


def sensor_cues(
    sensors, track, catalogue: Catalogue | None = None, *, rcs_m2, boost_phase=True
) -> list[E.SensorCue]:
    """SensorCues for ``sensors`` (names or resolved RadarViews / Sensors: see
    ``resolve_sensors``) watching a threat of radar cross-section ``rcs_m2`` (the
    catalogue's, ``resolve.threat_rcs_m2``, or a stated value): each radar's detection
    range is scaled from its reference range and reference RCS to it. An early-warning
    report reaches the defence the catalogue's ``early-warning-report-latency`` after the
    declaration. ``boost_phase`` False (a cruise missile): an early-warning satellite,
    which reports a ballistic missile's rocket plume, never detects the threat."""
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
        t_det = None
        if boost_phase:
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
    via=(),
    catalogue: Catalogue | None = None,
) -> E.Engagement:
    """Can the named defences intercept ``threat`` flying ``origin`` -> ``target``?

    ``threat``: a ballistic missile (flown with ``shape``) or a cruise missile of the
    catalogue (flown along its route, through the ``via`` waypoints, with its catalogue
    profile; docs/models/engagement.md, "Cruise missiles": the radars see it over their
    horizon, no early-warning satellite reports it, and the interceptors may fly guided
    along the line of sight as well as their ballistic fan).

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
    cruise = cruise_entry(threat, cat)
    if cruise is not None:
        return _engage_cruise(
            cruise, origin, target, via, specs, sensors, shape, doctrine, rcs_m2, cue_at,
            min_speed, backend, trajectory, cat,
        )  # fmt: skip
    if via:
        raise InputError(
            "--via waypoints route a cruise missile; a ballistic missile flies the great "
            "circle to its aim point",
            field="via",
            value=list(via) if not isinstance(via, str) else via,
            allowed=f"a cruise missile ({', '.join(sorted(cat.cruise_missiles))})",
        )
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


def _engage_cruise(
    entry, origin, target, via, specs, sensors, shape, doctrine, rcs_m2, cue_at,
    min_speed, backend, trajectory, cat,
) -> E.Engagement:  # fmt: skip
    """``engage`` of a cruise missile (its docstring): the flight of
    ``analyses.cruise``, radar cues over the horizon, no satellite report, guided
    flyouts; the notes say what decided detection."""
    from bmdsim.analyses.cruise import fly_cruise_missile
    from bmdsim.analyses.provenance import engagement_entries

    if shape not in (None, "minimum-energy"):
        raise InputError(
            f"--shape {shape!r} shapes a ballistic flight; {entry.id} flies its catalogue "
            f"profile ({entry.flight_profile}): route it with --via LAT,LON",
            field="shape",
            value=shape,
            allowed="minimum-energy (the default) for a cruise missile",
        )
    if cue_at is not None and check_cue_at(cue_at) == "burnout":
        raise InputError(
            f"--cue-at burnout: {entry.id} has no ballistic boost phase to be cued from; "
            "give seconds after launch",
            field="cue_at",
            value=cue_at,
            allowed="seconds >= 0",
        )
    if not entry.flyable:
        raise InputError(
            f"{entry.id} is {entry.kind}: the cruise model does not fly it, so it cannot be "
            "engaged here",
            field="threat",
            value=entry.id,
            allowed="a flown cruise missile (bmdsim catalogue list --kind cruise)",
        )
    if rcs_m2 is None:
        if entry.rcs is None:
            raise InputError(
                f"the catalogue gives {entry.id} no radar cross-section: state one",
                field="rcs_m2",
                allowed="--rcs-m2 > 0",
            )
        rcs_m2 = entry.rcs.si
    traj = trajectory or fly_cruise_missile(
        entry.id, origin=origin, target=target, via=via, catalogue=cat
    )
    track = E.threat_track(traj, label=f"{traj.missile_id} {origin} -> {target}")
    notes = [
        f"{entry.id} flies its catalogue profile ({entry.flight_profile}: cruise at "
        f"{entry.cruise_altitude.si:,.0f} m"
        + (
            f", the last {entry.low_level_distance.si / 1e3:,.0f} km at "
            f"{entry.low_level_altitude.si:,.0f} m"
            if entry.flight_profile == "high-low" and entry.low_level_altitude is not None
            else ""
        )
        + f") at {entry.cruise_speed.si:,.0f} m/s; radar cross-section {rcs_m2:g} m^2"
    ]
    if sensors is None:
        sensors = [r for s in specs for r in s.radars]
        sensors = list(dict.fromkeys(sensors))
        notes.append(
            "no early-warning satellite cues a cruise missile (they report ballistic "
            "rocket plumes): the defence sites' own radars only"
        )
    else:
        from bmdsim.analyses.resolve import resolve_sensors

        if resolve_sensors(sensors, cat)[1]:
            notes.append(
                "the early-warning satellite named never reports a cruise missile (it "
                "reports ballistic rocket plumes)"
            )
    cues = sensor_cues(sensors, track, cat, rcs_m2=rcs_m2, boost_phase=False)
    notes += _horizon_notes(sensors, track, cues, cat)
    if cue_at is not None:
        cues.append(assumed_cue(track, cue_at))
    bats = batteries_for(
        specs, track, min_speed=min_speed, backend=resolve_backend(backend), guided=True
    )
    notes.append(
        "interceptors fly their ballistic fan or a guided line of sight, whichever is "
        "faster (defence/guided.py: lift holds the line at no drag cost)"
    )
    eng = E.engage_track(track, bats, cues, doctrine, min_speed=min_speed, trajectory=traj)
    entries = engagement_entries(entry.id, origin, target, specs, sensors, doctrine, cat)
    return replace(eng, batteries=tuple(bats), entries=entries, notes=tuple(notes))


def _horizon_notes(sensors, track, cues, cat) -> list[str]:
    """For each radar: where it first sees the low flyer, and the 4/3-Earth horizon of
    its antenna against the threat's altitude there (the mast height used)."""
    from bmdsim.analyses.resolve import resolve_sensors

    views, _ = resolve_sensors(sensors, cat)
    by_name = {c.name: c for c in cues}
    out = []
    for view in views:
        cue = by_name.get(view.name)
        if cue is None:
            continue
        ground = E.ground_range_m(track.r_ecef_m, view.lat_deg, view.lon_deg, view.antenna_alt_m)
        antenna = f"antenna {view.antenna_alt_m:,.0f} m above the ellipsoid"
        seen = cue.first_detection_s is not None
        # where it is first seen, or (never seen) its closest approach
        k = (
            int(np.searchsorted(track.t_s, cue.first_detection_s))
            if seen
            else int(np.argmin(ground))
        )
        k = min(k, len(track.t_s) - 1)
        h = max(float(track.alt_m[k]), 0.0)
        horizon = _horizon_m(view, h) / 1e3
        if seen:
            out.append(
                f"{view.name} first sees it {ground[k] / 1e3:,.0f} km out at "
                f"{track.t_s[k]:,.0f} s, flying at {h:,.0f} m ({antenna}: the 4/3-Earth "
                f"horizon for that height is {horizon:,.0f} km)"
            )
        else:
            out.append(
                f"{view.name} never sees it ({antenna}; its closest approach is "
                f"{ground[k] / 1e3:,.0f} km at {h:,.0f} m, where the horizon is "
                f"{horizon:,.0f} km)"
            )
    return out


def _horizon_m(view, target_alt_m: float) -> float:
    """The 4/3-Earth horizon of a radar view against a target at ``target_alt_m``, with
    the radar's own elevation mask."""
    return float(
        radar_horizon_range_m(
            view.antenna_alt_m, target_alt_m, min_elevation_rad=view.radar.min_elevation.si
        )
    )
