"""Running an analysis for a request: one at a time, bounded in time, answers cached.

The numba kernels run on all cores, so the server runs one analysis at a time on one
worker thread (``Compute``), in arrival order; a request that waits longer than
``wait_s`` for its turn gets 503, one whose analysis runs longer than ``timeout_s`` gets
504 (the analysis finishes in the background and its answer is cached, so asking again
returns it at once). Answers are kept in a small LRU cache keyed by the endpoint and the
validated request: a shared URL or a page reload costs nothing.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from starlette.responses import JSONResponse

__all__ = ["Busy", "Compute", "StrictJSONResponse", "TooSlow", "strict_json"]


class Busy(Exception):
    """The analysis queue did not free up in time."""


class TooSlow(Exception):
    """The analysis ran past the request's time limit."""


def strict_json(obj) -> bytes:
    """JSON as ``bmdsim ... --json`` prints it: NaN and infinities as null."""
    try:
        return json.dumps(obj, allow_nan=False, separators=(",", ":")).encode()
    except ValueError:
        from bmdsim.output.summary import json_value

        return json.dumps(json_value(obj), allow_nan=False, separators=(",", ":")).encode()


class StrictJSONResponse(JSONResponse):
    def render(self, content) -> bytes:
        return strict_json(content)


class Compute:
    def __init__(self, *, timeout_s: float = 120.0, wait_s: float = 60.0, cache_size: int = 128):
        self.timeout_s = timeout_s
        self.wait_s = wait_s
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bmdsim-analysis")
        self._sem: asyncio.Semaphore | None = None
        self._cache: OrderedDict[str, object] = OrderedDict()
        self._pending: dict[str, asyncio.Future] = {}
        self.cache_size = cache_size
        self.timings: dict[str, list[float]] = {}

    def _key(self, name: str, params: dict) -> str:
        return name + ":" + json.dumps(params, sort_keys=True, default=str)

    def _remember(self, key: str, value) -> None:
        self._cache[key] = value
        self._cache.move_to_end(key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def run(self, name: str, params: dict, fn):
        """``fn()`` on the analysis thread (or its cached answer for ``params``)."""
        key = self._key(name, params)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        if self._sem is None:
            self._sem = asyncio.Semaphore(1)
        loop = asyncio.get_running_loop()
        fut = self._pending.get(key)
        if fut is None:
            try:
                await asyncio.wait_for(self._sem.acquire(), timeout=self.wait_s)
            except TimeoutError:
                raise Busy(
                    f"the server is busy with other analyses (waited {self.wait_s:g} s)"
                ) from None
            fut = loop.run_in_executor(self._pool, _timed, fn)
            self._pending[key] = fut

            def done(f, key=key):
                self._sem.release()
                self._pending.pop(key, None)
                if not f.cancelled() and f.exception() is None:
                    value, seconds = f.result()
                    self._remember(key, value)
                    self.timings.setdefault(name, []).append(seconds)

            fut.add_done_callback(done)
        try:
            value, _ = await asyncio.wait_for(asyncio.shield(fut), timeout=self.timeout_s)
        except TimeoutError:
            raise TooSlow(
                f"the analysis ran longer than {self.timeout_s:g} s; it goes on in the "
                "background: ask again in a while for its answer"
            ) from None
        return value

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _timed(fn):
    import time

    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def series(traj, points: int) -> dict:
    """A trajectory's time series, at most ``points`` samples evenly spread over the
    flight (always the first and the last), rounded as the summaries round."""
    import numpy as np

    n = len(traj.t_s)
    idx = np.unique(np.linspace(0, n - 1, min(points, n)).round().astype(int)) if n else []

    def col(a, scale, nd):
        return [
            None if not math.isfinite(float(v)) else round(float(v) * scale, nd)
            for v in np.asarray(a, float)[idx]
        ]

    return {
        "t_s": col(traj.t_s, 1.0, 2),
        "lat": col(traj.lat_deg, 1.0, 5),
        "lon": col(traj.lon_deg, 1.0, 5),
        "alt_km": col(traj.alt_m, 1e-3, 3),
        "speed_kms": col(traj.speed_m_s, 1e-3, 4),
        "ground_range_km": col(traj.ground_range_m, 1e-3, 2),
    }
