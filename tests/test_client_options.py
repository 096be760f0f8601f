"""Headers and options: headers merge case-insensitively (exactly one of each on the wire, the caller's value
winning), and every client option is checked when the client is built, naming the option and never showing the
token."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from realtimekit_client import AuthenticatedClient, RealtimeKitError
from realtimekit_client.api.sessions import get_participant_details

from tests.stand_in.faults import FaultServer
from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import LocalServer
from tests.support import fetch

pytestmark = pytest.mark.anyio


async def test_a_callers_headers_replace_ours_whatever_their_case(mode: str, faults: FaultServer) -> None:
    """Before: "user-agent" and "authorization" went out next to the SDK's "User-Agent" and "Authorization"."""
    client = AuthenticatedClient(
        base_url=faults.base_url,
        token=TOKEN,
        headers={"user-agent": "my-service/2.1", "authorization": "Bearer service-token"},
    )
    await fetch(mode, client, *IDS)
    sent = faults.requests[-1]
    assert sent.header_values("user-agent") == ["my-service/2.1"]
    assert sent.header_values("authorization") == ["Bearer service-token"]


async def test_call_and_copy_headers_replace_earlier_ones_whatever_their_case(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    copy = fault_client.with_headers({"X-Trace": "a"}).with_headers({"x-trace": "b", "USER-AGENT": "copy/1"})
    await fetch(mode, copy, *IDS, extra_headers={"X-TRACE": "c"})
    sent = faults.requests[-1]
    assert sent.header_values("x-trace") == ["c"]
    assert sent.header_values("user-agent") == ["copy/1"]
    assert sent.header_values("authorization") == [f"Bearer {TOKEN}"]
    assert len(sent.headers) == len({name.lower() for name, _ in sent.headers})  # no header twice


async def test_a_custom_auth_header_and_an_empty_prefix(mode: str, faults: FaultServer) -> None:
    client = AuthenticatedClient(base_url=faults.base_url, token=TOKEN, prefix="", auth_header_name="X-Auth-Token")
    await fetch(mode, client, *IDS)
    sent = faults.requests[-1]
    assert sent.header_values("x-auth-token") == [TOKEN]
    assert sent.header_values("authorization") == []


BAD_OPTIONS: list[tuple[str, dict[str, Any], type[Exception]]] = [
    ("prefix with a line break", {"prefix": "Bearer\n"}, ValueError),
    ("prefix of two words", {"prefix": "Bearer x"}, ValueError),
    ("prefix not a str", {"prefix": 5}, TypeError),
    ("auth_header_name empty", {"auth_header_name": ""}, ValueError),
    ("auth_header_name with a space", {"auth_header_name": "X Auth"}, ValueError),
    ("auth_header_name with a colon", {"auth_header_name": "X-Auth:"}, ValueError),
    ("timeout negative", {"timeout": -1}, ValueError),
    ("timeout zero", {"timeout": 0}, ValueError),
    ("timeout nan", {"timeout": float("nan")}, ValueError),
    ("timeout a str", {"timeout": "5"}, TypeError),
    ("timeout a bool", {"timeout": True}, TypeError),
    ("max_retries negative", {"max_retries": -1}, ValueError),
    ("headers a list", {"headers": [("X-A", "1")]}, TypeError),
    ("headers value not a str", {"headers": {"X-A": 1}}, TypeError),
    ("headers value with a line break", {"headers": {"X-A": "1\r\nX-Injected: 2"}}, ValueError),
    ("headers name with a space", {"headers": {"X A": "1"}}, ValueError),
    ("cookies value with a semicolon", {"cookies": {"a": "1; b=2"}}, ValueError),
    ("httpx_args headers", {"httpx_args": {"headers": {"X-A": "1"}}}, ValueError),
    ("httpx_args auth", {"httpx_args": {"auth": ("user", "password")}}, ValueError),
    ("httpx_args timeout", {"httpx_args": {"timeout": 5}}, ValueError),
    ("timeout past a year", {"timeout": 1e12}, ValueError),
    ("timeout an int past the float range", {"timeout": 10**400}, ValueError),
    ("timeout with a negative read", {"timeout": httpx.Timeout(5, read=-5)}, ValueError),
    ("timeout with a zero connect", {"timeout": httpx.Timeout(0)}, ValueError),
    ("httpx_args an unknown argument", {"httpx_args": {"bogus": 1}}, TypeError),
    ("verify_ssl a missing CA bundle", {"verify_ssl": "/nonexistent/ca.pem"}, ValueError),
    ("verify_ssl a number", {"verify_ssl": 1}, TypeError),
    ("transport not a transport", {"transport": "x"}, TypeError),
    ("async_transport a sync transport", {"async_transport": httpx.HTTPTransport()}, TypeError),
]


@pytest.mark.parametrize(("kwargs", "error"), [c[1:] for c in BAD_OPTIONS], ids=[c[0] for c in BAD_OPTIONS])
def test_each_option_is_checked_when_the_client_is_built(kwargs: dict[str, Any], error: type[Exception]) -> None:
    """Before: prefix, auth_header_name, timeout, headers and httpx_args failed only at the first call, inside
    httpx (with the token in the message, for a prefix with a line break)."""
    with pytest.raises(error) as caught:
        AuthenticatedClient(base_url="http://127.0.0.1:9/client/v4", token=TOKEN, **kwargs)
    option = next(iter(kwargs))
    assert str(caught.value).startswith(option), str(caught.value)
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value.args)


