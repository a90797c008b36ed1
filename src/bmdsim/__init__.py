"""bmdsim: open, physics-based ballistic-missile and missile-defence simulation.

>>> import bmdsim
>>> fp = bmdsim.reach("iskander-m", origin="kaliningrad")          # doctest: +SKIP
>>> t = bmdsim.fly("rs-24-yars", origin="teykovo", target="washington-dc")  # doctest: +SKIP
"""

from bmdsim.jit_cache import configure as _configure_jit_cache

_configure_jit_cache()  # before anything compiles: see jit_cache.py


from bmdsim import catalogue  # callable: bmdsim.catalogue() -> Catalogue
from bmdsim.api import coast, flight_model, fly, reach
from bmdsim.defence.engagement import Doctrine, Engagement
from bmdsim.defence_api import coverage, defended_footprint, engage, flyout
from bmdsim.errors import (
    BmdsimError,
    CatalogueError,
    InputError,
    UnknownEntryError,
    UnreachableTargetError,
    VehicleFileError,
)
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.reach import Footprint, SiteReach
from bmdsim.flight.trajectory import Trajectory
from bmdsim.flight.vehicle import Stage, Vehicle

__version__ = "0.1.0"

__all__ = [
    "BmdsimError",
    "CatalogueError",
    "Doctrine",
    "Engagement",
    "FlightModel",
    "Footprint",
    "InputError",
    "SiteReach",
    "Stage",
    "Trajectory",
    "UnknownEntryError",
    "UnreachableTargetError",
    "Vehicle",
    "VehicleFileError",
    "__version__",
    "catalogue",
    "coast",
    "coverage",
    "defended_footprint",
    "engage",
    "flight_model",
    "flyout",
    "fly",
    "reach",
]
