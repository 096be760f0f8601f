"""Property tests over real HTTP: any body the document allows (plus unknown keys and nulls) round-trips through the
models; any JSON at all yields a model or the SDK's own error, never a bare TypeError/KeyError/AttributeError."""

from __future__ import annotations

import copy
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema
from realtimekit_client import AuthenticatedClient, RealtimeKitError, ResponseParseError
from realtimekit_client.api.sessions import get_participant_details
from realtimekit_client.models import ParticipantDetailsResponse

from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer, example_participant, load_spec
from tests.test_parsing import same_json

# Shared server and client: hypothesis runs many examples per test, so these are built once per test.
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def json_schema_of(name: str) -> dict[str, Any]:
    """A component schema with every $ref inlined (the document has no cycles), as plain JSON Schema."""
    components = load_spec()["components"]["schemas"]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(components[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items() if key not in ("description", "example")}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    schema: dict[str, Any] = inline(components[name])
    return schema


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def with_noise(draw: st.DrawFn, body: Any) -> Any:
    """The body with some values turned to null and unknown keys (holding any JSON) added to some objects."""
    if isinstance(body, dict):
        noisy = {}
        for key, value in body.items():
            noisy[key] = None if draw(st.integers(0, 9)) == 0 else draw(with_noise(value))
        if draw(st.integers(0, 3)) == 0:
            noisy["x_" + draw(st.text("abcdefgh_", min_size=1, max_size=8))] = draw(json_values)
        return noisy
    if isinstance(body, list):
        return [draw(with_noise(item)) for item in body]
    return body


def fetch(server: LocalServer, client: AuthenticatedClient, body: Any) -> ParticipantDetailsResponse:
    """The parsed 200 body, through sync_detailed(): sync() raises for a body that says "success": false, which
    these properties are not about."""
    server.enqueue(200, body)
    result = get_participant_details.sync_detailed(*IDS, client=client).parsed
    assert isinstance(result, ParticipantDetailsResponse)
    return result


@pytest.fixture
def client(server: LocalServer) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=server.base_url, token=TOKEN)


RESPONSE_SCHEMA = json_schema_of("ParticipantDetailsResponse")


@SETTINGS
@given(data=st.data())
def test_any_allowed_body_with_unknown_keys_and_nulls_round_trips(
    server: LocalServer, client: AuthenticatedClient, data: st.DataObject
) -> None:
    body = data.draw(from_schema(RESPONSE_SCHEMA).flatmap(with_noise), label="body")
    result = fetch(server, client, body)
    assert same_json(result.to_dict(), body), (result.to_dict(), body)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


EXAMPLE = example_participant()
EXAMPLE_PATHS = _paths(EXAMPLE)


@st.composite
def mangled_example(draw: st.DrawFn) -> Any:
    """The example with one value anywhere in its tree replaced by arbitrary JSON."""
    path = draw(st.sampled_from(EXAMPLE_PATHS))
    replacement = draw(json_values)
    if not path:
        return replacement
    body = copy.deepcopy(EXAMPLE)
    node: Any = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = replacement
    return body


@SETTINGS
@given(body=json_values | mangled_example())
def test_any_json_yields_a_model_or_the_sdks_parse_error(
    server: LocalServer, client: AuthenticatedClient, body: Any
) -> None:
    try:
        result = fetch(server, client, body)
    except ResponseParseError as error:
        assert isinstance(error, RealtimeKitError)
        assert error.path.startswith("$") and error.body is not None
    else:
        result.to_dict()  # whatever parsed can be written back
