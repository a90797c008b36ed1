"""Threats flown per sample in a sweep: those whose own inputs vary (missile stages,
payload, aero, steering) or whose launch point is drawn from a launch area.

``fly_varied_threats`` aims every such threat of every sample of a chunk in one batch
(``flight.targeting.fly_to_aimpoints``: one launch grid for all, not a search per
threat; each row is solved on its own, so a sample's flight does not depend on the
chunk it is in nor on the other threats), flies them with their time series on the
scenario's backend, and puts each threat's samples on a 1 s grid (``Tracks``), the
form ``scenario.sweep_task`` applies the engagement rule to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bmdsim.analyses.resolve import vehicle_with
from bmdsim.defence.matrix import threat_tracks_to_grid
from bmdsim.earth import geodesic
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.targeting import Launcher, fly_to_aimpoints
from bmdsim.flight.vehicle import pack_vehicles
from bmdsim.sweep.sampling import uniforms

# varied threats are flown this many at a time with their time series (record memory:
# 4,000 states of 56 B a flight, ~57 MB for 256); a GPU takes larger grids
FLIGHT_SUBBATCH = {"cpu": 256, "cuda": 2048}
FLIGHT_RECORD_STEPS = 4_000
_FAR_M = 2.0e7  # stands in for "no state here" in padded track arrays (masked invalid)


@dataclass
class Tracks:
    """R track rows of one threat on a shared time grid t (T,)."""

    t: np.ndarray
    r: np.ndarray  # (R, T, 3) ECEF
    alt: np.ndarray  # (R, T)
    valid: np.ndarray  # (R, T)
    impact_s: np.ndarray  # (R,)
    burnout_s: np.ndarray  # (R,)
    apogee_m: np.ndarray  # (R,)
    launch_lat_deg: np.ndarray  # (R,)
    launch_lon_deg: np.ndarray  # (R,)


def fly_varied_threats(plans, values, start, stop, seed, *, missile_inputs, backend="cpu"):
    """Fly the varied threats ``plans`` (``sweep_task._ThreatPlan``) for samples [start,
    stop): every threat and sample aimed in one batch (``fly_to_aimpoints``; each row is
    solved on its own, so a row depends neither on the chunk nor on the other threats),
    then flown with time series. ``values``: the samples' inputs; ``missile_inputs``:
    {missile id: [(input name, Vehicle field)]}. Returns {threat id: (Tracks, reached)}."""
    n = stop - start
    vehicles, vindex, lat, lon, alt, tlat, tlon, shapes = [], [], [], [], [], [], [], []
    for plan in plans:
        lat0, lon0, h0 = plan.launch
        la, lo = np.full(n, lat0), np.full(n, lon0)
        if plan.area_radius_m > 0:
            idx = range(start, stop)
            dist = plan.area_radius_m * np.sqrt(uniforms(f"threat:{plan.id}.launch_r", idx, seed))
            bearing = 360.0 * uniforms(f"threat:{plan.id}.launch_bearing", idx, seed)
            la, lo = geodesic.forward(lat_deg=la, lon_deg=lo, azimuth_deg=bearing, distance_m=dist)
            la, lo = np.asarray(la, float), np.asarray(lo, float)
        changes = missile_inputs.get(plan.missile_id, [])
        offset = len(vehicles)
        if changes:
            vehicles += [
                vehicle_with(plan.vehicle, {f: values[name][i] for name, f in changes})
                for i in range(n)
            ]
            vindex.append(offset + np.arange(n))
        else:
            vehicles.append(plan.vehicle)
            vindex.append(np.full(n, offset))
        lat.append(la)
        lon.append(lo)
        alt.append(np.full(n, h0))
        tlat.append(np.full(n, plan.target[0]))
        tlon.append(np.full(n, plan.target[1]))
        shapes += [plan.shape] * n
    model = FlightModel()
    join = np.concatenate
    launcher = Launcher(
        pack_vehicles(vehicles), join(vindex), join(lat), join(lon), join(alt), model,
        backend,
    )  # fmt: skip
    flown, reached = fly_to_aimpoints(
        launcher,
        join(tlat),
        join(tlon),
        np.array(shapes, dtype=object),
        record_steps=FLIGHT_RECORD_STEPS,
        batch_size=FLIGHT_SUBBATCH.get(backend, FLIGHT_SUBBATCH["cpu"]),
    )
    out = {}
    for p, plan in enumerate(plans):
        lo_row, hi_row = p * n, (p + 1) * n
        pieces = []
        for batch in flown:
            mine = (batch.rows >= lo_row) & (batch.rows < hi_row)
            if mine.any():
                pieces.append((batch.rows[mine] - lo_row, _result_rows(batch.result, mine)))
        out[plan.id] = (_tracks_of(pieces, n, model, lat[p], lon[p]), reached[lo_row:hi_row])
    return out


def _tracks_of(pieces, n, model, lat, lon):
    """Tracks of n samples on a 1 s grid from the flown pieces [(rows, BatchResult)]; a
    sample not flown (its target out of reach) is all invalid."""
    grids = [(sub, threat_tracks_to_grid(res, 1.0, model=model), res) for sub, res in pieces]
    n_t = max([len(g.t_s) for _, g, _ in grids], default=2)
    t = np.arange(n_t) * 1.0
    r = np.zeros((n, n_t, 3))
    r[..., 0] = _FAR_M  # samples that are not states: a point far out, masked invalid
    alt = np.zeros((n, n_t))
    valid = np.zeros((n, n_t), bool)
    impact = np.full(n, np.nan)
    burnout = np.full(n, np.nan)
    apogee = np.full(n, np.nan)
    for sub, g, res in grids:
        k = len(g.t_s)
        r[sub, :k] = np.where(g.valid[..., None], g.r_ecef_m, [_FAR_M, 0.0, 0.0])
        alt[sub, :k] = np.nan_to_num(g.alt_m)
        valid[sub, :k] = g.valid & (g.t_s[None, :] <= g.impact_time_s[:, None])
        impact[sub] = g.impact_time_s
        burnout[sub] = g.burnout_time_s
        apogee[sub] = res.summary[:, S.S_H_APOGEE]
    return Tracks(t, r, alt, valid, impact, burnout, apogee, lat, lon)


def _result_rows(result, rows):
    """The rows ``rows`` (a mask or indices) of a BatchResult."""
    return type(result)(
        result.summary[rows],
        result.impact_lat_deg[rows],
        result.impact_lon_deg[rows],
        result.range_m[rows],
        result.azimuth_deg[rows],
        None if result.record is None else result.record[rows],
    )
