"""What a scenario's names refer to: cross-checks against the catalogue, the scenario's
own catalogue, and the uncertain inputs it declares.

* :func:`reference_problems`: every name in a scenario (sites, systems, missiles, vehicle
  files, launch points, vary paths and their overrides) that does not resolve, with its
  location, so the loader can name file, line and field (``Scenario`` runs it when it is
  validated);
* :func:`scenario_catalogue`: the catalogue with the scenario's places added and the
  loadouts it changes replaced;
* :func:`parse_vary_path`, :func:`quantity_paths`, :func:`uncertain_inputs`: what
  ``uncertainty.vary`` names and the range each input is drawn from.

Catalogue only: nothing here flies or engages (``scenario.plan`` turns a scenario into
the analyses' inputs).
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bmdsim import domains, units
from bmdsim.catalogue import Override, Site, SiteSystem, default_catalogue, load_missile_file
from bmdsim.catalogue.loader import loc_text as catalogue_loc_text
from bmdsim.catalogue.schema import Quantity, resolve_path
from bmdsim.errors import BmdsimError, UnknownEntryError
from bmdsim.scenario.schema import (
    _VARY_RE,
    CUEING_DOCTRINE,
    CUEING_DOMAINS,
    CUEING_VARY_FIELDS,
    VARY_KINDS,
    AreaLaunch,
    Place,
    Scenario,
    UncertainInput,
    VaryTarget,
    _is_file_spec,
    parse_point,
)


def quantity_paths(entry: Any, prefix: str = "") -> list[str]:
    """Every path in a catalogue entry that resolves to a Quantity, e.g.
    ``stages[0].isp_vac`` (what ``uncertainty.vary`` may name after ``KIND:ID.``)."""
    out: list[str] = []
    if isinstance(entry, Quantity):
        return [prefix]
    if isinstance(entry, BaseModel):
        for name in type(entry).model_fields:
            if name == "sources":
                continue
            value = getattr(entry, name)
            out += quantity_paths(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(entry, list):
        for i, item in enumerate(entry):
            out += quantity_paths(item, f"{prefix}[{i}]")
    return out


def parse_vary_path(text: str, cat=None, file_missiles: dict | None = None) -> VaryTarget:
    """Parse and resolve ``KIND:ID.PATH`` or ``cueing.FIELD``; raise ``ValueError`` (with
    the allowed forms or close matches) when it does not name a catalogue Quantity or a
    cueing field (a delay resolves to the catalogue's doctrine quantity behind it).
    ``file_missiles``: missiles from the scenario's vehicle files, by id."""
    text = str(text).strip()
    if text.startswith("cueing."):
        name = text.removeprefix("cueing.")
        if name not in CUEING_VARY_FIELDS:
            raise ValueError(
                f"{text!r}: no cueing field {name!r}; allowed: "
                f"{', '.join('cueing.' + f for f in CUEING_VARY_FIELDS)}"
            )
        if cat is None:
            cat = default_catalogue()
        entry = cat.doctrine.get(CUEING_DOCTRINE.get(name, ""))
        return VaryTarget(text, "cueing", None, name, entry.quantity if entry else None)
    match = _VARY_RE.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a vary path; write KIND:ID.PATH (KIND one of "
            f"{', '.join(VARY_KINDS)}, e.g. interceptor:sm-3-iia.burnout_speed) or "
            f"cueing.FIELD ({', '.join(CUEING_VARY_FIELDS)})"
        )
    kind, name, path = match["kind"], match["id"], match["path"]
    if kind not in VARY_KINDS:
        raise ValueError(f"{text!r}: unknown kind {kind!r}; allowed: {', '.join(VARY_KINDS)}")
    if cat is None:
        cat = default_catalogue()
    if kind == "missile" and file_missiles and name in file_missiles:
        entry = file_missiles[name]
    else:
        try:
            entry = cat.lookup(kind, name)
        except UnknownEntryError as exc:
            raise ValueError(f"{text!r}: {exc.message}") from None
    try:
        target = resolve_path(entry, path)
    except ValueError:
        target = None
    if not isinstance(target, Quantity):
        choices = quantity_paths(entry)
        close = difflib.get_close_matches(path, choices, n=3, cutoff=0.5)
        hint = (
            f"did you mean: {', '.join(close)}?"
            if close
            else f"quantities of {kind} {entry.id}: {', '.join(choices)}"
        )
        what = (
            f"{path!r} names no quantity"
            if target is None
            else f"{path!r} is not a quantity ({type(target).__name__})"
        )
        raise ValueError(f"{text!r}: {what} in {kind} {entry.id}; {hint}")
    return VaryTarget(text, kind, entry.id, path, target)


class ReferenceProblems(ValueError):
    """Names in a scenario that the catalogue (or the scenario) does not define; each
    problem is (loc, message, value, allowed) so the loader can find its line."""

    def __init__(self, problems: list[tuple[tuple, str, Any, Any]]):
        self.problems = problems
        super().__init__(
            "\n".join(f"{loc_text(loc)}: {msg}" if loc else msg for loc, msg, _, _ in problems)
        )


def loc_text(loc) -> str:
    """``threats[0].from``-style text of a pydantic error location (as the catalogue's)."""
    return catalogue_loc_text(None, loc)


def reference_problems(scn: Scenario, cat, base_dir: Path):
    """Every name in ``scn`` that does not resolve, as (loc, message, value, allowed)."""
    problems: list[tuple[tuple, str, Any, Any]] = []

    def add(loc, message, value=None, allowed=None):
        problems.append((tuple(loc), message, value, allowed))

    # places: new ones need a position; changed catalogue sites keep theirs
    own: dict[str, Place] = {}
    for i, p in enumerate(scn.sites):
        if p.id in own:
            add(("sites", i, "id"), f"site id {p.id!r} is used twice", p.id)
        own[p.id] = p
        known = p.id in cat.sites
        if not known:
            for name in ("name", "lat_deg", "lon_deg"):
                if getattr(p, name) is None:
                    add(
                        ("sites", i),
                        f"{p.id!r} is not a catalogue site, so {name!r} is required "
                        "(or use a catalogue site id to change its loadout)",
                        p.id,
                    )
        for j, s in enumerate(p.systems or ()):
            try:
                cat.system(s.system)
            except UnknownEntryError as exc:
                add(("sites", i, "systems", j, "system"), exc.message, s.system, exc.allowed)

    # the catalogue the rest is checked against: places added, loadouts replaced
    try:
        scat = scenario_catalogue(scn, cat)
    except (BmdsimError, ValueError):
        scat = cat  # problems above say why

    def site_problem(loc, name):
        try:
            return scat.site(name)
        except UnknownEntryError as exc:
            add(loc, exc.message, name, exc.allowed)
            return None

    def point_problem(loc, text):
        latlon = parse_point(text)
        if latlon is not None:
            lat, lon = latlon
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                add(
                    loc,
                    f"{text!r}: latitude must lie in [-90, 90] and longitude in [-180, 180]",
                    text,
                )
            return
        site_problem(loc, text)

    file_missiles: dict = {}

    def missile_problem(loc, spec):
        if _is_file_spec(spec):
            path = Path(spec).expanduser()
            if not path.is_absolute():
                path = base_dir / path
            if not path.is_file():
                add(loc, f"vehicle file {spec!r} not found (looked for {path})", spec)
                return
            try:
                m = load_missile_file(path, cat)
            except BmdsimError as exc:
                add(loc, f"vehicle file {spec!r}: {exc.message}", spec)
                return
            file_missiles[m.id] = m
            return
        try:
            cat.missile(spec)
        except UnknownEntryError as exc:
            add(loc, exc.message, spec, exc.allowed)

    # threats
    seen: set[str] = set()
    for i, t in enumerate(scn.threats):
        if t.id in seen:
            add(("threats", i, "id"), f"threat id {t.id!r} is used twice", t.id)
        seen.add(t.id)
        cruise = not _is_file_spec(t.missile) and _is_cruise(cat, t.missile)
        if not cruise:
            missile_problem(("threats", i, "missile"), t.missile)
        elif not cat.cruise_missile(t.missile).flyable:
            add(
                ("threats", i, "missile"),
                f"{t.missile!r} is {cat.cruise_missile(t.missile).kind}: the cruise model "
                "does not fly it, so it cannot be a threat (put it under analyses.reach)",
                t.missile,
                sorted(cat.cruise_missiles),
            )
        elif t.shape != "minimum-energy":
            add(
                ("threats", i, "shape"),
                f"{t.missile!r} is a cruise missile: it flies its catalogue profile (route "
                "it with via:), not a ballistic shape",
                t.shape,
                ["minimum-energy (the default)"],
            )
        elif isinstance(t.origin, AreaLaunch):
            add(
                ("threats", i, "from"),
                f"{t.missile!r} is a cruise missile: it is engaged on central values only, "
                "so it takes a launch point, not a launch area",
                None,
            )
        if t.via and not cruise:
            add(
                ("threats", i, "via"),
                "via: routes a cruise missile; a ballistic missile flies the great circle",
                t.via,
            )
        for k, point in enumerate(t.via):
            point_problem(("threats", i, "via", k), point)
        if isinstance(t.origin, AreaLaunch):
            point_problem(("threats", i, "from", "area", "center"), t.origin.area.center)
        else:
            point_problem(("threats", i, "from"), t.origin)
        point_problem(("threats", i, "to"), t.target)

    # published flight-time claims: a catalogue missile, two points, a known source
    for i, c in enumerate(scn.claims):
        if _is_file_spec(c.missile):
            add(("claims", i, "missile"), "a claim names a catalogue missile", c.missile)
        else:
            missile_problem(("claims", i, "missile"), c.missile)
        point_problem(("claims", i, "from"), c.origin)
        point_problem(("claims", i, "to"), c.target)
        if c.source not in cat.sources:
            add(
                ("claims", i, "source"),
                f"unknown source id {c.source!r}: a claim cites a catalogue source",
                c.source,
                sorted(cat.sources),
            )

    # defences
    for i, d in enumerate(scn.defences):
        site = site_problem(("defences", i, "site"), d.site)
        if d.interceptors is not None:
            if not d.interceptors:
                add(
                    ("defences", i, "interceptors"),
                    "name at least one interceptor (or leave "
                    "interceptors out for those deployed at the site)",
                )
            for j, name in enumerate(d.interceptors):
                try:
                    scat.interceptor(name)
                except UnknownEntryError as exc:
                    add(("defences", i, "interceptors", j), exc.message, name, exc.allowed)
        elif site is not None:
            deployed = [s for s in site.systems if s.system in scat.interceptors]
            usable = [s for s in deployed if d.include_notional or not s.notional]
            if not usable:
                hint = (
                    f"only notional ones ({', '.join(s.system for s in deployed)}): set "
                    "include_notional: true or name them under interceptors"
                    if deployed
                    else "name them under interceptors"
                )
                add(
                    ("defences", i, "site"),
                    f"no interceptors are deployed at {site.id}; {hint}",
                    d.site,
                    sorted(scat.interceptors),
                )

    # sensors
    for i, spec in enumerate(scn.sensors or ()):
        site_name, _, radar = str(spec).partition(":")
        site_name, radar = site_name.strip(), radar.strip()
        if not radar:
            try:
                scat.sensor(site_name)
                continue
            except UnknownEntryError:
                pass
        try:
            site = scat.site(site_name)
        except UnknownEntryError as exc:
            allowed = [*sorted(scat.sensors), *(exc.allowed or [])]
            add(
                ("sensors", i),
                f"{exc.message} (a sensor is SITE, SITE:RADAR or one of "
                f"{', '.join(sorted(scat.sensors))})",
                spec,
                allowed,
            )
            continue
        if radar:
            try:
                scat.radar(radar)
            except UnknownEntryError as exc:
                add(("sensors", i), exc.message, spec, exc.allowed)
        elif not any(s.system in scat.radars for s in site.systems):
            add(
                ("sensors", i),
                f"no radar is deployed at {site.id}; write {site.id}:RADAR",
                spec,
                sorted(scat.radars),
            )

    # analyses
    an = scn.analyses
    tags = {t for s in scat.entries("site") for t in s.tags}
    for i, r in enumerate(an.reach):
        if r.carrier is not None or _is_cruise(scat, r.missile):
            try:
                scat.cruise_missile(r.missile)
            except UnknownEntryError as exc:
                add(("analyses", "reach", i, "missile"), exc.message, r.missile, exc.allowed)
            if r.carrier is not None:
                try:
                    scat.carrier(r.carrier)
                except UnknownEntryError as exc:
                    add(("analyses", "reach", i, "carrier"), exc.message, r.carrier, exc.allowed)
        else:
            missile_problem(("analyses", "reach", i, "missile"), r.missile)
        point_problem(("analyses", "reach", i, "from"), r.origin)
        if isinstance(r.sites, str):
            if r.sites != "all" and r.sites not in tags:
                names = [n.strip() for n in r.sites.split(",") if n.strip()]
                for name in names:
                    try:
                        scat.site(name)
                    except UnknownEntryError as exc:
                        allowed = sorted(tags)
                        add(
                            ("analyses", "reach", i, "sites"),
                            f"{name!r} is not a site tag, 'all' or a site id; tags: "
                            f"{', '.join(allowed)} ({exc.message})",
                            r.sites,
                            ["all", *allowed],
                        )
        else:
            for j, name in enumerate(r.sites):
                site_problem(("analyses", "reach", i, "sites", j), name)
    for i, c in enumerate(an.coverage):
        site = site_problem(("analyses", "coverage", i, "site"), c.site)
        if c.interceptor is not None:
            try:
                scat.interceptor(c.interceptor)
            except UnknownEntryError as exc:
                add(
                    ("analyses", "coverage", i, "interceptor"),
                    exc.message,
                    c.interceptor,
                    exc.allowed,
                )
        elif site is not None and not any(s.system in scat.interceptors for s in site.systems):
            add(
                ("analyses", "coverage", i, "site"),
                f"no interceptors are deployed at {site.id}; name one under interceptor",
                c.site,
                sorted(scat.interceptors),
            )
        if c.radar is not None:
            try:
                scat.radar(c.radar)
            except UnknownEntryError as exc:
                add(("analyses", "coverage", i, "radar"), exc.message, c.radar, exc.allowed)
        elif site is not None and not any(s.system in scat.radars for s in site.systems):
            add(
                ("analyses", "coverage", i, "site"),
                f"no radar is deployed at {site.id}; name one under radar",
                c.site,
                sorted(scat.radars),
            )
    if "engage" in an.model_fields_set and an.engage and not (scn.threats and scn.defences):
        add(("analyses", "engage"), "engage: true needs at least one threat and one defence")
    if an.effectiveness is not None and not scn.defences and an.effectiveness.pk is None:
        add(
            ("analyses", "effectiveness", "pk"),
            "give pk, or name defences whose interceptors' catalogue Pk is used",
        )

    # uncertainty
    unc = scn.uncertainty
    seen_paths: set[str] = set()
    targets: dict[str, VaryTarget] = {}
    for i, path in enumerate(unc.vary):
        try:
            target = parse_vary_path(path, scat, file_missiles)
        except ValueError as exc:
            add(("uncertainty", "vary", i), str(exc), path)
            continue
        if target.canonical in seen_paths:
            add(("uncertainty", "vary", i), f"{path!r} is listed twice", path)
        seen_paths.add(target.canonical)
        targets[path] = target
        if target.kind == "cueing" and target.quantity is None and path not in unc.overrides:
            add(
                ("uncertainty", "vary", i),
                f"{path!r} has no catalogue range: declare one under "
                f"uncertainty.overrides.{path!r} (low, high)",
                path,
            )
    for path, override in unc.overrides.items():
        loc = ("uncertainty", "overrides", path)
        target = targets.get(path)
        if target is None:
            try:
                target = parse_vary_path(path, scat, file_missiles)
            except ValueError as exc:
                add(loc, str(exc), path)
                continue
        if target.kind == "cueing" and target.path == "cue_at" and scn.cueing.cue_at == "burnout":
            add(loc, "cueing.cue_at is 'burnout'; give it in seconds to vary it", path)
        want = target.quantity.unit if target.quantity is not None else "s"
        if override.unit is not None and override.unit in units.ALLOWED_UNITS:
            if units.dimension_of(override.unit) != units.dimension_of(want):
                add(
                    (*loc, "unit"),
                    f"unit {override.unit!r} is not a {units.dimension_of(want)} "
                    f"(the quantity is in {want!r})",
                    override.unit,
                )
                continue
        # a band never leaves the field's own domain (a negative delay, a zero mass...)
        domain = (
            CUEING_DOMAINS.get(target.path)
            if target.kind == "cueing"
            else domains.catalogue_domain(target.path)
        )
        if domain is not None:
            for name in ("low", "high", "value"):
                x = getattr(override, name)
                problem = None if x is None else domain.explain(x, unit=override.unit or want)[0]
                if problem is not None:
                    add((*loc, name), problem, x, domain.allowed())
    return problems, file_missiles


def scenario_catalogue(scenario: Scenario, cat=None):
    """``cat`` (default: the shipped catalogue) with the scenario's places added and the
    loadouts it changes replaced, so that every catalogue-name API
    (``bmdsim.fly``, ``engage``, ``coverage``...) accepts the scenario's site ids. Changed
    catalogue sites are recorded in ``Catalogue.overrides``."""
    cat = cat if cat is not None else default_catalogue()
    if not scenario.sites:
        return cat
    label = f"scenario {scenario.source or scenario.name}"
    source = "bmdsim-assumption"
    sites = dict(cat.sites)
    overrides = list(cat.overrides)
    for p in scenario.sites:
        base = cat.sites.get(p.id)
        systems = None
        if p.systems is not None:
            systems = []
            for s in p.systems:
                entry = cat.system(s.system)
                boresight = None
                if s.boresight_azimuth_deg is not None:
                    v = s.boresight_azimuth_deg
                    boresight = Quantity(
                        value=v,
                        low=v,
                        high=v,
                        unit="deg",
                        source=source,
                        grade="C",
                        note=label,
                    )
                systems.append(
                    SiteSystem(
                        system=entry.id,
                        count=s.count,
                        notional=s.notional,
                        ship=s.ship,
                        boresight_azimuth=boresight,
                        source=source,
                        grade="C",
                        note=label,
                    )
                )
        if base is not None:
            changes: dict[str, Any] = {}
            for name in ("name", "lat_deg", "lon_deg", "elevation_m", "country", "note"):
                if getattr(p, name) is not None:
                    changes[name] = getattr(p, name)
            if p.tags:
                changes["tags"] = list(dict.fromkeys([*base.tags, *p.tags]))
            if systems is not None:
                changes["systems"] = systems
            sites[p.id] = base.model_copy(update=changes)
            overrides.append(Override("site", p.id, label))
        else:
            sites[p.id] = Site(
                id=p.id,
                name=p.name or p.id,
                country=p.country or "",
                kind="other",
                lat_deg=p.lat_deg if p.lat_deg is not None else 0.0,
                lon_deg=p.lon_deg if p.lon_deg is not None else 0.0,
                elevation_m=p.elevation_m,
                uncertainty_km=0.0,
                tags=[*p.tags, "scenario"],
                source=source,
                grade="C",
                note=p.note or label,
                systems=systems or [],
            )
    new = dataclasses.replace(
        cat, sites=sites, overrides=overrides, files=[*cat.files, label], _names=dict(cat._names)
    )
    new._index("site")
    return new


def uncertain_inputs(scn: Scenario, cat=None) -> list[UncertainInput]:
    """Every varied input with its range: the override where the scenario declares one,
    else the catalogue Quantity's [low, high] (central value ``value``)."""
    cat = cat if cat is not None else scenario_catalogue(scn)
    out = []
    for path in scn.uncertainty.varied:
        target = parse_vary_path(path, cat, scn._file_missiles)
        override = scn.uncertainty.overrides.get(path)
        q = target.quantity
        if override is not None:
            unit = override.unit or (q.unit if q is not None else "s")
            value = (
                override.value
                if override.value is not None
                else 0.5 * (override.low + override.high)
            )
            out.append(
                UncertainInput(
                    path,
                    target,
                    override.low,
                    override.high,
                    value,
                    unit,
                    override.distribution or scn.uncertainty.distribution,
                    True,
                    None,
                    override.note,
                )
            )
        else:
            assert q is not None  # cue_at without an override is refused
            out.append(
                UncertainInput(
                    path,
                    target,
                    q.low,
                    q.high,
                    q.value,
                    q.unit,
                    scn.uncertainty.distribution,
                    False,
                    q.source,
                    q.note,
                )
            )
    return out


def _is_cruise(cat, name) -> bool:
    """Whether ``name`` is a cruise missile's id or alias (and no ballistic missile's)."""
    try:
        cat.missile(str(name))
        return False
    except UnknownEntryError:
        pass
    try:
        cat.cruise_missile(str(name))
        return True
    except UnknownEntryError:
        return False
