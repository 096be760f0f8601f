"""Edge cases found in review: bodies nested past the JSON decoder's limit, tokens httpx cannot send, pools shared
by client copies, odd argument values and statuses. Real HTTP against the local server."""

from __future__ import annotations

import json

import pytest
from realtimekit_client import (
    APIStatusError,
    AuthenticatedClient,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    ResponseParseError,
)
from realtimekit_client.api.sessions import get_participant_details
from realtimekit_client.errors import status_error_class

from tests.stand_in.faults import PARTICIPANT, FaultServer
from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer, realtimekit_error

DEEP = b"[" * 100_000 + b"]" * 100_000


def test_a_body_nested_past_the_decoders_limit_is_a_parse_error(
    client: AuthenticatedClient, server: LocalServer
) -> None:
    server.enqueue(200, DEEP)
    with pytest.raises(ResponseParseError) as caught:
        get_participant_details.sync(*IDS, client=client)
    assert caught.value.status_code == 200 and caught.value.body == DEEP
    assert "not JSON" in str(caught.value)


def test_an_error_body_nested_past_the_limit_still_gives_the_status_error(
    client: AuthenticatedClient, server: LocalServer
) -> None:
    server.enqueue(404, DEEP)
    with pytest.raises(NotFoundError) as caught:
        get_participant_details.sync(*IDS, client=client)
    assert caught.value.codes == [] and caught.value.body == DEEP
    server.enqueue(404, DEEP)
    detailed = get_participant_details.sync_detailed(*IDS, client=client)
    assert detailed.status_code == 404 and detailed.parsed is None


@pytest.mark.parametrize("token", ["sekrit\u2603token", "tab\tinside", "trailing ", "new\nline", ""])
def test_a_token_http_cannot_carry_is_refused_without_showing_it(token: str) -> None:
    with pytest.raises(ValueError, match="token") as caught:
        AuthenticatedClient(base_url="http://127.0.0.1/client/v4", token=token)
    if token.strip():
        assert token.strip() not in str(caught.value) and token.strip() not in repr(caught.value.args)


def test_a_copy_with_other_retries_shares_the_pools_even_before_the_first_call(server: LocalServer) -> None:
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN)
    patient = client.with_max_retries(5)
    assert patient.max_retries == 5 and client.max_retries == 2
    assert patient.get_httpx_client() is client.get_httpx_client()
    assert patient.get_async_httpx_client() is client.get_async_httpx_client()
    assert get_participant_details.sync(*IDS, client=patient).success is True


def test_error_codes_with_line_breaks_stay_on_one_line(client: AuthenticatedClient, server: LocalServer) -> None:
    server.enqueue(404, {"success": False, "error": {"code": "E1\nE2", "message": "gone"}})
    with pytest.raises(NotFoundError) as caught:
        get_participant_details.sync(*IDS, client=client)
    assert "\n" not in str(caught.value) and "E1 E2" in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"filters": [1]}, "1"),
        ({"filters": "events,device_info"}, "'events,device_info'"),
        ({"include_peer_events": "yes"}, "'yes'"),
    ],
)
def test_bad_arguments_name_the_bad_value_and_send_nothing(
    client: AuthenticatedClient, server: LocalServer, kwargs: dict[str, object], named: str
) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        get_participant_details.sync(*IDS, client=client, **kwargs)  # type: ignore[arg-type]
    assert named in str(caught.value)
    assert server.requests == []


def test_a_path_parameter_of_the_wrong_type_names_the_value(client: AuthenticatedClient, server: LocalServer) -> None:
    with pytest.raises(TypeError, match=r"participant_id must be a str, got 42"):
        get_participant_details.sync(*IDS[:3], 42, client=client)  # type: ignore[arg-type]
    assert server.requests == []


