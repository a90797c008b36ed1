"""Scenario files: a whole question in one YAML file (``docs/scenarios.md``).

>>> from bmdsim.scenario import load_scenario, example_path
>>> scn = load_scenario(example_path("europe-2016"))  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bmdsim.errors import ScenarioError
from bmdsim.scenario.load import load_scenario, parse_scenario, scenario_hash
from bmdsim.scenario.references import parse_vary_path, scenario_catalogue, uncertain_inputs
from bmdsim.scenario.schema import (
    Scenario,
    UncertainInput,
    VaryTarget,
    scenario_json_schema,
)

__all__ = [
    "Scenario",
    "ScenarioError",
    "UncertainInput",
    "VaryTarget",
    "example_path",
    "examples",
    "load_scenario",
    "parse_scenario",
    "parse_vary_path",
    "scenario_catalogue",
    "scenario_hash",
    "scenario_json_schema",
    "uncertain_inputs",
]


def examples() -> list[str]:
    """Names of the shipped example scenarios (``europe-2016``, ...)."""
    folder = resources.files("bmdsim.scenario") / "examples"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def example_path(name: str) -> Path:
    """Path of a shipped example scenario by name (with or without ``.yaml``)."""
    stem = name.removesuffix(".yaml")
    path = Path(str(resources.files("bmdsim.scenario") / "examples" / f"{stem}.yaml"))
    # only the shipped names: a name too long for the file system, or with a slash, is
    # no example either (and must not reach stat(), which raises for a long name)
    if stem not in examples() or not path.is_file():
        raise ScenarioError(
            f"no example scenario named {name!r}; examples: {', '.join(examples())}",
            field="scenario",
            value=name,
            allowed=examples(),
        )
    return path
