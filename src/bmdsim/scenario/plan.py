"""What a validated scenario asks of the analyses: its batteries, its doctrine, and the
flight of each threat at central values.

The schema (``scenario.schema``) is data; this module turns it into the typed inputs of
``bmdsim.analyses`` (``BatterySpec``, ``Doctrine``, ``Trajectory``), with the scenario's
catalogue (``scenario.references.scenario_catalogue``) so that its own sites resolve.
"""

from __future__ import annotations

import numpy as np

from bmdsim import domains
from bmdsim.analyses.flights import check_range_cap, fly
from bmdsim.analyses.resolve import (
    BatterySpec,
    default_doctrine,
    resolve_defences,
    resolve_missile,
    resolve_place,
)
from bmdsim.defence.engagement import Doctrine
from bmdsim.scenario.references import scenario_catalogue
from bmdsim.scenario.schema import Cueing, Scenario, Threat


def scenario_batteries(scn: Scenario, cat=None) -> list[BatterySpec]:
    """Every battery of the scenario's ``defences`` once (without ``interceptors``: those
    deployed at the site, notional ones with ``include_notional``), resolved with ``cat``,
    the :func:`scenario_catalogue` (built if not given)."""
    cat = cat if cat is not None else scenario_catalogue(scn)
    labels: list[str] = []
    for d in scn.defences:
        site = cat.site(d.site)
        if d.interceptors is not None:
            ids = [cat.interceptor(i).id for i in d.interceptors]
        else:
            ids = [
                s.system
                for s in site.systems
                if s.system in cat.interceptors and (d.include_notional or not s.notional)
            ]
        labels += [f"{site.id}:{i}" for i in ids]
    return resolve_defences(list(dict.fromkeys(labels)), cat)


def doctrine(cueing: Cueing, cat=None, **changes) -> Doctrine:
    """The engagement Doctrine of ``cueing``, the delays it leaves out from the catalogue's
    doctrine (``cat``: the scenario's catalogue; ``changes``: sampled values, e.g.
    decision_delay_s)."""
    values = {
        "decision_delay_s": cueing.decision_delay_s,
        "assessment_delay_s": cueing.assessment_delay_s,
        "launch_on_remote": cueing.launch_on_remote,
        "engage_on_remote": cueing.engage_on_remote,
    }
    values.update(changes)
    return default_doctrine(cat, **values)


def fly_threat(threat: Threat, cat=None, backend="auto"):
    """``threat`` flown at central values from its launch point (a launch area's centre)
    to its target along its shape: ``bmdsim.fly``'s Trajectory. ``cat``: the scenario's
    catalogue, so scenario sites resolve."""
    return fly(
        threat.missile_spec(),
        origin=threat.launch_point,
        target=threat.target,
        shape=threat.shape,
        backend=backend,
        catalogue=cat,
        via=threat.via or None,
    )


def is_cruise_threat(threat: Threat, cat=None) -> bool:
    """Whether ``threat`` is a cruise missile (flown along its route, engaged on central
    values only)."""
    from bmdsim.analyses.resolve import cruise_entry

    return not threat.is_file and cruise_entry(threat.missile, cat) is not None


THREAT_FLIGHT_BATCH = 256  # recorded central flights flown at a time (20,000 states each)


def fly_threats(threats, cat=None, backend="auto") -> list:
    """Every threat flown as :func:`fly_threat` flies it, aimed together: one aim search
    for all (``flight.targeting.aim_rows``, which solves each row on its own, so every
    Trajectory equals ``fly_threat``'s) and one recorded flight batch, instead of one
    search per threat (on a GPU: one launch grid, not grids of a block or two). Raises
    the error of the first threat that cannot be aimed."""
    from bmdsim.flight.batch import FlightModel, resolve_backend
    from bmdsim.flight.targeting import Launcher, aim_rows, parse_shape
    from bmdsim.flight.trajectory import RECORD_STEPS, check_point, trajectory_from_batch
    from bmdsim.flight.vehicle import pack_vehicles

    threats = list(threats)
    if not threats:
        return []
    cruise = [is_cruise_threat(t, cat) for t in threats]
    if any(cruise):  # cruise missiles fly their own model, one by one; the rest together
        ballistic = iter(
            fly_threats([t for t, c in zip(threats, cruise, strict=True) if not c], cat, backend)
        )
        return [
            fly_threat(t, cat, backend) if c else next(ballistic)
            for t, c in zip(threats, cruise, strict=True)
        ]
    backend = resolve_backend(backend)
    model = FlightModel()
    missiles = [resolve_missile(t.missile_spec(), cat) for t in threats]
    starts = [resolve_place(t.launch_point, cat, what="launch") for t in threats]
    ends = [resolve_place(t.target, cat, what="target") for t in threats]
    shapes = [domains.check_shape(t.shape) for t in threats]
    for (_, entry, _), a, b in zip(missiles, starts, ends, strict=True):
        check_point(a.lat_deg, a.lon_deg, "launch")
        check_point(b.lat_deg, b.lon_deg, "target")
        if entry is not None and entry.range_cap is not None:  # as bmdsim.fly refuses it
            check_range_cap(entry, a, b, model)
    launcher = Launcher(
        pack_vehicles([v for v, _, _ in missiles]),
        np.arange(len(threats)),
        [a.lat_deg for a in starts],
        [a.lon_deg for a in starts],
        [a.alt_m for a in starts],
        model,
        backend,
    )
    tlat = np.array([b.lat_deg for b in ends])
    tlon = np.array([b.lon_deg for b in ends])
    sol, errors = aim_rows(launcher, tlat, tlon, shapes)
    if errors:
        raise errors[min(errors)]
    out = []
    for lo in range(0, len(threats), THREAT_FLIGHT_BATCH):
        rows = np.arange(lo, min(lo + THREAT_FLIGHT_BATCH, len(threats)))
        result = sol.rows(rows).fly(launcher.subset(rows), record_steps=RECORD_STEPS)
        for k, i in enumerate(rows):
            name, apogee_m = parse_shape(shapes[i])
            label, lift = (shapes[i] if name == "apogee" else name), None
            if name == "quasi-ballistic":  # as flight.trajectory.fly_vehicle labels it
                vehicle = missiles[i][0]
                cap = apogee_m or vehicle.quasi_ballistic_apogee_m
                label = f"quasi-ballistic={cap / 1e3:g}"
                lift = (vehicle, cap, float(sol.t_dive_s[i]))
            out.append(
                trajectory_from_batch(
                    result,
                    k,
                    vehicle_id=missiles[i][0].id,
                    shape=label,
                    launch_lat_deg=starts[i].lat_deg,
                    launch_lon_deg=starts[i].lon_deg,
                    model=model,
                    azimuth_rad=sol.azimuth_rad[i],
                    kick_rad=sol.kick_rad[i],
                    backend=backend,
                    target=(ends[i].lat_deg, ends[i].lon_deg),
                    miss_m=float(sol.miss_m[i]),
                    provenance=missiles[i][2],
                    lift=lift,
                )
            )
    return out
