"""Shared fixtures: one local server for the session (reset per test) and clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from realtimekit_client import AuthenticatedClient

from tests.stand_in.ids import TOKEN
from tests.stand_in.server import LocalServer


@pytest.fixture(scope="session")
def _server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture
def server(_server: LocalServer) -> Iterator[LocalServer]:
    _server.reset()
    yield _server
    _server.reset()


@pytest.fixture
def client(server: LocalServer) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=server.base_url, token=TOKEN)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
