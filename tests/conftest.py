"""Shared fixtures: the test vehicles of tests/fixture_vehicles.py (made-up test
fixtures, not real systems). Test modules import the constants from ``fixture_vehicles``
directly: a module named ``conftest`` would clash with the suite's other conftest.py."""

from __future__ import annotations

import pytest

from fixture_vehicles import ICBM, SRBM, TEYKOVO


@pytest.fixture(scope="session")
def srbm():
    return SRBM


@pytest.fixture(scope="session")
def icbm():
    return ICBM


@pytest.fixture(scope="session")
def teykovo():
    return TEYKOVO
