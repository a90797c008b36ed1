"""Aim-point solutions (targeting.py): each trajectory shape lands on its target, the
shapes order as Bate, Mueller & White ch. 6 says, and bad requests fail clearly."""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.earth.geodesic import forward
from bmdsim.errors import BmdsimError, InputError, UnreachableTargetError
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.targeting import (
    Launcher,
    aim_rows,
    fly_to_aimpoints,
    maximum_range,
    parse_shape,
    solve_aimpoints,
)
from bmdsim.flight.vehicle import pack_vehicles
from fixture_vehicles import ICBM, SRBM, TEYKOVO

MODEL = FlightModel()  # rotating WGS 84 with J2 and drag
MISS_M = 100.0  # accept a solution within 100 m (the solver aims for 50 m)


def _launcher(vehicle, n=1):
    return Launcher(pack_vehicles([vehicle]), 0, np.full(n, TEYKOVO[0]), TEYKOVO[1], 0.0, MODEL)


def _target(distance_m, azimuth_deg=250.0):
    lat, lon = forward(lat_deg=TEYKOVO[0], lon_deg=TEYKOVO[1], azimuth_deg=azimuth_deg,
                       distance_m=distance_m)
    return float(lat), float(lon)


def _burnout_speed(result):
    return np.linalg.norm(result.summary[:, S.S_V_BURNOUT:S.S_V_BURNOUT + 3], axis=1)


@pytest.fixture(scope="module")
def srbm_solutions():
    """The test SRBM (maximum range ~290 km) aimed 250 km west-south-west, every shape."""
    lat, lon = _target(250e3)
    return {shape: solve_aimpoints(_launcher(SRBM), lat, lon, shape)
            for shape in ("minimum-energy", "lofted", "depressed", "apogee=100")}


@pytest.mark.parametrize("shape", ["minimum-energy", "lofted", "depressed", "apogee=100"])
def test_every_shape_lands_on_target(srbm_solutions, shape):
    # Measured misses: 1-34 m (depressed the largest).
    sol = srbm_solutions[shape]
    assert sol.result.impacted[0]
    assert sol.miss_m[0] < MISS_M
    assert sol.distance_m[0] == pytest.approx(250e3, abs=1.0)


def test_apogee_shape_reaches_asked_apogee(srbm_solutions):
    # the apogee solver stops within 100 m of the asked height (targeting._solve_apogee)
    assert srbm_solutions["apogee=100"].result.apogee_m[0] == pytest.approx(100e3, abs=150.0)


def test_lofted_above_minimum_energy_above_depressed(srbm_solutions):
    # BMW 6.2: of the two full-burn paths to one target, the high one (small kick) has
    # the higher apogee; minimum energy lies between. Measured 118 / 74 / 49 km.
    h = {k: v.result.apogee_m[0] for k, v in srbm_solutions.items()}
    assert h["lofted"] > h["apogee=100"] > h["minimum-energy"] > h["depressed"]
    t = {k: v.result.flight_time_s[0] for k, v in srbm_solutions.items()}
    assert t["lofted"] > t["minimum-energy"] > t["depressed"]


def test_minimum_energy_needs_the_least_burnout_speed(srbm_solutions):
    # Minimum energy: the least burnout energy that reaches the target (BMW 6.2-20).
    # Measured inertial burnout speeds: 1,277 (min-energy, thrust cut at 63.1 s) against
    # 1,327 (depressed), 1,350 (apogee=100), 1,423 m/s (lofted).
    v = {k: _burnout_speed(s.result)[0] for k, s in srbm_solutions.items()}
    assert v["minimum-energy"] < min(v["lofted"], v["depressed"], v["apogee=100"])
    me = srbm_solutions["minimum-energy"]
    assert me.t_cutoff_s[0] < SRBM.burn_time_s


