"""Batched flight: launch rows in, events and impact points out.

This is the one entry point every analysis uses (trajectory, targeting, reach); the
backend (``cpu``: numba prange; ``reference``: scipy DOP853; ``cuda``: numba.cuda) only
changes who runs ``integrate.fly_one`` or its reference twin.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

from bmdsim.earth import geodesic
from bmdsim.earth.constants import OMEGA_EARTH_RAD_S, SPHERE_RADIUS_M
from bmdsim.earth.frames import ecef_from_eci
from bmdsim.earth.geodetic import ecef_from_geodetic, geodetic_from_ecef
from bmdsim.errors import InputError
from bmdsim.flight import state as S
from bmdsim.flight.integrate import StepControl

EARTH_MODELS = {"wgs84": S.EARTH_WGS84, "sphere": S.EARTH_SPHERE}
BACKENDS = ("auto", "cpu", "cuda", "reference")


@dataclass(frozen=True)
class FlightModel:
    """Which physics to fly: ``earth`` 'wgs84' (ellipsoid, J2) or 'sphere' (mean radius,
    point mass), Earth ``rotation`` on/off, atmospheric ``drag`` on/off, the steps, and
    ``end_alt_m``: the altitude at which a descending flight ends (0: impact; e.g.
    100 km for re-entry conditions). ``drag=False`` removes the drag force; a lifting
    vehicle keeps its lift, sized by the drag the air would exert (a lossless glider)."""

    earth: str = "wgs84"
    rotation: bool = True
    drag: bool = True
    steps: StepControl = field(default_factory=StepControl)
    end_alt_m: float = 0.0

    def __post_init__(self):
        if self.earth not in EARTH_MODELS:
            raise InputError(
                f"unknown earth model {self.earth!r}; allowed: {', '.join(EARTH_MODELS)}",
                field="earth",
                value=self.earth,
                allowed=list(EARTH_MODELS),
            )
        if not (math.isfinite(self.end_alt_m) and 0.0 <= self.end_alt_m <= 5.0e6):
            raise InputError(
                f"end altitude {self.end_alt_m / 1e3:g} km is out of range; allowed 0 to 5,000 km",
                field="end_alt",
                value=self.end_alt_m,
                allowed="0..5000 km",
            )

    @property
    def earth_code(self) -> int:
        return EARTH_MODELS[self.earth]

    @property
    def omega_rad_s(self) -> float:
        """The Earth's rotation rate in this model (0 when ``rotation`` is off)."""
        return OMEGA_EARTH_RAD_S if self.rotation else 0.0

    def row(self) -> np.ndarray:
        """The model row (``state.M_*``, float64) that the flight kernels take."""
        s = self.steps
        row = np.empty(S.M_SIZE)
        row[S.M_EARTH] = self.earth_code
        row[S.M_ROTATION] = 1.0 if self.rotation else 0.0
        row[S.M_DRAG] = 1.0 if self.drag else 0.0
        row[S.M_DT_BOOST] = s.dt_boost
        row[S.M_DT_MAX] = s.dt_max
        row[S.M_DT_ATMOSPHERE] = s.dt_atmosphere
        row[S.M_STEP_FACTOR] = s.step_factor
        row[S.M_DT_MIN] = s.dt_min
        row[S.M_T_MAX] = s.t_max
        row[S.M_END_ALT] = self.end_alt_m
        return row

    def describe(self) -> dict:
        return {
            "earth": self.earth,
            "rotation": self.rotation,
            "drag": self.drag,
            "gravity": "point mass + J2" if self.earth == "wgs84" else "point mass",
            "atmosphere": "US Standard Atmosphere 1976",
            "integrator": "RK4, event-split steps",
            "end_alt_m": self.end_alt_m,
        }


