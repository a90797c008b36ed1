"""The Monte Carlo of a scenario: every threat against every battery, sample by sample.

``EngagementSweep.build(scenario)`` does the expensive part once, in the calling
process: it flies the fixed threats (aimed together, ``plan.fly_threats``), builds each
battery's flyout tables on a ladder of burnout speeds (all of them in two flight
batches, ``analyses.engage.flyout_tables_for``), and the radar geometry along each
threat (``defence.sampled``). The object is then the sweep's task, ``task(start, stop,
seed) -> pyarrow.Table``: it draws the declared uncertain inputs for samples [start,
stop) (``sweep.sampling``: a seed per sample index, so any chunking or executor gives
the same rows) and applies the engagement rule to every sample with compiled loops, on
the scenario's backend (``defence.sampled``: all cores; ``defence.sampled_cuda``: a GPU
thread a sample).

What varies, and how
--------------------
* ``interceptor:ID.burnout_speed``: tau interpolated between ladder rungs (100 m/s
  apart at most; ``defence.sampled`` gives the conservative edge rule);
  ``min_intercept_altitude``, ``max_intercept_altitude``, ``max_flight_time``: the
  window tests; ``single_shot_pk``: the ``p_kill`` column.
* ``radar:ID.reference_range``, ``reference_rcs``: the detection range
  R_ref (sigma / sigma_ref)^(1/4); ``min_elevation``, ``track_time``: thresholds.
* ``missile:ID.payload.rcs``: sigma, the radar cross-section of that missile's threats
  (the catalogue's by default; a threat's ``rcs_m2`` in the scenario overrides both);
  the threats are not flown again for it.
* ``cueing.decision_delay_s``, ``assessment_delay_s``, ``cue_at`` (seconds).
* ``missile:ID.<stage, payload, aero or steering quantity>`` and launch areas: the
  threats of that missile (or from that area) are flown again for every sample, every
  such threat and sample of a chunk aimed in one batch (``sweep_flights``; each row is
  solved on its own, so a row does not depend on the chunk) on the scenario's
  ``backend`` (``cuda`` where there is a GPU); samples whose missile cannot reach the
  target are recorded as such. ``missile:ID.range_cap`` (a declared limit) varies only
  the reach analyses (``sweep_reach``): the threats fly the airframe.
* ``site:ID.systems[i].count``: that battery's inventory (rounded), which caps the
  shoot-look-shoot opportunities.
* ``sensor:early-warning-satellite.detection_delay`` is accepted and changes nothing:
  the satellite never commits an interceptor.

Inputs that would change an interceptor airframe (burn time, masses, diameter) or a
radar's field of regard are refused with the list of what can vary.

Rows: one per (sample, threat, battery), or per (sample, threat) without defences. SI
units; the input columns are named by their vary paths. See docs/outputs.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa

from bmdsim.analyses.engage import azimuth_bucket_deg, flyout_table_for, flyout_tables_for
from bmdsim.analyses.resolve import (
    VEHICLE_FIELDS,
    default_sensors,
    resolve_missile,
    resolve_place,
    resolve_sensors,
    threat_rcs_m2,
    vehicle_field,
)
from bmdsim.defence import engagement as E
from bmdsim.defence.engagement import ground_range_m
from bmdsim.defence.radar import detection_range_m
from bmdsim.defence.rules import REASON_NAMES, THREAT_CANNOT_REACH_TARGET
from bmdsim.defence.sampled import firm_track_times, ladder_spans, sampled_windows
from bmdsim.errors import InputError
from bmdsim.flight.batch import resolve_backend
from bmdsim.scenario.plan import doctrine, fly_threats, is_cruise_threat, scenario_batteries
from bmdsim.scenario.references import scenario_catalogue, uncertain_inputs
from bmdsim.scenario.sweep_flights import Tracks, fly_varied_threats
from bmdsim.sweep.sampling import UncertainParameter, sample

RUNG_STEP_M_S = 100.0  # largest burnout-speed step between flyout-table rungs

_INTERCEPTOR_FIELDS = {
    "burnout_speed",
    "min_intercept_altitude",
    "max_intercept_altitude",
    "max_flight_time",
    "single_shot_pk",
}
_RADAR_FIELDS = {"reference_range", "reference_rcs", "min_elevation", "track_time"}
OUTPUT_COLUMNS = (
    "feasible",
    "reason",
    "commit_s",
    "first_intercept_s",
    "last_intercept_s",
    "window_s",
    "first_intercept_alt_m",
    "first_launch_s",
    "last_launch_s",
    "shots",
    "p_kill",
    "threat_flight_time_s",
    "threat_apogee_m",
    "threat_launch_lat_deg",
    "threat_launch_lon_deg",
)


def _strings(index, labels):
    """A pyarrow string column: ``labels[index[i]]`` for each row (None: NULL), made
    without a Python object per row."""
    dictionary = pa.array(list(labels), pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), dictionary).cast(
        pa.string()
    )


def _refuse(path, why, allowed):
    raise InputError(
        f"uncertainty.vary {path!r}: {why}",
        field="uncertainty.vary",
        value=path,
        allowed=allowed,
    )


@dataclass
class _BatteryPlan:
    site_id: str
    interceptor_id: str
    lat_deg: float
    lon_deg: float
    alt_m: float
    inventory: int
    inventory_input: str | None
    pk: float  # the catalogue's single-shot Pk
    model: object  # analyses.resolve.InterceptorModel (max flight time widened when varied)
    rungs: np.ndarray  # (M,) burnout speeds m/s
    coarse: bool


@dataclass
class _ThreatPlan:
    id: str
    varied: bool
    rcs_m2: float  # the scenario's rcs_m2, else the missile's catalogue payload.rcs
    rcs_input: str | None = None  # the vary path of the missile's payload.rcs, if sampled
    # fixed threats: the track and, per battery, tau on the rungs and spans
    tracks: Tracks | None = None
    tau: list = field(default_factory=list)  # per battery (1, M, T)
    geom: list = field(default_factory=list)  # per radar (geom, slant, elev) each (1, T)
    # varied threats: what is needed to fly them again
    vehicle: object = None
    missile_id: str | None = None
    launch: tuple = ()  # (lat, lon, alt)
    area_radius_m: float = 0.0
    target: tuple = ()  # (lat, lon)
    shape: str = "minimum-energy"
    buckets: list = field(default_factory=list)  # per battery: the table azimuth


class EngagementSweep:
    """The sampled engagement task of a scenario (module doc). Build with :meth:`build`."""

    def __init__(self):
        self.inputs: list[tuple[str, UncertainParameter]] = []
        self.threats: list[_ThreatPlan] = []
        self.batteries: list[_BatteryPlan] = []
        self.radars: list = []  # analyses.resolve.RadarView
        self.doctrine = None
        self.cue_at = None
        self.backend = "cpu"
        self.effectiveness = (1, 1)  # (looks, shots per look) for p_kill
        self.missile_inputs: dict[str, list[tuple[str, str]]] = {}  # missile id -> (name, field)
        self.rcs_inputs: dict[str, str] = {}  # missile id -> vary path of its payload.rcs
        self._tables: dict = {}  # (battery index, speed, bucket) -> flyout table (build)

    # -- building ------------------------------------------------------------------------

    @classmethod
    def build(cls, scn, cat=None, *, progress=None, trajectories=None):
        """Resolve inputs and precompute (module doc). ``trajectories``: {threat id:
        Trajectory} already flown at central values (``run_scenario`` passes its own)."""
        cat = cat if cat is not None else scenario_catalogue(scn)
        self = cls()
        self.backend = resolve_backend(scn.backend)
        self.doctrine = doctrine(scn.cueing, cat)
        self.cue_at = scn.cueing.cue_at
        eff = scn.analyses.effectiveness
        if eff is not None:
            self.effectiveness = (int(eff.looks), int(eff.shots))
        self.inputs, self.missile_inputs, inventories, self.rcs_inputs = sweep_inputs(
            scn, cat, with_rcs=True
        )
        varied_missiles = set(self.missile_inputs)
        # batteries and radars
        specs = scenario_batteries(scn, cat) if scn.defences else []
        sensors = scn.sensors if scn.sensors is not None else default_sensors(specs, cat)
        self.radars, _ = resolve_sensors(sensors, cat) if specs else ([], [])
        for spec in specs:
            iid, model = spec.interceptor_id, spec.model
            speed = self._param(f"interceptor:{iid}.burnout_speed")
            tmax = self._param(f"interceptor:{iid}.max_flight_time")
            if tmax is not None:
                model = replace(model, max_flight_time_s=float(tmax.high))
            if speed is not None:
                n = max(2, int(math.ceil((speed.high - speed.low) / RUNG_STEP_M_S)) + 1)
                rungs = np.unique(
                    np.round(np.r_[np.linspace(speed.low, speed.high, n), speed.centre], 3)
                )
            else:
                rungs = np.array([model.burnout_speed_m_s])
            self.batteries.append(
                _BatteryPlan(
                    spec.site_id,
                    iid,
                    spec.lat_deg,
                    spec.lon_deg,
                    spec.alt_m,
                    spec.inventory,
                    inventories.get((spec.site_id, iid)),
                    spec.pk,
                    model,
                    rungs,
                    speed is not None or tmax is not None,
                )
            )
        # threats: those not given are flown together (one aim search for all)
        # (a cruise missile is engaged on central values only: not sampled here)
        ballistic = [t for t in scn.threats if not is_cruise_threat(t, cat)]
        given = dict(trajectories or {})
        missing = [t for t in ballistic if t.id not in given]
        flown = fly_threats(missing, cat, self.backend)
        given.update(zip([t.id for t in missing], flown, strict=True))
        fixed = []  # (plan, tracks) of the threats flown once
        for thr in ballistic:
            vehicle, missile, _ = resolve_missile(thr.missile_spec(), cat)
            varied = (vehicle.id in varied_missiles) or thr.launch_area is not None
            rcs = thr.rcs_m2 if thr.rcs_m2 is not None else threat_rcs_m2(missile, vehicle)
            rcs_input = None if thr.rcs_m2 is not None else self.rcs_inputs.get(vehicle.id)
            plan = _ThreatPlan(thr.id, varied, float(rcs), rcs_input)
            traj = given[thr.id]
            track = E.threat_track(traj)
            buckets = [
                azimuth_bucket_deg(track, b.lat_deg, b.lon_deg, b.alt_m) for b in self.batteries
            ]
            plan.buckets = buckets
            start = resolve_place(thr.launch_point, cat, what="launch")
            if varied:
                end = resolve_place(thr.target, cat, what="target")
                plan.vehicle = vehicle
                plan.missile_id = vehicle.id
                plan.launch = (start.lat_deg, start.lon_deg, start.alt_m)
                plan.area_radius_m = (
                    thr.launch_area.radius_km * 1e3 if thr.launch_area is not None else 0.0
                )
                plan.target = (end.lat_deg, end.lon_deg)
                plan.shape = thr.shape
            else:
                tr = Tracks(
                    track.t_s,
                    track.r_ecef_m[None],
                    track.alt_m[None],
                    (track.t_s <= track.impact_time_s)[None],
                    np.array([track.impact_time_s]),
                    np.array([track.burnout_time_s]),
                    np.array([float(traj.apogee_alt_m)]),
                    np.array([start.lat_deg]),
                    np.array([start.lon_deg]),
                )
                plan.tracks = tr
                plan.geom = [self._geometry(view, tr) for view in self.radars]
                fixed.append((plan, tr))
            self.threats.append(plan)
        self._build_tables(fixed)
        for i, plan in enumerate(self.threats):
            if not plan.varied:
                plan.tau = [
                    self._tau(b, plan.buckets[j], plan.tracks, prune=True)
                    for j, b in enumerate(self.batteries)
                ]
            if progress:
                progress(i + 1, len(self.threats), plan.id)
        return self

    def _build_tables(self, fixed):
        """Every flyout table the sweep reads, their fans flown in two batches (all
        batteries' ladders and azimuth buckets at once, ``flyout_tables_for``): the top
        rung of each (fixed threat, battery) and every rung of the varied threats'
        buckets first; then the other rungs where the top rung reaches the threat (a
        battery that cannot reach it even at its top speed keeps that one rung)."""
        varied = [p for p in self.threats if p.varied]
        first = [(j, b.rungs[-1], plan.buckets[j]) for plan, _ in fixed for j, b in
                 enumerate(self.batteries)]  # fmt: skip
        first += [(j, r, plan.buckets[j]) for plan in varied for j, b in
                  enumerate(self.batteries) for r in b.rungs]  # fmt: skip
        self._fetch_tables(first)
        rest = [
            (j, r, plan.buckets[j])
            for plan, tr in fixed
            for j, b in enumerate(self.batteries)
            if self._reaches(b, plan.buckets[j], tr)
            for r in b.rungs[:-1]
        ]
        self._fetch_tables(rest)

    def _fetch_tables(self, wanted):
        """Build (one batch) and keep the tables of (battery index, speed, bucket)."""
        keys = list(dict.fromkeys((j, float(r), float(az)) for j, r, az in wanted))
        keys = [k for k in keys if k not in self._tables]
        if not keys:
            return
        tables = flyout_tables_for(
            [self._table_key(self.batteries[j], r, az) for j, r, az in keys],
            backend=self.backend,
        )
        self._tables.update(zip(keys, tables, strict=True))

    def _reaches(self, b: _BatteryPlan, bucket, tr: Tracks) -> bool:
        """Whether the battery's top rung reaches any valid point of the tracks."""
        ground = ground_range_m(tr.r, b.lat_deg, b.lon_deg, b.alt_m)
        table = self._table(b, b.rungs[-1], bucket)
        tau = np.asarray(table.time_to(ground, tr.alt, window=False), float)
        return bool((np.isfinite(tau) & tr.valid & np.isfinite(ground)).any())

    def _param(self, name):
        for n, p in self.inputs:
            if n == name:
                return p
        return None

    @staticmethod
    def _table_key(b: _BatteryPlan, speed, bucket):
        """The ``flyout_table_for`` arguments of a battery's table."""
        return (b.model, float(speed), b.lat_deg, b.lon_deg, b.alt_m, float(bucket), bool(b.coarse))

    def _index(self, b: _BatteryPlan) -> int:
        return next(k for k, x in enumerate(self.batteries) if x is b)

    def _table(self, b: _BatteryPlan, speed, bucket):
        kept = self._tables.get((self._index(b), float(speed), float(bucket)))
        if kept is not None:
            return kept
        return flyout_table_for(*self._table_key(b, speed, bucket), backend=self.backend)

    def __getstate__(self):
        # the tables stay behind (tens of MB): a worker process rebuilds what it reads
        state = dict(self.__dict__)
        state["_tables"] = {}
        return state

    def _tau(self, b: _BatteryPlan, bucket, tr: Tracks, *, prune=False):
        """(R, M, T) unwindowed time of flight on every rung (inf: unreachable/invalid).
        ``prune``: when the fastest rung reaches nothing, one all-inf rung stands for all."""
        if not prune:  # every rung is read: those not kept yet in one batch (a worker)
            self._fetch_tables([(self._index(b), r, bucket) for r in b.rungs])
        ground = ground_range_m(tr.r, b.lat_deg, b.lon_deg, b.alt_m)
        ground = np.where(tr.valid, ground, np.inf)
        out = np.full((tr.alt.shape[0], len(b.rungs), tr.alt.shape[1]), np.inf)
        order = list(range(len(b.rungs) - 1, -1, -1))  # fastest first
        for m in order:
            table = self._table(b, b.rungs[m], bucket)
            tau = np.asarray(table.time_to(ground, tr.alt, window=False), float)
            out[:, m] = np.where(tr.valid & np.isfinite(ground), tau, np.inf)
            if prune and m == order[0] and not np.isfinite(out[:, m]).any():
                return np.full((len(tr.alt), 1, tr.alt.shape[1]), np.inf), b.rungs[-1:]
        return out, b.rungs

    def _geometry(self, view, tr: Tracks):
        """(geometry mask, slant range, elevation), each (R, T), of a radar along tracks."""
        r = tr.r.reshape(-1, 3)
        look = view.visibility(r, max_range_m=np.inf, min_elevation_rad=-math.pi / 2)
        shape = tr.alt.shape
        geom = (look.above_mask & look.in_field & look.line_of_sight).reshape(shape) & tr.valid
        return geom, look.slant_range_m.reshape(shape), look.elevation_rad.reshape(shape)

    # -- the task --------------------------------------------------------------------------

    @property
    def input_names(self) -> list[str]:
        return [n for n, _ in self.inputs]

    def draw(self, start: int, stop: int, seed: int) -> dict[str, np.ndarray]:
        """The SI values of every uncertain input for samples [start, stop)."""
        params = [p for _, p in self.inputs]
        return sample(params, range(start, stop), seed) if params else {}

    def value(self, values, name, default, n):
        v = values.get(name)
        return np.full(n, float(default)) if v is None else v

    def __call__(self, start: int, stop: int, seed: int) -> pa.Table:
        n = stop - start
        values = self.draw(start, stop, seed)
        sample_ids = np.arange(start, stop, dtype=np.int64)
        doc = self.doctrine
        decision = self.value(values, "cueing.decision_delay_s", doc.decision_delay_s, n)
        assessment = self.value(values, "cueing.assessment_delay_s", doc.assessment_delay_s, n)
        # per (threat, battery) pair: its labels, and one array of n samples a column
        columns: dict[str, list] = {
            k: [] for k in ("threat", "site", "interceptor", *OUTPUT_COLUMNS)
        }
        varied = [plan for plan in self.threats if plan.varied]
        flown = self._fly_varied(varied, values, start, stop, seed) if varied else {}
        for plan in self.threats:
            if plan.varied:
                rows, tr, taus, geoms, reached = flown[plan.id]
            else:
                rows, tr, taus, geoms = np.zeros(n, np.int64), plan.tracks, plan.tau, plan.geom
                reached = np.ones(n, bool)
            self._threat_rows(
                plan,
                tr,
                rows,
                reached,
                taus,
                geoms,
                values,
                decision,
                assessment,
                sample_ids,
                columns,
            )
        # Sample-major rows (sample s, pair p at row s * n_pairs + p), so that chunks
        # concatenate into exactly the rows of one bigger chunk. Built column by column
        # without Python objects per row: a million samples make tens of millions of rows.
        n_pairs = len(columns["threat"])

        def sample_major(arrays):
            return np.stack(arrays, axis=1).ravel() if n_pairs else np.zeros(0)

        pair_of_row = np.tile(np.arange(n_pairs, dtype=np.int32), n)
        table = {
            "sample": pa.array(np.repeat(sample_ids, n_pairs), pa.int64()),
            **{k: _strings(pair_of_row, columns[k]) for k in ("threat", "site", "interceptor")},
        }
        for k in OUTPUT_COLUMNS:
            arr = sample_major(columns[k])
            if k == "reason":  # codes index REASON_NAMES (0, feasible: no reason, NULL)
                table[k] = _strings(arr.astype(np.int32), REASON_NAMES)
            elif k == "feasible":
                table[k] = pa.array(arr.astype(bool), pa.bool_())
            elif k == "shots":
                table[k] = pa.array(arr.astype(np.int64), pa.int64())
            else:  # nan -> null: "no such time" reads as NULL in SQL, skipped by aggregates
                table[k] = pa.array(arr.astype(np.float64), pa.float64(), from_pandas=True)
        for name in self.input_names:
            table[name] = pa.array(np.repeat(values[name], n_pairs), pa.float64())
        return pa.table(table)

    def _threat_rows(
        self, plan, tr, rows, reached, taus, geoms, values, decision, assessment, ids, columns
    ):
        n = len(ids)
        flight = np.where(reached, tr.impact_s[rows], np.nan)
        apogee = np.where(reached, tr.apogee_m[rows], np.nan)
        burnout = tr.burnout_s[rows]
        # assumed cue
        if self.cue_at is None:
            t0 = np.full(n, np.nan)
        elif self.cue_at == "burnout":
            t0 = burnout.astype(float)
        else:
            t0 = self.value(values, "cueing.cue_at", float(self.cue_at), n)
        # radars: detection range, elevation mask, firm track per sample
        c_range, c_minel, c_firm = [], [], []
        for view, (geom, slant, elev) in zip(self.radars, geoms, strict=True):
            rid = view.radar.id
            ref_r = self.value(
                values, f"radar:{rid}.reference_range", view.radar.reference_range.si, n
            )
            ref_s = self.value(values, f"radar:{rid}.reference_rcs", view.radar.reference_rcs.si, n)
            rcs = (
                plan.rcs_m2 if plan.rcs_input is None else self.value(values, plan.rcs_input, 0, n)
            )
            rng = detection_range_m(ref_r, ref_s, rcs)
            minel = self.value(values, f"radar:{rid}.min_elevation", view.radar.min_elevation.si, n)
            delay = self.value(values, f"radar:{rid}.track_time", view.radar.track_time.si, n)
            firm = firm_track_times(
                tr.t, rows, geom, slant, elev, rng, minel, delay, backend=self.backend
            )
            c_range.append(rng)
            c_minel.append(minel)
            c_firm.append(firm)
        n_c = len(self.radars)
        shape = tr.alt.shape
        g = np.stack([x[0] for x in geoms]) if n_c else np.zeros((0, *shape), bool)
        sl = np.stack([x[1] for x in geoms]) if n_c else np.zeros((0, *shape))
        el = np.stack([x[2] for x in geoms]) if n_c else np.zeros((0, *shape))
        c_range = np.array(c_range).reshape(n_c, n)
        c_minel = np.array(c_minel).reshape(n_c, n)
        c_firm = np.array(c_firm).reshape(n_c, n)

        def extend(site, iid, out):
            columns["threat"].append(plan.id)
            columns["site"].append(site)
            columns["interceptor"].append(iid)
            columns["threat_flight_time_s"].append(flight)
            columns["threat_apogee_m"].append(apogee)
            columns["threat_launch_lat_deg"].append(tr.launch_lat_deg[rows])
            columns["threat_launch_lon_deg"].append(tr.launch_lon_deg[rows])
            for k, v in out.items():
                columns[k].append(v)

        if not self.batteries:
            nan = np.full(n, np.nan)
            extend(
                None,
                None,
                {
                    "feasible": np.zeros(n, bool),
                    "reason": np.zeros(n, np.int8),  # code 0: no reason (NULL)
                    "shots": np.zeros(n, np.int64),
                    **{
                        k: nan
                        for k in OUTPUT_COLUMNS
                        if k not in ("feasible", "reason", "shots") and not k.startswith("threat_")
                    },
                },
            )
            return
        doc = self.doctrine
        for j, b in enumerate(self.batteries):
            iid = b.interceptor_id
            allowed_commit = np.array(
                [doc.launch_on_remote or v.site_id == b.site_id for v in self.radars], bool
            )
            allowed_engage = np.array(
                [doc.engage_on_remote or v.site_id == b.site_id for v in self.radars], bool
            )
            firm_allowed = np.where(allowed_commit[:, None], c_firm, np.nan)
            first_firm = np.fmin.reduce(firm_allowed, axis=0) if n_c else np.full(n, np.nan)
            if doc.launch_on_remote:
                first_firm = np.fmin(first_firm, t0)
            commit = first_firm + decision
            commit = np.where(np.isnan(commit), np.inf, commit)
            assumed = t0 if doc.engage_on_remote else np.full(n, np.nan)
            tau, rungs = taus[j]
            span = ladder_spans(np.isfinite(tau))
            out = sampled_windows(
                tr.t,
                rows,
                tr.alt,
                tr.valid,
                tau,
                rungs,
                self.value(
                    values, f"interceptor:{iid}.burnout_speed", b.model.burnout_speed_m_s, n
                ),
                alt_lo_m=self.value(
                    values, f"interceptor:{iid}.min_intercept_altitude", b.model.min_altitude_m, n
                ),
                alt_hi_m=self.value(
                    values, f"interceptor:{iid}.max_intercept_altitude", b.model.max_altitude_m, n
                ),
                max_flight_time_s=self.value(
                    values,
                    f"interceptor:{iid}.max_flight_time",
                    b.model.max_flight_time_s,
                    n,
                ),
                commit_s=commit,
                assumed_t0_s=assumed,
                cue_geom=g,
                cue_slant_m=sl,
                cue_elev_rad=el,
                cue_range_m=c_range,
                cue_min_elev_rad=c_minel,
                cue_firm_s=c_firm,
                cue_allowed=allowed_engage,
                assessment_delay_s=assessment,
                inventory=(
                    np.rint(values[b.inventory_input]).astype(np.int64)
                    if b.inventory_input
                    else b.inventory
                ),
                span=span,
                backend=self.backend,  # the rule on the GPU where the scenario runs there
            )
            code = np.where(reached, out.pop("code"), THREAT_CANNOT_REACH_TARGET)
            feasible = out.pop("feasible") & reached
            pk = self.value(values, f"interceptor:{iid}.single_shot_pk", b.pk, n)
            looks, per_look = self.effectiveness
            fired = np.minimum(out["shots"], looks) * per_look
            out_rows = {
                "feasible": feasible,
                "reason": code,
                "commit_s": np.where(np.isfinite(commit), commit, np.nan),
                "window_s": out["last_intercept_s"] - out["first_intercept_s"],
                "p_kill": np.where(feasible, 1.0 - (1.0 - pk) ** fired, 0.0),
                **out,
            }
            extend(b.site_id, iid, out_rows)

    # -- threats flown per sample ---------------------------------------------------------

    def _fly_varied(self, plans, values, start, stop, seed):
        """The varied threats ``plans`` flown for samples [start, stop), all in one aim
        batch (``sweep_flights.fly_varied_threats``), with their tables and radar
        geometry: {threat id: (rows, tracks, taus, geoms, reached)}."""
        flown = fly_varied_threats(
            plans, values, start, stop, seed, missile_inputs=self.missile_inputs,
            backend=self.backend,
        )  # fmt: skip
        out = {}
        for plan in plans:
            tr, reached = flown[plan.id]
            taus = [self._tau(b, plan.buckets[j], tr) for j, b in enumerate(self.batteries)]
            geoms = [self._geometry(view, tr) for view in self.radars]
            out[plan.id] = (np.arange(stop - start, dtype=np.int64), tr, taus, geoms, reached)
        return out


def sweep_inputs(scn, cat=None, *, with_rcs=False):
    """Check and resolve the scenario's uncertain inputs for the sampled engagements:
    ([(path, UncertainParameter in SI)], {missile id: [(path, Vehicle field)]},
    {(site id, system id): path of a varied count}) and, ``with_rcs``, {missile id: path
    of its varied payload.rcs}. Raises InputError naming a path the sweep cannot vary
    and what can (``bmdsim run`` calls this first, before any analysis)."""
    cat = cat if cat is not None else scenario_catalogue(scn)
    inputs, missile_inputs, inventories, rcs_inputs = [], {}, {}, {}
    for u in uncertain_inputs(scn, cat):
        t = u.target
        if t.kind == "interceptor" and t.path not in _INTERCEPTOR_FIELDS:
            _refuse(
                u.path,
                f"{t.path} changes the interceptor airframe, which the sweep does not "
                "rebuild per sample",
                sorted(f"interceptor:{t.id}.{f}" for f in _INTERCEPTOR_FIELDS),
            )
        if t.kind == "radar" and t.path not in _RADAR_FIELDS:
            _refuse(
                u.path,
                f"{t.path} changes the radar's geometry, which the sweep does not vary",
                sorted(f"radar:{t.id}.{f}" for f in _RADAR_FIELDS),
            )
        if t.kind == "missile" and t.path == "range_cap":
            pass  # a declared limit: only the reach analyses read it (sweep_reach.py)
        elif t.kind == "missile" and t.path == "payload.rcs":
            rcs_inputs[t.id] = u.path  # a radar threshold: the threat is not flown again
        elif t.kind == "missile":
            vfield = vehicle_field(t.path)
            if vfield is None:
                _refuse(
                    u.path,
                    f"{t.path} is a published figure, not a flight input",
                    "stages[i].gross_mass|propellant_mass|isp_vac|burn_time|diameter|"
                    "nozzle_exit_area, payload.rcs, " + ", ".join(VEHICLE_FIELDS) + ", range_cap",
                )
            missile_inputs.setdefault(t.id, []).append((u.path, vfield))
        if t.kind == "site":
            m = re.match(r"^systems\[(\d+)\]\.count$", t.path)
            if m is None:
                _refuse(
                    u.path,
                    "only a site's system counts enter the engagement",
                    f"site:{t.id}.systems[i].count",
                )
            system = cat.site(t.id).systems[int(m[1])].system
            inventories[(t.id, system)] = u.path
        param = UncertainParameter(u.path, u.low_si, u.high_si, u.distribution, u.value_si)
        inputs.append((u.path, param))
    if with_rcs:
        return inputs, missile_inputs, inventories, rcs_inputs
    return inputs, missile_inputs, inventories
