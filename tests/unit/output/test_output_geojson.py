"""GeoJSON exports follow RFC 7946: lon/lat order, counter-clockwise exterior rings,
geometries cut at the antimeridian, and a footprint that contains its launch point
(a clockwise ring would be read as the rest of the world)."""

import json

import numpy as np
import pytest
from output_synthetic import GEOD, MINSK, TEYKOVO, make_footprint
from shapely.geometry import Point, shape

from bmdsim.output.geojson import (
    footprint_geojson,
    footprint_polygon,
    trajectory_geojson,
    write_geojson,
)


def _features(fc, kind):
    return [f for f in fc["features"] if f["properties"]["kind"] == kind]


def _exteriors_ccw(geom):
    return all(p.exterior.is_ccw for p in getattr(geom, "geoms", [geom]))


def test_minsk_footprint_is_a_ccw_polygon_in_lon_lat_order(minsk_footprint):
    fc = footprint_geojson(minsk_footprint)
    assert fc["type"] == "FeatureCollection"
    (fp_feature,) = _features(fc, "footprint")
    geom = shape(fp_feature["geometry"])
    assert geom.geom_type == "Polygon" and geom.is_valid
    assert _exteriors_ccw(geom)
    # lon/lat order: Minsk is at 27.6 E, 53.9 N, a 300 km ring spans about +-4.5 deg lon
    ring = np.asarray(fp_feature["geometry"]["coordinates"][0])
    assert np.all((ring[:, 0] > 22.0) & (ring[:, 0] < 33.0))
    assert np.all((ring[:, 1] > 51.0) & (ring[:, 1] < 57.0))
    assert ring[0].tolist() == ring[-1].tolist()  # closed
    (launch,) = _features(fc, "launch")
    assert launch["geometry"]["coordinates"] == [MINSK[1], MINSK[0]]
    assert geom.covers(Point(MINSK[1], MINSK[0]))


def test_footprint_geojson_is_json_serialisable_and_sites_documented(minsk_footprint):
    fc = footprint_geojson(minsk_footprint)
    again = json.loads(json.dumps(fc, allow_nan=False))
    assert again == fc
    sites = _features(fc, "site")
    assert len(sites) == len(minsk_footprint.sites)
    for f, s in zip(sites, minsk_footprint.sites, strict=True):
        p = f["properties"]
        assert set(p) == {
            "kind",
            "id",
            "name",
            "distance_km",
            "azimuth_deg",
            "verdict",
            "why",
            "in_reach",
            "flight_time_s",
            "max_range_km",
            "range_km",
        }
        assert p["verdict"] == ("in" if s.in_reach else "out")  # no band: in or out
        assert p["range_km"]["low"] == p["range_km"]["central"] == p["range_km"]["high"]
        assert p["id"] == s.id and p["name"] == s.name
        assert p["in_reach"] is s.in_reach
        assert p["distance_km"] == pytest.approx(s.distance_m / 1e3, abs=0.05)
        assert (p["flight_time_s"] is None) == (not s.in_reach)
        assert f["geometry"]["coordinates"] == pytest.approx([s.lon_deg, s.lat_deg])
    vilnius = next(f for f in sites if f["properties"]["id"] == "vilnius")
    assert vilnius["properties"]["in_reach"] is True  # 172 km from Minsk


