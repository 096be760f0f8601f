"""Typed errors from real responses: a class per status from both error body shapes, Cloudflare's HTML pages and
52x statuses, cf-ray surfaced, one-line messages without the token; *_detailed never raises for a status; bodies
that do not parse raise ResponseParseError with the status and raw body."""

from __future__ import annotations

from typing import Any

import pytest
from realtimekit_client import (
    APIConnectionError,
    APIStatusError,
    AuthenticatedClient,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RealtimeKitError,
    ResponseParseError,
    UnprocessableEntityError,
)
from realtimekit_client.models import ErrorResponse

from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer, cloudflare_error, realtimekit_error
from tests.support import fetch, patch_sleep

pytestmark = pytest.mark.anyio

CLASSES: list[tuple[int, type[APIStatusError], str]] = [
    (400, BadRequestError, "Bad Request"),
    (401, AuthenticationError, "Unauthorized"),
    (403, PermissionDeniedError, "Forbidden"),
    (404, NotFoundError, "Not Found"),
    (409, ConflictError, "Conflict"),
    (422, UnprocessableEntityError, "Unprocessable Entity"),
    (429, RateLimitError, "Too Many Requests"),
    (500, InternalServerError, "Internal Server Error"),
    (503, InternalServerError, "Service Unavailable"),
    (418, APIStatusError, "I'm a Teapot"),
]
SHAPES = {"realtimekit": realtimekit_error, "cloudflare": cloudflare_error}

HTML_502 = """<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body>
</html>"""
HTML_520 = """<!DOCTYPE html><html lang="en-US"><head>
<title>example.com | 520: Web server is returning an unknown error</title>
</head><body><p>Ray ID: 8f0c1d2e3a4b5c6d</p></body></html>"""


@pytest.fixture
def once(client: AuthenticatedClient, monkeypatch: pytest.MonkeyPatch) -> AuthenticatedClient:
    """The client without retries, so one scripted response is the whole story."""
    patch_sleep(monkeypatch)
    return client.with_max_retries(0)


def check_one_line_without_token(error: BaseException) -> None:
    for text in (str(error), repr(error)):
        assert TOKEN not in text
    assert "\n" not in str(error) and "\r" not in str(error)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("status", "cls", "reason"), CLASSES, ids=[str(c[0]) for c in CLASSES])
async def test_each_status_raises_its_class_from_each_body_shape(
    mode: str,
    once: AuthenticatedClient,
    server: LocalServer,
    status: int,
    cls: type[APIStatusError],
    reason: str,
    shape: str,
) -> None:
    code = 10000 + status if shape == "cloudflare" else status
    body = SHAPES[shape](code, f"Something about {status}")
    server.enqueue(status, body, headers={"cf-ray": "8f0c1d2e3a4b5c6d-SIN"})
    with pytest.raises(cls) as caught:
        await fetch(mode, once, *IDS)
    error = caught.value
    assert type(error) is cls
    assert isinstance(error, APIStatusError) and isinstance(error, RealtimeKitError)
    assert error.status_code == status
    assert error.codes == [code] and error.code == code
    assert error.messages == [f"Something about {status}"] and error.message == f"Something about {status}"
    assert error.cf_ray == "8f0c1d2e3a4b5c6d-SIN"
    assert error.body == server_body(body)
    assert error.headers["content-type"] == "application/json"
    assert isinstance(error.parsed, ErrorResponse)
    assert (
        str(error) == f"HTTP {status} {reason} | code {code} | Something about {status} | cf-ray 8f0c1d2e3a4b5c6d-SIN"
    )
    check_one_line_without_token(error)


def server_body(body: Any) -> bytes:
    import json

    return json.dumps(body).encode()


async def test_cf_ray_from_the_server_is_surfaced(mode: str, once: AuthenticatedClient, server: LocalServer) -> None:
    server.enqueue(404, realtimekit_error(404, "Participant not found"))
    with pytest.raises(NotFoundError) as caught:
        await fetch(mode, once, *IDS)
    ray = caught.value.cf_ray
    assert ray is not None and ray.endswith("-LCL")
    assert str(caught.value).endswith(f"| cf-ray {ray}")


