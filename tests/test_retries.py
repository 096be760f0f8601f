"""Retries over real HTTP: which statuses and failures are retried and how often, the waits (backoff, Retry-After in
seconds or as an HTTP date, retry-after-ms, the 60 s cap), max_retries and per-copy overrides, sync and async."""

from __future__ import annotations

import datetime
import email.utils
import time

import httpx
import pytest
import realtimekit_client.client as client_module
from realtimekit_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticatedClient,
)
from realtimekit_client.errors import status_error_class
from realtimekit_client.models import ParticipantDetailsResponse

from tests.stand_in.faults import FaultServer
from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer, realtimekit_error
from tests.support import SleepRecorder, fetch, free_port

pytestmark = pytest.mark.anyio

RETRIED = [408, 409, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527, 599]
NOT_RETRIED = [400, 401, 403, 404, 405, 410, 418, 422]


def fail(server: LocalServer, status: int, times: int, headers: dict[str, str] | None = None) -> None:
    for _ in range(times):
        server.enqueue(status, realtimekit_error(status, f"failure {status}"), headers=headers)


@pytest.mark.parametrize("status", RETRIED)
async def test_retried_statuses_are_tried_three_times_by_default(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder, status: int
) -> None:
    fail(server, status, 3)
    with pytest.raises(APIStatusError) as caught:
        await fetch(mode, client, *IDS)
    assert type(caught.value) is status_error_class(status)
    assert caught.value.status_code == status
    assert len(server.requests) == 3
    assert len(waits.waits) == 2


@pytest.mark.parametrize("status", [429, 503, 520])
async def test_a_retry_that_succeeds_returns_the_participant(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder, status: int
) -> None:
    fail(server, status, 2)
    assert isinstance(await fetch(mode, client, *IDS), ParticipantDetailsResponse)
    assert len(server.requests) == 3
    assert all(request.valid for request in server.requests)


@pytest.mark.parametrize("status", NOT_RETRIED)
async def test_other_statuses_are_never_retried(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder, status: int
) -> None:
    fail(server, status, 3)
    with pytest.raises(APIStatusError) as caught:
        await fetch(mode, client, *IDS)
    assert caught.value.status_code == status
    assert len(server.requests) == 1
    assert waits.waits == []


async def test_detailed_calls_retry_too_and_return_the_last_response(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder
) -> None:
    fail(server, 503, 3)
    response = await fetch(mode, client, *IDS, detailed=True)
    assert response.status_code == 503
    assert len(server.requests) == 3


async def test_max_retries_zero_turns_retries_off(mode: str, server: LocalServer, waits: SleepRecorder) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, max_retries=0)
    fail(server, 503, 3)
    with pytest.raises(APIStatusError):
        await fetch(mode, client, *IDS)
    assert len(server.requests) == 1
    assert waits.waits == []


async def test_max_retries_can_be_raised(mode: str, server: LocalServer, waits: SleepRecorder) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, max_retries=4)
    fail(server, 500, 4)
    assert isinstance(await fetch(mode, client, *IDS), ParticipantDetailsResponse)
    assert len(server.requests) == 5
    assert len(waits.waits) == 4


async def test_per_copy_override_leaves_the_original_alone(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder
) -> None:
    client.get_httpx_client()
    client.get_async_httpx_client()
    no_retries = client.with_max_retries(0)
    one_retry = client.with_options(max_retries=1)
    assert (client.max_retries, no_retries.max_retries, one_retry.max_retries) == (2, 0, 1)
    # The copy shares the connection pools (retries are decided above httpx).
    assert no_retries.get_httpx_client() is client.get_httpx_client()
    assert no_retries.get_async_httpx_client() is client.get_async_httpx_client()
    for copy, attempts in ((no_retries, 1), (one_retry, 2), (client, 3)):
        server.reset()
        fail(server, 502, 3)
        with pytest.raises(APIStatusError):
            await fetch(mode, copy, *IDS)
        assert len(server.requests) == attempts


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True, None])
def test_max_retries_must_be_a_non_negative_int(bad: object) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        AuthenticatedClient(token=TOKEN, max_retries=bad)  # type: ignore[arg-type]


# -- waits ---------------------------------------------------------------------------------------------------------


async def test_backoff_doubles_with_up_to_25_percent_jitter(
    mode: str, server: LocalServer, waits: SleepRecorder
) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, max_retries=3)
    fail(server, 500, 4)
    with pytest.raises(APIStatusError):
        await fetch(mode, client, *IDS)
    assert len(waits.waits) == 3
    for wait, full in zip(waits.waits, (0.5, 1.0, 2.0), strict=True):
        assert 0.75 * full <= wait <= full


def test_backoff_is_capped_at_8_seconds() -> None:
    delays = [client_module.retry_delay(n) for n in range(3, 12) for _ in range(20)]
    assert all(0.75 * 4.0 <= d <= 8.0 for d in delays[:20])
    assert all(6.0 <= d <= 8.0 for d in delays[20:])
    assert len({round(d, 6) for d in delays}) > 10  # jittered, not constant


