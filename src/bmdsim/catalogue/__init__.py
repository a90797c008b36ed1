"""Cited data: missiles, sites, Cd tables and the bibliography behind every number.

>>> from bmdsim.catalogue import default_catalogue
>>> default_catalogue().missile("SS-26").id
'iskander-m'

See ``docs/catalogue.md`` for how entries are written, cited, calibrated and overridden.
"""

from bmdsim.catalogue.loader import (
    KINDS,
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
    Calibration,
    Missile,
    Payload,
    Published,
    Quantity,
    Site,
    Source,
    Stage,
    Steering,
)

__all__ = [
    "GRADES",
    "KINDS",
    "Aero",
    "AeroTable",
    "Calibration",
    "Catalogue",
    "Missile",
    "Override",
    "Payload",
    "Published",
    "Quantity",
    "Site",
    "Source",
    "Stage",
    "Steering",
    "default_catalogue",
    "load_catalogue",
    "load_missile_file",
    "normalise_name",
]
