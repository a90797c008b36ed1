"""``engage`` of a cruise missile against a SAM site: detection at the radar horizon,
the reaction time of the doctrine, and the SAM's flyout against a low target.

The geometry: a Kalibr flies from 52.0 N 21.0 E (east of Warsaw) at its catalogue 100 m
to the notional S-400 battery at Baranovichi, about 350 km east. Its 96L6 radar sits on
a 30 m mast (catalogue), so it sees a 100 m target at the 4/3-Earth horizon, about 64
km out; the rest follows from the catalogue: 10 s to a firm track, the 30 s decision
delay, then the 48N6DM's guided flyout to a point at 100 m.
"""

from __future__ import annotations

import numpy as np
import pytest

from bmdsim.analyses.engage import batteries_for, engage
from bmdsim.analyses.resolve import resolve_defences, resolve_sensors
from bmdsim.catalogue import default_catalogue
from bmdsim.defence import engagement as E
from bmdsim.defence.radar import radar_horizon_range_m
from bmdsim.errors import InputError

SITE = "baranovichi-s-400-notional"
ORIGIN = "52.0,21.0"


@pytest.fixture(scope="module")
def cat():
    return default_catalogue()


@pytest.fixture(scope="module")
def kalibr_vs_s400(cat):
    return engage(
        "kalibr",
        origin=ORIGIN,
        target=SITE,
        defences=[SITE],
        include_notional=True,
        backend="cpu",
        catalogue=cat,
    )


def test_the_s400_engages_the_kalibr_after_horizon_track_and_reaction(kalibr_vs_s400, cat):
    eng = kalibr_vs_s400
    cues = {c.name: c for c in eng.cues}
    # no early-warning satellite among the default sensors: only the site's radars
    assert set(cues) == {f"{SITE}:91n6", f"{SITE}:96l6"}
    mast = cues[f"{SITE}:96l6"]
    # the 96L6 first sees it at its horizon: 30 m mast, 100 m target, -0.2 deg mask
    (view,) = [v for v in resolve_sensors([f"{SITE}:96l6"], cat)[0]]
    assert view.antenna_alt_m == pytest.approx(30.0)
    k = int(np.searchsorted(eng.threat.t_s, mast.first_detection_s))
    g = E.ground_range_m(eng.threat.r_ecef_m[k], view.lat_deg, view.lon_deg)
    horizon = radar_horizon_range_m(
        30.0, float(eng.threat.alt_m[k]), min_elevation_rad=view.radar.min_elevation.si
    )
    # within one track sample (1 s at ~244 m/s) of the horizon, and 55-70 km out
    assert abs(float(g) - float(horizon)) < 400.0
    assert 55e3 < float(g) < 70e3
    assert mast.firm_track_s == pytest.approx(mast.first_detection_s + 10.0)
    for w in eng.windows:
        assert w.feasible, w
        # commit = firm track + decision delay; launch no earlier; the intercept low
        commit = mast.firm_track_s + eng.doctrine.decision_delay_s
        assert w.earliest_launch_s == pytest.approx(commit)
        assert w.first_launch_s >= w.earliest_launch_s - 1e-9
        assert w.first_intercept_s > w.first_launch_s
        assert 10.0 <= w.first_altitude_m <= 150.0
        assert w.first_ground_range_m < float(g)
        assert w.shots >= 2
    notes = " ".join(eng.notes)
    assert "64 km" in notes and "30 m above the ellipsoid" in notes
    assert "no early-warning satellite" in notes
    assert ("cruise_missile", "kalibr") in eng.entries


def test_without_the_mast_radar_the_battery_reacts_too_late(cat, kalibr_vs_s400):
    """The 91N6 on its vehicle (8 m, with its own elevation mask) sees the low flyer only
    ~10 km out: firm track plus the 30 s decision delay come after the missile arrives,
    where the 96L6 on its 30 m mast gave minutes. The reason names the reaction time;
    with a decision delay of 0 s it could still shoot."""
    kwargs = {
        "origin": ORIGIN,
        "target": SITE,
        "defences": [f"{SITE}:s-400-48n6dm"],
        "sensors": [f"{SITE}:91n6"],
        "min_speed": False,
        "backend": "cpu",
        "catalogue": cat,
    }
    eng = engage("kalibr", **kwargs)
    (late,) = eng.windows
    (mast,) = [w for w in kalibr_vs_s400.windows if w.interceptor_id == "s-400-48n6dm"]
    assert not late.feasible
    assert late.reason in ("not-tracked-in-time", "not-tracked-at-intercept")
    # committed only as the missile arrives, minutes after the mast radar's commit
    assert late.earliest_launch_s >= eng.threat.impact_time_s - 10.0
    assert late.earliest_launch_s > mast.earliest_launch_s + 150.0
    quick = engage("kalibr", doctrine=E.Doctrine(0.0, 30.0), **kwargs)
    (fast,) = quick.windows
    assert fast.feasible
    assert fast.first_ground_range_m < 12e3 < mast.first_ground_range_m


