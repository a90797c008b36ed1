"""The Europe study: could SM-3s at Redzikowo or Deveselu catch Russian ICBMs bound for
the United States?

For every Russian ICBM base and US aim point in the catalogue, a minimum-energy ICBM
trajectory is flown (one batched aim-point solution), and every (site, interceptor) pair
is tested under two stated cueing assumptions:

* **as deployed**: the radars at the Aegis Ashore sites and the TPY-2 at Kurecik, plus the
  early-warning satellite (which reports a launch but holds no fire-control track);
* **ideal cueing**: a remote fire-control track from the threat's burnout on, with the
  catalogue's decision delay (doctrine entry ``decision-delay``, 30 s, an assumption),
  the favourable assumption of the open studies (Wilkening 2012).

For each case: whether an intercept is kinematically feasible, why not, and the slowest
burnout speed (same burn time and cueing) that would have made it feasible.
docs/study-europe.md sets the results beside the published conclusions.
"""

from __future__ import annotations

from dataclasses import dataclass

from bmdsim.analyses.engage import assumed_cue, batteries_for, sensor_cues
from bmdsim.analyses.provenance import (
    battery_entries,
    doctrine_entries,
    missile_entry,
    sensor_entries,
    unique_entries,
)
from bmdsim.analyses.resolve import (
    catalogue_or_default,
    default_doctrine,
    resolve_defences,
    resolve_missile,
    threat_rcs_m2,
)
from bmdsim.catalogue import Catalogue
from bmdsim.defence import engagement as E
from bmdsim.flight.batch import FlightModel, resolve_backend
from bmdsim.flight.targeting import Launcher, fly_to_aimpoints
from bmdsim.flight.trajectory import RECORD_STEPS, trajectory_from_batch
from bmdsim.flight.vehicle import pack_vehicles

DEFAULT_SITES = ("redzikowo", "deveselu")
DEFAULT_INTERCEPTORS = ("sm-3-ib", "sm-3-iia", "sm-3-iib")
DEPLOYED_SENSORS = ("redzikowo", "deveselu", "kurecik", "early-warning-satellite")
QUICK_BASES = ("kozelsk", "teykovo")
QUICK_TARGETS = ("washington-dc", "new-york")


@dataclass(frozen=True)
class StudyRow:
    base: str
    target: str
    site: str
    interceptor: str
    range_km: float
    flight_time_s: float
    closest_approach_km: float
    deployed_feasible: bool
    deployed_reason: str | None
    ideal_feasible: bool
    ideal_reason: str | None
    ideal_first_intercept_s: float | None
    min_burnout_speed_kms: float | None  # under ideal cueing; None: see the next two
    catalogue_burnout_speed_kms: float
    min_burnout_speed_above_kms: float | None = None  # none up to this speed intercepts
    min_burnout_speed_note: str | None = None  # why there is no number (or a caveat)
    notional: bool = False  # the interceptor was never deployed as modelled


@dataclass(frozen=True)
class StudyResult:
    rows: tuple[StudyRow, ...]
    trajectories: tuple
    missile: str
    decision_delay_s: float
    out_of_range: tuple = ()  # (base, target) pairs beyond the missile's maximum range
    entries: tuple = ()  # (kind, id) of the catalogue entries used (analyses.provenance)

    def to_dataframe(self):
        import pandas as pd

        return pd.DataFrame([r.__dict__ for r in self.rows])


