"""Options that several commands share, spelled and explained once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

MissileOpt = Annotated[
    str,
    typer.Option(
        "--missile",
        "-m",
        help="Catalogue id or alias (iskander-m, 'SS-26', palanez...) or a vehicle YAML file.",
    ),
]
FromOpt = Annotated[
    str,
    typer.Option(
        "--from",
        help="Launch point: catalogue site id/alias "
        "(brest, kaliningrad, teykovo...) or LAT,LON in degrees.",
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Print only JSON on stdout (stable fields: see docs/outputs.md)."),
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Folder for plots, map, GeoJSON, KML and CSV.")
]
BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        help="auto (CUDA when an NVIDIA GPU is present, else cpu), cpu (numba, all cores), "
        "cuda (NVIDIA GPU, the [gpu] extra) or reference (scipy DOP853; slow, for checks).",
    ),
]
