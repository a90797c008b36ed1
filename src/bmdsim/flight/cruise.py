"""Cruise flight: a 3-DoF point mass with lift, thrust and drag, flown along a route.

The missile (or aircraft) follows its route's ground track exactly (great-circle legs
between waypoints; the lateral force that turns it onto each leg is not modelled), so
its motion is planar in the local vertical plane of the track. On a sphere of radius
``R`` (the WGS 84 mean radius), with ground distance ``s`` along the route, altitude
``h``, air speed ``V`` (still air: ground speed), flight-path angle ``gamma`` and mass
``m`` (Miele, *Flight Mechanics*, 1962, ch. 4; Vinh, *Flight Mechanics of
High-Performance Aircraft*, 1993, eqs. 3.18-3.22, without Earth rotation)::

    dV/dt     = (T - D) / m - g sin(gamma)
    dgamma/dt = L / (m V) - (g / V - V / (R + h)) cos(gamma)
    dh/dt     = V sin(gamma)
    ds/dt     = V cos(gamma) R / (R + h)
    dm/dt     = -T / (g0 Isp)

with ``g = GM / (R + h)^2``. Earth rotation (Coriolis and transport terms, below 0.5 %
of g at cruise-missile speeds) and wind are neglected: range does not depend on heading.

Drag is a parabolic polar written with the vehicle's maximum lift-to-drag ratio ``E``
at its design point (dynamic pressure ``q*`` at cruise speed and altitude, weight
``W*`` at half fuel)::

    D = W* / (2 E) * (q / q* + (q* / q) (L / W*)^2)

so at the design point ``D = L / E`` (Breguet's assumption), and a low-level leg at
higher dynamic pressure costs more fuel per kilometre, as the open literature on
cruise-missile range says. ``polar=False`` flies ``D = |L| / E`` everywhere, for the
closed-form check. Fuel burns at ``T / (g0 Isp)``, ``Isp`` the fuel-based effective
specific impulse (a turbofan's ~5,000 s is a thrust-specific fuel consumption of
``1 / (g0 Isp)``; a rocket's ~250 s counts oxidiser as fuel).

Controls (kinematic profile laws, not guidance): the altitude profile commands a
flight-path angle ``(h_cmd - h) / (V tau_h)`` (held to +-20 deg), lift turns the path
toward it with time constant ``tau_gamma`` (load factor held to +-5 g); thrust holds the
cruise speed, up to ``T_max``. The profile: cruise altitude, optionally a low-level leg
(constant height above the ellipsoid) over the route's last ``low_level_m``, and a
terminal dive that points the path at the end of the route when it is ``h / tan(dive)``
away. When the fuel runs out the vehicle dives at the dive angle; the flight ends on the
ground. With ``E``, ``V`` and ``h`` held, the range is Breguet's
(:func:`breguet_range_m`), which the tests check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from bmdsim.earth.atmosphere import US1976_TABLE, density_pressure_sound_speed
from bmdsim.earth.constants import G0_M_S2, GM_EARTH_M3_S2, SPHERE_RADIUS_M

__all__ = [
    "CruiseFlight",
    "CruiseVehicle",
    "breguet_fuel_fraction",
    "breguet_range_m",
    "fly_cruise",
    "gravity_m_s2",
    "max_route_m",
]

R_EARTH_M = SPHERE_RADIUS_M
TAU_H_S = 20.0  # altitude-hold time constant
TAU_GAMMA_S = 2.0  # flight-path-angle time constant
MAX_CLIMB_RAD = math.radians(20.0)
MAX_LOAD = 5.0  # |L| / (m g0)
SPEED_GAIN_S = 10.0  # speed-hold time constant
DT_S = 0.5

# parameter columns (one row per flight)
P_V_CRUISE, P_H_CRUISE, P_H_LOW, P_LOW_DIST, P_DIVE, P_ROUTE = 0, 1, 2, 3, 4, 5
P_M0, P_FUEL, P_E, P_ISP, P_TMAX, P_POLAR, P_W_STAR, P_Q_STAR = 6, 7, 8, 9, 10, 11, 12, 13
P_H0, P_V0, P_SIZE = 14, 15, 16
# record columns
R_T, R_S, R_H, R_V, R_GAMMA, R_M, R_THRUST, R_LIFT, R_SIZE = 0, 1, 2, 3, 4, 5, 6, 7, 8
# summary columns
S_T_END, S_S_END, S_T_DRY, S_S_DRY, S_N_REC, S_SIZE = 0, 1, 2, 3, 4, 5


@njit(cache=True)
def gravity_m_s2(h_m):
    """Point-mass gravity [m/s^2] at altitude ``h_m`` above the sphere."""
    r = R_EARTH_M + h_m
    return GM_EARTH_M3_S2 / (r * r)


def breguet_range_m(speed_m_s, lift_to_drag, isp_s, mass_ratio, altitude_m=0.0):
    """Breguet range [m, ground] at constant speed, lift-to-drag ratio and altitude:
    ``R = V E (g0 Isp / g_eff) ln(m0 / m1)``, with ``g_eff = g(h) - V^2 / (R + h)``
    (the centrifugal relief of flight over a sphere) and the path scaled to the ground by
    ``R / (R + h)`` (Breguet 1919; Anderson, *Aircraft Performance and Design*, 1999,
    eq. 5.153, with g0 Isp = 1 / TSFC)."""
    v, h = np.asarray(speed_m_s, float), np.asarray(altitude_m, float)
    g_eff = GM_EARTH_M3_S2 / (R_EARTH_M + h) ** 2 - v**2 / (R_EARTH_M + h)
    path = v * lift_to_drag * G0_M_S2 * isp_s / g_eff * np.log(mass_ratio)
    return path * R_EARTH_M / (R_EARTH_M + h)


def breguet_fuel_fraction(range_m, speed_m_s, lift_to_drag, isp_s, altitude_m=0.0):
    """The fuel fraction ``1 - m1/m0`` whose Breguet range (:func:`breguet_range_m`) is
    ``range_m``: the closed-form calibration of a cruise missile's fuel load."""
    unit = breguet_range_m(speed_m_s, lift_to_drag, isp_s, math.e, altitude_m)
    return 1.0 - np.exp(-np.asarray(range_m, float) / unit)