def europe_study(
    *,
    missile="rs-24-yars",
    bases=None,
    targets=None,
    sites=DEFAULT_SITES,
    interceptors=DEFAULT_INTERCEPTORS,
    decision_delay_s=None,
    quick=False,
    progress=None,
    backend="auto",
    catalogue: Catalogue | None = None,
) -> StudyResult:
    """(see module doc) ``backend``: 'auto', 'cpu' or 'cuda' for the ICBM flights;
    ``decision_delay_s``: default, the catalogue's doctrine ``decision-delay``. ``sites``
    may name any catalogue site, e.g. the sea stations (tag ``sea-station``)."""
    backend = resolve_backend(backend)
    cat = catalogue_or_default(catalogue)
    if bases is None:
        bases = (
            QUICK_BASES
            if quick
            else tuple(s.id for s in cat.entries("site") if s.kind == "icbm-base")
        )
    if targets is None:
        targets = (
            QUICK_TARGETS
            if quick
            else tuple(
                s.id for s in cat.entries("site") if "us" in s.tags and "reference-city" in s.tags
            )
        )
    vehicle, threat_missile, prov = resolve_missile(missile, cat)
    rcs_m2 = threat_rcs_m2(threat_missile, vehicle)
    pairs = [(cat.site(b), cat.site(t)) for b in bases for t in targets]
    model = FlightModel()
    launcher = Launcher(
        pack_vehicles([vehicle]),
        0,
        [b.lat_deg for b, _ in pairs],
        [b.lon_deg for b, _ in pairs],
        0.0,
        model,
        backend,
    )
    # Pairs beyond the missile's reach on their azimuth are left out, and listed.
    flown, reached = fly_to_aimpoints(
        launcher,
        [t.lat_deg for _, t in pairs],
        [t.lon_deg for _, t in pairs],
        "minimum-energy",
        record_steps=RECORD_STEPS,
    )
    out_of_range = tuple((b.id, t.id) for (b, t), ok in zip(pairs, reached, strict=True) if not ok)
    flights = []  # ((base, target), Trajectory)
    for batch in flown:
        sol = batch.solution
        for k, i in enumerate(batch.rows):
            b, t = pairs[i]
            flights.append(
                (
                    (b, t),
                    trajectory_from_batch(
                        batch.result,
                        k,
                        vehicle_id=vehicle.id,
                        shape="minimum-energy",
                        launch_lat_deg=b.lat_deg,
                        launch_lon_deg=b.lon_deg,
                        model=model,
                        azimuth_rad=sol.azimuth_rad[k],
                        kick_rad=sol.kick_rad[k],
                        backend=backend,
                        target=(t.lat_deg, t.lon_deg),
                        miss_m=sol.miss_m[k],
                        provenance=prov,
                    ),
                )
            )
    ideal = default_doctrine(cat, decision_delay_s=decision_delay_s)
    specs = resolve_defences(
        [f"{s}:{i}" for s in sites for i in interceptors], cat, include_notional=True
    )
    rows = []
    for k, ((base, target), traj) in enumerate(flights):
        track = E.threat_track(traj, label=f"{vehicle.id} {base.id} -> {target.id}")
        deployed_cues = sensor_cues(DEPLOYED_SENSORS, track, cat, rcs_m2=rcs_m2)
        ideal_cues = [assumed_cue(track, "burnout")]
        for battery in batteries_for(specs, track):
            deployed = E.battery_window(track, battery, deployed_cues, ideal, min_speed=False)
            best = E.battery_window(track, battery, ideal_cues, ideal, min_speed=True)
            ground, _, _ = E.site_geometry(track, battery.lat_deg, battery.lon_deg)
            v = best.min_burnout_speed_m_s
            rows.append(
                StudyRow(
                    base.id,
                    target.id,
                    battery.site_id,
                    battery.interceptor_id,
                    round(traj.range_m / 1e3, 1),
                    round(traj.flight_time_s, 1),
                    round(float(ground.min()) / 1e3, 1),
                    deployed.feasible,
                    deployed.reason,
                    best.feasible,
                    best.reason,
                    best.first_intercept_s,
                    None if v is None else round(v / 1e3, 2),
                    round(battery.burnout_speed_m_s / 1e3, 2),
                    None
                    if best.min_burnout_speed_above_m_s is None
                    else round(best.min_burnout_speed_above_m_s / 1e3, 2),
                    best.min_burnout_speed_note,
                    battery.notional,
                )
            )
        if progress:
            progress(k + 1, len(flights))
    trajectories = tuple(traj for _, traj in flights)
    entries = [missile_entry(missile, cat)]
    entries += [("site", s.id) for pair in pairs for s in pair]
    entries += battery_entries(specs, cat) + sensor_entries(DEPLOYED_SENSORS, cat)
    entries += doctrine_entries(ideal, cat)
    entries = unique_entries(entries)
    return StudyResult(
        tuple(rows), trajectories, vehicle.id, ideal.decision_delay_s, out_of_range, entries
    )