def test_a_misplaced_token_in_prefix_is_not_shown() -> None:
    with pytest.raises(ValueError, match="prefix") as caught:
        AuthenticatedClient(token=TOKEN, prefix=f"Bearer {TOKEN}")
    assert TOKEN not in str(caught.value)


def test_options_are_checked_on_copies_and_on_assignment() -> None:
    client = AuthenticatedClient(token=TOKEN)
    with pytest.raises(ValueError, match="timeout"):
        client.with_timeout(-1)
    with pytest.raises(ValueError, match="headers"):
        client.with_headers({"X-A": "\x1b[2J"})
    with pytest.raises(ValueError, match="prefix"):
        client.prefix = "Bearer\n"


def test_an_httpx_argument_httpx_refuses_is_an_sdk_error_before_anything_is_sent(server: LocalServer) -> None:
    """Values only httpx can judge are judged when the pool opens: an SDK error, not httpx's AttributeError."""
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, httpx_args={"limits": "x"})
    with pytest.raises(RealtimeKitError, match="cannot open a connection pool .*limits|max_connections"):
        get_participant_details.sync(*IDS, client=client)
    assert server.requests == []


@pytest.mark.parametrize("client", [None, "token", httpx.Client()], ids=["None", "a str", "an httpx.Client"])
def test_client_must_be_an_authenticated_client(client: Any) -> None:
    with pytest.raises(TypeError, match="client must be an AuthenticatedClient"):
        get_participant_details.sync(*IDS, client=client)


def test_the_repr_masks_every_credential_header() -> None:
    """Before: only Authorization, Proxy-Authorization, X-Auth-Key and Cookie were masked."""
    headers = {"X-Api-Key": "key-0123456789", "CF-Access-Client-Secret": "secret-0123456789", "X-Trace": "t-1"}
    client = AuthenticatedClient(token=TOKEN, headers=headers)
    for shown in (repr(client), repr(client.with_headers({"X-Other-Token": "other-0123456789"}))):
        assert "0123456789" not in shown and "X-Trace" in shown and "t-1" in shown


def test_with_options_timeout_none_waits_forever_and_left_out_keeps_the_timeout() -> None:
    """Before: timeout=None meant "keep" in with_options() and "wait forever" everywhere else."""
    client = AuthenticatedClient(token=TOKEN, timeout=5.0)
    assert client.with_options(timeout=None)._timeout is None
    assert client.with_options(max_retries=1)._timeout == 5.0