HEADER_CASES = [
    ("seconds", {"Retry-After": "3"}, 3.0),
    ("fractional seconds", {"Retry-After": "0.25"}, 0.25),
    ("milliseconds", {"retry-after-ms": "150"}, 0.15),
    ("milliseconds win", {"retry-after-ms": "40", "Retry-After": "7"}, 0.04),
    ("bad milliseconds fall back", {"retry-after-ms": "soon", "Retry-After": "7"}, 7.0),
    ("exactly 60 s", {"Retry-After": "60"}, 60.0),
]


@pytest.mark.parametrize(("headers", "expected"), [c[1:] for c in HEADER_CASES], ids=[c[0] for c in HEADER_CASES])
async def test_the_server_s_requested_wait_is_honoured(
    mode: str,
    client: AuthenticatedClient,
    server: LocalServer,
    waits: SleepRecorder,
    headers: dict[str, str],
    expected: float,
) -> None:
    fail(server, 429, 1, headers=headers)
    await fetch(mode, client, *IDS)
    assert waits.waits == [pytest.approx(expected)]
    assert len(server.requests) == 2


async def test_retry_after_as_an_http_date(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder
) -> None:
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=20)
    fail(server, 503, 1, headers={"Retry-After": email.utils.format_datetime(when, usegmt=True)})
    await fetch(mode, client, *IDS)
    assert len(waits.waits) == 1
    assert 17.0 <= waits.waits[0] <= 20.0


IGNORED = [
    ("over 60 s", {"Retry-After": "61"}),
    ("an hour", {"Retry-After": "3600"}),
    ("ms over 60 s", {"retry-after-ms": "60001"}),
    ("zero", {"Retry-After": "0"}),
    ("negative", {"Retry-After": "-5"}),
    ("garbage", {"Retry-After": "soon"}),
    ("nan", {"Retry-After": "nan"}),
    ("date in the past", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
    ("date too far ahead", {"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"}),
]


@pytest.mark.parametrize("headers", [c[1] for c in IGNORED], ids=[c[0] for c in IGNORED])
async def test_unusable_retry_after_falls_back_to_backoff(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder, headers: dict[str, str]
) -> None:
    fail(server, 503, 1, headers=headers)
    await fetch(mode, client, *IDS)
    assert len(waits.waits) == 1
    assert 0.375 <= waits.waits[0] <= 0.5


def test_a_real_retry_after_wait_end_to_end(client: AuthenticatedClient, server: LocalServer) -> None:
    fail(server, 503, 1, headers={"Retry-After": "1"})
    started = time.monotonic()
    assert isinstance(fetch_sync(client), ParticipantDetailsResponse)
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 10.0  # generous: the machine may be loaded; the lower bound is the point
    assert len(server.requests) == 2


async def test_a_real_retry_after_ms_wait_end_to_end_async(client: AuthenticatedClient, server: LocalServer) -> None:
    fail(server, 429, 1, headers={"retry-after-ms": "300"})
    started = time.monotonic()
    assert isinstance(await fetch("async", client, *IDS), ParticipantDetailsResponse)
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 10.0
    assert len(server.requests) == 2


def fetch_sync(client: AuthenticatedClient) -> object:
    from realtimekit_client.api.sessions import get_participant_details

    return get_participant_details.sync(*IDS, client=client)


# -- connection errors and timeouts --------------------------------------------------------------------------------


async def test_dropped_connections_are_retried_then_raised(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder
) -> None:
    for _ in range(3):
        server.enqueue(drop=True)
    with pytest.raises(APIConnectionError) as caught:
        await fetch(mode, client, *IDS)
    error = caught.value
    assert not isinstance(error, APITimeoutError)
    assert isinstance(error.__cause__, httpx.TransportError)
    assert len(server.requests) == 3
    assert len(waits.waits) == 2
    assert "after 3 attempts" in str(error)
    assert error.request_url is not None and error.request_url.startswith(server.base_url)


async def test_a_dropped_connection_then_success(
    mode: str, client: AuthenticatedClient, server: LocalServer, waits: SleepRecorder
) -> None:
    server.enqueue(drop=True)
    assert isinstance(await fetch(mode, client, *IDS, detailed=True), object)
    assert len(server.requests) == 2
    assert len(waits.waits) == 1


async def test_a_closed_port_is_a_connection_error(mode: str, waits: SleepRecorder) -> None:
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{free_port()}/client/v4", token=TOKEN)
    with pytest.raises(APIConnectionError) as caught:
        await fetch(mode, client, *IDS)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(waits.waits) == 2
    assert TOKEN not in str(caught.value)


async def test_timeouts_are_retried_then_raised(mode: str, server: LocalServer, waits: SleepRecorder) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, timeout=0.2)
    for _ in range(3):
        server.enqueue(delay=0.6)
    with pytest.raises(APITimeoutError) as caught:
        await fetch(mode, client, *IDS)
    assert isinstance(caught.value, APIConnectionError)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert len(server.requests) == 3
    assert len(waits.waits) == 2
    assert str(caught.value).startswith("Request timed out after 3 attempts (ReadTimeout")


