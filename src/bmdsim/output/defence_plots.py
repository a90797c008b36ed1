"""Figures of missile-defence engagements: timelines, battle spaces, flyout envelopes and
the Europe study's speeds (the coverage and defended-footprint maps are in ``maps``).

Like ``plots`` and ``maps``: ``matplotlib.figure.Figure`` on an Agg canvas, never
``pyplot``; no network. Each function returns the Figure and, given a path, saves it
there (format from the suffix). Times are seconds after the threat's launch; ground
ranges are from a battery's site on the mean sphere (as ``defence.engagement`` computes
them), altitudes above the WGS 84 ellipsoid. See docs/outputs.md.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bmdsim.defence.engagement import site_geometry
from bmdsim.defence.rules import REASONS
from bmdsim.output.plots import HALO, IN_REACH, format_lat, format_lon, new_figure, save_figure
from bmdsim.output.summary import default_times

__all__ = [
    "plot_engagement_timeline",
    "plot_battle_space",
    "plot_flyout",
    "plot_study_speeds",
]

BOOST = "#d95f02"
COAST = "#9e9ac8"
VISIBLE = "#66c2a5"
LAUNCH_WINDOW = "#2c7bb6"
INTERCEPT_WINDOW = IN_REACH
THREAT = "#b2182b"
ENVELOPE = "#2c7bb6"
FAN = "#c8c8c8"
FLOOR = "#555555"
INFEASIBLE = "#8c8c8c"
MAX_PANELS = 6


def _window_label(w) -> str:
    return f"{w.site_id}:{w.interceptor_id}"


def _runs(mask):
    """(start, stop) index pairs of the True runs of a boolean array (stop inclusive)."""
    m = np.asarray(mask, bool).astype(np.int8)
    if m.size == 0:
        return []
    edges = np.diff(np.concatenate([[0], m, [0]]))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _finite(x) -> bool:
    return x is not None and math.isfinite(float(x))


# --------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------


def plot_engagement_timeline(eng, path=None, *, title=None):
    """Gantt-like chart of an ``Engagement`` on a time axis (s after threat launch).

    Rows, top to bottom: the threat (boost to burnout, then flight to impact); one row
    per sensor cue (spans where the sensor sees the threat, first detection as an open
    circle, firm track as a filled diamond); one row per battery window (earliest launch
    after commit as a black triangle, the interceptor launch window and the intercept
    window as bars, shoot-look-shoot intercept times as ticks; an infeasible battery
    shows why in grey). Returns the Figure; saves it to ``path`` when given."""
    track = eng.threat
    t = np.asarray(track.t_s, float)
    impact = float(track.impact_time_s)
    burnout = float(track.burnout_time_s)
    rows = 1 + len(eng.cues) + len(eng.windows)
    fig = new_figure(10.0, max(3.2, 1.35 + 0.55 * rows))
    ax = fig.add_subplot()
    labels = []
    y = 0.0
    h = 0.6

    # threat (a cruise missile has no ballistic boost: its whole flight is one bar)
    if _cruise(eng):
        burnout = 0.0
    ax.broken_barh([(0.0, burnout)], (y - h / 2, h), color=BOOST)
    ax.broken_barh([(burnout, max(impact - burnout, 0.0))], (y - h / 2, h), color=COAST)
    ax.plot([impact], [y], marker="X", ms=10, color=THREAT, mec="white", mew=0.8, zorder=5)
    labels.append(f"threat: {track.label}")

    # sensors
    for cue in eng.cues:
        y += 1.0
        vis = np.asarray(cue.visible, bool)
        spans = []
        for i0, i1 in _runs(vis):
            lo = float(t[i0])
            hi = float(t[min(i1 + 1, len(t) - 1)]) if i1 + 1 < len(t) else float(t[i1])
            spans.append((lo, max(hi - lo, 0.5)))
        if spans:
            ax.broken_barh(spans, (y - h / 2, h), color=VISIBLE, alpha=0.85)
        if _finite(cue.first_detection_s):
            ax.plot(
                [cue.first_detection_s], [y], "o", ms=8, mfc="white", mec="black", mew=1.3, zorder=5
            )
        if _finite(cue.firm_track_s):
            ax.plot([cue.firm_track_s], [y], "D", ms=7, color="black", zorder=6)
        if not spans and not _finite(cue.first_detection_s):
            ax.text(2.0, y, "never sees the threat", va="center", fontsize=8, color=INFEASIBLE)
        labels.append(f"{cue.name} ({cue.site_id})")

    # batteries
    for w in eng.windows:
        y += 1.0
        if w.feasible:
            if _finite(w.first_launch_s) and _finite(w.last_launch_s):
                ax.broken_barh(
                    [(w.first_launch_s, max(w.last_launch_s - w.first_launch_s, 0.5))],
                    (y + 0.02, h / 2 - 0.02),
                    color=LAUNCH_WINDOW,
                )
            if _finite(w.first_intercept_s) and _finite(w.last_intercept_s):
                ax.broken_barh(
                    [(w.first_intercept_s, max(w.last_intercept_s - w.first_intercept_s, 0.5))],
                    (y - h / 2, h / 2 - 0.02),
                    color=INTERCEPT_WINDOW,
                )
            for s in w.shot_times_s:
                ax.plot([s, s], [y - h / 2 - 0.08, y + 0.02], color="black", lw=1.6, zorder=6)
        else:
            text = w.reason_text or REASONS.get(w.reason or "", "") or (w.reason or "infeasible")
            x_text = float(w.earliest_launch_s) + 8.0 if _finite(w.earliest_launch_s) else 0.0
            x_text = min(x_text, 0.55 * impact)
            ax.text(
                x_text + 0.01 * impact,
                y,
                textwrap.fill(f"{w.reason}: {text}", 95),
                va="center",
                ha="left",
                fontsize=7.5,
                color=INFEASIBLE,
                style="italic",
            )
        if _finite(w.earliest_launch_s):
            ax.plot([w.earliest_launch_s], [y], marker=">", ms=8, color="black", zorder=7)
        labels.append(_window_label(w) + ("" if w.feasible else " (no intercept)"))

    ax.set_yticks(np.arange(len(labels)))
    ax.set_yticklabels(labels, fontsize=8.5)
    for tick, text in zip(ax.get_yticklabels(), labels, strict=True):
        if text.endswith("(no intercept)"):
            tick.set_color(INFEASIBLE)
    ax.set_ylim(len(labels) - 0.4, -0.6)
    ax.set_xlim(0.0, max(impact, float(t[-1]) if len(t) else impact) * 1.03)
    ax.set_xlabel("time after threat launch (s)")
    ax.grid(True, axis="x", alpha=0.3)
    for k in range(1, len(labels)):
        ax.axhline(k - 0.5, color="#e3e3e3", lw=0.6, zorder=0)

    handles = [
        *([] if _cruise(eng) else [Patch(color=BOOST, label="threat boost")]),
        Patch(color=COAST, label="threat flight to impact"),
        Line2D([], [], marker="X", ms=8, color=THREAT, ls="none", label="impact"),
        Patch(color=VISIBLE, alpha=0.85, label="sensor sees threat"),
        Line2D(
            [], [], marker="o", ms=7, mfc="white", mec="black", ls="none", label="first detection"
        ),
        Line2D([], [], marker="D", ms=6, color="black", ls="none", label="firm track"),
        Line2D([], [], marker=">", ms=7, color="black", ls="none", label="earliest launch"),
        Patch(color=LAUNCH_WINDOW, label="interceptor launch window"),
        Patch(color=INTERCEPT_WINDOW, label="intercept window"),
        Line2D([], [], color="black", lw=1.6, marker="|", ms=0, label="intercept (shot)"),
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=5,
        fontsize=7.5,
        frameon=False,
    )
    d = eng.doctrine
    ax.set_title(
        textwrap.fill(
            title
            or f"Engagement timeline: {track.label} (decision delay {d.decision_delay_s:g} s, "
            f"assessment {d.assessment_delay_s:g} s)",
            70,
        ),
        fontsize=11,
    )
    if path is not None:
        save_figure(fig, path)
    return fig


# --------------------------------------------------------------------------------------
# Envelopes and battle space
# --------------------------------------------------------------------------------------


def _cruise(eng) -> bool:
    """Whether the engagement's threat is a cruise missile (no ballistic boost)."""
    return getattr(getattr(eng, "trajectory", None), "shape", None) == "cruise"


