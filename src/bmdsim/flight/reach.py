"""Reach: the azimuth-true maximum-range footprint of a missile from a launch point, with
the band that the missile's own uncertainty puts around it.

A site is ``in`` reach when it lies inside even the short ring of the band, ``out`` when
it lies beyond the long ring, and ``uncertain`` in between. The band is either flown (the
footprints of the vehicle at both ends of its calibrated quantity's band, each the
maximum-range ring of that vehicle) or declared (a range cap with its own band, on an
airframe that flies farther: the ring on each bearing is the smaller of the airframe's
maximum range and the cap). Without a band the three rings coincide and every site is
``in`` or ``out``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

VERDICTS = ("in", "uncertain", "out")
# A site nearer the launch point than this is the launch point itself: not listed.
LAUNCH_POINT_M = 1_000.0
# A site nearer than this fraction of the short ring that no trajectory reaches is inside
# the missile's minimum range ('out'), not at the footprint's edge.
MIN_RANGE_FRACTION = 0.5


def _toward(azimuth_deg, range_m, toward_deg):
    """Periodic linear interpolation of a ring's range at geodesic azimuth(s)."""
    order = np.argsort(np.asarray(azimuth_deg) % 360.0)
    az = np.asarray(azimuth_deg)[order] % 360.0
    rng = np.asarray(range_m)[order]
    return np.interp(np.asarray(toward_deg) % 360.0, az, rng, period=360.0)


@dataclass(frozen=True)
class Ring:
    """One ring of a footprint: impact points by geodesic azimuth from the launch point
    (``range_m`` the geodesic distance), in increasing azimuth."""

    azimuth_deg: np.ndarray
    range_m: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray

    def range_toward_m(self, azimuth_deg):
        """The ring's range toward geodesic azimuth(s) (periodic linear interpolation)."""
        return _toward(self.azimuth_deg, self.range_m, azimuth_deg)


@dataclass(frozen=True)
class ReachBand:
    """The short (``low``) and long (``high``) rings around a footprint and their basis.

    ``basis``: 'calibration' (footprints flown at both ends of the calibrated quantity's
    band) or 'cap' (a declared range limit ``cap_m`` = (low, value, high), applied on
    every bearing to an airframe whose own maximum range is ``uncapped_range_m`` on the
    footprint's azimuths). ``text``: one line saying what the band is, for outputs."""

    basis: str
    text: str
    low: Ring
    high: Ring
    cap_m: tuple[float, float, float] | None = None
    uncapped_range_m: np.ndarray | None = None


@dataclass(frozen=True)
class SiteReach:
    """Whether one site lies inside a footprint, how sure that is, and how long the flight
    to it takes.

    ``max_range_m`` is the central footprint's range toward the site, ``range_low_m`` /
    ``range_high_m`` the band's short and long rings there (both ``max_range_m`` without a
    band). ``in_reach``: inside the central footprint (and the aim-point solver reached
    it); ``verdict``: 'in' (inside the short ring), 'out' (beyond the long ring) or
    'uncertain' (between them)."""

    id: str
    name: str
    lat_deg: float
    lon_deg: float
    distance_m: float  # WGS 84 geodesic from the launch point
    azimuth_deg: float  # geodesic azimuth from the launch point
    max_range_m: float  # central footprint range on that azimuth
    in_reach: bool
    flight_time_s: float | None  # minimum-energy flight to the site, when in reach
    range_low_m: float | None = None
    range_high_m: float | None = None
    verdict: str | None = None

    def __post_init__(self):
        if self.range_low_m is None:
            object.__setattr__(self, "range_low_m", float(self.max_range_m))
        if self.range_high_m is None:
            object.__setattr__(self, "range_high_m", float(self.max_range_m))
        if self.verdict is None:
            object.__setattr__(
                self,
                "verdict",
                site_verdict(
                    self.distance_m,
                    self.range_low_m,
                    self.range_high_m,
                    central_in=self.in_reach,
                ),
            )
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r}; allowed: {', '.join(VERDICTS)}")

    def why(self, missile_name: str = "") -> str:
        """The verdict in words: "278 km away; Iskander-E reaches 250-280 km on this
        bearing: within the band"."""
        lo, hi = self.range_low_m / 1e3, self.range_high_m / 1e3
        reach = f"{lo:,.0f} km" if round(lo) == round(hi) else f"{lo:,.0f}-{hi:,.0f} km"
        who = missile_name or "the missile"
        head = f"{self.distance_m / 1e3:,.0f} km away; {who} reaches {reach} on this bearing"
        banded = round(lo) != round(hi)
        if self.verdict == "in":
            tail = "inside even the shortest" if banded else "inside"
        elif self.verdict == "out" and self.distance_m < MIN_RANGE_FRACTION * self.range_low_m:
            tail = "too close: inside its minimum range, where no trajectory reaches it"
        elif self.verdict == "out" and self.distance_m <= self.range_high_m:
            tail = "on the edge, where the aim-point solver could not reach it"
        elif self.verdict == "out":
            tail = "beyond even the longest" if banded else "beyond it"
        else:
            tail = "within the band"
            if not self.in_reach and self.distance_m <= self.max_range_m:
                tail += " (at the edge: the aim-point solver could not reach it)"
        return f"{head}: {tail}"


