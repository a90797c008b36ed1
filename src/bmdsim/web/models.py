"""The web API's request and response schemas (published at ``/openapi.json``, shown at
``/docs``).

Requests take the CLI's options under the same names (``from``, ``to``, ``sites``,
``azimuths``, ``shape``...), are validated before any work (unknown fields, wrong types
and values out of range get a 422 that names the field), and only take catalogue names
or ``LAT,LON``: never a file path (a web request must not make the server read a file).

Responses are exactly the ``--json`` of the matching CLI command (the same
``bmdsim.output.summary`` functions make both); the models below document their fields
(docs/outputs.md). They allow extra fields, so an answer that gains a field (the reach
bands, say) stays valid.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# A catalogue id or alias, or LAT,LON: printable text with no path separators, and not a
# vehicle file name (the CLI reads ``*.yaml`` as a file; the web app reads no files).
NAME_PATTERN = r"^[^/\\\x00-\x1f]+$"
Name = Annotated[str, Field(min_length=1, max_length=80, pattern=NAME_PATTERN)]
Place = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        pattern=NAME_PATTERN,
        description="A catalogue site id or alias (kaliningrad, redzikowo...) or LAT,LON in "
        "degrees.",
        examples=["kaliningrad", "54.7,20.5"],
    ),
]
Shape = Annotated[
    str,
    Field(
        max_length=40,
        pattern=r"^(minimum-energy|lofted|depressed|quasi-ballistic|"
        r"(apogee|quasi-ballistic)=[0-9]+(\.[0-9]+)?)$",
        description="minimum-energy | lofted | depressed | apogee=KM | quasi-ballistic[=KM]",
    ),
]

CueAt = Annotated[str, Field(max_length=20, pattern=r"^(burnout|[0-9]+(\.[0-9]+)?)$")]


def _no_file(value: str) -> str:
    if value.strip().lower().endswith((".yaml", ".yml")):
        raise ValueError("a vehicle file cannot be used through the web API; give a catalogue id")
    return value


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ReachRequest(_Request):
    """``bmdsim reach``: the maximum-range footprint from a launch point."""

    missile: Name = Field(description="Catalogue id or alias: iskander-m, SS-26, palanez...")
    origin: Place = Field(alias="from")
    sites: Annotated[str, Field(max_length=2000, pattern=NAME_PATTERN)] = Field(
        "nato", description="A tag (nato, aimpoint, belarus...), 'all', or comma-separated ids."
    )
    azimuths: int = Field(360, ge=8, le=3600, description="Number of launch azimuths.")

    _files = field_validator("missile")(_no_file)


class TrajectoryRequest(_Request):
    """``bmdsim trajectory``: one missile to an aim point."""

    missile: Name
    origin: Place = Field(alias="from")
    target: Place = Field(alias="to")
    shape: Shape = "minimum-energy"
    series: bool = Field(
        False,
        description="Web only: add the flight's time series (``series``) for the globe and "
        "the profile plots; the CLI's fields are unchanged.",
    )
    points: int = Field(
        400, ge=10, le=5000, description="With series: at most this many samples, evenly in time."
    )

    _files = field_validator("missile")(_no_file)


class CoastRequest(_Request):
    """``bmdsim coast``: ballistic flight from a given state (checks against closed forms)."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    alt_km: float = Field(ge=0, le=5000)
    speed_kms: float = Field(gt=0, le=11, description="Speed relative to the ground, km/s.")
    gamma_deg: float = Field(ge=-90, le=90, description="Flight-path angle, degrees.")
    azimuth_deg: float = Field(ge=-360, le=360)
    earth: Literal["wgs84", "sphere"] = "wgs84"
    rotation: bool = True
    drag: bool = True
    beta: float | None = Field(
        None, gt=0, le=1e6, description="Ballistic coefficient m/(Cd A), kg/m^2 (with drag)."
    )


