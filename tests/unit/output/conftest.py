"""Fixtures for the output tests (factories in output_synthetic.py)."""

from __future__ import annotations

import socket

import pytest
from output_synthetic import GEOD, MINSK, TEYKOVO, make_footprint, make_trajectory


@pytest.fixture
def minsk_footprint():
    return make_footprint(*MINSK, 300e3, missile_id="iskander-e")


@pytest.fixture
def teykovo_footprint():
    """10,000 km around Teykovo: encloses the North Pole and crosses the antimeridian."""
    return make_footprint(*TEYKOVO, 10_000e3, n=360, missile_id="yars")


@pytest.fixture
def short_trajectory():
    return make_trajectory(*MINSK, 260.0, 300e3, missile_id="iskander-m", target=(53.4, 23.0))


@pytest.fixture
def antimeridian_trajectory():
    """Teykovo toward Alaska over the pole: the ground track crosses ±180."""
    az = GEOD.inv(TEYKOVO[1], TEYKOVO[0], -149.9003, 61.2181)[0]
    return make_trajectory(*TEYKOVO, az, 7_000e3, missile_id="yars", n=601)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
