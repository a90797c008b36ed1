"""An interceptor against a low or air-breathing target: guided flight along the line of
sight, beside the ballistic flyout fan.

The flyout fan (``defence.flyout``) flies zero-lift gravity turns from 10 to 89 deg of
launch elevation: the right model for an interceptor climbing to a ballistic missile,
and one that never reaches a cruise missile at 50 m a few tens of kilometres out (a
gravity turn that low falls into the ground). A surface-to-air missile reaches such a
target by aerodynamic lift: it flies under guidance along the line from the launcher to
the intercept point. Here that flight is one degree of freedom along a straight line in
the (ground range, altitude) plane of the site, at elevation ``epsilon`` above the local
horizontal (a line of constant altitude follows the Earth's curvature)::

    ds/dt = V
    dV/dt = (T - D) / m - g(h) sin(epsilon),   h = h_site + s sin(epsilon)

with the catalogue rocket of ``defence.interceptor`` (its stages, thrust less the
back-pressure at altitude, mass flow, Cd(Mach) table and reference area; after burnout
the body that flies on, ``flight.propulsion.coast_body``) in the US-1976 air. Lift holds
the missile on the line: its weight's normal component and the Earth's curvature are
carried at no cost (induced drag is neglected), and the turn-over after a vertical launch
takes no time. Both make the time along a line a lower bound for that rocket; against
a target at tens of metres, inside the radar horizon (tens of kilometres), a lofted path
would save little, because the missile must come down into the same dense air.

``GuidedFlyout`` offers both paths: ``time_to`` is the shorter of the fan table's time
and the line of sight's, with the same altitude window, range cap and flight-time cap
(the catalogue's). It is used for cruise-missile threats (``analyses.engage``).
docs/models/engagement.md, "Cruise missiles".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from bmdsim.earth.atmosphere import US1976_TABLE, density_pressure_sound_speed
from bmdsim.earth.constants import GM_EARTH_M3_S2, SPHERE_RADIUS_M
from bmdsim.flight import state as S
from bmdsim.flight.aero import drag_coefficient
from bmdsim.flight.propulsion import active_stage, coast_body, end_of_thrust, thrust_mass_area
from bmdsim.flight.vehicle import Vehicle, pack_vehicle

__all__ = ["GuidedFlyout", "LineOfSightFan", "fly_lines"]

# Numerical settings (not physics): line elevations every 0.5 deg from 0 to 90 (the
# time is interpolated between lines, so a coarser fan would smear the low lines where
# the air's density changes fastest); a 0.05 s RK4 step, split at every burnout (the
# rocket's thrust steps there); the flight recorded every step.
LINE_ELEVATIONS_DEG = tuple(0.5 * k for k in range(181))
DT_S = 0.05


@njit(cache=True)
def _accel(t, s, v, k, sin_el, h0, row, t_end, table):
    """dV/dt along the line at time t, distance s, speed v, burning stage k (-1: none)."""
    h = h0 + s * sin_el
    rho, p, a = density_pressure_sound_speed(h, table)
    r = SPHERE_RADIUS_M + h
    g = GM_EARTH_M3_S2 / (r * r)
    vv = v if v > 0.0 else 0.0
    q = 0.5 * rho * vv * vv
    if k >= 0:
        thrust, mass, area = thrust_mass_area(t, k, row, p)
        drag = q * drag_coefficient(vv / a, row) * area
    else:
        thrust = 0.0
        mass, area, beta = coast_body(row, t_end)
        drag = q * mass / beta if beta > 0.0 else q * drag_coefficient(vv / a, row) * area
    return (thrust - drag) / mass - g * sin_el


@njit(cache=True)
def _stage_at(t, row, t_end):
    """The stage burning at t, or -1 once thrust has ended."""
    return -1 if t >= t_end else active_stage(t, row)


@njit(cache=True)
def _rk4(t, s, v, dt, sin_el, h0, row, t_end, table):
    k = _stage_at(t + 0.5 * dt, row, t_end)  # one stage over the whole step
    a1 = _accel(t, s, v, k, sin_el, h0, row, t_end, table)
    a2 = _accel(t + 0.5 * dt, s + 0.5 * dt * v, v + 0.5 * dt * a1, k, sin_el, h0, row, t_end, table)
    v2 = v + 0.5 * dt * a1
    v3 = v + 0.5 * dt * a2
    a3 = _accel(t + 0.5 * dt, s + 0.5 * dt * v2, v3, k, sin_el, h0, row, t_end, table)
    v4 = v + dt * a3
    a4 = _accel(t + dt, s + dt * v3, v4, k, sin_el, h0, row, t_end, table)
    s_new = s + dt / 6.0 * (v + 2.0 * v2 + 2.0 * v3 + v4)
    v_new = v + dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
    return s_new, v_new


@njit(cache=True)
def _fly_lines_kernel(row, sin_el, h0, t_grid, table, out_s, out_v):
    """Fill out_s, out_v (n_lines, nt) with distance and speed along each line at the
    times ``t_grid`` (uniform from 0); nan once the missile stops (speed 0)."""
    t_end = end_of_thrust(row, 1e30)
    n = int(row[S.V_NSTAGES])
    for i in range(sin_el.shape[0]):
        s, v, t = 0.0, 0.0, 0.0
        out_s[i, 0] = 0.0
        out_v[i, 0] = 0.0
        stopped = False
        for j in range(1, t_grid.shape[0]):
            if stopped:
                out_s[i, j] = np.nan
                out_v[i, j] = np.nan
                continue
            t_next = t_grid[j]
            while t < t_next - 1e-12:  # split the step at any burnout inside it
                t_stop = t_next
                for k in range(n):
                    tb = row[S.V_STAGE0 + k * S.STAGE_FIELDS + S.SF_T_BURNOUT]
                    if t + 1e-12 < tb < t_stop:
                        t_stop = tb
                s, v = _rk4(t, s, v, t_stop - t, sin_el[i], h0, row, t_end, table)
                t = t_stop
            if v <= 0.0 and t > t_end:
                stopped = True
                out_s[i, j] = np.nan
                out_v[i, j] = np.nan
            else:
                out_s[i, j] = s
                out_v[i, j] = v if v > 0.0 else 0.0


@dataclass(frozen=True, eq=False)
class LineOfSightFan:
    """Guided flights along straight lines from a site: ``path_m[i, j]`` (distance along
    line i at ``t_s[j]``) and ``speed_m_s`` (nan once the missile has stopped), for
    line elevations ``elevation_deg`` above the local horizontal."""

    elevation_deg: np.ndarray
    t_s: np.ndarray
    path_m: np.ndarray
    speed_m_s: np.ndarray
    site_alt_m: float

    def time_and_speed(self, ground_range_m, altitude_m):
        """(time s, speed m/s, line elevation rad) to each point along its line of sight
        (interpolated between the two lines around it; inf where either line never gets
        that far)."""
        g = np.atleast_1d(np.asarray(ground_range_m, float))
        dh = np.atleast_1d(np.asarray(altitude_m, float)) - self.site_alt_m
        g, dh = np.broadcast_arrays(g, dh)
        el = np.degrees(np.arctan2(np.maximum(dh, 0.0), np.maximum(g, 0.0)))
        path = np.hypot(g, np.maximum(dh, 0.0))
        t, v = _line_lookup(
            np.ascontiguousarray(el.ravel()),
            np.ascontiguousarray(path.ravel()),
            self.elevation_deg,
            self.t_s,
            self.path_m,
            self.speed_m_s,
        )
        return t.reshape(g.shape), v.reshape(g.shape), np.radians(el)


@njit(cache=True)
def _time_on_line(path, s_row, v_row, t_grid):
    """(time, speed) at distance ``path`` along one recorded line; (inf, nan) beyond."""
    n = t_grid.shape[0]
    if path <= 0.0:
        return 0.0, 0.0
    for j in range(1, n):
        s1 = s_row[j]
        if s1 != s1:
            break
        if s1 >= path:
            s0 = s_row[j - 1]
            w = (path - s0) / (s1 - s0) if s1 > s0 else 1.0
            return (
                t_grid[j - 1] + w * (t_grid[j] - t_grid[j - 1]),
                v_row[j - 1] + w * (v_row[j] - v_row[j - 1]),
            )
    return np.inf, np.nan


@njit(cache=True)
def _line_lookup(el_deg, path, elevations, t_grid, s, v):
    m = el_deg.shape[0]
    out_t = np.empty(m)
    out_v = np.empty(m)
    n_el = elevations.shape[0]
    for p in range(m):
        e = el_deg[p]
        k = np.searchsorted(elevations, e, side="right") - 1
        if k < 0:
            k = 0
        if k >= n_el - 1:
            k = n_el - 2
        w = (e - elevations[k]) / (elevations[k + 1] - elevations[k])
        w = min(max(w, 0.0), 1.0)
        t0, v0 = _time_on_line(path[p], s[k], v[k], t_grid)
        t1, v1 = _time_on_line(path[p], s[k + 1], v[k + 1], t_grid)
        if w == 0.0:
            out_t[p], out_v[p] = t0, v0
        elif w == 1.0:
            out_t[p], out_v[p] = t1, v1
        elif math.isinf(t0) or math.isinf(t1):
            out_t[p], out_v[p] = np.inf, np.nan  # conservative: both lines must get there
        else:
            out_t[p] = t0 + w * (t1 - t0)
            out_v[p] = v0 + w * (v1 - v0)
    return out_t, out_v


def fly_lines(
    vehicle: Vehicle,
    *,
    site_alt_m: float = 0.0,
    max_flight_time_s: float,
    elevations_deg=LINE_ELEVATIONS_DEG,
    dt_s: float = DT_S,
) -> LineOfSightFan:
    """Fly ``vehicle`` (an interceptor rocket, ``defence.interceptor``) along straight
    lines of sight at ``elevations_deg`` from a site at ``site_alt_m``, for
    ``max_flight_time_s``."""
    el = np.asarray(elevations_deg, float)
    t_grid = np.arange(0.0, max_flight_time_s + 0.5 * dt_s, dt_s)
    out_s = np.empty((len(el), len(t_grid)))
    out_v = np.empty_like(out_s)
    _fly_lines_kernel(
        pack_vehicle(vehicle),
        np.sin(np.radians(el)),
        float(site_alt_m),
        t_grid,
        US1976_TABLE,
        out_s,
        out_v,
    )
    return LineOfSightFan(el, t_grid, out_s, out_v, float(site_alt_m))


@dataclass(frozen=True, eq=False)
class GuidedFlyout:
    """A flyout table (``defence.flyout.FlyoutTable``, the ballistic fan) with the guided
    line-of-sight flights of the same rocket beside it: every lookup takes the faster of
    the two, inside the table's altitude window, range cap and flight-time cap. Other
    attributes (the fan, grids, rocket) are the table's."""

    table: object
    lines: LineOfSightFan

    def __getattr__(self, name):
        if name in ("table", "lines"):
            raise AttributeError(name)
        return getattr(self.table, name)

    def _line_times(self, ground_range_m, altitude_m, window):
        t, v, el = self.lines.time_and_speed(ground_range_m, altitude_m)
        g = np.broadcast_to(np.asarray(ground_range_m, float), t.shape)
        h = np.broadcast_to(np.asarray(altitude_m, float), t.shape)
        bad = (t > self.table.max_flight_time_s) | (g > self.table.range_cap_m)
        if window:
            bad |= (h < self.table.min_altitude_m) | (h > self.table.max_altitude_m)
        t = np.where(bad, np.inf, t)
        return t, v, el

    def _both(self, ground_range_m, altitude_m, window):
        d, h = np.broadcast_arrays(np.asarray(ground_range_m, float), np.asarray(altitude_m, float))
        t_fan = np.asarray(self.table.time_to(d, h, window=window), float)
        t_line, v_line, el = self._line_times(d, h, window)
        return t_fan, t_line.reshape(d.shape), v_line.reshape(d.shape), el.reshape(d.shape)

    def time_to(self, ground_range_m, altitude_m, *, window=True):
        """Shortest time of flight (s) to the points by either path; inf where neither
        gets there."""
        t_fan, t_line, _, _ = self._both(ground_range_m, altitude_m, window)
        return np.minimum(t_fan, t_line)

    def time_to_unwindowed(self, ground_range_m, altitude_m):
        return self.time_to(ground_range_m, altitude_m, window=False)

    def reach_at(self, t_s, *, window=True):
        """Envelope after ``t_s`` seconds by either path, as ``FlyoutTable.reach_at``:
        (ground_range_m, altitude_m), the farthest ground range reached at each altitude
        where any is, on the table's ground grid and an altitude grid 25 m fine up to
        2 km (where the line of sight matters), the table's above."""
        gx = np.asarray(self.table.ground_range_grid_m, float)
        gy_table = np.asarray(self.table.altitude_grid_m, float)
        gy = np.unique(np.r_[np.arange(0.0, 2_000.0 + 1.0, 25.0), gy_table[gy_table > 2_000.0]])
        g, h = np.meshgrid(gx, gy, indexing="ij")
        reach = self.time_to(g, h, window=window) <= float(t_s)
        any_ = reach.any(axis=0)
        last = len(gx) - 1 - np.argmax(reach[::-1, :], axis=0)
        return gx[last][any_], gy[any_]

    def velocity_at(self, ground_range_m, altitude_m):
        """(speed m/s, flight-path angle rad) of the faster path at the points."""
        t_fan, t_line, v_line, el = self._both(ground_range_m, altitude_m, True)
        v_fan, gamma_fan = self.table.velocity_at(ground_range_m, altitude_m)
        use_line = np.isfinite(t_line) & (t_line < t_fan)
        return (
            np.where(use_line, v_line, v_fan),
            np.where(use_line, el, gamma_fan),
        )
