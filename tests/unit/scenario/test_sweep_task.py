"""The sampled engagement task against the deterministic engagement rule.

The per-sample kernel (``defence.sampled``) applies the engagement rule (``defence.rules``)
to precomputed tables and thresholds; these tests hold it to ``bmdsim.analyses.engage.engage``
on real engagements: at the central values every row must reproduce the window that
``engage`` computes (same tables), and at sampled burnout speeds the ladder interpolation
must agree with a flyout table built at exactly that speed."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import bmdsim
from bmdsim.analyses.engage import engage, flyout_table_for
from bmdsim.analyses.resolve import interceptor_model, vehicle_from_missile
from bmdsim.defence import engagement as E
from bmdsim.defence.radar import track_timeline
from bmdsim.defence.sampled import firm_track_times
from bmdsim.earth import geodesic
from bmdsim.errors import InputError
from bmdsim.flight.trajectory import fly_vehicle
from bmdsim.scenario import parse_scenario
from bmdsim.scenario.plan import doctrine, scenario_batteries
from bmdsim.scenario.sweep_task import EngagementSweep

RADAR_CUED = """\
name: radar-cued
threats:
  - id: iskander-kaliningrad-redzikowo
    missile: iskander-m
    from: kaliningrad
    to: redzikowo
defences:
  - site: redzikowo
    interceptors: [pac-3-mse, thaad, sm-3-iia]
sensors: [redzikowo:an-spy-1d]
cueing:
  decision_delay_s: 30
"""

ASSUMED_CUE = """\
name: assumed-cue
threats:
  - id: iskander-brest-warsaw
    missile: iskander-m
    from: brest
    to: warsaw
  - id: iskander-kaliningrad-redzikowo
    missile: iskander-m
    from: kaliningrad
    to: redzikowo
defences:
  - site: redzikowo
    interceptors: [pac-3-mse, thaad]
sensors: [redzikowo:an-spy-1d, early-warning-satellite]
cueing:
  decision_delay_s: 20
  assessment_delay_s: 15
  cue_at: 20
"""


def _scenario(text, tmp_path, extra=""):
    return parse_scenario(text + extra, base_dir=tmp_path)


def _rows(table: pa.Table, sample: int):
    df = table.to_pandas()
    return df[df["sample"] == sample].set_index(["threat", "site", "interceptor"])


def _engage_of(scn, thr):
    return engage(
        thr.missile,
        origin=thr.launch_point,
        target=thr.target,
        defences=scenario_batteries(scn),
        sensors=scn.sensors,
        doctrine=doctrine(scn.cueing),
        cue_at=scn.cueing.cue_at,
        min_speed=False,
    )


@pytest.mark.parametrize("text", [RADAR_CUED, ASSUMED_CUE], ids=["radar-cued", "assumed-cue"])
def test_central_values_reproduce_engage(text, tmp_path):
    scn = _scenario(text, tmp_path)
    task = EngagementSweep.build(scn)
    assert task.input_names == []
    table = task(0, 3, seed=1)
    assert table.num_rows == 3 * len(scn.threats) * len(scenario_batteries(scn))
    rows = _rows(table, 1)
    n_feasible = 0
    for thr in scn.threats:
        eng = _engage_of(scn, thr)
        for w in eng.windows:
            row = rows.loc[(thr.id, w.site_id, w.interceptor_id)]
            assert bool(row.feasible) == w.feasible, (thr.id, w)
            assert (row.reason if isinstance(row.reason, str) else None) == w.reason
            assert row.commit_s == pytest.approx(w.earliest_launch_s, abs=1e-9)
            if w.feasible:
                n_feasible += 1
                # the window test is on the point itself, not on the table cell's corners
                # as in FlyoutTable.time_to(window=True): the ends may move by a sample
                assert row.first_intercept_s == pytest.approx(w.first_intercept_s, abs=1.0)
                assert row.last_intercept_s == pytest.approx(w.last_intercept_s, abs=1.0)
                assert row.shots == w.shots
            else:
                assert math.isnan(row.first_intercept_s)
    assert n_feasible >= 2  # the cases hold feasible and infeasible windows


def test_firm_track_times_match_track_timeline():
    rng = np.random.default_rng(4)
    t = np.arange(300.0)
    # runs of visibility with gaps; thresholds cut them differently per sample
    geom = (rng.random((1, 300)) < 0.85) | (np.arange(300) > 150)[None]
    slant = rng.uniform(100e3, 900e3, (1, 300))
    elev = rng.uniform(-0.05, 0.5, (1, 300))
    n = 40
    det = rng.uniform(300e3, 1e6, n)
    minel = rng.uniform(-0.05, 0.1, n)
    delay = rng.uniform(0.0, 12.0, n)
    got = firm_track_times(t, np.zeros(n, np.int64), geom, slant, elev, det, minel, delay)
    for s in range(n):
        vis = geom[0] & (slant[0] <= det[s]) & (elev[0] >= minel[s])
        want = track_timeline(t, vis, delay[s]).firm_track_s
        assert (math.isnan(got[s]) and want is None) or got[s] == pytest.approx(want)


SPEED_VARIED = """\
uncertainty:
  samples: 8
  seed: 11
  vary:
    - interceptor:thaad.burnout_speed
    - cueing.decision_delay_s
  overrides:
    cueing.decision_delay_s: {low: 10, high: 120}
