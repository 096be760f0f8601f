"""Shared fixtures: one local server for the session (reset per test), a fresh fault-injection server per test (its
connection counts start at zero), and clients pointed at each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from realtimekit_client import AuthenticatedClient

from tests.stand_in.faults import FaultServer
from tests.stand_in.ids import TOKEN
from tests.stand_in.server import LocalServer
from tests.support import MODES, SleepRecorder, patch_sleep


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
def faults() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def fault_client(faults: FaultServer) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=faults.base_url, token=TOKEN)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs once through sync()/sync_detailed() and once through the async functions."""
    return str(request.param)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    """The retry loop's waits, recorded instead of spent."""
    return patch_sleep(monkeypatch)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
