"""Trajectory: the result of flying one missile, and ``fly()`` that makes it.

Arrays are SI (metres, seconds) except the geodetic angles, which carry ``_deg`` in
their names because they are meant for maps and tables.
"""

from __future__ import annotations

import math
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
class LiftPhases:
    """The lift law's phases in a quasi-ballistic flight (docs/models/lifting-flight.md):
    the law starts at the first apogee past burnout (pull-up, level glide at the
    commanded altitude), the terminal dive at ``dive_time_s`` (None: no dive)."""

    lift_to_drag: float
    glide_altitude_m: float  # commanded (inf: full lift, equilibrium glide)
    dive_angle_rad: float  # commanded, below the horizontal
    apogee_cap_m: float | None  # the shape's apogee cap
    glide_start_time_s: float | None
    glide_start_alt_m: float | None
    dive_time_s: float | None
    dive_alt_m: float | None
    dive_ground_range_m: float | None  # from the launch point


@dataclass(frozen=True)
class Trajectory:
    """One flight, launch to impact, with its time series and events.

    Time series (length n, time ascending): ``t_s``, ``lat_deg``, ``lon_deg`` (geodetic,
    Earth-fixed), ``alt_m`` (above the WGS 84 ellipsoid, or the sphere when
    ``model['earth'] == 'sphere'``), ``ground_range_m`` (geodesic from the launch point),
    ``speed_m_s`` (inertial speed), ``r_eci_m`` and ``v_eci_m_s`` (n, 3).
    ``end_speed_m_s`` and ``end_flight_path_angle_rad``: speed and flight-path angle
    relative to the ground at the end (impact, or the model's end altitude ``end_alt_m``;
    the angle is negative descending). ``lift``: the phases of a quasi-ballistic flight
    (None for ballistic flight).
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
    end_alt_m: float = 0.0
    end_speed_m_s: float | None = None
    end_flight_path_angle_rad: float | None = None
    lift: LiftPhases | None = None

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
    lift=None,
):
    """Build a Trajectory from row ``row`` of a BatchResult flown with a record.
    ``lift``: for a quasi-ballistic flight, (vehicle, apogee cap m, dive time s)."""
    from bmdsim.flight import state as S
    from bmdsim.flight.batch import geographic_from_inertial, surface_distance
    from bmdsim.flight.steering import local_up

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
    r_end = s[S.S_R_END : S.S_R_END + 3]
    w = model.omega_rad_s
    v_rel = s[S.S_V_END : S.S_V_END + 3] - np.array([-w * r_end[1], w * r_end[0], 0.0])
    end_speed = float(np.linalg.norm(v_rel))
    up = np.array(local_up(*r_end, model.earth_code))
    end_angle = float(np.arcsin(np.clip(up @ v_rel / end_speed, -1, 1))) if end_speed else 0.0
    phases = None
    if lift is not None:
        phases = _lift_phases(lift, s[S.S_T_GLIDE], t, alt, ground)
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
        end_alt_m=float(model.end_alt_m),
        end_speed_m_s=end_speed,
        end_flight_path_angle_rad=end_angle,
        lift=phases,
    )


def _lift_phases(lift, t_glide, t, alt, ground):
    """LiftPhases from (vehicle, cap, t_dive) and the recorded series (the glide start and
    the dive start are step ends, so they are recorded states)."""
    vehicle, cap, t_dive = lift

    def at(t_event):
        if not np.isfinite(t_event) or len(t) == 0 or t_event > t[-1]:
            return None, None, None
        k = int(np.argmin(np.abs(t - t_event)))
        return float(t_event), float(alt[k]), float(ground[k])

    g_t, g_alt, _ = at(t_glide)
    d_t, d_alt, d_ground = at(max(float(t_dive), float(t_glide)))
    return LiftPhases(
        lift_to_drag=vehicle.lift_to_drag,
        glide_altitude_m=vehicle.glide_altitude_m,
        dive_angle_rad=vehicle.dive_angle_rad,
        apogee_cap_m=None if cap is None else float(cap),
        glide_start_time_s=g_t,
        glide_start_alt_m=g_alt,
        dive_time_s=d_t,
        dive_alt_m=d_alt,
        dive_ground_range_m=d_ground,
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
    heading (``azimuth_deg``) with a given ``kick_deg`` (default: the maximum-range kick).
    Shapes: ``targeting.parse_shape``; ``quasi-ballistic`` needs a lifting vehicle."""
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
    lift = None
    sol = None
    if target_lat_deg is not None:
        check_point(target_lat_deg, target_lon_deg, "target")
        target = (target_lat_deg, target_lon_deg)
        shape_name, shape_apogee_m = parse_shape(shape)
        sol = solve_aimpoints(launcher, target_lat_deg, target_lon_deg, shape)
        az, kick = sol.azimuth_rad, sol.kick_rad
        miss = float(sol.miss_m[0])
        if shape_name == "apogee":
            shape_label = shape
        elif shape_name == "quasi-ballistic":
            cap = shape_apogee_m or vehicle.quasi_ballistic_apogee_m
            shape_label = f"quasi-ballistic={cap / 1e3:g}"
            lift = (vehicle, cap, float(sol.t_dive_s[0]))
        else:
            shape_label = shape_name
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
    if sol is not None:
        result = sol.fly(launcher, record_steps=RECORD_STEPS)
    else:
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
        lift=lift,
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
    lift_to_drag=0.0,
    glide_altitude_m=math.inf,
) -> Trajectory:
    """Ballistic (or gliding) flight from a given state, for checks against closed forms.

    The velocity is given relative to the ground (Earth-fixed): ``speed_m_s`` at
    ``flight_path_angle_deg`` above the local horizontal, heading ``azimuth_deg``; on a
    rotating Earth the inertial velocity adds omega x r. Drag needs the ballistic
    coefficient m/(Cd A). With ``lift_to_drag`` > 0 the body glides from its first apogee
    (at once if it starts level or descending) under the lift law of
    ``steering.lift_acceleration``: level at ``glide_altitude_m``, or with full lift (an
    equilibrium glide at that L/D) when that is infinite; the lift is sized by the drag
    of the ballistic coefficient, which it then needs even without drag. The flight ends
    at impact or at the model's ``end_alt_m``."""
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
    if (model.drag or lift_to_drag) and not ballistic_coefficient_kg_m2:
        raise InputError(
            "a coast with drag or lift needs the ballistic coefficient (kg/m^2); give one, "
            "or switch drag off",
            field="beta",
            value=ballistic_coefficient_kg_m2,
            allowed="> 0 kg/m^2, or no drag and no lift",
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
        name="gliding body" if lift_to_drag else "ballistic body",
        lift_to_drag=float(lift_to_drag),
        glide_altitude_m=float(glide_altitude_m),
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
    rows[0, S.L_T_DIVE] = np.inf
    rows[0, S.L_LIFT] = 1.0 if body.lifting else 0.0
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
        lift=(body, None, math.inf) if body.lifting else None,
    )
