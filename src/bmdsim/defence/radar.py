"""Ground radar: detection range against a target's cross-section, horizon, visibility, track.

Detection range: the radar range equation at fixed transmitter power, antenna gain,
wavelength, losses and required signal-to-noise ratio gives R_max^4 proportional to the
radar cross-section sigma (Skolnik, *Introduction to Radar Systems*, 3rd ed., McGraw-Hill
2001, sec. 1.2, "the simple form of the radar equation"), so R = R_ref (sigma/sigma_ref)^(1/4)
from a cited reference range R_ref against sigma_ref.

Refraction: the standard-atmosphere "4/3 Earth": rays are drawn straight over a sphere of
effective radius k R (k = 4/3), heights and surface distances unchanged (Skolnik 2001,
ch. 8, "Propagation of radar waves"; Doerry, *Earth Curvature and Atmospheric Refraction
Effects on Radar Signal Propagation*, Sandia report SAND2012-10690, 2013). R is the mean
Earth radius SPHERE_RADIUS_M (smooth sphere, no terrain, no ducting).

Angles in radians, lengths in metres, times in seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit

from bmdsim.defence.rules import firm_track_step
from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.earth.geodetic import ecef_from_geodetic, enu_basis, geodetic_from_ecef
from bmdsim.errors import InputError

STANDARD_REFRACTION_K = 4.0 / 3.0


def detection_range_m(reference_range_m, reference_rcs_m2, rcs_m2):
    """Detection range [m] against ``rcs_m2`` from a reference range against another RCS.

    R = R_ref (sigma / sigma_ref)^(1/4): the radar range equation R_max^4 =
    P_t G A_e sigma / ((4 pi)^2 S_min) (Skolnik 2001, sec. 1.2) with everything but sigma
    fixed. Same detection probability, false-alarm rate and dwell as the reference; no
    Swerling fluctuation change. Arrays broadcast.
    """
    r_ref = np.asarray(reference_range_m, dtype=np.float64)
    s_ref = np.asarray(reference_rcs_m2, dtype=np.float64)
    s = np.asarray(rcs_m2, dtype=np.float64)
    if np.any(r_ref < 0.0) or np.any(s_ref <= 0.0) or np.any(s < 0.0):
        raise InputError(
            "radar reference range and cross-sections must be positive "
            f"(got range {reference_range_m}, reference RCS {reference_rcs_m2}, RCS {rcs_m2})",
            field="rcs_m2",
            value=rcs_m2,
            allowed="reference range >= 0 m, reference RCS > 0 m^2, RCS >= 0 m^2",
        )
    out = r_ref * (s / s_ref) ** 0.25
    return out[()] if out.ndim == 0 else out


def _effective(k, earth_radius_m):
    if not np.all(np.asarray(k) > 0.0):
        raise InputError(
            f"refraction factor k must be positive (got {k}); 4/3 is the standard atmosphere, "
            "1 is no refraction",
            field="k",
            value=k,
            allowed="> 0",
        )
    return np.asarray(k, dtype=np.float64) * earth_radius_m


def radar_horizon_range_m(
    antenna_height_m,
    target_altitude_m,
    k=STANDARD_REFRACTION_K,
    *,
    min_elevation_rad=None,
    earth_radius_m=SPHERE_RADIUS_M,
):
    """Ground range [m] out to which a target at ``target_altitude_m`` is seen.

    Over a smooth sphere of effective radius R_e = k R a ray leaving the antenna (radius
    a = R_e + h_r) at elevation e reaches radius b = R_e + h_t after the central angle
    phi = acos(a cos e / b) - e; the ground range is s = R_e phi. With no elevation mask
    (``min_elevation_rad=None``) the limit is the grazing ray, e = -acos(R_e / a) (the dip
    of the horizon): s = R_e [acos(R_e/(R_e + h_r)) + acos(R_e/(R_e + h_t))], the
    line-of-sight horizon (Doerry 2013). At that range the target is at elevation -dip, not
    0, unless h_r = 0. A mask below the dip is the dip. NaN where no ray at or above the
    mask reaches the target (a target below the surface, or below the antenna's height
    with a mask >= 0). Arrays broadcast.
    """
    re = _effective(k, earth_radius_m)
    a = re + np.asarray(antenna_height_m, dtype=np.float64)
    b = re + np.asarray(target_altitude_m, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        dip = np.arccos(np.minimum(re / a, 1.0))
        e = -dip if min_elevation_rad is None else np.maximum(min_elevation_rad, -dip)
        phi = np.arccos(np.clip(a * np.cos(e) / b, -1.0, 1.0)) - e
        # A ray that starts above the target's radius and climbs never comes down to it.
        phi = np.where((b < re) | (a < re) | (a * np.cos(e) > b), np.nan, phi)
    out = re * phi
    return out[()] if out.ndim == 0 else out


def elevation_angle_rad(
    antenna_height_m,
    target_altitude_m,
    ground_range_m,
    k=STANDARD_REFRACTION_K,
    *,
    earth_radius_m=SPHERE_RADIUS_M,
):
    """Apparent elevation [rad] of a target at a ground range over the effective Earth.

    Straight ray over a sphere of radius R_e = k R: central angle phi = s / R_e,
    e = atan2((R_e + h_t) cos phi - (R_e + h_r), (R_e + h_t) sin phi). With k = 1 this is
    the geometric elevation over the sphere; k = 4/3 adds the standard-atmosphere bending.
    Says nothing about Earth blocking (see ``radar_horizon_range_m``). Arrays broadcast.
    """
    re = _effective(k, earth_radius_m)
    a = re + np.asarray(antenna_height_m, dtype=np.float64)
    b = re + np.asarray(target_altitude_m, dtype=np.float64)
    phi = np.asarray(ground_range_m, dtype=np.float64) / re
    out = np.arctan2(b * np.cos(phi) - a, b * np.sin(phi))
    return out[()] if out.ndim == 0 else out


@dataclass(frozen=True)
class Visibility:
    """What a radar sees of N target positions: ``visible`` and the four reasons behind it
    (``in_range``, ``above_mask`` (min <= elevation <= max), ``in_field`` (azimuth inside
    the field of regard), ``line_of_sight`` (not behind the effective Earth)), with the
    slant range [m], azimuth [rad, clockwise from north, 0..2pi] and apparent elevation
    [rad]. Each array has shape (N,)."""

    visible: np.ndarray
    slant_range_m: np.ndarray
    azimuth_rad: np.ndarray
    elevation_rad: np.ndarray
    in_range: np.ndarray
    above_mask: np.ndarray
    in_field: np.ndarray
    line_of_sight: np.ndarray

    def __repr__(self) -> str:
        return f"<Visibility {int(np.count_nonzero(self.visible))} of {self.visible.size} visible>"


def _wrap_pi(x):
    return (x + np.pi) % (2.0 * np.pi) - np.pi


def visibility(
    radar_lat_deg,
    radar_lon_deg,
    radar_height_m,
    target_r_ecef_m,
    *,
    max_range_m,
    min_elevation_rad,
    boresight_azimuth_rad=None,
    half_width_azimuth_rad=math.pi,
    max_elevation_rad=math.pi / 2,
    refraction_k=STANDARD_REFRACTION_K,
    earth="wgs84",
) -> Visibility:
    """Which of N target positions (ECEF [m], shape (N, 3)) a radar sees, and where.

    A target is visible when (1) its slant range |r_t - r_r| <= ``max_range_m`` (a scalar
    or (N,) array, e.g. ``detection_range_m`` of the target's RCS at each time); (2) its
    apparent elevation lies in [min, max]; (3) its azimuth is within
    ``half_width_azimuth_rad`` of ``boresight_azimuth_rad`` (None: all round); (4) the
    straight ray over the effective Earth clears the surface: ground arc s <=
    ``radar_horizon_range_m(h_r, h_t, k)``.

    Geometry: slant range, azimuth and geometric elevation from the radar's east-north-up
    basis on the WGS 84 ellipsoid (``earth='wgs84'``) or the mean sphere (``'sphere'``, as
    ``Trajectory.model['earth']``). Refraction enters the elevation as the difference of
    the two smooth-sphere elevations of ``elevation_angle_rad`` (with k and with k = 1) at
    the target's ground arc s = R x (angle between the local verticals) and heights, so
    k = 1 gives the exact geometric elevation. The sphere approximation of the ground arc
    and horizon is good to about 0.3 % (the ellipsoid's flattening). No terrain masking.
    """
    r_t = np.atleast_2d(np.asarray(target_r_ecef_m, dtype=np.float64))
    if r_t.shape[-1] != 3:
        raise InputError(
            f"target positions must have shape (N, 3), got {r_t.shape}",
            field="target_r_ecef_m",
            value=r_t.shape,
            allowed="(N, 3)",
        )
    if earth not in ("wgs84", "sphere"):
        raise InputError(
            f"unknown earth model {earth!r}; allowed: wgs84, sphere",
            field="earth",
            value=earth,
            allowed=["wgs84", "sphere"],
        )
    lat_r = math.radians(radar_lat_deg)
    lon_r = math.radians(radar_lon_deg)
    east, north, up = enu_basis(lat_r, lon_r)
    if earth == "wgs84":
        r_r = np.array(ecef_from_geodetic(lat_r, lon_r, radar_height_m))
        lat_t, lon_t, h_t = geodetic_from_ecef(r_t[:, 0], r_t[:, 1], r_t[:, 2])
        _, _, up_t = enu_basis(lat_t, lon_t)
    else:
        r_r = (SPHERE_RADIUS_M + radar_height_m) * up
        norm_t = np.linalg.norm(r_t, axis=-1)
        h_t = norm_t - SPHERE_RADIUS_M
        up_t = r_t / norm_t[:, None]

    d = r_t - r_r
    slant = np.linalg.norm(d, axis=-1)
    de, dn, du = d @ east, d @ north, d @ up
    azimuth = np.arctan2(de, dn) % (2.0 * np.pi)
    geometric_el = np.arctan2(du, np.hypot(de, dn))

    # Ground arc on the smooth sphere from the angle between the two local verticals.
    central = np.arctan2(np.linalg.norm(np.cross(up, up_t), axis=-1), up_t @ up)
    ground = SPHERE_RADIUS_M * central
    if refraction_k == 1.0:
        elevation = geometric_el
    else:
        elevation = geometric_el + (
            elevation_angle_rad(radar_height_m, h_t, ground, refraction_k)
            - elevation_angle_rad(radar_height_m, h_t, ground, 1.0)
        )
    horizon = radar_horizon_range_m(radar_height_m, h_t, refraction_k)
    line_of_sight = np.where(np.isnan(horizon), False, ground <= np.nan_to_num(horizon))

    in_range = slant <= np.asarray(max_range_m, dtype=np.float64)
    above_mask = (elevation >= min_elevation_rad) & (elevation <= max_elevation_rad)
    if boresight_azimuth_rad is None or half_width_azimuth_rad >= math.pi:
        in_field = np.ones(slant.shape, dtype=bool)
    else:
        in_field = np.abs(_wrap_pi(azimuth - boresight_azimuth_rad)) <= half_width_azimuth_rad
    visible = in_range & above_mask & in_field & line_of_sight
    return Visibility(
        visible=visible,
        slant_range_m=slant,
        azimuth_rad=azimuth,
        elevation_rad=elevation,
        in_range=in_range,
        above_mask=above_mask,
        in_field=in_field,
        line_of_sight=line_of_sight,
    )


class TrackTimeline(NamedTuple):
    """When a sensor first sees a target, holds a firm track, and last sees it [s]; None
    where it never does."""

    first_detection_s: float | None
    firm_track_s: float | None
    last_visible_s: float | None


def track_timeline(t_s, visible, track_delay_s) -> TrackTimeline:
    """(first detection, firm track, last visible) times [s] from a visibility series.

    Visibility is known at the samples ``t_s`` (ascending); a run of consecutive visible
    samples t_i..t_j counts as continuous visibility over [t_i, t_j], and one invisible
    sample breaks it. The firm track is the first t_i + ``track_delay_s`` that lies within
    its own run (t_i + delay <= t_j): the track must be held continuously for the delay,
    and a gap restarts the count (``rules.firm_track_step``). Delay 0: the firm track is
    the first detection.
    """
    t = np.asarray(t_s, dtype=np.float64)
    vis = np.asarray(visible, dtype=bool)
    if t.shape != vis.shape or t.ndim != 1:
        raise InputError(
            f"t_s and visible must be 1-D arrays of one length (got {t.shape}, {vis.shape})",
            field="visible",
            value=vis.shape,
            allowed=str(t.shape),
        )
    if track_delay_s < 0.0:
        raise InputError(
            f"track delay must be >= 0 s (got {track_delay_s})",
            field="track_delay_s",
            value=track_delay_s,
            allowed=">= 0",
        )
    idx = np.flatnonzero(vis)
    if idx.size == 0:
        return TrackTimeline(None, None, None)
    firm = _firm_track_s(t, vis, float(track_delay_s))
    return TrackTimeline(float(t[idx[0]]), None if math.isnan(firm) else firm, float(t[idx[-1]]))


@njit(cache=True)
def _firm_track_s(t, visible, delay_s):
    """The firm-track time of a visibility series (``rules.firm_track_step``); nan: never."""
    last_k, run_start = -2, 0.0
    for k in range(t.shape[0]):
        last_k, run_start, firm = firm_track_step(visible[k], k, t[k], last_k, run_start, delay_s)
        if not math.isnan(firm):
            return firm
    return math.nan


@dataclass(frozen=True)
class SensorTimeline:
    """A radar's view of one trajectory: the track times [s] and the per-sample
    ``Visibility`` at the trajectory's times ``t_s``."""

    first_detection_s: float | None
    firm_track_s: float | None
    last_visible_s: float | None
    t_s: np.ndarray
    look: Visibility

    def __repr__(self) -> str:
        def f(x):
            return "never" if x is None else f"{x:,.1f} s"

        return (
            f"<SensorTimeline detect {f(self.first_detection_s)}, "
            f"firm track {f(self.firm_track_s)}, last {f(self.last_visible_s)}>"
        )


def sensor_timeline(
    traj,
    *,
    radar_lat_deg,
    radar_lon_deg,
    radar_height_m,
    max_range_m,
    min_elevation_rad,
    track_delay_s,
    boresight_azimuth_rad=None,
    half_width_azimuth_rad=math.pi,
    max_elevation_rad=math.pi / 2,
    refraction_k=STANDARD_REFRACTION_K,
) -> SensorTimeline:
    """Detection and track times of a radar against a ``Trajectory``.

    Rotates ``traj.r_eci_m`` into ECEF by theta = omega t (``earth.frames``, ECI aligned
    with ECEF at t = 0) when ``traj.model['rotation']`` (default True), uses the
    trajectory's Earth (``traj.model['earth']``, 'wgs84' or 'sphere'), then ``visibility``
    and ``track_timeline``. ``max_range_m`` may be an array over the samples (an RCS that
    changes between boost, bus and re-entry vehicle).
    """
    from bmdsim.earth.frames import ecef_from_eci

    model = traj.model or {}
    t = np.asarray(traj.t_s, dtype=np.float64)
    r_eci = np.asarray(traj.r_eci_m, dtype=np.float64)
    r_ecef = ecef_from_eci(r_eci, t) if model.get("rotation", True) else r_eci
    look = visibility(
        radar_lat_deg,
        radar_lon_deg,
        radar_height_m,
        r_ecef,
        max_range_m=max_range_m,
        min_elevation_rad=min_elevation_rad,
        boresight_azimuth_rad=boresight_azimuth_rad,
        half_width_azimuth_rad=half_width_azimuth_rad,
        max_elevation_rad=max_elevation_rad,
        refraction_k=refraction_k,
        earth=model.get("earth", "wgs84"),
    )
    first, firm, last = track_timeline(t, look.visible, track_delay_s)
    return SensorTimeline(first, firm, last, t, look)


__all__ = [
    "STANDARD_REFRACTION_K",
    "SensorTimeline",
    "TrackTimeline",
    "Visibility",
    "detection_range_m",
    "elevation_angle_rad",
    "radar_horizon_range_m",
    "sensor_timeline",
    "track_timeline",
    "visibility",
]
