"""Error objects: every SDK exception survives pickling whole; server text in a message is shown with control
characters and ANSI escape sequences escaped; an async call's error says exactly what the sync call's says."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from realtimekit_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticatedClient,
    InternalServerError,
    NotFoundError,
    RealtimeKitError,
    ResponseParseError,
)

from tests.stand_in.faults import FaultServer
from tests.stand_in.ids import IDS, TOKEN
from tests.stand_in.server import cloudflare_error, realtimekit_error
from tests.support import SleepRecorder, fetch, free_port

pytestmark = pytest.mark.anyio

ESCAPES = "\x1b[2J\x1b[31mpwned\x1b[0m\x07\x08"
SHOWN = "\\x1b[2J\\x1b[31mpwned\\x1b[0m\\x07\\x08"
OPERATION_PATH = "accounts/{}/realtime/kit/{}/sessions/{}/participants/{}".format(*IDS)


async def error_of(mode: str, client: AuthenticatedClient, **kwargs: Any) -> RealtimeKitError:
    with pytest.raises(RealtimeKitError) as caught:
        await fetch(mode, client, *IDS, **kwargs)
    return caught.value


# -- pickling ------------------------------------------------------------------------------------------------------

ATTRIBUTES = ("status_code", "codes", "messages", "cf_ray", "body", "request_url", "path", "value", "reason")


def script(faults: FaultServer, case: str) -> None:
    if case == "404":
        faults.reply(404, realtimekit_error(404, "Participant not found"), headers={"cf-ray": "8f0c1d2e3a4b5c6d-SIN"})
    elif case == "503":
        faults.reply(503, cloudflare_error(7010, "Service unavailable"), headers={"Retry-After": "0"})
    elif case == "redirect":
        faults.reply(302, b"", headers={"Location": "https://elsewhere.example/"})
    elif case == "success false":
        faults.reply(200, cloudflare_error(7003, "Could not route"))
    elif case == "parse":
        faults.reply(200, {"success": True, "data": "not an object"})
    elif case == "timeout":
        faults.hold(1.0)


PICKLED = [
    ("404", NotFoundError),
    ("503", InternalServerError),
    ("redirect", APIStatusError),
    ("success false", APIStatusError),
    ("parse", ResponseParseError),
    ("timeout", APITimeoutError),
    ("refused", APIConnectionError),
    ("closed", RealtimeKitError),
]


@pytest.mark.parametrize(("case", "cls"), PICKLED, ids=[c[0] for c in PICKLED])
async def test_every_sdk_error_pickles_whole(
    mode: str, faults: FaultServer, waits: SleepRecorder, case: str, cls: type[RealtimeKitError]
) -> None:
    """Before: a status error could be pickled but not unpickled (TypeError: missing argument 'body')."""
    base_url = f"http://127.0.0.1:{free_port()}/client/v4" if case == "refused" else faults.base_url
    # A short timeout only where a timeout is the case: on a busy machine 0.2 s can pass before any reply.
    timeout = 0.2 if case == "timeout" else 30.0
    client = AuthenticatedClient(base_url=base_url, token=TOKEN, timeout=timeout, max_retries=0)
    if case == "closed":
        client.close()
    script(faults, case)
    error = await error_of(mode, client)
    assert type(error) is cls
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == str(error) and copy.args == error.args
    for name in ATTRIBUTES:
        if hasattr(error, name):
            assert getattr(copy, name) == getattr(error, name), name
    if isinstance(error, APIStatusError):
        assert isinstance(copy, APIStatusError)
        assert copy.body == error.body and dict(copy.headers) == dict(error.headers)
        assert copy.parsed == error.parsed


def test_status_errors_built_by_hand_pickle_too() -> None:
    error = NotFoundError(404, b'{"error": {"code": 1, "message": "gone"}}', headers={"cf-ray": "abc-SIN"})
    copy = pickle.loads(pickle.dumps(error, protocol=0))
    assert (type(copy), str(copy), copy.codes, copy.cf_ray) == (NotFoundError, str(error), [1], "abc-SIN")


# -- server text is escaped ----------------------------------------------------------------------------------------

ESCAPED = [
    ("message", 404, realtimekit_error(404, f"Participant {ESCAPES}"), {}, SHOWN),
    ("code", 404, {"success": False, "error": {"code": f"E{ESCAPES}", "message": "x"}}, {}, SHOWN),
    ("cloudflare message", 403, cloudflare_error(9109, f"first {ESCAPES}"), {}, SHOWN),
    ("text body", 500, f"upstream {ESCAPES}".encode(), {"Content-Type": "text/plain"}, SHOWN),
    ("html title", 502, f"<html><title>Bad {ESCAPES}</title></html>".encode(), {"Content-Type": "text/html"}, SHOWN),
    # Header values may carry bytes 0x80-0xff; 0x9b is the C1 control CSI, which some terminals read as ESC [.
    ("location", 302, b"", {"Location": "https://x.example/\x9b2J"}, "https://x.example/\\x9b2J"),
    ("cf-ray", 404, realtimekit_error(404, "gone"), {"cf-ray": "8f0c\x9b31m-SIN"}, "cf-ray 8f0c\\x9b31m-SIN"),
    ("success false", 200, cloudflare_error(7003, f"Could not route {ESCAPES}"), {}, SHOWN),
]


@pytest.mark.parametrize(("status", "body", "headers", "shown"), [c[1:] for c in ESCAPED], ids=[c[0] for c in ESCAPED])
async def test_server_text_is_shown_with_control_characters_escaped(
    mode: str,
    fault_client: AuthenticatedClient,
    faults: FaultServer,
    status: int,
    body: Any,
    headers: dict[str, str],
    shown: str,
) -> None:
    """Before: ESC, BEL and C1 controls from the server went into messages as they were."""
    faults.reply(status, body, headers=headers)
    text = str(await error_of(mode, fault_client.with_max_retries(0)))
    assert text.isprintable(), repr(text)
    assert shown in text


async def test_the_raw_server_text_is_kept_in_the_attributes(
    mode: str, fault_client: AuthenticatedClient, faults: FaultServer
) -> None:
    faults.reply(404, realtimekit_error(404, f"Participant {ESCAPES}"))
    error = await error_of(mode, fault_client)
    assert isinstance(error, NotFoundError)
    assert error.message == f"Participant {ESCAPES}"


# -- async errors say what sync errors say -------------------------------------------------------------------------


def provoke(faults: FaultServer, case: str) -> None:
    if case == "dropped":
        faults.drop()
    elif case == "read timeout":
        faults.hold(1.0)
    elif case == "404":
        faults.reply(404, realtimekit_error(404, "Participant not found"), headers={"cf-ray": "1-SIN"})
    elif case == "redirect":
        faults.reply(301, b"", headers={"Location": "https://elsewhere.example/"})
    elif case == "corrupt gzip":
        faults.reply(200, b"not gzip", headers={"Content-Encoding": "gzip"})


@pytest.mark.parametrize("case", ["refused", "dropped", "read timeout", "404", "redirect", "corrupt gzip"])
async def test_async_errors_carry_the_same_detail_as_sync_ones(faults: FaultServer, case: str) -> None:
    """Before: an async timeout said "(ReadTimeout)" where the sync one said "(ReadTimeout: timed out)", and a
    refused async connection "All connection attempts failed" instead of the operating system's reason."""
    base_url = f"http://127.0.0.1:{free_port()}/client/v4" if case == "refused" else faults.base_url
    timeout = 0.2 if case == "read timeout" else 30.0  # short only where it is the case (busy machines)
    client = AuthenticatedClient(base_url=base_url, token=TOKEN, timeout=timeout, max_retries=0)
    errors = []
    for mode in ("sync", "async"):
        provoke(faults, case)
        errors.append(await error_of(mode, client))
    sync_error, async_error = errors
    assert type(sync_error) is type(async_error)
    assert str(sync_error) == str(async_error)
    assert type(sync_error.__cause__) is type(async_error.__cause__)
    if isinstance(sync_error, APIConnectionError) and isinstance(async_error, APIConnectionError):
        assert sync_error.request_url == async_error.request_url == f"{base_url}/{OPERATION_PATH}"
        assert ": " in str(sync_error).split(" after 1 attempt ", 1)[1]  # a reason, not a bare type name
