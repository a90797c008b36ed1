"""Vacuum free-flight closed forms on a spherical, non-rotating Earth.

Bate, Mueller & White, *Fundamentals of Astrodynamics* (Dover 1971), ch. 6:
free-flight range equation (eq. 6.2-16), maximum-range condition and minimum-energy
burnout (6.2-20 to 6.2-23), time of free flight (6.3). Notation: r burnout radius,
v burnout speed, gamma flight-path angle above the horizontal, psi free-flight range
angle (burnout to re-entry at the same radius), Q = v^2 r / mu. SI units, radians.
These serve as independent references for the integrator and as first guesses.
"""

from __future__ import annotations

import numpy as np

from bmdsim.earth.constants import GM_EARTH_M3_S2


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