@dataclass(frozen=True)
class CruiseVehicle:
    """A cruise missile or stand-off weapon, SI floats (central values), built from the
    catalogue by ``analyses.resolve``. ``low_level_m``: length of the low-level leg before
    the target (0: none); ``fuel_mass_kg`` comes from the Breguet calibration."""

    id: str
    cruise_speed_m_s: float
    cruise_altitude_m: float
    launch_mass_kg: float
    fuel_mass_kg: float
    lift_to_drag: float
    isp_s: float
    thrust_to_weight: float
    dive_angle_rad: float = math.radians(30.0)
    low_level_altitude_m: float = 0.0
    low_level_m: float = 0.0
    launch_altitude_m: float = 0.0
    polar: bool = True
    name: str = ""

    def __post_init__(self):
        checks = {
            "cruise_speed_m_s": self.cruise_speed_m_s > 0,
            "launch_mass_kg": self.launch_mass_kg > 0,
            "fuel_mass_kg": 0 <= self.fuel_mass_kg < self.launch_mass_kg,
            "lift_to_drag": self.lift_to_drag > 0,
            "isp_s": self.isp_s > 0,
            "thrust_to_weight": self.thrust_to_weight > 0,
            "dive_angle_rad": 0 < self.dive_angle_rad <= math.pi / 2,
            "cruise_altitude_m": self.cruise_altitude_m >= 0,
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"CruiseVehicle {self.id}: out of range: {', '.join(bad)}")

    def params(self, route_m: float, launch_alt_m: float | None = None) -> np.ndarray:
        """One parameter row for the kernel (``route_m`` inf: fly until the fuel ends)."""
        p = np.zeros(P_SIZE)
        p[P_V_CRUISE] = self.cruise_speed_m_s
        p[P_H_CRUISE] = self.cruise_altitude_m
        p[P_H_LOW] = self.low_level_altitude_m
        p[P_LOW_DIST] = self.low_level_m
        p[P_DIVE] = self.dive_angle_rad
        p[P_ROUTE] = route_m
        p[P_M0] = self.launch_mass_kg
        p[P_FUEL] = self.fuel_mass_kg
        p[P_E] = self.lift_to_drag
        p[P_ISP] = self.isp_s
        p[P_TMAX] = self.thrust_to_weight * self.launch_mass_kg * G0_M_S2
        p[P_POLAR] = 1.0 if self.polar else 0.0
        w_star = (self.launch_mass_kg - 0.5 * self.fuel_mass_kg) * gravity_m_s2(
            self.cruise_altitude_m
        )
        rho, _, _ = density_pressure_sound_speed(self.cruise_altitude_m, US1976_TABLE)
        p[P_W_STAR] = w_star
        p[P_Q_STAR] = 0.5 * rho * self.cruise_speed_m_s**2
        h0 = self.launch_altitude_m if launch_alt_m is None else launch_alt_m
        p[P_H0] = h0
        p[P_V0] = self.cruise_speed_m_s
        return p


