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


COARSE_AZIMUTHS = 8


def reach_vehicle(
    vehicle,
    *,
    launch_lat_deg,
    launch_lon_deg,
    launch_alt_m=0.0,
    sites=(),
    n_azimuths=360,
    model=None,
    backend="auto",
    flight_times=True,
    provenance=(),
) -> Footprint:
    """Maximum-range footprint of ``vehicle`` from a launch point on a turning Earth.

    For each of ``n_azimuths`` launch headings the kick that maximises range is found
    (a full kick scan on 8 headings, then golden section around the interpolated kick on
    all of them). ``sites``: iterable of (id, name, lat_deg, lon_deg); each is in reach
    when its geodesic distance is at most the footprint's range toward it, and gets the
    flight time of a minimum-energy trajectory aimed at it.
    """
    from bmdsim.errors import UnreachableTargetError
    from bmdsim.flight.batch import FlightModel, resolve_backend, surface_distance
    from bmdsim.flight.targeting import Launcher, maximum_range, solve_aimpoints
    from bmdsim.flight.trajectory import check_point
    from bmdsim.flight.vehicle import pack_vehicles

    model = model or FlightModel()
    backend = resolve_backend(backend)
    check_point(launch_lat_deg, launch_lon_deg, "launch")
    vehicles = pack_vehicles([vehicle])
    coarse_az = np.linspace(0.0, 2 * np.pi, COARSE_AZIMUTHS, endpoint=False)
    coarse = Launcher(
        vehicles,
        0,
        np.full(COARSE_AZIMUTHS, launch_lat_deg),
        launch_lon_deg,
        launch_alt_m,
        model,
        backend,
    )
    t_full = coarse.full_burn_s()
    k_coarse, _, _ = maximum_range(coarse, coarse_az, t_full)
    launch_az = np.linspace(0.0, 2 * np.pi, n_azimuths, endpoint=False)
    k_guess = np.interp(launch_az, coarse_az, k_coarse, period=2 * np.pi)
    fine = Launcher(
        vehicles,
        0,
        np.full(n_azimuths, launch_lat_deg),
        launch_lon_deg,
        launch_alt_m,
        model,
        backend,
    )
    kick, rng, res = maximum_range(
        fine, launch_az, fine.full_burn_s(), kick_guess_rad=k_guess, bracket_rad=np.radians(2.0)
    )
    fp = Footprint(
        missile_id=vehicle.id,
        launch_lat_deg=float(launch_lat_deg),
        launch_lon_deg=float(launch_lon_deg),
        launch_azimuth_deg=np.degrees(launch_az),
        azimuth_deg=res.azimuth_deg % 360.0,
        range_m=rng,
        impact_lat_deg=res.impact_lat_deg,
        impact_lon_deg=res.impact_lon_deg,
        flight_time_s=res.flight_time_s,
        kick_rad=kick,
        backend=backend,
        model=model.describe(),
        provenance=tuple(provenance),
    )
    sites = list(sites)
    if not sites:
        return fp
    s_lat = np.array([s[2] for s in sites], float)
    s_lon = np.array([s[3] for s in sites], float)
    dist, az = surface_distance(
        np.full(len(sites), launch_lat_deg),
        np.full(len(sites), launch_lon_deg),
        s_lat,
        s_lon,
        model,
    )
    max_toward = fp.max_range_toward_m(az)
    inside = dist <= max_toward
    times = np.full(len(sites), np.nan)
    if flight_times and np.any(inside):
        idx = np.flatnonzero(inside)
        launcher = Launcher(
            vehicles,
            0,
            np.full(len(idx), launch_lat_deg),
            launch_lon_deg,
            launch_alt_m,
            model,
            backend,
        )
        try:
            sol = solve_aimpoints(launcher, s_lat[idx], s_lon[idx], "minimum-energy")
            times[idx] = sol.result.flight_time_s
        except UnreachableTargetError:
            # On the footprint's edge the interpolated range can exceed the solved one:
            # solve one by one and mark the few that fail as out of reach.
            for j in idx:
                one = Launcher(
                    vehicles, 0, launch_lat_deg, launch_lon_deg, launch_alt_m, model, backend
                )
                try:
                    sol = solve_aimpoints(one, s_lat[j], s_lon[j], "minimum-energy")
                    times[j] = sol.result.flight_time_s[0]
                except UnreachableTargetError:
                    inside[j] = False
    reached = tuple(
        SiteReach(
            id=str(s[0]),
            name=str(s[1]),
            lat_deg=float(s[2]),
            lon_deg=float(s[3]),
            distance_m=float(dist[j]),
            azimuth_deg=float(az[j] % 360.0),
            max_range_m=float(max_toward[j]),
            in_reach=bool(inside[j]),
            flight_time_s=None if not np.isfinite(times[j]) else float(times[j]),
        )
        for j, s in enumerate(sites)
    )
    from dataclasses import replace

    return replace(fp, sites=reached)
