"""The ASGI app of ``bmdsim serve``: the page, its vendored assets and the JSON API.

``create_app(Settings(...))`` builds it; ``uvicorn`` serves it (``bmdsim serve``). On
start-up the numba kernels are compiled (or loaded from the on-disk cache) on the
analysis thread by one small reach and one flight, before any request's analysis runs,
so the first click is as fast as the next (``GET /api/health`` says when they are warm).

Limits: request bodies over ``max_body_bytes`` get 413; an analysis waits at most
``wait_s`` for its turn (503) and runs at most ``timeout_s`` (504); scenario runs queue
(``jobs``). The page may load nothing but this server (a Content-Security-Policy says
so to the browser): no CDN, no tiles, no fonts from elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bmdsim.errors import BmdsimError, ScenarioError, StoreError, UnknownEntryError
from bmdsim.web import api, runs
from bmdsim.web.compute import Busy, Compute, StrictJSONResponse, TooSlow

__all__ = ["STATIC", "Settings", "create_app", "default_data_dir"]

STATIC = Path(__file__).resolve().parent / "static"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1", "testserver"]
# CesiumJS needs eval (knockout's bindings in its widgets) and WebAssembly in its workers;
# what matters here is that nothing may be loaded or sent anywhere but this server.
CSP = (
    "default-src 'self'; script-src 'self' blob: 'unsafe-eval' 'wasm-unsafe-eval'; "
    "worker-src 'self' blob:; "
    "img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' data: "
    "blob:; font-src 'self' data:; object-src 'none'; frame-src 'self'; base-uri 'none'; "
    "form-action 'self'"
)
log = logging.getLogger("bmdsim.web")


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/bmdsim/serve`` (``~/.local/share/bmdsim/serve``)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "bmdsim" / "serve"


@dataclass
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    warm: bool = True  # compile the kernels on start-up
    max_body_bytes: int = 1_000_000
    timeout_s: float = 120.0
    wait_s: float = 60.0
    max_samples: int = 20_000
    max_queued: int = 8
    job_time_limit_s: float = 1800.0
    allowed_hosts: list[str] = field(default_factory=lambda: list(LOOPBACK_HOSTS))


def _warm_up() -> None:
    """Compile (or load) the kernels a click uses: a tiny footprint, one flight, and one
    engagement (the flyout and engagement kernels)."""
    import bmdsim

    bmdsim.reach("iskander-m", origin="kaliningrad", sites="redzikowo", n_azimuths=8)
    bmdsim.fly("iskander-m", origin="kaliningrad", target="redzikowo")
    bmdsim.engage(
        "iskander-m",
        origin="kaliningrad",
        target="redzikowo",
        defences=["redzikowo"],
        min_speed=False,
    )


class BodyLimit:
    """Refuse request bodies larger than ``limit`` bytes with 413, whether or not the
    client announced the length."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await _too_large(self.limit, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(self.limit, send)


class _TooLarge(Exception):
    pass


async def _too_large(limit, send):
    resp = StrictJSONResponse(
        {"detail": f"request body larger than {limit:,} bytes"}, status_code=413
    )
    await resp({"type": "http"}, None, send)


# bmdsim's errors name the Python arguments; the API's fields are the CLI's option names.
FIELD_NAMES = {"target": "to", "origin": "from", "launch": "from", "defence": "defences"}


def _field(name: str | None) -> str:
    if not name:
        return "input"
    head, dot, rest = name.partition(".")
    return FIELD_NAMES.get(head, head) + dot + rest


def _error(status: int, exc: BmdsimError, where: str = "body"):
    field_name = _field(exc.field)
    return StrictJSONResponse(
        {
            "detail": [
                {
                    "loc": [where, field_name],
                    "msg": str(exc),
                    "type": type(exc).__name__,
                    "input": exc.value if isinstance(exc.value, str | int | float) else None,
                    "allowed": exc.allowed if isinstance(exc.allowed, str | list | tuple) else None,
                }
            ]
        },
        status_code=status,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    settings.data_dir = Path(settings.data_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from bmdsim.web.jobs import JobManager

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        app.state.compute = Compute(timeout_s=settings.timeout_s, wait_s=settings.wait_s)
        app.state.jobs = JobManager(
            settings.data_dir,
            max_queued=settings.max_queued,
            time_limit_s=settings.job_time_limit_s,
        )
        app.state.warm = not settings.warm
        if settings.warm:

            async def warm():
                try:
                    await app.state.compute.run("warm-up", {}, _warm_up)
                except Exception:  # the first request will then compile; say so
                    log.exception("warming the kernels failed")
                app.state.warm = True

            app.state.warm_task = asyncio.create_task(warm())
        yield
        app.state.jobs.shutdown()
        app.state.compute.shutdown()

    from bmdsim import __version__

    app = FastAPI(
        title="bmdsim",
        version=__version__,
        summary="Open, cited, physics-based ballistic-missile simulation: the CLI's --json "
        "as an API.",
        description="Each endpoint answers what the matching `bmdsim` command prints with "
        "`--json` (fields in docs/outputs.md). Errors: 422 with `detail[].loc` naming the "
        "field; 413 for a body over the limit; 503 when the analysis queue is full; 504 "
        "when an analysis runs past the time limit. See docs/web.md.",
        lifespan=lifespan,
        default_response_class=StrictJSONResponse,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.include_router(api.router)
    app.include_router(runs.router)

    @app.get("/api/health", tags=["server"], summary="Is the server up, are the kernels warm?")
    def health(request: Request) -> dict:
        timings = request.app.state.compute.timings
        return {
            "status": "ok",
            "version": __version__,
            "warm": bool(request.app.state.warm),
            "analysis_seconds": {
                k: {"n": len(v), "last": round(v[-1], 4), "min": round(min(v), 4)}
                for k, v in timings.items()
            },
        }

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        from fastapi.encoders import jsonable_encoder

        return StrictJSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)

    @app.exception_handler(BmdsimError)
    async def bmdsim_error(request: Request, exc: BmdsimError):
        if request.method == "GET" and isinstance(exc, UnknownEntryError | ScenarioError):
            return _error(404, exc, "path")
        if isinstance(exc, StoreError):
            return _error(409, exc)
        return _error(422, exc)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return StrictJSONResponse(
            {"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"}
        )

    @app.exception_handler(TooSlow)
    async def too_slow(request: Request, exc: TooSlow):
        return StrictJSONResponse({"detail": str(exc)}, status_code=504)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs():
        """Swagger UI from the vendored swagger-ui-dist (FastAPI's default loads a CDN)."""
        from fastapi.openapi.docs import get_swagger_ui_html

        page = get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="bmdsim API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
        )
        page.headers["Content-Security-Policy"] = CSP.replace(
            "script-src 'self'", "script-src 'self' 'unsafe-inline'"
        )
        return page

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
