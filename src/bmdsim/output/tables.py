"""CSV tables of results: one row per time step, per azimuth or per site.

Every text cell is data: one that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, as ``=HYPERLINK(...)`` in a site
name) is written with a leading ``'`` (OWASP, "CSV Injection"); numbers are untouched.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "csv_safe",
    "write_csv",
    "write_footprint_csv",
    "write_sites_csv",
    "write_trajectory_csv",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(df):
    """A copy of DataFrame ``df`` whose text cells cannot start a spreadsheet formula."""

    def cell(v):
        return "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(cell)
    out.columns = [cell(str(c)) for c in out.columns]
    return out


def write_csv(df, path) -> Path:
    """``df`` as CSV at ``path`` (:func:`csv_safe`, no index); returns the path."""
    path = _prepare(path)
    csv_safe(df).to_csv(path, index=False)
    return path


SITE_COLUMNS = [
    "id",
    "name",
    "lat_deg",
    "lon_deg",
    "distance_km",
    "azimuth_deg",
    "max_range_km",
    "range_low_km",
    "range_high_km",
    "verdict",
    "in_reach",
    "flight_time_s",
]


def _prepare(path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_trajectory_csv(traj, path) -> Path:
    """The time series of ``traj.to_dataframe()``, one row per step; returns the path.

    Columns: t_s, lat_deg, lon_deg, alt_km, ground_range_km, speed_kms, x/y/z_eci_m,
    vx/vy/vz_eci_m_s.
    """
    return write_csv(traj.to_dataframe(), path)


def write_footprint_csv(fp, path) -> Path:
    """One row per launch azimuth of ``fp.to_dataframe()``; returns the path.

    Columns: launch_azimuth_deg, azimuth_deg, range_km, impact_lat_deg, impact_lon_deg,
    flight_time_s, and with a band range_low_km, range_high_km (the short and long rings
    on the same azimuths).
    """
    return write_csv(fp.to_dataframe(), path)


def write_sites_csv(fp, path) -> Path:
    """One row per site of ``fp.sites`` (columns ``SITE_COLUMNS``); returns the path."""
    import pandas as pd

    rows = [
        {
            "id": s.id,
            "name": s.name,
            "lat_deg": s.lat_deg,
            "lon_deg": s.lon_deg,
            "distance_km": s.distance_m / 1e3,
            "azimuth_deg": s.azimuth_deg,
            "max_range_km": s.max_range_m / 1e3,
            "range_low_km": s.range_low_m / 1e3,
            "range_high_km": s.range_high_m / 1e3,
            "verdict": s.verdict,
            "in_reach": bool(s.in_reach),
            "flight_time_s": s.flight_time_s,
        }
        for s in fp.sites
    ]
    return write_csv(pd.DataFrame(rows, columns=SITE_COLUMNS), path)
