"""Scenarios, scenario runs (jobs) and queries over their results stores.

* ``GET /api/scenarios``, ``GET /api/scenarios/{name}``: the shipped examples and their
  YAML; ``POST /api/scenarios/check``: validate YAML (an upload or text) with the
  scenario schema: 200 with what it holds, or 422 with ``[{line, field, message}]``.
* ``POST /api/runs`` (JSON, or a multipart upload ``file``): queue a run; 202 with the
  job. ``GET /api/runs/{id}``: status, progress and, when done, the report
  (``summary.json``); ``POST /api/runs/{id}/cancel``; ``GET /api/runs/{id}/report``
  (the HTML report), ``/czml`` (the Cesium scene), ``/summary``.
* ``GET /api/runs/{id}/results``: what the store holds (``bmdsim results DIR --json``);
  ``POST /api/runs/{id}/query``: one read-only SELECT, at most ``max_rows`` rows.

Everything a run reads or writes is in ``DATA/runs/<id>/``; ids are the server's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from bmdsim.errors import InputError
from bmdsim.web.compute import StrictJSONResponse
from bmdsim.web.models import (
    Job,
    QueryRequest,
    QueryResponse,
    RunRequest,
    ScenarioCheck,
)
from bmdsim.web.safety import (
    MAX_SCENARIO_BYTES,
    ScenarioProblems,
    check_run_id,
    read_only_query,
    validate_scenario_text,
)

router = APIRouter(prefix="/api", default_response_class=StrictJSONResponse)
PROBLEMS = {
    422: {
        "description": "The scenario does not validate: `detail[]` has line, field "
        "and message of each problem."
    }
}


def _validate(model, data):
    """``model`` from ``data`` or a 422 whose ``loc`` names the body's field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


def _jobs(request: Request):
    return request.app.state.jobs


def _describe(scn) -> dict:
    from bmdsim.scenario import scenario_hash

    return {
        "name": scn.name,
        "title": scn.description or None,
        "threats": [
            t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in scn.threats
        ],
        "defences": [d.model_dump(mode="json", exclude_none=True) for d in scn.defences],
        "sites": [s.model_dump(mode="json", exclude_none=True) for s in scn.sites],
        "samples": scn.uncertainty.samples,
        "hash": scenario_hash(scn),
    }


# -- scenarios ------------------------------------------------------------------------------
@router.get("/scenarios", tags=["scenarios"], summary="The shipped example scenarios")
def scenarios() -> list[dict]:
    from bmdsim.scenario import example_path, examples, load_scenario

    out = []
    for name in examples():
        scn = load_scenario(example_path(name))
        out.append({"name": name, "title": scn.description or None})
    return out


@router.get(
    "/scenarios/{name}",
    tags=["scenarios"],
    summary="A shipped scenario: its YAML and what it holds",
    responses={404: {"description": "No shipped scenario of that name."}},
)
def scenario(name: str) -> dict:
    from bmdsim.scenario import example_path, load_scenario

    path = example_path(name)  # ScenarioError (404) unless a shipped example
    return {"yaml": path.read_text(encoding="utf-8"), **_describe(load_scenario(path))}


