"""Press numbers into physics: ``lofted``, ``flight_time`` and ``reach_claim``.

* ``lofted``: the standard-trajectory range of a missile from a lofted test's range and
  apogee, David Wright's conversion (:mod:`bmdsim.analyses.lofted`);
* ``flight_time``: the shortest flight times a missile can fly over a range (minimum-energy
  and depressed ballistic profiles, flown by ``bmdsim.flight``) against a claimed time;
* ``reach_claim``: the reach verdict (in / uncertain / out, with the band) of
  ``analyses.flights.reach`` for one target.

Places: a catalogue site, "LAT,LON", or a GeoNames town (:mod:`bmdsim.analyses.places`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bmdsim.analyses.calibration import band_vehicles
from bmdsim.analyses.flights import fly, reach
from bmdsim.analyses.lofted import (
    KEPLER_SOURCE,
    WRIGHT,
    LoftedClaim,
    capitals_within,
    lofted,
    lofted_arc,
    max_range_from,
)
from bmdsim.analyses.places import place, precision
from bmdsim.analyses.resolve import Place, catalogue_or_default, resolve_missile
from bmdsim.catalogue import Catalogue
from bmdsim.earth.constants import SPHERE_RADIUS_M as RE
from bmdsim.errors import InputError, UnreachableTargetError
from bmdsim.flight import kepler

__all__ = [
    "QUASI_BALLISTIC_NOTE",
    "WRIGHT",
    "FlightTimeClaim",
    "LoftedClaim",
    "ReachClaim",
    "capitals_within",
    "flight_time",
    "kepler_floor_s",
    "lofted",
    "lofted_arc",
    "max_range_from",
    "place",
    "precision",
    "reach_claim",
]

QUASI_BALLISTIC_NOTE = (
    "the quasi-ballistic profile is flown only for a missile with a catalogue lift-to-drag "
    "ratio (docs/models/lifting-flight.md), central values; boost-glide vehicles are not "
    "modelled"
)

# ---------------------------------------------------------------------------------------
# flight time


@dataclass
class FlightTimeClaim:
    """A claimed flight time against the shortest times the missile can fly."""

    missile_id: str
    missile_name: str
    origin: Place
    target: Place
    distance_m: float
    claimed_s: float
    claimed_pm_s: float
    verdict: str  # consistent | depressed-only | too-fast | out-of-reach
    reach_verdict: str
    reach_why: str
    band_text: str
    times: dict  # profile -> seconds (None where not flown)
    kepler_floor_s: float
    notes: list[str] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        t = self.claimed_s / 60
        who, a, b = self.missile_name, self.origin.label, self.target.label
        dist = f"{self.distance_m / 1e3:,.0f} km"
        me, dep = self.times.get("minimum_energy"), self.times.get("depressed_fastest")
        if self.verdict == "out-of-reach":
            far = self.times.get("to_maximum_range")
            tail = f"; it needs {far / 60:.1f} minutes even to its maximum range" if far else ""
            return (
                f"{who} cannot reach {b} from {a} ({dist}, beyond its range), so "
                f'"{t:g} minutes" describes no flight it can make{tail}; no ballistic '
                f"missile flies {dist} in under {self.kepler_floor_s / 60:.1f} minutes on a "
                "minimum-energy path."
            )
        words = {
            "consistent": "is consistent with a normal (minimum-energy) flight",
            "depressed-only": "is possible only on a depressed, flattened trajectory",
            "too-fast": "is faster than the missile can fly",
        }[self.verdict]
        return (
            f'"{t:g} minutes" from {a} to {b} ({dist}) {words}: {who} needs '
            f"{me / 60:.1f} minutes on a minimum-energy path and at least {dep / 60:.1f} "
            "minutes on its fastest (depressed or quasi-ballistic) one."
        )

    def to_dict(self) -> dict:
        return {
            "answer": self.sentence,
            "verdict": self.verdict,
            "missile": self.missile_id,
            "from": {
                "name": self.origin.label,
                "lat": self.origin.lat_deg,
                "lon": self.origin.lon_deg,
            },
            "to": {
                "name": self.target.label,
                "lat": self.target.lat_deg,
                "lon": self.target.lon_deg,
            },
            "distance_km": self.distance_m / 1e3,
            "claimed_min": {"value": self.claimed_s / 60, "precision": self.claimed_pm_s / 60},
            "reach": {"verdict": self.reach_verdict, "why": self.reach_why, "band": self.band_text},
            "flight_time_min": {k: (None if v is None else v / 60) for k, v in self.times.items()},
            "kepler_minimum_energy_floor_min": self.kepler_floor_s / 60,
            "glide": None,
            "notes": self.notes,
            "sources": [
                "bmdsim flights on the rotating WGS 84 Earth with drag (bmdsim trajectory)",
                f"catalogue: {self.missile_id} (bmdsim catalogue show {self.missile_id})",
                KEPLER_SOURCE + " (the minimum-energy floor)",
            ],
        }


def kepler_floor_s(distance_m: float) -> float:
    """Time of free flight of the minimum-energy Keplerian arc over ``distance_m`` from
    the surface (vacuum, spherical Earth; BMW 6.2-20, 6.3): no ballistic missile at
    minimum energy is faster, whatever its motor."""
    psi = distance_m / RE
    v = float(kepler.minimum_energy_speed(psi, RE))
    return float(
        kepler.time_of_free_flight(v, RE, float(kepler.minimum_energy_flight_path_angle(psi)))
    )


def _fly_time(vehicle, origin, target, shape, cat):
    try:
        return fly(vehicle, origin=origin, target=target, shape=shape, catalogue=cat).flight_time_s
    except (UnreachableTargetError, InputError):
        return None


def _reach_of(missile, origin: Place, target: Place, cat):
    site = _Site(target.id or "target", target.label, target.lat_deg, target.lon_deg)
    fp = reach(missile, origin=(origin.lat_deg, origin.lon_deg), sites=[site], catalogue=cat)
    return fp, fp.sites[0]


@dataclass(frozen=True)
class _Site:
    id: str
    name: str
    lat_deg: float
    lon_deg: float


def _check_min_range(entry, a: Place, b: Place) -> None:
    """Refuse, before any flight, a target inside the missile's catalogue minimum range
    (or closer than 1 km: no flight)."""
    from bmdsim.earth import geodesic

    d, _, _ = geodesic.inverse(
        lat1_deg=a.lat_deg, lon1_deg=a.lon_deg, lat2_deg=b.lat_deg, lon2_deg=b.lon_deg
    )
    mr = entry.published.min_range
    floor = max(1e3, mr.low_si if mr is not None else 0.0)
    if float(d) < floor:
        raise InputError(
            f"--to: {b.label} is {float(d) / 1e3:,.1f} km from {a.label}, inside "
            f"{entry.id}'s minimum range of {floor / 1e3:,.0f} km",
            field="--to",
            value=b.label,
            allowed=f">= {floor / 1e3:,.0f} km away",
        )


def flight_time(
    missile: str, *, origin: str, target: str, minutes: float, catalogue: Catalogue | None = None
) -> FlightTimeClaim:
    """Check a claimed flight time ``minutes`` for ``missile`` from ``origin`` to
    ``target``: minimum-energy and depressed flights of the central vehicle and the
    band's long end (bmdsim flights), the reach verdict, and the Keplerian floor."""
    cat = catalogue_or_default(catalogue)
    if not (math.isfinite(minutes) and 0 < minutes <= 120):
        raise InputError(
            f"--minutes: {minutes!r} is outside its domain; allowed: 0 to 120 minutes",
            field="--minutes",
            value=minutes,
            allowed="0 to 120",
        )
    _, entry, _ = resolve_missile(missile, cat)
    a, b = place(origin, cat, what="launch"), place(target, cat, what="target")
    _check_min_range(entry, a, b)
    fp, site = _reach_of(entry.id, a, b, cat)
    name = (fp.missile_name or entry.id).split(" (", 1)[0]
    band_text = fp.band.text if fp.band is not None else "no band"
    pm = precision(minutes, min_digits=1) * 60.0
    t_claim = minutes * 60.0
    times: dict = {"minimum_energy": None, "depressed": None, "depressed_fastest": None}
    notes = [QUASI_BALLISTIC_NOTE]
    pair = band_vehicles(entry, cat)
    a_pt, b_pt = (a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)
    if site.verdict == "out":
        az = np.asarray(fp.azimuth_deg)
        k = int(np.argmin(np.abs((az - site.azimuth_deg + 180) % 360 - 180)))
        times["to_maximum_range"] = float(fp.flight_time_s[k])
        verdict = "out-of-reach"
    else:
        central = site.in_reach
        times["minimum_energy"] = (
            _fly_time(entry.id if central else pair[1], a_pt, b_pt, "minimum-energy", cat)
            if (central or pair)
            else None
        )
        times["depressed"] = _fly_time(entry.id, a_pt, b_pt, "depressed", cat) if central else None
        fastest = [x for x in (times["depressed"],) if x is not None]
        if pair is not None:
            t_long = _fly_time(pair[1], a_pt, b_pt, "depressed", cat)
            if t_long is not None:
                fastest.append(t_long)
        if central and entry.lifting is not None:
            times["quasi_ballistic"] = _fly_time(entry.id, a_pt, b_pt, "quasi-ballistic", cat)
            if times["quasi_ballistic"] is not None:
                fastest.append(times["quasi_ballistic"])
        times["depressed_fastest"] = min(fastest) if fastest else times["minimum_energy"]
        if times["minimum_energy"] is None:
            verdict = "out-of-reach"
        elif t_claim + pm >= times["minimum_energy"]:
            verdict = "consistent"
        elif t_claim + pm >= times["depressed_fastest"]:
            verdict = "depressed-only"
        else:
            verdict = "too-fast"
        if site.verdict == "uncertain":
            notes.append(f"{b.label} is within the range band, not inside it: {site.why(name)}")
    return FlightTimeClaim(
        missile_id=entry.id,
        missile_name=name,
        origin=a,
        target=b,
        distance_m=site.distance_m,
        claimed_s=t_claim,
        claimed_pm_s=pm,
        verdict=verdict,
        reach_verdict=site.verdict,
        reach_why=site.why(name),
        band_text=band_text,
        times=times,
        kepler_floor_s=kepler_floor_s(site.distance_m),
        notes=notes,
    )


