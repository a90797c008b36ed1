"""The scenario's threats flown together (``plan.fly_threats``) against each flown alone
(``plan.fly_threat``, i.e. ``bmdsim.fly``): one aim search for all must change no
trajectory, because every row of the search stops on its own (flight.targeting)."""

import numpy as np
import pytest

from bmdsim.errors import UnreachableTargetError
from bmdsim.scenario import parse_scenario
from bmdsim.scenario.plan import fly_threat, fly_threats

THREATS = """\
name: three-threats
threats:
  - id: brest-warsaw
    missile: iskander-m
    from: brest
    to: warsaw
  - id: kaliningrad-redzikowo-lofted
    missile: iskander-m
    from: kaliningrad
    to: redzikowo
    shape: lofted
  - id: kaliningrad-warsaw-apogee
    missile: iskander-m
    from: kaliningrad
    to: warsaw
    shape: apogee=60
  - id: kaliningrad-warsaw-quasi-ballistic
    missile: iskander-m
    from: kaliningrad
    to: warsaw
    shape: quasi-ballistic
"""


def test_threats_flown_together_equal_threats_flown_alone(tmp_path):
    scn = parse_scenario(THREATS, base_dir=tmp_path)
    together = fly_threats(scn.threats, backend="cpu")
    for thr, traj in zip(scn.threats, together, strict=True):
        alone = fly_threat(thr, backend="cpu")
        assert traj.shape == alone.shape and traj.missile_id == alone.missile_id
        assert np.array_equal(traj.t_s, alone.t_s)
        assert np.array_equal(traj.r_eci_m, alone.r_eci_m)
        assert (traj.lift is None) == (alone.lift is None)
        assert traj.miss_m == alone.miss_m and traj.provenance == alone.provenance
        assert (traj.target_lat_deg, traj.target_lon_deg) == (
            alone.target_lat_deg,
            alone.target_lon_deg,
        )


def test_a_threat_out_of_reach_fails_the_batch_with_its_own_reason(tmp_path):
    text = THREATS + """\
  - id: kaliningrad-lisbon
    missile: iskander-m
    from: kaliningrad
    to: "38.7,-9.1"
"""
    scn = parse_scenario(text, base_dir=tmp_path)
    with pytest.raises(UnreachableTargetError, match="beyond the maximum range"):
        fly_threats(scn.threats, backend="cpu")


def test_a_threat_beyond_its_declared_range_cap_fails_as_when_flown_alone(tmp_path):
    """Iskander-E's declared 280 km limit (``range_cap``): ``bmdsim.fly`` refuses a target
    beyond it although the airframe flies farther; aimed together, the same refusal."""
    text = THREATS + """\
  - id: iskander-e-kaliningrad-brest
    missile: iskander-e
    from: kaliningrad
    to: brest
"""
    scn = parse_scenario(text, base_dir=tmp_path)
    with pytest.raises(UnreachableTargetError, match="declared range limit") as alone:
        fly_threat(scn.threats[-1], backend="cpu")
    with pytest.raises(UnreachableTargetError, match="declared range limit") as together:
        fly_threats(scn.threats, backend="cpu")
    assert str(together.value) == str(alone.value)
