"""Fixtures of the web tests: the app in-process (TestClient), the app served by uvicorn
on 127.0.0.1 (for the OpenAPI fuzz and the browser), and Debian's chromium driven by
Playwright with the flags of a closed network.

Chromium comes from the project's set-up (``make install`` and ``make test`` run
``apt-get install -y chromium`` when it is missing); only where there is no apt at all
are the browser tests skipped, with a message that says so.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.web

# Headless Debian chromium on a machine with no network and no GPU: software WebGL
# (SwiftShader, which Cesium needs), and none of chromium's own background connections.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-default-browser-check",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from bmdsim.web import Settings, create_app

    app = create_app(
        Settings(data_dir=tmp_path_factory.mktemp("web-data"), warm=False, max_queued=2)
    )
    with TestClient(app) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, settings):
        import uvicorn

        from bmdsim.web import create_app

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 120
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def wait_warm(self, timeout=600):
        import httpx

        deadline = time.time() + timeout
        while time.time() < deadline:
            if httpx.get(f"{self.url}/api/health").json()["warm"]:
                return
            time.sleep(0.5)
        raise RuntimeError("the kernels did not warm up")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from bmdsim.web import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("live-data"), warm=True, max_queued=4)
    with LiveServer(settings) as server:
        server.wait_warm()
        yield server


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None and shutil.which("apt-get") is None:
        pytest.skip(
            "no chromium and no apt-get to install it: the browser tests need Debian's "
            "chromium (apt-get install chromium), which this machine cannot install"
        )
    if path is None:
        pytest.fail("chromium is missing: `make install` installs it (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageLog:
    """Every request a page makes, every failed one, and its errors."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} {r.status}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def outside(self) -> list[str]:
        """Requests that left this server (data: and blob: URLs are the page's own)."""
        return [
            u
            for u in self.requests
            if not (
                u.startswith(self.origin + "/") or u.startswith(("data:", "blob:" + self.origin))
            )
        ]

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, indent=1, default=str))


@contextlib.contextmanager
def _open_page(browser, live_server, width=1366, height=768):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(180_000)
    page.log = PageLog(page, live_server.url)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page_factory(browser, live_server):
    """``with page_factory(width, height) as page``: a fresh page of that size."""
    return lambda width, height: _open_page(browser, live_server, width, height)


@pytest.fixture
def page(browser, live_server):
    with _open_page(browser, live_server) as page:
        yield page
