"""The public API of ``bmdsim``: names exported and the entry points with catalogue names."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import bmdsim

# The documented public API (src/bmdsim/__init__.py). Changing it is an API change:
# update this list on purpose.
PUBLIC_API = {
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
}


def test_all_is_exactly_the_documented_list():
    assert set(bmdsim.__all__) == PUBLIC_API
    assert len(bmdsim.__all__) == len(set(bmdsim.__all__)), "duplicates in __all__"


def test_all_matches_the_source_file():
    """__all__ as written in src/bmdsim/__init__.py (read statically, not imported)."""
    tree = ast.parse(Path(bmdsim.__file__).read_text(encoding="utf-8"))
    written = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", None) == "__all__" for t in node.targets)
    )
    assert set(written) == PUBLIC_API


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_every_public_name_is_importable(name):
    module = importlib.import_module("bmdsim")
    assert getattr(module, name) is not None
    ns = {}
    exec(f"from bmdsim import {name}", ns)  # noqa: S102 - the import statement itself
    assert ns[name] is getattr(bmdsim, name)


def test_error_hierarchy():
    for name in (
        "CatalogueError",
        "InputError",
        "ScenarioError",
        "StoreError",
        "UnreachableTargetError",
        "VehicleFileError",
    ):
        assert issubclass(getattr(bmdsim, name), bmdsim.BmdsimError)
    assert issubclass(bmdsim.UnknownEntryError, bmdsim.CatalogueError)
    assert issubclass(bmdsim.StoreBusyError, bmdsim.StoreError)
    assert issubclass(bmdsim.StoreMismatchError, bmdsim.StoreError)


# Exceptions that never reach a user: turned into a BmdsimError where they are caught.
# Control flow that never leaves its module: ReferenceProblems is gathered and raised as a
# ScenarioError.
INTERNAL_EXCEPTIONS = {"bmdsim.scenario.references.ReferenceProblems"}
# The web app's own signals (queue busy, too slow, body too large, queue full, scenario
# problems) are turned into HTTP replies (503, 504, 413, 429, 422) inside bmdsim.web and
# never reach a Python caller; test_web's API tests check each reply.
HTTP_ONLY_PACKAGE = "bmdsim.web."


def _exception_classes():
    """Every exception class defined in a bmdsim module (all modules imported)."""
    import pkgutil

    for info in pkgutil.walk_packages(bmdsim.__path__, "bmdsim."):
        if ".backends.cuda" in info.name or info.name.endswith("__main__"):
            continue  # needs numba-cuda; runs the command line
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == info.name
            ):
                yield value


def test_every_exception_is_in_the_one_tree_of_errors_py():
    """httpx's rule: every error a user can meet is a BmdsimError defined in errors.py, and
    the tree in errors.py's docstring names it."""
    import bmdsim.errors as errors

    tree = errors.__doc__
    found = list(_exception_classes())
    assert found
    for cls in found:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name in INTERNAL_EXCEPTIONS or name.startswith(HTTP_ONLY_PACKAGE):
            continue
        assert cls.__module__ == "bmdsim.errors", f"{name} is defined outside errors.py"
        assert issubclass(cls, errors.BmdsimError), name
        assert cls.__name__ in tree, f"{cls.__name__} is missing from the tree in errors.py"
        assert getattr(bmdsim, cls.__name__) is cls, f"{cls.__name__} is not in bmdsim"


def test_version_is_a_string():
    assert isinstance(bmdsim.__version__, str) and bmdsim.__version__


def test_fly_with_alias_and_lat_lon_target():
    t = bmdsim.fly("SS-26", origin="kaliningrad", target="54.0,18.5")
    assert isinstance(t, bmdsim.Trajectory)
    assert t.missile_id == "iskander-m"
    assert t.target_lat_deg == pytest.approx(54.0)
    assert t.target_lon_deg == pytest.approx(18.5)
    assert t.miss_m < 100.0
    assert 100e3 < t.range_m < 200e3  # ~145 km west-south-west of Kaliningrad
    assert t.apogee_alt_m > 0 and t.flight_time_s > 0


def test_reach_with_site_list():
    fp = bmdsim.reach(
        "iskander-m", origin="kaliningrad", sites=["redzikowo", "warsaw"], n_azimuths=36
    )
    assert isinstance(fp, bmdsim.Footprint)
    assert fp.missile_id == "iskander-m"
    assert len(fp.azimuth_deg) == len(fp.range_m) == 36
    by_id = {s.id: s for s in fp.sites}
    assert set(by_id) == {"redzikowo", "warsaw"}
    assert all(isinstance(s, bmdsim.SiteReach) for s in fp.sites)
    # redzikowo ~220 km, warsaw ~280 km from Kaliningrad; Iskander-M ~500 km
    for s in fp.sites:
        assert s.in_reach, s
        assert s.distance_m < s.max_range_m
        assert s.flight_time_s and s.flight_time_s > 0
    assert by_id["redzikowo"].distance_m < by_id["warsaw"].distance_m
    assert 450e3 < fp.max_range_min_m <= fp.max_range_max_m < 550e3


def test_catalogue_alias_lookup():
    cat = bmdsim.catalogue()
    assert cat.missile("Palanez").id == "polonez"
    assert cat.missile("SS-26").id == "iskander-m"


def test_api_errors_are_bmdsim_errors():
    with pytest.raises(bmdsim.UnknownEntryError):
        bmdsim.fly("iskandr-m", origin="kaliningrad", target="redzikowo")
    with pytest.raises(bmdsim.InputError):
        bmdsim.fly("iskander-m", origin="95,20", target="redzikowo")
    with pytest.raises(bmdsim.UnreachableTargetError):
        bmdsim.fly("iskander-e", origin="brest", target="washington-dc")