# a threat that never climbs above this flies low: its battle space is drawn close in
LOW_FLYER_M = 3_000.0


def _reach(flyout, t_s):
    """(ground range km, altitude km) of the kinematic envelope after ``t_s`` (the
    farthest reach at each altitude), without the altitude window when the flyout
    supports it."""
    try:
        d, h = flyout.reach_at(t_s, window=False)
    except TypeError:
        d, h = flyout.reach_at(t_s)
    d, h = np.asarray(d, float), np.asarray(h, float)
    if d.size == 0:
        return None
    order = np.argsort(h)
    d, h = d[order] / 1e3, h[order] / 1e3
    # closed to the axis at the top only: at the lowest altitudes reached the envelope
    # ends where the fan's flattest trajectories come down
    return np.append(d, 0.0), np.append(h, h[-1])


def _draw_envelopes(ax, flyout, times_s):
    """Envelope lines, each labelled with its time at its farthest point; returns the
    largest (ground range, altitude) km drawn."""
    times = list(times_s)
    cmap_lo, cmap_hi = 0.35, 1.0
    x_max = y_max = 0.0
    for k, ts in enumerate(times):
        env = _reach(flyout, ts)
        if env is None:
            continue
        x, y = env
        frac = cmap_lo + (cmap_hi - cmap_lo) * (k + 1) / max(len(times), 1)
        ax.plot(x, y, color=ENVELOPE, lw=1.3, alpha=frac, zorder=3)
        i = int(np.argmax(x))
        ax.annotate(
            f"{ts:g} s",
            (x[i], y[i]),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=7,
            color=ENVELOPE,
            va="center",
            path_effects=HALO,
            zorder=8,
        )
        x_max, y_max = max(x_max, float(x.max())), max(y_max, float(y.max()))
    return x_max, y_max


