"""The user layer: catalogue names in, result objects out.

The only package that imports both the cited catalogue (``bmdsim.catalogue``) and the
physics (``bmdsim.flight``, ``bmdsim.defence``), which never import the catalogue:

* ``resolve``: names -> typed inputs (places, vehicles, batteries, sensors), once;
* ``flights``: ``fly``, ``coast``, ``reach``;
* ``engage``: ``engage``, ``flyout`` and the flyout-table cache;
* ``coverage``: ``coverage`` -> Coverage, ``defended_footprint`` -> DefendedFootprint;
* ``studies.europe``: the Europe study (docs/study-europe.md).
"""

# Loaded on first use (PEP 562): `bmdsim reach` needs neither the engagement nor the
# coverage kernels.
from importlib import import_module as _import_module

_HOMES = {
    "Coverage": "bmdsim.analyses.coverage",
    "DefendedFootprint": "bmdsim.analyses.coverage",
    "DefendedPoint": "bmdsim.analyses.coverage",
    "coverage": "bmdsim.analyses.coverage",
    "defended_footprint": "bmdsim.analyses.coverage",
    "engage": "bmdsim.analyses.engage",
    "flyout": "bmdsim.analyses.engage",
    "coast": "bmdsim.analyses.flights",
    "flight_model": "bmdsim.analyses.flights",
    "fly": "bmdsim.analyses.flights",
    "reach": "bmdsim.analyses.flights",
    "BatterySpec": "bmdsim.analyses.resolve",
    "InterceptorModel": "bmdsim.analyses.resolve",
    "Place": "bmdsim.analyses.resolve",
    "RadarView": "bmdsim.analyses.resolve",
    "resolve_defences": "bmdsim.analyses.resolve",
    "resolve_missile": "bmdsim.analyses.resolve",
    "resolve_place": "bmdsim.analyses.resolve",
    "resolve_sensors": "bmdsim.analyses.resolve",
    "vehicle_from_missile": "bmdsim.analyses.resolve",
}


__all__ = [
    "BatterySpec",
    "Coverage",
    "DefendedFootprint",
    "DefendedPoint",
    "InterceptorModel",
    "Place",
    "RadarView",
    "coast",
    "coverage",
    "defended_footprint",
    "engage",
    "flight_model",
    "flyout",
    "fly",
    "reach",
    "resolve_defences",
    "resolve_missile",
    "resolve_place",
    "resolve_sensors",
    "vehicle_from_missile",
]


def __getattr__(name):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'bmdsim.analyses' has no attribute {name!r}")
    value = getattr(_import_module(home), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