def test_minimum_energy_is_the_maximum_range_path_of_its_energy(srbm_solutions):
    # BMW 6.2: the minimum-energy trajectory is the maximum-range one for its burnout
    # energy. Same heading and cut-off, other kicks: every one falls short.
    me = srbm_solutions["minimum-energy"]
    launcher = _launcher(SRBM, 4)
    kicks = me.kick_rad[0] + np.array([-0.03, -0.01, 0.01, 0.03])
    res = launcher.fly(np.full(4, me.azimuth_rad[0]), kicks, np.full(4, me.t_cutoff_s[0]))
    assert np.all(res.range_m < me.result.range_m[0])


@pytest.mark.slow
def test_icbm_minimum_energy_lands_on_target():
    lat, lon = _target(6_000e3, azimuth_deg=30.0)
    sol = solve_aimpoints(_launcher(ICBM), lat, lon, "minimum-energy")
    assert sol.miss_m[0] < MISS_M
    assert sol.t_cutoff_s[0] < ICBM.burn_time_s


def test_target_beyond_range_names_the_maximum():
    lat, lon = _target(400e3)  # the SRBM reaches ~290 km
    with pytest.raises(UnreachableTargetError) as err:
        solve_aimpoints(_launcher(SRBM), lat, lon, "lofted")
    assert "maximum range" in str(err.value)
    _, r_star, _ = maximum_range(_launcher(SRBM), np.radians([250.0]), SRBM.burn_time_s)
    # the same search as inside solve_aimpoints, so the same number to 0.1 km
    assert f"beyond the maximum range of {r_star[0] / 1e3:,.1f} km" in str(err.value)
    assert err.value.allowed == f"<= {r_star[0] / 1e3:,.1f} km"
    assert err.value.field == "target"
    assert isinstance(err.value, BmdsimError)


@pytest.mark.parametrize("shape", ["sideways", "apogee=", "apogee=-5", "apogee=abc", ""])
def test_bad_shape_raises_input_error(shape):
    lat, lon = _target(200e3)
    with pytest.raises(InputError) as err:
        solve_aimpoints(_launcher(SRBM), lat, lon, shape)
    assert err.value.field == "shape"


@pytest.mark.parametrize("text, expected", [
    ("minimum-energy", ("minimum-energy", None)), ("min-energy", ("minimum-energy", None)),
    ("Lofted", ("lofted", None)), ("depressed", ("depressed", None)),
    ("apogee=300", ("apogee", 300e3)), ("apogee=250km", ("apogee", 250e3)),
])
def test_parse_shape_spellings(text, expected):
    assert parse_shape(text) == expected


def test_a_row_is_aimed_alike_alone_and_in_any_batch():
    """Each row stops at its own convergence and fails alone (targeting module doc): so
    a launch aimed among others, of other shapes, gets bit for bit the answer it gets
    alone, and a target out of reach fails that row only, naming its maximum range."""
    distances = [250e3, 180e3, 400e3, 120e3, 220e3]  # 400 km: beyond the SRBM's ~290 km
    azimuths = [250.0, 200.0, 250.0, 300.0, 20.0]
    shapes = ["minimum-energy", "lofted", "minimum-energy", "minimum-energy", "apogee=90"]
    targets = np.array([_target(d, a) for d, a in zip(distances, azimuths, strict=True)])
    together, errors = aim_rows(_launcher(SRBM, 5), targets[:, 0], targets[:, 1], shapes)
    assert list(errors) == [2] and "beyond the maximum range" in str(errors[2])
    assert np.isnan(together.kick_rad[2]) and np.isinf(together.miss_m[2])
    for i in (0, 1, 3, 4):
        alone = solve_aimpoints(_launcher(SRBM), targets[i, 0], targets[i, 1], shapes[i])
        for field in ("azimuth_rad", "kick_rad", "t_cutoff_s", "miss_m"):
            assert getattr(together, field)[i] == getattr(alone, field)[0], (i, field)
        assert np.array_equal(together.result.summary[i], alone.result.summary[0])
        assert together.miss_m[i] < MISS_M
    # in a batch of two others, row 0 again gets the same answer
    pair, _ = aim_rows(_launcher(SRBM, 2), targets[[3, 0], 0], targets[[3, 0], 1],
                       "minimum-energy")  # fmt: skip
    assert pair.kick_rad[1] == together.kick_rad[0]
    assert pair.t_cutoff_s[1] == together.t_cutoff_s[0]


