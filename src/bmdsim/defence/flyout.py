"""Interceptor flyout: the shortest time of flight to every (ground range, altitude).

An interceptor (``defence.interceptor``: a rocket built from its catalogue figures,
burning out at its catalogue speed) flies with exactly the missiles' physics
(``bmdsim.flight``: vertical rise, pitch-over kick, gravity turn, staged boost, then a
ballistic coast of the kill vehicle), so nothing
here integrates anything: a fan of launch elevations is flown by ``fly_batch`` with its
time series recorded, and the fan is turned into a table.

``flyout_table`` flies the fan, resamples every trajectory on a common time grid (cubic
Hermite interpolation of the recorded ECI states, ``flight.resample``, exact to metres
between RK4 steps), maps each sample to (geodesic ground range from the site, altitude
above the ellipsoid or sphere), and rasterises the (elevation, time) mesh
(``defence.table_lookup``): every mesh quad is cut into two triangles whose corner times
are interpolated linearly onto the grid nodes inside them; a node keeps the smallest time
of all triangles covering it (where trajectories cross, the earlier one wins).
``FlyoutTable.time_to`` interpolates that table bilinearly, reachable only where all four
corner nodes are, and never beyond the interceptor's maximum ground range (a cap from
the catalogue: guidance, divert and battery limits the point-mass model does not
compute).

Everything is SI; the table is for one launch azimuth (on a rotating Earth the reach
differs slightly by azimuth: the engagement code flies the azimuth toward the threat).
See docs/models/flyout.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bmdsim.defence.interceptor import burnout_speed, relative_speed_m_s, step_control
from bmdsim.defence.table_lookup import cells, filled, lookup_axis, lookup_time, rasterise
from bmdsim.errors import InputError
from bmdsim.flight import state as S
from bmdsim.flight.batch import (
    BatchResult,
    FlightModel,
    geographic_from_inertial,
    surface_distance,
)
from bmdsim.flight.resample import hermite_resample
from bmdsim.flight.targeting import Launcher
from bmdsim.flight.vehicle import Vehicle, pack_vehicles


@dataclass(frozen=True, eq=False)
class FlyoutTable:
    """Shortest time of flight from one site, on one azimuth, to every grid node.

    ``time_s[i, j]``: seconds from launch to ground range ``ground_range_grid_m[i]``
    (geodesic from the site) and altitude ``altitude_grid_m[j]`` (above the model's
    ellipsoid or sphere); ``np.inf`` where no fan trajectory gets there within
    ``max_flight_time_s``, beyond ``range_cap_m`` or the altitude is outside
    [``min_altitude_m``, ``max_altitude_m``]. ``raw_time_s``: the same without the
    altitude window (for plots of the fan; the range cap applies). ``elevation_deg``:
    launch elevation (90 deg - kick) of the fastest trajectory to each node (interpolated
    in the fan; nan where unreachable); ``speed_m_s`` and ``flight_path_angle_rad``: that
    trajectory's speed relative to the Earth and its flight-path angle above the local
    horizontal there. The fan itself: ``fan_time_s`` (nt,), ``fan_ground_range_m`` and
    ``fan_altitude_m`` (n_elevations, nt; nan after impact); burnouts per fan trajectory;
    ``rocket``: the rocket flown (``defence.interceptor.design_summary``) when it was
    built from a catalogue design."""

    vehicle_id: str
    site_lat_deg: float
    site_lon_deg: float
    site_alt_m: float
    azimuth_deg: float
    model: dict
    min_altitude_m: float
    max_altitude_m: float
    max_flight_time_s: float
    ground_range_grid_m: np.ndarray
    altitude_grid_m: np.ndarray
    time_s: np.ndarray
    raw_time_s: np.ndarray
    elevation_deg: np.ndarray
    speed_m_s: np.ndarray  # relative to the Earth, of the fastest trajectory at the node
    flight_path_angle_rad: np.ndarray  # its angle above the local horizontal
    launch_elevations_deg: np.ndarray
    fan_time_s: np.ndarray
    fan_ground_range_m: np.ndarray
    fan_altitude_m: np.ndarray
    burnout_time_s: np.ndarray
    burnout_speed_m_s: np.ndarray  # relative to the Earth
    burnout_altitude_m: np.ndarray
    burnout_ground_range_m: np.ndarray
    range_cap_m: float = math.inf  # the catalogue's maximum ground range
    # the rocket flown, in SI numbers, when it was built from a catalogue design
    # (``defence.interceptor.design_summary``); None for a bare Vehicle
    rocket: dict | None = None

    def __repr__(self):
        return (
            f"<FlyoutTable {self.vehicle_id} from ({self.site_lat_deg:.3f}, "
            f"{self.site_lon_deg:.3f}) az {self.azimuth_deg:g} deg: "
            f"{len(self.ground_range_grid_m)}x{len(self.altitude_grid_m)} nodes, "
            f"window {self.min_altitude_m / 1e3:g}-{self.max_altitude_m / 1e3:g} km, "
            f"<= {self.max_flight_time_s:g} s"
            + (f", <= {self.range_cap_m / 1e3:g} km>" if math.isfinite(self.range_cap_m) else ">")
        )

    def time_to(self, ground_range_m, altitude_m, *, window=True):
        """Shortest time of flight (s) to the points, arrays broadcast; np.inf where
        unreachable. Bilinear in the grid cell that holds the point; a point is reachable
        only if every corner node with a nonzero weight is (all four inside a cell, two on
        a cell edge, one at a node; so the reach edge is pulled in by up to one cell:
        conservative), inside the grid, within ``range_cap_m`` and, with
        ``window``, inside the altitude window (the window and range tests are on the
        point itself as well as on the corners).

        A compiled loop (``table_lookup.lookup_time``; all cores above 100,000 points),
        ~10 ns a point on one core."""
        d, h = np.broadcast_arrays(np.asarray(ground_range_m, float), np.asarray(altitude_m, float))
        shape = d.shape
        x_axis, y_axis = self._lookup_grids
        out = lookup_time(
            x_axis,
            y_axis,
            self._filled[bool(window)],
            np.ascontiguousarray(d).ravel(),
            np.ascontiguousarray(h).ravel(),
            window=window,
            lo=self.min_altitude_m,
            hi=self.max_altitude_m,
            t_cap=self.max_flight_time_s + 1.0,
        )
        if math.isfinite(self.range_cap_m):
            out[np.ascontiguousarray(d).ravel() > self.range_cap_m] = np.inf
        return out.reshape(shape) if shape else float(out[0])

    @cached_property
    def _lookup_grids(self):
        """Both axes as ``table_lookup.cell`` takes them: (grid, uniform?, step)."""
        return lookup_axis(self.ground_range_grid_m), lookup_axis(self.altitude_grid_m)

    def time_to_unwindowed(self, ground_range_m, altitude_m):
        """``time_to`` without the altitude window (why a point is unreachable)."""
        return self.time_to(ground_range_m, altitude_m, window=False)

    def velocity_at(self, ground_range_m, altitude_m):
        """(speed m/s relative to the Earth, flight-path angle rad) of the fastest
        interceptor at the points, bilinear like ``time_to`` (no window); nan where
        unreachable."""
        reach = np.isfinite(self.time_to(ground_range_m, altitude_m, window=False))
        d, h = np.broadcast_arrays(np.asarray(ground_range_m, float), np.asarray(altitude_m, float))
        x_axis, y_axis = self._lookup_grids
        i, fx, _ = cells(x_axis, d.ravel())
        j, fy, _ = cells(y_axis, h.ravel())
        out = []
        for tab in (self.speed_m_s, self.flight_path_angle_rad):
            f = np.nan_to_num(tab, nan=0.0)
            v = (1.0 - fx) * ((1.0 - fy) * f[i, j] + fy * f[i, j + 1]) + fx * (
                (1.0 - fy) * f[i + 1, j] + fy * f[i + 1, j + 1]
            )
            v = np.where(reach.ravel(), v, np.nan).reshape(d.shape)
            out.append(v if d.shape else float(v))
        return tuple(out)

    @cached_property
    def _filled(self):
        """Flattened tables (raw, windowed) with ``table_lookup.BIG`` where unreachable."""
        return {False: filled(self.raw_time_s), True: filled(self.time_s)}

    def reach_at(self, t_s, *, window=True):
        """Envelope after ``t_s`` seconds: (ground_range_m, altitude_m), the farthest
        ground range reachable within ``t_s`` at each altitude of the grid where any is
        (linear in time between the last node reached and the next one)."""
        table = self.time_s if window else self.raw_time_s
        t_s = float(t_s)
        reach = table <= t_s  # (nx, ny)
        any_ = reach.any(axis=0)
        nx = table.shape[0]
        # the farthest reached node on each altitude row
        last = nx - 1 - np.argmax(reach[::-1, :], axis=0)
        gx = self.ground_range_grid_m
        d = gx[last].astype(float)
        nxt = np.minimum(last + 1, nx - 1)
        cols = np.arange(table.shape[1])
        t_last, t_next = table[last, cols], table[nxt, cols]
        step = (nxt > last) & np.isfinite(t_next) & (t_next > t_last)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(step, (t_s - t_last) / (t_next - t_last), 0.0)
        d = d + np.clip(frac, 0.0, 1.0) * (gx[nxt] - gx[last])
        return d[any_], self.altitude_grid_m[any_]

    def max_ground_range_m(self, t_s, *, window=True) -> float:
        """Farthest ground range reachable within ``t_s`` at any altitude (0 if none)."""
        d, _ = self.reach_at(t_s, window=window)
        return float(d.max()) if len(d) else 0.0


def _grid(values, name):
    g = np.asarray(values, float).ravel()
    if len(g) < 2 or not np.all(np.isfinite(g)) or not np.all(np.diff(g) > 0):
        raise InputError(
            f"{name} must hold at least two finite, increasing values",
            field=name,
            value=None if len(g) > 8 else g.tolist(),
            allowed="increasing array (m)",
        )
    return g


def _auto_grid(extent_m, n=401):
    """0..extent in ~n nodes of a round spacing (1, 2 or 5 x 10^k m)."""
    raw = max(extent_m, 1_000.0) / (n - 1)
    p = 10.0 ** math.floor(math.log10(raw))
    step = next(m * p for m in (1.0, 2.0, 5.0, 10.0) if m * p >= raw)
    return np.arange(0.0, extent_m + step, step)


@dataclass(frozen=True, eq=False)
class Fan:
    """One fan of flyouts: ``vehicle`` launched from a site on ``azimuth_deg`` at every
    launch elevation (deg, 90 - kick), flown until ``max_flight_time_s`` and resampled
    every ``sample_dt_s``."""

    vehicle: Vehicle
    site_lat_deg: float
    site_lon_deg: float
    site_alt_m: float
    azimuth_deg: float
    launch_elevations_deg: np.ndarray
    max_flight_time_s: float
    sample_dt_s: float = 1.0

    def record_steps(self, steps) -> int:
        """A first guess of the recorded steps a flyout takes (doubled while short)."""
        coast_dt = max(steps.dt_min, min(steps.dt_atmosphere, steps.dt_max) / 4.0)
        return int(
            self.vehicle.burn_time_s / min(steps.dt_boost, max(steps.dt_min, 0.05))
            + 10
            + self.max_flight_time_s / coast_dt
            + 50
        )


FAN_RECORD_BYTES = 256 * 2**20  # recorded states of one fan batch (host and device)


def fly_fans(fans, *, model, backend="cpu", record_steps=None):
    """Fly many fans as one batch: every flyout of every fan that shares a flight-time
    limit (the step control) goes to the flight kernel in one launch (as many launches
    as the recorded states need at ``FAN_RECORD_BYTES`` each), so a battery's speed
    ladder and azimuth buckets cost one launch grid, not one per table. Each trajectory
    is flown on its own (``integrate.fly_one``): a fan's result does not depend on the
    fans it was flown with. Returns, per fan, what :func:`fly_fan` returns."""
    fans = list(fans)
    out = [None] * len(fans)
    groups: dict[float, list[int]] = {}
    for k, fan in enumerate(fans):
        groups.setdefault(float(fan.max_flight_time_s), []).append(k)
    for t_max, members in groups.items():
        fm = FlightModel(model.earth, model.rotation, model.drag, step_control(model, t_max))
        n_rec = record_steps or max(fans[k].record_steps(fm.steps) for k in members)
        per_row = n_rec * S.R_SIZE * 8
        rows_per_launch = max(1, FAN_RECORD_BYTES // per_row)
        batch: list[int] = []
        for k in members:
            batch.append(k)
            rows = sum(len(np.ravel(fans[j].launch_elevations_deg)) for j in batch)
            if rows >= rows_per_launch or k == members[-1]:
                flown = _fly_fan_batch([fans[j] for j in batch], fm, backend, n_rec)
                for j, one in zip(batch, flown, strict=True):
                    out[j] = one
                batch = []
    return out


def _fly_fan_batch(fans, fm, backend, n_rec):
    """Fans flown in one launch (doubling the record until every flight fits), then each
    resampled on its own time grid."""
    vehicles = list({id(f.vehicle): f.vehicle for f in fans}.values())
    which = {id(v): i for i, v in enumerate(vehicles)}
    sizes = [len(np.ravel(f.launch_elevations_deg)) for f in fans]

    def per_row(value):
        pairs = zip(fans, sizes, strict=True)
        return np.concatenate([np.full(n, value(f), float) for f, n in pairs])

    launcher = Launcher(
        pack_vehicles(vehicles),
        per_row(lambda f: which[id(f.vehicle)]),
        per_row(lambda f: f.site_lat_deg),
        per_row(lambda f: f.site_lon_deg),
        per_row(lambda f: f.site_alt_m),
        fm,
        backend,
    )
    az = np.radians(per_row(lambda f: f.azimuth_deg))
    kick = np.radians(90.0 - np.concatenate([np.ravel(f.launch_elevations_deg) for f in fans]))
    ne = len(kick)
    for _ in range(6):
        res = launcher.fly(az, kick, record_steps=n_rec)
        n_used = res.summary[:, S.S_N_STEPS].astype(int)
        full = (n_used >= n_rec) & (
            res.record[np.arange(ne), n_rec - 1, S.R_T] < res.summary[:, S.S_T_END]
        )
        if not full.any():
            break
        n_rec *= 2
    out, start = [], 0
    for fan, n in zip(fans, sizes, strict=True):
        rows = np.arange(start, start + n)
        start += n
        part = BatchResult(
            res.summary[rows], res.impact_lat_deg[rows], res.impact_lon_deg[rows],
            res.range_m[rows], res.azimuth_deg[rows], res.record[rows],
        )  # fmt: skip
        out.append((*_resample_fan(fan, part, fm), part))
    return out


def fly_fan(
    vehicle,
    *,
    site_lat_deg,
    site_lon_deg,
    site_alt_m,
    azimuth_deg,
    launch_elevations_deg,
    max_flight_time_s,
    model,
    backend="cpu",
    sample_dt_s=1.0,
    record_steps=None,
):
    """Fly the fan; returns (t (nt,), ground range, altitude, speed relative to the Earth,
    flight-path angle above the local horizontal (rad), each (ne, nt), BatchResult).

    Samples after a trajectory's impact are nan. Many fans at once: :func:`fly_fans`."""
    fan = Fan(
        vehicle, site_lat_deg, site_lon_deg, site_alt_m, azimuth_deg,
        np.asarray(launch_elevations_deg, float).ravel(), max_flight_time_s, sample_dt_s,
    )  # fmt: skip
    return fly_fans([fan], model=model, backend=backend, record_steps=record_steps)[0]