def site_verdict(distance_m, low_m, high_m, *, central_in=True) -> str:
    """'in' when ``distance_m`` is within the short ring (and the central footprint holds
    the site), 'out' beyond the long ring, 'uncertain' in between."""
    if distance_m > high_m:
        return "out"
    if distance_m <= low_m and central_in:
        return "in"
    if low_m == high_m:  # no band: the central answer decides
        return "in" if central_in else "out"
    return "uncertain"


@dataclass(frozen=True)
class Footprint:
    """Maximum-range footprint: one impact point per launch azimuth, and its band.

    ``azimuth_deg`` is the geodesic azimuth from the launch point to each impact point
    (on a rotating Earth it differs from ``launch_azimuth_deg``, the heading flown);
    ``range_m`` the geodesic distance. The ring ``impact_lat_deg``/``impact_lon_deg``
    runs in increasing azimuth (clockwise seen from above); exporters reverse it.
    ``band`` (a :class:`ReachBand`, or None) holds the short and long rings; under a
    range cap the central ring is itself capped (``flight_time_s`` is NaN where the cap
    binds: no maximum-range flight ends there).
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
    band: ReachBand | None = None
    missile_name: str = ""

    @property
    def max_range_min_m(self) -> float:
        return float(np.min(self.range_m))

    @property
    def max_range_max_m(self) -> float:
        return float(np.max(self.range_m))

    @property
    def central(self) -> Ring:
        """The central ring (the footprint itself)."""
        return Ring(self.azimuth_deg, self.range_m, self.impact_lat_deg, self.impact_lon_deg)

    def rings(self) -> list[tuple[str, Ring]]:
        """[('low', Ring), ('central', Ring), ('high', Ring)], or only the central ring
        when the footprint has no band."""
        if self.band is None:
            return [("central", self.central)]
        return [("low", self.band.low), ("central", self.central), ("high", self.band.high)]

    def max_range_toward_m(self, azimuth_deg):
        """Footprint range toward geodesic azimuth(s) from the launch point (periodic
        linear interpolation between the computed azimuths)."""
        return _toward(self.azimuth_deg, self.range_m, azimuth_deg)

    def __repr__(self) -> str:
        n_in = sum(s.verdict == "in" for s in self.sites)
        n_unc = sum(s.verdict == "uncertain" for s in self.sites)
        band = ""
        if self.band is not None:
            band = (
                f" (band {np.min(self.band.low.range_m) / 1e3:,.0f}-"
                f"{np.max(self.band.high.range_m) / 1e3:,.0f} km)"
            )
        return (
            f"<Footprint {self.missile_id} from ({self.launch_lat_deg:.3f}, "
            f"{self.launch_lon_deg:.3f}): {self.max_range_min_m / 1e3:,.0f}-"
            f"{self.max_range_max_m / 1e3:,.0f} km{band}, {n_in}/{len(self.sites)} sites "
            f"in reach, {n_unc} uncertain>"
        )

    def to_dataframe(self):
        import pandas as pd

        data = {
            "launch_azimuth_deg": self.launch_azimuth_deg,
            "azimuth_deg": self.azimuth_deg,
            "range_km": self.range_m / 1e3,
            "impact_lat_deg": self.impact_lat_deg,
            "impact_lon_deg": self.impact_lon_deg,
            "flight_time_s": self.flight_time_s,
        }
        if self.band is not None:
            data["range_low_km"] = self.band.low.range_toward_m(self.azimuth_deg) / 1e3
            data["range_high_km"] = self.band.high.range_toward_m(self.azimuth_deg) / 1e3
        return pd.DataFrame(data)


COARSE_AZIMUTHS = 8


def maximum_range_rings(
    vehicles,
    *,
    launch_lat_deg,
    launch_lon_deg,
    launch_alt_m=0.0,
    n_azimuths=360,
    model=None,
    backend="auto",
):
    """Maximum-range rings of several vehicles from one launch point, flown as one batch.

    For each vehicle and each of ``n_azimuths`` launch headings the kick that maximises
    range is found (a full kick scan on 8 headings, then golden section around the
    interpolated kick on all of them). Returns (launch azimuths [rad], kick [k, n],
    range [k, n], BatchResult of the k*n best flights, vehicle-major)."""
    from bmdsim.flight.batch import FlightModel, resolve_backend
    from bmdsim.flight.targeting import Launcher, maximum_range
    from bmdsim.flight.vehicle import pack_vehicles

    model = model or FlightModel()
    backend = resolve_backend(backend)
    k = len(vehicles)
    packed = pack_vehicles(list(vehicles))
    coarse_az = np.linspace(0.0, 2 * np.pi, COARSE_AZIMUTHS, endpoint=False)
    coarse = Launcher(
        packed,
        np.repeat(np.arange(k), COARSE_AZIMUTHS),
        launch_lat_deg,
        launch_lon_deg,
        launch_alt_m,
        model,
        backend,
    )
    k_coarse, _, _ = maximum_range(coarse, np.tile(coarse_az, k), coarse.full_burn_s())
    k_coarse = k_coarse.reshape(k, COARSE_AZIMUTHS)
    launch_az = np.linspace(0.0, 2 * np.pi, n_azimuths, endpoint=False)
    guess = np.concatenate(
        [np.interp(launch_az, coarse_az, k_coarse[j], period=2 * np.pi) for j in range(k)]
    )
    fine = Launcher(
        packed,
        np.repeat(np.arange(k), n_azimuths),
        launch_lat_deg,
        launch_lon_deg,
        launch_alt_m,
        model,
        backend,
    )
    kick, rng, res = maximum_range(
        fine,
        np.tile(launch_az, k),
        fine.full_burn_s(),
        kick_guess_rad=guess,
        bracket_rad=np.radians(2.0),
    )
    return launch_az, kick.reshape(k, n_azimuths), rng.reshape(k, n_azimuths), res


def _ring_of(res, rows) -> Ring:
    return Ring(
        azimuth_deg=res.azimuth_deg[rows] % 360.0,
        range_m=res.range_m[rows],
        lat_deg=res.impact_lat_deg[rows],
        lon_deg=res.impact_lon_deg[rows],
    )


def _capped_ring(lat0, lon0, ring: Ring, cap_m: float, model) -> Ring:
    """``ring`` with each range cut to ``cap_m``, its points moved along the geodesic
    (the great circle on the sphere model)."""
    from bmdsim.earth import geodesic

    rng = np.minimum(ring.range_m, cap_m)
    forward = geodesic.sphere_forward if model.earth == "sphere" else geodesic.forward
    lat, lon = forward(
        lat_deg=np.full(len(rng), lat0),
        lon_deg=np.full(len(rng), lon0),
        azimuth_deg=ring.azimuth_deg,
        distance_m=rng,
    )
    return Ring(ring.azimuth_deg, rng, np.asarray(lat, float), np.asarray(lon, float))


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
    band_vehicles=None,
    range_cap_m=None,
    band_text="",
) -> Footprint:
    """Maximum-range footprint of ``vehicle`` from a launch point on a turning Earth.

    ``sites``: iterable of (id, name, lat_deg, lon_deg); each gets its distance, the
    rings' ranges toward it, a verdict, and the flight time of a minimum-energy
    trajectory aimed at it when inside the central footprint. The band: either
    ``band_vehicles`` = (short, long) vehicles, whose footprints are flown in the same
    batch as the central one, or ``range_cap_m`` = (low, value, high), a declared
    limit that cuts the airframe's footprint on every bearing. ``band_text`` describes
    it for outputs.
    """
    from bmdsim.flight.batch import FlightModel, resolve_backend
    from bmdsim.flight.trajectory import check_point

    model = model or FlightModel()
    backend = resolve_backend(backend)
    check_point(launch_lat_deg, launch_lon_deg, "launch")
    if band_vehicles is not None and range_cap_m is not None:
        raise ValueError("a reach band is either flown (band_vehicles) or a cap, not both")
    flown = [vehicle, *(band_vehicles or ())]
    launch_az, kick, rng, res = maximum_range_rings(
        flown,
        launch_lat_deg=launch_lat_deg,
        launch_lon_deg=launch_lon_deg,
        launch_alt_m=launch_alt_m,
        n_azimuths=n_azimuths,
        model=model,
        backend=backend,
    )
    n = n_azimuths
    central = _ring_of(res, slice(0, n))
    flight_time = res.flight_time_s[:n].copy()
    band = None
    if band_vehicles is not None:
        band = ReachBand(
            basis="calibration",
            text=band_text,
            low=_ring_of(res, slice(n, 2 * n)),
            high=_ring_of(res, slice(2 * n, 3 * n)),
        )
    elif range_cap_m is not None:
        cap_low, cap_value, cap_high = (float(x) for x in range_cap_m)
        if not cap_low <= cap_value <= cap_high:
            raise ValueError(f"range cap needs low <= value <= high, got {range_cap_m}")
        lat0, lon0 = float(launch_lat_deg), float(launch_lon_deg)
        uncapped = central.range_m
        flight_time = np.where(uncapped > cap_value, np.nan, flight_time)
        band = ReachBand(
            basis="cap",
            text=band_text,
            low=_capped_ring(lat0, lon0, central, cap_low, model),
            high=_capped_ring(lat0, lon0, central, cap_high, model),
            cap_m=(cap_low, cap_value, cap_high),
            uncapped_range_m=uncapped,
        )
        central = _capped_ring(lat0, lon0, central, cap_value, model)
    fp = Footprint(
        missile_id=vehicle.id,
        launch_lat_deg=float(launch_lat_deg),
        launch_lon_deg=float(launch_lon_deg),
        launch_azimuth_deg=np.degrees(launch_az),
        azimuth_deg=central.azimuth_deg,
        range_m=central.range_m,
        impact_lat_deg=central.lat_deg,
        impact_lon_deg=central.lon_deg,
        flight_time_s=flight_time,
        kick_rad=kick[0],
        backend=backend,
        model=model.describe(),
        provenance=tuple(provenance),
        band=band,
        missile_name=str(getattr(vehicle, "name", "") or ""),
    )
    sites = list(sites)
    if not sites:
        return fp
    return replace(
        fp,
        sites=_site_reaches(
            fp, vehicle, sites, launch_alt_m, model, backend, flight_times=flight_times
        ),
    )


def _site_reaches(fp, vehicle, sites, launch_alt_m, model, backend, *, flight_times):
    from bmdsim.errors import UnreachableTargetError
    from bmdsim.flight.batch import surface_distance
    from bmdsim.flight.targeting import Launcher, solve_aimpoints
    from bmdsim.flight.vehicle import pack_vehicles

    lat0, lon0 = fp.launch_lat_deg, fp.launch_lon_deg
    s_lat = np.array([s[2] for s in sites], float)
    s_lon = np.array([s[3] for s in sites], float)
    dist, az = surface_distance(
        np.full(len(sites), lat0), np.full(len(sites), lon0), s_lat, s_lon, model
    )
    # the launch point itself (a site named as the origin) is no target: not listed
    keep = np.asarray(dist) >= LAUNCH_POINT_M
    if not np.all(keep):
        sites = [s for s, k in zip(sites, keep, strict=True) if k]
        s_lat, s_lon, dist, az = s_lat[keep], s_lon[keep], dist[keep], az[keep]
    if not sites:
        return ()
    central = fp.max_range_toward_m(az)
    if fp.band is None:
        low = high = central
    else:
        low = np.minimum(fp.band.low.range_toward_m(az), central)
        high = np.maximum(fp.band.high.range_toward_m(az), central)
    inside = dist <= central
    times = np.full(len(sites), np.nan)
    if flight_times and np.any(inside):
        vehicles = pack_vehicles([vehicle])
        idx = np.flatnonzero(inside)
        launcher = Launcher(vehicles, 0, lat0, lon0, launch_alt_m, model, backend)
        launcher = launcher.subset(np.zeros(len(idx), int))
        try:
            sol = solve_aimpoints(launcher, s_lat[idx], s_lon[idx], "minimum-energy")
            times[idx] = sol.result.flight_time_s
        except UnreachableTargetError:
            # On the footprint's edge the interpolated range can exceed the solved one:
            # solve one by one and mark the few that fail as out of reach.
            for j in idx:
                one = Launcher(vehicles, 0, lat0, lon0, launch_alt_m, model, backend)
                try:
                    sol = solve_aimpoints(one, s_lat[j], s_lon[j], "minimum-energy")
                    times[j] = sol.result.flight_time_s[0]
                except UnreachableTargetError:
                    inside[j] = False
    # well inside the short ring, yet no trajectory reaches it: inside the minimum range
    too_close = ~inside & (dist < MIN_RANGE_FRACTION * low)
    return tuple(
        SiteReach(
            id=str(s[0]),
            name=str(s[1]),
            lat_deg=float(s[2]),
            lon_deg=float(s[3]),
            distance_m=float(dist[j]),
            azimuth_deg=float(az[j] % 360.0),
            max_range_m=float(central[j]),
            in_reach=bool(inside[j]),
            flight_time_s=None if not math.isfinite(times[j]) else float(times[j]),
            range_low_m=float(low[j]),
            range_high_m=float(high[j]),
            verdict="out" if too_close[j] else None,
        )
        for j, s in enumerate(sites)
    )
