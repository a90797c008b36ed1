"""Shared fixtures: the test vehicles of tests/validation/vehicles.py (made-up test
fixtures, not real systems)."""

from __future__ import annotations

import pytest

from validation.vehicles import ICBM, SRBM, TEYKOVO


@pytest.fixture(scope="session")
def srbm():
    return SRBM


@pytest.fixture(scope="session")
def icbm():
    return ICBM


@pytest.fixture(scope="session")
def teykovo():
    return TEYKOVO