def _resample_fan(fan, res, fm):
    """(t, ground range, altitude, speed, flight-path angle) of one flown fan on its grid."""
    site_lat_deg, site_lon_deg = fan.site_lat_deg, fan.site_lon_deg
    max_flight_time_s, sample_dt_s = fan.max_flight_time_s, fan.sample_dt_s
    ne = len(res.range_m)
    n_used = res.summary[:, S.S_N_STEPS].astype(int)
    t_grid = np.arange(0.0, max_flight_time_s + 0.5 * sample_dt_s, sample_dt_s)
    t_grid = t_grid[t_grid <= max_flight_time_s + 1e-9]
    nt = len(t_grid)
    pos = np.full((ne, nt, 3), np.nan)
    vel = np.full((ne, nt, 3), np.nan)
    for k in range(ne):
        n = int(n_used[k])
        rec = res.record[k, :n]
        t = rec[:, S.R_T]
        valid = t_grid <= t[-1] + 1e-9
        pos[k, valid], vel[k, valid] = hermite_resample(
            t, rec[:, S.R_X : S.R_Z + 1], rec[:, S.R_VX : S.R_VZ + 1], t_grid[valid]
        )
    tt = np.broadcast_to(t_grid, (ne, nt))
    ok = np.isfinite(pos[..., 0])
    lat, lon, alt = geographic_from_inertial(pos[ok], tt[ok], fm)
    d, _ = surface_distance(
        np.full(lat.shape, float(site_lat_deg)),
        np.full(lat.shape, float(site_lon_deg)),
        lat,
        lon,
        fm,
    )
    r_ok, v_ok = pos[ok], vel[ok]
    speed_ok = relative_speed_m_s(r_ok, v_ok, fm)
    # climb rate = local up . v (the Earth's turning adds only a horizontal velocity)
    phi = np.radians(lat)
    lam = np.arctan2(r_ok[:, 1], r_ok[:, 0])
    up = np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=1)
    climb = np.sum(up * v_ok, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma_ok = np.arcsin(np.clip(climb / np.maximum(speed_ok, 1e-9), -1.0, 1.0))
    ground, height, speed, gamma = (np.full((ne, nt), np.nan) for _ in range(4))
    ground[ok] = d
    height[ok] = alt
    speed[ok] = speed_ok
    gamma[ok] = gamma_ok
    return t_grid, ground, height, speed, gamma


def flyout_table(
    vehicle: Vehicle,
    *,
    site_lat_deg: float,
    site_lon_deg: float,
    site_alt_m: float = 0.0,
    azimuth_deg: float,
    launch_elevations_deg=None,
    max_flight_time_s: float,
    min_altitude_m: float,
    max_altitude_m: float,
    ground_range_grid_m=None,
    altitude_grid_m=None,
    model: FlightModel | None = None,
    backend: str = "cpu",
    sample_dt_s: float | None = None,
    range_cap_m: float = math.inf,
    flown=None,
) -> FlyoutTable:
    """Fly a fan of launch elevations (default 80 from 10 to 89 deg, elevation = 90 deg
    - kick) on ``azimuth_deg`` from the site and tabulate the shortest time of flight to
    every (ground range, altitude) node within ``range_cap_m``. Grids default to
    ~400 nodes from 0 to the fan's farthest ground range (at most the cap) and highest
    altitude; ``sample_dt_s`` (time step of the resampled fan) defaults to half a grid
    spacing at the fastest burnout speed, between 0.1 and 1 s. ``flown``: the fan
    already flown (``fly_fans``; what :func:`flyout_tables` passes). Many tables in one
    flight batch: :func:`flyout_tables`."""
    model = model or FlightModel()
    fan, gx, gy = _fan_of(
        vehicle,
        site_lat_deg=site_lat_deg,
        site_lon_deg=site_lon_deg,
        site_alt_m=site_alt_m,
        azimuth_deg=azimuth_deg,
        launch_elevations_deg=launch_elevations_deg,
        max_flight_time_s=max_flight_time_s,
        min_altitude_m=min_altitude_m,
        max_altitude_m=max_altitude_m,
        ground_range_grid_m=ground_range_grid_m,
        altitude_grid_m=altitude_grid_m,
        model=model,
        sample_dt_s=sample_dt_s,
        range_cap_m=range_cap_m,
    )
    el = fan.launch_elevations_deg
    if flown is None:
        flown = fly_fans([fan], model=model, backend=backend)[0]
    t_grid, ground, height, speed, gamma, res = flown
    if gx is None:
        gx = _auto_grid(min(float(np.nanmax(ground)), float(range_cap_m)))
    if gy is None:
        gy = _auto_grid(float(np.nanmax(height)))
    # The (elevation, time) mesh, two triangles a quad, corners valid only.
    ne, nt = ground.shape
    tt = np.broadcast_to(t_grid, (ne, nt))
    attrs = np.stack([np.broadcast_to(el[:, None], (ne, nt)), speed, gamma], axis=-1)
    a = (slice(0, -1), slice(0, -1))
    b = (slice(1, None), slice(0, -1))
    c = (slice(1, None), slice(1, None))
    d = (slice(0, -1), slice(1, None))
    tris = []
    for corners in ((a, b, c), (a, c, d)):
        cx = np.stack([ground[s].ravel() for s in corners], axis=1)
        cy = np.stack([height[s].ravel() for s in corners], axis=1)
        ct = np.stack([tt[s].ravel() for s in corners], axis=1)
        ce = np.stack([attrs[s].reshape(-1, 3) for s in corners], axis=1)
        ok = np.all(np.isfinite(cx) & np.isfinite(cy), axis=1)
        tris.append((cx[ok], cy[ok], ct[ok], ce[ok]))
    tri_x, tri_y, tri_t, tri_a = (np.concatenate(p) for p in zip(*tris, strict=True))
    raw = np.full((len(gx), len(gy)), np.inf)
    node_attrs = np.full((len(gx), len(gy), 3), np.nan)
    rasterise(tri_x, tri_y, tri_t, tri_a, gx, gy, raw, node_attrs)
    raw[raw > max_flight_time_s] = np.inf
    raw[gx > range_cap_m, :] = np.inf
    node_attrs[~np.isfinite(raw)] = np.nan
    elev, node_speed, node_gamma = (np.ascontiguousarray(node_attrs[..., k]) for k in range(3))
    in_window = (gy >= min_altitude_m) & (gy <= max_altitude_m)
    timed = np.where(in_window[None, :], raw, np.inf)
    summ = res.summary
    rb = summ[:, S.S_R_BURNOUT : S.S_R_BURNOUT + 3]
    vb = summ[:, S.S_V_BURNOUT : S.S_V_BURNOUT + 3]
    fm = FlightModel(model.earth, model.rotation, model.drag)
    tb = summ[:, S.S_T_BURNOUT]
    blat, blon, balt = geographic_from_inertial(rb, tb, fm)
    bd, _ = surface_distance(
        np.full(ne, float(site_lat_deg)), np.full(ne, float(site_lon_deg)), blat, blon, fm
    )
    for arr in (raw, timed, elev, node_speed, node_gamma):
        arr.setflags(write=False)
    return FlyoutTable(
        vehicle_id=vehicle.id,
        site_lat_deg=float(site_lat_deg),
        site_lon_deg=float(site_lon_deg),
        site_alt_m=float(site_alt_m),
        azimuth_deg=float(azimuth_deg),
        model=model.describe(),
        min_altitude_m=float(min_altitude_m),
        max_altitude_m=float(max_altitude_m),
        max_flight_time_s=float(max_flight_time_s),
        ground_range_grid_m=gx,
        altitude_grid_m=gy,
        time_s=timed,
        raw_time_s=raw,
        elevation_deg=elev,
        speed_m_s=node_speed,
        flight_path_angle_rad=node_gamma,
        launch_elevations_deg=el,
        fan_time_s=t_grid,
        fan_ground_range_m=ground,
        fan_altitude_m=height,
        burnout_time_s=tb,
        burnout_speed_m_s=relative_speed_m_s(rb, vb, fm),
        burnout_altitude_m=balt,
        burnout_ground_range_m=bd,
        range_cap_m=float(range_cap_m),
    )


def _fan_of(
    vehicle,
    *,
    site_lat_deg,
    site_lon_deg,
    site_alt_m=0.0,
    azimuth_deg,
    launch_elevations_deg=None,
    max_flight_time_s,
    min_altitude_m,
    max_altitude_m,
    ground_range_grid_m=None,
    altitude_grid_m=None,
    model,
    sample_dt_s=None,
    range_cap_m=math.inf,
):
    """The checked inputs of a flyout table: (Fan with its defaults filled in, ground
    range grid or None, altitude grid or None)."""
    if not (np.isfinite(max_flight_time_s) and 0 < max_flight_time_s <= 20_000):
        raise InputError(
            f"max_flight_time_s = {max_flight_time_s!r}; allowed 0 < t <= 20000 s",
            field="max_flight_time_s",
            value=max_flight_time_s,
            allowed="(0, 20000] s",
        )
    if not (min_altitude_m < max_altitude_m) or not np.isfinite(min_altitude_m):
        raise InputError(
            f"altitude window [{min_altitude_m!r}, {max_altitude_m!r}] m is empty or not finite "
            "at its floor",
            field="min_altitude_m",
            value=(min_altitude_m, max_altitude_m),
            allowed="min_altitude_m < max_altitude_m",
        )
    if not (-90 <= site_lat_deg <= 90 and -180 <= site_lon_deg <= 360):
        raise InputError(
            f"site ({site_lat_deg!r}, {site_lon_deg!r}) is not on the globe",
            field="site",
            value=(site_lat_deg, site_lon_deg),
            allowed="lat -90..90, lon -180..180",
        )
    if not (range_cap_m > 0):
        raise InputError(
            f"range_cap_m = {range_cap_m!r}; allowed > 0 m (inf: no cap)",
            field="range_cap_m",
            value=range_cap_m,
            allowed="> 0 m",
        )
    if launch_elevations_deg is None:
        launch_elevations_deg = np.linspace(10.0, 89.0, 80)
    el = np.asarray(launch_elevations_deg, float).ravel()
    if len(el) < 2 or not np.all(np.diff(el) > 0) or el[0] <= 0 or el[-1] > 90:
        raise InputError(
            "launch_elevations_deg: at least two increasing angles in (0, 90] deg",
            field="launch_elevations_deg",
            allowed="(0, 90] deg, increasing",
        )
    gx = None if ground_range_grid_m is None else _grid(ground_range_grid_m, "ground_range_grid_m")
    gy = None if altitude_grid_m is None else _grid(altitude_grid_m, "altitude_grid_m")
    if sample_dt_s is None:
        v_top = 1.2 * max(
            float(np.max(burnout_speed(vehicle, elevation_deg=el[[0, -1]], model=model))), 500.0
        )
        spacing = (
            min(float(np.min(np.diff(g))) for g in (gx, gy) if g is not None)
            if (gx is not None or gy is not None)
            else 2_000.0
        )
        sample_dt_s = float(np.clip(0.5 * spacing / v_top, 0.1, 1.0))
    fan = Fan(
        vehicle, float(site_lat_deg), float(site_lon_deg), float(site_alt_m),
        float(azimuth_deg), el, float(max_flight_time_s), float(sample_dt_s),
    )  # fmt: skip
    return fan, gx, gy


def flyout_tables(requests, *, model: FlightModel | None = None, backend="cpu"):
    """Many flyout tables, their fans flown as one batch (``fly_fans``): ``requests`` are
    dicts of :func:`flyout_table`'s arguments (``vehicle`` included). Each table equals
    the one :func:`flyout_table` builds alone."""
    model = model or FlightModel()
    requests = [dict(r) for r in requests]
    fans = [_fan_of(model=model, **r)[0] for r in requests]
    flown = fly_fans(fans, model=model, backend=backend)
    return [
        flyout_table(**{**r, "sample_dt_s": fan.sample_dt_s}, model=model, backend=backend,
                     flown=f)  # fmt: skip
        for r, fan, f in zip(requests, fans, flown, strict=True)
    ]


__all__ = ["Fan", "FlyoutTable", "fly_fan", "fly_fans", "flyout_table", "flyout_tables"]