def test_fly_to_aimpoints_flies_what_it_aimed_and_leaves_out_the_rest():
    targets = np.array([_target(d) for d in (150e3, 500e3, 260e3)])  # 500 km: out of reach
    batches, reached = fly_to_aimpoints(
        _launcher(SRBM, 3), targets[:, 0], targets[:, 1], record_steps=50, batch_size=1
    )
    assert reached.tolist() == [True, False, True]
    assert [b.rows.tolist() for b in batches] == [[0], [2]]
    for b in batches:
        # the flight flown with a record is the aimed flight itself
        events = slice(0, S.S_N_STEPS)  # the step count reads the record's length when kept
        assert np.array_equal(b.result.summary[:, events], b.solution.result.summary[:, events])


@pytest.mark.slow
def test_launches_aimed_in_chunks_of_any_size_get_the_same_answers():
    """A sweep aims its launches a chunk at a time, and the chunk size is a performance
    setting (larger on a GPU): twelve launches of two vehicles from two points, every
    shape, distances across the SRBM's reach (one out of it), aimed in chunks of 1, 5
    and 12 give bit for bit the same heading, kick, cut-off, miss and flight, and the same
    rows fail."""
    rng = np.random.default_rng(11)
    n = 12
    vehicles = pack_vehicles([SRBM, ICBM])
    index = np.array([0] * 9 + [1] * 3)
    lat = np.where(np.arange(n) % 2 == 0, TEYKOVO[0], TEYKOVO[0] + 0.7)
    distances = np.r_[rng.uniform(120e3, 270e3, 8), 420e3, rng.uniform(2_000e3, 6_000e3, 3)]
    distances[2] = 60e3  # short for the SRBM: lofted or minimum energy must reach down
    azimuths = rng.uniform(0.0, 360.0, n)
    shapes = np.array(["minimum-energy", "lofted", "depressed", "apogee=90"] * 3, dtype=object)
    shapes[9:] = ["minimum-energy", "lofted", "minimum-energy"]
    targets = np.array([
        forward(lat_deg=la, lon_deg=TEYKOVO[1], azimuth_deg=az, distance_m=d)
        for la, az, d in zip(lat, azimuths, distances, strict=True)
    ], dtype=float)  # fmt: skip

    def aimed(chunk):
        fields, errors = [], {}
        for a in range(0, n, chunk):
            rows = np.arange(a, min(a + chunk, n))
            launcher = Launcher(vehicles, index[rows], lat[rows], TEYKOVO[1], 0.0, MODEL)
            sol, errs = aim_rows(launcher, targets[rows, 0], targets[rows, 1], shapes[rows])
            fields.append(np.column_stack([sol.azimuth_rad, sol.kick_rad, sol.t_cutoff_s,
                                           sol.miss_m]))  # fmt: skip
            summary = np.full((len(rows), S.S_SIZE), np.nan)
            if sol.result is not None:
                summary = sol.result.summary
            fields.append(summary)
            errors.update({int(rows[i]): type(e).__name__ for i, e in errs.items()})
        return [np.concatenate(fields[0::2]), np.concatenate(fields[1::2])], errors

    (whole, whole_summary), whole_errors = aimed(n)
    assert 8 in whole_errors  # 420 km is beyond the SRBM's ~290 km
    assert np.isfinite(whole[[0, 1, 3, 9, 10, 11], 1]).all()
    for chunk in (1, 5):
        (got, got_summary), errors = aimed(chunk)
        assert errors == whole_errors, chunk
        assert np.array_equal(got, whole, equal_nan=True), chunk
        ok = np.isfinite(whole[:, 1])
        assert np.array_equal(got_summary[ok], whole_summary[ok]), chunk