def _draw_window(ax, flyout, x_hi, y_hi):
    """Altitude window: dashed floor (and ceiling when finite and in view), hatched
    outside."""
    floor = getattr(flyout, "min_altitude_m", None)
    ceiling = getattr(flyout, "max_altitude_m", None)
    handles = []
    if _finite(floor) and floor > 0:
        f = float(floor) / 1e3
        ax.axhline(f, color=FLOOR, ls="--", lw=1.1, zorder=2)
        ax.axhspan(0.0, f, facecolor="none", edgecolor="#d0d0d0", hatch="///", lw=0, zorder=0)
        handles.append(
            Line2D([], [], color=FLOOR, ls="--", lw=1.1, label=f"altitude window floor {f:g} km")
        )
    if _finite(ceiling) and float(ceiling) / 1e3 < y_hi:
        c = float(ceiling) / 1e3
        ax.axhline(c, color=FLOOR, ls=":", lw=1.1, zorder=2)
        ax.axhspan(c, y_hi, facecolor="none", edgecolor="#d0d0d0", hatch="///", lw=0, zorder=0)
        handles.append(
            Line2D([], [], color=FLOOR, ls=":", lw=1.1, label=f"altitude window ceiling {c:g} km")
        )
    return handles


def _low_reach_km(flyout, t_max, ceiling_km) -> float:
    """The farthest ground range (km) the flyout reaches below ``ceiling_km`` within its
    flight time (0 where it reaches none there)."""
    if not t_max:
        return 0.0
    env = _reach(flyout, t_max)
    if env is None:
        return 0.0
    x, y = env
    low = y <= ceiling_km
    return float(np.max(x[low])) if np.any(low) else 0.0


def _envelope_handle():
    return Line2D([], [], color=ENVELOPE, lw=1.3, label="flyout envelope after t s")


def _grid_shape(n):
    if n <= 3:
        return 1, n
    if n == 4:
        return 2, 2
    return 2, 3