# ---------------------------------------------------------------------------------------
# reach


@dataclass
class ReachClaim:
    """The reach verdict for one target, from ``analyses.flights.reach``."""

    missile_id: str
    missile_name: str
    origin: Place
    target: Place
    site: object  # flight.reach.SiteReach
    band_text: str

    @property
    def sentence(self) -> str:
        s, who = self.site, self.missile_name
        dist = f"{s.distance_m / 1e3:,.0f} km"
        lo, hi = s.range_low_m / 1e3, s.range_high_m / 1e3
        span = f"{lo:,.0f} km" if round(lo) == round(hi) else f"{lo:,.0f}-{hi:,.0f} km"
        words = {
            "in": f"is within reach of {who} from {self.origin.label}",
            "out": f"is out of reach of {who} from {self.origin.label}",
            "uncertain": f"may or may not be within reach of {who} from {self.origin.label}",
        }[s.verdict]
        return f"{self.target.label} ({dist} away) {words}: it reaches {span} on that bearing."

    def to_dict(self) -> dict:
        s = self.site
        return {
            "answer": self.sentence,
            "verdict": s.verdict,
            "missile": self.missile_id,
            "from": {
                "name": self.origin.label,
                "lat": self.origin.lat_deg,
                "lon": self.origin.lon_deg,
            },
            "to": {
                "name": self.target.label,
                "lat": self.target.lat_deg,
                "lon": self.target.lon_deg,
            },
            "distance_km": s.distance_m / 1e3,
            "range_km": {
                "low": s.range_low_m / 1e3,
                "central": s.max_range_m / 1e3,
                "high": s.range_high_m / 1e3,
            },
            "flight_time_min": None if s.flight_time_s is None else s.flight_time_s / 60,
            "why": s.why(self.missile_name),
            "band": self.band_text,
            "sources": [
                "bmdsim reach: maximum-range footprints on the rotating WGS 84 Earth with drag",
                f"catalogue: {self.missile_id} (bmdsim catalogue show {self.missile_id})",
            ],
        }


def reach_claim(
    missile: str, *, origin: str, target: str, catalogue: Catalogue | None = None
) -> ReachClaim:
    """Whether ``target`` is in reach of ``missile`` from ``origin``: in / uncertain /
    out with the band (``analyses.flights.reach``)."""
    cat = catalogue_or_default(catalogue)
    _, entry, _ = resolve_missile(missile, cat)
    a, b = place(origin, cat, what="launch"), place(target, cat, what="target")
    fp, site = _reach_of(entry.id, a, b, cat)
    name = (fp.missile_name or entry.id).split(" (", 1)[0]
    return ReachClaim(
        entry.id, name, a, b, site, fp.band.text if fp.band is not None else "no band"
    )
