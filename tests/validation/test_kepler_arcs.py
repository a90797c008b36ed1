"""``bmdsim kepler``'s arcs (``flight.kepler.minimum_energy_arc``, ``maximum_range_arc``)
and the end-altitude event of ``coast`` against closed forms.

Independent references: Lambert's theorem for the minimum-energy transfer between two
points at the same radius (the ellipse of least semi-major axis a_m = (r1 + r2 + c) / 4,
Lagrange's time equation; Bate, Mueller & White 5.2-5.3, Vallado 7.6); conservation of
energy and angular momentum for the state at a given altitude; and the integrator
(vacuum, non-rotating sphere), which stops at the burnout altitude on the way down.
"""

from __future__ import annotations

import math

import pytest

from bmdsim.earth.constants import GM_EARTH_M3_S2 as MU
from bmdsim.earth.constants import SPHERE_RADIUS_M as R
from bmdsim.errors import InputError
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.kepler import maximum_range_arc, minimum_energy_arc
from bmdsim.flight.trajectory import coast

CASES = [(300e3, 0.0), (480e3, 20e3), (2_000e3, 100e3), (10_000e3, 200e3), (19_000e3, 0.0)]


@pytest.mark.parametrize(("range_m", "alt_m"), CASES)
def test_minimum_energy_arc_is_lamberts_minimum_energy_transfer(range_m, alt_m):
    """Lambert: between two points at radius r, range angle psi, chord c = 2 r sin(psi/2)
    and semi-perimeter s = (2 r + c) / 2, the least-energy ellipse has a_m = s / 2,
    v^2 = mu (2/r - 1/a_m), and (Lagrange) t_m = sqrt(a_m^3/mu) (pi - beta + sin beta)
    with sin(beta/2) = sqrt((s - c) / s). Its apogee: the ellipse's focus-to-chord
    geometry gives r_apogee = a (1 + e) with e from h = r v cos(gamma)."""
    arc = minimum_energy_arc(range_m, alt_m)
    r = R + alt_m
    psi = range_m / R
    c = 2 * r * math.sin(psi / 2)
    s = (2 * r + c) / 2
    a_m = s / 2
    assert arc.semi_major_axis_m == pytest.approx(a_m, rel=1e-12)
    assert arc.speed_m_s == pytest.approx(math.sqrt(MU * (2 / r - 1 / a_m)), rel=1e-12)
    beta = 2 * math.asin(math.sqrt((s - c) / s))
    t_m = math.sqrt(a_m**3 / MU) * (math.pi - beta + math.sin(beta))
    assert arc.flight_time_s == pytest.approx(t_m, rel=1e-9)
    h = r * arc.speed_m_s * math.cos(arc.flight_path_angle_rad)
    e = math.sqrt(1 - h * h / (MU * a_m))
    assert arc.eccentricity == pytest.approx(e, rel=1e-9, abs=1e-12)
    assert arc.apogee_alt_m == pytest.approx(a_m * (1 + e) - R, rel=1e-9)
    assert arc.range_m == pytest.approx(range_m, rel=1e-12)
    assert arc.kind == "minimum-energy"


@pytest.mark.parametrize(("range_m", "alt_m"), CASES[:4])
def test_maximum_range_arc_inverts_the_minimum_energy_arc(range_m, alt_m):
    """BMW 6.2: the minimum-energy path for a range is the maximum-range path of its
    speed, so the two arcs coincide."""
    me = minimum_energy_arc(range_m, alt_m)
    mr = maximum_range_arc(me.speed_m_s, alt_m)
    assert mr.kind == "maximum-range"
    assert mr.range_m == pytest.approx(range_m, rel=1e-9)
    assert mr.flight_path_angle_rad == pytest.approx(me.flight_path_angle_rad, rel=1e-9)
    assert mr.flight_time_s == pytest.approx(me.flight_time_s, rel=1e-9)


VACUUM_SPHERE = dict(earth="sphere", rotation=False, drag=False)


