"""CZML export (czml3): a time-dynamic document Cesium can load, written offline."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from czml3 import Document
from output_synthetic import MINSK, NATO_SITES, make_footprint, make_trajectory
from shapely.geometry import Point, Polygon

from bmdsim.output.czml import write_czml


def _packets(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _by_id(packets):
    return {p["id"]: p for p in packets}


def test_czml_document_trajectory_footprint_sites(
    tmp_path, short_trajectory, minsk_footprint, no_network
):
    sites = [("Berlin", 52.52, 13.405)]
    path = write_czml(
        tmp_path / "out" / "scene.czml",
        trajectories=[short_trajectory],
        footprints=[minsk_footprint],
        sites=sites,
    )
    packets = _packets(path)
    assert isinstance(packets, list)
    assert len(Document.load(path).packets) == len(packets)  # czml3 validates it back

    doc = packets[0]
    assert doc["id"] == "document"
    assert doc["version"] == "1.0"
    clock = doc["clock"]
    assert clock["currentTime"] == "2016-01-01T00:00:00Z"
    start, end = clock["interval"].split("/")
    assert start == "2016-01-01T00:00:00Z"
    end_t = dt.datetime.fromisoformat(end.replace("Z", "+00:00"))
    launch = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    assert (end_t - launch).total_seconds() == pytest.approx(short_trajectory.flight_time_s)

    by_id = _by_id(packets)
    assert len(by_id) == len(packets)  # ids unique
    traj = by_id["trajectory-0-iskander-m"]
    pos = traj["position"]
    n = len(short_trajectory.t_s)
    assert len(pos["cartographicDegrees"]) == 4 * n
    assert pos["interpolationAlgorithm"] == "LAGRANGE"
    assert pos["epoch"] == "2016-01-01T00:00:00Z"
    samples = np.asarray(pos["cartographicDegrees"]).reshape(n, 4)
    np.testing.assert_allclose(samples[:, 0], short_trajectory.t_s, atol=1e-3)
    np.testing.assert_allclose(samples[:, 1], short_trajectory.lon_deg, atol=1e-6)
    np.testing.assert_allclose(samples[:, 2], short_trajectory.lat_deg, atol=1e-6)
    np.testing.assert_allclose(samples[:, 3], short_trajectory.alt_m, atol=0.05)
    assert traj["availability"] == clock["interval"]
    assert "path" in traj and "point" in traj and traj["label"]["text"] == "iskander-m"

    # the footprint polygon at height 0 contains the launch point
    polys = [p for p in packets if "polygon" in p]
    assert polys
    rings = []
    for p in polys:
        flat = np.asarray(p["polygon"]["positions"]["cartographicDegrees"]).reshape(-1, 3)
        assert np.all(flat[:, 2] == 0.0)
        rings.append(Polygon(flat[:, :2]))
    launch_pt = Point(MINSK[1], MINSK[0])
    assert any(r.covers(launch_pt) for r in rings)

    # sites: the footprint's own (coloured by reach) and the extra one, with labels
    labels = {p["label"]["text"] for p in packets if "label" in p}
    assert "Berlin" in labels
    assert {name for _, name, _, _ in NATO_SITES} <= labels
    berlin = by_id["site-0-berlin"]["position"]["cartographicDegrees"]
    assert berlin == [13.405, 52.52, 0.0]


def test_czml_epoch_linear_and_antimeridian(tmp_path, antimeridian_trajectory, teykovo_footprint):
    epoch = dt.datetime(2024, 5, 9, 10, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    path = write_czml(
        tmp_path / "polar.czml",
        trajectories=antimeridian_trajectory,
        footprints=[teykovo_footprint],
        epoch=epoch,
        interpolation="linear",
    )
    packets = _packets(path)
    assert packets[0]["clock"]["currentTime"] == "2024-05-09T07:00:00Z"
    traj = next(p for p in packets if p["id"].startswith("trajectory-0"))
    pos = traj["position"]
    assert pos["interpolationAlgorithm"] == "LINEAR"
    assert pos["interpolationDegree"] == 1
    lon = np.asarray(pos["cartographicDegrees"])[1::4]
    assert lon.min() >= -180.0 and lon.max() < 180.0
    assert np.any(np.abs(np.diff(lon)) > 180.0)  # crosses ±180: Cesium needs no cut
    # the 10,000 km footprint encloses the pole and is still one closed area holding Teykovo
    polys = [
        Polygon(np.asarray(p["polygon"]["positions"]["cartographicDegrees"]).reshape(-1, 3)[:, :2])
        for p in packets
        if "polygon" in p
    ]
    assert any(
        p.covers(Point(teykovo_footprint.launch_lon_deg, teykovo_footprint.launch_lat_deg))
        for p in polys
    )
    assert all(p.is_valid for p in polys)


def test_czml_naive_epoch_is_utc_and_empty_document(tmp_path):
    path = write_czml(tmp_path / "empty.czml", epoch=dt.datetime(2020, 1, 1, 12))
    packets = _packets(path)
    assert len(packets) == 1
    assert packets[0]["clock"]["interval"] == "2020-01-01T12:00:00Z/2020-01-01T13:00:00Z"


def test_czml_rejects_unknown_interpolation(tmp_path):
    traj = make_trajectory(*MINSK, 90.0, 100e3, n=11)
    with pytest.raises(ValueError, match="interpolation"):
        write_czml(tmp_path / "x.czml", trajectories=[traj], interpolation="spline")


def test_czml_two_trajectories_clock_spans_both(tmp_path):
    short = make_trajectory(*MINSK, 90.0, 100e3, n=21, missile_id="a")
    long = make_trajectory(*MINSK, 90.0, 1000e3, n=21, missile_id="b")
    fp = make_footprint(*MINSK, 500e3, n=36, sites=())
    packets = _packets(
        write_czml(tmp_path / "two.czml", trajectories=[short, long], footprints=[fp])
    )
    start, end = packets[0]["clock"]["interval"].split("/")
    end_t = dt.datetime.fromisoformat(end.replace("Z", "+00:00"))
    assert (end_t - dt.datetime(2016, 1, 1, tzinfo=dt.UTC)).total_seconds() == (
        pytest.approx(long.flight_time_s)
    )
    ids = [p["id"] for p in packets]
    assert "trajectory-0-a" in ids and "trajectory-1-b" in ids
    assert any(i.endswith("-outline") for i in ids)
