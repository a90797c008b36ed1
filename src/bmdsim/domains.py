"""The physical domain of every quantity a user can give bmdsim, stated once.

A :class:`Domain` names a quantity, the unit it is written in at the edge, its bounds
and the reason for them. The command line (``cli/_options.py``), the scenario schema
(``scenario/schema.py``, override bands included), the catalogue schema and the public
analysis functions all check a value with the same ``Domain.check``, so a number that
one door refuses no other door accepts, and every refusal reads the same::

    decision_delay_s: -300 s is outside its domain; allowed: 0 to 3,600 s (an interceptor is
    launched after the track that commits it, and no ballistic flight lasts an hour)

Strict types: a bool is never a number (``true`` is not 1), a whole number is required
where a count is asked for (``1e9`` decoys is refused by its bound, ``2.5`` shots by its
type), and NaN, infinities and numbers too large for a float are refused by name.

Bounds are wide on purpose: they exclude what cannot be physics (a negative delay, a
latitude of 95 deg, an RCS of 0), and what the arithmetic cannot hold (1e9 decoys per RV
is a 15 GiB array), never a value an analyst might want to try.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

from bmdsim.earth.constants import SPHERE_RADIUS_M
from bmdsim.errors import InputError

__all__ = [
    "ALTITUDE",
    "APOGEE",
    "ARC_RANGE",
    "AZIMUTH",
    "AZIMUTHS_COVERAGE",
    "AZIMUTHS_REACH",
    "BOOLEAN",
    "BURNOUT_ALTITUDE",
    "BURNOUT_SPEED",
    "CHUNK_SIZE",
    "CUE_TIME",
    "DECOYS",
    "DELAY",
    "Domain",
    "ELEVATION",
    "END_ALTITUDE",
    "FLIGHT_PATH_ANGLE",
    "FLIGHT_TIME_CLAIM",
    "INVENTORY",
    "LATITUDE",
    "LAUNCH_AREA_RADIUS",
    "LIFT_TO_DRAG",
    "LONGITUDE",
    "LOOKS",
    "MAX_ROWS",
    "PROBABILITY",
    "RAID",
    "RCS",
    "RING_RADIUS",
    "SAMPLES",
    "SEED",
    "SHOTS",
    "SITE_ALTITUDE",
    "SPEED",
    "WORKERS",
    "catalogue_domain",
    "check_bool",
    "check_doctrine",
    "check_shape",
    "check_text",
]


def _fmt(x: float) -> str:
    """A bound for a message: 3,600 / 0.5 / 1e-06 / 9,223,372,036,854,775,807."""
    if isinstance(x, int) or float(x).is_integer() and abs(x) < 1e16:
        return f"{int(x):,}"
    return f"{x:g}"


def _show(value) -> str:
    """A user's value in a message: short, one line, never a whole file."""
    if isinstance(value, float):
        return repr(value) if not math.isfinite(value) else f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) < 10**30:
            return str(value)
        return f"a {int(value.bit_length() * 0.30103) + 1}-digit number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Domain:
    """Where a quantity may lie: [``low``, ``high``] in ``unit`` (either bound open with
    ``low_open``/``high_open``, absent with None), whole numbers only with ``integer``.
    ``reason`` says why the bounds are where they are."""

    name: str
    unit: str
    low: float | None
    high: float | None
    reason: str
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def allowed(self, unit: str | None = None) -> str:
        """The domain in words, e.g. ``0 to 3,600 s`` or ``a whole number 1 to 100``."""
        factor = self._factor(unit)
        u = unit if unit is not None else self.unit
        suffix = f" {u}" if u else ""
        lo = None if self.low is None else (self.low if factor == 1.0 else self.low / factor)
        hi = None if self.high is None else (self.high if factor == 1.0 else self.high / factor)
        if lo is not None and hi is not None:
            if self.low_open or self.high_open:
                lo_s = f"> {_fmt(lo)}" if self.low_open else f">= {_fmt(lo)}"
                hi_s = f"< {_fmt(hi)}" if self.high_open else f"<= {_fmt(hi)}"
                text = f"{lo_s} and {hi_s}{suffix}"
            else:
                text = f"{_fmt(lo)} to {_fmt(hi)}{suffix}"
        elif lo is not None:
            text = f"{'>' if self.low_open else '>='} {_fmt(lo)}{suffix}"
        elif hi is not None:
            text = f"{'<' if self.high_open else '<='} {_fmt(hi)}{suffix}"
        else:
            text = f"any finite number{suffix}"
        return f"a whole number {text}" if self.integer else text

    def describe(self, unit: str | None = None) -> str:
        """``allowed`` with the reason: what an error message and a --help text say."""
        return f"{self.allowed(unit)} ({self.reason})"

    def _factor(self, unit: str | None) -> float:
        if unit is None or unit == self.unit:
            return 1.0
        from bmdsim import units

        return units.to_si(1.0, unit) / units.to_si(1.0, self.unit)

    def contains(self, value, unit: str | None = None) -> bool:
        """Whether ``value`` (in ``unit``, default the domain's) lies in the domain."""
        try:
            self.check(value, unit=unit)
        except InputError:
            return False
        return True

    def explain(self, value, *, unit: str | None = None) -> tuple[str | None, float | int]:
        """(None, the value as a number) if ``value`` (in ``unit``) lies in the domain, else
        (why not, as "-300 s is outside its domain; allowed: 0 to 3,600 s (reason)", None)."""
        u = unit if unit is not None else self.unit
        shown = f"{_show(value)}{' ' + u if u and _is_number(value) else ''}"

        def why(problem: str):
            return f"{shown} {problem}; allowed: {self.describe(unit)}", None

        if not _is_number(value):
            what = "true/false" if isinstance(value, bool) else type(value).__name__
            return why(f"is not a number ({what})")
        if self.integer:
            if isinstance(value, numbers.Integral):
                number = int(value)
            else:
                try:
                    f = float(value)
                except (OverflowError, ValueError):
                    return why("is not a whole number")
                if not math.isfinite(f):
                    return why("is not a finite number")
                if not f.is_integer():
                    return why("is not a whole number")
                number = int(f)
        else:
            try:
                number = float(value)
            except OverflowError:
                return why("is too large for a number")
            if not math.isfinite(number):
                return why("is not a finite number")
        factor = self._factor(unit)
        x = number * factor if factor != 1.0 else number
        if self.low is not None and (x < self.low or (self.low_open and x == self.low)):
            return why("is outside its domain")
        if self.high is not None and (x > self.high or (self.high_open and x == self.high)):
            return why("is outside its domain")
        return None, number

    def check(self, value, *, field: str | None = None, unit: str | None = None):
        """``value`` if it lies in the domain (an int for whole-number domains, else a
        float), in ``unit`` (default the domain's own); :class:`InputError` naming
        ``field``, the value, the domain and its reason otherwise."""
        field = field or self.name
        problem, number = self.explain(value, unit=unit)
        if problem is not None:
            raise InputError(
                f"{field}: {problem}", field=field, value=value, allowed=self.allowed(unit)
            )
        return number

    def bounds(self, unit: str | None = None) -> dict:
        """JSON-Schema keywords (minimum, exclusiveMinimum, ...) in ``unit``."""
        factor = self._factor(unit)
        out: dict = {}
        if self.low is not None:
            out["exclusiveMinimum" if self.low_open else "minimum"] = self.low / factor
        if self.high is not None:
            out["exclusiveMaximum" if self.high_open else "maximum"] = self.high / factor
        if self.integer:
            out["type"] = "integer"
        return out


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_bool(value, *, field: str) -> bool:
    """``value`` if it is a bool: ``0``, ``1``, ``"yes"`` are not (no silent conversion)."""
    if isinstance(value, bool):
        return value
    raise InputError(
        f"{field}: {_show(value)} is not true or false",
        field=field,
        value=value,
        allowed="true | false",
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_doctrine(doctrine, *, field: str = "doctrine"):
    """``doctrine`` (an engagement Doctrine) if its delays lie in :data:`DELAY` and its
    switches are bools: an interceptor is never launched before the track that commits
    it (a negative decision delay made SM-3 IIA feasible launched 283 s early)."""
    for name in ("decision_delay_s", "assessment_delay_s"):
        DELAY.check(getattr(doctrine, name), field=f"{field}.{name}")
    for name in ("launch_on_remote", "engage_on_remote"):
        check_bool(getattr(doctrine, name), field=f"{field}.{name}")
    return doctrine


def check_text(value, *, field: str, max_length: int = 200, empty: bool = False) -> str:
    """A name or label a user gives: a string, at most ``max_length`` characters, without
    control characters (an ESC in a site name would reach KML, terminals and files)."""
    if not isinstance(value, str):
        raise InputError(
            f"{field}: {_show(value)} is not text",
            field=field,
            value=value,
            allowed="text",
        )
    if not empty and not value.strip():
        raise InputError(f"{field}: is empty", field=field, value=value, allowed="non-empty text")
    if len(value) > max_length:
        raise InputError(
            f"{field}: {len(value):,} characters; at most {max_length:,} are allowed",
            field=field,
            value=value[:40] + "...",
            allowed=f"at most {max_length} characters",
        )
    bad = _CONTROL.search(value)
    if bad is not None:
        raise InputError(
            f"{field}: contains the control character U+{ord(bad.group()):04X} at position "
            f"{bad.start() + 1}; allowed: printable text",
            field=field,
            value=value,
            allowed="printable text",
        )
    return value


# ---------------------------------------------------------------------------------------
# places and directions (degrees, metres)

LATITUDE = Domain("latitude", "deg", -90.0, 90.0, "geodetic latitude on the WGS 84 ellipsoid")
LONGITUDE = Domain("longitude", "deg", -180.0, 180.0, "east of Greenwich, west negative")
AZIMUTH = Domain(
    "azimuth", "deg", -360.0, 360.0, "a heading clockwise from true north, one turn either way"
)
FLIGHT_PATH_ANGLE = Domain(
    "flight-path angle", "deg", -90.0, 90.0, "above the local horizontal; 90 is straight up"
)
ELEVATION = Domain(
    "site elevation",
    "m",
    -500.0,
    9_000.0,
    "height above the ellipsoid of a place on the ground: the Dead Sea shore to above Everest",
)
LAUNCH_ELEVATION = Domain(
    "launch elevation",
    "deg",
    0.0,
    90.0,
    "above the local horizontal: more than 0, 90 is straight up",
    low_open=True,
)
SITE_ALTITUDE = Domain(
    "start altitude",
    "m",
    0.0,
    5.0e6,
    "above the ellipsoid, below 5,000 km (beyond any apogee)",
    high_open=True,
)
ALTITUDE = Domain(
    "target altitude",
    "m",
    0.0,
    2.0e6,
    "from the ground to 2,000 km, above the highest apogee of the catalogue's missiles",
)
APOGEE = Domain(
    "apogee",
    "m",
    0.0,
    5.0e6,
    "a trajectory's highest point, above the ground and below 5,000 km",
    low_open=True,
)
LAUNCH_AREA_RADIUS = Domain(
    "launch-area radius", "m", 0.0, 5.0e6, "a launch area, larger than a point", low_open=True
)
RING_RADIUS = Domain(
    "ring radius", "m", 0.0, 2.0e7, "a distance on the Earth: at most half its circumference"
)

# ---------------------------------------------------------------------------------------
# time, speed, cross-section

DELAY = Domain(
    "delay",
    "s",
    0.0,
    3_600.0,
    "an interceptor is launched after the track that commits it, and no ballistic flight "
    "lasts an hour",
)
CUE_TIME = Domain(
    "cue time",
    "s",
    0.0,
    3_600.0,
    "seconds after the threat's launch; no ballistic flight lasts an hour",
)
BURNOUT_SPEED = Domain(
    "burnout speed",
    "m/s",
    0.0,
    11_200.0,
    "faster than zero and below Earth escape speed, 11.2 km/s",
    low_open=True,
)
FLIGHT_TIME_CLAIM = Domain(
    "claimed flight time",
    "s",
    0.0,
    7_200.0,
    "a published claim of a missile's flight time: more than nothing, and no ballistic or "
    "glide flight on Earth lasts two hours",
    low_open=True,
)
SPEED = Domain(
    "speed",
    "m/s",
    0.0,
    11_000.0,
    "relative to the ground, below Earth escape speed",
    low_open=True,
    high_open=True,
)
RCS = Domain(
    "radar cross-section",
    "m^2",
    1e-6,
    1e4,
    "from 1e-6 m^2, below any re-entry vehicle's nose-on cross-section, to 10,000 m^2, a "
    "large ship",
)

# ---------------------------------------------------------------------------------------
# probabilities and counts

PROBABILITY = Domain("probability", "", 0.0, 1.0, "a probability")
RAID = Domain(
    "raid size",
    "",
    1,
    10_000,
    "re-entry vehicles in a raid; the open literature's largest raids are hundreds",
    integer=True,
)
SHOTS = Domain(
    "shots per look", "", 1, 100, "interceptors fired at one target in one salvo", integer=True
)
LOOKS = Domain(
    "looks",
    "",
    1,
    100,
    "shoot-look-shoot opportunities against one target; the arithmetic grows as looks^2",
    integer=True,
)
DECOYS = Domain(
    "decoys per RV",
    "",
    0,
    100,
    "the exact sum runs over every decoy of the raid: 100 per RV and 10,000 RVs is a million terms",
    integer=True,
)
INVENTORY = Domain(
    "inventory", "", 0, 1_000_000, "interceptors available to the battery", integer=True
)
SAMPLES = Domain(
    "samples",
    "",
    0,
    100_000_000,
    "Monte Carlo samples; 1e8 is hours of work and gigabytes of results",
    integer=True,
)
SEED = Domain(
    "seed",
    "",
    0,
    2**63 - 1,
    "a 64-bit seed; the results store records it as a signed 64-bit integer",
    integer=True,
)
CHUNK_SIZE = Domain(
    "chunk size",
    "",
    1,
    1_000_000,
    "samples per chunk, the unit of work and of resume",
    integer=True,
)
WORKERS = Domain("workers", "", 1, 1_024, "worker processes on this machine", integer=True)
AZIMUTHS_REACH = Domain(
    "launch azimuths",
    "",
    8,
    3_600,
    "headings of a footprint: 8 to one every 0.1 deg",
    integer=True,
)
AZIMUTHS_COVERAGE = Domain(
    "aim points per ring",
    "",
    4,
    72,
    "aim points around each ring, every 90 to 5 deg",
    integer=True,
)
END_ALTITUDE = Domain(
    "end altitude",
    "m",
    0.0,
    5.0e6,
    "where a descending flight stops (0: at impact; e.g. 100 km for re-entry conditions), "
    "below 5,000 km",
)
LIFT_TO_DRAG = Domain(
    "lift-to-drag ratio",
    "",
    0.0,
    10.0,
    "0 flies ballistic; slender missiles reach 1-3, hypersonic gliders 2-4 (Tracy & Wright "
    "2020), nothing flies above 10",
)
BURNOUT_ALTITUDE = Domain(
    "burnout altitude",
    "m",
    0.0,
    5.0e6,
    "burnout (and re-entry) altitude above the sphere, below 5,000 km",
)
ARC_RANGE = Domain(
    "range",
    "m",
    0.0,
    math.pi * SPHERE_RADIUS_M,
    "a ground range on the sphere, above 0 up to half its circumference",
    low_open=True,
)
MAX_ROWS = Domain("rows", "", 1, 1_000_000, "rows printed or returned by one query", integer=True)
BOOLEAN = "true | false"


# ---------------------------------------------------------------------------------------
# trajectory shapes

SHAPES = ("minimum-energy", "lofted", "depressed", "apogee=KM", "quasi-ballistic[=KM]")
_SHAPE_ALIASES = {
    "min": "minimum-energy",
    "min-energy": "minimum-energy",
    "minimum energy": "minimum-energy",
    "quasi ballistic": "quasi-ballistic",
}
_APOGEE_RE = re.compile(
    r"^(?P<name>apogee|quasi-ballistic)\s*=\s*(?P<number>[^\s]+?)\s*(?P<unit>km)?$",
    re.IGNORECASE,
)


def check_shape(value, *, field: str = "shape") -> str:
    """A trajectory shape in its one spelling: ``minimum-energy``, ``lofted``,
    ``depressed``, ``apogee=KM`` (the apogee in km, finite, in :data:`APOGEE`;
    ``apogee=300 km`` is read as ``apogee=300``), ``quasi-ballistic`` or
    ``quasi-ballistic=KM`` (a lifting missile's apogee cap, in :data:`APOGEE`)."""
    if not isinstance(value, str):
        raise InputError(
            f"{field}: {_show(value)} is not one of {', '.join(SHAPES)}",
            field=field,
            value=value,
            allowed=list(SHAPES),
        )
    text = value.strip().lower().replace("_", "-")
    text = _SHAPE_ALIASES.get(text, text)
    if text in (*SHAPES[:3], "quasi-ballistic"):
        return text
    match = _APOGEE_RE.match(text)
    if match is not None:
        try:
            km = float(match["number"])
        except ValueError:
            km = None
        if km is not None:
            problem = APOGEE.explain(km, unit="km")[0]
            if problem is not None:
                raise InputError(
                    f"{field}: {_show(value)}: the apogee {problem}",
                    field=field,
                    value=value,
                    allowed=APOGEE.allowed("km"),
                )
            return f"{match['name'].lower()}={km:g}"
    raise InputError(
        f"{field}: {_show(value)} is not one of {', '.join(SHAPES)}",
        field=field,
        value=value,
        allowed=list(SHAPES),
    )


# ---------------------------------------------------------------------------------------
# catalogue quantities, by field name (the last step of a path such as stages[0].isp_vac)

_POSITIVE = "a physical size of the vehicle: greater than zero"
CATALOGUE_FIELDS: dict[str, Domain] = {
    "gross_mass": Domain("gross mass", "kg", 0.0, None, _POSITIVE, low_open=True),
    "propellant_mass": Domain("propellant mass", "kg", 0.0, None, _POSITIVE, low_open=True),
    "mass": Domain("mass", "kg", 0.0, None, _POSITIVE, low_open=True),
    "kill_vehicle_mass": Domain("kill-vehicle mass", "kg", 0.0, None, _POSITIVE, low_open=True),
    "launch_mass": Domain("launch mass", "kg", 0.0, None, _POSITIVE, low_open=True),
    "throw_weight": Domain("throw weight", "kg", 0.0, None, _POSITIVE, low_open=True),
    "isp_vac": Domain(
        "vacuum specific impulse",
        "s",
        0.0,
        1_000.0,
        "no chemical rocket exceeds ~470 s; 1,000 s bounds any calibration",
        low_open=True,
    ),
    "burn_time": Domain("burn time", "s", 0.0, 3_600.0, "a motor's burn", low_open=True),
    "diameter": Domain("diameter", "m", 0.0, 20.0, _POSITIVE, low_open=True),
    "length": Domain("length", "m", 0.0, 100.0, _POSITIVE, low_open=True),
    "nozzle_exit_area": Domain("nozzle exit area", "m^2", 0.0, 100.0, "zero or more"),
    "ballistic_coefficient": Domain(
        "ballistic coefficient",
        "kg/m^2",
        0.0,
        1e6,
        "m/(Cd A): greater than zero",
        low_open=True,
    ),
    "cd_scale": Domain("drag scale", "", 0.0, 100.0, "a factor on the Cd table", low_open=True),
    "vertical_rise_time": Domain("vertical rise", "s", 0.0, 600.0, "time before the pitch-over"),
    "published_range": Domain("range", "m", 0.0, 2.1e7, "a ground range", low_open=True),
    "min_range": Domain("minimum range", "m", 0.0, 2.1e7, "a ground range"),
    "max_range": Domain("maximum range", "m", 0.0, 2.1e7, "a ground range", low_open=True),
    "apogee": APOGEE,
    "max_speed": Domain("speed", "m/s", 0.0, 11_200.0, "below escape speed", low_open=True),
    "flight_time": Domain("flight time", "s", 0.0, 7_200.0, "a ballistic flight", low_open=True),
    "burnout_speed": BURNOUT_SPEED,
    "min_intercept_altitude": Domain("intercept floor", "m", 0.0, 5.0e6, "above the ground"),
    "max_intercept_altitude": Domain(
        "intercept ceiling", "m", 0.0, 5.0e6, "above the ground", low_open=True
    ),
    "max_flight_time": Domain(
        "interceptor flight time", "s", 0.0, 7_200.0, "an interceptor's flight", low_open=True
    ),
    "single_shot_pk": PROBABILITY,
    "reference_range": Domain(
        "radar reference range", "m", 0.0, 1.0e7, "a radar's range", low_open=True
    ),
    "reference_rcs": RCS,
    "min_elevation": Domain(
        "minimum elevation", "rad", -math.pi / 2, math.pi / 2, "an angle above the horizon"
    ),
    "antenna_height": Domain("antenna height", "m", 0.0, 1_000.0, "above the site"),
    "mast_height": Domain("mast height", "m", 0.0, 1_000.0, "antenna above the ground"),
    "track_time": Domain("track time", "s", 0.0, 3_600.0, DELAY.reason),
    "detection_delay": Domain("detection delay", "s", 0.0, 3_600.0, DELAY.reason),
    "count": Domain("count", "", 0.0, 1_000_000.0, "systems deployed: zero or more"),
    "boresight_azimuth": Domain(
        "boresight azimuth", "rad", 0.0, 2 * math.pi, "clockwise from north", high_open=True
    ),
}


def catalogue_domain(path: str) -> Domain | None:
    """The domain of the catalogue quantity at ``path`` (``stages[0].isp_vac``,
    ``burnout_speed``, ``field_of_regard.max_elevation``), or None if none is stated."""
    last = str(path).rsplit(".", 1)[-1]
    last = re.sub(r"\[\d+\]$", "", last)
    return CATALOGUE_FIELDS.get(last)
