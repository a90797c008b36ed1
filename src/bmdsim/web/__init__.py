"""``bmdsim serve``: an offline web app (a CesiumJS globe and map) and a JSON API that
mirrors the CLI's ``--json`` (docs/web.md).

* ``app``: ``create_app(Settings)``, the ASGI app (FastAPI), its limits and the page;
* ``api``: the analysis endpoints (catalogue, reach, trajectory, coast, engage, flyout,
  coverage), each calling the CLI command's function and its ``output.summary``;
* ``runs``: scenarios, scenario runs as jobs, read-only queries of their results stores;
* ``jobs``: the run queue (one process a run: progress, cancel, time limit);
* ``compute``: one analysis at a time on a warm thread, bounded in time, cached;
* ``safety``: upload validation, read-only SQL, run ids;
* ``models``: the request and response schemas (OpenAPI at ``/docs``);
* ``static/``: the built page and its vendored assets (``web/`` holds their sources).

The layer sits beside ``bmdsim.cli`` at the top of the stack: it imports the scenario,
analyses, output and sweep layers and never the CLI.
"""

from bmdsim.web.app import Settings, create_app

__all__ = ["Settings", "create_app"]
