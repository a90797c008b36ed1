"""Invariants that hold for any input (hypothesis): energy in a vacuum coast, mirror
symmetry of range without Earth rotation, a footprint around its launch point."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Proj
from shapely.geometry import Point, Polygon

from bmdsim.flight.batch import FlightModel
from bmdsim.flight.reach import reach_vehicle
from bmdsim.flight.targeting import Launcher
from bmdsim.flight.trajectory import coast
from bmdsim.flight.vehicle import pack_vehicles
from fixture_vehicles import ICBM, SRBM, TEYKOVO

MU = 3.986004418e14  # m^3/s^2, WGS 84
VACUUM_SPHERE = FlightModel(earth="sphere", rotation=False, drag=False)
FEW = settings(max_examples=20, deadline=None,
               suppress_health_check=[HealthCheck.too_slow])

latitudes = st.floats(-85.0, 85.0)
longitudes = st.floats(-180.0, 180.0)
azimuths = st.floats(0.0, 360.0, exclude_max=True)


@FEW
@given(lat=latitudes, lon=longitudes, az=azimuths, speed=st.floats(1000.0, 7600.0),
       gamma=st.floats(5.0, 85.0))
def test_specific_energy_is_conserved_in_vacuum_coast(lat, lon, az, speed, gamma):
    # Two-body motion conserves v^2/2 - mu/r (vis-viva). RK4 is not symplectic: with the
    # default steps (8 s below 100 km, 20 s above) the drift measured on a grid was
    # <= 5e-9 of |energy| up to 5 km/s but 1.0e-8 (6.3 km/s) to 2.1e-8 (7.6 km/s) for
    # steep shots, whose fast, tightly curved start and end dominate. Tolerance 5e-8.
    tr = coast(lat_deg=lat, lon_deg=lon, alt_m=0.0, speed_m_s=speed, flight_path_angle_deg=gamma,
               azimuth_deg=az, model=VACUUM_SPHERE)
    energy = (0.5 * np.sum(tr.v_eci_m_s**2, axis=1)
              - MU / np.linalg.norm(tr.r_eci_m, axis=1))
    assert np.max(np.abs(energy - energy[0])) <= 5e-8 * abs(energy[0])
    # and the angular momentum r x v (central force), to the same relative size
    h = np.cross(tr.r_eci_m, tr.v_eci_m_s)
    assert np.max(np.linalg.norm(h - h[0], axis=1)) <= 5e-8 * np.linalg.norm(h[0])


@FEW
@given(lat=latitudes, lon=longitudes, az=st.floats(0.5, 179.5), kick=st.floats(0.05, 0.25))
def test_range_is_mirror_symmetric_about_the_meridian_without_rotation(lat, lon, az, kick):
    # Without Earth rotation, gravity (point mass + J2), the ellipsoid and the atmosphere
    # are all symmetric about the launch meridian's plane: headings az and 360 - az give
    # mirror-image flights. Full SRBM flight with drag on WGS 84; tolerance 1 m
    # (round-off only; measured < 1e-6 m).
    model = FlightModel(earth="wgs84", rotation=False, drag=True)
    launcher = Launcher(pack_vehicles([SRBM]), 0, np.full(2, lat), lon, 0.0, model)
    res = launcher.fly(np.radians([az, 360.0 - az]), np.full(2, kick))
    assert np.all(res.impacted)
    assert abs(res.range_m[0] - res.range_m[1]) < 1.0
    assert abs(res.flight_time_s[0] - res.flight_time_s[1]) < 1e-6
    assert abs(res.azimuth_deg[0] % 360.0 - (360.0 - res.azimuth_deg[1] % 360.0)) < 1e-6


@FEW
@given(lat1=latitudes, lat2=latitudes, lon=longitudes, az1=azimuths, az2=azimuths)
def test_range_is_isotropic_on_the_still_sphere(lat1, lat2, lon, az1, az2):
    # On the spherical, non-rotating Earth every launch point and heading is equivalent.
    # Tolerance 1 m (measured < 1e-6 m).
    model = FlightModel(earth="sphere", rotation=False, drag=True)
    launcher = Launcher(pack_vehicles([SRBM]), 0, np.array([lat1, lat2]), lon, 0.0, model)
    res = launcher.fly(np.radians([az1, az2]), np.full(2, 0.11))
    assert abs(res.range_m[0] - res.range_m[1]) < 1.0


def _encloses_launch_point(fp):
    """Ring of impact points, on an azimuthal-equidistant map centred on the launch point,
    contains that centre (the projection keeps polar and antimeridian rings simple)."""
    aeqd = Proj(proj="aeqd", lat_0=fp.launch_lat_deg, lon_0=fp.launch_lon_deg, ellps="WGS84")
    x, y = aeqd(fp.impact_lon_deg, fp.impact_lat_deg)
    ring = Polygon(np.column_stack([x, y]))
    return ring.is_valid and ring.contains(Point(0.0, 0.0))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lat=st.floats(-80.0, 80.0), lon=longitudes)
def test_srbm_footprint_contains_its_launch_point(lat, lon):
    fp = reach_vehicle(SRBM, launch_lat_deg=lat, launch_lon_deg=lon, n_azimuths=36)
    assert np.all(fp.range_m > 0.0)
    assert _encloses_launch_point(fp)


@pytest.mark.slow
def test_icbm_footprint_from_teykovo_contains_launch_point_and_pole():
    # ~8,000-10,000 km from 56.86 N: the footprint encloses the North Pole and crosses the
    # antimeridian. In lon/lat the ring must be split by `antimeridian` (and wound
    # counter-clockwise: the footprint's ring runs clockwise, so it is reversed first),
    # or the polygon turns into its complement.
    import antimeridian

    fp = reach_vehicle(ICBM, launch_lat_deg=TEYKOVO[0], launch_lon_deg=TEYKOVO[1], n_azimuths=36)
    assert np.all(fp.range_m > 5_000e3)
    assert _encloses_launch_point(fp)
    ring = Polygon(np.column_stack([fp.impact_lon_deg, fp.impact_lat_deg])[::-1])
    shape = antimeridian.fix_polygon(ring)
    launch = Point(TEYKOVO[1], TEYKOVO[0])
    assert shape.contains(launch)
    assert shape.intersects(Point(0.0, 90.0)) or shape.bounds[3] == pytest.approx(90.0)
    assert math.isclose(shape.bounds[0], -180.0) and math.isclose(shape.bounds[2], 180.0)
