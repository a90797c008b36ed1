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


RECORD_STEPS = 20_000


def check_point(lat_deg, lon_deg, what: str):
    """Raise InputError unless latitude and longitude are on the globe."""
    from bmdsim.errors import InputError

    if not (np.isfinite(lat_deg) and -90.0 <= lat_deg <= 90.0):
        raise InputError(
            f"{what} latitude {lat_deg} is out of range; allowed -90 to 90 degrees",
            field=f"{what}.lat",
            value=lat_deg,
            allowed="-90..90",
        )
    if not (np.isfinite(lon_deg) and -180.0 <= lon_deg <= 180.0):
        raise InputError(
            f"{what} longitude {lon_deg} is out of range; allowed -180 to 180 degrees",
            field=f"{what}.lon",
            value=lon_deg,
            allowed="-180..180",
        )


def trajectory_from_batch(
    result,
    row: int,
    *,
    vehicle_id,
    shape,
    launch_lat_deg,
    launch_lon_deg,
    model,
    azimuth_rad,
    kick_rad,
    backend,
    target=None,
    miss_m=None,
    provenance=(),
):
    """Build a Trajectory from row ``row`` of a BatchResult flown with a record."""
    from bmdsim.flight import state as S
    from bmdsim.flight.batch import geographic_from_inertial, surface_distance

    s = result.summary[row]
    n = int(s[S.S_N_STEPS])
    rec = result.record[row, :n]
    t = rec[:, S.R_T]
    r = rec[:, S.R_X : S.R_Z + 1]
    v = rec[:, S.R_VX : S.R_VZ + 1]
    lat, lon, alt = geographic_from_inertial(r, t, model)
    ground, _ = surface_distance(
        np.full(n, launch_lat_deg), np.full(n, launch_lon_deg), lat, lon, model
    )
    rb = s[S.S_R_BURNOUT : S.S_R_BURNOUT + 3]
    vb = s[S.S_V_BURNOUT : S.S_V_BURNOUT + 3]
    _, _, alt_b = geographic_from_inertial(rb[None, :], np.array([s[S.S_T_BURNOUT]]), model)
    burnout = Burnout(
        time_s=float(s[S.S_T_BURNOUT]),
        altitude_m=float(alt_b[0]),
        speed_m_s=float(np.linalg.norm(vb)),
        flight_path_angle_rad=float(
            np.arcsin(np.dot(rb, vb) / (np.linalg.norm(rb) * np.linalg.norm(vb)))
        )
        if np.linalg.norm(vb) > 0
        else 0.0,
    )
    return Trajectory(
        missile_id=vehicle_id,
        shape=shape,
        launch_lat_deg=float(launch_lat_deg),
        launch_lon_deg=float(launch_lon_deg),
        t_s=t,
        lat_deg=lat,
        lon_deg=lon,
        alt_m=alt,
        ground_range_m=ground,
        speed_m_s=np.linalg.norm(v, axis=1),
        r_eci_m=r,
        v_eci_m_s=v,
        burnout=burnout,
        apogee_alt_m=float(s[S.S_H_APOGEE]),
        apogee_time_s=float(s[S.S_T_APOGEE]),
        flight_time_s=float(s[S.S_T_END]),
        range_m=float(result.range_m[row]),
        impact_lat_deg=float(result.impact_lat_deg[row]),
        impact_lon_deg=float(result.impact_lon_deg[row]),
        launch_azimuth_deg=float(np.degrees(azimuth_rad)) % 360.0,
        kick_rad=float(kick_rad),
        target_lat_deg=None if target is None else float(target[0]),
        target_lon_deg=None if target is None else float(target[1]),
        miss_m=None if miss_m is None else float(miss_m),
        backend=backend,
        model=model.describe(),
        provenance=tuple(provenance),
    )