def _battle_panel(ax, eng, battery, window, times_s):
    track = eng.threat
    ground_m, _, _ = site_geometry(track, battery.lat_deg, battery.lon_deg, battery.alt_m)
    g = ground_m / 1e3
    a = np.asarray(track.alt_m, float) / 1e3
    t = np.asarray(track.t_s, float)
    flyout = battery.flyout
    t_max = getattr(flyout, "max_flight_time_s", None)
    times = list(times_s) if times_s is not None else default_times(t_max if t_max else 0.0)
    env_x, env_y = _draw_envelopes(ax, flyout, times)

    before = t <= track.impact_time_s + 1e-9
    ax.plot(g[before], a[before], color=THREAT, lw=1.8, zorder=4)
    if not _cruise(eng) and _finite(track.burnout_time_s) and track.burnout_time_s > t[0]:
        ax.plot(
            np.interp(track.burnout_time_s, t, g),
            np.interp(track.burnout_time_s, t, a),
            "o",
            color=BOOST,
            ms=6,
            mec="white",
            zorder=6,
        )
    # direction: an arrow head near the middle of the path
    n = int(before.sum())
    if n >= 3:
        i = n // 2
        ax.annotate(
            "",
            (g[i + 1], a[i + 1]),
            xytext=(g[i - 1], a[i - 1]),
            arrowprops=dict(arrowstyle="-|>", color=THREAT, lw=1.2, mutation_scale=14),
            zorder=6,
        )

    if window is not None and window.feasible and _finite(window.first_intercept_s):
        seg = (t >= window.first_intercept_s - 1e-9) & (t <= window.last_intercept_s + 1e-9)
        ax.plot(g[seg], a[seg], color=INTERCEPT_WINDOW, lw=5.0, alpha=0.75, zorder=5)
        for when, marker in ((window.first_intercept_s, "o"), (window.last_intercept_s, "s")):
            ax.plot(
                np.interp(when, t, g),
                np.interp(when, t, a),
                marker,
                color=INTERCEPT_WINDOW,
                ms=7,
                mec="black",
                mew=0.8,
                zorder=7,
            )
        for s in window.shot_times_s:
            ax.plot(np.interp(s, t, g), np.interp(s, t, a), "*", color="black", ms=9, zorder=8)

    # view: the envelope and the threat where it comes near, not a 10,000 km approach
    closest = float(np.min(g[before])) if n else 0.0
    x_hi = max(1.25 * env_x, 1.15 * closest + 0.25 * max(env_x, 100.0), 50.0)
    x_hi = min(x_hi, max(float(np.max(g[before])) * 1.05, 1.25 * env_x)) if n else x_hi
    in_view = before & (g <= x_hi)
    a_view = float(np.max(a[in_view])) if np.any(in_view) else 0.0
    y_hi = max(1.15 * env_y, 1.1 * a_view, 10.0)
    low = n and float(np.max(a[before])) * 1e3 < LOW_FLYER_M
    if low:
        # a low flyer: the last tens of km and the first km of air, where it is engaged
        engaged = window is not None and window.feasible and _finite(window.first_ground_range_m)
        near = 1.5 * window.first_ground_range_m / 1e3 if engaged else 0.0
        y_hi = max(1.5 * float(np.max(a[before])), 1.0)
        x_hi = max(near, 1.3 * _low_reach_km(flyout, t_max, 1.5 * float(np.max(a[before]))), 20.0)
    handles = _draw_window(ax, flyout, x_hi, y_hi)
    ax.set_xlim(0.0, x_hi)
    ax.set_ylim(0.0, y_hi)
    ax.set_xlabel(f"ground range from {battery.site_id} (km)", fontsize=9)
    ax.set_ylabel("altitude (km)", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(True, alpha=0.3)
    head = f"{battery.site_id}:{battery.interceptor_id}"
    if getattr(battery, "notional", False):
        head += " [notional]"
        ax.text(
            0.97,
            0.03,
            "NOTIONAL: never deployed as modelled",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color="#7a0177",
            bbox=dict(facecolor="white", edgecolor="#7a0177", alpha=0.9),
            zorder=9,
        )
    if window is None:
        ax.set_title(head, fontsize=10)
    elif window.feasible:
        ax.set_title(
            textwrap.fill(
                f"{head}: intercept {window.first_intercept_s:.0f}–"
                f"{window.last_intercept_s:.0f} s, {window.shots} "
                f"shot{'s' if window.shots != 1 else ''}",
                60,
            ),
            fontsize=10,
        )
    else:
        ax.set_title(textwrap.fill(f"{head}: no intercept", 60), fontsize=10, color=INFEASIBLE)
        ax.text(
            0.03,
            0.97,
            textwrap.fill(window.reason_text or str(window.reason), 48),
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=8,
            color=INFEASIBLE,
            style="italic",
            bbox=dict(facecolor="white", edgecolor="#dddddd", alpha=0.9),
            zorder=9,
        )
    return handles


def plot_battle_space(eng, path=None, *, title=None, times_s=None):
    """Altitude (km) against ground range (km) from each battery's site, one panel per
    battery (the first six; one battery: one panel): the threat's path (burnout dot,
    direction arrow), the interceptor's kinematic flyout envelope ``reach_at(t)`` at
    ``times_s`` (default: ``default_times`` of the flyout's maximum flight time), the
    altitude window (dashed floor, hatched outside), and the feasible intercept segment
    (green, first intercept circle, last square, shots as stars). Needs
    ``eng.batteries`` (the Battery objects, same order as ``eng.windows``). Returns the
    Figure; saves it to ``path`` when given."""
    batteries = tuple(getattr(eng, "batteries", ()) or ())
    if not batteries:
        raise ValueError("plot_battle_space needs the engagement's batteries (eng.batteries)")
    windows = list(eng.windows) + [None] * max(0, len(batteries) - len(eng.windows))
    shown = batteries[:MAX_PANELS]
    nrows, ncols = _grid_shape(len(shown))
    fig = new_figure(5.2 * ncols if ncols > 1 else 8.0, 4.6 * nrows if ncols > 1 else 5.6)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    handles = []
    for ax, battery, window in zip(axes, shown, windows, strict=False):
        for hnd in _battle_panel(ax, eng, battery, window, times_s):
            if hnd.get_label() not in {x.get_label() for x in handles}:
                handles.append(hnd)
    for ax in axes[len(shown) :]:
        ax.set_visible(False)
    burnout = Line2D(
        [], [], marker="o", color=BOOST, mec="white", ls="none", label="threat burnout"
    )
    handles = [
        Line2D([], [], color=THREAT, lw=1.8, label=f"threat ({eng.threat.label})"),
        *([] if _cruise(eng) else [burnout]),
        _envelope_handle(),
        *handles,
        Line2D([], [], color=INTERCEPT_WINDOW, lw=5, alpha=0.75, label="feasible intercepts"),
        Line2D([], [], marker="*", color="black", ms=9, ls="none", label="shot"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    extra = (
        f" (first {MAX_PANELS} of {len(batteries)} batteries)"
        if len(batteries) > MAX_PANELS
        else ""
    )
    fig.suptitle((title or f"Battle space: {eng.threat.label}") + extra, fontsize=11)
    if path is not None:
        save_figure(fig, path)
    return fig


def plot_flyout(table, path=None, *, title=None, times_s=None):
    """A flyout table's kinematic envelopes at ``times_s`` (default ``default_times`` of
    its maximum flight time) over the fan of trajectories it was built from (light grey,
    burnouts as dots), with the altitude window. Returns the Figure; saves it to
    ``path`` when given."""
    fig = new_figure(8.0, 6.0)
    ax = fig.add_subplot()
    fan_g = np.asarray(table.fan_ground_range_m, float) / 1e3
    fan_h = np.asarray(table.fan_altitude_m, float) / 1e3
    for row_g, row_h in zip(fan_g, fan_h, strict=True):
        ax.plot(row_g, row_h, color=FAN, lw=0.7, zorder=1)
    bg = getattr(table, "burnout_ground_range_m", None)
    bh = getattr(table, "burnout_altitude_m", None)
    if bg is not None and bh is not None:
        ax.plot(np.asarray(bg) / 1e3, np.asarray(bh) / 1e3, ".", color="#888888", ms=3, zorder=2)
    times = list(times_s) if times_s is not None else default_times(table.max_flight_time_s)
    env_x, env_y = _draw_envelopes(ax, table, times)
    x_hi = 1.08 * max(float(np.nanmax(fan_g)) if np.isfinite(fan_g).any() else 0.0, env_x, 1.0)
    y_hi = 1.08 * max(float(np.nanmax(fan_h)) if np.isfinite(fan_h).any() else 0.0, env_y, 1.0)
    handles = [
        Line2D([], [], color=FAN, lw=1.0, label="fan of launch elevations"),
        Line2D([], [], marker=".", color="#888888", ls="none", label="burnout"),
        _envelope_handle(),
        *_draw_window(ax, table, x_hi, y_hi),
    ]
    ax.set_xlim(0.0, x_hi)
    ax.set_ylim(0.0, y_hi)
    ax.set_xlabel("ground range from the site (km)")
    ax.set_ylabel("altitude (km)")
    ax.grid(True, alpha=0.3)
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.92)
    speed = np.asarray(getattr(table, "burnout_speed_m_s", []), float)
    speed_txt = f", mean burnout speed {np.nanmean(speed) / 1e3:.2f} km/s" if speed.size else ""
    ax.set_title(
        title
        or f"{table.vehicle_id}: flyout from {format_lat(round(table.site_lat_deg, 2))} "
        f"{format_lon(round(table.site_lon_deg, 2))}, azimuth {table.azimuth_deg:g}°"
        f"{speed_txt}",
        fontsize=11,
    )
    if path is not None:
        save_figure(fig, path)
    return fig


# --------------------------------------------------------------------------------------
# The Europe study
# --------------------------------------------------------------------------------------


def plot_study_speeds(rows, path=None, *, title=None):
    """The Europe study's answer in one picture: for each threat (base -> aim point) and
    site, the slowest interceptor burnout speed that would have made an intercept
    feasible under ideal cueing, against the catalogue burnout speeds of the interceptors.
    ``rows``: StudyRow-like objects (base, target, site, interceptor, min_burnout_speed_kms,
    catalogue_burnout_speed_kms)."""
    rows = list(rows)
    threats = sorted({(r.base, r.target) for r in rows})
    sites = sorted({r.site for r in rows})
    fig = new_figure(10.0, max(4.0, 0.32 * len(threats) + 2.0))
    ax = fig.add_subplot()
    markers = ["o", "s", "^", "D"]
    y = np.arange(len(threats))
    # the top of the minimum-speed search (rows without a number carry it)
    tops = [getattr(r, "min_burnout_speed_above_kms", None) for r in rows]
    cap = max([t for t in tops if t is not None], default=12.0)
    for k, site in enumerate(sites):
        speeds = []
        for base, target in threats:
            vals = [
                r.min_burnout_speed_kms
                for r in rows
                if r.site == site
                and r.base == base
                and r.target == target
                and r.min_burnout_speed_kms is not None
            ]
            speeds.append(min(vals) if vals else np.nan)
        speeds = np.array(speeds, float)
        above = ~np.isfinite(speeds)
        ax.plot(
            speeds,
            y + 0.15 * (k - 0.5 * (len(sites) - 1)),
            markers[k % 4],
            ls="none",
            label=f"{site}: slowest burnout speed that intercepts",
        )
        ax.plot(
            np.full(above.sum(), cap),
            y[above] + 0.15 * (k - 0.5 * (len(sites) - 1)),
            markers[k % 4],
            ls="none",
            mfc="none",
            color=f"C{k}",
            label=f"{site}: none up to {cap:g} km/s",
        )
    for iid, v in sorted(
        {(r.interceptor, r.catalogue_burnout_speed_kms) for r in rows}, key=lambda x: x[1]
    ):
        ax.axvline(v, color="0.4", ls="--", lw=1)
        mine = [r for r in rows if r.interceptor == iid]
        mark = " [notional]" if mine and all(getattr(r, "notional", False) for r in mine) else ""
        label = f" {iid}{mark}\n {v:g} km/s"
        ax.text(v, len(threats) - 0.4, label, fontsize=8, va="bottom", color="0.3")
    ax.set_yticks(y, [f"{b} -> {t}" for b, t in threats], fontsize=8)
    ax.set_xlabel("interceptor burnout speed (km/s)")
    ax.set_xlim(0, cap + 0.5)
    ax.set_ylim(-0.7, len(threats) + 0.9)
    ax.grid(True, axis="x", color="0.9")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or "Europe study: interceptor speed needed (ideal cueing from burnout)")
    if path is not None:
        save_figure(fig, path)
    return fig