@njit(cache=True)
def _drag(p, h, v, lift, table):
    """Drag [N] at lift ``lift``: the parabolic polar about the design point, or |L|/E."""
    if p[P_POLAR] > 0.5:
        rho, _, _ = density_pressure_sound_speed(h, table)
        q = max(0.5 * rho * v * v, 1e-6)
        ws, qs = p[P_W_STAR], p[P_Q_STAR]
        return ws / (2.0 * p[P_E]) * (q / qs + (qs / q) * (lift / ws) ** 2)
    return abs(lift) / p[P_E]


@njit(cache=True)
def _controls(p, t, s, h, v, gamma, m, burning, table):
    """(thrust, lift, drag) of the profile laws at one state; ``burning``: the engine
    runs (fixed for a whole step, so that the fuel's end is located inside it)."""
    g = gravity_m_s2(h)
    dry = not burning
    remaining = p[P_ROUTE] - s
    tan_dive = math.tan(p[P_DIVE])
    if dry:
        gamma_cmd = -p[P_DIVE]
    elif remaining * tan_dive <= h:
        gamma_cmd = -math.atan2(h, max(remaining, 1.0))
    else:
        h_cmd = p[P_H_CRUISE]
        if p[P_LOW_DIST] > 0.0 and remaining <= p[P_LOW_DIST]:
            h_cmd = p[P_H_LOW]
        gamma_cmd = (h_cmd - h) / (v * TAU_H_S)
        gamma_cmd = min(MAX_CLIMB_RAD, max(-MAX_CLIMB_RAD, gamma_cmd))
    centripetal = (g - v * v / (R_EARTH_M + h)) * math.cos(gamma)
    if not dry:  # climb no steeper than the thrust left after drag and the speed hold
        spare = p[P_TMAX] - _drag(p, h, v, m * centripetal, table)
        spare -= m * (p[P_V_CRUISE] - v) / SPEED_GAIN_S
        sin_max = min(1.0, max(0.0, spare / (m * g)))
        gamma_cmd = min(gamma_cmd, math.asin(sin_max))
    lift = m * (centripetal + v * (gamma_cmd - gamma) / TAU_GAMMA_S)
    cap = MAX_LOAD * m * G0_M_S2
    lift = min(cap, max(-cap, lift))
    drag = _drag(p, h, v, lift, table)
    thrust = 0.0
    if not dry:
        need = drag + m * g * math.sin(gamma) + m * (p[P_V_CRUISE] - v) / SPEED_GAIN_S
        thrust = min(p[P_TMAX], max(0.0, need))
    return thrust, lift, drag


@njit(cache=True)
def _rhs(p, t, y, burning, table, out):
    s, h, v, gamma, m = y[0], y[1], y[2], y[3], y[4]
    v = max(v, 1.0)
    thrust, lift, drag = _controls(p, t, s, h, v, gamma, m, burning, table)
    g = gravity_m_s2(h)
    r = R_EARTH_M + h
    out[0] = v * math.cos(gamma) * R_EARTH_M / r
    out[1] = v * math.sin(gamma)
    out[2] = (thrust - drag) / m - g * math.sin(gamma)
    out[3] = lift / (m * v) - (g / v - v / r) * math.cos(gamma)
    out[4] = -thrust / (G0_M_S2 * p[P_ISP])


