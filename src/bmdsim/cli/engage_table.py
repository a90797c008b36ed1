"""The engagement table of ``engage``, ``run`` and ``demo``: one row per battery, or,
when a battery id is too long for the terminal, a form whose numbers wrap beside the
whole id; the reasons and closing speeds under it."""

from __future__ import annotations

from rich.markup import escape

from bmdsim.cli._console import fit_table, stdout

__all__ = ["engagement_table", "engagement_title", "need_text", "print_reasons"]


def engagement_title(eng) -> str:
    """The engagement table's title: the threat, its burnout (a ballistic missile) and
    when it arrives."""
    tr = eng.threat
    if getattr(eng.trajectory, "shape", None) == "cruise":
        return f"{tr.label}: cruise missile, arrives at {tr.impact_time_s / 60:.1f} min"
    return f"{tr.label}: burnout {tr.burnout_time_s:.0f} s, impact {tr.impact_time_s / 60:.1f} min"


def engagement_table(eng, title):
    """One row per battery: feasible or not, launch and intercept windows, shots and the
    slowest burnout speed that would intercept (also printed by ``run`` and ``demo``)."""
    from rich import box
    from rich.table import Table

    table = Table(title=escape(title), box=box.SIMPLE_HEAD, pad_edge=False)
    for col, just in (
        ("battery", "left"),
        ("ok", "center"),
        ("launch s", "right"),
        ("window s", "right"),
        ("alt km", "right"),
        ("shots", "right"),
        ("need", "right"),
    ):
        table.add_column(col, justify=just, no_wrap=True, min_width=len(col))
    table.columns[0].min_width = 1 + max(
        len(f"{w.site_id}:{w.interceptor_id}") for w in eng.windows
    )
    table.columns[1].min_width = 3
    table.columns[4].min_width = 9
    batteries = eng.batteries or [None] * len(eng.windows)
    for w, b in zip(eng.windows, batteries, strict=False):
        need = need_text(w)
        table.add_row(
            f"{w.site_id}:{w.interceptor_id}" + ("*" if getattr(b, "notional", False) else ""),
            "[green]yes[/]" if w.feasible else "[red]no[/]",
            "" if w.earliest_launch_s is None else f">= {w.earliest_launch_s:.0f}",
            f"{w.first_intercept_s:.0f}-{w.last_intercept_s:.0f}" if w.feasible else "",
            _altitudes_km(w) if w.feasible else "",
            str(w.shots),
            need,
        )
    table.caption = (
        "need: slowest burnout speed (km/s) of this interceptor (same burn time and "
        "cueing) that would intercept; > N: none up to N km/s; no track: no speed helps"
    )
    if any(getattr(b, "notional", False) for b in batteries):
        table.caption += "; * notional: never deployed as modelled (the studies' figures)"
    table = fit_table(table, ids=("battery",))
    if _table_width(table) > stdout().width:
        return _engagement_records(eng, title, table.caption)
    return table


def _table_width(table) -> int:
    from rich.console import Console
    from rich.measure import Measurement

    con = Console(width=1000)
    return Measurement.get(con, con.options, table).maximum


def _engagement_records(eng, title, caption):
    """The engagement table when one row would not fit the terminal (a long battery id):
    the id and the verdict in their own columns, never cut, the numbers in a third that
    wraps at its separators."""
    from rich import box
    from rich.table import Table

    table = Table(title=escape(title), box=box.SIMPLE_HEAD, pad_edge=False, caption=caption)
    table.add_column("battery", no_wrap=True)
    table.add_column("ok", justify="center", no_wrap=True, min_width=3)
    table.add_column("launch s; window s; alt km; shots; need", overflow="fold")
    batteries = eng.batteries or [None] * len(eng.windows)
    for w, b in zip(eng.windows, batteries, strict=False):
        parts = [
            "" if w.earliest_launch_s is None else f">= {w.earliest_launch_s:.0f}",
            f"{w.first_intercept_s:.0f}-{w.last_intercept_s:.0f}" if w.feasible else "-",
            _altitudes_km(w) if w.feasible else "-",
            f"{w.shots} shots",
            f"need {need_text(w) or '-'}",
        ]
        table.add_row(
            f"{w.site_id}:{w.interceptor_id}" + ("*" if getattr(b, "notional", False) else ""),
            "[green]yes[/]" if w.feasible else "[red]no[/]",
            "; ".join(p or "-" for p in parts),
        )
    return fit_table(table, ids=("battery",))


def _altitudes_km(w) -> str:
    """First-last intercept altitude in km: whole km, or to 10 m under 1 km (a cruise
    missile at tens of metres)."""
    lo, hi = w.first_altitude_m / 1e3, w.last_altitude_m / 1e3
    if max(abs(lo), abs(hi)) < 1.0:
        return f"{lo:.2f}-{hi:.2f}"
    return f"{lo:,.0f}-{hi:,.0f}"


def need_text(w) -> str:
    """The 'need' cell of a window: the minimum burnout speed in km/s, '> 12' when no
    speed up to the search's top intercepts, 'no track' when none can help, '' when the
    search was not run."""
    vmin = w.min_burnout_speed_m_s
    above = getattr(w, "min_burnout_speed_above_m_s", None)
    note = getattr(w, "min_burnout_speed_note", None) or ""
    if vmin is not None:
        return f"{vmin / 1e3:.2f}"
    if above is not None:
        return f"> {above / 1e3:g}"
    if note.startswith("never tracked"):
        return "no track"
    return ""


def print_reasons(con, eng):
    """Under the table: why each infeasible battery fails, and the closing speed and
    crossing angle of each feasible one."""
    for w in eng.windows:
        note = getattr(w, "min_burnout_speed_note", None)
        if w.reason:
            con.print(f"  {w.site_id}:{w.interceptor_id}: {w.reason}: {escape(w.reason_text)}")
            if note and note != "not computed":
                con.print(f"    speed needed: {escape(note)}")
        elif w.closing_speed_m_s is not None:
            con.print(
                f"  {w.site_id}:{w.interceptor_id}: closing speed "
                f"{w.closing_speed_m_s / 1e3:.1f} km/s, crossing angle "
                f"{w.crossing_angle_deg:.0f} deg at the first intercept"
            )
