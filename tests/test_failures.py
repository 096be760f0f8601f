"""Every failure is ours: once the arguments are accepted, sync(), sync_detailed(), asyncio() and asyncio_detailed()
raise nothing but RealtimeKitError subclasses, with the original exception as __cause__. Each case over real HTTP
against the fault-injection server (tests/stand_in/faults.py), except httpx errors no server can provoke."""

from __future__ import annotations

import asyncio
import threading
import zlib
from typing import Any

import httpx
import pytest
from realtimekit_client import (
    APIConnectionError,
    APIStatusError,
    AuthenticatedClient,
    InternalServerError,
    NotFoundError,
    RealtimeKitError,
    ResponseParseError,
)
from realtimekit_client.api.sessions import get_participant_details
from realtimekit_client.models import ParticipantDetailsResponse

from tests.stand_in.faults import PARTICIPANT, FaultServer
from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import cloudflare_error, realtimekit_error
from tests.support import SleepRecorder, fetch

pytestmark = pytest.mark.anyio

DETAILED = pytest.mark.parametrize("detailed", [False, True], ids=["plain", "detailed"])


# -- bodies that do not decode -------------------------------------------------------------------------------------

CORRUPT = [
    ("gzip", b"this is not gzip at all"),
    ("gzip", zlib.compress(b'{"success": true}')[:-6]),  # deflate data under a gzip label, truncated
    ("deflate", b"\x00\x01 not deflate"),
]


@DETAILED
@pytest.mark.parametrize(("encoding", "body"), CORRUPT, ids=["gzip-garbage", "gzip-wrong", "deflate-garbage"])
async def test_a_body_that_does_not_decode_is_a_parse_error(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, detailed: bool, encoding: str, body: bytes
) -> None:
    faults.reply(200, body, headers={"Content-Encoding": encoding})
    with pytest.raises(ResponseParseError) as caught:
        await fetch(mode, fault_client, *IDS, detailed=detailed)
    error = caught.value
    assert isinstance(error.__cause__, httpx.DecodingError)
    assert error.status_code == 200
    assert str(error).startswith("cannot parse response (HTTP 200) at $: body does not decode as its Content-Encoding")
    assert len(faults.requests) == 1  # not retried: the same body would come back


@DETAILED
@pytest.mark.parametrize(("encoding", "body"), CORRUPT, ids=["gzip-garbage", "gzip-wrong", "deflate-garbage"])
async def test_the_parse_error_of_an_undecodable_body_carries_the_bytes_as_sent(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, detailed: bool, encoding: str, body: bytes
) -> None:
    faults.reply(200, body, headers={"Content-Encoding": encoding})
    with pytest.raises(ResponseParseError) as caught:
        await fetch(mode, fault_client, *IDS, detailed=detailed)
    assert caught.value.body == body and caught.value.value == encoding


@pytest.mark.parametrize(("status", "error", "attempts"), [(404, NotFoundError, 1), (503, InternalServerError, 3)])
async def test_an_error_status_with_an_undecodable_body_is_that_status_error_with_the_bytes(
    mode: str,
    fault_client: AuthenticatedClient,
    faults: FaultServer,
    waits: SleepRecorder,
    status: int,
    error: type[APIStatusError],
    attempts: int,
) -> None:
    """Before: a ResponseParseError without the body, and a 503 not retried. Now the status decides, as for any
    error body: 503 is retried, then raised with what the server sent (its Content-Encoding header dropped)."""
    body = b"\x1f\x8b\x08\x00" + b"garbage-" * 8
    for _ in range(attempts):
        faults.reply(status, body, headers={"Content-Encoding": "gzip", "cf-ray": "8f0c1d2e3a4b5c6d-SIN"})
    with pytest.raises(error) as caught:
        await fetch(mode, fault_client, *IDS)
    assert caught.value.status_code == status and caught.value.body == body
    assert caught.value.cf_ray == "8f0c1d2e3a4b5c6d-SIN"
    assert len(faults.requests) == attempts and len(waits.waits) == attempts - 1


async def test_a_good_gzip_body_still_parses(mode: str, fault_client: AuthenticatedClient, faults: FaultServer) -> None:
    """The contrast: decoding works, only a corrupt body fails."""
    import gzip
    import json

    faults.reply(200, gzip.compress(json.dumps(PARTICIPANT).encode()), headers={"Content-Encoding": "gzip"})
    result = await fetch(mode, fault_client, *IDS)
    assert result.data.participant.display_name == "Fault Server"


# -- redirects -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_redirect_is_not_followed_and_the_error_names_the_location(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, status: int
) -> None:
    location = f"http://127.0.0.1:{faults.port}/stolen-token"
    faults.reply(status, b"", headers={"Location": location})
    with pytest.raises(APIStatusError) as caught:
        await fetch(mode, fault_client, *IDS)
    assert caught.value.status_code == status
    assert f"redirect to {location} (not followed)" in str(caught.value)
    assert [r.target for r in faults.requests if r.target == "/stolen-token"] == []
    assert len(faults.requests) == 1


