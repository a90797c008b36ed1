"""U.S. Standard Atmosphere 1976, -5 to 1000 km geometric altitude.

Source: *U.S. Standard Atmosphere, 1976*, NOAA-S/T 76-1562 / NASA-TM-X-74335 (US GPO, 1976).
The full model (seven geopotential layers below 86 km; kinetic temperature and the six
species' diffusion equations from 86 to 1000 km) is implemented once, in
``scripts/make_us1976_table.py``, which writes ``data/us1976.csv`` on a uniform 100 m
grid of geometric altitude. This module reads that table at import and interpolates it:
linear in ln(rho) and ln(p), linear in T and in the speed of sound a.

Interpolation error against the model: < 1e-5 relative inside a layer; in the one 100 m
cell that holds a layer boundary below 86 km (where the lapse rate jumps), up to
h*dL/(4T) ~ 8e-4 in rho and T (p stays < 1e-5). Above 86 km < 1e-4.

Speed of sound a = sqrt(gamma R* T_M / M0), gamma = 1.4 (the standard's eq. 50), is
tabulated by the standard only below 86 km; above 86 km it is *extended* here with the
same formula on the kinetic temperature T (a jump of 0.02 % at 86 km, where T_M and T
differ by M/M0 = 0.999579). Frame: none (altitude above the geoid/ellipsoid as given).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

_TABLE_PATH = Path(__file__).with_name("data") / "us1976.csv"


def _load_table(path: Path) -> np.ndarray:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split(",")
    expected = [
        "altitude_m",
        "temperature_K",
        "pressure_Pa",
        "density_kg_m3",
        "speed_of_sound_m_s",
    ]
    if header != expected:
        raise ValueError(f"{path}: header {header} is not {expected}")
    return np.loadtxt(lines[1:], delimiter=",", dtype=np.float64)


_TABLE = _load_table(_TABLE_PATH)

ALTITUDE_M = np.ascontiguousarray(_TABLE[:, 0])
TEMPERATURE_K = np.ascontiguousarray(_TABLE[:, 1])
PRESSURE_PA = np.ascontiguousarray(_TABLE[:, 2])
DENSITY_KG_M3 = np.ascontiguousarray(_TABLE[:, 3])
SPEED_OF_SOUND_M_S = np.ascontiguousarray(_TABLE[:, 4])

# The kernels' table: one row per grid altitude, the three interpolated quantities side
# by side (a lookup reads two adjacent rows, 48 bytes). Kernels take it as an argument
# (global memory), never as this global: numba freezes a global array into the compiled
# code, on a GPU as constant data, which the hardware caps at 64 KiB (this table is
# 241 KB, and numba froze one copy per indexing site: 9 copies, 724 KB). See
# docs/design.md, "Tables as kernel arguments".
ATM_LN_RHO = 0  # ln(density / (kg/m^3))
ATM_LN_P = 1  # ln(pressure / Pa)
ATM_A = 2  # speed of sound, m/s
US1976_TABLE = np.ascontiguousarray(
    np.stack([np.log(DENSITY_KG_M3), np.log(PRESSURE_PA), SPEED_OF_SOUND_M_S], axis=1)
)
US1976_TABLE.setflags(write=False)
_LN_RHO = US1976_TABLE[:, ATM_LN_RHO]
_LN_P = US1976_TABLE[:, ATM_LN_P]
_A = US1976_TABLE[:, ATM_A]

# Floats (not arrays) are safe as globals: numba compiles them in as immediates.
H_MIN_M = float(ALTITUDE_M[0])  # -5 km: below it the table is clamped
H_MAX_M = float(ALTITUDE_M[-1])  # 1000 km: above it vacuum
_DH_M = float(ALTITUDE_M[1] - ALTITUDE_M[0])
_INV_DH = 1.0 / _DH_M
_N_CELLS = ALTITUDE_M.size - 1
_A_TOP = float(SPEED_OF_SOUND_M_S[-1])
_T_TOP = float(TEMPERATURE_K[-1])

if not np.allclose(np.diff(ALTITUDE_M), _DH_M, rtol=0.0, atol=1e-6):
    raise ValueError(f"{_TABLE_PATH}: altitude grid is not uniform")


@register_jitable
def density_pressure_sound_speed(h_m, table):
    """(rho [kg/m^3], p [Pa], a [m/s]) of US-1976 at geometric altitude h_m [m].

    ``table``: ``US1976_TABLE`` (passed in, so that GPU kernels read it from global
    memory). O(1) lookup on the uniform 100 m grid; linear in ln(rho), ln(p) and in a.
    Below -5 km clamped to -5 km; above 1000 km returns (0, 0, a(1000 km)); NaN gives
    NaN. Scalar floats and one array: runs as Python, numba njit and CUDA.
    """
    n_cells = table.shape[0] - 1
    if h_m > H_MAX_M:
        return 0.0, 0.0, table[n_cells, ATM_A]
    x = (h_m - H_MIN_M) * _INV_DH
    if not x > 0.0:
        if x != x:
            return math.nan, math.nan, math.nan
        x = 0.0
    i = int(x)
    if i >= n_cells:
        i = n_cells - 1
    f = x - i
    lo_rho, hi_rho = table[i, ATM_LN_RHO], table[i + 1, ATM_LN_RHO]
    lo_p, hi_p = table[i, ATM_LN_P], table[i + 1, ATM_LN_P]
    lo_a, hi_a = table[i, ATM_A], table[i + 1, ATM_A]
    ln_rho = lo_rho + f * (hi_rho - lo_rho)
    ln_p = lo_p + f * (hi_p - lo_p)
    a = lo_a + f * (hi_a - lo_a)
    return math.exp(ln_rho), math.exp(ln_p), a


class Us1976(NamedTuple):
    """US-1976 state at given altitudes; arrays of the input's shape."""

    temperature_k: np.ndarray
    pressure_pa: np.ndarray
    density_kg_m3: np.ndarray
    speed_of_sound_m_s: np.ndarray


