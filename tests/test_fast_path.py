"""The `fast` extra (msgspec) gives exactly what the forgiving path gives, for every body.

Property tests draw thousands of bodies for the three response models, complete and schema-valid (which the fast
path takes) and broken in every way the forgiving path tolerates or refuses (unknown keys, nulls, unlisted enum
values, naive or over-precise timestamps, integers in number fields, wrong types, missing keys), and compare the
two paths: the same objects, field by field with their types, the same ``to_dict()``, or the same parse error.
"""

from __future__ import annotations

import copy
import datetime
import enum
import json
import logging
from collections.abc import Callable
from typing import Any

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema
from realtimekit_client import ResponseParseError, _fast, _parsing
from realtimekit_client._parsing import parse_json_body
from realtimekit_client.models import ParticipantDetailsResponse, PeerReportResponse, SessionParticipantsResponse

from tests.stand_in import sessions
from tests.stand_in.server import example_participant
from tests.test_parsing_properties import _paths, json_schema_of, json_values

MODELS: list[type[Any]] = [ParticipantDetailsResponse, PeerReportResponse, SessionParticipantsResponse]
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


def same(a: Any, b: Any, where: str = "$") -> None:
    """Equal values of the same types, all the way down (``==`` alone takes 3 for 3.0 and a str enum for a str)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if attrs.has(type(a)):
        for field in attrs.fields(type(a)):
            same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{index}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, enum.Enum):
        assert a.value == b.value and a.is_known == b.is_known, where  # type: ignore[attr-defined]
    elif isinstance(a, datetime.datetime):
        assert a == b and a.utcoffset() == b.utcoffset(), where
        assert type(a.tzinfo) is type(b.tzinfo), f"{where}: {a.tzinfo!r} != {b.tzinfo!r}"
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


class PathCounter:
    """Counts how many bodies the fast path read (to show the tests exercise it, not only the fallback)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fast = self.fallback = 0
        decode = _fast.decode

        def counting(model: type[Any], body: bytes) -> Any:
            result = decode(model, body)
            if result is None:
                self.fallback += 1
            else:
                self.fast += 1
            return result

        monkeypatch.setattr(_fast, "decode", counting)


def compare(model: type[Any], body: bytes) -> None:
    """Both paths on one body: the same objects and JSON, or the same parse error."""
    try:
        fast = model.from_json(body)
    except ResponseParseError as error:
        with pytest.raises(ResponseParseError) as forgiving_error:
            parse_json_body(body, model.from_dict)
        assert (error.path, error.reason) == (forgiving_error.value.path, forgiving_error.value.reason)
        return
    forgiving = parse_json_body(body, model.from_dict)
    same(fast, forgiving)
    assert fast == forgiving
    same(fast.to_dict(), forgiving.to_dict())
    assert json.dumps(fast.to_dict(), default=str) == json.dumps(forgiving.to_dict(), default=str)


# -- bodies -----------------------------------------------------------------------------------------------------


def closed(schema: Any) -> Any:
    """The schema with no keys besides its own, and arrays kept short: bodies the fast path can take (keys left out
    included)."""
    if isinstance(schema, dict):
        out = {key: closed(value) for key, value in schema.items()}
        if isinstance(out.get("properties"), dict):
            out["additionalProperties"] = False
        if out.get("type") == "array" or "items" in out:
            out["maxItems"] = 2
        return out
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    return schema


BREAKAGES: list[Callable[[Any, Any], Any]] = [
    lambda value, draw: None,  # a null where the document has none
    lambda value, draw: draw(json_values),  # any JSON at all
    lambda value, draw: int(value) if isinstance(value, float) and value.is_integer() else value,  # 3.0 -> 3
    lambda value, draw: float(value) if type(value) is int else value,  # 3 -> 3.0
    lambda value, draw: value[:19] if isinstance(value, str) and value[4:5] == "-" and len(value) > 19 else value,
    lambda value, draw: (value[:23] + "4567+00:00") if isinstance(value, str) and value[19:20] == "." else value,
    lambda value, draw: value.lower() + "_NEW" if isinstance(value, str) and value.isupper() else value,  # unlisted
    lambda value, draw: str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value,
]


@st.composite
def broken(draw: st.DrawFn, body: Any) -> Any:
    """A body with one to three places changed: a value broken or replaced, a key removed, or an unknown key added."""
    body = copy.deepcopy(body)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(body)
        path = draw(st.sampled_from(paths[1:] or paths))
        if not path:
            return draw(json_values)
        node: Any = body
        for key in path[:-1]:
            node = node[key]
        action = draw(st.integers(0, len(BREAKAGES) + 1))
        if action < len(BREAKAGES):
            node[path[-1]] = BREAKAGES[action](node[path[-1]], draw)
        elif action == len(BREAKAGES) and isinstance(node, dict):
            del node[path[-1]]  # a key left out (the fast path needs every key)
        elif isinstance(node, dict):
            node["x_" + draw(st.text("abcdefgh_", min_size=1, max_size=8))] = draw(json_values)
    return body


