"""Shared fixtures: one local server for the session (reset per test) and clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from local_server import LocalServer
from realtimekit_client import AuthenticatedClient

TOKEN = "rtk-test-token-3f9a1c0d5e7b"
ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
APP_ID = "app-7f2c9d4e"
SESSION_ID = "3c9f1e7a-58b2-4d6e-b0a4-7e2d91c5f386"
PARTICIPANT_ID = "e1a7c3f9-2b6d-4d80-8f15-6c9b0e4a7d21"
IDS = (ACCOUNT_ID, APP_ID, SESSION_ID, PARTICIPANT_ID)


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
