"""Forgiving, loss-free parsing of whatever the server sends: nulls, unknown keys and enum values, integer numbers,
every timestamp form, and one clear error (with the JSON path, the value and the raw body) for what cannot be read.

Every case goes through the public functions over real HTTP to the local server, sync and async.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from realtimekit_client import AuthenticatedClient, RealtimeKitError, ResponseParseError
from realtimekit_client._parsing import parse_datetime
from realtimekit_client.api.sessions import get_participant_details
from realtimekit_client.models import (
    ParticipantDetailsResponse,
    PeerEventName,
    PresetViewType,
)
from realtimekit_client.types import UNSET

from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer, example_participant

Fetch = Callable[[Any], ParticipantDetailsResponse]
UTC = datetime.UTC


@pytest.fixture(params=["sync", "async"])
def fetch(request: pytest.FixtureRequest, server: LocalServer) -> Fetch:
    """Serve a body (dict/list/str/bytes) once and fetch it with the public sync or async function."""

    def run(body: Any) -> ParticipantDetailsResponse:
        server.enqueue(200, body)
        client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
        if request.param == "sync":
            result = get_participant_details.sync(*IDS, client=client)
        else:
            result = asyncio.run(get_participant_details.asyncio(*IDS, client=client))
        assert isinstance(result, ParticipantDetailsResponse)
        return result

    return run


def body_with(*edits: tuple[str, Any]) -> dict[str, Any]:
    """The example body with values set at dotted paths ("data.participant.peer_stats", "...quality_stats.0")."""
    body = copy.deepcopy(example_participant())
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
    """Follow a dotted path through models (attributes), dicts (keys) and lists (indexes)."""
    for key in path.split("."):
        if isinstance(obj, list):
            obj = obj[int(key)]
        elif isinstance(obj, dict):
            obj = obj[key]
        else:
            obj = getattr(obj, "type_" if key == "type" else key)
    return obj


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


P = "data.participant"

# -- null anywhere ------------------------------------------------------------------------------------------------

NULL_PATHS = [
    "data",
    f"{P}",
    f"{P}.display_name",
    f"{P}.duration",
    f"{P}.joined_at",
    f"{P}.peer_stats",
    f"{P}.peer_stats.device_info",
    f"{P}.peer_stats.device_info.cpus",
    f"{P}.peer_stats.device_info.is_mobile",
    f"{P}.peer_stats.events",
    f"{P}.peer_stats.events.1.timestamp",
    f"{P}.peer_stats.precall_network_information.throughtput",
    f"{P}.quality_stats",
    f"{P}.quality_stats.1",
    f"{P}.quality_stats.0.audio_stats",
    f"{P}.quality_stats.0.audio_stats.1.quality",
    f"{P}.quality_stats.2.video_stats.0.timestamp",
    f"{P}.peer_events.0.event_name",
    f"{P}.peer_events.1.preset_view_type",
    "success",
]


@pytest.mark.parametrize("path", NULL_PATHS)
def test_null_parses_to_none_at_every_level(fetch: Fetch, path: str) -> None:
    body = body_with((path, None))
    result = fetch(body)
    assert at(result, path) is None
    assert same_json(result.to_dict(), body)


def test_absent_fields_are_unset_not_none(fetch: Fetch) -> None:
    result = fetch({"data": {"participant": {"id": "p-1"}}})
    participant = at(result, P)
    assert participant.id == "p-1"
    assert participant.peer_stats is UNSET and participant.quality_stats is UNSET
    assert result.success is UNSET
    assert result.to_dict() == {"data": {"participant": {"id": "p-1"}}}


# -- unknown keys kept at every level -----------------------------------------------------------------------------

UNKNOWN_KEY_PARENTS = [
    "",
    "data",
    P,
    f"{P}.peer_stats",
    f"{P}.peer_stats.device_info",
    f"{P}.peer_stats.events.0",
    f"{P}.peer_stats.ip_information",
    f"{P}.peer_stats.precall_network_information",
    f"{P}.quality_stats.1",
    f"{P}.quality_stats.1.audio_stats.0",
    f"{P}.quality_stats.2.video_stats.1",
    f"{P}.peer_events.2",
]


@pytest.mark.parametrize("parent", UNKNOWN_KEY_PARENTS)
def test_unknown_keys_are_kept_and_written_back(fetch: Fetch, parent: str) -> None:
    extra = {"nested": {"a": [1, 2.5, None]}, "flag": True}
    key = "x_new_field"
    body = body_with((f"{parent}.{key}" if parent else key, extra))
    result = fetch(body)
    model = at(result, parent) if parent else result
    assert model.additional_properties == {key: extra}
    assert model[key] == extra
    assert same_json(result.to_dict(), body)


# -- enums grow ---------------------------------------------------------------------------------------------------


def test_unknown_enum_values_are_kept_and_known_ones_are_members(fetch: Fetch) -> None:
    body = body_with(
        (f"{P}.peer_events.0.event_name", "PEER_RECONNECTING"),
        (f"{P}.peer_events.0.preset_view_type", "BREAKOUT_ROOM"),
    )
    result = fetch(body)
    events = at(result, f"{P}.peer_events")
    # An unlisted value is a value of the enum's type that equals the raw string and says it is not listed.
    assert events[0].event_name == "PEER_RECONNECTING" and isinstance(events[0].event_name, PeerEventName)
    assert events[0].event_name.value == "PEER_RECONNECTING" and not events[0].event_name.is_known
    assert events[0].event_name not in list(PeerEventName)
    assert events[0].preset_view_type == "BREAKOUT_ROOM" and str(events[0].preset_view_type) == "BREAKOUT_ROOM"
    assert events[1].event_name is not None and events[1].event_name.is_known
    assert events[1].event_name is PeerEventName.PEER_JOINING
    assert events[1].preset_view_type is PresetViewType.GROUP_CALL
    written = result.to_dict()["data"]["participant"]["peer_events"]
    assert written[0]["event_name"] == "PEER_RECONNECTING" and written[0]["preset_view_type"] == "BREAKOUT_ROOM"
    assert type(written[1]["event_name"]) is str and written[1]["event_name"] == "PEER_JOINING"


# -- numbers ------------------------------------------------------------------------------------------------------


def test_integers_and_floats_where_numbers_are_declared(fetch: Fetch) -> None:
    body = body_with(
        (f"{P}.peer_stats.device_info.cpus", 8),
        (f"{P}.peer_stats.device_info.memory", 7.5),
        (f"{P}.duration", 12.5),
        (f"{P}.quality_stats.0.average_quality", 4),
    )
    result = fetch(body)
    assert at(result, f"{P}.peer_stats.device_info.cpus") == 8
    assert at(result, f"{P}.duration") == 12.5
    assert at(result, f"{P}.quality_stats.0.average_quality") == 4
    assert same_json(result.to_dict(), body)


# -- timestamps ---------------------------------------------------------------------------------------------------

TIMESTAMPS = [
    ("2026-11-20T14:02:11Z", datetime.datetime(2026, 11, 20, 14, 2, 11, tzinfo=UTC)),
    ("2026-11-20T14:02:11.4Z", datetime.datetime(2026, 11, 20, 14, 2, 11, 400000, tzinfo=UTC)),
    ("2026-11-20T14:02:11.482Z", datetime.datetime(2026, 11, 20, 14, 2, 11, 482000, tzinfo=UTC)),
    ("2026-11-20T14:02:11.482913Z", datetime.datetime(2026, 11, 20, 14, 2, 11, 482913, tzinfo=UTC)),
    # Past microseconds: to the nearest microsecond, as the `fast` extra reads it (carrying into the next second).
    ("2026-11-20T14:02:11.482913765Z", datetime.datetime(2026, 11, 20, 14, 2, 11, 482914, tzinfo=UTC)),
    ("2026-11-20T14:02:11.4829134Z", datetime.datetime(2026, 11, 20, 14, 2, 11, 482913, tzinfo=UTC)),
    ("2026-11-20T14:02:59.9999996+00:00", datetime.datetime(2026, 11, 20, 14, 3, 0, tzinfo=UTC)),
    ("2026-11-20T19:32:11+05:30", datetime.datetime(2026, 11, 20, 14, 2, 11, tzinfo=UTC)),
    ("2026-11-20T06:02:11.25-08:00", datetime.datetime(2026, 11, 20, 14, 2, 11, 250000, tzinfo=UTC)),
    ("2026-11-20T14:02:11", datetime.datetime(2026, 11, 20, 14, 2, 11, tzinfo=UTC)),  # no offset: UTC
    ("2026-11-20T24:00:00Z", datetime.datetime(2026, 11, 21, 0, 0, 0, tzinfo=UTC)),  # only dateutil reads this
]


@pytest.mark.parametrize(("text", "instant"), TIMESTAMPS, ids=[t for t, _ in TIMESTAMPS])
@pytest.mark.parametrize(
    "path", [f"{P}.joined_at", f"{P}.quality_stats.1.audio_stats.0.timestamp", f"{P}.peer_events.2.created_at"]
)
def test_timestamps_become_aware_datetimes(fetch: Fetch, path: str, text: str, instant: datetime.datetime) -> None:
    result = fetch(body_with((path, text)))
    parsed = at(result, path)
    assert isinstance(parsed, datetime.datetime) and parsed.tzinfo is not None
    assert parsed == instant
    written = at(result.to_dict(), path)
    # RFC 3339: full date, "T", time and an explicit offset, and the same instant.
    assert written[10] == "T" and (written.endswith("Z") or written[-6] in "+-")
    assert datetime.datetime.fromisoformat(written) == instant


# -- what cannot be read ------------------------------------------------------------------------------------------

BAD_BODIES: list[tuple[str, Any, str, Any]] = [
    # (case, body, path named in the error, offending value)
    ("html page", "<html><body>502 Bad Gateway</body></html>", "$", None),
    ("truncated json", b'{"data": {"participant": {"id": "p', "$", None),
    ("top-level list", [{"data": {}}], "$", [{"data": {}}]),
    ("top-level string", "just text", "$", None),
    ("data is a string", {"data": "x", "success": True}, "$.data", "x"),
    ("participant is a list", {"data": {"participant": []}}, "$.data.participant", []),
    ("peer_stats is a string", body_with((f"{P}.peer_stats", "n/a")), "$.data.participant.peer_stats", "n/a"),
    (
        "device_info is a number",
        body_with((f"{P}.peer_stats.device_info", 3)),
        "$.data.participant.peer_stats.device_info",
        3,
    ),
    ("quality_stats is an object", body_with((f"{P}.quality_stats", {})), "$.data.participant.quality_stats", {}),
    (
        "a quality_stats item is a string",
        body_with((f"{P}.quality_stats.1", "x")),
        "$.data.participant.quality_stats[1]",
        "x",
    ),
    (
        "a timestamp that rounds past year 9999",
        body_with((f"{P}.joined_at", "9999-12-31T23:59:59.9999999Z")),
        "$.data.participant.joined_at",
        "9999-12-31T23:59:59.9999999Z",
    ),
    (
        "an audio_stats item is a number",
        body_with((f"{P}.quality_stats.2.audio_stats.1", 5)),
        "$.data.participant.quality_stats[2].audio_stats[1]",
        5,
    ),
    (
        "a number is a string",
        body_with((f"{P}.peer_stats.device_info.cpus", "eight")),
        "$.data.participant.peer_stats.device_info.cpus",
        "eight",
    ),
    ("a boolean is a string", body_with(("success", "yes")), "$.success", "yes"),
    (
        "a timestamp nobody can read",
        body_with((f"{P}.quality_stats.0.video_stats.1.timestamp", "yesterday")),
        "$.data.participant.quality_stats[0].video_stats[1].timestamp",
        "yesterday",
    ),
    (
        "a timestamp is a number",
        body_with((f"{P}.peer_events.1.created_at", 1732111331)),
        "$.data.participant.peer_events[1].created_at",
        1732111331,
    ),
    (
        "an enum is a list",
        body_with((f"{P}.peer_events.0.event_name", ["PEER_JOINING"])),
        "$.data.participant.peer_events[0].event_name",
        ["PEER_JOINING"],
    ),
]


@pytest.mark.parametrize(("case", "body", "path", "value"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_unreadable_bodies_raise_one_error_with_path_value_and_raw_body(
    fetch: Fetch, case: str, body: Any, path: str, value: Any
) -> None:
    with pytest.raises(ResponseParseError) as caught:
        fetch(body)
    error = caught.value
    assert isinstance(error, RealtimeKitError)
    assert error.path == path
    assert path in str(error)
    if value is not None:
        assert error.value == value
        assert repr(value)[:50] in str(error)
    assert error.status_code == 200
    raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
    assert error.body == raw


# -- both generations of the response ----------------------------------------------------------------------------


def test_the_seed_generation_parses(fetch: Fetch) -> None:
    """Until mid-2026: peer_stats and quality_stats, no peer_events, and a `filters` echo."""
    body = copy.deepcopy(example_participant())
    del body["data"]["participant"]["peer_events"]
    body["data"]["filters"] = ["device_info", "quality_stats"]
    result = fetch(body)
    participant = at(result, P)
    assert participant.peer_events is UNSET
    assert participant.peer_stats.device_info.os == "macOS"
    assert participant.quality_stats[0].video_stats[0].frame_height == 720
    assert result.data.additional_properties == {"filters": ["device_info", "quality_stats"]}  # type: ignore[union-attr]
    assert same_json(result.to_dict(), body)


def test_the_current_generation_parses(fetch: Fetch) -> None:
    """Now: peer_events (with nullable ids and view type) and no filters."""
    body = {
        "data": {
            "participant": {
                "id": "p",
                "peer_events": example_participant()[P.split(".")[0]]["participant"]["peer_events"],
            }
        },
        "success": True,
    }
    result = fetch(body)
    events = at(result, f"{P}.peer_events")
    assert [e.minutes_consumed for e in events] == [0, 0, 30.25]
    assert events[0].socket_session_id is None and events[2].preset_view_type is None
    assert same_json(result.to_dict(), body)


def test_from_dict_accepts_any_mapping_and_checks_the_top_level() -> None:
    from types import MappingProxyType

    response = ParticipantDetailsResponse.from_dict(MappingProxyType({"success": False}))
    assert response.success is False
    with pytest.raises(ResponseParseError, match=r"at \$: expected an object"):
        ParticipantDetailsResponse.from_dict([])  # type: ignore[arg-type]


@pytest.mark.parametrize("decoder", ["msgspec", "stdlib"])
def test_integers_past_64_bits_and_odd_json_survive_either_decoder(
    fetch: Fetch, decoder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """msgspec (the `fast` extra) decodes when installed; neither may lose digits or choke on what json reads."""
    import realtimekit_client._parsing as parsing

    if decoder == "stdlib":
        monkeypatch.setattr(parsing, "_json_loads", json.loads)
    else:
        monkeypatch.setattr(parsing, "_json_loads", None)  # looked up again: msgspec, as installed with the dev extra
    big = {"x_big": 123456789012345678901234567890, "x_neg": -9223372036854775809, "x_lone": "\ud800"}
    body = body_with(*((f"{P}.{key}", value) for key, value in big.items()))
    result = fetch(json.dumps(body).encode())
    assert at(result, P).additional_properties == big
    assert same_json(result.to_dict(), body)


@pytest.mark.parametrize("body", [b'{"success": true}', b'{"success": "yes"}', b"not json"])
def test_the_collector_is_held_back_while_a_body_is_read_and_restored_after(body: bytes) -> None:
    """Only the youngest generation is collected during a parse (parse_json_body's docstring says why); the caller's
    thresholds are back afterwards, whether the body parsed or not, and a disabled collector is left alone."""
    import gc

    from realtimekit_client._parsing import parse_json_body

    seen: list[tuple[int, int, int]] = []

    def parse(data: Any) -> Any:
        seen.append(gc.get_threshold())
        return ParticipantDetailsResponse.from_dict(data)

    before, enabled = gc.get_threshold(), gc.isenabled()
    try:
        gc.enable()
        gc.set_threshold(500, 7, 9)
        with contextlib.suppress(ResponseParseError):
            parse_json_body(body, parse)
        assert gc.get_threshold() == (500, 7, 9)
        if body != b"not json":
            assert seen[-1][0] == 500 and seen[-1][1] > 10**6 and seen[-1][2] > 10**6
        gc.disable()
        with contextlib.suppress(ResponseParseError):
            parse_json_body(body, parse)
        assert gc.get_threshold() == (500, 7, 9)
        if body != b"not json":
            assert seen[-1] == (500, 7, 9)
    finally:
        gc.set_threshold(*before)
        if enabled:
            gc.enable()
