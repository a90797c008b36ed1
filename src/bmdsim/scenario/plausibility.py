"""Inputs that are valid but probably not meant: checked before any work.

* :func:`swapped_point_warning`: a ``LAT,LON`` pair whose swap lands on a catalogue site
  (or on the place the user names in a hint) while the pair as given is far from every
  catalogue site (or from every site of the hinted country): ``20.51,54.71`` is the
  Arabian Sea, ``54.71,20.51`` is Kaliningrad. A warning, not an error: the sea is a
  valid launch point.
* :func:`min_range_problem`: a target inside the missile's catalogue minimum range
  (Iskander-M: 50 km), which the published system cannot engage; refused with the number.

The command line calls both before it flies anything; the scenario loader refuses a
threat inside its missile's minimum range at the threat's line, and ``bmdsim run`` prints
the swap warnings of a scenario's points.
"""

from __future__ import annotations

import numpy as np

from bmdsim.catalogue import default_catalogue, normalise_name
from bmdsim.earth import geodesic
from bmdsim.scenario.schema import AreaLaunch, Scenario, parse_point

__all__ = ["min_range_problem", "scenario_warnings", "swapped_point_warning"]

NEAR_M = 50e3  # the swapped point is "at" a site within this distance
FAR_M = 500e3  # the point as given is "far from every site" beyond this distance


def _nearest(cat, lat, lon, sites=None):
    sites = list(sites if sites is not None else cat.entries("site"))
    if not sites:
        return None, np.inf
    d, _, _ = geodesic.inverse(
        lat1_deg=lat,
        lon1_deg=lon,
        lat2_deg=np.array([s.lat_deg for s in sites]),
        lon2_deg=np.array([s.lon_deg for s in sites]),
    )
    k = int(np.argmin(d))
    return sites[k], float(d[k])


def swapped_point_warning(text, catalogue=None, *, hint=None, country=None) -> str | None:
    """A warning if ``text`` ("LAT,LON") looks like longitude and latitude swapped, else
    None. ``hint``: a name the user gave the point (a scenario place's name); ``country``:
    the country it is said to be in."""
    latlon = parse_point(str(text))
    if latlon is None:
        return None
    lat, lon = latlon
    if not (-90 <= lon <= 90 and -180 <= lat <= 180 and -90 <= lat <= 90) or lat == lon:
        return None
    cat = catalogue if catalogue is not None else default_catalogue()
    sites = cat.entries("site")
    if country:
        key = normalise_name(country)
        same = [s for s in sites if normalise_name(s.country or "") == key]
        if same:
            sites = same
    given_site, given_d = _nearest(cat, lat, lon, sites)
    swap_site, swap_d = _nearest(cat, lon, lat, sites)
    if swap_site is None:
        return None
    named = hint is not None and normalise_name(str(hint)) in {
        normalise_name(n) for n in [swap_site.id, swap_site.name, *swap_site.aliases]
    }
    where = f" of {country}" if country and sites is not cat.entries("site") else ""
    if swap_d <= NEAR_M and (named or given_d > FAR_M):
        return (
            f"{text}: read as latitude {lat:g}, longitude {lon:g}, {given_d / 1e3:,.0f} km "
            f"from the nearest catalogue site{where}; {lon:g},{lat:g} is {swap_site.name} "
            f"({swap_site.id}): are latitude and longitude swapped? (LAT,LON, latitude first)"
        )
    return None


def min_range_problem(missile, origin, target, catalogue=None) -> str | None:
    """Why ``target`` cannot be flown to from ``origin`` by ``missile`` because it lies
    inside the catalogue's minimum range (its band's low end), or None. Vehicle files and
    missiles without a published minimum range pass."""
    from bmdsim.analyses.resolve import resolve_place
    from bmdsim.errors import BmdsimError

    cat = catalogue if catalogue is not None else default_catalogue()
    if str(missile).lower().endswith((".yaml", ".yml")):
        return None
    try:
        entry = cat.missile(str(missile))
        q = entry.published.min_range
        if q is None:
            return None
        a = resolve_place(origin, cat, what="launch")
        b = resolve_place(target, cat, what="target")
    except BmdsimError:
        return None  # the analysis names the problem itself
    d, _, _ = geodesic.inverse(
        lat1_deg=a.lat_deg, lon1_deg=a.lon_deg, lat2_deg=b.lat_deg, lon2_deg=b.lon_deg
    )
    d = float(d)
    if d < q.low_si:
        return (
            f"{target} is {d / 1e3:,.1f} km from {origin}, inside the {entry.id} minimum range "
            f"of {q.value:g} {q.unit} (catalogue, [{q.source}]); allowed: targets at least "
            f"{q.low:g} {q.unit} away"
        )
    return None


def scenario_warnings(scn: Scenario, catalogue=None) -> list[str]:
    """Swap warnings for every "LAT,LON" a scenario gives (its places, threat launch
    points and targets, reach origins), against the catalogue's own sites (not the
    scenario's places, one of which is the point itself)."""
    cat = catalogue if catalogue is not None else default_catalogue()
    out = []
    for i, p in enumerate(scn.sites):
        if p.lat_deg is not None and p.lon_deg is not None:
            w = swapped_point_warning(
                f"{p.lat_deg:g},{p.lon_deg:g}",
                cat,
                hint=p.name,
                country=p.country,
            )
            if w:
                out.append(f"sites[{i}] ({p.id}): {w}")
    points = []
    for i, t in enumerate(scn.threats):
        origin = t.origin.area.center if isinstance(t.origin, AreaLaunch) else t.origin
        points += [(f"threats[{i}].from", origin), (f"threats[{i}].to", t.target)]
    for i, r in enumerate(scn.analyses.reach):
        points.append((f"analyses.reach[{i}].from", r.origin))
    for where, text in points:
        w = swapped_point_warning(text, cat)
        if w:
            out.append(f"{where}: {w}")
    return out