async def test_the_real_401_from_a_missing_token(mode: str, server: LocalServer) -> None:
    """The local server answers a request without a bearer token like Cloudflare's front door."""
    client = AuthenticatedClient(base_url=server.base_url, token="x", prefix="", auth_header_name="X-Other")
    with pytest.raises(AuthenticationError) as caught:
        await fetch(mode, client, *IDS)
    assert caught.value.codes == [10000]
    assert caught.value.message == "Authentication error"
    assert len(server.requests) == 1


async def test_an_html_502(mode: str, once: AuthenticatedClient, server: LocalServer) -> None:
    server.enqueue(502, HTML_502, headers={"cf-ray": "8f0c1d2e3a4b5c6d-FRA"})
    with pytest.raises(InternalServerError) as caught:
        await fetch(mode, once, *IDS)
    error = caught.value
    assert error.status_code == 502 and error.codes == [] and error.message is None
    assert error.parsed is None and error.body == HTML_502.encode()
    assert str(error) == "HTTP 502 Bad Gateway | page: 502 Bad Gateway | cf-ray 8f0c1d2e3a4b5c6d-FRA"
    check_one_line_without_token(error)


@pytest.mark.parametrize(
    ("status", "reason"),
    [(520, "Web Server Returned an Unknown Error"), (522, "Connection Timed Out"), (524, "A Timeout Occurred")],
)
async def test_cloudflare_edge_statuses(
    mode: str, once: AuthenticatedClient, server: LocalServer, status: int, reason: str
) -> None:
    server.enqueue(status, HTML_520, headers={"cf-ray": "8f0c1d2e3a4b5c6d-SIN"})
    with pytest.raises(InternalServerError) as caught:
        await fetch(mode, once, *IDS)
    error = caught.value
    assert error.status_code == status
    assert str(error) == (
        f"HTTP {status} {reason} | page: example.com | 520: Web server is returning an unknown error"
        " | cf-ray 8f0c1d2e3a4b5c6d-SIN"
    )
    check_one_line_without_token(error)
    server.enqueue(status, b"")
    response = await fetch(mode, once, *IDS, detailed=True)
    assert response.status_code == status and type(response.status_code) is int
    assert response.parsed is None and response.content == b""


async def test_plain_text_and_multi_line_messages_stay_on_one_line(
    mode: str, once: AuthenticatedClient, server: LocalServer
) -> None:
    server.enqueue(500, "upstream\nconnect error or disconnect/reset before headers")
    with pytest.raises(InternalServerError) as caught:
        await fetch(mode, once, *IDS)
    assert str(caught.value).startswith("HTTP 500 Internal Server Error | body: upstream connect error")
    check_one_line_without_token(caught.value)
    server.enqueue(404, realtimekit_error(404, "Participant\nnot found"))
    with pytest.raises(NotFoundError, match="Participant not found") as caught_404:
        await fetch(mode, once, *IDS)
    check_one_line_without_token(caught_404.value)


async def test_several_cloudflare_errors_are_all_reported(
    mode: str, once: AuthenticatedClient, server: LocalServer
) -> None:
    body = {
        "success": False,
        "errors": [{"code": 9109, "message": "Invalid access token"}, {"code": 10000, "message": "Auth error"}],
        "messages": [],
        "result": None,
    }
    server.enqueue(403, body)
    with pytest.raises(PermissionDeniedError) as caught:
        await fetch(mode, once, *IDS)
    assert caught.value.codes == [9109, 10000]
    assert "code 9109, 10000 | Invalid access token; Auth error" in str(caught.value)


# -- *_detailed never raises for a status --------------------------------------------------------------------------

