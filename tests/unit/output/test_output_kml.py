"""KML written with fastkml parses back: footprints as polygons, sites as placemarks,
trajectories as 3-D lines with absolute altitude in metres."""

import numpy as np
import pytest
from fastkml import KML
from fastkml.enums import AltitudeMode
from lxml import etree

from bmdsim.output.kml import write_kml

NS = {"k": "http://www.opengis.net/kml/2.2"}


def _placemarks(feature):
    for f in getattr(feature, "features", []) or []:
        if type(f).__name__ == "Placemark":
            yield f
        else:
            yield from _placemarks(f)


def _geoms(kml_geometry):
    return list(getattr(kml_geometry, "kml_geometries", None) or [kml_geometry])


def test_kml_round_trip(
    minsk_footprint, teykovo_footprint, antimeridian_trajectory, short_trajectory, tmp_path
):
    path = write_kml(
        tmp_path / "out.kml",
        footprints=[minsk_footprint, teykovo_footprint],
        trajectories=[short_trajectory, antimeridian_trajectory],
        sites=minsk_footprint.sites[:2],
    )
    doc = KML.parse(path)
    placemarks = {}
    for pm in _placemarks(doc.features[0]):
        placemarks.setdefault(pm.name, []).append(pm)

    names = set(placemarks)
    assert {"Vilnius", "Warsaw", "Riga"} <= names
    assert "iskander-e footprint" in names and "yars footprint" in names

    # footprints: polygons with lon/lat coordinates; the pole one is one polygon
    (minsk,) = placemarks["iskander-e footprint"]
    poly = minsk.kml_geometry.geometry
    lon, lat = np.asarray(poly.exterior.coords).T[:2]
    assert 22 < lon.min() < lon.max() < 33 and 51 < lat.min() < lat.max() < 57

    # trajectories: absolute altitude, z in metres equal to the trajectory's
    (short,) = placemarks["iskander-m minimum-energy"]
    (line,) = _geoms(short.kml_geometry)
    assert line.altitude_mode == AltitudeMode.absolute
    z = np.asarray(line.geometry.coords)[:, 2]
    assert z.max() == pytest.approx(short_trajectory.alt_m.max(), abs=0.01)
    (polar,) = placemarks["yars minimum-energy"]
    parts = _geoms(polar.kml_geometry)
    assert len(parts) == 2  # cut at the antimeridian
    assert all(p.altitude_mode == AltitudeMode.absolute for p in parts)
    n = sum(len(p.geometry.coords) for p in parts)
    assert n == antimeridian_trajectory.t_s.size

    # and in the XML itself, as Google Earth reads it
    tree = etree.parse(str(path))
    modes = tree.xpath("//k:LineString/k:altitudeMode/text()", namespaces=NS)
    assert modes and set(modes) == {"absolute"}