async def test_detailed_returns_the_redirect_without_following_it(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    faults.reply(307, b"", headers={"Location": "/elsewhere"})
    response = await fetch(mode, fault_client, *IDS, detailed=True)
    assert response.status_code == 307 and response.headers["location"] == "/elsewhere"
    assert len(faults.requests) == 1


async def test_a_callers_pool_that_follows_redirects_does_not_follow_ours(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    """follow_redirects=False goes with each request, so a pool configured to follow them does not. (Before: the
    redirect was followed, and the call returned whatever the Location served.)"""
    sync_pool, async_pool = httpx.Client(follow_redirects=True), httpx.AsyncClient(follow_redirects=True)
    fault_client.set_httpx_client(sync_pool).set_async_httpx_client(async_pool)
    faults.reply(302, b"", headers={"Location": faults.base_url + "/elsewhere"})
    with pytest.raises(APIStatusError, match="redirect to"):
        await fetch(mode, fault_client, *IDS)
    assert len(faults.requests) == 1
    sync_pool.close()
    await async_pool.aclose()


def test_follow_redirects_true_is_refused_where_it_is_given() -> None:
    with pytest.raises(ValueError, match="follow_redirects must be False"):
        AuthenticatedClient(token=TOKEN, follow_redirects=True)
    with pytest.raises(ValueError, match="httpx_args must not set 'follow_redirects'"):
        AuthenticatedClient(token=TOKEN, httpx_args={"follow_redirects": True})
    AuthenticatedClient(token=TOKEN, follow_redirects=False)  # code written for the stock client keeps working


# -- any other httpx error -----------------------------------------------------------------------------------------

OTHER_HTTPX_ERRORS: list[Any] = [
    lambda request: httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request),
    lambda request: httpx.DecodingError("bad brotli", request=request),
    lambda request: httpx.InvalidURL("Invalid port: 'x'"),
    lambda request: httpx.CookieConflict("Multiple cookies exist with name=a"),
    lambda request: httpx.StreamConsumed(),
    # Not httpx's: what a caller's transport, a proxy library or the platform may raise (a timeout past time_t).
    lambda request: ValueError("Timeout value out of range"),
    lambda request: OverflowError("timestamp out of range for platform time_t"),
    lambda request: KeyError("x"),
]


@DETAILED
@pytest.mark.parametrize(
    "make", OTHER_HTTPX_ERRORS, ids=["redirects", "decoding", "url", "cookie", "stream", "value", "overflow", "key"]
)
async def test_any_other_httpx_error_becomes_an_sdk_error(
    mode: str, waits: SleepRecorder, detailed: bool, make: Any
) -> None:
    """Errors no well-behaved server provokes, raised by a transport (so no server here)."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise make(request)

    transport = httpx.MockTransport(fail)
    client = AuthenticatedClient(token=TOKEN, transport=transport, async_transport=transport)
    with pytest.raises(RealtimeKitError) as caught:
        await fetch(mode, client, *IDS, detailed=detailed)
    assert isinstance(caught.value, APIConnectionError)
    assert type(caught.value.__cause__).__name__ in str(caught.value)
    assert waits.waits == []  # not transient: never retried


async def test_a_response_that_is_not_http_is_a_connection_error(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, waits: SleepRecorder
) -> None:
    for _ in range(3):
        faults.raw(b"SSH-2.0-OpenSSH_9.6\r\n")
    with pytest.raises(APIConnectionError) as caught:
        await fetch(mode, fault_client, *IDS)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert len(faults.requests) == 3


# -- Retry-After values no datetime can hold -----------------------------------------------------------------------

EXTREME_RETRY_AFTER = [
    ("year too large for a datetime", {"Retry-After": "Fri, 31 Dec 99999999999999999999 23:59:59 GMT"}),
    ("last representable day", {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}),
    ("year 1", {"Retry-After": "Mon, 01 Jan 0001 00:00:00 GMT"}),
    ("year 1 with an offset", {"Retry-After": "Mon, 01 Jan 0001 00:00:00 +0100"}),
    ("huge number", {"Retry-After": "9" * 400}),
    ("huge exponent", {"Retry-After": "1e999999"}),
    ("huge milliseconds", {"retry-after-ms": "1e400"}),
    ("negative infinity", {"Retry-After": "-inf"}),
]


@pytest.mark.parametrize("headers", [c[1] for c in EXTREME_RETRY_AFTER], ids=[c[0] for c in EXTREME_RETRY_AFTER])
async def test_an_extreme_retry_after_falls_back_to_the_capped_backoff(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, waits: SleepRecorder, headers: dict[str, str]
) -> None:
    faults.reply(503, realtimekit_error(503, "busy"), headers=headers)
    assert isinstance(await fetch(mode, fault_client, *IDS), ParticipantDetailsResponse)
    assert len(waits.waits) == 1
    assert 0.375 <= waits.waits[0] <= 0.5
    assert len(faults.requests) == 2


# -- a closed client -----------------------------------------------------------------------------------------------


@DETAILED
async def test_a_client_used_after_close_says_it_is_closed(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, detailed: bool
) -> None:
    await fetch(mode, fault_client, *IDS)
    if mode == "sync":
        fault_client.close()
    else:
        await fault_client.aclose()
    with pytest.raises(RealtimeKitError, match="this AuthenticatedClient is closed"):
        await fetch(mode, fault_client, *IDS, detailed=detailed)
    assert len(faults.requests) == 1


async def test_a_copy_of_a_closed_client_says_so(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    copy = fault_client.with_max_retries(0)
    with fault_client:
        await fetch(mode, copy, *IDS)
    with pytest.raises(RealtimeKitError, match="the client it was copied from was closed"):
        await fetch(mode, copy, *IDS)


async def test_a_callers_closed_pool_is_an_sdk_error(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    sync_pool, async_pool = httpx.Client(), httpx.AsyncClient()
    fault_client.set_httpx_client(sync_pool).set_async_httpx_client(async_pool)
    sync_pool.close()
    await async_pool.aclose()
    with pytest.raises(RealtimeKitError, match=r"given with set_(async_)?httpx_client\(\) is closed"):
        await fetch(mode, fault_client, *IDS)
    assert faults.requests == []


# -- a second event loop -------------------------------------------------------------------------------------------


def test_an_async_client_works_from_one_event_loop_after_another(
    fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    """Before: the second asyncio.run() reused connections of the first, closed loop (a raw RuntimeError)."""
    for _ in range(3):
        result = asyncio.run(get_participant_details.asyncio(*IDS, client=fault_client))
        assert result.to_dict() == PARTICIPANT
    assert len(faults.requests) == 3


def test_an_async_client_works_from_two_running_loops_in_turn(
    fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    """Loop A calls and stays alive; loop B (another thread) calls; loop A calls again. Each loop needs its own
    pool: a connection opened in A cannot be read from B. (Before: B got A's pool and a raw RuntimeError, "... is
    bound to a different event loop".)"""
    results: list[object] = []
    a_called, b_done = threading.Event(), threading.Event()

    async def in_a() -> None:
        results.append(await get_participant_details.asyncio(*IDS, client=fault_client))
        a_called.set()
        await asyncio.to_thread(b_done.wait, 10)
        results.append(await get_participant_details.asyncio(*IDS, client=fault_client))

    async def in_b() -> None:
        await asyncio.to_thread(a_called.wait, 10)
        try:
            for _ in range(2):
                results.append(await get_participant_details.asyncio(*IDS, client=fault_client))
        finally:
            b_done.set()

    errors: list[BaseException] = []

    def run(main: Any) -> None:
        try:
            asyncio.run(main())
        except BaseException as error:  # the test thread reports it below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(main,)) for main in (in_a, in_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 4 and all(isinstance(r, ParticipantDetailsResponse) for r in results)
    assert faults.connections_opened == 2  # one pool, and one connection, per loop


# -- 2xx with "success": false -------------------------------------------------------------------------------------

UNSUCCESSFUL = {
    "cloudflare": (cloudflare_error(7003, "Could not route to /accounts"), [7003], ["Could not route to /accounts"]),
    "realtimekit": (realtimekit_error(404, "Session not found"), [404], ["Session not found"]),
    "bare": ({"success": False}, [], []),
}


@pytest.mark.parametrize("shape", UNSUCCESSFUL)
async def test_a_2xx_saying_success_false_raises_the_error_it_carries(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, waits: SleepRecorder, shape: str
) -> None:
    body, codes, messages = UNSUCCESSFUL[shape]
    faults.reply(200, body, headers={"cf-ray": "8f0c1d2e3a4b5c6d-SIN"})
    with pytest.raises(APIStatusError) as caught:
        await fetch(mode, fault_client, *IDS)
    error = caught.value
    assert (error.status_code, error.codes, error.messages) == (200, codes, messages)
    assert error.cf_ray == "8f0c1d2e3a4b5c6d-SIN"
    assert str(error).startswith('HTTP 200 OK with "success": false')
    assert len(faults.requests) == 1 and waits.waits == []


async def test_detailed_returns_a_2xx_saying_success_false_parsed(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    faults.reply(200, cloudflare_error(7003, "Could not route"))
    response = await fetch(mode, fault_client, *IDS, detailed=True)
    assert response.status_code == 200
    assert isinstance(response.parsed, ParticipantDetailsResponse) and response.parsed.success is False
    assert response.parsed.to_dict()["errors"] == [{"code": 7003, "message": "Could not route"}]