def fly_vehicle(
    vehicle,
    *,
    launch_lat_deg,
    launch_lon_deg,
    launch_alt_m=0.0,
    target_lat_deg=None,
    target_lon_deg=None,
    azimuth_deg=None,
    kick_deg=None,
    shape="minimum-energy",
    model=None,
    backend="auto",
    provenance=(),
) -> Trajectory:
    """Fly one vehicle: to a target (aim-point solution for ``shape``), or on a given
    heading (``azimuth_deg``) with a given ``kick_deg`` (default: the maximum-range kick)."""
    from bmdsim.errors import InputError
    from bmdsim.flight.batch import FlightModel, resolve_backend
    from bmdsim.flight.targeting import Launcher, maximum_range, parse_shape, solve_aimpoints
    from bmdsim.flight.vehicle import pack_vehicles

    model = model or FlightModel()
    backend = resolve_backend(backend)
    check_point(launch_lat_deg, launch_lon_deg, "launch")
    launcher = Launcher(
        pack_vehicles([vehicle]), 0, launch_lat_deg, launch_lon_deg, launch_alt_m, model, backend
    )
    target = None
    miss = None
    if target_lat_deg is not None:
        check_point(target_lat_deg, target_lon_deg, "target")
        target = (target_lat_deg, target_lon_deg)
        shape_name, _ = parse_shape(shape)
        sol = solve_aimpoints(launcher, target_lat_deg, target_lon_deg, shape)
        az, kick, tc = sol.azimuth_rad, sol.kick_rad, sol.t_cutoff_s
        miss = float(sol.miss_m[0])
        shape_label = shape if shape_name == "apogee" else shape_name
    else:
        if azimuth_deg is None:
            raise InputError(
                "give a target, or a launch azimuth",
                field="target",
                allowed="target lat/lon or azimuth_deg",
            )
        az = np.radians([azimuth_deg])
        tc = np.array([np.inf])
        if kick_deg is None:
            kick, _, _ = maximum_range(launcher, az, launcher.full_burn_s())
            shape_label = "maximum-range"
        else:
            kick = np.radians([kick_deg])
            shape_label = f"kick={kick_deg:g}deg"
    result = launcher.fly(az, kick, tc, record_steps=RECORD_STEPS)
    return trajectory_from_batch(
        result,
        0,
        vehicle_id=vehicle.id,
        shape=shape_label,
        launch_lat_deg=launch_lat_deg,
        launch_lon_deg=launch_lon_deg,
        model=model,
        azimuth_rad=az[0],
        kick_rad=kick[0],
        backend=backend,
        target=target,
        miss_m=miss,
        provenance=provenance,
    )


def coast(
    *,
    lat_deg,
    lon_deg,
    alt_m,
    speed_m_s,
    flight_path_angle_deg,
    azimuth_deg,
    ballistic_coefficient_kg_m2=None,
    model=None,
    backend="auto",
) -> Trajectory:
    """Ballistic flight from a given state, for checks against closed forms.

    The velocity is given relative to the ground (Earth-fixed): ``speed_m_s`` at
    ``flight_path_angle_deg`` above the local horizontal, heading ``azimuth_deg``; on a
    rotating Earth the inertial velocity adds omega x r. Drag needs the ballistic
    coefficient m/(Cd A)."""
    from bmdsim.errors import InputError
    from bmdsim.flight import state as S
    from bmdsim.flight.batch import (
        FlightModel,
        fly_batch,
        launch_position_velocity,
        resolve_backend,
    )
    from bmdsim.flight.steering import local_up
    from bmdsim.flight.vehicle import Vehicle, pack_vehicles

    model = model or FlightModel()
    backend = resolve_backend(backend)
    check_point(lat_deg, lon_deg, "start")
    if model.drag and not ballistic_coefficient_kg_m2:
        raise InputError(
            "a coast with drag needs the ballistic coefficient (kg/m^2); give one, "
            "or switch drag off",
            field="beta",
            value=ballistic_coefficient_kg_m2,
            allowed="> 0 kg/m^2, or no drag",
        )
    if not 0.0 <= alt_m < 5.0e6:
        raise InputError(
            f"start altitude {alt_m / 1e3:g} km is out of range; allowed 0 to 5,000 km",
            field="alt",
            value=alt_m,
            allowed="0..5000 km",
        )
    if not 0.0 < speed_m_s < 11_000.0:
        raise InputError(
            f"speed {speed_m_s / 1e3:g} km/s is out of range; allowed 0 to 11 km/s (sub-escape)",
            field="speed",
            value=speed_m_s,
            allowed="0..11 km/s",
        )
    body = Vehicle(
        id="coast",
        stages=(),
        payload_mass_kg=1.0,
        payload_separates=True,
        rv_ballistic_coefficient_kg_m2=float(ballistic_coefficient_kg_m2 or 1.0),
        cd_mach=(0.0, 1.0),
        cd=(0.0, 0.0),
        vertical_rise_s=0.0,
        name="ballistic body",
    )
    r, v_rot = launch_position_velocity(np.radians(lat_deg), np.radians(lon_deg), alt_m, model)
    ux, uy, uz = local_up(*r[0], model.earth_code)
    up = np.array([ux, uy, uz])
    east = np.cross([0.0, 0.0, 1.0], up)
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    g, a = np.radians(flight_path_angle_deg), np.radians(azimuth_deg)
    v_ground = speed_m_s * (np.cos(g) * (np.cos(a) * north + np.sin(a) * east) + np.sin(g) * up)
    rows = np.zeros((1, S.L_SIZE))
    rows[0, S.L_X : S.L_Z + 1] = r[0]
    rows[0, S.L_VX : S.L_VZ + 1] = v_ground + v_rot[0]
    rows[0, S.L_T_CUTOFF] = np.inf
    result = fly_batch(
        pack_vehicles([body]),
        rows,
        [lat_deg],
        [lon_deg],
        model,
        backend=backend,
        record_steps=RECORD_STEPS,
    )
    return trajectory_from_batch(
        result,
        0,
        vehicle_id="coast",
        shape="coast",
        launch_lat_deg=lat_deg,
        launch_lon_deg=lon_deg,
        model=model,
        azimuth_rad=a,
        kick_rad=0.0,
        backend=backend,
    )