def us1976(h_m) -> Us1976:
    """US Standard Atmosphere 1976 at geometric altitudes h_m [m] (any shape).

    Kinetic temperature [K], pressure [Pa], density [kg/m^3], speed of sound [m/s],
    interpolated from the shipped table exactly as ``density_pressure_sound_speed``.
    Below -5 km clamped; above 1000 km p = rho = 0, T and a held at their 1000 km values.
    """
    h = np.asarray(h_m, dtype=np.float64)
    x = np.clip((h - H_MIN_M) * _INV_DH, 0.0, None)
    finite = np.isfinite(x)
    xs = np.where(finite, x, 0.0)
    i = np.minimum(xs.astype(np.int64), _N_CELLS - 1)
    f = xs - i
    temperature = TEMPERATURE_K[i] + f * (TEMPERATURE_K[i + 1] - TEMPERATURE_K[i])
    pressure = np.exp(_LN_P[i] + f * (_LN_P[i + 1] - _LN_P[i]))
    density = np.exp(_LN_RHO[i] + f * (_LN_RHO[i + 1] - _LN_RHO[i]))
    sound = _A[i] + f * (_A[i + 1] - _A[i])
    above = h > H_MAX_M
    temperature = np.where(above, _T_TOP, temperature)
    pressure = np.where(above, 0.0, pressure)
    density = np.where(above, 0.0, density)
    sound = np.where(above, _A_TOP, sound)
    nan = ~finite & ~above
    if np.any(nan):
        temperature, pressure, density, sound = (
            np.where(nan, np.nan, v) for v in (temperature, pressure, density, sound)
        )
    return Us1976(temperature, pressure, density, sound)


__all__ = ["US1976_TABLE", "Us1976", "density_pressure_sound_speed", "us1976"]