async def test_a_timeout_then_success(mode: str, server: LocalServer, waits: SleepRecorder) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, timeout=1.0)
    server.enqueue(delay=2.5)
    assert isinstance(await fetch(mode, client, *IDS), ParticipantDetailsResponse)
    assert len(server.requests) == 2


async def test_no_retry_for_connection_errors_with_max_retries_zero(mode: str, waits: SleepRecorder) -> None:
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{free_port()}/v4", token=TOKEN, max_retries=0)
    with pytest.raises(APIConnectionError, match="after 1 attempt "):
        await fetch(mode, client, *IDS)
    assert waits.waits == []


async def test_a_non_transient_transport_error_is_not_retried(mode: str, waits: SleepRecorder) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.LocalProtocolError("malformed request", request=request)

    transport = httpx.MockTransport(refuse)
    client = AuthenticatedClient(
        base_url="http://127.0.0.1/client/v4", token=TOKEN, transport=transport, async_transport=transport
    )
    with pytest.raises(APIConnectionError) as caught:
        await fetch(mode, client, *IDS)
    assert isinstance(caught.value.__cause__, httpx.LocalProtocolError)
    assert waits.waits == []


# -- methods that are not safe to repeat ---------------------------------------------------------------------------
# POST and PATCH are retried only when the server cannot have processed the request. No operation sends them yet,
# so these tests call the send layer directly, over real HTTP to the fault server.

UNSAFE = ["POST", "PATCH"]


async def send_once(mode: str, client: AuthenticatedClient, method: str) -> httpx.Response:
    request = client_module.Request(method, "/sessions", [], b'{"title": "x"}')
    if mode == "sync":
        return client_module.send(client, request)
    return await client_module.async_send(client, request)


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("status", [500, 502, 504, 408, 409])
async def test_unsafe_methods_are_not_retried_after_statuses_the_server_may_have_acted_on(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, waits: SleepRecorder, method: str, status: int
) -> None:
    faults.reply(status, realtimekit_error(status, "maybe done"))
    response = await send_once(mode, fault_client, method)
    assert response.status_code == status
    assert [r.method for r in faults.requests] == [method]
    assert waits.waits == []


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("status", [429, 503])
async def test_unsafe_methods_are_retried_after_429_and_503(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, waits: SleepRecorder, method: str, status: int
) -> None:
    faults.reply(status, realtimekit_error(status, "not processed"))
    faults.reply(status, realtimekit_error(status, "not processed"))
    response = await send_once(mode, fault_client, method)
    assert response.status_code == 200
    assert [r.method for r in faults.requests] == [method] * 3
    assert all(r.body == b'{"title": "x"}' for r in faults.requests)
    assert len(waits.waits) == 2


@pytest.mark.parametrize("method", UNSAFE)
async def test_unsafe_methods_are_not_retried_after_a_read_timeout(
    mode: str, faults: FaultServer, waits: SleepRecorder, method: str
) -> None:
    client = AuthenticatedClient(base_url=faults.base_url, token=TOKEN, timeout=0.2)
    faults.hold(1.0)
    with pytest.raises(APITimeoutError, match="after 1 attempt ") as caught:
        await send_once(mode, client, method)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert len(faults.requests) == 1
    assert waits.waits == []


@pytest.mark.parametrize("method", UNSAFE)
async def test_unsafe_methods_are_not_retried_after_a_dropped_connection(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, waits: SleepRecorder, method: str
) -> None:
    faults.drop()
    with pytest.raises(APIConnectionError, match="after 1 attempt ") as caught:
        await send_once(mode, fault_client, method)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert len(faults.requests) == 1
    assert waits.waits == []


@pytest.mark.parametrize("method", UNSAFE)
async def test_unsafe_methods_are_retried_when_the_connection_is_refused(
    mode: str, waits: SleepRecorder, method: str
) -> None:
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{free_port()}/client/v4", token=TOKEN)
    with pytest.raises(APIConnectionError, match="after 3 attempts") as caught:
        await send_once(mode, client, method)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(waits.waits) == 2


async def test_safe_methods_are_retried_where_unsafe_ones_are_not(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer, waits: SleepRecorder
) -> None:
    """The contrast that shows the tests above test the method rule, not a retry loop that never runs."""
    faults.reply(502)
    faults.drop()
    assert (await send_once(mode, fault_client, "GET")).status_code == 200
    assert [r.method for r in faults.requests] == ["GET"] * 3