async def _scenario_text(request: Request) -> tuple[bytes, str]:
    """The scenario YAML of a request: a multipart ``file`` or a JSON ``{"yaml": ...}``,
    at most MAX_SCENARIO_BYTES."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InputError("the upload needs a file field", field="file", allowed="YAML file")
            data = await upload.read(MAX_SCENARIO_BYTES + 1)
            return data, Path(upload.filename or "upload.yaml").name
    body = await _json(request)
    if not isinstance(body, dict) or not isinstance(body.get("yaml"), str):
        raise InputError('give the scenario as {"yaml": TEXT}', field="yaml", allowed="text")
    return body["yaml"].encode(), "upload.yaml"


async def _json(request: Request):
    try:
        return await request.json()
    except ValueError:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body",),
                    "msg": "the body is not JSON",
                    "input": None,
                }
            ]
        ) from None


def _problems_response(exc: ScenarioProblems):
    return StrictJSONResponse(
        {
            "detail": [
                {
                    "loc": ["body", "yaml", p["field"] or "file"],
                    "line": p["line"],
                    "field": p["field"],
                    "msg": p["message"],
                    "type": "scenario",
                }
                for p in exc.problems
            ]
        },
        status_code=422,
    )


@router.post(
    "/scenarios/check",
    tags=["scenarios"],
    summary="Validate scenario YAML (upload or text)",
    responses={200: {"model": ScenarioCheck}, **PROBLEMS},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"yaml": {"type": "string", "maxLength": MAX_SCENARIO_BYTES}},
                        "required": ["yaml"],
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            },
            "required": True,
        }
    },
)
async def check(request: Request):
    """Validate a scenario with the schema of ``bmdsim run``; problems name line and field."""
    data, label = await _scenario_text(request)
    try:
        scn = validate_scenario_text(data, label=label, base_dir=_jobs(request).runs_dir)
    except ScenarioProblems as exc:
        return _problems_response(exc)
    return _describe(scn)


# -- runs -----------------------------------------------------------------------------------
def _job_or_404(request: Request, run_id: str):
    check_run_id(run_id)
    job = _jobs(request).get(run_id)
    if job is None:
        raise HTTPException(404, f"no run {run_id!r}")
    return job


@router.get("/runs", tags=["runs"], summary="Every run this server knows (newest first)")
def runs(request: Request) -> list[dict]:
    jobs = _jobs(request)
    out = []
    for j in jobs.list():
        d = j.public(jobs.folder(j.id))
        d.pop("report", None)
        out.append(d)
    return out


@router.post(
    "/runs",
    tags=["runs"],
    summary="Queue a scenario run (a shipped example, YAML text, or an upload)",
    status_code=202,
    responses={202: {"model": Job}, 429: {"description": "Too many runs wait."}, **PROBLEMS},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": RunRequest.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "samples": {"type": "integer", "minimum": 0},
                            "seed": {"type": "integer", "minimum": 0},
                        },
                        "required": ["file"],
                    }
                },
            },
            "required": True,
        }
    },
)
async def submit(request: Request):
    """Runs what ``bmdsim run`` runs, in its own process, one run at a time; poll
    ``GET /api/runs/{id}`` for progress and the report."""
    from bmdsim.scenario import example_path

    settings = request.app.state.settings
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InputError("the upload needs a file field", field="file", allowed="YAML file")
            data = await upload.read(MAX_SCENARIO_BYTES + 1)
            fields = {k: form.get(k) for k in ("samples", "seed") if form.get(k) not in (None, "")}
            label = Path(upload.filename or "upload.yaml").name
        body = _validate(RunRequest, {"yaml": "x", **fields})
    else:
        body = _validate(RunRequest, await _json(request))
        if (body.scenario is None) == (body.yaml is None):
            raise InputError(
                "give either scenario (a shipped example) or yaml (scenario text)",
                field="scenario",
                allowed="scenario: NAME or yaml: TEXT",
            )
        if body.scenario is not None:
            data = example_path(body.scenario).read_bytes()
            label = f"{body.scenario}.yaml"
        else:
            data, label = body.yaml.encode(), "upload.yaml"
    jobs = _jobs(request)
    try:
        scn = validate_scenario_text(data, label=label, base_dir=jobs.runs_dir)
    except ScenarioProblems as exc:
        return _problems_response(exc)
    samples = body.samples if body.samples is not None else scn.uncertainty.samples
    if samples > settings.max_samples:
        raise InputError(
            f"{samples:,} samples asked; this server runs at most {settings.max_samples:,} "
            "(bmdsim serve --max-samples N; or bmdsim run on the command line)",
            field="samples",
            value=samples,
            allowed=f"0..{settings.max_samples}",
        )
    from bmdsim.web.jobs import QueueFull

    try:
        job = jobs.submit(data.decode("utf-8"), scn.name, samples, body.seed)
    except QueueFull as exc:
        raise HTTPException(429, str(exc)) from None
    return StrictJSONResponse(job.public(jobs.folder(job.id)), status_code=202)


@router.get(
    "/runs/{run_id}",
    tags=["runs"],
    summary="A run: status, progress, and the report when done",
    responses={200: {"model": Job}, 404: {"description": "No such run."}},
)
def run_status(run_id: str, request: Request):
    job = _job_or_404(request, run_id)
    return job.public(_jobs(request).folder(job.id))


@router.post(
    "/runs/{run_id}/cancel",
    tags=["runs"],
    summary="Cancel a queued or running run",
    responses={200: {"model": Job}, 404: {"description": "No such run."}},
)
def cancel(run_id: str, request: Request):
    _job_or_404(request, run_id)
    job = _jobs(request).cancel(run_id)
    return job.public(_jobs(request).folder(job.id))


def _store(request: Request, run_id: str):
    from bmdsim.sweep.store import ResultStore, is_store

    job = _job_or_404(request, run_id)
    path = _jobs(request).folder(job.id) / "store"
    if not is_store(path):
        raise HTTPException(404, f"run {run_id} has no results store (it sampled nothing)")
    return ResultStore(path)


@router.get(
    "/runs/{run_id}/results",
    tags=["results"],
    summary="What a run's results store holds (bmdsim results DIR --json)",
    responses={404: {"description": "No such run or store."}},
)
async def results(run_id: str, request: Request) -> dict:
    from bmdsim.web.store import overview

    store = _store(request, run_id)
    return await request.app.state.compute.run(
        "results", {"run": run_id, "mtime": _mtime(store)}, lambda: overview(store)
    )


def _mtime(store) -> float:
    files = store.part_files()
    return max((f.stat().st_mtime for f in files), default=0.0)


@router.post(
    "/runs/{run_id}/query",
    tags=["results"],
    summary="Read-only SQL over a run's results store",
    responses={200: {"model": QueryResponse}, 404: {"description": "No such run or store."}},
)
async def query(run_id: str, body: QueryRequest, request: Request):
    """One DuckDB ``SELECT`` over the views ``results`` (every sample's rows) and ``runs``,
    at most ``max_rows`` rows (``truncated`` says when there were more), within 20 s; the
    query can read nothing but the store."""
    from bmdsim.output.summary import json_value

    store = _store(request, run_id)

    def work():
        cols, rows, truncated = read_only_query(store, body.sql, max_rows=body.max_rows)
        records = [{c: json_value(v) for c, v in zip(cols, r, strict=True)} for r in rows]
        return {
            "columns": cols,
            "rows": records,
            "row_count": len(records),
            "truncated": truncated,
            "max_rows": body.max_rows,
        }

    key = {"run": run_id, "mtime": _mtime(store), **body.model_dump()}
    return await request.app.state.compute.run("query", key, work)


_FILES = {
    "report": ("report.html", "text/html; charset=utf-8"),
    "czml": ("scenario.czml", "application/json"),
    "summary": ("summary.json", "application/json"),
}


@router.get(
    "/runs/{run_id}/{what}",
    tags=["runs"],
    summary="A finished run's report (HTML), Cesium scene (CZML) or summary (JSON)",
    response_class=Response,
    responses={404: {"description": "No such run or file."}},
)
def run_file(run_id: str, what: Literal["report", "czml", "summary"], request: Request):
    job = _job_or_404(request, run_id)
    name, media = _FILES[what]
    path = _jobs(request).folder(job.id) / name
    if job.status != "done" or not path.is_file():
        raise HTTPException(404, f"run {run_id} has no {name} (status {job.status})")
    headers = {
        "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    }
    return FileResponse(path, media_type=media, headers=headers if what == "report" else None)