@njit(cache=True)
def _fly_kernel(params, table, dt, max_steps, record_every, record, summary):
    """Fly each row of ``params``; RK4 with fixed ``dt``, the fuel's end and the ground
    located by linear interpolation inside the step."""
    n = params.shape[0]
    y = np.empty(5)
    k1, k2, k3, k4, tmp = np.empty(5), np.empty(5), np.empty(5), np.empty(5), np.empty(5)
    max_rec = record.shape[1]
    for i in range(n):
        p = params[i]
        y[0], y[1], y[2], y[3], y[4] = 0.0, p[P_H0], p[P_V0], 0.0, p[P_M0]
        m_dry = p[P_M0] - p[P_FUEL]
        t = 0.0
        summary[i, S_T_DRY] = np.nan
        summary[i, S_S_DRY] = np.nan
        n_rec = 0
        for step in range(max_steps):
            burning = y[4] > m_dry + 1e-9
            if step % record_every == 0 and n_rec < max_rec - 1:
                th, li, _ = _controls(p, t, y[0], y[1], max(y[2], 1.0), y[3], y[4], burning, table)
                record[i, n_rec, R_T] = t
                record[i, n_rec, 1:6] = y
                record[i, n_rec, R_THRUST] = th
                record[i, n_rec, R_LIFT] = li
                n_rec += 1
            _rhs(p, t, y, burning, table, k1)
            tmp[:] = y + 0.5 * dt * k1
            _rhs(p, t + 0.5 * dt, tmp, burning, table, k2)
            tmp[:] = y + 0.5 * dt * k2
            _rhs(p, t + 0.5 * dt, tmp, burning, table, k3)
            tmp[:] = y + dt * k3
            _rhs(p, t + dt, tmp, burning, table, k4)
            new = y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
            if new[4] < m_dry:  # the fuel ends inside the step: stop there
                f = (y[4] - m_dry) / max(y[4] - new[4], 1e-30)
                new = y + f * (new - y)
                new[4] = m_dry
                summary[i, S_T_DRY] = t + f * dt
                summary[i, S_S_DRY] = new[0]
                t = t + f * dt
            elif new[1] <= 0.0 and new[3] < 0.0 and y[1] > 0.0:  # the ground, descending
                f = y[1] / max(y[1] - new[1], 1e-30)
                new = y + f * (new - y)
                new[1] = 0.0
                t = t + f * dt
                y[:] = new
                break
            else:
                if new[1] < 0.0:  # skimming the ground (a start too slow to climb)
                    new[1] = 0.0
                    new[3] = max(new[3], 0.0)
                t = t + dt
            y[:] = new
        burning = y[4] > m_dry + 1e-9
        th, li, _ = _controls(p, t, y[0], y[1], max(y[2], 1.0), y[3], y[4], burning, table)
        record[i, n_rec, R_T] = t
        record[i, n_rec, 1:6] = y
        record[i, n_rec, R_THRUST] = th
        record[i, n_rec, R_LIFT] = li
        n_rec += 1
        summary[i, S_T_END] = t
        summary[i, S_S_END] = y[0]
        summary[i, S_N_REC] = n_rec


@dataclass(frozen=True)
class CruiseFlight:
    """One cruise flight along its route: time series (SI) and events.

    ``s_m`` ground distance along the route, ``alt_m`` above the sphere (taken as height
    above the ellipsoid), ``speed_m_s`` air speed, ``gamma_rad`` flight-path angle,
    ``mass_kg``, ``thrust_n``, ``lift_n``. ``range_m``: ground distance flown to the
    ground; ``fuel_out_s`` / ``fuel_out_m``: when and where the fuel ended (NaN if it did
    not); ``reached``: the flight ended within 1 km of the end of its route."""

    t_s: np.ndarray
    s_m: np.ndarray
    alt_m: np.ndarray
    speed_m_s: np.ndarray
    gamma_rad: np.ndarray
    mass_kg: np.ndarray
    thrust_n: np.ndarray
    lift_n: np.ndarray
    flight_time_s: float
    range_m: float
    fuel_out_s: float
    fuel_out_m: float
    route_m: float

    @property
    def reached(self) -> bool:
        return math.isfinite(self.route_m) and abs(self.range_m - self.route_m) <= 1e3


