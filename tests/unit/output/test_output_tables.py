"""CSV tables carry the documented columns, one row per step, azimuth or site."""

import pandas as pd

from bmdsim.output.tables import (
    SITE_COLUMNS,
    write_footprint_csv,
    write_sites_csv,
    write_trajectory_csv,
)


def test_trajectory_csv_columns(short_trajectory, tmp_path):
    path = write_trajectory_csv(short_trajectory, tmp_path / "t.csv")
    df = pd.read_csv(path)
    assert list(df.columns) == [
        "t_s",
        "lat_deg",
        "lon_deg",
        "alt_km",
        "ground_range_km",
        "speed_kms",
        "x_eci_m",
        "y_eci_m",
        "z_eci_m",
        "vx_eci_m_s",
        "vy_eci_m_s",
        "vz_eci_m_s",
    ]
    assert len(df) == short_trajectory.t_s.size
    assert df["alt_km"].max() * 1e3 == short_trajectory.alt_m.max()


def test_footprint_csv_columns(minsk_footprint, tmp_path):
    df = pd.read_csv(write_footprint_csv(minsk_footprint, tmp_path / "f.csv"))
    assert list(df.columns) == [
        "launch_azimuth_deg",
        "azimuth_deg",
        "range_km",
        "impact_lat_deg",
        "impact_lon_deg",
        "flight_time_s",
    ]
    assert len(df) == minsk_footprint.azimuth_deg.size


def test_sites_csv_columns(minsk_footprint, tmp_path):
    df = pd.read_csv(write_sites_csv(minsk_footprint, tmp_path / "s.csv"))
    assert list(df.columns) == SITE_COLUMNS
    assert len(df) == len(minsk_footprint.sites)
    assert df.loc[df["id"] == "vilnius", "in_reach"].item()