"""


def test_sampled_speeds_agree_with_tables_built_at_that_speed(tmp_path):
    scn = _scenario(RADAR_CUED, tmp_path, SPEED_VARIED)
    task = EngagementSweep.build(scn)
    table = task(0, 8, seed=11).to_pandas()
    thaad = table[table.interceptor == "thaad"].set_index("sample")
    values = task.draw(0, 8, 11)
    thr = scn.threats[0]
    eng = _engage_of(scn, thr)
    bat = next(b for b in eng.batteries if b.interceptor_id == "thaad")
    model = interceptor_model("thaad")
    agree = 0
    for s in range(8):
        v = float(values["interceptor:thaad.burnout_speed"][s])
        delay = float(values["cueing.decision_delay_s"][s])
        # the task's tables point at the threat's closest approach: use the same bucket
        bucket = task.threats[0].buckets[[b.interceptor_id for b in task.batteries].index("thaad")]
        flyout = flyout_table_for(
            model, round(v), bat.lat_deg, bat.lon_deg, bat.alt_m, bucket, True
        )
        exact = E.battery_window(
            eng.threat,
            E.Battery(bat.site_id, "thaad", bat.lat_deg, bat.lon_deg, bat.alt_m, flyout,
                      inventory=bat.inventory, own_sensors=bat.own_sensors),
            eng.cues,
            doctrine(scn.cueing, decision_delay_s=delay),
            min_speed=False,
        )  # fmt: skip
        row = thaad.loc[s]
        assert row["interceptor:thaad.burnout_speed"] == v
        if bool(row.feasible) == exact.feasible:
            agree += 1
        if exact.feasible and row.feasible:
            # tau interpolated between rungs <= 100 m/s apart against an exact table
            assert row.first_intercept_s == pytest.approx(exact.first_intercept_s, abs=3.0)
    assert agree >= 7  # a sample within a rung of the reach edge may differ (module doc)


def test_rows_do_not_depend_on_chunking(tmp_path):
    scn = _scenario(RADAR_CUED, tmp_path, SPEED_VARIED)
    task = EngagementSweep.build(scn)
    whole = task(0, 8, seed=11)
    parts = pa.concat_tables([task(0, 3, seed=11), task(3, 8, seed=11)])
    assert whole.equals(parts)
    other_seed = task(0, 8, seed=12).column("interceptor:thaad.burnout_speed")
    assert not whole.column("interceptor:thaad.burnout_speed").equals(other_seed)
    speeds = whole.column("interceptor:thaad.burnout_speed").to_numpy()
    assert speeds.min() >= 2500.0 and speeds.max() <= 3200.0  # the catalogue band, m/s


def test_iskander_stays_below_the_sm3_floor_at_every_speed(tmp_path):
    text = (
        RADAR_CUED
        + """\
uncertainty:
  vary: [interceptor:sm-3-iia.burnout_speed]
"""
    )
    scn = _scenario(text, tmp_path)
    task = EngagementSweep.build(scn)
    df = task(0, 60, seed=3).to_pandas()
    iia = df[df.interceptor == "sm-3-iia"]
    # the Iskander flies below the SM-3 IIA's floor at every speed
    assert set(iia.reason) == {"outside-altitude-window"}


def test_unsupported_vary_paths_are_refused(tmp_path):
    text = (
        RADAR_CUED
        + """\
uncertainty:
  vary: [interceptor:thaad.burn_time]
"""
    )
    with pytest.raises(InputError) as info:
        EngagementSweep.build(_scenario(text, tmp_path))
    assert "burn_time" in str(info.value) and "interceptor:thaad.burnout_speed" in str(
        info.value.allowed
    )
    text = (
        RADAR_CUED
        + """\
uncertainty:
  vary: [missile:iskander-m.published_range]
"""
    )
    with pytest.raises(InputError, match="published figure"):
        EngagementSweep.build(_scenario(text, tmp_path))


MISSILE_VARIED = """\
name: missile-varied
threats:
  - id: iskander-area-warsaw
    missile: iskander-m
    from: {area: {center: brest, radius_km: 40}}
    to: warsaw