DETAILED: list[tuple[str, int, Any, type | None]] = [
    ("realtimekit 404", 404, realtimekit_error(404, "Participant not found"), ErrorResponse),
    ("cloudflare 401", 401, cloudflare_error(10000, "Authentication error"), ErrorResponse),
    ("html 502", 502, HTML_502, None),
    ("empty 500", 500, b"", None),
    ("json array 400", 400, [1, 2], None),
    ("json string 503", 503, "plain words", None),
    ("odd error object 409", 409, {"error": 12, "errors": "nope"}, None),
    ("teapot", 418, realtimekit_error(418, "short and stout"), ErrorResponse),
]


@pytest.mark.parametrize(("status", "body", "parsed"), [c[1:] for c in DETAILED], ids=[c[0] for c in DETAILED])
async def test_detailed_returns_status_headers_content_and_parsed_body(
    mode: str, once: AuthenticatedClient, server: LocalServer, status: int, body: Any, parsed: type | None
) -> None:
    server.enqueue(status, body)
    response = await fetch(mode, once, *IDS, detailed=True)
    assert response.status_code == status
    assert response.headers["cf-ray"].endswith("-LCL")
    assert isinstance(response.content, bytes)
    if parsed is None:
        assert response.parsed is None
    else:
        assert isinstance(response.parsed, parsed)


async def test_detailed_parses_both_error_shapes(mode: str, once: AuthenticatedClient, server: LocalServer) -> None:
    server.enqueue(404, realtimekit_error(404, "Participant not found"))
    parsed = (await fetch(mode, once, *IDS, detailed=True)).parsed
    assert parsed.success is False and parsed.error.code == 404 and parsed.error.message == "Participant not found"
    server.enqueue(401, cloudflare_error(10000, "Authentication error"))
    parsed = (await fetch(mode, once, *IDS, detailed=True)).parsed
    assert parsed.errors[0].code == 10000 and parsed.messages == []


# -- 2xx bodies that do not parse ----------------------------------------------------------------------------------

UNPARSABLE: list[tuple[str, Any, str]] = [
    ("html", "<html><body>maintenance</body></html>", "not JSON"),
    ("empty", b"", "not JSON"),
    ("invalid utf-8", b'{"data": "\xff"}', "not JSON"),
    ("array", [{"data": {}}], "expected an object"),
    ("null", b"null", "expected an object"),
]


@pytest.mark.parametrize("detailed", [False, True], ids=["plain", "detailed"])
@pytest.mark.parametrize(("body", "reason"), [c[1:] for c in UNPARSABLE], ids=[c[0] for c in UNPARSABLE])
async def test_a_2xx_body_that_is_not_a_json_object(
    mode: str, once: AuthenticatedClient, server: LocalServer, body: Any, reason: str, detailed: bool
) -> None:
    server.enqueue(200, body)
    with pytest.raises(ResponseParseError) as caught:
        await fetch(mode, once, *IDS, detailed=detailed)
    error = caught.value
    assert isinstance(error, RealtimeKitError)
    assert error.status_code == 200 and error.path == "$"
    assert error.body == (
        body if isinstance(body, bytes) else server_body(body) if not isinstance(body, str) else body.encode()
    )
    assert reason in str(error) and str(error).startswith("cannot parse response (HTTP 200) at $:")
    if reason == "not JSON":
        assert isinstance(error.__cause__, ValueError)
    check_one_line_without_token(error)


async def test_a_2xx_object_that_does_not_fit_the_model(
    mode: str, once: AuthenticatedClient, server: LocalServer
) -> None:
    body = {"success": True, "data": "not an object"}
    server.enqueue(200, body)
    with pytest.raises(ResponseParseError) as caught:
        await fetch(mode, once, *IDS)
    assert caught.value.status_code == 200
    assert caught.value.body == server_body(body)
    assert caught.value.path == "$.data"
    assert str(caught.value).startswith("cannot parse response (HTTP 200) at $.data: ")
    check_one_line_without_token(caught.value)


async def test_connection_errors_are_sdk_errors_too(mode: str, once: AuthenticatedClient, server: LocalServer) -> None:
    server.enqueue(drop=True)
    with pytest.raises(RealtimeKitError) as caught:
        await fetch(mode, once, *IDS)
    assert isinstance(caught.value, APIConnectionError)
    check_one_line_without_token(caught.value)
