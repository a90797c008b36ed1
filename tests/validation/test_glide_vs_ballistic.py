"""A boost-glide vehicle against a ballistic flight of the same booster to the same range.

Tracy & Wright (Science & Global Security 28, 2020) model a glide vehicle as a point
mass of constant lift-to-drag ratio and compare it with ballistic re-entry vehicles on
the same booster: glide vehicles do not reach a given range sooner than ballistic
missiles flown on depressed trajectories, and their drag losses cost range. The
catalogue's generic HGV (the Minuteman III model's booster and payload mass, L/D 2.6)
and its Avangard-class entry (a Yars-class stand-in booster) are flown here both ways,
from the same point to the same targets: the glide is the ``quasi-ballistic`` shape
(full burn under a 100 km apogee cap, pull-up, level glide at the commanded altitude,
terminal dive; flight/quasi_ballistic.py), the ballistic flight the ``depressed`` shape
of the same vehicle (full burn, the lower kick that lands there; ballistic shapes never
use lift). docs/models/glide.md records the numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

import bmdsim
from bmdsim.earth import geodesic
from bmdsim.errors import UnreachableTargetError

ORIGIN = (50.0, 40.0)  # a launch point in European Russia
AZIMUTH_DEG = 300.0  # toward the north-west, across Europe and the Atlantic


def target(km: float) -> tuple[float, float]:
    lat, lon = geodesic.forward(
        lat_deg=ORIGIN[0], lon_deg=ORIGIN[1], azimuth_deg=AZIMUTH_DEG, distance_m=km * 1e3
    )
    return float(np.ravel(lat)[0]), float(np.ravel(lon)[0])


def both(missile: str, km: float):
    kw = dict(origin=f"{ORIGIN[0]},{ORIGIN[1]}", target=target(km), backend="cpu")
    glide = bmdsim.fly(missile, shape="quasi-ballistic", **kw)
    ballistic = bmdsim.fly(missile, shape="depressed", **kw)
    return glide, ballistic


@pytest.mark.parametrize(
    ("missile", "km"),
    [
        ("hgv-generic", 5_000),
        ("hgv-generic", 6_000),
        ("hgv-generic", 7_000),
        ("hgv-generic", 8_000),
        ("avangard-class", 6_000),
        ("avangard-class", 8_000),
    ],
)
def test_a_glide_does_not_arrive_sooner_than_the_depressed_ballistic_flight(missile, km):
    glide, ballistic = both(missile, km)
    # both land where they were sent
    assert glide.miss_m < 100.0 and ballistic.miss_m < 100.0
    # the glide glided: lift from the apogee at the cap, level at the commanded
    # altitude, and a dive well after the glide began
    lift = glide.lift
    assert lift is not None and ballistic.lift is None
    assert glide.apogee_alt_m <= lift.apogee_cap_m + 200.0
    assert lift.dive_time_s - lift.glide_start_time_s > 300.0
    assert lift.dive_alt_m < 0.5 * lift.apogee_cap_m
    # Tracy & Wright 2020: not sooner than the depressed ballistic trajectory
    assert glide.flight_time_s >= ballistic.flight_time_s, (
        glide.flight_time_s,
        ballistic.flight_time_s,
    )


def test_the_glide_penalty_grows_with_range():
    """The longer the glide, the more of the booster's energy drag takes: the glide's
    lag behind the depressed ballistic flight grows with range."""
    lags = []
    for km in (5_000, 6_500, 8_000):
        glide, ballistic = both("hgv-generic", km)
        lags.append(glide.flight_time_s - ballistic.flight_time_s)
    assert lags == sorted(lags) and lags[-1] > 120.0


def test_at_shorter_range_the_glide_is_no_faster_to_within_five_per_cent():
    """At 4,000 km the glide is short (the dive begins soon after the pull-up) and the
    depressed ballistic arc of this booster peaks above the glide's 100 km cap: the two
    arrive within 5 % of each other, no meaningful advantage either way."""
    glide, ballistic = both("hgv-generic", 4_000)
    assert glide.flight_time_s == pytest.approx(ballistic.flight_time_s, rel=0.05)


@pytest.mark.parametrize("missile", ["hgv-generic", "avangard-class"])
def test_drag_losses_cost_the_glide_range(missile):
    """Tracy & Wright: a glide vehicle's range falls short of the ballistic range of the
    same booster and payload. Just beyond the glide's reach on this bearing, the
    ballistic flight still lands."""
    far = {"hgv-generic": 8_500, "avangard-class": 9_500}[missile]
    kw = dict(origin=f"{ORIGIN[0]},{ORIGIN[1]}", target=target(far), backend="cpu")
    with pytest.raises(UnreachableTargetError, match="quasi-ballistic range"):
        bmdsim.fly(missile, shape="quasi-ballistic", **kw)
    assert bmdsim.fly(missile, shape="depressed", **kw).miss_m < 100.0
