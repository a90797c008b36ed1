"""A footprint with a band in every output: the short and long rings, the uncertain band
between them, and the sites marked, labelled and explained by verdict.

The synthetic footprint (output_synthetic.make_banded_footprint) is three circles around
Minsk: 180 km (short), 390 km (central), 450 km (long). Vilnius (172 km) is inside even
the short ring: 'in'; Riga (404 km) lies beyond the central ring but inside the long
one: 'uncertain'; Warsaw (476 km) is beyond the long ring: 'out'.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from czml3 import Document
from fastkml import KML
from output_synthetic import MINSK, make_banded_footprint
from shapely.geometry import Point, shape

from bmdsim.output import maps, plots
from bmdsim.output.czml import write_czml
from bmdsim.output.geojson import footprint_geojson, footprint_polygon, uncertain_band_polygon
from bmdsim.output.kml import write_kml
from bmdsim.output.summary import footprint_summary
from bmdsim.output.tables import write_footprint_csv, write_sites_csv

SITES = [
    ("vilnius", "Vilnius", 54.6872, 25.2797),
    ("riga", "Riga", 56.9496, 24.1052),
    ("warsaw", "Warsaw", 52.2297, 21.0122),
]


@pytest.fixture
def banded():
    return make_banded_footprint(*MINSK, 180e3, 390e3, 450e3, sites=SITES)


def test_verdicts_follow_the_rings(banded):
    verdicts = {s.id: s.verdict for s in banded.sites}
    assert verdicts == {"vilnius": "in", "riga": "uncertain", "warsaw": "out"}
    riga = next(s for s in banded.sites if s.id == "riga")
    assert not riga.in_reach  # beyond the central ring: uncertain, not out
    assert riga.why("Test") == (
        "404 km away; Test reaches 180-450 km on this bearing: within the band"
    )


def test_geojson_rings_and_uncertain_band(banded):
    fc = json.loads(json.dumps(footprint_geojson(banded), allow_nan=False))
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds.count("footprint") == 1 and kinds.count("footprint-ring") == 2
    assert kinds.count("uncertain-band") == 1
    rings = {
        f["properties"]["ring"]: shape(f["geometry"])
        for f in fc["features"]
        if f["properties"]["kind"] in ("footprint", "footprint-ring")
    }
    band = shape(
        next(f for f in fc["features"] if f["properties"]["kind"] == "uncertain-band")["geometry"]
    )
    pts = {sid: Point(lon, lat) for sid, _, lat, lon in SITES}
    assert rings["low"].covers(pts["vilnius"]) and not band.covers(pts["vilnius"])
    assert band.covers(pts["riga"]) and not rings["central"].covers(pts["riga"])
    assert not rings["high"].covers(pts["warsaw"])
    # the band's area is the annulus between 180 and 450 km (area on the map in deg^2,
    # so compare with the polygons it is made of)
    assert band.area == pytest.approx(rings["high"].area - rings["low"].area, rel=1e-6)
    sites = {
        f["properties"]["id"]: f["properties"]
        for f in fc["features"]
        if f["properties"]["kind"] == "site"
    }
    assert sites["riga"]["verdict"] == "uncertain"
    assert sites["riga"]["range_km"] == {"low": 180.0, "central": 390.0, "high": 450.0}
    assert "within the band" in sites["riga"]["why"]
    assert uncertain_band_polygon(banded).equals_exact(
        footprint_polygon(banded, "high").difference(footprint_polygon(banded, "low")), 1e-9
    )


def test_summary_band_fields(banded):
    s = footprint_summary(banded)
    assert s["band"]["basis"] == "calibration"
    assert s["band"]["low_km"] == {"min": 180.0, "max": 180.0}
    assert s["band"]["high_km"] == {"min": 450.0, "max": 450.0}
    assert all(
        set(r) == {"azimuth_deg", "range_km", "range_low_km", "range_high_km"}
        for r in s["by_azimuth"]
    )
    assert [r["id"] for r in s["sites_in_reach"]] == ["vilnius"]
    assert [r["id"] for r in s["sites_uncertain"]] == ["riga"]
    assert [r["id"] for r in s["sites_out_of_reach"]] == ["warsaw"]
    assert s["answer"] == (
        "Test Missile: 1 in reach (Vilnius); 1 uncertain (Riga); 1 out of reach (Warsaw)"
    )
    json.dumps(s, allow_nan=False)


def test_kml_has_rings_band_and_verdict_styles(banded, tmp_path):
    path = write_kml(tmp_path / "b.kml", footprints=[banded])
    text = path.read_text()
    names = {"test-missile short ring", "test-missile long ring", "test-missile uncertain band"}
    assert all(f"<name>{n}</name>" in text for n in names)
    assert "#site-uncertain" in text and "#site-in" in text and "#site-out" in text
    assert "within the band" in text
    KML.parse(path)  # parses back


def test_czml_has_rings_band_and_verdict_colours(banded, tmp_path):
    path = write_czml(tmp_path / "b.czml", footprints=[banded])
    packets = json.loads(path.read_text())
    assert len(Document.load(path).packets) == len(packets)
    ids = {p["id"] for p in packets}
    pid = "footprint-0-test-missile"
    assert {f"{pid}-low", f"{pid}-high", f"{pid}-band-part0"} <= ids
    riga = next(p for p in packets if p.get("name") == "Riga")
    assert riga["point"]["color"]["rgba"] == [224, 138, 0, 255]
    assert "within the band" in riga["description"]


def test_map_shades_the_band_and_labels_sites_by_verdict(banded, tmp_path):
    fig = maps.map_footprint(banded, tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 10_000
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"Vilnius: in", "Riga: uncertain", "Warsaw: out"} <= texts
    labels = {t.get_text() for lg in fig.legends for t in lg.get_texts()}
    assert {"uncertain band", "site in the uncertain band", "central footprint"} <= labels
    assert "band 180–450 km" in fig.axes[0].get_title()
    plots.plot_footprint_polar(banded, tmp_path / "polar.png")
    assert (tmp_path / "polar.png").stat().st_size > 10_000


def test_csv_tables_carry_the_band(banded, tmp_path):
    import pandas as pd

    sites = pd.read_csv(write_sites_csv(banded, tmp_path / "s.csv"))
    assert list(sites["verdict"]) == ["in", "uncertain", "out"]
    assert np.allclose(sites["range_low_km"], 180.0) and np.allclose(sites["range_high_km"], 450.0)
    rows = pd.read_csv(write_footprint_csv(banded, tmp_path / "f.csv"))
    assert np.allclose(rows["range_low_km"], 180.0) and np.allclose(rows["range_high_km"], 450.0)


def test_footprint_polygon_refuses_an_unknown_ring(banded):
    with pytest.raises(ValueError, match="allowed: low, central, high"):
        footprint_polygon(banded, "middle")