class EngageRequest(_Request):
    """``bmdsim engage``: can batteries at the named sites intercept a threat?"""

    threat: Name
    origin: Place = Field(alias="from")
    target: Place = Field(alias="to")
    defences: list[Annotated[str, Field(max_length=120, pattern=NAME_PATTERN)]] = Field(
        min_length=1,
        max_length=12,
        description="SITE (its deployed interceptors) or SITE:INTERCEPTOR.",
        examples=[["redzikowo:sm-3-iia"]],
    )
    sensors: list[Annotated[str, Field(max_length=120, pattern=NAME_PATTERN)]] | None = Field(
        None, max_length=12, description="SITE:RADAR, SITE or early-warning-satellite."
    )
    cue_at: CueAt | None = Field(
        None, description="A remote track from 'burnout' or seconds after launch."
    )
    shape: Shape = "minimum-energy"
    decision_delay_s: float = Field(30.0, ge=0, le=3600)
    assessment_delay_s: float = Field(30.0, ge=0, le=3600)
    no_remote: bool = False
    rcs_m2: float | None = Field(None, gt=0, le=1e4)
    include_notional: bool = False
    min_speed: bool = Field(True, description="Search the slowest burnout speed that works.")

    _files = field_validator("threat")(_no_file)


class FlyoutRequest(_Request):
    """``bmdsim flyout``: an interceptor's kinematic reach."""

    interceptor: Name
    site: Place | None = None
    azimuth_deg: float = Field(0.0, ge=-360, le=360)
    burnout_speed_kms: float | None = Field(None, gt=0, le=10)


class CoverageRequest(_Request):
    """``bmdsim coverage``: air-defence rings, or with ``threat`` and ``from`` the ground a
    BMD site defends."""

    site: Name
    target_altitude_km: list[Annotated[float, Field(ge=0, le=200)]] | None = Field(
        None, max_length=20
    )
    interceptor: Name | None = None
    radar: Name | None = None
    rcs_m2: float | None = Field(None, gt=0, le=1e4)
    threat: Name | None = None
    origin: Place | None = Field(None, alias="from")
    cue_at: CueAt | None = None
    radius_km: list[Annotated[float, Field(ge=0, le=5000)]] | None = Field(None, max_length=10)
    azimuths: int = Field(16, ge=4, le=72)

    _files = field_validator("threat")(lambda v: v if v is None else _no_file(v))


class RunRequest(_Request):
    """A scenario run: a shipped example by name, or YAML text (as an upload)."""

    scenario: Annotated[str, Field(max_length=80, pattern=r"^[A-Za-z0-9_.-]+$")] | None = Field(
        None,
        description="A shipped example: europe-2016, baltic-srbm, north-atlantic-ships, "
        "belarus-2025.",
    )
    yaml: str | None = Field(None, max_length=200_000, description="Scenario YAML text.")
    samples: int | None = Field(
        None, ge=0, description="Monte Carlo samples (default: the scenario's; capped)."
    )
    seed: int | None = Field(None, ge=0, le=2**63 - 1)


class QueryRequest(_Request):
    """Read-only DuckDB SQL over a run's results store (views ``results`` and ``runs``)."""

    sql: str = Field(min_length=1, max_length=5000, examples=["SELECT count(*) FROM results"])
    max_rows: int = Field(1000, ge=1, le=10_000)


# -- responses ---------------------------------------------------------------------------
class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class LatLon(_Out):
    """Degrees; null where the value does not exist (a coast that never comes down)."""

    lat: float | None
    lon: float | None


class MinMax(_Out):
    min: float | None
    max: float | None


class AzimuthRange(_Out):
    azimuth_deg: float
    range_km: float | None | dict


class SiteIn(_Out):
    id: str
    range_km: float | None = Field(description="Geodesic distance from the launch point, km.")
    flight_time_s: float | None = Field(description="Minimum-energy flight time, s.")


class SiteOut(_Out):
    id: str
    range_km: float | None
    max_range_km: float | None = Field(description="The footprint's range on the site's bearing.")


