"""The page in Debian's chromium (headless, driven by Playwright): load it, click a
launch point and see the footprint drawn (in the DOM and on a non-blank canvas), follow a
shared URL to a flight and an engagement, fit a laptop and a phone, run a shipped
scenario, and never make a request that leaves 127.0.0.1."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytestmark = [pytest.mark.web, pytest.mark.slow]

FOOTPRINT_RGB = (234, 88, 12)  # the footprint's outline (#ea580c in globe.js)


def _pixels(png: bytes):
    """(image, its pixels as an (n, 3) int array)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    return img, np.asarray(img, dtype=int).reshape(-1, 3)


def _colours(pixels) -> int:
    return len(np.unique(pixels, axis=0))


def _near(pixels, rgb, tol=40) -> int:
    return int(np.all(np.abs(pixels - np.asarray(rgb)) <= tol, axis=1).sum())


def _settled(page):
    """Wait until the page has no request in flight and the globe has drawn."""
    page.wait_for_function("document.body.dataset.ready === '1'")
    page.wait_for_function("!document.body.dataset.busy && !document.body.dataset.drawing")


def _closed(page):
    log = page.log
    assert log.outside() == [], f"requests that left the machine: {log.outside()}"
    assert log.failed == [], f"failed requests: {log.failed}"
    assert log.errors == [], f"page errors: {log.errors}"


def test_click_a_launch_point_draws_the_footprint(page, live_server):
    page.goto(live_server.url + "/")
    _settled(page)
    canvas = page.locator("#globe canvas")
    _, before = _pixels(canvas.screenshot())
    assert _colours(before) > 50, "the globe is blank before any click"
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("Number(document.body.dataset.footprint) >= 1")
    page.wait_for_function("Number(document.body.dataset.reachShown) >= 1")  # built, drawn
    _settled(page)
    text = page.inner_text("#reach-out")
    assert "reaches" in text and "maximum range" in text
    assert page.locator("#reach-out table tbody tr").count() >= 1
    assert page.input_value("#origin").count(",") == 1  # the clicked LAT,LON
    _, after = _pixels(canvas.screenshot())
    assert _colours(after) > 200, "the globe's canvas is blank"
    drawn = _near(after, FOOTPRINT_RGB) - _near(before, FOOTPRINT_RGB)
    assert drawn > 100, f"no footprint on the canvas ({drawn} new footprint-coloured pixels)"
    assert "from=" in page.url and "m=iskander-m" in page.url  # the view is in the URL
    _closed(page)


def test_every_number_shows_its_source(page, live_server):
    page.goto(live_server.url + "/?m=iskander-m&from=kaliningrad")
    _settled(page)
    page.wait_for_function("Number(document.body.dataset.footprint) >= 1")
    titles = page.eval_on_selector_all(".num", "els => els.map(e => e.title)")
    assert len(titles) >= 10
    bare = [t for t in titles if not ("Source: [" in t or "Computed by bmdsim" in t)]
    assert not bare, bare
    published = page.get_attribute("#missile-info .num", "title")
    assert "published range" in published and "band" in published and "Source: [" in published
    _closed(page)


def test_a_shared_url_restores_a_flight_and_an_engagement(page, live_server):
    url = (
        "/?m=iskander-m&from=kaliningrad&to=redzikowo&d=redzikowo:sm-3-ib&cue=burnout"
        "&tab=defence&t=120"
    )
    page.goto(live_server.url + url)
    _settled(page)
    page.wait_for_selector("#defence-out img.figure")
    _settled(page)
    assert "batteries could intercept" in page.inner_text("#defence-out")
    header = page.eval_on_selector_all("#defence-out th", "els => els.map(e => e.textContent)")
    assert "need km/s" in header and "has km/s" in header
    assert page.eval_on_selector("#defence-out img.figure", "i => i.naturalWidth") > 300
    page.click("button[data-tab=flight]")
    assert "apogee" in page.inner_text("#flight-out")
    assert int(page.evaluate("document.body.dataset.trajectory")) > 10
    assert page.locator("#profile svg").count() == 3
    assert page.input_value("#time") == "120"
    page.fill("#time", "200")
    page.dispatch_event("#time", "input")
    assert page.inner_text("#time-read").startswith("t 200 s")
    page.click("#view-2d")
    _settled(page)
    page.wait_for_function("location.search.includes('view=2d')")
    _, pixels = _pixels(page.locator("#globe canvas").screenshot())
    assert _colours(pixels) > 200, "the 2-D map is blank"
    _closed(page)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_page_fits_a_laptop_and_a_phone(page_factory, live_server, width, height):
    with page_factory(width, height) as page:
        page.goto(live_server.url + "/")
        _settled(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        globe = page.locator("#globe").bounding_box()
        panel = page.locator("#panel").bounding_box()
        assert globe["width"] > 0.6 * width if width < 700 else globe["width"] > 0.5 * width
        assert globe["height"] >= 300
        assert panel["width"] >= 300
        if width < 700:  # the panel goes under the globe
            assert panel["y"] >= globe["y"] + globe["height"] - 1
        _closed(page)


def test_run_a_shipped_scenario(page, live_server):
    page.goto(live_server.url + "/?tab=scenario")
    _settled(page)
    page.select_option("#scenario-pick", "baltic-srbm")
    page.wait_for_function("document.querySelector('#scenario-text').value.includes('baltic')")
    page.fill("#samples", "0")
    page.click("#run-go")
    page.wait_for_function("document.body.dataset.run === 'running'")
    page.wait_for_function(
        "['done', 'failed', 'cancelled'].includes(document.body.dataset.run)", timeout=900_000
    )
    assert page.evaluate("document.body.dataset.run") == "done", page.inner_text("#run-out")
    text = page.inner_text("#run-out")
    assert "baltic-srbm: done" in text and "Engagements" in text
    href = page.get_attribute("#run-out a", "href")
    assert href.startswith("/api/runs/") and href.endswith("/report")
    _settled(page)
    _closed(page)