defences:
  - site: redzikowo
    interceptors: [thaad]
sensors: [redzikowo:an-spy-1d]
cueing:
  cue_at: burnout
uncertainty:
  vary:
    - missile:iskander-m.stages[0].isp_vac
    - missile:iskander-m.payload.mass
"""


def test_threats_with_uncertain_inputs_are_flown_per_sample(tmp_path):
    scn = _scenario(MISSILE_VARIED, tmp_path)
    task = EngagementSweep.build(scn)
    assert task.threats[0].varied
    df = task(0, 6, seed=5).to_pandas()
    assert len(df) == 6
    assert df.threat_flight_time_s.notna().all()
    assert df.threat_flight_time_s.nunique() == 6  # each sample its own trajectory
    values = task.draw(0, 6, 5)
    isp = values["missile:iskander-m.stages[0].isp_vac"]
    assert np.array_equal(df["missile:iskander-m.stages[0].isp_vac"].to_numpy(), isp)
    lat, lon = df.threat_launch_lat_deg.to_numpy(), df.threat_launch_lon_deg.to_numpy()
    brest = bmdsim.catalogue().site("brest")
    dist = geodesic.inverse(
        lat1_deg=brest.lat_deg, lon1_deg=brest.lon_deg, lat2_deg=lat, lon2_deg=lon
    )[0]
    assert np.all(dist <= 40e3 + 1.0) and np.ptp(dist) > 1e3
    # an independent flight of sample 0: the catalogue vehicle with the sampled values
    vehicle = vehicle_from_missile(bmdsim.catalogue().missile("iskander-m"))
    vehicle = replace(
        vehicle,
        payload_mass_kg=float(values["missile:iskander-m.payload.mass"][0]),
        stages=(replace(vehicle.stages[0], isp_vac_s=float(isp[0])), *vehicle.stages[1:]),
    )
    warsaw = bmdsim.catalogue().site("warsaw")
    traj = fly_vehicle(
        vehicle,
        launch_lat_deg=lat[0],
        launch_lon_deg=lon[0],
        launch_alt_m=brest.elevation_m or 0.0,
        target_lat_deg=warsaw.lat_deg,
        target_lon_deg=warsaw.lon_deg,
    )
    assert df.threat_flight_time_s[0] == pytest.approx(traj.flight_time_s, abs=0.5)
    assert df.threat_apogee_m[0] == pytest.approx(traj.apogee_alt_m, abs=50.0)


def test_flown_per_sample_threats_use_the_scenario_backend(tmp_path, monkeypatch):
    """`backend: cuda` in a scenario reaches every batch the sweep flies and every
    per-sample kernel it runs (the GPU path of issues 5 and 11). CI has no GPU: the
    batches and kernels are recorded, then run on the CPU, and the rows must equal those
    of `backend: cpu`."""
    import bmdsim.defence.sampled as sampled
    import bmdsim.flight.targeting as targeting

    real, real_launch = targeting.fly_batch, sampled._launch
    seen, kernels = [], []

    def recording(*args, backend="cpu", **kwargs):
        seen.append(backend)
        return real(*args, backend="cpu", **kwargs)

    def recording_launch(name, backend, *args):
        kernels.append((name, backend))
        return real_launch(name, "cpu", *args)

    monkeypatch.setattr(sampled, "_launch", recording_launch)

    text = MISSILE_VARIED.replace("uncertainty:", "backend: BACKEND\nuncertainty:")
    cpu = EngagementSweep.build(_scenario(text.replace("BACKEND", "cpu"), tmp_path))
    want = cpu(0, 4, seed=2)
    monkeypatch.setattr(targeting, "fly_batch", recording)
    task = EngagementSweep.build(_scenario(text.replace("BACKEND", "cuda"), tmp_path))
    assert task.backend == "cuda"
    seen.clear()
    kernels.clear()
    got = task(0, 4, seed=2)
    assert seen and set(seen) == {"cuda"}
    assert {k for k, _ in kernels} == {"windows", "firm_track"}
    assert {b for _, b in kernels} == {"cuda"}
    assert got.equals(want)


TWO_VARIED = """\
name: two-varied
threats:
  - id: iskander-area-warsaw
    missile: iskander-m
    from: {area: {center: brest, radius_km: 40}}
    to: warsaw
  - id: iskander-kaliningrad-redzikowo
    missile: iskander-m
    from: kaliningrad
    to: redzikowo
    shape: depressed
defences:
  - site: redzikowo
    interceptors: [thaad]
sensors: [redzikowo:an-spy-1d]
cueing:
  cue_at: burnout
