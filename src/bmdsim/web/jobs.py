"""Scenario runs as jobs: a queue, one run at a time in its own process, progress,
cancel, and the report when done.

Each job runs ``bmdsim.scenario.run.run_scenario`` (what ``bmdsim run`` runs) in a
*spawned* process, so a run never blocks the server's interactive answers on the numba
kernels' thread pool, a cancel is immediate (the process is terminated; the results
store keeps its finished chunks, as after ``kill -9``), and a run is cut off after
``time_limit_s``. The queue holds at most ``max_queued`` waiting jobs (a full queue is
refused with 429). A job's folder is ``DATA/runs/<id>/``: the scenario it ran
(``scenario.yaml``), ``job.json`` (its state) and everything ``bmdsim run`` writes.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import queue
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["JobManager", "JobState", "QueueFull", "run_job"]

FINAL = ("done", "failed", "cancelled")


class QueueFull(Exception):
    """Too many jobs wait already."""


@dataclass
class JobState:
    id: str
    scenario: str
    samples: int | None
    seed: int | None
    status: str = "queued"
    progress: dict = field(default_factory=lambda: {"step": 0, "total": None, "label": ""})
    error: str | None = None
    notes: list = field(default_factory=list)
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    def public(self, folder: Path) -> dict:
        data = asdict(self)
        data["files"] = {}
        if self.status == "done":
            for name, key in (
                ("report.html", "report"),
                ("scenario.czml", "czml"),
                ("summary.json", "summary"),
            ):
                if (folder / name).is_file():
                    data["files"][key] = f"/api/runs/{self.id}/{key}"
            if (folder / "store").is_dir():
                data["files"]["results"] = f"/api/runs/{self.id}/results"
            summary = folder / "summary.json"
            data["report"] = json.loads(summary.read_text()) if summary.is_file() else None
        else:
            data["report"] = None
        return data


def run_job(scenario_path: str, out: str, samples, seed, messages) -> None:
    """The job process: run the scenario, report progress on ``messages``."""
    try:
        from bmdsim.errors import BmdsimError
        from bmdsim.scenario import load_scenario
        from bmdsim.scenario.run import run_scenario

        scn = load_scenario(scenario_path)

        def tick(k, n, label):
            messages.put(("progress", {"step": int(k), "total": int(n), "label": str(label)}))

        def sweep(done, total):
            messages.put(("progress", {"samples_done": int(done), "samples_total": int(total)}))

        try:
            res = run_scenario(
                scn,
                Path(out),
                progress=tick,
                samples=samples,
                seed=seed,
                executor="local",
                sweep_progress=sweep,
            )
        except BmdsimError as exc:
            messages.put(("error", str(exc)))
            return
        messages.put(("done", {"notes": list(res.notes)}))
    except Exception as exc:  # reported to the user as the job's error, not a traceback
        messages.put(("error", f"{type(exc).__name__}: {exc}"))


class JobManager:
    """FIFO queue of scenario runs, one process at a time (``workers`` > 1 for more)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        max_queued: int = 8,
        time_limit_s: float = 1800.0,
        workers: int = 1,
    ):
        self.runs_dir = Path(data_dir) / "runs"
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.max_queued = max_queued
        self.time_limit_s = time_limit_s
        self._jobs: dict[str, JobState] = {}
        self._procs: dict[str, mp.Process] = {}
        self._cancel: set[str] = set()
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._ctx = mp.get_context("spawn")  # numba's OpenMP layer is not fork-safe
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"bmdsim-job-{i}", daemon=True)
            for i in range(workers)
        ]
        self._load_past()
        for t in self._threads:
            t.start()

    # -- state ------------------------------------------------------------------------
    def folder(self, job_id: str) -> Path:
        return self.runs_dir / job_id

    def _save(self, job: JobState) -> None:
        path = self.folder(job.id) / "job.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(job)))
        tmp.replace(path)

    def _load_past(self) -> None:
        """Runs of earlier server sessions (their reports and stores stay queryable); one
        that was queued or running when the server stopped is marked failed."""
        for path in sorted(self.runs_dir.glob("*/job.json")):
            try:
                job = JobState(**json.loads(path.read_text()))
            except (OSError, ValueError, TypeError):
                continue
            if job.status not in FINAL:
                job.status, job.error = "failed", "the server stopped during this run"
                job.finished = job.finished or time.time()
                self._save(job)
            self._jobs[job.id] = job

    def get(self, job_id: str) -> JobState | None:
        return self._jobs.get(job_id)

    def list(self) -> list[JobState]:
        return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    # -- submit, cancel ---------------------------------------------------------------
    def submit(self, scenario_text: str, name: str, samples, seed) -> JobState:
        with self._lock:
            waiting = sum(j.status == "queued" for j in self._jobs.values())
            if waiting >= self.max_queued:
                raise QueueFull(f"{waiting} runs are waiting already; try again later")
            job = JobState(id=secrets.token_hex(6), scenario=name, samples=samples, seed=seed)
            folder = self.folder(job.id)
            folder.mkdir(parents=True)
            (folder / "scenario.yaml").write_text(scenario_text, encoding="utf-8")
            self._jobs[job.id] = job
            self._save(job)
        self._queue.put(job.id)
        return job

    def cancel(self, job_id: str) -> JobState | None:
        job = self._jobs.get(job_id)
        if job is None or job.status in FINAL:
            return job
        with self._lock:
            self._cancel.add(job_id)
            proc = self._procs.get(job_id)
            if job.status == "queued":
                self._finish(job, "cancelled", None)
        if proc is not None and proc.is_alive():
            proc.terminate()
        return job

    def _finish(self, job: JobState, status: str, error: str | None) -> None:
        job.status, job.error, job.finished = status, error, time.time()
        self._save(job)

    # -- the worker -------------------------------------------------------------------
    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                job_id = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            job = self._jobs.get(job_id)
            if job is None or job.status != "queued" or job_id in self._cancel:
                continue
            try:
                self._run(job)
            except Exception as exc:  # keep the worker alive whatever happens
                self._finish(job, "failed", f"{type(exc).__name__}: {exc}")

    def _run(self, job: JobState) -> None:
        folder = self.folder(job.id)
        messages = self._ctx.Queue()
        proc = self._ctx.Process(
            target=run_job,
            args=(str(folder / "scenario.yaml"), str(folder), job.samples, job.seed, messages),
            name=f"bmdsim-run-{job.id}",
            daemon=True,
        )
        with self._lock:
            if job.id in self._cancel:
                return
            job.status, job.started = "running", time.time()
            self._save(job)
            proc.start()
            self._procs[job.id] = proc
        outcome: tuple[str, object] | None = None
        try:
            while True:
                try:
                    kind, payload = messages.get(timeout=0.25)
                except queue.Empty:
                    if not proc.is_alive():
                        break
                    if time.time() - job.started > self.time_limit_s:
                        proc.terminate()
                        outcome = ("error", f"the run took longer than {self.time_limit_s:g} s")
                        break
                    if self._stop.is_set():
                        proc.terminate()
                        break
                    continue
                if kind == "progress":
                    job.progress = {**job.progress, **payload}
                else:
                    outcome = (kind, payload)
        finally:
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
            with self._lock:
                self._procs.pop(job.id, None)
        if job.id in self._cancel:
            self._finish(job, "cancelled", None)
        elif outcome is None:
            self._finish(job, "failed", f"the run process ended (exit code {proc.exitcode})")
        elif outcome[0] == "done":
            job.notes = list(outcome[1].get("notes", []))
            self._finish(job, "done", None)
        else:
            self._finish(job, "failed", str(outcome[1]))

    def shutdown(self) -> None:
        self._stop.set()
        for job_id in list(self._procs):
            self.cancel(job_id)
        for t in self._threads:
            t.join(10)

    def remove(self, job_id: str) -> None:
        """Delete a finished job's folder."""
        job = self._jobs.get(job_id)
        if job is not None and job.status in FINAL:
            shutil.rmtree(self.folder(job_id), ignore_errors=True)
            self._jobs.pop(job_id, None)
