"""Maps people read (issue 15, item 5): a long ground track is drawn on a frame centred
between its ends, so both ends keep north up, with launch and target labelled; many
tracks are drawn as a translucent density; coverage rings of nearly equal radius stay
distinct."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from pyproj import Geod

from bmdsim.output.maps import AzimuthalMap, map_trajectories
from bmdsim.output.site_maps import map_coverage

GEOD = Geod(ellps="WGS84")
TEYKOVO = (56.86, 40.54)
WASHINGTON = (38.9, -77.04)


def _track(a, b, n=200):
    pts = GEOD.npts(a[1], a[0], b[1], b[0], n)
    lon = np.array([a[1], *(p[0] for p in pts), b[1]])
    lat = np.array([a[0], *(p[1] for p in pts), b[0]])
    _, _, dist = GEOD.inv(a[1], a[0], b[1], b[0])
    return SimpleNamespace(
        t_s=np.arange(lon.size, dtype=float),
        lat_deg=lat,
        lon_deg=lon,
        launch_lat_deg=a[0],
        launch_lon_deg=a[1],
        impact_lat_deg=b[0],
        impact_lon_deg=b[1],
        target_lat_deg=b[0],
        target_lon_deg=b[1],
        range_m=dist,
        missile_id="icbm",
        shape="minimum-energy",
    )


def _north_is_up(m: AzimuthalMap, lat, lon) -> bool:
    """A step north from (lat, lon) goes up the page, not down (right way up)."""
    x0, y0 = m.xy(lon, lat)
    x1, y1 = m.xy(lon, min(lat + 0.5, 89.9))
    return float(y1 - y0) > 0.2 * float(np.hypot(x1 - x0, y1 - y0))


def test_long_track_keeps_both_ends_north_up_and_labelled():
    t = _track(TEYKOVO, WASHINGTON)
    fig = map_trajectories([t], labels=("teykovo", "washington-dc"))
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert "launch: teykovo" in texts and "target: washington-dc" in texts
    # the frame the map used: centred on the track's midpoint
    az, _, dist = GEOD.inv(TEYKOVO[1], TEYKOVO[0], WASHINGTON[1], WASHINGTON[0])
    lon0, lat0, _ = GEOD.fwd(TEYKOVO[1], TEYKOVO[0], az, dist / 2)
    m = AzimuthalMap(lat_deg=lat0, lon_deg=lon0, half_width_m=8e6)
    assert _north_is_up(m, *TEYKOVO) and _north_is_up(m, *WASHINGTON)
    # the launch-centred frame (the old map) turned Washington upside down
    old = AzimuthalMap(lat_deg=TEYKOVO[0], lon_deg=TEYKOVO[1], half_width_m=8e6)
    assert not _north_is_up(old, *WASHINGTON)


def test_many_tracks_are_one_translucent_colour():
    tracks = [_track((55 + k % 3, 40 + k), WASHINGTON, 50) for k in range(12)]
    fig = map_trajectories(tracks)
    from bmdsim.output.maps import DENSITY_TRACK

    lines = [
        ln
        for ln in fig.axes[0].lines
        if ln.get_color() == DENSITY_TRACK and len(ln.get_xdata()) > 10
    ]
    assert len(lines) == 12
    assert len({ln.get_color() for ln in lines}) == 1
    assert all((ln.get_alpha() or 1.0) < 1.0 for ln in lines)
    assert not any(x.get_text().startswith("launch:") for x in fig.axes[0].texts)


def test_coverage_rings_of_equal_radius_stay_distinct():
    rings = []
    for k, radius in enumerate((285e3, 278e3, 271e3)):
        lon, lat, _ = GEOD.fwd(
            np.full(90, 26.0), np.full(90, 53.1), np.linspace(0, 360, 90), np.full(90, radius)
        )
        rings.append((f"ring {k}", lat, lon))
    fig = map_coverage(53.1, 26.0, rings)
    from matplotlib.patches import PathPatch

    patches = [  # the rings (zorder 4-6), not the countries beneath
        p for p in fig.axes[0].patches if isinstance(p, PathPatch) and p.get_zorder() >= 4
    ]
    outlines = [p for p in patches if not p.get_fill()]
    assert len(outlines) == 3
    styles = {(p.get_linestyle(), round(p.get_linewidth(), 2)) for p in outlines}
    assert len(styles) == 3  # each ring its own dash and width, not one muddy fill
    assert sum(p.get_fill() for p in patches) <= 1