uncertainty:
  vary:
    - missile:iskander-m.stages[0].isp_vac
    - missile:iskander-m.payload.mass
"""


@pytest.mark.slow
def test_rows_do_not_depend_on_the_split_when_threats_are_flown_per_sample(tmp_path):
    """Issue 16's determinism case: with threats flown (and aimed) per sample, chunks of
    7, 50 and 250 samples give identical rows. Every sample of every threat of a chunk is
    aimed in one batch, and each row stops at its own convergence (flight.targeting), so
    no row depends on the others it was aimed with."""
    task = EngagementSweep.build(_scenario(TWO_VARIED, tmp_path))
    assert all(plan.varied for plan in task.threats)
    n, seed = 60, 21

    def split(chunk):
        return pa.concat_tables(
            [task(a, min(a + chunk, n), seed) for a in range(0, n, chunk)]
        ).to_pandas()

    whole = split(250)
    assert len(whole) == 2 * n and whole.threat_flight_time_s.notna().sum() > n
    for chunk in (7, 50):
        pd.testing.assert_frame_equal(split(chunk), whole, check_exact=True)


INVENTORY_VARIED = """\
name: inventory
threats:
  - id: polonez-m-east-poland-baranovichi
    missile: polonez-m
    from: "52.2,23.5"
    to: baranovichi-s-400-notional
defences:
  - site: baranovichi-s-400-notional
    interceptors: [s-400-40n6]
uncertainty:
  vary: ["site:baranovichi-s-400-notional.systems[2].count"]
"""


def test_a_varied_site_count_is_the_battery_inventory(tmp_path):
    scn = _scenario(INVENTORY_VARIED, tmp_path)
    task = EngagementSweep.build(scn)
    df = task(0, 60, seed=4).to_pandas()
    count = df["site:baranovichi-s-400-notional.systems[2].count"].to_numpy()
    assert count.min() < 0.5 < count.max()  # the catalogue band is 0 to 24
    assert df.feasible.all()  # kinematics do not depend on the count
    assert np.array_equal(df.shots.to_numpy() > 0, np.rint(count) >= 1)
    assert (df.p_kill[np.rint(count) < 1] == 0).all()


def test_run_refuses_what_it_cannot_sample_before_any_work(tmp_path):
    from bmdsim.scenario.run import run_scenario

    text = RADAR_CUED + "uncertainty:\n  samples: 10\n  vary: [radar:an-spy-1d.antenna_height]\n"
    with pytest.raises(InputError, match="geometry"):
        run_scenario(_scenario(text, tmp_path), tmp_path / "out")
    assert not (tmp_path / "out" / "summary.json").exists()


RCS_VARIED = """\
uncertainty:
  samples: 6
  seed: 5
  vary:
    - missile:iskander-m.payload.rcs
  overrides:
    missile:iskander-m.payload.rcs: {low: 1.0e-6, high: 1.0e-4}
"""


def test_sampled_threat_rcs_matches_engage_at_that_rcs(tmp_path):
    """The sweep varies the threat's own cross-section (a radar threshold: the threat is
    not flown again); every sample's commit time and feasibility are engage's at that
    RCS; a scenario's rcs_m2 overrides the catalogue's and the sampled one."""
    scn = _scenario(RADAR_CUED, tmp_path, RCS_VARIED)
    task = EngagementSweep.build(scn)
    assert task.input_names == ["missile:iskander-m.payload.rcs"]
    assert not task.threats[0].varied
    values = task.draw(0, 6, 5)["missile:iskander-m.payload.rcs"]
    assert values.min() >= 1e-6 and values.max() <= 1e-4
    table = task(0, 6, seed=5)
    commits = table.to_pandas().groupby("sample").commit_s.first()
    assert commits.nunique() > 1  # the RCS moves the radar's firm track
    thr = scn.threats[0]
    for s in range(6):
        rows = _rows(table, s)
        eng = engage(
            thr.missile,
            origin=thr.launch_point,
            target=thr.target,
            defences=scenario_batteries(scn),
            sensors=scn.sensors,
            doctrine=doctrine(scn.cueing),
            rcs_m2=float(values[s]),
            min_speed=False,
        )
        for w in eng.windows:
            row = rows.loc[(thr.id, w.site_id, w.interceptor_id)]
            assert bool(row.feasible) == w.feasible
            assert row.commit_s == pytest.approx(w.earliest_launch_s, abs=1e-9)
    text = RADAR_CUED.replace("    to: redzikowo\n", "    to: redzikowo\n    rcs_m2: 0.5\n")
    fixed = _scenario(text, tmp_path, RCS_VARIED)
    plan = EngagementSweep.build(fixed).threats[0]
    assert plan.rcs_m2 == 0.5 and plan.rcs_input is None
