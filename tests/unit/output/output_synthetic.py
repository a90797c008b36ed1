"""Synthetic results for the output tests: the solver is not needed to test exporters.

Footprint rings are made with pyproj.Geod.fwd (WGS 84) at a fixed range around a launch
point; trajectories are a great-circle ground track with a parabola-like altitude.
"""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from bmdsim.flight.reach import Footprint, ReachBand, Ring, SiteReach
from bmdsim.flight.trajectory import Burnout, Trajectory

GEOD = Geod(ellps="WGS84")

MINSK = (53.9006, 27.5590)
TEYKOVO = (56.8585, 40.5403)

# (id, name, lat, lon): Vilnius is 172 km from Minsk, the others farther than 300 km
NATO_SITES = [
    ("vilnius", "Vilnius", 54.6872, 25.2797),
    ("warsaw", "Warsaw", 52.2297, 21.0122),
    ("riga", "Riga", 56.9496, 24.1052),
    ("rzeszow", "Rzeszów-Jasionka", 50.1100, 22.0190),
    ("berlin", "Berlin", 52.5200, 13.4050),
    ("washington", "Washington DC", 38.9072, -77.0369),
    ("anchorage", "Anchorage", 61.2181, -149.9003),
]


def make_sites(lat0, lon0, fp_range_m, sites=NATO_SITES, speed_m_s=2000.0):
    out = []
    for sid, name, lat, lon in sites:
        az, _, dist = GEOD.inv(lon0, lat0, lon, lat)
        inside = dist <= fp_range_m
        out.append(
            SiteReach(
                id=sid,
                name=name,
                lat_deg=lat,
                lon_deg=lon,
                distance_m=float(dist),
                azimuth_deg=float(az % 360.0),
                max_range_m=float(fp_range_m),
                in_reach=bool(inside),
                flight_time_s=float(dist / speed_m_s) if inside else None,
            )
        )
    return tuple(out)


def make_footprint(
    lat0, lon0, range_m, *, n=180, missile_id="test-missile", sites=NATO_SITES, wobble=0.05
):
    """A footprint ring of about ``range_m`` (varying by ±wobble with azimuth, as Earth
    rotation makes a real one), one impact point per azimuth, increasing azimuth."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    rng = range_m * (1.0 + wobble * np.sin(np.radians(az)))
    lon, lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, rng)
    return Footprint(
        missile_id=missile_id,
        launch_lat_deg=lat0,
        launch_lon_deg=lon0,
        launch_azimuth_deg=az.copy(),
        azimuth_deg=az,
        range_m=rng,
        impact_lat_deg=np.asarray(lat),
        impact_lon_deg=np.asarray(lon),
        flight_time_s=120.0 + rng / 2000.0,
        kick_rad=np.full(n, 0.1),
        sites=make_sites(lat0, lon0, range_m, sites) if sites else (),
    )


def make_trajectory(
    lat0,
    lon0,
    azimuth_deg,
    range_m,
    *,
    apogee_m=None,
    flight_time_s=None,
    n=301,
    missile_id="test-missile",
    shape="minimum-energy",
    target=None,
):
    """A trajectory along a geodesic with a parabola-like altitude profile."""
    apogee_m = apogee_m if apogee_m is not None else 0.27 * range_m
    flight_time_s = flight_time_s if flight_time_s is not None else 60.0 + range_m / 2500.0
    t = np.linspace(0.0, flight_time_s, n)
    s = t / flight_time_s
    ground = range_m * s**1.2  # slow at first, like a rising missile
    alt = 4.0 * apogee_m * s * (1.0 - s)
    lon, lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), np.full(n, azimuth_deg), ground)
    lon = (np.asarray(lon) + 180.0) % 360.0 - 180.0
    speed = 1000.0 + 2000.0 * np.abs(1.0 - 2.0 * s)
    r = np.zeros((n, 3))
    r[:, 0] = 6.4e6 + alt
    v = np.zeros((n, 3))
    v[:, 1] = speed
    i_bo = n // 10
    tgt_lat, tgt_lon = target if target is not None else (None, None)
    miss = None
    if target is not None:
        miss = float(GEOD.inv(lon[-1], lat[-1], tgt_lon, tgt_lat)[2])
    return Trajectory(
        missile_id=missile_id,
        shape=shape,
        launch_lat_deg=lat0,
        launch_lon_deg=lon0,
        t_s=t,
        lat_deg=np.asarray(lat),
        lon_deg=lon,
        alt_m=alt,
        ground_range_m=ground,
        speed_m_s=speed,
        r_eci_m=r,
        v_eci_m_s=v,
        burnout=Burnout(
            time_s=float(t[i_bo]),
            altitude_m=float(alt[i_bo]),
            speed_m_s=float(speed[i_bo]),
            flight_path_angle_rad=0.6,
        ),
        apogee_alt_m=float(alt.max()),
        apogee_time_s=float(t[np.argmax(alt)]),
        flight_time_s=float(flight_time_s),
        range_m=float(range_m),
        impact_lat_deg=float(lat[-1]),
        impact_lon_deg=float(lon[-1]),
        launch_azimuth_deg=float(azimuth_deg),
        kick_rad=0.1,
        target_lat_deg=tgt_lat,
        target_lon_deg=tgt_lon,
        miss_m=miss,
    )


def _ring(lat0, lon0, range_m, n=180):
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    rng = np.full(n, float(range_m))
    lon, lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, rng)
    return Ring(az, rng, np.asarray(lat), np.asarray(lon))


def make_banded_footprint(lat0, lon0, low_m, central_m, high_m, *, sites=NATO_SITES,
                          missile_id="test-missile", basis="calibration"):
    """A footprint with a band: circles of ``low_m``, ``central_m`` and ``high_m`` around
    the launch point, and its sites with their verdicts."""
    central = _ring(lat0, lon0, central_m)
    band = ReachBand(basis=basis, text=f"a test band {low_m / 1e3:g}-{high_m / 1e3:g} km",
                     low=_ring(lat0, lon0, low_m), high=_ring(lat0, lon0, high_m))
    out = []
    for sid, name, lat, lon in sites:
        az, _, dist = GEOD.inv(lon0, lat0, lon, lat)
        inside = dist <= central_m
        out.append(
            SiteReach(
                id=sid, name=name, lat_deg=lat, lon_deg=lon, distance_m=float(dist),
                azimuth_deg=float(az % 360.0), max_range_m=float(central_m),
                in_reach=bool(inside), flight_time_s=float(dist / 2000.0) if inside else None,
                range_low_m=float(low_m), range_high_m=float(high_m),
            )
        )
    return Footprint(
        missile_id=missile_id,
        launch_lat_deg=lat0,
        launch_lon_deg=lon0,
        launch_azimuth_deg=central.azimuth_deg.copy(),
        azimuth_deg=central.azimuth_deg,
        range_m=central.range_m,
        impact_lat_deg=central.lat_deg,
        impact_lon_deg=central.lon_deg,
        flight_time_s=120.0 + central.range_m / 2000.0,
        kick_rad=np.full(central.range_m.size, 0.1),
        sites=tuple(out),
        band=band,
        missile_name="Test Missile (synthetic)",
    )
