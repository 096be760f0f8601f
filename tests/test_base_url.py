"""Base URLs: every spelling of a base URL reaches the right host and path with exactly one "/" at the join, and a
base URL that could send the token elsewhere (or leak a password into logs) is refused when the client is made."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from realtimekit_client import AuthenticatedClient
from realtimekit_client.models import ParticipantDetailsResponse

from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer
from tests.support import fetch

pytestmark = pytest.mark.anyio

OPERATION_PATH = "/accounts/{}/realtime/kit/{}/sessions/{}/participants/{}".format(*IDS)


@pytest.fixture(scope="module")
def root_server() -> Iterator[LocalServer]:
    """A stand-in that serves the API at the root of its host (a base URL with no path)."""
    with LocalServer(prefix="") as server:
        yield server


@pytest.mark.parametrize("suffix", ["", "/"], ids=["no-slash", "slash"])
async def test_a_base_url_without_a_path_joins_with_one_slash(mode: str, root_server: LocalServer, suffix: str) -> None:
    root_server.reset()
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{root_server.port}{suffix}", token=TOKEN)
    result = await fetch(mode, client, *IDS)
    assert isinstance(result, ParticipantDetailsResponse)
    request = root_server.last_request
    assert request.path == OPERATION_PATH
    assert request.headers["host"] == f"127.0.0.1:{root_server.port}"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("suffix", ["", "/", "//"], ids=["no-slash", "slash", "two-slashes"])
async def test_a_base_url_with_a_path_keeps_it(mode: str, server: LocalServer, suffix: str) -> None:
    client = AuthenticatedClient(base_url=server.base_url + suffix, token=TOKEN)
    await fetch(mode, client, *IDS)
    assert server.last_request.path == "/client/v4" + OPERATION_PATH
    assert server.last_request.valid, server.last_request.errors


BAD_BASE_URLS = [
    ("ftp://example.com/client/v4", "http"),
    ("example.com/client/v4", "http"),
    ("http://", "host"),
    ("https:///client/v4", "host"),
    ("http://example.com/client/v4?x=1", "query"),
    ("http://example.com/client/v4?", "query"),
    ("http://example.com/client/v4#top", "fragment"),
    ("http://[::1", "valid"),
]


@pytest.mark.parametrize(("base_url", "what"), BAD_BASE_URLS)
def test_a_bad_base_url_is_refused_naming_what_is_wrong(base_url: str, what: str) -> None:
    with pytest.raises(ValueError, match="base_url") as raised:
        AuthenticatedClient(base_url=base_url, token=TOKEN)
    assert what in str(raised.value)


@pytest.mark.parametrize("base_url", ["http://user:hunter2@example.com/client/v4", "https://hunter2@example.com"])
def test_a_base_url_with_credentials_is_refused_without_showing_them(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as raised:
        AuthenticatedClient(base_url=base_url, token=TOKEN)
    assert "hunter2" not in str(raised.value)
    assert "user name or password" in str(raised.value)