@pytest.mark.parametrize(("range_m", "alt_m"), CASES[1:4])
def test_integrator_flies_the_arc_back_to_the_burnout_altitude(range_m, alt_m):
    """Coast from the arc's burnout state at alt_m, stopping descending through alt_m
    (``end_alt_m``, located like impact): the range, time and apogee of the arc, and
    the arc's speed and angle (mirrored) at the end. Tolerances as the impact's
    (tests/validation/test_closed_forms.py): 0.1 m, 1 ms."""
    arc = minimum_energy_arc(range_m, alt_m)
    t = coast(
        lat_deg=10.0,
        lon_deg=-40.0,
        alt_m=alt_m,
        speed_m_s=arc.speed_m_s,
        flight_path_angle_deg=math.degrees(arc.flight_path_angle_rad),
        azimuth_deg=75.0,
        model=FlightModel(**VACUUM_SPHERE, end_alt_m=alt_m),
    )
    assert t.range_m == pytest.approx(arc.range_m, abs=0.1)
    assert t.flight_time_s == pytest.approx(arc.flight_time_s, abs=1e-3)
    assert t.apogee_alt_m == pytest.approx(arc.apogee_alt_m, abs=0.1)
    assert t.alt_m[-1] == pytest.approx(alt_m, abs=0.01)
    assert t.end_speed_m_s == pytest.approx(arc.speed_m_s, abs=1e-3)
    assert t.end_flight_path_angle_rad == pytest.approx(-arc.flight_path_angle_rad, abs=1e-7)


@pytest.mark.parametrize("end_alt_m", [20e3, 100e3, 400e3])
def test_end_altitude_state_matches_energy_and_angular_momentum(end_alt_m):
    """From the ground at v0, gamma0 (vacuum, non-rotating sphere), the state where the
    flight descends through H: v_H^2 = v0^2 - 2 mu (1/R - 1/(R+H)) (energy) and
    cos(gamma_H) = R v0 cos(gamma0) / ((R+H) v_H) (angular momentum)."""
    v0, g0 = 4000.0, math.radians(50.0)
    t = coast(
        lat_deg=-20.0,
        lon_deg=120.0,
        alt_m=0.0,
        speed_m_s=v0,
        flight_path_angle_deg=math.degrees(g0),
        azimuth_deg=300.0,
        model=FlightModel(**VACUUM_SPHERE, end_alt_m=end_alt_m),
    )
    rh = R + end_alt_m
    vh = math.sqrt(v0 * v0 - 2 * MU * (1 / R - 1 / rh))
    gh = math.acos(R * v0 * math.cos(g0) / (rh * vh))
    assert t.end_speed_m_s == pytest.approx(vh, abs=1e-3)
    assert t.end_flight_path_angle_rad == pytest.approx(-gh, abs=1e-7)
    assert t.alt_m[-1] == pytest.approx(end_alt_m, abs=0.01)
    full = coast(
        lat_deg=-20.0,
        lon_deg=120.0,
        alt_m=0.0,
        speed_m_s=v0,
        flight_path_angle_deg=math.degrees(g0),
        azimuth_deg=300.0,
        model=FlightModel(**VACUUM_SPHERE),
    )
    assert t.range_m < full.range_m and t.flight_time_s < full.flight_time_s


def test_a_flight_that_never_rises_to_the_end_altitude_ends_at_the_ground():
    t = coast(
        lat_deg=0.0,
        lon_deg=0.0,
        alt_m=0.0,
        speed_m_s=1000.0,
        flight_path_angle_deg=45.0,
        azimuth_deg=90.0,
        model=FlightModel(**VACUUM_SPHERE, end_alt_m=100e3),
    )
    assert t.alt_m[-1] == pytest.approx(0.0, abs=0.01)
    assert t.apogee_alt_m < 100e3


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: minimum_energy_arc(0.0), "range"),
        (lambda: minimum_energy_arc(25_000e3), "range"),
        (lambda: minimum_energy_arc(500e3, -1.0), "alt"),
        (lambda: maximum_range_arc(8_000.0), "speed"),
        (lambda: maximum_range_arc(-1.0), "speed"),
    ],
)
def test_arcs_refuse_inputs_outside_their_domain(call, field):
    with pytest.raises(InputError) as err:
        call()
    assert err.value.field == field
