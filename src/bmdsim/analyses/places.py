"""Where a claim's places and numbers come from: a catalogue site, "LAT,LON" or a
GeoNames town (``analyses.gazetteer``); and the precision a rounded press number carries."""

from __future__ import annotations

import math

from bmdsim.analyses import gazetteer
from bmdsim.analyses.resolve import Place, resolve_place
from bmdsim.catalogue import Catalogue
from bmdsim.errors import InputError, UnknownEntryError

__all__ = ["place", "precision"]


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
