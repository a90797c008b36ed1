"""Vacuum free-flight closed forms on a spherical, non-rotating Earth.

Bate, Mueller & White, *Fundamentals of Astrodynamics* (Dover 1971), ch. 6:
free-flight range equation (eq. 6.2-16), maximum-range condition and minimum-energy
burnout (6.2-20 to 6.2-23), time of free flight (6.3). Notation: r burnout radius,
v burnout speed, gamma flight-path angle above the horizontal, psi free-flight range
angle (burnout to re-entry at the same radius), Q = v^2 r / mu. SI units, radians.
These serve as independent references for the integrator and as first guesses, and
(``minimum_energy_arc``, ``maximum_range_arc``) as the analysts' ``bmdsim kepler``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bmdsim.earth.constants import GM_EARTH_M3_S2, SPHERE_RADIUS_M
from bmdsim.errors import InputError


def q_parameter(v_m_s, r_m, mu=GM_EARTH_M3_S2):
    return np.asarray(v_m_s) ** 2 * np.asarray(r_m) / mu


def free_flight_range_angle(v_m_s, r_m, gamma_rad, mu=GM_EARTH_M3_S2):
    """psi from cos(psi/2) = (1 - Q cos^2 g) / sqrt(1 + Q (Q - 2) cos^2 g) (BMW 6.2-16),
    taking the trajectory that returns to the burnout radius (Q < 2)."""
    q = q_parameter(v_m_s, r_m, mu)
    c2 = np.cos(gamma_rad) ** 2
    return 2.0 * np.arccos((1.0 - q * c2) / np.sqrt(1.0 + q * (q - 2.0) * c2))


def minimum_energy_q(psi_rad):
    """Q of the minimum-energy trajectory: 2 sin(psi/2) / (1 + sin(psi/2)) (BMW 6.2-20)."""
    s = np.sin(np.asarray(psi_rad) / 2.0)
    return 2.0 * s / (1.0 + s)


def minimum_energy_speed(psi_rad, r_m, mu=GM_EARTH_M3_S2):
    """Burnout speed of the minimum-energy trajectory over range angle psi."""
    return np.sqrt(minimum_energy_q(psi_rad) * mu / np.asarray(r_m))


def minimum_energy_flight_path_angle(psi_rad):
    """gamma = (pi - psi) / 4 (BMW 6.2-22)."""
    return (np.pi - np.asarray(psi_rad)) / 4.0


def maximum_range_angle(v_m_s, r_m, mu=GM_EARTH_M3_S2):
    """Largest psi for burnout speed v: sin(psi/2) = Q / (2 - Q) (BMW 6.2-21)."""
    q = q_parameter(v_m_s, r_m, mu)
    return 2.0 * np.arcsin(q / (2.0 - q))


def orbit_elements(v_m_s, r_m, gamma_rad, mu=GM_EARTH_M3_S2):
    """(a, e) of the free-flight ellipse: a = r / (2 - Q), e^2 = 1 - Q (2 - Q) cos^2 g."""
    q = q_parameter(v_m_s, r_m, mu)
    a = np.asarray(r_m) / (2.0 - q)
    e = np.sqrt(1.0 - q * (2.0 - q) * np.cos(gamma_rad) ** 2)
    return a, e


def apogee_radius(v_m_s, r_m, gamma_rad, mu=GM_EARTH_M3_S2):
    a, e = orbit_elements(v_m_s, r_m, gamma_rad, mu)
    return a * (1.0 + e)


def time_of_free_flight(v_m_s, r_m, gamma_rad, mu=GM_EARTH_M3_S2):
    """Burnout to re-entry at the same radius (BMW 6.3): t = 2 sqrt(a^3/mu) [(pi - E1)
    + e sin E1], with E1 the eccentric anomaly at burnout (true anomaly pi - psi/2)."""
    a, e = orbit_elements(v_m_s, r_m, gamma_rad, mu)
    psi = free_flight_range_angle(v_m_s, r_m, gamma_rad, mu)
    nu1 = np.pi - psi / 2.0
    cos_e1 = (e + np.cos(nu1)) / (1.0 + e * np.cos(nu1))
    e1 = np.arccos(np.clip(cos_e1, -1.0, 1.0))
    return 2.0 * np.sqrt(a**3 / mu) * ((np.pi - e1) + e * np.sin(e1))


@dataclass(frozen=True)
class KeplerArc:
    """A vacuum free-flight arc on a spherical, non-rotating Earth of radius
    ``earth_radius_m`` from burnout at ``burnout_alt_m`` to re-entry at the same
    altitude, ``range_m`` apart along the surface (range angle ``range_angle_rad``).
    ``kind``: 'minimum-energy' (the least burnout speed for the range) or
    'maximum-range' (the longest range for the speed): the same arc (BMW 6.2)."""

    kind: str
    range_m: float
    range_angle_rad: float
    burnout_alt_m: float
    speed_m_s: float
    flight_path_angle_rad: float
    apogee_alt_m: float
    flight_time_s: float
    q: float
    semi_major_axis_m: float
    eccentricity: float
    earth_radius_m: float


def _check_altitude(alt_m):
    if not (math.isfinite(alt_m) and 0.0 <= alt_m <= 5.0e6):
        raise InputError(
            f"burnout altitude {alt_m / 1e3:g} km is out of range; allowed 0 to 5,000 km",
            field="alt",
            value=alt_m,
            allowed="0..5000 km",
        )


def _arc(kind, psi, r, v, gamma, earth_radius_m, mu):
    a, e = orbit_elements(v, r, gamma, mu)
    return KeplerArc(
        kind=kind,
        range_m=float(psi * earth_radius_m),
        range_angle_rad=float(psi),
        burnout_alt_m=float(r - earth_radius_m),
        speed_m_s=float(v),
        flight_path_angle_rad=float(gamma),
        apogee_alt_m=float(apogee_radius(v, r, gamma, mu) - earth_radius_m),
        flight_time_s=float(time_of_free_flight(v, r, gamma, mu)),
        q=float(q_parameter(v, r, mu)),
        semi_major_axis_m=float(a),
        eccentricity=float(e),
        earth_radius_m=float(earth_radius_m),
    )


def minimum_energy_arc(
    range_m, alt_m=0.0, *, earth_radius_m=SPHERE_RADIUS_M, mu=GM_EARTH_M3_S2
) -> KeplerArc:
    """The minimum-energy arc over ``range_m`` (surface distance, up to half the
    circumference) from burnout at ``alt_m``: Q = 2 sin(psi/2) / (1 + sin(psi/2)),
    gamma = (pi - psi) / 4 (BMW 6.2-20, 6.2-22), apogee and time (BMW 6.3)."""
    _check_altitude(alt_m)
    half = math.pi * earth_radius_m
    if not (math.isfinite(range_m) and 0.0 < range_m <= half):
        raise InputError(
            f"range {range_m / 1e3:,.1f} km is out of range; allowed above 0 up to half the "
            f"circumference, {half / 1e3:,.0f} km",
            field="range",
            value=range_m,
            allowed=f"0 < range <= {half / 1e3:,.0f} km",
        )
    psi = range_m / earth_radius_m
    r = earth_radius_m + alt_m
    v = float(minimum_energy_speed(psi, r, mu))
    gamma = float(minimum_energy_flight_path_angle(psi))
    return _arc("minimum-energy", psi, r, v, gamma, earth_radius_m, mu)


def maximum_range_arc(
    speed_m_s, alt_m=0.0, *, earth_radius_m=SPHERE_RADIUS_M, mu=GM_EARTH_M3_S2
) -> KeplerArc:
    """The maximum-range arc of burnout speed ``speed_m_s`` at ``alt_m``:
    sin(psi/2) = Q / (2 - Q) (BMW 6.2-21), flown at gamma = (pi - psi) / 4. Needs
    Q < 1 (below circular speed): at and above it every range can be flown."""
    _check_altitude(alt_m)
    r = earth_radius_m + alt_m
    v_circ = math.sqrt(mu / r)
    if not (math.isfinite(speed_m_s) and 0.0 < speed_m_s < v_circ):
        raise InputError(
            f"burnout speed {speed_m_s / 1e3:g} km/s is out of range; allowed above 0 and "
            f"below the circular speed at that altitude, {v_circ / 1e3:.3f} km/s",
            field="speed",
            value=speed_m_s,
            allowed=f"0 < speed < {v_circ / 1e3:.3f} km/s",
        )
    psi = float(maximum_range_angle(speed_m_s, r, mu))
    gamma = float(minimum_energy_flight_path_angle(psi))
    return _arc("maximum-range", psi, r, float(speed_m_s), gamma, earth_radius_m, mu)
