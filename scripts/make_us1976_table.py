"""Generate src/bmdsim/earth/data/us1976.csv: the U.S. Standard Atmosphere 1976, -5 to 1000 km.

A reference implementation of the full model of *U.S. Standard Atmosphere, 1976*
(NOAA-S/T 76-1562, NASA-TM-X-74335), written from the standard's equations:

- below 86 km: seven geopotential layers of constant molecular-scale temperature
  gradient (Table 4), hydrostatic closed forms (eqs. 33a, 33b), geopotential altitude
  H = r0 Z / (r0 + Z) (eq. 18), kinetic temperature T = T_M M/M0 between 80 and 86 km
  from the ratio M/M0 of Table 8 (linear between its 0.5 km entries);
- 86 to 1000 km: kinetic temperature in four segments (eqs. 24-31: isothermal 86-91 km,
  elliptical 91-110 km, linear 110-120 km, exponential above 120 km with T_inf = 1000 K
  and lambda = 0.01875 / km); number densities of N2 (eq. 33 with M = M0 below 100 km and
  M_N2 above), O, O2, Ar, He (eqs. 34-37: molecular diffusion, eddy diffusion below
  115 km, vertical-flux terms below 150 km) and H (eqs. 38-40: flux phi above 150 km,
  diffusive equilibrium above 500 km), integrated with the trapezoid rule on a 5 m grid;
  p = n k T (eq. 33c), rho = sum(n_i M_i) / N_A (eq. 42).

Speed of sound a = sqrt(gamma R* T_M / M0), gamma = 1.4 (eq. 50). The standard tabulates
it only below 86 km; above 86 km this table extends it with the same formula on the
kinetic temperature T (a stated extension, not part of the standard).

Run:  .venv/bin/python scripts/make_us1976_table.py  (writes the CSV; about 10 s)
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy.integrate import cumulative_trapezoid

# --- Constants of the standard (Part 1, Tables 2-3); kept here because they are the
# 1976 values (R* = 8.31432, not CODATA), used only to build the table.
K_BOLTZMANN = 1.380622e-23  # J/K
N_AVOGADRO = 6.022169e26  # 1/kmol
R_STAR = 8.31432e3  # J/(kmol K)
M0 = 28.9644  # kg/kmol, sea-level mean molecular weight
G0 = 9.80665  # m/s^2
R0 = 6356.766e3  # m, effective Earth radius for geopotential
P0 = 101325.0  # Pa
GAMMA = 1.4

# Table 4: geopotential layer bases H_b [m'], molecular-scale temperature gradients [K/m'].
H_B = np.array([0.0, 11e3, 20e3, 32e3, 47e3, 51e3, 71e3, 84852.0])
L_B = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])
T_M0 = 288.15

# Table 8: M/M0 from 80 to 86 km geometric, every 0.5 km.
Z_MRATIO = np.arange(80e3, 86e3 + 1.0, 500.0)
M_RATIO = np.array(
    [
        1.0,
        0.999996,
        0.999989,
        0.999971,
        0.999941,
        0.999909,
        0.999870,
        0.999829,
        0.999786,
        0.999741,
        0.999694,
        0.999641,
        0.999579,
    ]
)

# Upper atmosphere (Tables 5-7).
Z7, Z8, Z9, Z10, Z11, Z12 = 86e3, 91e3, 110e3, 120e3, 500e3, 1000e3
T7 = 186.8673
T9 = 240.0
T10 = 360.0
T_INF = 1000.0
LAMBDA = 0.01875e-3  # 1/m
TC, A_ELL, a_ELL = 263.1905, -76.3232, -19.9429e3  # eq. 27, a in m
LK9 = 12.0e-3  # K/m
SPECIES = ("N2", "O", "O2", "Ar", "He", "H")
M_I = {"N2": 28.0134, "O": 15.9994, "O2": 31.9988, "Ar": 39.948, "He": 4.0026, "H": 1.00797}
N_86 = {"N2": 1.129794e20, "O": 8.6e16, "O2": 3.030898e19, "Ar": 1.351400e18, "He": 7.5817e14}
ALPHA = {"O": 0.0, "O2": 0.0, "Ar": 0.0, "He": -0.40, "H": -0.25}
A_DIFF = {"O": 6.986e20, "O2": 4.863e20, "Ar": 4.487e20, "He": 1.700e21, "H": 3.305e21}
B_DIFF = {"O": 0.750, "O2": 0.750, "Ar": 0.870, "He": 0.691, "H": 0.500}
# Vertical-flux terms (eq. 37): Q [1/km^3], U [km], W [1/km^3]; O has a second term below 97 km.
Q_FLUX = {"O": -5.809644e-4, "O2": 1.366212e-4, "Ar": 9.434079e-5, "He": -2.457369e-4}
U_FLUX = {"O": 56.90311, "O2": 86.0, "Ar": 86.0, "He": 86.0}
W_FLUX = {"O": 2.706240e-5, "O2": 8.333333e-5, "Ar": 8.333333e-5, "He": 6.666667e-4}
Q2_O, U2_O, W2_O = -3.416248e-3, 97.0, 5.008765e-4
K7 = 1.2e2  # m^2/s, eddy diffusion coefficient below 95 km
N_H_500 = 8.0e10  # 1/m^3
PHI_H = 7.2e11  # 1/(m^2 s)


def gravity(z):
    return G0 * (R0 / (R0 + z)) ** 2


def lower_atmosphere(z):
    """T_M, T (kinetic), p below 86 km (geometric z in m)."""
    h = R0 * z / (R0 + z)
    p_b = np.empty(len(H_B))
    p_b[0] = P0
    t_b = np.empty(len(H_B))
    t_b[0] = T_M0
    for i in range(len(L_B)):
        dh = H_B[i + 1] - H_B[i]
        t_b[i + 1] = t_b[i] + L_B[i] * dh
        if L_B[i] == 0.0:
            p_b[i + 1] = p_b[i] * math.exp(-G0 * M0 * dh / (R_STAR * t_b[i]))
        else:
            p_b[i + 1] = p_b[i] * (t_b[i] / t_b[i + 1]) ** (G0 * M0 / (R_STAR * L_B[i]))
    k = np.clip(np.searchsorted(H_B, h, side="right") - 1, 0, len(L_B) - 1)
    t_m = t_b[k] + L_B[k] * (h - H_B[k])
    lk = L_B[k]
    with np.errstate(divide="ignore", invalid="ignore"):
        p_grad = p_b[k] * (t_b[k] / t_m) ** (G0 * M0 / (R_STAR * np.where(lk == 0, 1.0, lk)))
    p_iso = p_b[k] * np.exp(-G0 * M0 * (h - H_B[k]) / (R_STAR * t_b[k]))
    p = np.where(lk == 0.0, p_iso, p_grad)
    ratio = np.interp(z, Z_MRATIO, M_RATIO, left=1.0, right=M_RATIO[-1])
    return t_m, t_m * ratio, p


def upper_temperature(z):
    """Kinetic temperature T and dT/dz above 86 km (eqs. 24-31)."""
    t = np.empty_like(z)
    dt = np.zeros_like(z)
    s1 = z < Z8
    t[s1] = T7
    s2 = (z >= Z8) & (z < Z9)
    x = (z[s2] - Z8) / a_ELL
    root = np.sqrt(1.0 - x * x)
    t[s2] = TC + A_ELL * root
    dt[s2] = -A_ELL / a_ELL * x / root
    s3 = (z >= Z9) & (z < Z10)
    t[s3] = T9 + LK9 * (z[s3] - Z9)
    dt[s3] = LK9
    s4 = z >= Z10
    xi = (z[s4] - Z10) * (R0 + Z10) / (R0 + z[s4])
    e = np.exp(-LAMBDA * xi)
    t[s4] = T_INF - (T_INF - T10) * e
    dt[s4] = LAMBDA * (T_INF - T10) * ((R0 + Z10) / (R0 + z[s4])) ** 2 * e
    return t, dt


def upper_number_densities(z):
    """Number densities [1/m^3] of the six species on an ascending grid z from 86 km."""
    t, dtdz = upper_temperature(z)
    g = gravity(z)
    zk = z / 1e3
    n = {}
    # N2 (eq. 33 form): mixed below 100 km (M = M0), diffusive above (M = M_N2).
    m_n2 = np.where(z <= 100e3, M0, M_I["N2"])
    y_n2 = m_n2 * g / (R_STAR * t)
    n["N2"] = N_86["N2"] * T7 / t * np.exp(-cumulative_trapezoid(y_n2, z, initial=0.0))
    # Eddy diffusion coefficient (eqs. 7a-7c): constant to 95 km, decays to 0 at 115 km.
    decay = np.exp(1.0 - 400.0 / np.maximum(400.0 - (zk - 95.0) ** 2, 1e-300))
    kz = np.where(z < 95e3, K7, K7 * decay)
    kz = np.where(z < 115e3, kz, 0.0)
    for s in ("O", "O2", "Ar", "He"):
        background = n["N2"] if s in ("O", "O2") else n["N2"] + n["O"] + n["O2"]
        d = A_DIFF[s] / background * (t / 273.15) ** B_DIFF[s]
        # Mean molecular weight in the eddy-mixing term: M0 below 100 km, M_N2 above, for
        # O as for the others. (ussa1976 0.3.4 puts M_N2 there for O: its O, p and rho
        # then run high above 100 km, +6.5 % at 400 km against Table I.)
        m_mix = m_n2
        f = (
            g
            / (R_STAR * t)
            * d
            / (d + kz)
            * (M_I[s] + m_mix * kz / d + ALPHA[s] * R_STAR * dtdz / g)
        )
        # Vertical flux term v/(D+K) (eq. 37), in 1/km -> 1/m; neglected above 150 km.
        v = Q_FLUX[s] * (zk - U_FLUX[s]) ** 2 * np.exp(-W_FLUX[s] * (zk - U_FLUX[s]) ** 3)
        if s == "O":
            du = np.maximum(U2_O - zk, 0.0)
            v = v + Q2_O * du**2 * np.exp(-W2_O * du**3)
        v = np.where(z <= 150e3, v, 0.0) / 1e3
        n[s] = N_86[s] * T7 / t * np.exp(-cumulative_trapezoid(f + v, z, initial=0.0))
    # H (eqs. 38-40): zero below 150 km; flux phi 150-500 km; diffusive above 500 km.
    alpha = ALPHA["H"]
    i500 = int(np.argmin(np.abs(z - Z11)))
    y_tau = M_I["H"] * g / (R_STAR * t)
    tau = cumulative_trapezoid(y_tau, z, initial=0.0)
    tau = tau - tau[i500]  # tau(z) = integral from 500 km to z
    t500 = t[i500]
    n_others = n["N2"] + n["O"] + n["O2"] + n["Ar"] + n["He"]
    d_h = A_DIFF["H"] / n_others * (t / 273.15) ** B_DIFF["H"]
    integrand = PHI_H / d_h * (t / t500) ** (1.0 + alpha) * np.exp(tau)
    cum = cumulative_trapezoid(integrand, z, initial=0.0)
    flux_int = np.where(z < Z11, cum[i500] - cum, 0.0)  # integral from z to 500 km
    n_h = (N_H_500 - flux_int) * (t500 / t) ** (1.0 + alpha) * np.exp(-tau)
    n["H"] = np.where(z >= 150e3, n_h, 0.0)
    return t, n


def build_table(z_out, dz_fine=5.0):
    """T, p, rho, a at geometric altitudes z_out [m] (ascending, within -5..1000 km)."""
    t_out = np.empty_like(z_out)
    p_out = np.empty_like(z_out)
    rho_out = np.empty_like(z_out)
    a_out = np.empty_like(z_out)
    low = z_out < Z7
    t_m, t_k, p = lower_atmosphere(z_out[low])
    t_out[low] = t_k
    p_out[low] = p
    rho_out[low] = p * M0 / (R_STAR * t_m)
    a_out[low] = np.sqrt(GAMMA * R_STAR * t_m / M0)

    z_fine = np.arange(Z7, Z12 + dz_fine / 2, dz_fine)
    t_f, n_f = upper_number_densities(z_fine)
    n_tot = sum(n_f[s] for s in SPECIES)
    p_f = n_tot * K_BOLTZMANN * t_f
    rho_f = sum(n_f[s] * M_I[s] for s in SPECIES) / N_AVOGADRO
    high = ~low
    zh = z_out[high]
    t_out[high] = np.interp(zh, z_fine, t_f)
    p_out[high] = np.exp(np.interp(zh, z_fine, np.log(p_f)))
    rho_out[high] = np.exp(np.interp(zh, z_fine, np.log(rho_f)))
    a_out[high] = np.sqrt(GAMMA * R_STAR * t_out[high] / M0)
    return t_out, p_out, rho_out, a_out


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    out = root / "src" / "bmdsim" / "earth" / "data" / "us1976.csv"
    z = np.round(np.arange(-5000.0, 1000e3 + 50.0, 100.0))
    t, p, rho, a = build_table(z)
    lines = [
        "# U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), geometric altitude, 100 m grid.",
        "# Generated by scripts/make_us1976_table.py (reference implementation of the standard).",
        "# speed_of_sound above 86 km: sqrt(1.4 R* T / M0) on the kinetic temperature (extension).",
        "altitude_m,temperature_K,pressure_Pa,density_kg_m3,speed_of_sound_m_s",
    ]
    for row in zip(z, t, p, rho, a, strict=True):
        lines.append(f"{row[0]:.0f},{row[1]:.8g},{row[2]:.9e},{row[3]:.9e},{row[4]:.8g}")
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, {len(z)} rows)")


if __name__ == "__main__":
    main()