def launch_position_velocity(lat_rad, lon_rad, h_m, model: FlightModel):
    """ECI position and velocity (N, 3) of points at rest on the turning Earth at t = 0."""
    lat_rad, lon_rad, h_m = np.broadcast_arrays(
        *(np.asarray(a, float) for a in (lat_rad, lon_rad, h_m))
    )
    if model.earth == "sphere":
        r = SPHERE_RADIUS_M + h_m
        x = r * np.cos(lat_rad) * np.cos(lon_rad)
        y = r * np.cos(lat_rad) * np.sin(lon_rad)
        z = r * np.sin(lat_rad)
    else:
        x, y, z = ecef_from_geodetic(lat_rad, lon_rad, h_m)
    w = model.omega_rad_s
    r = np.stack([x, y, z], axis=-1).reshape(-1, 3)
    v = np.stack([-w * r[:, 1], w * r[:, 0], np.zeros(len(r))], axis=-1)
    return r, v


def launch_rows(
    vehicle_index,
    lat_rad,
    lon_rad,
    h_m,
    azimuth_rad,
    kick_rad,
    t_cutoff_s,
    model: FlightModel,
    t_dive_s=math.inf,
    lift=False,
) -> np.ndarray:
    """Launch rows (N, L_SIZE) for launches from the ground; arguments broadcast.
    ``lift``: fly the vehicle's lift law (a lifting vehicle's quasi-ballistic flight;
    without it every vehicle flies ballistic); ``t_dive_s``: start of its terminal dive
    (inf: none)."""
    b = np.broadcast_arrays(
        *(
            np.asarray(a, float)
            for a in (
                vehicle_index,
                lat_rad,
                lon_rad,
                h_m,
                azimuth_rad,
                kick_rad,
                t_cutoff_s,
                t_dive_s,
                lift,
            )
        )
    )
    b = [a.ravel() for a in b]
    r, v = launch_position_velocity(b[1], b[2], b[3], model)
    rows = np.empty((len(b[0]), S.L_SIZE))
    rows[:, S.L_VEHICLE] = b[0]
    rows[:, S.L_X : S.L_Z + 1] = r
    rows[:, S.L_VX : S.L_VZ + 1] = v
    rows[:, S.L_AZIMUTH] = b[4]
    rows[:, S.L_KICK] = b[5]
    rows[:, S.L_T_CUTOFF] = b[6]
    rows[:, S.L_T_DIVE] = b[7]
    rows[:, S.L_LIFT] = b[8]
    return rows


def earth_fixed_from_inertial(r_eci_m, t_s, model: FlightModel):
    """ECEF positions (N, 3) of ECI positions at times t_s (theta = omega t, omega = 0
    without rotation): ``earth.frames.ecef_from_eci``."""
    return ecef_from_eci(r_eci_m, t_s, omega_rad_s=model.omega_rad_s)


def geographic_from_inertial(r_eci_m, t_s, model: FlightModel):
    """(lat_deg, lon_deg, alt_m) of ECI positions at times t_s on the model's Earth."""
    r = earth_fixed_from_inertial(r_eci_m, t_s, model)
    if model.earth == "sphere":
        rn = np.linalg.norm(r, axis=-1)
        lat = np.arcsin(r[..., 2] / rn)
        lon = np.arctan2(r[..., 1], r[..., 0])
        alt = rn - SPHERE_RADIUS_M
    else:
        lat, lon, alt = geodetic_from_ecef(r[..., 0], r[..., 1], r[..., 2])
    return np.degrees(lat), np.degrees(lon), alt


def surface_distance(lat1_deg, lon1_deg, lat2_deg, lon2_deg, model: FlightModel):
    """(distance_m, azimuth_deg): WGS 84 geodesic, or great circle on the sphere."""
    fn = geodesic.sphere_inverse if model.earth == "sphere" else geodesic.inverse
    d, az, _ = fn(lat1_deg=lat1_deg, lon1_deg=lon1_deg, lat2_deg=lat2_deg, lon2_deg=lon2_deg)
    return np.asarray(d, float), np.asarray(az, float)


@dataclass(frozen=True)
class BatchResult:
    """Events of a batch of flights (arrays of length N) and, if asked, time series."""

    summary: np.ndarray
    impact_lat_deg: np.ndarray
    impact_lon_deg: np.ndarray
    range_m: np.ndarray
    azimuth_deg: np.ndarray  # geodesic azimuth launch -> impact
    record: np.ndarray | None = None

    @property
    def flight_time_s(self):
        return self.summary[:, S.S_T_END]

    @property
    def apogee_m(self):
        return self.summary[:, S.S_H_APOGEE]

    @property
    def impacted(self):
        return self.summary[:, S.S_STATUS] == S.STATUS_IMPACT