def fly_cruise(
    vehicles,
    route_m,
    *,
    launch_alt_m=None,
    dt_s: float = DT_S,
    max_time_s: float = 86_400.0,
    record_points: int = 2_000,
) -> list[CruiseFlight]:
    """Fly each of ``vehicles`` (:class:`CruiseVehicle`) along a route of ground length
    ``route_m`` (one value or one per vehicle; ``inf`` flies until the fuel ends, then
    dives). Returns one :class:`CruiseFlight` per vehicle."""
    vehicles = list(vehicles)
    routes = np.broadcast_to(np.asarray(route_m, float), (len(vehicles),))
    alts = np.broadcast_to(
        np.asarray(np.nan if launch_alt_m is None else launch_alt_m, float), (len(vehicles),)
    )
    params = np.array(
        [
            v.params(float(r), None if not np.isfinite(a) else float(a))
            for v, r, a in zip(vehicles, routes, alts, strict=True)
        ]
    ).reshape(len(vehicles), P_SIZE)
    max_steps = int(max_time_s / dt_s) + 1
    longest = 1.0
    for v, r in zip(vehicles, routes, strict=True):
        ratio = v.launch_mass_kg / (v.launch_mass_kg - v.fuel_mass_kg)
        far = 1.5 * float(breguet_range_m(v.cruise_speed_m_s, v.lift_to_drag, v.isp_s, ratio, 0.0))
        longest = max(longest, min(float(r), far) / v.cruise_speed_m_s)
    every = max(1, int(longest / dt_s / record_points) + 1)
    record = np.zeros((len(vehicles), record_points + 1, R_SIZE))
    summary = np.zeros((len(vehicles), S_SIZE))
    _fly_kernel(params, US1976_TABLE, float(dt_s), max_steps, every, record, summary)
    out = []
    for i in range(len(vehicles)):
        n = int(summary[i, S_N_REC])
        rec = record[i, :n]
        out.append(
            CruiseFlight(
                t_s=rec[:, R_T].copy(),
                s_m=rec[:, R_S].copy(),
                alt_m=rec[:, R_H].copy(),
                speed_m_s=rec[:, R_V].copy(),
                gamma_rad=rec[:, R_GAMMA].copy(),
                mass_kg=rec[:, R_M].copy(),
                thrust_n=rec[:, R_THRUST].copy(),
                lift_n=rec[:, R_LIFT].copy(),
                flight_time_s=float(summary[i, S_T_END]),
                range_m=float(summary[i, S_S_END]),
                fuel_out_s=float(summary[i, S_T_DRY]),
                fuel_out_m=float(summary[i, S_S_DRY]),
                route_m=float(routes[i]),
            )
        )
    return out


def max_route_m(vehicle: CruiseVehicle, *, launch_alt_m=None, rounds: int = 3) -> float:
    """The longest route [m] the vehicle flies to its end on its fuel, with its whole
    profile (low-level leg and terminal dive before the end). Without a low-level leg it
    is the range of a flight until the fuel ends; with one, a batch of routes below that
    bracket it (``rounds`` of 11, each narrowing the bracket tenfold)."""
    first = fly_cruise([vehicle], np.inf, launch_alt_m=launch_alt_m, record_points=2)[0]
    hi = first.range_m
    if vehicle.low_level_m <= 0.0:
        return hi
    lo = 0.0
    for _ in range(rounds):
        routes = np.linspace(lo if lo > 0 else 0.3 * hi, hi, 11)
        flights = fly_cruise(
            [vehicle] * len(routes), routes, launch_alt_m=launch_alt_m, record_points=2
        )
        ok = [r for r, f in zip(routes, flights, strict=True) if f.reached]
        if not ok:
            hi = routes[0]
            continue
        lo = max(ok)
        above = routes[routes > lo]
        hi = float(above[0]) if len(above) else lo
        if hi == lo:
            break
    return float(lo)
