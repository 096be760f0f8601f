"""Shared fixtures: one local server for the session (reset per test), a fresh fault-injection server per test (its
connection counts start at zero), and clients pointed at each; the folder for test artefacts; a headless Chromium
for the HTML report."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from realtimekit_client import AuthenticatedClient

from scripts.project import ROOT
from tests.browser import find_chromium
from tests.stand_in.faults import FaultServer
from tests.stand_in.ids import TOKEN
from tests.stand_in.server import LocalServer
from tests.support import MODES, SleepRecorder, patch_sleep

ARTIFACTS = ROOT / "test-artifacts"
"""What tests leave for people to look at (screenshots); git ignores it."""
REQUIRE_BROWSER_ENV = "RTK_REQUIRE_BROWSER"


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


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable. Missing: the test skips, saying how to install it, except where
    RTK_REQUIRE_BROWSER=1 (CI, after installing it) makes that a failure."""
    found = find_chromium()
    if found is None:
        message = (
            "Chromium is not installed, so the HTML report is not checked in a browser: `make install` installs it "
            "(Debian's `chromium` package, with apt-get as root), or run `apt-get install -y chromium`"
        )
        if os.environ.get(REQUIRE_BROWSER_ENV):
            pytest.fail(f"{message} ({REQUIRE_BROWSER_ENV} is set)")
        pytest.skip(message)
    return found
