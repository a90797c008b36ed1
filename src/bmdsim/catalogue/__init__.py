"""Cited data: missiles, interceptors, radars, sensors, sites, Cd tables, doctrine defaults
and the bibliography behind every number.

>>> from bmdsim.catalogue import default_catalogue
>>> default_catalogue().missile("SS-26").id
'iskander-m'

See ``docs/catalogue.md`` for how entries are written, cited, calibrated and overridden.
"""

import sys as _sys
import types as _types

from bmdsim.catalogue.air import Aircraft, CruiseMissile
from bmdsim.catalogue.doctrine import DOCTRINE_IDS, DoctrineEntry
from bmdsim.catalogue.loader import (
    KINDS,
    SYSTEM_KINDS,
    Catalogue,
    Override,
    default_catalogue,
    load_catalogue,
    load_missile_file,
    normalise_name,
)
from bmdsim.catalogue.schema import (
    GRADES,
    Aero,
    AeroTable,
    CalibratedRanges,
    Calibration,
    FieldOfRegard,
    Interceptor,
    Missile,
    MotorClass,
    Payload,
    Published,
    Quantity,
    Radar,
    Sensor,
    Site,
    SiteSystem,
    Source,
    Stage,
    Steering,
)

__all__ = [
    "DOCTRINE_IDS",
    "GRADES",
    "KINDS",
    "SYSTEM_KINDS",
    "Aero",
    "AeroTable",
    "Aircraft",
    "CalibratedRanges",
    "Calibration",
    "Catalogue",
    "CruiseMissile",
    "DoctrineEntry",
    "FieldOfRegard",
    "Interceptor",
    "Missile",
    "MotorClass",
    "Override",
    "Payload",
    "Published",
    "Quantity",
    "Radar",
    "Sensor",
    "Site",
    "SiteSystem",
    "Source",
    "Stage",
    "Steering",
    "default_catalogue",
    "load_catalogue",
    "load_missile_file",
    "normalise_name",
]


class _CallableCatalogueModule(_types.ModuleType):
    """``bmdsim.catalogue`` is this package *and* the public call ``bmdsim.catalogue()``.

    A function of that name in ``bmdsim/__init__.py`` would be shadowed by the package as
    soon as any submodule is imported, so the package itself answers the call."""

    def __call__(self, extra_paths=()):
        return load_catalogue(extra_paths) if extra_paths else default_catalogue()


_sys.modules[__name__].__class__ = _CallableCatalogueModule
