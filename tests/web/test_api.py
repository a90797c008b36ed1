"""The JSON API in-process: the CLI's --json answers, field-naming 422s, limits, the
safety of uploads and SQL, and scenario runs as jobs."""

from __future__ import annotations

import json
import time

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from bmdsim.cli import app as cli_app
from golden.commands import COMMANDS
from golden.test_golden import ANSWERS, assert_same

pytestmark = pytest.mark.web
RUNNER = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1", "TERM": "dumb"})

# The API request for each README command whose --json answer tests/golden keeps.
AS_API = {
    "catalogue-list": ("GET", "/api/catalogue", None),
    "catalogue-list-site": ("GET", "/api/catalogue?kind=site", None),
    "catalogue-show-ss-26": ("GET", "/api/catalogue/SS-26", None),
    "reach-polonez": (
        "POST",
        "/api/reach",
        {"missile": "polonez", "from": "53.3,28.6", "sites": "all"},
    ),
    "trajectory-iskander-apogee-60": (
        "POST",
        "/api/trajectory",
        {"missile": "iskander-m", "from": "kaliningrad", "to": "redzikowo", "shape": "apogee=60"},
    ),
    "coast-closed-form": (
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
    ),
    "engage-iskander-redzikowo": (
        "POST",
        "/api/engage",
        {
            "threat": "iskander-m",
            "from": "kaliningrad",
            "to": "redzikowo",
            "defences": ["redzikowo"],
        },
    ),
    "flyout-sm-3-iia": ("POST", "/api/flyout", {"interceptor": "sm-3-iia"}),
    "coverage-s-400": ("POST", "/api/coverage", {"site": "baranovichi-s-400-notional"}),
}


