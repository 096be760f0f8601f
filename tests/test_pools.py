"""One pool per client, and a way to close it: the pool is opened once however many threads make their first call
at once; close()/with and aclose()/async with close what the client opened and only that; copies share the pool
and send their own settings with each request; a caller's pool still carries our headers. The fault server counts
connections, so each claim is checked on the server's side of the sockets."""

from __future__ import annotations

import threading

import httpx
import pytest
import realtimekit_client
from realtimekit_client import APITimeoutError, AuthenticatedClient
from realtimekit_client.api.sessions import get_participant_details

from tests.stand_in.faults import FaultServer
from tests.stand_in.ids import IDS, TOKEN
from tests.support import fetch

pytestmark = pytest.mark.anyio


async def close(mode: str, client: AuthenticatedClient) -> None:
    if mode == "sync":
        client.close()
    else:
        await client.aclose()


def test_sixteen_threads_making_their_first_call_at_once_share_one_pool(
    fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    """Before: each thread could open its own pool; the client kept the last, and the others' connections stayed
    open after close(). Here the server sees every connection end once the client is closed."""
    threads_count = 16
    start = threading.Barrier(threads_count)
    results: list[object] = []

    def first_call() -> None:
        start.wait()
        results.append(get_participant_details.sync(*IDS, client=fault_client))

    threads = [threading.Thread(target=first_call) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == threads_count
    assert faults.open_connections >= 1
    fault_client.close()
    assert faults.wait_until_all_closed() == 0
    assert 1 <= faults.connections_opened <= threads_count


async def test_closing_leaves_no_socket_open(mode: str, fault_client: AuthenticatedClient, faults: FaultServer) -> None:
    for _ in range(3):
        await fetch(mode, fault_client, *IDS)
    assert faults.open_connections == 1  # one keep-alive connection, reused
    await close(mode, fault_client)
    assert faults.wait_until_all_closed() == 0


def test_with_closes_the_pool(fault_client: AuthenticatedClient, faults: FaultServer) -> None:
    with fault_client as client:
        get_participant_details.sync(*IDS, client=client)
    assert faults.wait_until_all_closed() == 0


async def test_async_with_closes_the_pool_of_its_loop(fault_client: AuthenticatedClient, faults: FaultServer) -> None:
    async with fault_client as client:
        await get_participant_details.asyncio(*IDS, client=client)
        get_participant_details.sync(*IDS, client=client)  # the sync pool too
    assert faults.connections_opened == 2
    assert faults.wait_until_all_closed() == 0


async def test_closing_twice_is_harmless(mode: str, fault_client: AuthenticatedClient, faults: FaultServer) -> None:
    await fetch(mode, fault_client, *IDS)
    await close(mode, fault_client)
    await close(mode, fault_client)
    fault_client.close()
    await fault_client.aclose()
    assert faults.wait_until_all_closed() == 0


async def test_closing_a_client_that_never_sent_is_harmless(mode: str, faults: FaultServer) -> None:
    client = AuthenticatedClient(base_url=faults.base_url, token=TOKEN)
    await close(mode, client)
    assert faults.connections_opened == 0


# -- copies share the pool -----------------------------------------------------------------------------------------


async def test_copies_share_the_pool_and_send_their_own_settings(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    """Before: with_headers(), with_timeout() and with_cookies() copies each opened a pool of their own."""
    copies = [
        fault_client,
        fault_client.with_headers({"X-Team": "video"}),
        fault_client.with_cookies({"session": "abc"}),
        fault_client.with_timeout(30.0),
        fault_client.with_options(max_retries=1, timeout=20.0),
        fault_client.with_max_retries(0),
    ]
    for client in copies:
        await fetch(mode, client, *IDS)
    assert faults.connections_opened == 1  # one pool, one keep-alive connection for all six
    sent = faults.requests
    assert [r.header_values("x-team") for r in sent] == [[], ["video"], [], [], [], []]
    assert [r.header_values("cookie") for r in sent] == [[], [], ["session=abc"], [], [], []]
    assert all(r.header_values("authorization") == [f"Bearer {TOKEN}"] for r in sent)
    await close(mode, fault_client)
    assert faults.wait_until_all_closed() == 0  # closing the original closed the copies' pool


async def test_a_copys_timeout_goes_with_its_requests(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    quick = fault_client.with_timeout(0.2).with_max_retries(0)
    faults.hold(1.0)
    with pytest.raises(APITimeoutError):
        await fetch(mode, quick, *IDS)
    faults.hold(0.5)
    assert (await fetch(mode, fault_client, *IDS)).success is True  # the original's 60 s still hold


async def test_closing_a_copy_leaves_the_originals_pool_open(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    copy = fault_client.with_headers({"X-Copy": "1"})
    await fetch(mode, copy, *IDS)
    await close(mode, copy)
    await fetch(mode, fault_client, *IDS)
    assert faults.connections_opened == 1 and faults.open_connections == 1  # the same connection, still open
    with pytest.raises(realtimekit_client.RealtimeKitError, match="closed"):
        await fetch(mode, copy, *IDS)


# -- a pool the caller gives ---------------------------------------------------------------------------------------


def test_a_callers_sync_pool_carries_our_headers_and_stays_open(
    fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    """Before: the caller's pool sent no Authorization (every call got 401) and its own User-Agent."""
    with httpx.Client(headers={"User-Agent": "python-httpx/x", "Authorization": "Bearer stale"}) as mine:
        fault_client.set_httpx_client(mine)
        get_participant_details.sync(*IDS, client=fault_client)
        fault_client.close()
        assert not mine.is_closed
        assert mine.get(faults.base_url + "/still-mine").status_code == 200
    first = faults.requests[0]
    assert first.header_values("authorization") == [f"Bearer {TOKEN}"]
    assert first.header_values("user-agent")[0].startswith("realtimekit-client/")
    assert len(first.header_values("user-agent")) == 1


async def test_a_callers_async_pool_carries_our_headers_and_stays_open(
    fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    async with httpx.AsyncClient() as mine:
        fault_client.set_async_httpx_client(mine)
        await get_participant_details.asyncio(*IDS, client=fault_client)
        await fault_client.aclose()
        assert not mine.is_closed
        assert (await mine.get(faults.base_url + "/still-mine")).status_code == 200
    assert faults.requests[0].header_values("authorization") == [f"Bearer {TOKEN}"]
    assert faults.requests[0].header_values("user-agent")[0].startswith("realtimekit-client/")


def test_a_pool_the_client_opened_is_closed_when_the_caller_gives_one(
    fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    get_participant_details.sync(*IDS, client=fault_client)
    with httpx.Client() as mine:
        fault_client.set_httpx_client(mine)
        assert faults.wait_until_all_closed() == 0  # ours, not leaked
        get_participant_details.sync(*IDS, client=fault_client)
        assert faults.connections_opened == 2
