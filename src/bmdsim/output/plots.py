"""Figures of flights and footprints with matplotlib.

Figures are built with ``matplotlib.figure.Figure`` and drawn by the Agg canvas, never
through ``pyplot``: no global figure registry, no GUI backend, safe in threads and
servers. Each function returns the Figure and, given a path, saves it there (the format
from the suffix: .png, .svg, .pdf).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bmdsim.output.text import km_span  # noqa: F401  (re-exported: maps, older callers)

__all__ = ["plot_altitude_range", "plot_speed_time", "plot_footprint_polar"]

DPI = 150
IN_REACH = "#1a9641"
OUT_OF_REACH = "#d7191c"
UNCERTAIN = "#e08a00"  # a site between a footprint's short and long rings
BAND = "#fdae61"  # the uncertain band between them
HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]  # text readable on lines


def format_lon(lon: float) -> str:
    """A longitude for a title or an axis label: ``30°E``, ``75.5°W``, ``0°``, ``180°``."""
    lon = (lon + 180.0) % 360.0 - 180.0
    if abs(lon) < 1e-9 or abs(abs(lon) - 180.0) < 1e-9:
        return f"{abs(lon):.0f}°"
    return f"{abs(lon):g}°{'E' if lon > 0 else 'W'}"


def format_lat(lat: float) -> str:
    """A latitude for a title or an axis label: ``54.7°N``, ``33°S``, ``0°``."""
    if abs(lat) < 1e-9:
        return "0°"
    return f"{abs(lat):g}°{'N' if lat > 0 else 'S'}"


def new_figure(width_in: float = 8.0, height_in: float = 5.0) -> Figure:
    """A Figure on its own Agg canvas (no pyplot)."""
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def printable(text) -> str:
    """``text`` with control characters (an ESC in a site name) as U+FFFD."""
    return _CONTROL.sub("\ufffd", str(text))


def plain_text(fig: Figure) -> Figure:
    """Every text of ``fig`` drawn as written: no mathtext, so a name a user gave (a site
    called ``$\\frac{x$``) is shown, not parsed (and cannot break the drawing), and
    control characters as U+FFFD. The figures of ``bmdsim.output`` use no mathtext."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        raw = text.get_text()
        if _CONTROL.search(raw):
            text.set_text(printable(raw))
    return fig


def save_figure(fig: Figure, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plain_text(fig).savefig(path, dpi=DPI)
    return path


# Candidate label offsets in points (dx, dy, ha, va), tried in order.
_OFFSETS = [
    (5, 3, "left", "bottom"),
    (5, -3, "left", "top"),
    (-5, 3, "right", "bottom"),
    (-5, -3, "right", "top"),
    (0, 7, "center", "bottom"),
    (0, -7, "center", "top"),
    (12, 0, "left", "center"),
    (-12, 0, "right", "center"),
]


def place_labels(ax, xy, texts, *, fontsize=8, color="black", avoid=(), **text_kwargs):
    """Annotate points ``xy`` (data coordinates) with ``texts``, choosing for each label
    the first of a few offsets that overlaps no label placed before it nor the points
    themselves (greedy; a crowded map still overlaps, but far less). ``avoid`` adds
    more points (data coordinates) that labels should not cover. Returns the Texts."""
    fig = plain_text(ax.figure)  # user names are drawn as written, never as mathtext
    fig.draw_without_rendering()  # settle the layout so pixel positions are final
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    pts = [to_px(p) for p in list(xy) + list(avoid)]
    placed = []
    out = []
    axes_box = ax.get_window_extent(renderer)
    for (x, y), text in zip(xy, texts, strict=True):
        best = None
        for dx, dy, ha, va in _OFFSETS:
            t = ax.annotate(
                printable(text),
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=color,
                parse_math=False,
                **text_kwargs,
            )
            bb = t.get_window_extent(renderer).expanded(1.05, 1.1)
            cost = sum(bb.overlaps(b) for b in placed)
            cost += sum(bb.contains(px, py) for px, py in pts)
            cost += 0 if axes_box.contains(bb.x0, bb.y0) and axes_box.contains(bb.x1, bb.y1) else 2
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, t, bb)
            else:
                t.remove()
            if cost == 0:
                break
        placed.append(best[2])
        out.append(best[1])
    return out


def trajectory_list(trajectories) -> list:
    if hasattr(trajectories, "t_s"):
        return [trajectories]
    if isinstance(trajectories, Iterable):
        return list(trajectories)
    raise TypeError(f"expected a Trajectory or an iterable of them, got {type(trajectories)}")


def trajectory_label(traj) -> str:
    return f"{traj.missile_id} {traj.shape}: {traj.range_m / 1e3:,.0f} km"


def plot_altitude_range(trajectories, path=None, *, title=None) -> Figure:
    """Altitude (km) against ground range (km), one line per trajectory, with burnout
    (dot) and apogee (triangle) marked."""
    trajs = trajectory_list(trajectories)
    fig = new_figure()
    ax = fig.add_subplot()
    for traj in trajs:
        rng_km = np.asarray(traj.ground_range_m) / 1e3
        alt_km = np.asarray(traj.alt_m) / 1e3
        (line,) = ax.plot(rng_km, alt_km, lw=1.8, label=trajectory_label(traj))
        t = np.asarray(traj.t_s)
        for when, marker in ((traj.burnout.time_s, "o"), (traj.apogee_time_s, "^")):
            ax.plot(
                np.interp(when, t, rng_km),
                np.interp(when, t, alt_km),
                marker=marker,
                color=line.get_color(),
                ms=6,
                ls="none",
            )
    ax.plot([], [], "ko", ms=5, label="burnout")
    ax.plot([], [], "k^", ms=5, label="apogee")
    ax.set_xlabel("ground range (km)")
    ax.set_ylabel("altitude (km)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    ax.set_title(title or "Altitude against ground range")
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_speed_time(trajectories, path=None, *, title=None) -> Figure:
    """Inertial speed (km/s) against time from launch (s), burnout marked."""
    trajs = trajectory_list(trajectories)
    fig = new_figure()
    ax = fig.add_subplot()
    for traj in trajs:
        t = np.asarray(traj.t_s)
        v_kms = np.asarray(traj.speed_m_s) / 1e3
        (line,) = ax.plot(t, v_kms, lw=1.8, label=trajectory_label(traj))
        ax.plot(
            traj.burnout.time_s,
            np.interp(traj.burnout.time_s, t, v_kms),
            "o",
            color=line.get_color(),
            ms=6,
        )
    ax.plot([], [], "ko", ms=5, label="burnout")
    ax.set_xlabel("time from launch (s)")
    ax.set_ylabel("inertial speed (km/s)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    ax.set_title(title or "Speed against time")
    if path is not None:
        save_figure(fig, path)
    return fig


def site_marker(verdict) -> dict:
    """Marker style of a site by verdict ('in', 'uncertain', 'out'; True/False as 'in'/
    'out'; None: no reach data): filled green, filled amber diamond, hollow red, grey."""
    if verdict is True:
        verdict = "in"
    elif verdict is False:
        verdict = "out"
    if verdict == "in":
        return dict(marker="o", ms=7, mfc=IN_REACH, mec="white", mew=0.8)
    if verdict == "uncertain":
        return dict(marker="D", ms=7, mfc=UNCERTAIN, mec="white", mew=0.8)
    if verdict == "out":
        return dict(marker="o", ms=7, mfc="white", mec=OUT_OF_REACH, mew=1.6)
    return dict(marker="s", ms=6, mfc="#444444", mec="white", mew=0.8)


SITE_LABELS = {
    "in": "site in reach",
    "uncertain": "site in the uncertain band",
    "out": "site out of reach",
    None: "site",
}


def plot_footprint_polar(fp, path=None, *, title=None) -> Figure:
    """Maximum range (km) against geodesic azimuth (north up, clockwise), the band
    between the short and long rings shaded when the footprint has one, and the sites
    at their azimuth and distance, marked by verdict (filled green: in reach; amber
    diamond: uncertain; hollow red: out)."""
    az = np.asarray(fp.azimuth_deg, dtype=float) % 360.0
    order = np.argsort(az)
    az = np.append(az[order], az[order][0] + 360.0)
    rng_km = np.asarray(fp.range_m, dtype=float)[order] / 1e3
    rng_km = np.append(rng_km, rng_km[0])

    fig = new_figure(7.0, 7.0)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    top_km = float(rng_km.max())
    if fp.band is not None:
        lo_km = np.minimum(fp.band.low.range_toward_m(az) / 1e3, rng_km)
        hi_km = np.maximum(fp.band.high.range_toward_m(az) / 1e3, rng_km)
        top_km = max(top_km, float(hi_km.max()))
        ax.fill(np.radians(az), lo_km, color="#2c7bb6", alpha=0.12)
        ax.fill_between(
            np.radians(az), lo_km, hi_km, color=BAND, alpha=0.45, lw=0, label="uncertain band"
        )
        ax.plot(np.radians(az), lo_km, color="#2c7bb6", lw=0.9, ls="--")
        ax.plot(np.radians(az), hi_km, color="#2c7bb6", lw=0.9, ls="--")
        ax.plot(np.radians(az), rng_km, color="#2c7bb6", lw=2, label="maximum range (central)")
    else:
        ax.plot(np.radians(az), rng_km, color="#2c7bb6", lw=2, label="maximum range")
        ax.fill(np.radians(az), rng_km, color="#2c7bb6", alpha=0.12)
    # Far sites (an ICBM base seen from an Iskander launcher) would squash the footprint
    # to a dot: the radial axis stops at 1.6 x the maximum range and farther sites sit
    # on the rim, their distance in the label.
    r_lim = 1.6 * top_km
    for site in fp.sites:
        d_km = site.distance_m / 1e3
        r_lim = max(r_lim, 1.08 * d_km) if d_km < 2.0 * top_km else r_lim
    xy, names = [], []
    verdicts = []
    for site in fp.sites:
        d_km = site.distance_m / 1e3
        beyond = d_km > r_lim
        r = r_lim * 0.97 if beyond else d_km
        style = site_marker(site.verdict)
        if beyond:
            style["marker"] = "^"
        ax.plot(np.radians(site.azimuth_deg), r, ls="none", **style)
        verdicts.append(site.verdict)
        xy.append((np.radians(site.azimuth_deg), r))
        names.append(f"{site.name} ({d_km:,.0f} km)" if beyond else site.name)
    for v in ("in", "uncertain", "out"):
        if v in verdicts:
            ax.plot([], [], ls="none", label=SITE_LABELS[v], **site_marker(v))
    ax.set_rlim(0, r_lim)
    ax.set_rlabel_position(112.5)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xticks(np.radians(np.arange(0, 360, 45)))
    ax.set_xticklabels(["N", "NE", "E", "SE", "S", "SW", "W", "NW"])
    ax.grid(True, alpha=0.4)
    ax.legend(loc="lower left", bbox_to_anchor=(-0.05, -0.08), fontsize="small")
    ax.set_title(
        title
        or f"{fp.missile_id}: maximum range (km) by azimuth from "
        f"{fp.launch_lat_deg:.2f}°, {fp.launch_lon_deg:.2f}°",
        pad=14,
    )
    if xy:
        place_labels(ax, xy, names)
    if path is not None:
        save_figure(fig, path)
    return fig