def trimmed(body: Any) -> Any:
    """The body with every array cut to its first two items (a real peer report holds thousands of samples; the
    mutations only need its shape)."""
    if isinstance(body, dict):
        return {key: trimmed(value) for key, value in body.items()}
    if isinstance(body, list):
        return [trimmed(item) for item in body[:2]]
    return body


REAL_BODIES = {
    ParticipantDetailsResponse: example_participant(),
    PeerReportResponse: trimmed(sessions.peer_report(sessions.PEER_IDS[3])),
    SessionParticipantsResponse: {
        "success": True,
        "data": {"participants": sessions.session_participants(sessions.SESSION_ID)[:3]},
    },
}


# -- the tests -------------------------------------------------------------------------------------------------


def test_the_extra_is_installed_for_these_tests() -> None:
    assert _fast.available(), "msgspec is in the dev extra; without it these tests compare nothing"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_real_bodies_take_the_fast_path_with_the_same_result(model: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    counter = PathCounter(monkeypatch)
    compare(model, json.dumps(REAL_BODIES[model]).encode())
    assert counter.fast == 1, "a complete, well-formed body must take the fast path"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_schema_valid_bodies(model: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    counter = PathCounter(monkeypatch)
    strategy = from_schema(closed(json_schema_of(model.__name__)))
    # Drawing from the peer report's 511-key schema is slow; fewer of those keep the file under a minute.
    examples = 100 if model is PeerReportResponse else 300

    @settings(SETTINGS, max_examples=examples)
    @given(body=strategy)
    def check(body: Any) -> None:
        compare(model, json.dumps(body).encode())

    check()
    assert counter.fast > counter.fallback, (counter.fast, counter.fallback)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_broken_bodies(model: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    counter = PathCounter(monkeypatch)

    @SETTINGS
    @given(body=broken(REAL_BODIES[model]))
    def check(body: Any) -> None:
        compare(model, json.dumps(body).encode())

    check()
    assert counter.fallback > 0 and counter.fast > 0, (counter.fast, counter.fallback)


@SETTINGS
@given(body=json_values)
def test_any_json_at_all(body: Any) -> None:
    for model in MODELS:
        compare(model, json.dumps(body).encode())


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda p: p.update(x_new=1), "unknown field `x_new`"),
        (lambda p: p.update(additional_properties={}), "additional_properties"),
        (lambda p: p.update(joined_at="2026-11-20T14:02:11"), "timezone"),
        (lambda p: p.update(duration="30"), "Expected `int | float | null`, got `str`"),
    ],
)
def test_each_fallback_is_logged_with_its_reason(
    change: Callable[[dict[str, Any]], Any],
    reason: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = PathCounter(monkeypatch)
    body = copy.deepcopy(example_participant())
    change(body["data"]["participant"])
    with caplog.at_level(logging.DEBUG, logger="realtimekit_client"):
        compare(ParticipantDetailsResponse, json.dumps(body).encode())
    assert counter.fallback >= 1
    assert any(
        "forgiving path for ParticipantDetailsResponse" in r.message and reason in r.message for r in caplog.records
    ), [r.message for r in caplog.records]


def test_without_msgspec_the_forgiving_path_gives_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    body = json.dumps(example_participant()).encode()
    with_extra = ParticipantDetailsResponse.from_json(body)
    monkeypatch.setattr(_fast, "msgspec", None)
    without = ParticipantDetailsResponse.from_json(body)
    same(with_extra, without)


@pytest.mark.parametrize(
    "stamp",
    ["2024-01-01t00:00:00z", "2024-01-01T00:00:00.1234567z", "2024-01-01T24:00:00Z", "2024-01-01T05:30:00+05:30"],
)
def test_timestamps_dateutil_reads_get_the_standard_librarys_time_zones(stamp: str) -> None:
    """Before: dateutil's tzutc() on the forgiving path where msgspec gives datetime.UTC (equal, but not the same
    type, nor pickled the same)."""
    from realtimekit_client.models import PeerEvent

    body = json.dumps({"created_at": stamp}).encode()
    fast = PeerEvent.from_json(body)
    forgiving = parse_json_body(body, PeerEvent.from_dict)
    assert isinstance(forgiving.created_at, datetime.datetime)
    assert type(forgiving.created_at.tzinfo) is datetime.timezone
    same(fast, forgiving)


def test_a_str_body_with_a_lone_surrogate_reads_the_same_with_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: with msgspec installed, from_json(str) raised "body is not JSON" where json reads it."""
    from realtimekit_client.models import ErrorResponse

    text = '{"success": false, "error": {"code": 404, "message": "bad \ud800 text"}}'
    with_extra = ErrorResponse.from_json(text)
    monkeypatch.setattr(_parsing, "_json_loads", None)
    _fast.use(False)
    try:
        without = ErrorResponse.from_json(text)
    finally:
        _fast.use(True)
    same(with_extra, without)
    assert with_extra.error.message == "bad \ud800 text"  # type: ignore[union-attr]
