"""Every string a user supplies is data in every file format (issue 16): KML control
characters, CSV formula prefixes, matplotlib mathtext, HTML, strict JSON."""

from __future__ import annotations

import csv
import json
import math

from lxml import etree
from output_synthetic import MINSK, make_footprint

from bmdsim.output import files, kml, report, tables
from bmdsim.output.plots import new_figure, place_labels, save_figure

HOSTILE = [
    ("esc", "esc \x1b here", 54.0, 25.0),
    ("markup", "[/] [bold]x", 54.5, 26.0),
    ("math", "$\\frac{x$", 53.0, 25.5),
    ("html", "<script>alert(1)</script> & co", 52.5, 26.5),
    ("formula", '=HYPERLINK("http://evil","click")', 53.5, 24.5),
    ("plus", "+1 (555)", 52.8, 25.2),
]


def test_kml_holds_names_with_control_characters(tmp_path):
    fp = make_footprint(*MINSK, 300e3, sites=HOSTILE)
    path = kml.write_kml(tmp_path / "x.kml", footprints=[fp], name="a\x1bb")
    root = etree.parse(str(path))  # well-formed XML
    names = [e.text for e in root.iter("{http://www.opengis.net/kml/2.2}name")]
    assert "esc \ufffd here" in names and "a\ufffdb" in names
    assert "<script>alert(1)</script> & co" in names  # escaped by lxml, read back as text


def test_csv_cells_never_start_a_formula(tmp_path):
    fp = make_footprint(*MINSK, 300e3, sites=HOSTILE)
    path = tables.write_sites_csv(fp, tmp_path / "sites.csv")
    with path.open() as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert rows["formula"]["name"] == "'" + HOSTILE[4][1]
    assert rows["plus"]["name"] == "'+1 (555)"
    assert rows["html"]["name"] == HOSTILE[3][1]
    for r in rows.values():
        float(r["lat_deg"]), float(r["distance_km"])  # numbers stay numbers
    import pandas as pd

    df = tables.csv_safe(pd.DataFrame({"x": [-1.5, 2.0], "s": ["-1", "@a"], "=c": [1, 2]}))
    assert df["x"].tolist() == [-1.5, 2.0] and df["s"].tolist() == ["'-1", "'@a"]
    assert list(df.columns) == ["x", "s", "'=c"]


def test_figures_draw_names_as_written(tmp_path):
    fig = new_figure()
    ax = fig.add_subplot()
    ax.set_title("$\\frac{x$ site")
    ax.plot([0, 1], [0, 1])
    place_labels(ax, [(0.2, 0.2), (0.8, 0.8)], ["$\\frac{x$", "$$ \\alpha"])
    path = save_figure(fig, tmp_path / "f.png")
    assert path.stat().st_size > 1000
    assert all(not t.get_parse_math() for t in fig.texts + [ax.title] + ax.texts)


def test_footprint_files_with_hostile_site_names(tmp_path):
    fp = make_footprint(*MINSK, 300e3, sites=HOSTILE)
    files.write_footprint_files(fp, tmp_path)
    assert (tmp_path / "footprint_map.png").stat().st_size > 1000
    etree.parse(str(tmp_path / "footprint.kml"))
    json.loads((tmp_path / "footprint_summary.json").read_text())


def test_formats_left_out_when_asked(tmp_path):
    fp = make_footprint(*MINSK, 300e3)
    files.write_footprint_files(fp, tmp_path, kml=False, geojson=False)
    names = {p.name for p in tmp_path.iterdir()}
    assert "footprint.kml" not in names and "footprint.geojson" not in names
    assert "footprint.csv" in names and "footprint_map.png" in names


def test_html_report_escapes_every_supplied_string(tmp_path):
    evil = "<script>alert(1)</script>"
    path = report.write_report(
        tmp_path / "r.html",
        title=f"bmdsim: {evil}",
        scenario_text=f"name: {evil}\n",
        sections=[
            report.ReportSection(f"Reach {evil}", text=evil, tables=[[{"site": evil, evil: "x"}]])
        ],
        generated_by="test",
    )
    html = path.read_text()
    assert evil not in html and "&lt;script&gt;" in html


def test_json_summaries_are_strict(tmp_path):
    files._write_json(tmp_path / "x.json", {"a": math.nan, "b": [math.inf, 1.0]})
    text = (tmp_path / "x.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"a": None, "b": [None, 1.0]}
