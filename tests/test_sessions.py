"""The Sessions operations of issue 11 over real HTTP to the validating stand-in: GetSessionParticipants (every query
parameter on the wire, arguments refused before sending), its page iterators (several pages, an empty session, an
exact multiple of the page size, ``break``), GetParticipantDataFromPeerId (its parameters, a large report parsed
completely), forgiving parsing of the new models, and errors and retries, sync and async."""

from __future__ import annotations

import datetime
import json
from types import ModuleType
from typing import Any

import pytest
from realtimekit_client import (
    AuthenticatedClient,
    InternalServerError,
    NotFoundError,
    ResponseParseError,
    aiter_session_participants,
    iter_session_participants,
)
from realtimekit_client._parsing import parse_datetime
from realtimekit_client.api.sessions import get_participant_data_from_peer_id as peer_report_op
from realtimekit_client.api.sessions import get_session_participants as participants_op
from realtimekit_client.models import (
    ParticipantFilter,
    ParticipantsSortBy,
    ParticipantsView,
    PeerEventName,
    PeerReportResponse,
    PresetViewType,
    QualityLimitationReason,
    SessionParticipant,
    SessionParticipantsResponse,
    SortOrder,
    VideoProducerSample,
)
from realtimekit_client.types import UNSET

from tests.stand_in import sessions
from tests.stand_in.ids import ACCOUNT_ID, APP_ID
from tests.stand_in.server import LocalServer, realtimekit_error
from tests.support import MODES, patch_sleep

pytestmark = pytest.mark.anyio

SESSION = sessions.SESSION_ID
PEER = sessions.PEER_IDS[3]  # a congested call: every series has samples
BASE = f"/client/v4/accounts/{ACCOUNT_ID}/realtime/kit/{APP_ID}/sessions"
OTHER_SESSION = "9b1d7c52-0e4f-4a3b-8c6d-2f5e7a9b1c30"


async def call(mode: str, operation: ModuleType, *ids: str, detailed: bool = False, **kwargs: Any) -> Any:
    """sync()/sync_detailed() or asyncio()/asyncio_detailed() of an operation module, with the same arguments."""
    if mode == "sync":
        return (operation.sync_detailed if detailed else operation.sync)(*ids, **kwargs)
    return await (operation.asyncio_detailed if detailed else operation.asyncio)(*ids, **kwargs)


def rows(count: int) -> list[dict[str, Any]]:
    """Participant rows for a session set on the server (set_session)."""
    start = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
    return [
        {
            "id": f"peer-{i:03d}",
            "display_name": f"Person {i}",
            "duration": float(count - i),
            "joined_at": (start + datetime.timedelta(seconds=i)).isoformat(),
        }
        for i in range(count)
    ]