class ReachResponse(_Out):
    """``bmdsim reach --json``."""

    missile: str
    launch: LatLon
    max_range_km: MinMax
    by_azimuth: list[AzimuthRange]
    sites_in_reach: list[SiteIn]
    sites_out_of_reach: list[SiteOut]
    footprint: dict = Field(description="GeoJSON FeatureCollection (docs/outputs.md).")


class Burnout(_Out):
    time_s: float | None
    altitude_km: float | None
    speed_kms: float | None
    flight_path_angle_deg: float | None


class Series(_Out):
    t_s: list[float | None]
    lat: list[float | None]
    lon: list[float | None]
    alt_km: list[float | None]
    speed_kms: list[float | None]
    ground_range_km: list[float | None]


class TrajectoryResponse(_Out):
    """``bmdsim trajectory --json`` (plus ``series`` when asked)."""

    missile: str
    shape: str
    launch: LatLon
    target: LatLon | None
    range_km: float | None
    apogee_km: float | None
    flight_time_s: float | None
    burnout: Burnout
    impact: LatLon | None
    miss_km: float | None
    series: Series | None = None


class CoastResponse(_Out):
    """``bmdsim coast --json``."""

    range_km: float | None
    flight_time_s: float | None
    apogee_km: float | None
    impact: LatLon | None


class Window(_Out):
    site: str
    interceptor: str
    feasible: bool
    reason: str | None
    reason_text: str | None
    earliest_launch_s: float | None
    first_launch_s: float | None
    last_launch_s: float | None
    first_intercept_s: float | None
    last_intercept_s: float | None
    first_altitude_km: float | None
    last_altitude_km: float | None
    first_ground_range_km: float | None
    last_ground_range_km: float | None
    closing_speed_kms: float | None
    crossing_angle_deg: float | None
    shots: int
    shot_times_s: list[float | None]
    min_burnout_speed_kms: float | None = Field(
        description="The slowest interceptor burnout speed that would intercept (km/s)."
    )


class EngageResponse(_Out):
    """``bmdsim engage --json``."""

    threat: dict
    sensors: list[dict]
    doctrine: dict
    windows: list[Window]


class FlyoutResponse(_Out):
    """``bmdsim flyout --json``."""

    interceptor: str
    site: LatLon | None
    azimuth_deg: float | None
    altitude_window_km: MinMax
    max_flight_time_s: float | None
    burnout_speed_kms: float | None
    reach_km_at: list[dict]


class CoverageResponse(_Out):
    """``bmdsim coverage --json``: ``rings`` (air defence) or ``points`` (defended
    footprint, with ``threat`` and ``from``)."""

    site: dict
    interceptor: str
    radar: str | None = None
    rings: list[dict] | None = None
    threat: str | None = None
    launch: LatLon | None = None
    points: list[dict] | None = None


class JobProgress(_Out):
    step: int = 0
    total: int | None = None
    label: str = ""
    samples_done: int | None = None
    samples_total: int | None = None


class Job(_Out):
    """A scenario run: queued, running, done, failed or cancelled."""

    id: str
    scenario: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    samples: int | None = None
    progress: JobProgress
    error: str | None = None
    created: float
    started: float | None = None
    finished: float | None = None
    report: dict | None = Field(
        None, description="When done: the run's summary.json (as `bmdsim run` writes it)."
    )
    files: dict[str, str] = Field(default_factory=dict, description="Links to the run's files.")


class QueryResponse(_Out):
    columns: list[str]
    rows: list[dict]
    row_count: int
    truncated: bool
    max_rows: int


class ScenarioProblem(_Out):
    line: int | None
    field: str | None
    message: str


class ScenarioCheck(_Out):
    """A scenario that validated: its name and what it holds."""

    name: str
    title: str | None = None
    threats: list[dict] = []
    defences: list[dict] = []
    samples: int = 0
    hash: str
