"""The offline HTML report: one file, figures embedded, nothing loaded from the network."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from bmdsim.catalogue import Source, default_catalogue
from bmdsim.output.plots import plot_altitude_range
from bmdsim.output.report import (
    ReportOverride,
    ReportSection,
    catalogue_sources_for,
    format_number,
    write_report,
)

SOURCES = [
    Source(
        id="postol-2016",
        title="The Aegis Ashore site in Romania & European missile defence",
        author="T. A. Postol",
        year=2016,
        url="https://example.org/postol-aegis-ashore.pdf",
        accessed="2024-05-01",
        note="Slides, table 3.",
    ),
    Source(
        id="iiss-2016",
        title="The Military Balance 2016",
        author="IISS",
        year=2016,
        url=None,
        note="Print edition.",
    ),
]


class _Page(HTMLParser):
    """Collects the title, every src/href, the images and the bibliography items,
    remembering which attributes sit inside the bibliography."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self._in_title = False
        self.refs = []  # (tag, attr, value, inside_bibliography)
        self.images = []
        self.bib_items = []
        self._bib_depth = 0
        self._ol_depth = 0
        self._li_text = None
        self.h1 = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self._in_title = True
        if tag == "h1":
            self._in_h1 = True
        if tag == "ol":
            if self._bib_depth:
                self._bib_depth += 1
            elif "bibliography" in (a.get("class") or ""):
                self._bib_depth = 1
        if tag == "li" and self._bib_depth:
            self._li_text = []
        for k, v in attrs:
            if k in ("src", "href", "srcset", "data", "action", "poster", "background"):
                self.refs.append((tag, k, v or "", bool(self._bib_depth)))
        if tag == "img":
            self.images.append(a)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag == "li" and self._bib_depth and self._li_text is not None:
            self.bib_items.append(" ".join("".join(self._li_text).split()))
            self._li_text = None
        if tag == "ol" and self._bib_depth:
            self._bib_depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_h1:
            self.h1.append(data)
        if self._li_text is not None:
            self._li_text.append(data)


def _bibliography_block(text: str) -> str:
    m = re.search(r'<ol class="bibliography">.*?</ol>', text, flags=re.S)
    return m.group(0) if m else ""


@pytest.fixture
def report_path(tmp_path, short_trajectory, no_network):
    fig = plot_altitude_range(short_trajectory)
    table = pd.DataFrame(
        {
            "site": ["Vilnius", "Warsaw <b>"],
            "distance_km": [172.3, 475.0],
            "flight_time_s": [181.25, float("nan")],
            "in_reach": [True, False],
        }
    )
    rows = [{"missile": "iskander-m", "range_km": 300}, {"missile": "yars", "range_km": 11000}]
    sections = [
        ReportSection(
            title="Flight",
            text="Iskander-M from Minsk.\n\nA second paragraph with <script>x</script>.",
            figures=[(fig, "Altitude against ground range, Iskander-M from Minsk")],
            tables=[(table, "Sites and flight times")],
            notes=["Synthetic trajectory for the test."],
        ),
        ReportSection(title="Ranges", tables=[rows]),
    ]
    return write_report(
        tmp_path / "report" / "index.html",
        title="Europe 2016 & Aegis Ashore",
        scenario_text="name: europe-2016\nsamples: 100\n",
        sections=sections,
        sources=SOURCES,
        overrides=[
            ReportOverride(
                name="iskander-m burnout speed",
                value=2.3,
                default=2.1,
                unit="km/s",
                source="iiss-2016",
                origin="my-scenario.yaml",
            )
        ],
        generated_by="bmdsim 0.1.0 (test)",
    )


def test_report_is_self_contained(report_path):
    text = report_path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    page.close()

    assert page.title.strip() == "Europe 2016 & Aegis Ashore"
    assert "".join(page.h1).strip() == "Europe 2016 & Aegis Ashore"

    # the figure is embedded as a PNG data URI that decodes to a PNG
    assert len(page.images) == 1
    src = page.images[0]["src"]
    assert src.startswith("data:image/png;base64,")
    png = base64.b64decode(src.split(",", 1)[1], validate=True)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Figure 1." in text and "Altitude against ground range" in text

    # no resource is loaded: every src is a data URI, every href a fragment, except the
    # bibliography's links (followed only if the reader clicks them)
    for tag, attr, value, in_bib in page.refs:
        if attr == "src":
            assert value.startswith("data:"), (tag, value)
        elif in_bib:
            assert tag == "a" and value.startswith(("https://", "http://")), (tag, value)
        else:
            assert value.startswith("#"), (tag, attr, value)
    # and no web address anywhere outside the bibliography (CSS, meta, text)
    outside = text.replace(_bibliography_block(text), "")
    assert "http://" not in outside and "https://" not in outside
    assert "<link" not in text and "<script" not in text and "@import" not in text
    assert "url(" not in text


def test_report_bibliography_tables_overrides(report_path):
    text = report_path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert len(page.bib_items) == 2
    first, second = page.bib_items
    assert "T. A. Postol (2016)" in first and "Aegis Ashore site in Romania" in first
    assert "https://example.org/postol-aegis-ashore.pdf" in first and "[postol-2016]" in first
    assert "IISS (2016)" in second and "The Military Balance 2016" in second
    assert '<li id="src-iiss-2016">' in text

    # tables: escaped cells, numbers formatted, NaN as a dash, captions numbered
    assert "Warsaw &lt;b&gt;" in text
    assert "<script>x</script>" not in text and "&lt;script&gt;" in text
    assert "Table 1." in text and "Table 2." in text
    assert ">172.3<" in text and (">181.2<" in text or ">181.3<" in text)
    assert ">475<" in text and ">\u2014<" in text
    assert ">11,000<" in text
    assert ">yes<" in text and ">no<" in text  # numpy booleans
    # override: user value next to the cited default with its bibliography number
    assert "2.3 km/s (user value; cited default: 2.1 km/s" in text
    assert '<a href="#src-iiss-2016">[2]</a>' in text
    assert "my-scenario.yaml" in text
    # the scenario verbatim
    assert "name: europe-2016" in text


def test_report_accepts_png_paths_and_rejects_other_files(tmp_path, short_trajectory):
    png = tmp_path / "alt.png"
    plot_altitude_range(short_trajectory, png)
    out = write_report(
        tmp_path / "r.html",
        title="t",
        sections=[ReportSection(title="s", figures=[png])],
        sources=[],
        generated_by="bmdsim",
    )
    assert "data:image/png;base64," in out.read_text(encoding="utf-8")
    svg = tmp_path / "alt.svg"
    svg.write_text("<svg/>")
    with pytest.raises(ValueError, match="PNG"):
        write_report(
            tmp_path / "r2.html",
            title="t",
            sections=[ReportSection(title="s", figures=[svg])],
            generated_by="bmdsim",
        )


def test_catalogue_sources_for_collects_each_source_once():
    cat = default_catalogue()
    missile = cat.missile("iskander-m")
    sources = catalogue_sources_for(cat, [missile, ("missile", "SS-26")])
    ids = [s.id for s in sources]
    assert ids == [s.id for s in cat.sources_for(missile)]
    assert len(ids) == len(set(ids)) > 0


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (None, "\u2014"),
        (float("nan"), "\u2014"),
        (3, "3"),
        (12345, "12,345"),
        (2.0, "2"),
        (0.123456, "0.1235"),
        (1234.5678, "1,235"),
        (12.345, "12.35"),
        (2.3, "2.3"),
        (True, "yes"),
    ],
)
def test_format_number(x, text):
    assert format_number(x) == text
