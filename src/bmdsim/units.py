"""Units at the edges: parse "500 km" into SI floats, and format SI floats for display.

bmdsim computes in SI (metres, kilograms, seconds, radians) and keeps no unit objects
inside; units are read once where numbers enter (catalogue and scenario files, the CLI)
and written once where they leave (tables, plots). Conversion factors are exact by
definition: international foot, yard and pound (1959), nautical mile (1929), standard
gravity 9.80665 m/s^2 for kgf (CGPM 1901).

>>> parse_quantity("500 km")
500000.0
>>> from_si(2500.0, "km/s")
2.5
"""

from __future__ import annotations

import math
import re

from bmdsim.earth.constants import G0_M_S2
from bmdsim.errors import InputError

__all__ = [
    "ALLOWED_UNITS",
    "dimension_of",
    "format_quantity",
    "from_si",
    "parse_quantity",
    "to_si",
]

_FOOT_M = 0.3048
_POUND_KG = 0.45359237

# unit -> (factor to SI, dimension). The SI unit of each dimension has factor 1.
_UNITS: dict[str, tuple[float, str]] = {
    "m": (1.0, "length"),
    "km": (1000.0, "length"),
    "nmi": (1852.0, "length"),
    "mi": (5280.0 * _FOOT_M, "length"),
    "ft": (_FOOT_M, "length"),
    "kg": (1.0, "mass"),
    "t": (1000.0, "mass"),
    "lb": (_POUND_KG, "mass"),
    "s": (1.0, "time"),
    "min": (60.0, "time"),
    "m/s": (1.0, "speed"),
    "km/s": (1000.0, "speed"),
    "mph": (5280.0 * _FOOT_M / 3600.0, "speed"),
    "km/h": (1000.0 / 3600.0, "speed"),
    "m^2": (1.0, "area"),
    "m2": (1.0, "area"),
    "kg/m^2": (1.0, "areal_mass"),
    "kg/m2": (1.0, "areal_mass"),
    "N": (1.0, "force"),
    "kN": (1000.0, "force"),
    "kgf": (G0_M_S2, "force"),
    "lbf": (_POUND_KG * G0_M_S2, "force"),
    "deg": (math.pi / 180.0, "angle"),
    "rad": (1.0, "angle"),
    "K": (1.0, "temperature"),
    "Pa": (1.0, "pressure"),
    "": (1.0, "dimensionless"),
    "-": (1.0, "dimensionless"),
}

# Spellings people type that mean exactly one of the units above.
_SYNONYMS = {"m²": "m^2", "kg/m²": "kg/m^2", "°": "deg"}

ALLOWED_UNITS: tuple[str, ...] = tuple(_UNITS)
"""Every unit string that ``to_si`` and ``parse_quantity`` accept."""

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY_RE = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>\S*)\s*$")


def _lookup(unit: str) -> tuple[float, str]:
    key = _SYNONYMS.get(unit.strip(), unit.strip())
    try:
        return _UNITS[key]
    except KeyError:
        raise InputError(
            f"unknown unit {unit!r}; allowed units: {', '.join(repr(u) for u in ALLOWED_UNITS)}",
            field="unit",
            value=unit,
            allowed=list(ALLOWED_UNITS),
        ) from None


def dimension_of(unit: str) -> str:
    """The dimension of ``unit``: 'length', 'mass', 'time', 'speed', 'area',
    'areal_mass', 'force', 'angle', 'temperature', 'pressure' or 'dimensionless'."""
    return _lookup(unit)[1]


def to_si(value: float, unit: str) -> float:
    """``value`` in ``unit`` as an SI float (m, kg, s, m/s, m^2, kg/m^2, N, rad, K, Pa)."""
    return float(value) * _lookup(unit)[0]


def from_si(value_si: float, unit: str) -> float:
    """The SI float ``value_si`` expressed in ``unit`` (inverse of :func:`to_si`)."""
    return float(value_si) / _lookup(unit)[0]


def parse_quantity(text: str | float | int, *, dimension: str | None = None) -> float:
    """Parse "500 km", "4.5 km/s", "1,200 nmi" or a bare number into an SI float.

    A bare number is dimensionless. With ``dimension=`` (e.g. "length") a unit of any
    other dimension is refused with :class:`~bmdsim.errors.InputError`.
    """
    if isinstance(text, bool):
        raise InputError(f"not a quantity: {text!r}", field="quantity", value=text)
    if isinstance(text, int | float):
        number, unit = float(text), ""
    else:
        match = _QUANTITY_RE.match(str(text))
        if match is None:
            raise InputError(
                f"cannot read {text!r} as a number with a unit, e.g. '500 km' or '4.5 km/s'",
                field="quantity",
                value=text,
                allowed=list(ALLOWED_UNITS),
            )
        number = float(match["number"].replace(",", ""))
        unit = match["unit"]
    factor, dim = _lookup(unit)
    if dimension is not None and dim != dimension:
        allowed = [u for u, (_, d) in _UNITS.items() if d == dimension]
        raise InputError(
            f"{text!r} is a {dim}, expected a {dimension} in one of: {', '.join(allowed)}",
            field="unit",
            value=unit,
            allowed=allowed,
        )
    return number * factor


def format_quantity(value_si: float, unit: str, *, digits: int = 4) -> str:
    """Format an SI float for display in ``unit`` with ``digits`` significant digits:
    ``format_quantity(500000.0, "km") == "500 km"``."""
    value = from_si(value_si, unit)
    text = f"{value:.{digits}g}"
    return f"{text} {unit}".rstrip() if unit not in ("", "-") else text