def test_teykovo_10000_km_footprint_encloses_north_pole_and_crosses_antimeridian(
    teykovo_footprint,
):
    geom = footprint_polygon(teykovo_footprint)
    assert geom.is_valid and _exteriors_ccw(geom)
    minx, miny, maxx, maxy = geom.bounds
    assert (minx, maxx) == (-180.0, 180.0)
    assert maxy == pytest.approx(90.0)
    assert geom.covers(Point(TEYKOVO[1], TEYKOVO[0]))  # the launch point
    assert geom.covers(Point(0.0, 89.9)) and geom.covers(Point(-170.0, 89.9))
    # Points at 90 % of the range on every azimuth are inside, at 110 % outside.
    # (The lon/lat polygon joins ring points 175 km apart with straight lon/lat
    # segments, so the test stays 10 % from the ring.)
    az = np.arange(0.0, 360.0, 15.0)
    rng = teykovo_footprint.max_range_toward_m(az)
    n = az.size
    lon_in, lat_in, _ = GEOD.fwd(np.full(n, TEYKOVO[1]), np.full(n, TEYKOVO[0]), az, 0.9 * rng)
    lon_out, lat_out, _ = GEOD.fwd(np.full(n, TEYKOVO[1]), np.full(n, TEYKOVO[0]), az, 1.1 * rng)
    for x, y in zip(lon_in, lat_in, strict=True):
        assert geom.covers(Point(x, y)), (x, y)
    for x, y in zip(lon_out, lat_out, strict=True):
        assert not geom.covers(Point(x, y)), (x, y)


def test_teykovo_footprint_geojson_has_ccw_rings_and_launch_inside(teykovo_footprint):
    fc = footprint_geojson(teykovo_footprint)
    geom = shape(_features(fc, "footprint")[0]["geometry"])
    assert geom.is_valid and _exteriors_ccw(geom)
    assert geom.covers(Point(TEYKOVO[1], TEYKOVO[0]))
    json.dumps(fc, allow_nan=False)


def test_footprint_on_the_antimeridian_is_split_with_launch_inside():
    fp = make_footprint(0.0, 179.5, 500e3, sites=None)
    geom = footprint_polygon(fp)
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert _exteriors_ccw(geom)
    assert geom.bounds[0] == -180.0 and geom.bounds[2] == 180.0
    assert geom.covers(Point(179.5, 0.0))
    assert geom.covers(Point(-179.8, 0.0))  # 330 km east, across the antimeridian
    assert not geom.covers(Point(0.0, 0.0))


def test_footprint_around_the_south_pole():
    fp = make_footprint(-80.0, 170.0, 2_000e3, sites=None)
    geom = footprint_polygon(fp)
    assert _exteriors_ccw(geom)
    assert geom.covers(Point(170.0, -80.0)) and geom.covers(Point(0.0, -89.9))
    assert not geom.covers(Point(170.0, -50.0))


def test_trajectory_geojson_splits_track_at_antimeridian(antimeridian_trajectory):
    fc = trajectory_geojson(antimeridian_trajectory)
    (track,) = _features(fc, "track")
    assert track["geometry"]["type"] == "MultiLineString"
    for part in track["geometry"]["coordinates"]:
        xy = np.asarray(part)
        assert np.all(np.abs(xy[:, 0]) <= 180.0) and np.all(np.abs(xy[:, 1]) <= 90.0)
        assert np.all(np.abs(np.diff(xy[:, 0])) < 180.0)  # no jump inside a part
    assert set(track["properties"]) == {
        "kind",
        "missile",
        "shape",
        "range_km",
        "apogee_km",
        "flight_time_s",
    }
    assert track["properties"]["range_km"] == 7000.0
    (impact,) = _features(fc, "impact")
    assert impact["geometry"]["coordinates"] == pytest.approx(
        [antimeridian_trajectory.impact_lon_deg, antimeridian_trajectory.impact_lat_deg],
        abs=1e-5,
    )
    assert not _features(fc, "target")
    json.dumps(fc, allow_nan=False)


def test_short_trajectory_is_one_linestring_with_target(short_trajectory, tmp_path):
    fc = trajectory_geojson(short_trajectory)
    (track,) = _features(fc, "track")
    assert track["geometry"]["type"] == "LineString"
    assert track["geometry"]["coordinates"][0] == [MINSK[1], MINSK[0]]
    (target,) = _features(fc, "target")
    assert target["geometry"]["coordinates"] == [23.0, 53.4]
    assert isinstance(target["properties"]["miss_km"], float)
    path = write_geojson(fc, tmp_path / "out" / "track.geojson")
    assert json.loads(path.read_text(encoding="utf-8")) == fc
