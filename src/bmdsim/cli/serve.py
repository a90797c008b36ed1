"""``bmdsim serve``: the offline web app and its JSON API on this machine (docs/web.md)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from bmdsim.cli._console import fail, stderr
from bmdsim.errors import InputError


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback (this machine only) by default.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8765,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder for scenario runs and their results stores (default: "
            "~/.local/share/bmdsim/serve); the app reads and writes nothing outside it."
        ),
    ] = None,
    max_samples: Annotated[
        int, typer.Option(min=0, help="Most Monte Carlo samples a run from the page may ask.")
    ] = 20_000,
    timeout_s: Annotated[
        float, typer.Option(min=1.0, help="Longest an analysis may run for one request, s.")
    ] = 120.0,
    warm: Annotated[
        bool, typer.Option(help="Compile the numba kernels on start-up (the first click is fast).")
    ] = True,
):
    """Serve the web app: a 3-D globe and a 2-D map where a click on a launch point draws
    the footprint, the sites in reach and their flight times, trajectories, engagements
    and scenario runs; and the JSON API behind it (the CLI's --json; OpenAPI at /docs).
    Works with no internet: every asset is in the package."""
    try:
        import uvicorn

        from bmdsim.web import Settings, create_app
    except ImportError as exc:  # pragma: no cover - a broken install
        fail(InputError(f"the web app needs {exc.name}: pip install bmdsim", field="serve"))
    con = stderr()
    settings = Settings(max_samples=max_samples, timeout_s=timeout_s, warm=warm)
    if data_dir is not None:
        settings.data_dir = data_dir
    if not _is_loopback(host):
        con.print(
            f"[yellow]warning:[/] listening on {host}, not loopback: anyone who can reach "
            f"this machine on port {port} can use the app and run scenarios on it "
            "(there is no login). Use --host 127.0.0.1 to keep it to this machine."
        )
        settings.allowed_hosts = ["*"]
    shown = f"[{host}]" if ":" in host else host
    con.print(
        f"bmdsim web app on [bold]http://{shown}:{port}/[/] (API docs: /docs; data in "
        f"{settings.data_dir}); Ctrl+C stops it"
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
