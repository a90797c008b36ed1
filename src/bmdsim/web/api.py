"""The analysis endpoints: the CLI's commands as JSON over HTTP.

Each handler calls the public function the CLI command calls (``bmdsim.reach``,
``bmdsim.fly``...) and answers with the same ``bmdsim.output.summary`` function, so
``POST /api/reach {"missile": "iskander-m", "from": "kaliningrad"}`` returns what
``bmdsim reach --missile iskander-m --from kaliningrad --json`` prints.
"""

from __future__ import annotations

import io
from importlib import resources
from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from bmdsim.errors import InputError, UnknownEntryError
from bmdsim.web.compute import StrictJSONResponse, series
from bmdsim.web.models import (
    CoastRequest,
    CoastResponse,
    CoverageRequest,
    CoverageResponse,
    EngageRequest,
    EngageResponse,
    FlyoutRequest,
    FlyoutResponse,
    ReachRequest,
    ReachResponse,
    TrajectoryRequest,
    TrajectoryResponse,
)

router = APIRouter(prefix="/api", default_response_class=StrictJSONResponse)

KINDS = ("missile", "site", "source", "aero", "interceptor", "radar", "sensor")
SHOW_ORDER = ("missile", "interceptor", "radar", "sensor", "site", "source", "aero")
ERRORS = {422: {"description": "Invalid input: `detail[].loc` names the field."}}


def _compute(request: Request):
    return request.app.state.compute


def _place(text: str, field: str) -> None:
    """Check a place (site or LAT,LON) before any work; its error names the API field."""
    from bmdsim.analyses import resolve_place
    from bmdsim.errors import BmdsimError

    try:
        resolve_place(text)
    except BmdsimError as exc:
        sub = exc.field.partition(".")[2] if exc.field and "." in exc.field else ""
        raise type(exc)(
            str(exc), field=f"{field}.{sub}" if sub else field, value=exc.value, allowed=exc.allowed
        ) from None


def _params(model) -> dict:
    return model.model_dump(mode="json", by_alias=True)


# -- catalogue ------------------------------------------------------------------------------
@router.get("/catalogue", tags=["catalogue"], summary="bmdsim catalogue list --json")
def catalogue_list(
    kind: Literal[KINDS] = Query("missile", description="Which kind of entry."),  # type: ignore[valid-type]
) -> list[dict]:
    """Every entry of one kind with all its numbers, bands (low/high) and source ids, as
    ``bmdsim catalogue list --kind KIND --json`` prints them."""
    import bmdsim

    return [e.model_dump(mode="json") for e in bmdsim.catalogue().entries(kind)]


def _lookup(name: str):
    import bmdsim

    cat = bmdsim.catalogue()
    close: list[str] = []
    for kind in SHOW_ORDER:
        try:
            return cat, cat.lookup(kind, name)
        except UnknownEntryError as exc:
            close += list(exc.allowed or [])
    hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
    raise UnknownEntryError(
        f"no catalogue entry named {name!r}{hint}", field="name", value=name, allowed=close[:5]
    )


@router.get(
    "/catalogue/{name}",
    tags=["catalogue"],
    summary="bmdsim catalogue show NAME --json",
    responses={404: {"description": "No entry has that id or alias."}},
)
def catalogue_show(name: str) -> dict:
    """One entry (id or alias) with every number, its band and its source id."""
    _, entry = _lookup(name)
    return entry.model_dump(mode="json", exclude_none=True)


@router.get("/catalogue/{name}/sources", tags=["catalogue"], summary="The sources an entry cites")
def catalogue_sources(name: str) -> list[dict]:
    """Every source the entry cites (for a missile also its drag table's), in the order
    first cited: id, title, author, year, url, accessed, note."""
    cat, entry = _lookup(name)
    return [s.model_dump(mode="json", exclude_none=True) for s in cat.sources_for(entry)]


@router.get("/basemap", tags=["catalogue"], summary="The shipped Natural Earth countries")
def basemap() -> Response:
    """Natural Earth 1:110m admin-0 countries (public domain) as GeoJSON: the base layer
    of the page's globe and map, the same file the PNG maps draw."""
    data = resources.files("bmdsim.output") / "data" / "naturalearth_110m_admin0.geojson"
    return Response(
        data.read_bytes(),
        media_type="application/geo+json",
        headers={"Cache-Control": "max-age=86400"},
    )


# -- flights --------------------------------------------------------------------------------
@router.post(
    "/reach",
    tags=["flight"],
    summary="bmdsim reach --json",
    responses={200: {"model": ReachResponse}, **ERRORS},
)
async def reach(body: ReachRequest, request: Request):
    """The azimuth-true maximum-range footprint from a launch point, the sites inside it
    with minimum-energy flight times, and those outside it."""
    import bmdsim
    from bmdsim.output.summary import footprint_summary

    _place(body.origin, "from")

    def work():
        fp = bmdsim.reach(
            body.missile, origin=body.origin, sites=body.sites, n_azimuths=body.azimuths
        )
        return footprint_summary(fp)

    return await _compute(request).run("reach", _params(body), work)


@router.post(
    "/trajectory",
    tags=["flight"],
    summary="bmdsim trajectory --json",
    responses={200: {"model": TrajectoryResponse}, **ERRORS},
)
async def trajectory(body: TrajectoryRequest, request: Request):
    """One missile flown to an aim point: range, apogee, flight time, burnout; with
    ``series: true`` also its time series (latitude, longitude, altitude, speed)."""
    import bmdsim
    from bmdsim.output.summary import trajectory_summary

    _place(body.origin, "from")
    _place(body.target, "to")

    def work():
        traj = bmdsim.fly(body.missile, origin=body.origin, target=body.target, shape=body.shape)
        out = trajectory_summary(traj)
        if body.series:
            out["series"] = series(traj, body.points)
        return out

    return await _compute(request).run("trajectory", _params(body), work)


