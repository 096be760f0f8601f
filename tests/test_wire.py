"""What goes on the wire: the raw path and query for every argument case, arguments refused before anything is sent,
the server refusing what the document forbids, and the client's defaults (base URL, timeouts, User-Agent, token)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import realtimekit_client
import yaml
from realtimekit_client import AuthenticatedClient, RealtimeKitError
from realtimekit_client.api.sessions import get_participant_details
from realtimekit_client.models import ParticipantDetailsResponse, ParticipantFilter

from scripts.project import CONFIG
from tests.stand_in.ids import ACCOUNT_ID, APP_ID, IDS, PARTICIPANT_ID, SESSION_ID, TOKEN
from tests.stand_in.server import FILTER_NAMES, LocalServer
from tests.support import fetch, patch_sleep

AUTH = {"Authorization": f"Bearer {TOKEN}"}
PATH = f"/client/v4/accounts/{ACCOUNT_ID}/realtime/kit/{APP_ID}/sessions/{SESSION_ID}/participants/{PARTICIPANT_ID}"
F = ParticipantFilter

pytestmark = pytest.mark.anyio


# -- query string --------------------------------------------------------------------------------------------------

QUERY_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("nothing", {}, ""),
    ("enum members", {"filters": [F.DEVICE_INFO, F.EVENTS], "include_peer_events": True},
     "filters=device_info,events&include_peer_events=true"),
    ("plain strings", {"filters": ["device_info", "events"]}, "filters=device_info,events"),
    ("caller order kept", {"filters": ["quality_stats", "device_info"]}, "filters=quality_stats,device_info"),
    ("duplicates dropped", {"filters": ["events", F.EVENTS, "device_info", "events"]}, "filters=events,device_info"),
    ("all five", {"filters": list(FILTER_NAMES)}, "filters=" + ",".join(FILTER_NAMES)),
    ("a tuple", {"filters": (F.IP_INFORMATION, "precall_network_information")},
     "filters=ip_information,precall_network_information"),
    ("a single member", {"filters": F.QUALITY_STATS}, "filters=quality_stats"),
    ("a single string", {"filters": "ip_information"}, "filters=ip_information"),
    ("empty list", {"filters": []}, ""),
    ("empty list and false", {"filters": [], "include_peer_events": False}, "include_peer_events=false"),
    ("false", {"include_peer_events": False}, "include_peer_events=false"),
    ("true only", {"include_peer_events": True}, "include_peer_events=true"),
    ("None means not given", {"filters": None, "include_peer_events": None}, ""),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "query"), [c[1:] for c in QUERY_CASES], ids=[c[0] for c in QUERY_CASES])
async def test_query_string_on_the_wire(
    mode: str, client: AuthenticatedClient, server: LocalServer, kwargs: dict[str, Any], query: str
) -> None:
    result = await fetch(mode, client, *IDS, **kwargs)
    assert isinstance(result, ParticipantDetailsResponse)
    request = server.last_request
    assert request.query == query
    assert request.target == PATH + (f"?{query}" if query else "")
    assert request.valid, request.errors
    assert len(server.requests) == 1


PATH_CASES = [
    ("p/../x y", "p%2F..%2Fx%20y"),
    ("a/b", "a%2Fb"),
    ("...", "..."),
    ("ü-ñ", "%C3%BC-%C3%B1"),
    ("?#%&=+", "%3F%23%25%26%3D%2B"),
]


@pytest.mark.parametrize(("participant_id", "segment"), PATH_CASES)
async def test_path_parameters_are_one_encoded_segment(
    mode: str, client: AuthenticatedClient, server: LocalServer, participant_id: str, segment: str
) -> None:
    response = await fetch(mode, client, ACCOUNT_ID, APP_ID, SESSION_ID, participant_id, detailed=True)
    assert response.status_code == 200
    expected = PATH.rsplit("/", 1)[0] + "/" + segment
    assert server.last_request.path == expected
    assert server.last_request.target == expected


async def test_every_path_parameter_is_encoded(mode: str, client: AuthenticatedClient, server: LocalServer) -> None:
    await fetch(mode, client, "a b", "c/d", "e?f", "g#h")
    assert server.last_request.path == "/client/v4/accounts/a%20b/realtime/kit/c%2Fd/sessions/e%3Ff/participants/g%23h"


# -- refused before sending ----------------------------------------------------------------------------------------

NAMES = ("account_id", "app_id", "session_id", "participant_id")


@pytest.mark.parametrize("bad", ["", ".", ".."])
@pytest.mark.parametrize("position", range(4), ids=NAMES)
async def test_empty_and_dot_path_parameters_raise_before_sending(
    mode: str, client: AuthenticatedClient, server: LocalServer, bad: str, position: int
) -> None:
    ids = list(IDS)
    ids[position] = bad
    with pytest.raises(ValueError, match=NAMES[position]):
        await fetch(mode, client, *ids)
    with pytest.raises(ValueError, match=NAMES[position]):
        await fetch(mode, client, *ids, detailed=True)
    assert server.requests == []


@pytest.mark.parametrize("bad", [None, 123, b"bytes", ["p"]], ids=["None", "int", "bytes", "list"])
async def test_non_string_path_parameter_raises_type_error(
    mode: str, client: AuthenticatedClient, server: LocalServer, bad: Any
) -> None:
    with pytest.raises(TypeError, match=r"participant_id must be a str, got "):
        await fetch(mode, client, ACCOUNT_ID, APP_ID, SESSION_ID, bad)
    assert server.requests == []


async def test_unknown_filter_raises_value_error_listing_the_allowed_names(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    with pytest.raises(ValueError) as caught:
        await fetch(mode, client, *IDS, filters=["device_info", "video"])
    message = str(caught.value)
    assert "'video'" in message and "filters" in message
    for name in FILTER_NAMES:
        assert name in message
    assert server.requests == []


BAD_ARGUMENTS: list[tuple[str, dict[str, Any], type[Exception]]] = [
    ("comma string", {"filters": "device_info,events"}, ValueError),
    ("spaced name", {"filters": [" events"]}, ValueError),
    ("wrong case", {"filters": ["EVENTS"]}, ValueError),
    ("int item", {"filters": [1]}, TypeError),
    ("int", {"filters": 3}, TypeError),
    ("dict", {"filters": {"events": True}}, TypeError),
    ("bytes", {"filters": b"events"}, TypeError),
    ("bool as string", {"include_peer_events": "true"}, TypeError),
    ("bool as int", {"include_peer_events": 1}, TypeError),
]


@pytest.mark.parametrize(("kwargs", "error"), [c[1:] for c in BAD_ARGUMENTS], ids=[c[0] for c in BAD_ARGUMENTS])
async def test_invalid_query_arguments_send_nothing(
    mode: str, client: AuthenticatedClient, server: LocalServer, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error, match=next(iter(kwargs))):
        await fetch(mode, client, *IDS, **kwargs)
    with pytest.raises(error):
        await fetch(mode, client, *IDS, detailed=True, **kwargs)
    assert server.requests == []


# -- the server refuses what the document forbids ------------------------------------------------------------------

FORBIDDEN = [
    ("repeated", "filters=device_info&filters=events", "repeated"),
    ("encoded comma", "filters=device_info%2Cevents", "%2C"),
    ("space", "filters=device_info,%20events", "spaces"),
    ("unknown name", "filters=device_info,video", "unknown filters"),
    ("boolean spelled 1", "include_peer_events=1", "include_peer_events"),
]


@pytest.mark.parametrize(("query", "reason"), [c[1:] for c in FORBIDDEN], ids=[c[0] for c in FORBIDDEN])
def test_the_server_rejects_hand_built_forbidden_queries(
    client: AuthenticatedClient, server: LocalServer, query: str, reason: str
) -> None:
    """What a template regression would send gets a 400 with RealtimeKit's error body, so such a regression fails
    the call rather than only a string comparison."""
    raw = httpx.get(f"{server.base_url}{PATH.removeprefix('/client/v4')}?{query}", headers=AUTH)
    assert raw.status_code == 400
    assert server.last_request.query == query
    body = raw.json()
    assert body["success"] is False and body["error"]["code"] == 400
    assert reason in body["error"]["message"]
    # ...and the SDK reports exactly such a response as a BadRequestError carrying that message.
    server.enqueue(400, body)
    with pytest.raises(realtimekit_client.BadRequestError, match=reason):
        get_participant_details.sync(*IDS, client=client)


# -- client defaults -----------------------------------------------------------------------------------------------


async def test_token_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDFLARE_BASE_URL", raising=False)
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"success": True, "data": {}})

    transport = httpx.MockTransport(answer)
    client = AuthenticatedClient(token=TOKEN, transport=transport, async_transport=transport)
    get_participant_details.sync(*IDS, client=client)
    await get_participant_details.asyncio(*IDS, client=client)
    for request in sent:
        assert str(request.url) == f"https://api.cloudflare.com{PATH}"
        assert request.extensions["timeout"] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}
        assert request.headers.get_list("authorization") == [f"Bearer {TOKEN}"]
    assert len(sent) == 2
    assert client.max_retries == 2


def test_base_url_and_token_from_the_environment(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    with AuthenticatedClient() as client:
        assert isinstance(get_participant_details.sync(*IDS, client=client), ParticipantDetailsResponse)
    assert server.last_request.headers["authorization"] == f"Bearer {TOKEN}"


def test_explicit_arguments_beat_the_environment(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", "http://127.0.0.1:9/nowhere")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "env-token")
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
    get_participant_details.sync(*IDS, client=client)
    assert server.last_request.headers["authorization"] == f"Bearer {TOKEN}"


def test_missing_token_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    with pytest.raises(RealtimeKitError, match="CLOUDFLARE_API_TOKEN"):
        AuthenticatedClient()


@pytest.mark.parametrize("bad", ["", " padded ", "two words", "line\nbreak", "tab\there"])
def test_malformed_token_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(ValueError) as caught:
        AuthenticatedClient(token=bad)
    if bad.strip():
        assert bad.strip().split()[0] not in str(caught.value)


async def test_user_agent_names_the_package_and_version(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    await fetch(mode, client, *IDS)
    agent = server.last_request.headers["user-agent"]
    assert agent.startswith(f"realtimekit-client/{realtimekit_client.__version__} ")
    assert realtimekit_client.__version__ == yaml.safe_load(CONFIG.read_text())["package_version_override"]


def test_a_caller_user_agent_wins(server: LocalServer) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, headers={"User-Agent": "my-app/1.0"})
    get_participant_details.sync(*IDS, client=client)
    assert server.last_request.headers["user-agent"] == "my-app/1.0"


def test_a_changed_token_prefix_or_header_name_goes_out_on_the_next_call(server: LocalServer) -> None:
    """The headers of a call are made once per client and reused: changing the token, its prefix or the header's
    name on the client still takes effect at once (the stand-in then answers 401); a call's extra headers do not
    stick."""
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
    get_participant_details.sync_detailed(*IDS, client=client, extra_headers={"X-Call": "1"})
    assert server.last_request.headers["x-call"] == "1"
    get_participant_details.sync_detailed(*IDS, client=client)
    assert server.last_request.headers["authorization"] == f"Bearer {TOKEN}"
    assert "x-call" not in server.last_request.headers
    client.token = "other-token"
    get_participant_details.sync_detailed(*IDS, client=client)
    assert server.last_request.headers["authorization"] == "Bearer other-token"
    client.prefix = "Token"
    get_participant_details.sync_detailed(*IDS, client=client)
    assert server.last_request.headers["authorization"] == "Token other-token"
    client.auth_header_name = "X-Auth"
    get_participant_details.sync_detailed(*IDS, client=client)
    assert server.last_request.headers["x-auth"] == "Token other-token"
    assert "authorization" not in server.last_request.headers


async def test_token_never_shows_in_repr_str_or_logs(
    mode: str, server: LocalServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, cookies={"session": "c"})
    server.enqueue(503, {"success": False, "error": {"code": 503, "message": "busy"}})
    with caplog.at_level(logging.DEBUG):
        await fetch(mode, client, *IDS)
    assert "Retrying GET" in caplog.text  # the retry was logged...
    assert TOKEN not in caplog.text  # ...without the token
    httpx_client = client.get_httpx_client() if mode == "sync" else client.get_async_httpx_client()
    texts = [repr(client), str(client), repr(httpx_client), repr(httpx_client.headers), str(httpx_client.headers)]
    texts += [repr(client.with_max_retries(0)), repr(client.with_headers({"X-A": "b"}))]
    for text in texts:
        assert TOKEN not in text
    assert "token" not in repr(client)
    copy = AuthenticatedClient(token=TOKEN, headers={"Authorization": f"Bearer {TOKEN}"})
    assert TOKEN not in repr(copy)


def test_copies_leave_the_original_alone(server: LocalServer) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
    client.get_httpx_client()
    copy = client.with_headers({"X-Extra": "1"})
    get_participant_details.sync(*IDS, client=client)
    assert "x-extra" not in server.last_request.headers
    get_participant_details.sync(*IDS, client=copy)
    assert server.last_request.headers["x-extra"] == "1"


# -- transports: each client gets one it can drive -------------------------------------------------------------------


class SyncOnly(httpx.BaseTransport):
    """Answers 503 to the first `failures` requests, then a small participant."""

    def __init__(self, failures: int = 2) -> None:
        self.calls = 0
        self.failures = failures

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        status = 503 if self.calls <= self.failures else 200
        return httpx.Response(status, json={"success": True, "data": {}} if status == 200 else {}, request=request)


class AsyncOnly(httpx.AsyncBaseTransport):
    """Answers 503 to the first `failures` requests, then a small participant."""

    def __init__(self, failures: int = 2) -> None:
        self.calls = 0
        self.failures = failures

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        status = 503 if self.calls <= self.failures else 200
        return httpx.Response(status, json={"success": True, "data": {}} if status == 200 else {}, request=request)


async def test_separate_transports_are_each_used_and_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = patch_sleep(monkeypatch)
    sync_transport, async_transport = SyncOnly(), AsyncOnly()
    client = AuthenticatedClient(token=TOKEN, transport=sync_transport, async_transport=async_transport)
    assert get_participant_details.sync(*IDS, client=client).success is True
    assert (sync_transport.calls, async_transport.calls) == (3, 0)
    assert (await get_participant_details.asyncio(*IDS, client=client)).success is True
    assert (sync_transport.calls, async_transport.calls) == (3, 3)
    assert len(recorder.waits) == 4


async def test_a_sync_transport_in_httpx_args_does_not_break_async_calls(server: LocalServer) -> None:
    sync_transport = SyncOnly(failures=0)
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, httpx_args={"transport": sync_transport})
    assert isinstance(await get_participant_details.asyncio(*IDS, client=client), ParticipantDetailsResponse)
    assert server.last_request.valid and sync_transport.calls == 0
    get_participant_details.sync(*IDS, client=client)
    assert sync_transport.calls == 1


async def test_an_async_transport_in_httpx_args_does_not_break_sync_calls(server: LocalServer) -> None:
    async_transport = AsyncOnly()
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, httpx_args={"transport": async_transport})
    assert isinstance(get_participant_details.sync(*IDS, client=client), ParticipantDetailsResponse)
    assert server.last_request.valid and async_transport.calls == 0