_RESULT_FIELDS = ("summary", "impact_lat_deg", "impact_lon_deg", "range_m", "azimuth_deg",
                  "record")  # fmt: skip


def take_rows(part, rows):
    """Rows ``rows`` of a payload: an array, a BatchResult or a tuple of those."""
    if part is None:
        return None
    if isinstance(part, tuple):
        return tuple(take_rows(p, rows) for p in part)
    if isinstance(part, BatchResult):
        return BatchResult(*(take_rows(getattr(part, f), rows) for f in _RESULT_FIELDS))
    return part[rows]


def put_rows(full, rows, part, n):
    """``full`` (n rows; allocated, nan-filled, when None) with ``part`` in rows ``rows``
    (the per-row searches of ``targeting`` gather each row's last evaluation this way)."""
    if part is None:
        return full
    if isinstance(part, tuple):
        full = full or (None,) * len(part)
        return tuple(put_rows(f, rows, p, n) for f, p in zip(full, part, strict=True))
    if isinstance(part, BatchResult):
        full = full or BatchResult(*(None for _ in _RESULT_FIELDS))
        return BatchResult(
            *(put_rows(getattr(full, f), rows, getattr(part, f), n) for f in _RESULT_FIELDS)
        )
    if full is None:
        full = np.full((n, *part.shape[1:]), np.nan, dtype=np.result_type(part, np.float64))
    full[rows] = part
    return full


def _no_cuda_driver() -> bool:
    """True when this machine plainly has no NVIDIA driver (no /dev/nvidiactl, no
    /proc/driver/nvidia, no WSL /dev/dxg) and numba's CUDA simulator is off: then 'auto'
    is the CPU without importing numba.cuda (about a second of every command)."""
    if os.environ.get("NUMBA_ENABLE_CUDASIM", "0") == "1":
        return False
    marks = ("/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia", "/dev/dxg")
    return not any(os.path.exists(p) for p in marks)


def cuda_available() -> bool:
    """Whether the CUDA backend can run here (an NVIDIA GPU and numba's CUDA target)."""
    if _no_cuda_driver():
        return False
    try:
        from bmdsim.flight.backends import cuda
    except Exception:  # no numba CUDA target installed
        return False
    return cuda.available()


def resolve_backend(backend: str) -> str:
    """'auto' -> 'cuda' when a GPU is present, else 'cpu'; other names pass through."""
    if backend == "auto":
        return "cuda" if cuda_available() else "cpu"
    return backend


def fly_batch(
    vehicles,
    launches,
    launch_lat_deg,
    launch_lon_deg,
    model: FlightModel,
    *,
    backend="cpu",
    record_steps=0,
) -> BatchResult:
    """Fly launch rows with a vehicle table; impact points and ranges on the model Earth."""
    backend = resolve_backend(backend)
    if backend == "cpu":
        from bmdsim.flight.backends.cpu import fly_batch as run
    elif backend == "reference":
        from bmdsim.flight.backends.reference import fly_batch as run
    elif backend == "cuda":
        from bmdsim.flight.backends.cuda import fly_batch as run
    else:
        raise InputError(
            f"unknown backend {backend!r}; allowed: {', '.join(BACKENDS)}",
            field="backend",
            value=backend,
            allowed=list(BACKENDS),
        )
    summary, record = run(vehicles, launches, model.row(), record_steps=record_steps)
    lat, lon, _ = geographic_from_inertial(
        summary[:, S.S_R_END : S.S_R_END + 3], summary[:, S.S_T_END], model
    )
    lat1 = np.broadcast_to(np.asarray(launch_lat_deg, float), lat.shape)
    lon1 = np.broadcast_to(np.asarray(launch_lon_deg, float), lat.shape)
    rng, az = surface_distance(lat1, lon1, lat, lon, model)
    return BatchResult(summary, lat, lon, rng, az, record)
