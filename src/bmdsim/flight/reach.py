"""Reach: the azimuth-true maximum-range footprint of a missile from a launch point."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class SiteReach:
    """Whether one site lies inside a footprint, and how long the flight to it takes."""

    id: str
    name: str
    lat_deg: float
    lon_deg: float
    distance_m: float  # WGS 84 geodesic from the launch point
    azimuth_deg: float  # geodesic azimuth from the launch point
    max_range_m: float  # footprint range on that azimuth
    in_reach: bool
    flight_time_s: float | None  # minimum-energy flight to the site, when in reach


@dataclass(frozen=True)
class Footprint:
    """Maximum-range footprint: one impact point per launch azimuth.

    ``azimuth_deg`` is the geodesic azimuth from the launch point to each impact point
    (on a rotating Earth it differs from ``launch_azimuth_deg``, the heading flown);
    ``range_m`` the geodesic distance. The ring ``impact_lat_deg``/``impact_lon_deg``
    runs in increasing azimuth (clockwise seen from above); exporters reverse it.
    """

    missile_id: str
    launch_lat_deg: float
    launch_lon_deg: float
    launch_azimuth_deg: np.ndarray
    azimuth_deg: np.ndarray
    range_m: np.ndarray
    impact_lat_deg: np.ndarray
    impact_lon_deg: np.ndarray
    flight_time_s: np.ndarray
    kick_rad: np.ndarray
    sites: tuple[SiteReach, ...] = ()
    backend: str = "cpu"
    model: dict = field(default_factory=dict)
    provenance: tuple = ()

    @property
    def max_range_min_m(self) -> float:
        return float(np.min(self.range_m))

    @property
    def max_range_max_m(self) -> float:
        return float(np.max(self.range_m))

    def max_range_toward_m(self, azimuth_deg):
        """Footprint range toward geodesic azimuth(s) from the launch point (periodic
        linear interpolation between the computed azimuths)."""
        order = np.argsort(self.azimuth_deg)
        az = self.azimuth_deg[order] % 360.0
        rng = self.range_m[order]
        return np.interp(np.asarray(azimuth_deg) % 360.0, az, rng, period=360.0)

    def __repr__(self) -> str:
        n_in = sum(s.in_reach for s in self.sites)
        return (
            f"<Footprint {self.missile_id} from ({self.launch_lat_deg:.3f}, "
            f"{self.launch_lon_deg:.3f}): {self.max_range_min_m / 1e3:,.0f}-"
            f"{self.max_range_max_m / 1e3:,.0f} km, {n_in}/{len(self.sites)} sites in reach>"
        )

    def to_dataframe(self):
        import pandas as pd

        return pd.DataFrame(
            {
                "launch_azimuth_deg": self.launch_azimuth_deg,
                "azimuth_deg": self.azimuth_deg,
                "range_km": self.range_m / 1e3,
                "impact_lat_deg": self.impact_lat_deg,
                "impact_lon_deg": self.impact_lon_deg,
                "flight_time_s": self.flight_time_s,
            }
        )
