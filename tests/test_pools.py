"""One pool per client, and a way to close it: the pool is opened once however many threads make their first call
at once; close()/with and aclose()/async with close what the client opened and only that; copies share the pool
and send their own settings with each request; a caller's pool still carries our headers. The fault server counts
connections, so each claim is checked on the server's side of the sockets."""

from __future__ import annotations

import copy
import http.server
import json
import multiprocessing
import pickle
import threading
import time
from typing import Any

import httpx
import pytest
import realtimekit_client
from realtimekit_client import APITimeoutError, AuthenticatedClient
from realtimekit_client.api.sessions import get_participant_details

from tests.stand_in.faults import FaultServer
from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer
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


# -- processes, callers' pools, copies ----------------------------------------------------------------------------


class _EchoHandler(http.server.BaseHTTPRequestHandler):
    """Answers each participant request with the participant id of its own path (keep-alive, HTTP/1.1)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        participant = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        body = json.dumps({"success": True, "data": {"participant": {"id": participant}}}).encode()
        time.sleep(0.01)  # long enough for processes sharing one socket to interleave
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _participant_id(client: AuthenticatedClient, participant: str) -> str:
    response = get_participant_details.sync(*IDS[:3], participant, client=client)
    return str(response.to_dict()["data"]["participant"]["id"])


_INHERITED: list[AuthenticatedClient] = []
"""The parent's client, as forked children see it (inherited, not pickled: a client does not pickle)."""


def _child_participant_id(participant: str) -> str:
    return _participant_id(_INHERITED[0], participant)


def test_a_forked_process_opens_its_own_pool() -> None:
    """Before: children inherited the parent's keep-alive connection and read each other's responses."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = AuthenticatedClient(base_url=f"http://127.0.0.1:{server.server_address[1]}", token=TOKEN)
        assert _participant_id(client, "parent") == "parent"  # the parent's connection is open now
        wanted = [f"q{n}" for n in range(12)]
        _INHERITED[:] = [client]
        with multiprocessing.get_context("fork").Pool(4) as workers:
            got = workers.map(_child_participant_id, wanted)
        assert got == wanted
        assert _participant_id(client, "parent-again") == "parent-again"
    finally:
        server.shutdown()
        server.server_close()


def test_a_callers_pool_with_auth_of_its_own_still_sends_our_token(server: LocalServer) -> None:
    """Before: the caller's pool's Basic auth replaced the SDK's Authorization header."""
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
    with httpx.Client(auth=("user", "password")) as pool:
        client.set_httpx_client(pool)
        get_participant_details.sync(*IDS, client=client)
    assert server.last_request.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("method", "pool"),
    [("set_httpx_client", "x"), ("set_httpx_client", None), ("set_async_httpx_client", "x")],
    ids=["sync a str", "sync None", "async a str"],
)
def test_setting_a_pool_of_the_wrong_kind_is_refused(method: str, pool: Any) -> None:
    client = AuthenticatedClient(token=TOKEN)
    with pytest.raises(TypeError, match=method):
        getattr(client, method)(pool)


def test_setting_a_pool_of_the_other_kind_is_refused() -> None:
    client = AuthenticatedClient(token=TOKEN)
    with pytest.raises(TypeError, match="httpx.Client"):
        client.set_httpx_client(httpx.AsyncClient())  # type: ignore[arg-type]
    with httpx.Client() as sync_pool, pytest.raises(TypeError, match="httpx.AsyncClient"):
        client.set_async_httpx_client(sync_pool)  # type: ignore[arg-type]


async def test_a_plain_event_hook_runs_for_sync_and_async_calls(server: LocalServer) -> None:
    """Before: a plain function in httpx_args' event_hooks broke every async call (the async client awaits it)."""
    seen: list[str] = []
    hooks = {"request": [lambda request: seen.append(request.method)]}
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, httpx_args={"event_hooks": hooks})
    get_participant_details.sync(*IDS, client=client)
    await get_participant_details.asyncio(*IDS, client=client)
    assert seen == ["GET", "GET"]
    await client.aclose()


def test_copy_copy_shares_the_pools_and_closing_it_leaves_them_open(server: LocalServer) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
    twin = copy.copy(client)
    twin.close()
    get_participant_details.sync(*IDS, client=client)  # before: the copy had closed the original's pool
    assert client.get_httpx_client() is not None


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_a_client_cannot_be_pickled_or_deep_copied_and_says_why(how: str) -> None:
    client = AuthenticatedClient(token=TOKEN)
    with pytest.raises(TypeError, match="holds open connections"):
        pickle.dumps(client) if how == "pickle" else copy.deepcopy(client)
