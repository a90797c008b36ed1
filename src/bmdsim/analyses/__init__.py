"""The user layer: catalogue names in, result objects out.

The only package that imports both the cited catalogue (``bmdsim.catalogue``) and the
physics (``bmdsim.flight``, ``bmdsim.defence``), which never import the catalogue:

* ``resolve``: names -> typed inputs (places, vehicles, batteries, sensors), once;
* ``flights``: ``fly``, ``coast``, ``reach``;
* ``engage``: ``engage``, ``flyout`` and the flyout-table cache;
* ``coverage``: ``coverage`` -> Coverage, ``defended_footprint`` -> DefendedFootprint;
* ``studies.europe``: the Europe study (docs/study-europe.md).
"""

from bmdsim.analyses.coverage import (
    Coverage,
    DefendedFootprint,
    DefendedPoint,
    coverage,
    defended_footprint,
)
from bmdsim.analyses.engage import engage, flyout
from bmdsim.analyses.flights import coast, flight_model, fly, reach
from bmdsim.analyses.resolve import (
    BatterySpec,
    InterceptorModel,
    Place,
    RadarView,
    resolve_defences,
    resolve_missile,
    resolve_place,
    resolve_sensors,
    vehicle_from_missile,
)

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