@pytest.mark.parametrize("base_url", ["http://[::1", "ftp://example.com/client/v4", "/client/v4", "not a url"])
def test_a_bad_base_url_is_refused_when_the_client_is_made(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        AuthenticatedClient(base_url=base_url, token=TOKEN)


def test_only_5xx_statuses_are_server_errors(client: AuthenticatedClient, server: LocalServer) -> None:
    assert status_error_class(599) is InternalServerError
    assert status_error_class(600) is APIStatusError
    server.enqueue(600, realtimekit_error(600, "odd"))
    with pytest.raises(APIStatusError) as caught:
        get_participant_details.sync(*IDS, client=client)
    assert type(caught.value) is APIStatusError and caught.value.status_code == 600


@pytest.mark.parametrize(
    "body",
    [
        {"success": False, "error": "Participant not found"},
        {"success": False, "error": {"code": "PARTICIPANT_NOT_FOUND", "message": "Participant not found"}},
        {"success": False, "errors": [{"code": "7003", "message": "Could not route"}], "messages": [], "result": None},
    ],
    ids=["error-string", "string-code", "string-codes"],
)
def test_error_bodies_in_every_shape_parse_into_the_error_model(
    client: AuthenticatedClient, server: LocalServer, body: dict[str, object]
) -> None:
    from realtimekit_client.models import ErrorDetail, ErrorResponse

    server.enqueue(404, body)
    detailed = get_participant_details.sync_detailed(*IDS, client=client)
    assert isinstance(detailed.parsed, ErrorResponse)
    assert detailed.parsed.to_dict() == body
    if isinstance(body.get("error"), dict):
        assert isinstance(detailed.parsed.error, ErrorDetail) and detailed.parsed.error.code == "PARTICIPANT_NOT_FOUND"
    server.enqueue(404, body)
    with pytest.raises(NotFoundError) as caught:
        get_participant_details.sync(*IDS, client=client)
    assert "not found" in str(caught.value).lower() or "Could not route" in str(caught.value)


def test_an_error_body_that_does_not_fit_still_raises_the_status_error(
    client: AuthenticatedClient, server: LocalServer
) -> None:
    server.enqueue(500, {"success": False, "error": 5}, headers={"Retry-After": "0"})
    detailed = get_participant_details.sync_detailed(*IDS, client=client.with_max_retries(0))
    assert detailed.status_code == 500 and detailed.parsed is None


@pytest.mark.parametrize(
    ("ids", "kwargs", "named"),
    [
        ((*IDS[:3], "p\ud800"), {}, "participant_id"),
        (IDS, {"extra_query": {"x": "\udc00"}}, "extra_query['x']"),
        (IDS, {"extra_query": {"\ud83d": "1"}}, "extra_query name"),
    ],
    ids=["path", "extra_query value", "extra_query name"],
)
def test_a_lone_surrogate_is_refused_naming_the_argument(
    client: AuthenticatedClient, server: LocalServer, ids: tuple[str, ...], kwargs: dict[str, object], named: str
) -> None:
    """Before: UnicodeEncodeError from deep in the URL encoding, naming no argument."""
    with pytest.raises(ValueError, match="not valid Unicode text") as caught:
        get_participant_details.sync(*ids, client=client, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(named)
    assert server.requests == []


def test_a_token_the_server_echoes_is_not_in_the_message(client: AuthenticatedClient, server: LocalServer) -> None:
    server.enqueue(401, {"success": False, "errors": [{"code": 10000, "message": f"bad header Bearer {TOKEN}"}]})
    with pytest.raises(AuthenticationError) as caught:
        get_participant_details.sync(*IDS, client=client)
    assert TOKEN not in str(caught.value) and "bad header Bearer [redacted]" in str(caught.value)
    assert TOKEN.encode() in caught.value.body  # the body is kept as sent


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ({"errors": "Participant not found"}, "| Participant not found"),
        ({"errors": ["Participant not found", "try again"]}, "| Participant not found; try again"),
        ({"message": "Participant not found"}, "| Participant not found"),
        (
            {"error": {"code": 404, "message": ["id is unknown", "session ended"]}},
            "| code 404 | id is unknown; session",
        ),
    ],
    ids=["errors-a-string", "errors-texts", "top-level-message", "message-a-list"],
)
def test_messages_in_looser_error_shapes_reach_the_error(
    client: AuthenticatedClient, server: LocalServer, body: dict[str, object], shown: str
) -> None:
    """Before: these shapes (proxies, gateways, other Cloudflare services) left the message out of the error."""
    server.enqueue(404, body)
    with pytest.raises(NotFoundError) as caught:
        get_participant_details.sync(*IDS, client=client)
    assert shown in str(caught.value) and caught.value.message is not None


@pytest.mark.parametrize("where", ["headers", "with_headers", "extra_headers"])
def test_a_credential_header_the_server_echoes_is_not_in_the_message(
    client: AuthenticatedClient, server: LocalServer, where: str
) -> None:
    secret = f"override-{where}-0123456789"
    header = {"Authorization": f"Bearer {secret}"}
    if where == "headers":
        client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, headers=header)
    elif where == "with_headers":
        client = client.with_headers(header)
    server.enqueue(401, {"success": False, "errors": [{"code": 10000, "message": f"bad header Bearer {secret}"}]})
    with pytest.raises(AuthenticationError) as caught:
        get_participant_details.sync(*IDS, client=client, extra_headers=header if where == "extra_headers" else None)
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert "bad header [redacted]" in str(caught.value)  # the whole header value, scheme included


def test_per_call_credentials_do_not_pile_up_and_the_token_stays_hidden(
    fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    """Before: every per-call key (an idempotency key per request) was kept for the life of the process, and each
    error message scanned them all: calls grew slower without end."""
    from realtimekit_client import errors

    for number in range(300):
        faults.reply(200, PARTICIPANT)
        get_participant_details.sync(
            *IDS, client=fault_client, extra_headers={"X-Idempotency-Key": f"idem-{number:06d}"}
        )
    assert len(errors._secrets) <= 256
    faults.reply(401, {"success": False, "errors": [{"code": 10000, "message": f"bad header Bearer {TOKEN}"}]})
    with pytest.raises(AuthenticationError) as caught:
        get_participant_details.sync(*IDS, client=fault_client)
    assert TOKEN not in str(caught.value)  # the token in use is renewed with each call


def test_event_metadata_of_any_json_shape_does_not_fail_the_peer_report() -> None:
    """Before: one object (or list) among an event's metadata values failed the whole report, so a call could not
    be diagnosed; no source lists those keys or their types."""
    from realtimekit_client import analysis
    from realtimekit_client.models import PeerReportResponse

    from tests.stand_in import sessions

    body = sessions.peer_report(sessions.PEER_IDS[0])
    events = body["data"]["participant"]["peer_report"]["metadata"]["events"]
    events[0]["metadata"] = {"enabled": True, "device": {"label": "USB mic", "ids": [1, 2]}}
    report = PeerReportResponse.from_json(json.dumps(body))
    parsed = report.to_dict()["data"]["participant"]["peer_report"]["metadata"]["events"][0]["metadata"]
    assert parsed == {"enabled": True, "device": {"label": "USB mic", "ids": [1, 2]}}
    assert analysis.diagnose(report).overall is not None
