"""What a validated scenario asks of the analyses: its batteries, its doctrine, and the
flight of each threat at central values.

The schema (``scenario.schema``) is data; this module turns it into the typed inputs of
``bmdsim.analyses`` (``BatterySpec``, ``Doctrine``, ``Trajectory``), with the scenario's
catalogue (``scenario.references.scenario_catalogue``) so that its own sites resolve.
"""

from __future__ import annotations

from bmdsim.analyses.flights import fly
from bmdsim.analyses.resolve import BatterySpec, default_doctrine, resolve_defences
from bmdsim.defence.engagement import Doctrine
from bmdsim.scenario.references import scenario_catalogue
from bmdsim.scenario.schema import Cueing, Scenario, Threat


def scenario_batteries(scn: Scenario, cat=None) -> list[BatterySpec]:
    """Every battery of the scenario's ``defences`` once (without ``interceptors``: those
    deployed at the site, notional ones with ``include_notional``), resolved with ``cat``,
    the :func:`scenario_catalogue` (built if not given)."""
    cat = cat if cat is not None else scenario_catalogue(scn)
    labels: list[str] = []
    for d in scn.defences:
        site = cat.site(d.site)
        if d.interceptors is not None:
            ids = [cat.interceptor(i).id for i in d.interceptors]
        else:
            ids = [
                s.system
                for s in site.systems
                if s.system in cat.interceptors and (d.include_notional or not s.notional)
            ]
        labels += [f"{site.id}:{i}" for i in ids]
    return resolve_defences(list(dict.fromkeys(labels)), cat)


def doctrine(cueing: Cueing, cat=None, **changes) -> Doctrine:
    """The engagement Doctrine of ``cueing``, the delays it leaves out from the catalogue's
    doctrine (``cat``: the scenario's catalogue; ``changes``: sampled values, e.g.
    decision_delay_s)."""
    values = {
        "decision_delay_s": cueing.decision_delay_s,
        "assessment_delay_s": cueing.assessment_delay_s,
        "launch_on_remote": cueing.launch_on_remote,
        "engage_on_remote": cueing.engage_on_remote,
    }
    values.update(changes)
    return default_doctrine(cat, **values)


def fly_threat(threat: Threat, cat=None, backend="auto"):
    """``threat`` flown at central values from its launch point (a launch area's centre)
    to its target along its shape: ``bmdsim.fly``'s Trajectory. ``cat``: the scenario's
    catalogue, so scenario sites resolve."""
    return fly(
        threat.missile_spec(),
        origin=threat.launch_point,
        target=threat.target,
        shape=threat.shape,
        backend=backend,
        catalogue=cat,
    )