def test_reach_answers_what_the_cli_prints(client):
    """The done-when: POST /api/reach {"missile": "iskander-m", "from": "kaliningrad"}
    returns what `bmdsim reach --missile iskander-m --from kaliningrad --json` prints."""
    cli = RUNNER.invoke(
        cli_app, ["reach", "--missile", "iskander-m", "--from", "kaliningrad", "--json"]
    )
    assert cli.exit_code == 0, cli.stderr
    r = client.post("/api/reach", json={"missile": "iskander-m", "from": "kaliningrad"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json() == json.loads(cli.stdout)
    again = client.post("/api/reach", json={"from": "kaliningrad", "missile": "iskander-m"})
    assert again.json() == r.json()  # the same answer from the cache, whatever the key order


@pytest.mark.parametrize("name", sorted(AS_API))
def test_endpoint_answers_the_recorded_cli_json(client, name):
    method, path, body = AS_API[name]
    assert name in COMMANDS
    want = json.loads((ANSWERS / f"{name}.json").read_text())
    r = client.request(method, path, json=body)
    if want["exit_code"] != 0:  # the CLI's one-line error is the 422's message
        assert r.status_code == 422, r.text
        assert want["stderr"] == f"error: {r.json()['detail'][0]['msg']}"
        return
    assert r.status_code == 200, r.text
    assert_same(r.json(), want["json"])


def test_trajectory_series_follows_the_flight(client):
    body = {
        "missile": "iskander-m",
        "from": "kaliningrad",
        "to": "redzikowo",
        "series": True,
        "points": 60,
    }
    t = client.post("/api/trajectory", json=body).json()
    s = t["series"]
    assert 2 <= len(s["t_s"]) <= 60
    assert len({len(v) for v in s.values()}) == 1
    assert s["t_s"][0] == 0 and s["t_s"] == sorted(s["t_s"])
    assert s["t_s"][-1] == pytest.approx(t["flight_time_s"], abs=0.1)
    assert max(s["alt_km"]) <= t["apogee_km"] + 0.1
    assert max(s["alt_km"]) >= 0.95 * t["apogee_km"]  # 60 samples catch the top
    assert s["ground_range_km"][-1] == pytest.approx(t["range_km"], rel=1e-3)
    plain = client.post("/api/trajectory", json={**body, "series": False}).json()
    assert "series" not in plain and plain == {k: v for k, v in t.items() if k != "series"}


def test_engagement_figures_are_pngs(client):
    body = {
        "threat": "iskander-m",
        "from": "kaliningrad",
        "to": "redzikowo",
        "defences": ["redzikowo"],
    }
    for kind in ("battle-space", "timeline"):
        r = client.post(f"/api/engage/figure?kind={kind}", json=body)
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        assert r.content[:8] == b"\x89PNG\r\n\x1a\n" and len(r.content) > 10_000


def test_engage_takes_a_cruise_missile(client):
    body = {
        "threat": "kalibr",
        "from": "52.0,21.0",
        "to": "baranovichi-s-400-notional",
        "defences": ["baranovichi-s-400-notional:s-400-48n6dm"],
        "min_speed": False,
    }
    r = client.post("/api/engage", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["threat"]["cruise"] is True and out["windows"][0]["feasible"]
    assert any("4/3-Earth horizon" in n for n in out["notes"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"missile": "iskander-m"}, "from"),
        ({"missile": "iskander-m", "from": "kaliningrad", "azimuths": "many"}, "azimuths"),
        ({"missile": "iskander-m", "from": "kaliningrad", "azimuths": 3}, "azimuths"),
        ({"missile": "iskander-m", "from": "kaliningrad", "colour": "red"}, "colour"),
        ({"missile": "no-such-missile", "from": "kaliningrad"}, "missile"),
        ({"missile": "iskander-m", "from": "atlantis"}, "from"),
        ({"missile": "iskander-m", "from": "95,20"}, "from.lat"),
        ({"missile": "/etc/passwd", "from": "kaliningrad"}, "missile"),
        ({"missile": "my-vehicle.yaml", "from": "kaliningrad"}, "missile"),
    ],
)
def test_a_malformed_reach_gets_422_naming_the_field(client, body, field):
    r = client.post("/api/reach", json=body)
    assert r.status_code == 422, r.text
    locs = [".".join(str(x) for x in d["loc"][1:]) for d in r.json()["detail"]]
    assert field in locs, locs


def test_a_target_out_of_range_names_the_field_to(client):
    r = client.post(
        "/api/trajectory", json={"missile": "iskander-m", "from": "brest", "to": "washington-dc"}
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "to"]


def test_bad_json_and_wrong_types_are_422(client):
    r = client.post(
        "/api/reach", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    r = client.post(
        "/api/coast",
        json={"lat": 91, "lon": 0, "alt_km": 0, "speed_kms": 3, "gamma_deg": 1, "azimuth_deg": 0},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "lat"]


def test_catalogue_entries_carry_their_sources(client):
    missiles = client.get("/api/catalogue").json()
    sources = {s["id"] for s in client.get("/api/catalogue?kind=source").json()}
    for m in missiles:
        assert m["published_range"]["source"] in sources
        assert (
            m["published_range"]["low"]
            <= m["published_range"]["value"]
            <= m["published_range"]["high"]
        )
    cited = client.get("/api/catalogue/SS-26/sources").json()
    assert cited and all(s["id"] in sources and s["title"] for s in cited)
    r = client.get("/api/catalogue/no-such-thing")
    assert r.status_code == 404 and r.json()["detail"][0]["loc"] == ["path", "name"]
    assert client.get("/api/catalogue?kind=nonsense").status_code == 422


def test_basemap_is_the_shipped_natural_earth(client):
    r = client.get("/api/basemap")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    geo = r.json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) > 150


def test_the_page_and_its_assets_are_served_with_a_closed_csp(client):
    r = client.get("/")
    assert r.status_code == 200 and "bmdsim" in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    for asset in ("/static/js/main.js", "/static/app.css", "/static/vendor/cesium/Cesium.js"):
        assert client.get(asset).status_code == 200, asset
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()


def test_no_file_outside_the_app_is_served(client):
    for path in (
        "/static/../app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e/%2e%2e/catalogue/data/missiles.yaml",
        "/api/runs/..%2f..%2fetc/report",
        "/api/runs/../../etc/passwd/report",
    ):
        r = client.get(path)
        assert r.status_code in (404, 422), (path, r.status_code)
        assert "import" not in r.text


def test_a_foreign_host_header_is_refused(client):
    """No DNS rebinding: a page on another name cannot talk to the app."""
    assert client.get("/api/health", headers={"host": "evil.example"}).status_code == 400


def test_bodies_over_the_limit_get_413(client):
    r = client.post(
        "/api/reach", content=b"x" * 1_000_001, headers={"content-type": "application/json"}
    )
    assert r.status_code == 413


def test_openapi_documents_every_endpoint_and_its_schemas(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for name in (
        "ReachRequest",
        "ReachResponse",
        "TrajectoryResponse",
        "EngageResponse",
        "Job",
        "QueryResponse",
    ):
        assert name in schemas, name
    assert schemas["ReachRequest"]["properties"]["from"]
    for path in (
        "/api/reach",
        "/api/trajectory",
        "/api/coast",
        "/api/engage",
        "/api/flyout",
        "/api/coverage",
        "/api/catalogue",
        "/api/runs",
        "/api/runs/{run_id}/query",
    ):
        assert path in spec["paths"], path


# -- scenarios and runs -----------------------------------------------------------------------
TINY = """\
name: tiny
description: one Iskander-M flight, no defences
threats:
  - id: brest-warsaw
    missile: iskander-m
    from: brest
    to: warsaw
analyses:
  trajectories: true
"""


def test_a_scenario_with_a_bad_field_names_line_and_field(client):
    bad = TINY.replace("missile: iskander-m", "missile: iskandr")
    r = client.post("/api/scenarios/check", json={"yaml": bad})
    assert r.status_code == 422
    d = r.json()["detail"][0]
    assert d["line"] == 5 and d["field"] == "threats[0].missile" and "iskandr" in d["msg"]
    r = client.post("/api/scenarios/check", files={"file": ("s.yaml", bad.encode(), "text/yaml")})
    assert r.status_code == 422 and r.json()["detail"][0]["line"] == 5
    ok = client.post("/api/scenarios/check", files={"file": ("s.yaml", TINY.encode(), "text/yaml")})
    assert ok.status_code == 200 and ok.json()["name"] == "tiny"


def test_an_upload_may_not_name_a_file(client, tmp_path):
    secret = tmp_path / "vehicle.yaml"
    secret.write_text("id: secret\n")
    text = TINY.replace("missile: iskander-m", f"missile: {secret}")
    r = client.post("/api/scenarios/check", json={"yaml": text})
    assert r.status_code == 422
    d = r.json()["detail"][0]
    assert d["line"] == 5 and "vehicle files" in d["msg"]


def test_oversized_and_binary_uploads_are_refused(client):
    big = TINY + "#" * 200_001
    assert client.post("/api/scenarios/check", json={"yaml": big}).status_code == 422
    r = client.post(
        "/api/scenarios/check", files={"file": ("s.yaml", b"\xff\xfe\x00", "text/yaml")}
    )
    assert r.status_code == 422 and "UTF-8" in r.json()["detail"][0]["msg"]


def test_shipped_scenarios_are_listed_and_opened(client):
    names = [s["name"] for s in client.get("/api/scenarios").json()]
    assert "europe-2016" in names and "baltic-srbm" in names
    s = client.get("/api/scenarios/baltic-srbm").json()
    assert s["yaml"].startswith("#") and s["threats"] and s["defences"]
    assert client.get("/api/scenarios/nope").status_code == 404


def _wait(client, run_id, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = client.get(f"/api/runs/{run_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not finish: {job}")


def test_an_uploaded_scenario_runs_as_a_job_with_progress_and_a_report(client):
    r = client.post("/api/runs", files={"file": ("tiny.yaml", TINY.encode(), "text/yaml")})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] in ("queued", "running") and job["scenario"] == "tiny"
    job = _wait(client, job["id"])
    assert job["status"] == "done", job
    assert job["progress"]["step"] == job["progress"]["total"] >= 2
    report = job["report"]
    assert report["scenario"] == "tiny" and report["trajectories"][0]["threat"] == "brest-warsaw"
    html = client.get(job["files"]["report"])
    assert html.status_code == 200 and "<html" in html.text.lower()
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert client.get(job["files"]["czml"]).json()[0]["id"] == "document"
    assert any(j["id"] == job["id"] for j in client.get("/api/runs").json())


def test_a_run_can_be_cancelled_and_the_queue_is_bounded(client):
    ids, codes = [], []
    for _ in range(6):  # one may start running; at most two wait (max_queued=2 here)
        r = client.post("/api/runs", json={"yaml": TINY})
        codes.append(r.status_code)
        if r.status_code != 202:
            break
        ids.append(r.json()["id"])
    assert codes[-1] == 429 and 2 <= len(ids) <= 3, codes
    for run_id in reversed(ids):
        assert client.post(f"/api/runs/{run_id}/cancel").status_code == 200
    jobs = [_wait(client, run_id, 120) for run_id in ids]
    assert all(j["status"] in ("cancelled", "done") for j in jobs)
    assert [j["status"] for j in jobs[-2:]] == ["cancelled", "cancelled"]
    assert all(j["report"] is None for j in jobs if j["status"] == "cancelled")


def test_run_requests_are_validated(client):
    assert client.post("/api/runs", json={}).status_code == 422
    assert (
        client.post("/api/runs", json={"scenario": "europe-2016", "yaml": TINY}).status_code == 422
    )
    r = client.post("/api/runs", json={"scenario": "europe-2016", "samples": 10**9})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "samples"]
    assert client.post("/api/runs", json={"scenario": "../../etc/passwd"}).status_code == 422
    assert client.get("/api/runs/0123456789ab").status_code == 404
    assert client.get("/api/runs/not-an-id").status_code == 422


# -- results stores ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def stored_run(client):
    """A finished run with a results store of 1,000 made-up rows, as a sweep writes it."""
    from bmdsim.sweep.store import ResultStore

    jobs = client.app.state.jobs
    job = jobs.submit(TINY, "stored", 0, None)
    job = _wait(client, job.id)
    store = ResultStore(jobs.folder(job["id"]) / "store")
    n = 1000
    rows = pa.table(
        {
            "sample": pa.array(range(n), pa.int64()),
            "threat": ["t1"] * n,
            "site": ["s1"] * n,
            "interceptor": ["i1"] * n,
            "feasible": [i % 4 != 0 for i in range(n)],
        }
    )
    store.write_chunk(0, n, rows)
    store.start_run(seed=1, n_samples=n, chunk_size=n, executor="local", backend="cpu")
    return job["id"], store


def test_results_overview_matches_the_cli(client, stored_run):
    from bmdsim.cli.results import _overview

    run_id, store = stored_run
    r = client.get(f"/api/runs/{run_id}/results")
    assert r.status_code == 200, r.text
    want, _ = _overview(store)
    assert r.json() == json.loads(json.dumps(want))
    assert r.json()["p_feasible"][0]["p_feasible"] == pytest.approx(0.75)


def test_a_query_returns_rows_up_to_the_limit(client, stored_run):
    run_id, _ = stored_run
    q = client.post(
        f"/api/runs/{run_id}/query",
        json={"sql": "SELECT sample, feasible FROM results ORDER BY sample", "max_rows": 10},
    )
    assert q.status_code == 200, q.text
    out = q.json()
    assert out["columns"] == ["sample", "feasible"] and out["row_count"] == 10 and out["truncated"]
    assert out["rows"][3] == {"sample": 3, "feasible": True}
    q = client.post(
        f"/api/runs/{run_id}/query", json={"sql": "SELECT avg(feasible::DOUBLE) AS p FROM results"}
    )
    assert q.json()["rows"] == [{"p": 0.75}] and not q.json()["truncated"]


@pytest.mark.parametrize(
    "sql",
    [
        "DROP VIEW results",
        "CREATE TABLE x AS SELECT 1",
        "SELECT 1; SELECT 2",
        "COPY (SELECT 1) TO '/tmp/bmdsim-web-test.csv'",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM read_parquet('/tmp/*.parquet')",
        "ATTACH '/tmp/x.db' AS x",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "SELECT * FROM nope",
    ],
)
def test_a_query_can_only_read_its_store(client, stored_run, sql):
    run_id, _ = stored_run
    r = client.post(f"/api/runs/{run_id}/query", json={"sql": sql})
    assert r.status_code == 422, (sql, r.text)
    assert r.json()["detail"][0]["loc"] == ["body", "sql"]