def test_without_the_guided_line_the_fan_never_reaches_a_target_at_100_m(cat, kalibr_vs_s400):
    """Why the guided flyout is there: the ballistic fan alone (10-89 deg gravity turns)
    does not reach the cruise missile anywhere 15-40 km out; the guided line does (and
    not much farther: at 100 m the air stops a 48N6DM within ~50 km)."""
    specs = resolve_defences([f"{SITE}:s-400-48n6dm"], cat, include_notional=True)
    track = kalibr_vs_s400.threat
    (fan_only,) = batteries_for(specs, track, min_speed=False)
    (guided,) = batteries_for(specs, track, min_speed=False, guided=True)
    ground, _, _ = E.site_geometry(track, fan_only.lat_deg, fan_only.lon_deg)
    near = (ground > 15e3) & (ground < 40e3)
    assert not np.any(np.isfinite(fan_only.flyout.time_to(ground[near], track.alt_m[near])))
    assert np.all(np.isfinite(guided.flyout.time_to(ground[near], track.alt_m[near])))


def test_the_threat_track_follows_the_route_on_the_earth(kalibr_vs_s400, cat):
    """The cruise flight has no Earth rotation, so its track's ECEF is the route itself:
    the last sample is the Baranovichi site (not 6 deg west of it)."""
    tr = kalibr_vs_s400.threat
    site = cat.site(SITE)
    assert tr.lat_deg[-1] == pytest.approx(site.lat_deg, abs=0.02)
    assert tr.lon_deg[-1] == pytest.approx(site.lon_deg, abs=0.02)
    assert tr.lat_deg[0] == pytest.approx(52.0, abs=1e-6)
    assert tr.lon_deg[0] == pytest.approx(21.0, abs=1e-6)


def test_an_exo_atmospheric_interceptor_cannot_engage_a_cruise_missile(cat):
    eng = engage(
        "9m728",
        origin="kaliningrad",
        target="redzikowo",
        defences=["redzikowo"],
        min_speed=True,
        backend="cpu",
        catalogue=cat,
    )
    (w,) = eng.windows
    assert not w.feasible and w.reason == "outside-altitude-window"
    assert "m), so no burnout speed helps" in w.min_burnout_speed_note


def test_a_named_satellite_never_reports_a_cruise_missile(cat):
    eng = engage(
        "kalibr",
        origin=ORIGIN,
        target=SITE,
        defences=[f"{SITE}:s-400-48n6dm"],
        sensors=[f"{SITE}:96l6", "early-warning-satellite"],
        min_speed=False,
        backend="cpu",
        catalogue=cat,
    )
    sat = [c for c in eng.cues if c.site_id == "space"]
    assert sat and sat[0].first_detection_s is None and not np.any(sat[0].visible)
    assert any("never reports a cruise missile" in n for n in eng.notes)


def test_a_waypoint_lengthens_the_route(cat, kalibr_vs_s400):
    eng = engage(
        "kalibr",
        origin=ORIGIN,
        target=SITE,
        via=["53.5,24.0"],
        defences=[f"{SITE}:s-400-48n6dm"],
        min_speed=False,
        backend="cpu",
        catalogue=cat,
    )
    assert eng.threat.impact_time_s > kalibr_vs_s400.threat.impact_time_s + 10.0
    assert eng.windows[0].feasible


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"threat": "kalibr", "shape": "lofted"}, "shape"),
        ({"threat": "kalibr", "cue_at": "burnout"}, "cue_at"),
        ({"threat": "iskander-m", "via": ["53.5,24.0"]}, "via"),
        ({"threat": "kinzhal"}, "threat"),
    ],
)
def test_inputs_a_cruise_threat_cannot_take_are_refused(cat, kwargs, field):
    args = {"origin": ORIGIN, "target": SITE, "defences": [SITE], "include_notional": True}
    args.update(kwargs)
    threat = args.pop("threat")
    with pytest.raises(InputError) as err:
        engage(threat, catalogue=cat, backend="cpu", **args)
    assert err.value.field == field


def test_the_figures_show_a_low_flyer_close_in(kalibr_vs_s400):
    """The battle space of a cruise missile is drawn where it is engaged (the first km of
    air, tens of km out), with the guided envelope; the timeline shows no boost phase."""
    from bmdsim.output.defence_plots import plot_battle_space, plot_engagement_timeline

    fig = plot_battle_space(kalibr_vs_s400)
    for ax in [a for a in fig.axes if a.get_visible()]:
        x_lo, x_hi = ax.get_xlim()
        y_lo, y_hi = ax.get_ylim()
        assert 40.0 < x_hi < 150.0 and 0.1 < y_hi <= 1.0
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert "threat burnout" not in labels
    fig = plot_engagement_timeline(kalibr_vs_s400)
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert "threat boost" not in labels and "threat flight to impact" in labels
