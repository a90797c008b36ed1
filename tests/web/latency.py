"""Measure the web API's answer times against a running ``bmdsim serve`` (not a test).

    .venv/bin/bmdsim serve &          # wait for "warm": true at /api/health
    .venv/bin/python tests/web/latency.py [http://127.0.0.1:8765]

For each endpoint: the first request after start-up ("first": kernels compiled at
start-up, nothing cached), a second request with other inputs ("warm": what a new click
costs), and the same request again ("cached": a shared URL, a reload). Prints a
Markdown table (docs/web.md keeps the last one measured).
"""

from __future__ import annotations

import sys
import time

import httpx

CASES = [
    (
        "reach",
        "POST",
        "/api/reach",
        {"missile": "iskander-m", "from": "kaliningrad"},
        {"missile": "iskander-m", "from": "53.9,27.6"},
    ),
    (
        "reach (ICBM)",
        "POST",
        "/api/reach",
        {"missile": "rs-24-yars", "from": "teykovo"},
        {"missile": "rs-24-yars", "from": "yoshkar-ola"},
    ),
    (
        "trajectory",
        "POST",
        "/api/trajectory",
        {"missile": "iskander-m", "from": "kaliningrad", "to": "redzikowo", "series": True},
        {"missile": "iskander-m", "from": "kaliningrad", "to": "warsaw", "series": True},
    ),
    (
        "coast",
        "POST",
        "/api/coast",
        {
            "lat": 0,
            "lon": 0,
            "alt_km": 0,
            "speed_kms": 3,
            "gamma_deg": 40,
            "azimuth_deg": 90,
            "earth": "sphere",
            "rotation": False,
            "drag": False,
        },
        {
            "lat": 10,
            "lon": 0,
            "alt_km": 0,
            "speed_kms": 3,
            "gamma_deg": 40,
            "azimuth_deg": 90,
            "earth": "sphere",
            "rotation": False,
            "drag": False,
        },
    ),
    (
        "engage",
        "POST",
        "/api/engage",
        {
            "threat": "iskander-m",
            "from": "kaliningrad",
            "to": "redzikowo",
            "defences": ["redzikowo"],
        },
        {
            "threat": "iskander-m",
            "from": "kaliningrad",
            "to": "redzikowo",
            "defences": ["redzikowo"],
            "cue_at": "burnout",
        },
    ),
    (
        "flyout",
        "POST",
        "/api/flyout",
        {"interceptor": "sm-3-iia"},
        {"interceptor": "sm-3-iia", "azimuth_deg": 90},
    ),
    (
        "coverage",
        "POST",
        "/api/coverage",
        {"site": "baranovichi-s-400-notional"},
        {"site": "baranovichi-s-400-notional", "target_altitude_km": [1, 10]},
    ),
    ("catalogue", "GET", "/api/catalogue?kind=missile", None, None),
]


def timed(client, method, path, body):
    t0 = time.perf_counter()
    r = client.request(method, path, json=body)
    r.raise_for_status()
    return time.perf_counter() - t0


def main(url="http://127.0.0.1:8765"):
    with httpx.Client(base_url=url, timeout=600) as c:
        while not c.get("/api/health").json()["warm"]:
            time.sleep(1)
        print("| endpoint | first (s) | warm (s) | cached (s) |")
        print("|---|---:|---:|---:|")
        for name, method, path, first, other in CASES:
            a = timed(c, method, path, first)
            b = timed(c, method, path, other) if other else a
            cached = timed(c, method, path, other or first)
            print(f"| {name} | {a:.3f} | {b:.3f} | {cached:.4f} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
