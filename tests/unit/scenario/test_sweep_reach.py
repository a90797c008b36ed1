"""P(in reach) over a scenario's sampled missile inputs (scenario/sweep_reach.py).

Two independent references: a uniformly drawn range cap gives P = (high - d) / (high -
low) for a site at distance d inside the cap's band (a closed form); and the per-sample
range on a site's bearing, which sweep_reach gets by scaling the central footprint, must
agree with a footprint flown in full with that sample's vehicle.
"""

from __future__ import annotations

import numpy as np
import pytest

import bmdsim
from bmdsim.analyses.resolve import vehicle_from_missile, vehicle_with
from bmdsim.flight.reach import reach_vehicle
from bmdsim.scenario import parse_scenario
from bmdsim.scenario.sweep_reach import _sample_ranges, reach_probabilities
from bmdsim.scenario.sweep_task import sweep_inputs

CAP_VARIED = """\
name: cap-varied
analyses:
  reach:
    - missile: iskander-e
      from: kaliningrad
      sites: [redzikowo, warsaw, vilnius]
      n_azimuths: 36
uncertainty:
  samples: 4000
  seed: 11
  vary: [missile:iskander-e.range_cap]
"""


def _footprints(scn, cat):
    return [
        (
            f"{r.missile} from {r.origin}",
            bmdsim.reach(
                r.missile,
                origin=r.origin,
                sites=r.sites,
                n_azimuths=r.n_azimuths,
                catalogue=cat,
                flight_times=False,
            ),
        )
        for r in scn.analyses.reach
    ]


def test_a_uniform_range_cap_gives_the_closed_form_probability(tmp_path):
    scn = parse_scenario(CAP_VARIED, base_dir=tmp_path)
    cat = bmdsim.catalogue()
    inputs, missile_inputs, _ = sweep_inputs(scn, cat)
    assert missile_inputs == {}  # the cap changes no flight input
    n = scn.uncertainty.samples
    (res,) = reach_probabilities(scn, cat, _footprints(scn, cat), inputs, missile_inputs, n, 11)
    assert res["varied"] == ["missile:iskander-e.range_cap"]
    p = {s["id"]: s for s in res["sites"]}
    assert p["redzikowo"]["p_in_reach"] == 1.0 and p["vilnius"]["p_in_reach"] == 0.0
    cap = cat.missile("iskander-e").range_cap
    d = p["warsaw"]["distance_km"]
    expected = (cap.high - d) / (cap.high - cap.low)  # about 0.08
    sigma = np.sqrt(expected * (1 - expected) / n)
    assert p["warsaw"]["p_in_reach"] == pytest.approx(expected, abs=4 * sigma + 0.1 / 30)
    lo, hi = p["warsaw"]["ci95"]
    assert lo < p["warsaw"]["p_in_reach"] < hi
    assert p["warsaw"]["verdict"] == "uncertain"


def test_sampled_range_on_a_bearing_matches_a_footprint_flown_in_full():
    cat = bmdsim.catalogue()
    fp = bmdsim.reach(
        "iskander-m",
        origin="brest",
        sites=["warsaw"],
        n_azimuths=72,
        catalogue=cat,
        flight_times=False,
        band=False,
    )
    vehicle = vehicle_from_missile(cat.missile("iskander-m"), cat)
    changes = [("isp", "stages[0].isp_vac_s"), ("payload", "payload_mass_kg")]
    values = {"isp": np.array([255.0, 270.0, 282.0]), "payload": np.array([700.0, 560.0, 480.0])}
    toward = np.array([0.0, 95.0, 200.0, 290.0])
    got = _sample_ranges(fp, vehicle, changes, values, 3, "cpu", toward)
    for i in range(3):
        v = vehicle_with(vehicle, {f: values[name][i] for name, f in changes})
        full = reach_vehicle(
            v,
            launch_lat_deg=fp.launch_lat_deg,
            launch_lon_deg=fp.launch_lon_deg,
            n_azimuths=72,
            flight_times=False,
        )
        # 0.2 %: the footprint search's own resolution plus the azimuth interpolation
        np.testing.assert_allclose(got[i], full.max_range_toward_m(toward), rtol=2e-3)
