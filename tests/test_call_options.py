"""Per-call options (timeout=, extra_headers=, extra_query=, max_retries=) on the wire against the local server, their
checks (like the client's own, before anything is sent), and the DEBUG request log, sync and async."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import httpx
import pytest
from realtimekit_client import (
    APIStatusError,
    APITimeoutError,
    AuthenticatedClient,
    iter_session_participants,
)
from realtimekit_client.api.sessions import get_participant_details
from realtimekit_client.models import ParticipantDetailsResponse

from tests.stand_in.ids import ACCOUNT_ID, APP_ID, IDS, TOKEN
from tests.stand_in.server import LocalServer, realtimekit_error
from tests.support import MODES, SleepRecorder, fetch, free_port, patch_sleep

pytestmark = pytest.mark.anyio


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    return patch_sleep(monkeypatch)


# -- timeout ---------------------------------------------------------------------------------------------------------


async def test_a_call_s_timeout_is_shorter_than_the_client_s(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    server.enqueue(200, delay=1.5)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        await fetch(mode, client, *IDS, timeout=0.2, max_retries=0)
    assert time.monotonic() - started < 1.2
    assert len(server.requests) == 1


async def test_a_call_s_timeout_is_longer_than_the_client_s(mode: str, server: LocalServer) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, timeout=0.2, max_retries=0)
    server.enqueue(200, delay=0.6)
    assert isinstance(await fetch(mode, client, *IDS, timeout=5.0), ParticipantDetailsResponse)
    server.enqueue(200, delay=0.6)  # the client's own timeout still applies to calls without one
    with pytest.raises(APITimeoutError):
        await fetch(mode, client, *IDS)
    server.enqueue(200, delay=0.6)
    assert isinstance(await fetch(mode, client, *IDS, timeout=httpx.Timeout(5.0)), ParticipantDetailsResponse)


# -- extra_headers / extra_query -------------------------------------------------------------------------------------


async def test_extra_headers_go_on_the_wire_for_that_call_only(mode: str, server: LocalServer) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, headers={"X-Team": "support"})
    await fetch(mode, client, *IDS, extra_headers={"X-Request-Id": "req-42", "X-Team": "quality"})
    headers = server.last_request.headers
    assert (headers["x-request-id"], headers["x-team"]) == ("req-42", "quality")  # the call's value wins
    assert headers["authorization"] == f"Bearer {TOKEN}"
    await fetch(mode, client, *IDS)
    assert "x-request-id" not in server.last_request.headers
    assert server.last_request.headers["x-team"] == "support"


async def test_extra_query_is_added_and_replaces_the_operation_s(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    await fetch(mode, client, *IDS, include_peer_events=True, extra_query={"trace": "a b&c"})
    assert server.last_request.query == "include_peer_events=true&trace=a%20b%26c"
    await fetch(mode, client, *IDS, include_peer_events=True, extra_query={"include_peer_events": "false"})
    assert server.last_request.query == "include_peer_events=false"
    assert server.last_request.valid


def test_the_page_iterator_sends_the_options_with_every_page(server: LocalServer) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
    session = "several-pages"
    server.set_session(session, [{"id": f"peer-{n}", "display_name": f"P{n}"} for n in range(5)])
    found = list(
        iter_session_participants(
            ACCOUNT_ID, APP_ID, session, client=client, per_page=2, extra_headers={"X-Trace": "t"}, timeout=5.0
        )
    )
    assert [p.id for p in found] == [f"peer-{n}" for n in range(5)]
    assert len(server.requests) == 3
    assert all(request.headers["x-trace"] == "t" for request in server.requests)


# -- max_retries -----------------------------------------------------------------------------------------------------


async def test_max_retries_per_call(mode: str, server: LocalServer, waits: SleepRecorder) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, max_retries=2)
    for _ in range(4):
        server.enqueue(503, realtimekit_error(503, "busy"))
    with pytest.raises(APIStatusError):
        await fetch(mode, client, *IDS, max_retries=0)
    assert len(server.requests) == 1
    server.reset()
    for _ in range(3):
        server.enqueue(503, realtimekit_error(503, "busy"))
    result = await fetch(mode, client.with_max_retries(0), *IDS, max_retries=3)
    assert isinstance(result, ParticipantDetailsResponse)
    assert len(server.requests) == 4
    assert client.max_retries == 2


# -- checks ----------------------------------------------------------------------------------------------------------

BAD_OPTIONS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"timeout": 0}, ValueError, "timeout must be a positive number of seconds"),
    ({"timeout": -1.5}, ValueError, "timeout"),
    ({"timeout": float("nan")}, ValueError, "timeout"),
    ({"timeout": "5"}, TypeError, "timeout must be seconds"),
    ({"timeout": True}, TypeError, "timeout"),
    ({"extra_headers": {"Bad Name": "x"}}, ValueError, "invalid header name 'Bad Name'"),
    ({"extra_headers": {"X-Secret": "line\nbreak"}}, ValueError, "value not shown"),
    ({"extra_headers": {"X-Number": 1}}, TypeError, "extra_headers must map str to str"),
    ({"extra_headers": [("X-A", "b")]}, TypeError, "extra_headers must be a mapping"),
    ({"extra_query": {"": "x"}}, TypeError, "extra_query"),
    ({"extra_query": {"page": 2}}, TypeError, "extra_query"),
    ({"max_retries": -1}, ValueError, "max_retries must be an int >= 0"),
    ({"max_retries": True}, ValueError, "max_retries"),
    ({"max_retries": 1.5}, ValueError, "max_retries"),
]


@pytest.mark.parametrize(("options", "error", "message"), BAD_OPTIONS)
async def test_bad_options_are_refused_before_sending(
    mode: str,
    client: AuthenticatedClient,
    server: LocalServer,
    options: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        await fetch(mode, client, *IDS, **options)
    assert server.requests == []


def test_max_retries_is_checked_as_the_client_checks_it(client: AuthenticatedClient) -> None:
    bad_values: list[Any] = [-1, True, 1.5, "2"]
    for bad in bad_values:
        with pytest.raises(ValueError) as by_client:
            AuthenticatedClient(token=TOKEN, max_retries=bad)
        with pytest.raises(ValueError) as by_call:
            fetch_sync(client, max_retries=bad)
        assert str(by_call.value) == str(by_client.value)


def fetch_sync(client: AuthenticatedClient, **options: Any) -> object:
    return get_participant_details.sync(*IDS, client=client, **options)


# -- the DEBUG request log -------------------------------------------------------------------------------------------

ATTEMPT = re.compile(r"^GET (http://127\.0\.0\.1:\d+/\S+) -> (\S+) \(attempt (\d) of (\d), (\d+\.\d) ms\)$")


def sdk_lines(caplog: pytest.LogCaptureFixture, level: int = logging.DEBUG) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "realtimekit_client" and r.levelno == level]


async def test_debug_log_has_one_line_per_attempt(
    mode: str, server: LocalServer, waits: SleepRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, headers={"X-Auth-Key": "client-secret"})
    server.enqueue(503, realtimekit_error(503, "busy"))
    caplog.set_level(logging.DEBUG, logger="realtimekit_client")
    await fetch(mode, client, *IDS, include_peer_events=True, extra_headers={"Cookie": "call-secret"})
    lines = sdk_lines(caplog)
    assert len(lines) == 2, lines
    matches = [ATTEMPT.match(line) for line in lines]
    assert all(matches), lines
    first, second = (m for m in matches if m)
    assert first.group(1) == server.base_url + server.requests[0].target.removeprefix("/client/v4")
    assert first.group(1).endswith("?include_peer_events=true")
    assert [(m.group(2), m.group(3), m.group(4)) for m in (first, second)] == [("503", "1", "3"), ("200", "2", "3")]
    assert all(float(m.group(5)) >= 0 for m in (first, second))
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (TOKEN, "client-secret", "call-secret", "Bearer"):
        assert secret not in text


async def test_debug_log_names_a_connection_failure(
    mode: str, waits: SleepRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{free_port()}/client/v4", token=TOKEN, max_retries=0)
    caplog.set_level(logging.DEBUG, logger="realtimekit_client")
    with pytest.raises(Exception, match="Connection error"):
        await fetch(mode, client, *IDS)
    (line,) = sdk_lines(caplog)
    match = ATTEMPT.match(line)
    assert match and match.group(2) == "ConnectError" and match.group(3, 4) == ("1", "1")


async def test_nothing_is_logged_below_debug(
    mode: str, client: AuthenticatedClient, server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="realtimekit_client")
    await fetch(mode, client, *IDS)
    assert [r for r in caplog.records if r.name == "realtimekit_client"] == []
