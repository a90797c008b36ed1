"""bmdsim: open, physics-based ballistic-missile and missile-defence simulation.

>>> import bmdsim
>>> fp = bmdsim.reach("iskander-m", origin="kaliningrad")          # doctest: +SKIP
>>> t = bmdsim.fly("rs-24-yars", origin="teykovo", target="washington-dc")  # doctest: +SKIP

The names below are loaded on first use (PEP 562), so that ``import bmdsim`` and
``bmdsim --help`` do not pay for the physics kernels, pandas or pydantic up front.
"""

from importlib import import_module as _import_module

from bmdsim.jit_cache import configure as _configure_jit_cache

_configure_jit_cache()  # before anything compiles: see jit_cache.py

__version__ = "0.1.0"

# public name -> the module that defines it
_HOMES = {
    "BmdsimError": "bmdsim.errors",
    "CatalogueError": "bmdsim.errors",
    "InputError": "bmdsim.errors",
    "ScenarioError": "bmdsim.errors",
    "StoreBusyError": "bmdsim.errors",
    "StoreError": "bmdsim.errors",
    "StoreMismatchError": "bmdsim.errors",
    "UnknownEntryError": "bmdsim.errors",
    "UnreachableTargetError": "bmdsim.errors",
    "VehicleFileError": "bmdsim.errors",
    "Coverage": "bmdsim.analyses.coverage",
    "DefendedFootprint": "bmdsim.analyses.coverage",
    "coverage": "bmdsim.analyses.coverage",
    "defended_footprint": "bmdsim.analyses.coverage",
    "engage": "bmdsim.analyses.engage",
    "flyout": "bmdsim.analyses.engage",
    "coast": "bmdsim.analyses.flights",
    "cruise_reach": "bmdsim.analyses.cruise",
    "flight_model": "bmdsim.analyses.flights",
    "fly": "bmdsim.analyses.flights",
    "reach": "bmdsim.analyses.flights",
    "Doctrine": "bmdsim.defence.engagement",
    "Engagement": "bmdsim.defence.engagement",
    "FlyoutTable": "bmdsim.defence.flyout",
    "FlightModel": "bmdsim.flight.batch",
    "Footprint": "bmdsim.flight.reach",
    "SiteReach": "bmdsim.flight.reach",
    "Trajectory": "bmdsim.flight.trajectory",
    "Stage": "bmdsim.flight.vehicle",
    "Vehicle": "bmdsim.flight.vehicle",
    "load_scenario": "bmdsim.scenario.load",
    "run_scenario": "bmdsim.scenario.run",
}

__all__ = [
    "BmdsimError",
    "CatalogueError",
    "Coverage",
    "DefendedFootprint",
    "Doctrine",
    "Engagement",
    "FlightModel",
    "FlyoutTable",
    "Footprint",
    "InputError",
    "ScenarioError",
    "SiteReach",
    "Stage",
    "StoreBusyError",
    "StoreError",
    "StoreMismatchError",
    "Trajectory",
    "UnknownEntryError",
    "UnreachableTargetError",
    "Vehicle",
    "VehicleFileError",
    "__version__",
    "catalogue",
    "coast",
    "coverage",
    "cruise_reach",
    "defended_footprint",
    "engage",
    "flight_model",
    "flyout",
    "fly",
    "load_scenario",
    "reach",
    "run_scenario",
]


def __getattr__(name):
    if name == "catalogue":  # the package, callable: bmdsim.catalogue() -> Catalogue
        return _import_module("bmdsim.catalogue")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'bmdsim' has no attribute {name!r}")
    value = getattr(_import_module(home), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