def same_json(a: Any, b: Any) -> bool:
    """Equal JSON, with timestamps compared as instants."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            return parse_datetime(a) == parse_datetime(b)
        except (ValueError, OverflowError):
            return False
    return type(a) is type(b) and a == b


# -- GetSessionParticipants: the query on the wire ---------------------------------------------------------------

PARTICIPANT_QUERIES: list[tuple[str, dict[str, Any], str]] = [
    ("nothing", {}, ""),
    ("page_no int", {"page_no": 2}, "page_no=2"),
    ("page_no float", {"page_no": 2.0}, "page_no=2.0"),
    ("page_no zero", {"page_no": 0}, "page_no=0"),
    ("per_page", {"per_page": 10}, "per_page=10"),
    ("per_page limits", {"per_page": 200, "page_no": 1}, "page_no=1&per_page=200"),
    ("search", {"search": "ali ce&x=1/ü"}, "search=ali%20ce%26x%3D1%2F%C3%BC"),
    ("sort members", {"sort_by": ParticipantsSortBy.DURATION, "sort_order": SortOrder.DESC},
     "sort_by=duration&sort_order=DESC"),
    ("sort strings", {"sort_by": "joinedAt", "sort_order": "ASC"}, "sort_by=joinedAt&sort_order=ASC"),
    ("view", {"view": ParticipantsView.CONSOLIDATED}, "view=consolidated"),
    ("view string", {"view": "raw"}, "view=raw"),
    ("peer events", {"include_peer_events": True}, "include_peer_events=true"),
    ("no peer events", {"include_peer_events": False}, "include_peer_events=false"),
    ("all", {"include_peer_events": True, "page_no": 1, "per_page": 5, "search": "a", "sort_by": "duration",
             "sort_order": "DESC", "view": "consolidated"},
     "include_peer_events=true&page_no=1&per_page=5&search=a&sort_by=duration&sort_order=DESC&view=consolidated"),
    ("None means not given", {"page_no": None, "per_page": None, "search": None, "sort_by": None, "view": None}, ""),
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("kwargs", "query"), [c[1:] for c in PARTICIPANT_QUERIES], ids=[c[0] for c in PARTICIPANT_QUERIES]
)
async def test_participants_query_on_the_wire(
    mode: str, client: AuthenticatedClient, server: LocalServer, kwargs: dict[str, Any], query: str
) -> None:
    result = await call(mode, participants_op, ACCOUNT_ID, APP_ID, SESSION, client=client, **kwargs)
    assert isinstance(result, SessionParticipantsResponse)
    request = server.last_request
    assert request.target == f"{BASE}/{SESSION}/participants" + (f"?{query}" if query else "")
    assert request.valid, request.errors
    assert len(server.requests) == 1


async def test_the_parameters_select_sort_and_cut_pages(client: AuthenticatedClient) -> None:
    def names(**kwargs: Any) -> list[str]:
        page: Any = participants_op.sync(ACCOUNT_ID, APP_ID, SESSION, client=client, **kwargs)
        return [str(p.display_name) for p in page.data.participants if p is not None]

    everyone = [row["display_name"] for row in sessions.session_participants(SESSION)]
    assert names(per_page=10, page_no=4) == everyone[30:]
    assert names(search="priya") == ["Priya Raman"]
    by_duration = names(sort_by="duration", sort_order="DESC", per_page=200)
    durations = {row["display_name"]: row["duration"] for row in sessions.session_participants(SESSION)}
    assert [durations[name] for name in by_duration] == sorted(durations.values(), reverse=True)
    with_events = participants_op.sync(ACCOUNT_ID, APP_ID, SESSION, client=client, include_peer_events=True)
    first = with_events.data.participants[0]  # type: ignore[union-attr,index]
    assert first is not None and isinstance(first.peer_events, list)
    assert [e.event_name for e in first.peer_events if e is not None] == list(PeerEventName)


BAD_PARTICIPANT_ARGUMENTS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("per_page 0", {"per_page": 0}, ValueError, "per_page must be at least 1"),
    ("per_page 201", {"per_page": 201}, ValueError, "per_page must be at most 200"),
    ("per_page bool", {"per_page": True}, TypeError, "per_page must be an int"),
    ("per_page float", {"per_page": 10.0}, TypeError, "per_page must be an int"),
    ("per_page str", {"per_page": "10"}, TypeError, "per_page must be an int"),
    ("page_no negative", {"page_no": -1}, ValueError, "page_no must be at least 0"),
    ("page_no bool", {"page_no": True}, TypeError, "page_no must be a number"),
    ("page_no nan", {"page_no": float("nan")}, ValueError, "page_no must be a finite number"),
    ("sort_by unknown", {"sort_by": "name"}, ValueError, "sort_by must be one of joinedAt, duration"),
    ("sort_by wrong case", {"sort_by": "joinedat"}, ValueError, "sort_by must be one of"),
    ("sort_order lower case", {"sort_order": "desc"}, ValueError, "sort_order must be one of ASC, DESC"),
    ("view unknown", {"view": "merged"}, ValueError, "view must be one of raw, consolidated"),
    ("view int", {"view": 1}, TypeError, "view must be a ParticipantsView or str"),
    ("search int", {"search": 5}, TypeError, "search must be a str"),
    ("search empty", {"search": ""}, ValueError, "search must not be empty"),
    ("peer events int", {"include_peer_events": 1}, TypeError, "include_peer_events must be True or False"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [c[1:] for c in BAD_PARTICIPANT_ARGUMENTS],
    ids=[c[0] for c in BAD_PARTICIPANT_ARGUMENTS],
)
async def test_invalid_participants_arguments_send_nothing(
    mode: str,
    client: AuthenticatedClient,
    server: LocalServer,
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    for detailed in (False, True):
        with pytest.raises(error, match=message):
            await call(mode, participants_op, ACCOUNT_ID, APP_ID, SESSION, client=client, detailed=detailed, **kwargs)
    if "page_no" not in kwargs:  # the iterators choose the pages; everything else is checked when they are made
        with pytest.raises(error, match=message):
            iter_session_participants(ACCOUNT_ID, APP_ID, SESSION, client=client, **kwargs)
        with pytest.raises(error, match=message):
            aiter_session_participants(ACCOUNT_ID, APP_ID, SESSION, client=client, **kwargs)
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("bad", ["", ".", ".."])
async def test_empty_and_dot_session_ids_raise_before_sending(
    mode: str, client: AuthenticatedClient, server: LocalServer, bad: str
) -> None:
    with pytest.raises(ValueError, match="session_id"):
        await call(mode, participants_op, ACCOUNT_ID, APP_ID, bad, client=client)
    with pytest.raises(ValueError, match="session_id"):
        iter_session_participants(ACCOUNT_ID, APP_ID, bad, client=client)
    assert server.requests == []


# -- the page iterators ------------------------------------------------------------------------------------------


def page_queries(server: LocalServer) -> list[str]:
    assert all(request.valid for request in server.requests), [r.errors for r in server.requests]
    return [request.query for request in server.requests]


async def collect(mode: str, client: AuthenticatedClient, session_id: str, **kwargs: Any) -> list[SessionParticipant]:
    if mode == "sync":
        return list(iter_session_participants(ACCOUNT_ID, APP_ID, session_id, client=client, **kwargs))
    return [p async for p in aiter_session_participants(ACCOUNT_ID, APP_ID, session_id, client=client, **kwargs)]


@pytest.mark.parametrize("mode", MODES)
async def test_the_iterator_walks_several_pages_until_a_short_one(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    server.set_session(OTHER_SESSION, rows(25))
    found = await collect(mode, client, OTHER_SESSION, per_page=10)
    assert [p.id for p in found] == [f"peer-{i:03d}" for i in range(25)]
    assert all(isinstance(p, SessionParticipant) for p in found)
    assert page_queries(server) == ["page_no=1&per_page=10", "page_no=2&per_page=10", "page_no=3&per_page=10"]


@pytest.mark.parametrize("mode", MODES)
async def test_an_exact_multiple_of_the_page_size_ends_with_an_empty_page(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    server.set_session(OTHER_SESSION, rows(20))
    found = await collect(mode, client, OTHER_SESSION, per_page=10)
    assert len(found) == 20
    assert page_queries(server) == ["page_no=1&per_page=10", "page_no=2&per_page=10", "page_no=3&per_page=10"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_server_that_repeats_a_full_page_does_not_loop_forever(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    page = {"success": True, "data": {"participants": rows(10)}}
    for _ in range(20):  # the same ten rows for every page_no
        server.enqueue(200, page)
    found = await collect(mode, client, OTHER_SESSION, per_page=10)
    assert [p.id for p in found] == [f"peer-{i:03d}" for i in range(10)]  # each once
    assert page_queries(server) == ["page_no=1&per_page=10", "page_no=2&per_page=10"]


@pytest.mark.parametrize("mode", MODES)
async def test_rows_that_shift_onto_the_next_page_are_yielded_once(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    everyone = rows(15)
    server.enqueue(200, {"success": True, "data": {"participants": everyone[:10]}})
    server.enqueue(200, {"success": True, "data": {"participants": everyone[8:]}})  # someone joined: 2 rows again
    found = await collect(mode, client, OTHER_SESSION, per_page=10)
    assert [p.id for p in found] == [row["id"] for row in everyone]


@pytest.mark.parametrize("mode", MODES)
async def test_a_server_that_caps_pages_below_the_size_asked_for_loses_nothing(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    """Before: the first page (5 of the 10 asked for) was taken for the last, and 8 of 13 rows were lost."""
    everyone = rows(13)
    for start in (0, 5, 10):
        server.enqueue(200, {"success": True, "data": {"participants": everyone[start : start + 5]}})
    found = await collect(mode, client, OTHER_SESSION, per_page=10)
    assert [p.id for p in found] == [row["id"] for row in everyone]
    assert page_queries(server) == [f"page_no={n}&per_page=10" for n in (1, 2, 3)]  # 3 rows < 5: the end


@pytest.mark.parametrize("mode", MODES)
async def test_an_empty_session_is_one_request(mode: str, client: AuthenticatedClient, server: LocalServer) -> None:
    server.set_session(OTHER_SESSION, [])
    assert await collect(mode, client, OTHER_SESSION) == []
    assert page_queries(server) == ["page_no=1&per_page=100"]


@pytest.mark.parametrize("mode", MODES)
async def test_the_iterator_sends_every_argument_with_every_page(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    found = await collect(
        mode, client, SESSION, per_page=4, search="an", sort_by="joinedAt", sort_order=SortOrder.DESC,
        view="consolidated", include_peer_events=True,
    )  # fmt: skip
    expected = [row for row in reversed(sessions.session_participants(SESSION)) if "an" in row["display_name"].lower()]
    assert [p.display_name for p in found] == [row["display_name"] for row in expected]
    assert all(isinstance(p.peer_events, list) and len(p.peer_events) == 3 for p in found)
    found_count = len(expected)
    pages = 2 if 0 < found_count < 4 else -(-found_count // 4) + (found_count % 4 == 0)
    assert page_queries(server) == [
        f"include_peer_events=true&page_no={n}&per_page=4&search=an&sort_by=joinedAt&sort_order=DESC&view=consolidated"
        for n in range(1, pages + 1)
    ]


def test_the_iterator_is_lazy_and_break_stops_requesting(client: AuthenticatedClient, server: LocalServer) -> None:
    pages = iter_session_participants(ACCOUNT_ID, APP_ID, SESSION, client=client, per_page=10)
    assert server.requests == []  # nothing until the first item is asked for
    seen = []
    for participant in pages:
        seen.append(participant.id)
        assert len(server.requests) == 1 + (len(seen) - 1) // 10  # one page held at a time
        if len(seen) == 12:
            break
    assert seen == list(sessions.PEER_IDS[:12])
    assert page_queries(server) == ["page_no=1&per_page=10", "page_no=2&per_page=10"]
    del pages  # closing it requests nothing either
    assert len(server.requests) == 2


async def test_async_break_stops_requesting(client: AuthenticatedClient, server: LocalServer) -> None:
    pages = aiter_session_participants(ACCOUNT_ID, APP_ID, SESSION, client=client, per_page=10)
    assert server.requests == []
    seen = []
    async for participant in pages:
        seen.append(participant.id)
        if len(seen) == 11:
            break
    await pages.aclose()  # type: ignore[attr-defined]
    assert seen == list(sessions.PEER_IDS[:11])
    assert page_queries(server) == ["page_no=1&per_page=10", "page_no=2&per_page=10"]


@pytest.mark.parametrize("mode", MODES)
async def test_the_default_page_size_is_100_and_null_rows_are_skipped(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    assert [p.id for p in await collect(mode, client, SESSION)] == list(sessions.PEER_IDS)
    # 36 rows: a first page shorter than asked for is confirmed by an empty second page (it could be a cap).
    assert page_queries(server) == ["page_no=1&per_page=100", "page_no=2&per_page=100"]
    server.reset()
    server.set_session(OTHER_SESSION, [])
    server.enqueue(200, {"success": True, "data": {"participants": [None, {"id": "a"}, None]}})
    assert [p.id for p in await collect(mode, client, OTHER_SESSION, per_page=3)] == ["a"]
    assert page_queries(server) == ["page_no=1&per_page=3", "page_no=2&per_page=3"]  # 3 items: a full page


@pytest.mark.parametrize("mode", MODES)
async def test_a_page_that_keeps_failing_raises_after_the_rows_before_it(
    mode: str, client: AuthenticatedClient, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = patch_sleep(monkeypatch)
    server.set_session(OTHER_SESSION, rows(15))
    first_page = {"success": True, "data": {"participants": rows(15)[:10]}}
    server.enqueue(200, first_page)
    for _ in range(3):
        server.enqueue(500, realtimekit_error(500, "Internal server error"))
    seen: list[Any] = []
    with pytest.raises(InternalServerError, match="Internal server error"):
        if mode == "sync":
            for participant in iter_session_participants(ACCOUNT_ID, APP_ID, OTHER_SESSION, client=client, per_page=10):
                seen.append(participant.id)  # noqa: PERF401 - the rows before the failure are the point
        else:
            async for item in aiter_session_participants(ACCOUNT_ID, APP_ID, OTHER_SESSION, client=client, per_page=10):
                seen.append(item.id)
    assert seen == [f"peer-{i:03d}" for i in range(10)]
    assert page_queries(server) == ["page_no=1&per_page=10"] + ["page_no=2&per_page=10"] * 3
    assert len(waits.waits) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_a_page_retried_once_continues_the_walk(
    mode: str, client: AuthenticatedClient, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    server.set_session(OTHER_SESSION, rows(12))
    server.enqueue(503, realtimekit_error(503, "busy"), headers={"Retry-After": "0"})
    assert len(await collect(mode, client, OTHER_SESSION, per_page=10)) == 12
    assert page_queries(server) == ["page_no=1&per_page=10", "page_no=1&per_page=10", "page_no=2&per_page=10"]


# -- GetParticipantDataFromPeerId ---------------------------------------------------------------------------------

PEER_QUERIES: list[tuple[str, dict[str, Any], str]] = [
    ("nothing", {}, ""),
    ("one filter", {"filters": ParticipantFilter.QUALITY_STATS}, "filters=quality_stats"),
    ("filters list", {"filters": ["device_info", ParticipantFilter.EVENTS]}, "filters=device_info,events"),
    ("empty filters", {"filters": []}, ""),
    ("peer events", {"include_peer_events": True}, "include_peer_events=true"),
    ("no peer events", {"include_peer_events": False}, "include_peer_events=false"),
    ("both", {"filters": ["ip_information"], "include_peer_events": True},
     "filters=ip_information&include_peer_events=true"),
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("kwargs", "query"), [c[1:] for c in PEER_QUERIES], ids=[c[0] for c in PEER_QUERIES])
async def test_peer_report_query_on_the_wire(
    mode: str, client: AuthenticatedClient, server: LocalServer, kwargs: dict[str, Any], query: str
) -> None:
    result = await call(mode, peer_report_op, ACCOUNT_ID, APP_ID, PEER, client=client, **kwargs)
    assert isinstance(result, PeerReportResponse)
    participant: Any = result.data.participant  # type: ignore[union-attr]
    assert participant.id == PEER
    assert isinstance(participant.peer_events, list) == (kwargs.get("include_peer_events") is True)
    request = server.last_request
    assert request.target == f"{BASE}/peer-report/{PEER}" + (f"?{query}" if query else "")
    assert request.valid, request.errors


@pytest.mark.parametrize("mode", MODES)
async def test_the_peer_id_is_one_encoded_segment(mode: str, client: AuthenticatedClient, server: LocalServer) -> None:
    response = await call(mode, peer_report_op, ACCOUNT_ID, APP_ID, "p/../x y?#", client=client, detailed=True)
    assert response.status_code == 404  # the stand-in knows no such peer, but the request went where it should
    assert server.last_request.path == f"{BASE}/peer-report/p%2F..%2Fx%20y%3F%23"


BAD_PEER_ARGUMENTS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("unknown filter", {"filters": ["device_info", "video"]}, ValueError, "'video'"),
    ("comma string", {"filters": "device_info,events"}, ValueError, "filters"),
    ("int filter", {"filters": 1}, TypeError, "filters"),
    ("peer events as string", {"include_peer_events": "true"}, TypeError, "include_peer_events"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("kwargs", "error", "message"), [c[1:] for c in BAD_PEER_ARGUMENTS], ids=[c[0] for c in BAD_PEER_ARGUMENTS]
)
async def test_invalid_peer_report_arguments_send_nothing(
    mode: str,
    client: AuthenticatedClient,
    server: LocalServer,
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    for detailed in (False, True):
        with pytest.raises(error, match=message):
            await call(mode, peer_report_op, ACCOUNT_ID, APP_ID, PEER, client=client, detailed=detailed, **kwargs)
    with pytest.raises(ValueError, match="peer_id"):
        await call(mode, peer_report_op, ACCOUNT_ID, APP_ID, "", client=client)
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_large_peer_report_parses_completely(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    body = sessions.large_peer_report(3000)
    server.enqueue(200, body)
    result = await call(mode, peer_report_op, ACCOUNT_ID, APP_ID, PEER, client=client)
    assert isinstance(result, PeerReportResponse)
    quality: Any = result.data.participant.peer_report.quality  # type: ignore[union-attr]
    for name in ("audio_producer", "audio_consumer", "video_producer", "video_consumer", "screenshare_audio_producer",
                 "screenshare_audio_consumer", "screenshare_video_producer", "screenshare_video_consumer"):  # fmt: skip
        series = getattr(quality, name)
        assert len(series) == 3000 and all(sample is not None for sample in series), name
        assert getattr(quality, f"{name}_cumulative") is not None, name
    video = quality.video_producer[2999]
    assert isinstance(video, VideoProducerSample) and isinstance(video.timestamp, datetime.datetime)
    assert {s.quality_limitation_reason for s in quality.video_producer} == set(QualityLimitationReason)
    assert same_json(result.to_dict(), body)  # every key and value, nothing dropped or added


# -- forgiving parsing of the new models ----------------------------------------------------------------------------


def peer_body(*edits: tuple[str, Any]) -> dict[str, Any]:
    """A demo peer report with values set at dotted paths ("data.participant.peer_report.quality.audio_producer.0")."""
    body = sessions.peer_report(PEER)
    for path, value in edits:
        *parents, last = path.split(".")
        node: Any = body
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return body


def at(obj: Any, path: str) -> Any:
    for key in path.split("."):
        if isinstance(obj, list):
            obj = obj[int(key)]
        elif isinstance(obj, dict):
            obj = obj[key]
        else:
            obj = getattr(obj, f"api_{key}" if key[0].isdigit() else key)
    return obj


R = "data.participant.peer_report"
NULL_PATHS = [
    "data.participant",
    f"{R}",
    f"{R}.metadata",
    f"{R}.metadata.browser_metadata.webgl_support",
    f"{R}.metadata.candidate_pairs.producing_transport.0",
    f"{R}.metadata.candidate_pairs.producing_transport.0.nominated",
    f"{R}.metadata.events.0.metadata.audio",
    f"{R}.metadata.events.1",
    f"{R}.metadata.device_info.cpus",
    f"{R}.quality",
    f"{R}.quality.audio_producer",
    f"{R}.quality.audio_producer.3",
    f"{R}.quality.video_producer.0.quality_limitation_durations",
    f"{R}.quality.video_producer.0.quality_limitation_reason",
    f"{R}.quality.video_consumer.2.timestamp",
    f"{R}.quality.video_producer_cumulative.packet_loss.5_or_greater_event_fraction",
    f"{R}.quality.audio_consumer_cumulative.jitter_buffer_delay.100ms_or_greater_event_fraction",
    f"{R}.quality.video_consumer_cumulative.issues",
]


@pytest.mark.parametrize("path", NULL_PATHS)
def test_null_parses_to_none_anywhere_in_a_peer_report(
    client: AuthenticatedClient, server: LocalServer, path: str
) -> None:
    body = peer_body((path, None))
    server.enqueue(200, body)
    result = peer_report_op.sync(ACCOUNT_ID, APP_ID, PEER, client=client)
    assert at(result, path) is None
    assert same_json(result.to_dict(), body)


def test_digit_keys_have_readable_names_and_keep_their_wire_names(client: AuthenticatedClient) -> None:
    result = peer_report_op.sync(ACCOUNT_ID, APP_ID, PEER, client=client)
    loss = result.data.participant.peer_report.quality.audio_producer_cumulative.packet_loss  # type: ignore[union-attr]
    body = sessions.peer_report(PEER)
    wire = body["data"]["participant"]["peer_report"]["quality"]["audio_producer_cumulative"]["packet_loss"]
    assert loss.api_5_or_greater_event_fraction == wire["5_or_greater_event_fraction"]  # type: ignore[union-attr]
    assert loss.to_dict() == wire  # type: ignore[union-attr]


def test_unknown_keys_and_enum_values_are_kept(client: AuthenticatedClient, server: LocalServer) -> None:
    body = peer_body(
        (f"{R}.quality.video_producer.4.quality_limitation_reason", "thermal"),
        (f"{R}.quality.video_producer.4.x_encoder", {"name": "av1", "hw": True}),
        (f"{R}.quality.x_new_series", [{"a": 1}]),
        (f"{R}.metadata.events.0.metadata.x_list_free_map", "ok"),
        ("data.participant.peer_events.0.event_name", "PEER_RECONNECTING"),
        ("data.participant.peer_events.0.preset_view_type", "BREAKOUT_ROOM"),
        ("data.x_paging", {"total_count": 36}),
    )
    server.enqueue(200, body)
    result = peer_report_op.sync(ACCOUNT_ID, APP_ID, PEER, client=client)
    sample = at(result, f"{R}.quality.video_producer.4")
    assert sample.quality_limitation_reason == "thermal" and not sample.quality_limitation_reason.is_known
    assert isinstance(sample.quality_limitation_reason, QualityLimitationReason)
    assert sample.additional_properties == {"x_encoder": {"name": "av1", "hw": True}}
    assert at(result, f"{R}.quality").additional_properties == {"x_new_series": [{"a": 1}]}
    assert at(result, f"{R}.metadata.events.0.metadata")["x_list_free_map"] == "ok"
    event = at(result, "data.participant.peer_events.0")
    assert event.event_name == "PEER_RECONNECTING" and isinstance(event.event_name, PeerEventName)
    assert event.preset_view_type == "BREAKOUT_ROOM" and isinstance(event.preset_view_type, PresetViewType)
    assert result.data.additional_properties == {"x_paging": {"total_count": 36}}  # type: ignore[union-attr]
    assert same_json(result.to_dict(), body)


@pytest.mark.parametrize("mode", MODES)
async def test_session_participant_rows_parse_forgivingly(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    participants = sessions.session_participants(SESSION)[:3]
    participants[0] = {**participants[0], "duration": None, "left_at": "2026-11-20T19:32:11+05:30", "x_new": 1}
    participants[1] = {**participants[1], "preset_name": None, "joined_at": "2026-11-20T14:02:11"}
    participants[2]["peer_events"][2]["preset_view_type"] = "BREAKOUT_ROOM"
    body = {"success": True, "data": {"participants": [*participants, None]}, "paging": {"total_count": 36}}
    server.enqueue(200, body)
    result = await call(mode, participants_op, ACCOUNT_ID, APP_ID, SESSION, client=client)
    rows_ = result.data.participants
    assert rows_[0].duration is None and rows_[0].additional_properties == {"x_new": 1}
    assert rows_[0].left_at == datetime.datetime(2026, 11, 20, 14, 2, 11, tzinfo=datetime.UTC)
    assert rows_[1].joined_at.tzinfo is not None and rows_[1].preset_name is None
    assert rows_[2].peer_events[2].preset_view_type == "BREAKOUT_ROOM"
    assert rows_[3] is None
    assert result.additional_properties == {"paging": {"total_count": 36}}
    assert result.data.participants[2].custom_participant_id is not UNSET
    assert same_json(result.to_dict(), body)


PARSE_ERRORS = [
    ("a number is a string", peer_report_op, peer_body((f"{R}.quality.video_producer.2.frame_width", "wide")),
     "$.data.participant.peer_report.quality.video_producer[2].frame_width", "wide"),
    ("a timestamp is a number", peer_report_op, peer_body((f"{R}.quality.audio_consumer.7.timestamp", 1732111331)),
     "$.data.participant.peer_report.quality.audio_consumer[7].timestamp", 1732111331),
    ("a series is an object", peer_report_op, peer_body((f"{R}.quality.audio_producer", {"0": {}})),
     "$.data.participant.peer_report.quality.audio_producer", {"0": {}}),
    ("a boolean is a string", peer_report_op,
     peer_body((f"{R}.metadata.candidate_pairs.consuming_transport.0.nominated", "yes")),
     "$.data.participant.peer_report.metadata.candidate_pairs.consuming_transport[0].nominated", "yes"),
    ("a row's duration is text", participants_op,
     {"data": {"participants": [{"id": "a"}, {"id": "b", "duration": "long"}]}},
     "$.data.participants[1].duration", "long"),
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("operation", "body", "path", "value"), [c[1:] for c in PARSE_ERRORS], ids=[c[0] for c in PARSE_ERRORS]
)
async def test_unreadable_bodies_name_the_json_path(
    mode: str,
    client: AuthenticatedClient,
    server: LocalServer,
    operation: ModuleType,
    body: dict[str, Any],
    path: str,
    value: Any,
) -> None:
    server.enqueue(200, body)
    last_id = PEER if operation is peer_report_op else SESSION
    with pytest.raises(ResponseParseError) as caught:
        await call(mode, operation, ACCOUNT_ID, APP_ID, last_id, client=client)
    assert caught.value.path == path and path in str(caught.value)
    assert caught.value.value == value
    assert caught.value.status_code == 200 and caught.value.body == json.dumps(body).encode()


# -- errors and retries -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_peer_and_session_are_not_found(
    mode: str, client: AuthenticatedClient, server: LocalServer
) -> None:
    with pytest.raises(NotFoundError, match="Peer not found") as peer:
        await call(mode, peer_report_op, ACCOUNT_ID, APP_ID, "00000000-0000-4000-8000-000000000000", client=client)
    assert peer.value.status_code == 404 and peer.value.cf_ray
    with pytest.raises(NotFoundError, match="Session not found"):
        await call(mode, participants_op, ACCOUNT_ID, APP_ID, OTHER_SESSION, client=client)
    with pytest.raises(NotFoundError, match="Session not found"):
        await collect(mode, client, OTHER_SESSION)
    assert len(server.requests) == 3  # a 404 is not retried
    detailed = await call(mode, peer_report_op, ACCOUNT_ID, APP_ID, "nobody", client=client, detailed=True)
    assert detailed.status_code == 404 and detailed.parsed.error.message == "Peer not found"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation", [peer_report_op, participants_op], ids=["peer report", "participants"])
async def test_transient_failures_are_retried(
    mode: str, client: AuthenticatedClient, server: LocalServer, monkeypatch: pytest.MonkeyPatch, operation: ModuleType
) -> None:
    waits = patch_sleep(monkeypatch)
    server.enqueue(503, realtimekit_error(503, "busy"))
    server.enqueue(429, realtimekit_error(429, "slow down"), headers={"Retry-After": "2"})
    last_id = PEER if operation is peer_report_op else SESSION
    result = await call(mode, operation, ACCOUNT_ID, APP_ID, last_id, client=client, include_peer_events=True)
    assert isinstance(result, PeerReportResponse | SessionParticipantsResponse)
    assert len(server.requests) == 3 and len({r.target for r in server.requests}) == 1
    assert len(waits.waits) == 2 and waits.waits[1] == 2.0
    server.reset()
    for _ in range(3):
        server.enqueue(502, "<html><body>502 Bad Gateway</body></html>")
    with pytest.raises(InternalServerError) as caught:
        await call(mode, operation, ACCOUNT_ID, APP_ID, last_id, client=client)
    assert caught.value.status_code == 502 and len(server.requests) == 3