@router.post(
    "/coast",
    tags=["flight"],
    summary="bmdsim coast --json",
    responses={200: {"model": CoastResponse}, **ERRORS},
)
async def coast(body: CoastRequest, request: Request):
    """Ballistic flight from a state: range, flight time, apogee and impact."""
    import bmdsim
    from bmdsim.output.summary import coast_summary

    def work():
        model = bmdsim.flight_model(earth=body.earth, rotation=body.rotation, drag=body.drag)
        t = bmdsim.coast(
            lat_deg=body.lat,
            lon_deg=body.lon,
            alt_m=body.alt_km * 1e3,
            speed_m_s=body.speed_kms * 1e3,
            flight_path_angle_deg=body.gamma_deg,
            azimuth_deg=body.azimuth_deg,
            ballistic_coefficient_kg_m2=body.beta,
            model=model,
        )
        return coast_summary(t)

    return await _compute(request).run("coast", _params(body), work)


# -- defence --------------------------------------------------------------------------------
def _engagement(body: EngageRequest):
    import bmdsim

    doctrine = bmdsim.Doctrine(
        decision_delay_s=body.decision_delay_s,
        assessment_delay_s=body.assessment_delay_s,
        launch_on_remote=not body.no_remote,
        engage_on_remote=not body.no_remote,
    )
    return bmdsim.engage(
        body.threat,
        origin=body.origin,
        target=body.target,
        defences=list(body.defences),
        sensors=list(body.sensors) if body.sensors else None,
        shape=body.shape,
        cue_at=body.cue_at,
        doctrine=doctrine,
        rcs_m2=body.rcs_m2,
        include_notional=body.include_notional,
        min_speed=body.min_speed,
    )


@router.post(
    "/engage",
    tags=["defence"],
    summary="bmdsim engage --json",
    responses={200: {"model": EngageResponse}, **ERRORS},
)
async def engage(body: EngageRequest, request: Request):
    """Could the batteries at the named sites intercept the threat? Per battery: feasible
    or why not, launch and intercept windows, shoot-look-shoot shots and the slowest
    burnout speed that would intercept (``min_burnout_speed_kms``)."""
    from bmdsim.output.summary import engagement_summary

    _place(body.origin, "from")
    _place(body.target, "to")
    eng = await _compute(request).run("engage-object", _params(body), lambda: _engagement(body))
    return engagement_summary(eng)


@router.post(
    "/engage/figure",
    tags=["defence"],
    summary="The battle-space or timeline figure of an engagement (PNG)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **ERRORS},
)
async def engage_figure(
    body: EngageRequest,
    request: Request,
    kind: Literal["battle-space", "timeline"] = Query("battle-space"),
):
    """The figure ``engage --out`` writes: altitude against ground range from each site
    with the threat's path, the interceptor's flyout envelopes and the intercept window
    (battle-space), or the engagement timeline."""
    from bmdsim.output.defence_plots import plot_battle_space, plot_engagement_timeline

    compute = _compute(request)
    eng = await compute.run("engage-object", _params(body), lambda: _engagement(body))

    def draw():
        fig = plot_battle_space(eng) if kind == "battle-space" else plot_engagement_timeline(eng)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        return buf.getvalue()

    png = await compute.run(f"figure-{kind}", _params(body), draw)
    return Response(png, media_type="image/png")


@router.post(
    "/flyout",
    tags=["defence"],
    summary="bmdsim flyout --json",
    responses={200: {"model": FlyoutResponse}, **ERRORS},
)
async def flyout(body: FlyoutRequest, request: Request):
    """An interceptor's kinematic reach over time, its altitude window and maximum flight
    time."""
    import bmdsim
    from bmdsim.output.summary import flyout_summary

    def work():
        table = bmdsim.flyout(
            body.interceptor,
            site=body.site,
            azimuth_deg=body.azimuth_deg,
            burnout_speed_kms=body.burnout_speed_kms,
        )
        return flyout_summary(table)

    return await _compute(request).run("flyout", _params(body), work)


@router.post(
    "/coverage",
    tags=["defence"],
    summary="bmdsim coverage --json",
    responses={200: {"model": CoverageResponse}, **ERRORS},
)
async def coverage(body: CoverageRequest, request: Request):
    """Air defence: the covered radius against targets at given altitudes and what limits
    it. Missile defence (``threat`` and ``from``): the aim points around the site where an
    incoming threat could be intercepted."""
    import bmdsim
    from bmdsim.output.summary import coverage_summary, defended_summary

    if (body.threat is None) != (body.origin is None):
        raise InputError(
            "the defended footprint needs both threat and from",
            field="threat" if body.threat is None else "from",
            allowed="threat: MISSILE with from: SITE|LAT,LON",
        )

    if body.origin is not None:
        _place(body.origin, "from")

    def work():
        if body.threat is not None:
            fp = bmdsim.defended_footprint(
                body.site,
                threat=body.threat,
                origin=body.origin,
                interceptor=body.interceptor,
                cue_at=body.cue_at,
                radii_km=tuple(body.radius_km) if body.radius_km else None,
                n_azimuths=body.azimuths,
            )
            return defended_summary(fp, threat=body.threat)
        cov = bmdsim.coverage(
            body.site,
            target_altitudes_km=tuple(body.target_altitude_km or (0.1, 1, 5, 10, 20, 30)),
            interceptor=body.interceptor,
            radar=body.radar,
            rcs_m2=body.rcs_m2,
        )
        return coverage_summary(cov)

    return await _compute(request).run("coverage", _params(body), work)
