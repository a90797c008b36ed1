"""Every figure and map is made with the network blocked (no tiles, no downloads) and
without pyplot, and the shipped Natural Earth base map is valid GeoJSON."""

import json
import subprocess
import sys
from importlib import resources

import pytest
from matplotlib.figure import Figure
from output_synthetic import GEOD, MINSK, TEYKOVO, make_sites, make_trajectory
from shapely.geometry import shape

from bmdsim.output.maps import load_countries, map_footprint, map_trajectories
from bmdsim.output.plots import plot_altitude_range, plot_footprint_polar, plot_speed_time

MIN_PNG_BYTES = 20_000  # a blank 1200 px figure is ~10 kB; a drawn one several times more


def _assert_png(path):
    assert path.exists()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > MIN_PNG_BYTES


def test_plots_offline(
    no_network,
    tmp_path,
    short_trajectory,
    antimeridian_trajectory,
    minsk_footprint,
    teykovo_footprint,
):
    lofted = make_trajectory(*MINSK, 260.0, 500e3, shape="lofted", apogee_m=250e3)
    figs = {
        "alt.png": plot_altitude_range([short_trajectory, lofted], tmp_path / "alt.png"),
        "speed.png": plot_speed_time([short_trajectory, lofted], tmp_path / "speed.png"),
        "polar_minsk.png": plot_footprint_polar(minsk_footprint, tmp_path / "polar_minsk.png"),
        "polar_teykovo.png": plot_footprint_polar(
            teykovo_footprint, tmp_path / "polar_teykovo.png"
        ),
        "alt_one.png": plot_altitude_range(antimeridian_trajectory, tmp_path / "alt_one.png"),
    }
    for name, fig in figs.items():
        assert isinstance(fig, Figure)
        _assert_png(tmp_path / name)


@pytest.mark.slow
def test_maps_offline(
    no_network,
    tmp_path,
    minsk_footprint,
    teykovo_footprint,
    short_trajectory,
    antimeridian_trajectory,
):
    fig = map_footprint(minsk_footprint, tmp_path / "minsk.png")
    assert isinstance(fig, Figure)
    map_footprint(teykovo_footprint, tmp_path / "teykovo.png", title="Yars from Teykovo")
    map_trajectories([short_trajectory], tmp_path / "short.png", sites=minsk_footprint.sites)
    az = GEOD.inv(TEYKOVO[1], TEYKOVO[0], -77.0369, 38.9072)[0]
    to_dc = make_trajectory(*TEYKOVO, az, 7_800e3, missile_id="yars", target=(38.9072, -77.0369))
    map_trajectories(
        [antimeridian_trajectory, to_dc],
        tmp_path / "polar.png",
        sites=make_sites(*TEYKOVO, 10_000e3),
    )
    for name in ("minsk.png", "teykovo.png", "short.png", "polar.png"):
        _assert_png(tmp_path / name)
    # the attribution is on the map
    texts = [t.get_text() for t in fig.texts]
    assert any("Natural Earth (public domain)" in t for t in texts)


def test_output_modules_do_not_import_pyplot():
    code = (
        "import sys, bmdsim.output.maps, bmdsim.output.plots, bmdsim.output.kml;"
        "assert 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_shipped_basemap_is_small_valid_and_cut_at_antimeridian():
    ref = resources.files("bmdsim.output").joinpath("data", "naturalearth_110m_admin0.geojson")
    raw = ref.read_bytes()
    assert len(raw) < 1_000_000
    fc = json.loads(raw)
    assert len(fc["features"]) == 177
    countries = dict(load_countries())
    assert {"Russia", "Fiji", "Antarctica", "Belarus", "Poland", "Lithuania"} <= set(countries)
    for feature in fc["features"]:
        geom = shape(feature["geometry"])
        assert geom.is_valid, feature["properties"]["name"]
        for poly in getattr(geom, "geoms", [geom]):
            assert poly.exterior.is_ccw, feature["properties"]["name"]
            pts = list(poly.exterior.coords)
            # no edge jumps across the map (polygons are cut at +-180), except
            # Antarctica's closing edge along the South Pole itself
            for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:], strict=True):
                assert abs(x1 - x0) < 180.0 or y0 == y1 == -90.0, feature["properties"]
    for name in ("Russia", "Fiji"):
        minx, _, maxx, _ = countries[name].bounds
        assert minx == -180.0 and maxx == 180.0 and countries[name].geom_type == "MultiPolygon"
    assert countries["Antarctica"].bounds[1] == -90.0  # closed over the South Pole


def test_sweep_figures_mark_notional_systems_and_show_total_order():
    from bmdsim.output.sweep_plots import plot_p_feasible, plot_sensitivity

    pair = {
        "threat": "t",
        "site": "redzikowo",
        "p_feasible": 0.5,
        "ci95": [0.4, 0.6],
    }
    summary = {
        "samples": 100,
        "pairs": [
            {**pair, "interceptor": "sm-3-iia", "notional": False, "burnout_speed_varied": True},
            {**pair, "interceptor": "gbi-2-stage", "notional": True, "burnout_speed_varied": False},
        ],
        "ranking": [
            {"input": "speed", "max_sobol": 0.3, "mean_sobol": 0.2, "max_total": 0.6},
            {"input": "delay", "max_sobol": 0.2, "mean_sobol": 0.1, "max_total": 0.5},
        ],
    }
    fig = plot_p_feasible(summary)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("gbi-2-stage [notional] [speed fixed]" in x for x in labels)
    assert any(x.endswith("sm-3-iia") for x in labels)
    assert "never deployed" in fig.axes[0].get_xlabel()
    fig = plot_sensitivity(summary)
    widths = sorted(round(p.get_width(), 2) for p in fig.axes[0].patches)
    assert widths == [0.2, 0.3, 0.5, 0.6]  # first-order bars and total-order outlines
