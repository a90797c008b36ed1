"""Trajectory: the result of flying one missile, and ``fly()`` that makes it.

Arrays are SI (metres, seconds) except the geodetic angles, which carry ``_deg`` in
their names because they are meant for maps and tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Burnout:
    """State at the final burnout (thrust end of the last stage)."""

    time_s: float
    altitude_m: float
    speed_m_s: float  # inertial speed
    flight_path_angle_rad: float  # of the inertial velocity above the local horizontal


@dataclass(frozen=True)
class Trajectory:
    """One flight, launch to impact, with its time series and events.

    Time series (length n, time ascending): ``t_s``, ``lat_deg``, ``lon_deg`` (geodetic,
    Earth-fixed), ``alt_m`` (above the WGS 84 ellipsoid, or the sphere when
    ``model['earth'] == 'sphere'``), ``ground_range_m`` (geodesic from the launch point),
    ``speed_m_s`` (inertial speed), ``r_eci_m`` and ``v_eci_m_s`` (n, 3).
    """

    missile_id: str
    shape: str
    launch_lat_deg: float
    launch_lon_deg: float
    t_s: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    alt_m: np.ndarray
    ground_range_m: np.ndarray
    speed_m_s: np.ndarray
    r_eci_m: np.ndarray
    v_eci_m_s: np.ndarray
    burnout: Burnout
    apogee_alt_m: float
    apogee_time_s: float
    flight_time_s: float
    range_m: float
    impact_lat_deg: float
    impact_lon_deg: float
    launch_azimuth_deg: float
    kick_rad: float
    target_lat_deg: float | None = None
    target_lon_deg: float | None = None
    miss_m: float | None = None
    backend: str = "cpu"
    model: dict = field(default_factory=dict)
    provenance: tuple = ()  # catalogue ids and overrides used

    def __repr__(self) -> str:
        return (
            f"<Trajectory {self.missile_id} {self.shape}: range {self.range_m / 1e3:,.1f} km, "
            f"apogee {self.apogee_alt_m / 1e3:,.1f} km, {self.flight_time_s:,.0f} s>"
        )

    def to_dataframe(self):
        """Time series as a pandas DataFrame (columns carry their units)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "t_s": self.t_s,
                "lat_deg": self.lat_deg,
                "lon_deg": self.lon_deg,
                "alt_km": self.alt_m / 1e3,
                "ground_range_km": self.ground_range_m / 1e3,
                "speed_kms": self.speed_m_s / 1e3,
                "x_eci_m": self.r_eci_m[:, 0],
                "y_eci_m": self.r_eci_m[:, 1],
                "z_eci_m": self.r_eci_m[:, 2],
                "vx_eci_m_s": self.v_eci_m_s[:, 0],
                "vy_eci_m_s": self.v_eci_m_s[:, 1],
                "vz_eci_m_s": self.v_eci_m_s[:, 2],
            }
        )
