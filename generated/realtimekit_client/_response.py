# Copied from scripts/generator/runtime/_response.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""Turning an httpx response into what an operation returns: the parsed success body, or the SDK's typed error.

``*_detailed`` functions get ``build_response`` (status, headers, raw body and the parsed body; never raises for a
status); ``sync`` / ``asyncio`` get ``success_or_raise`` (the parsed success body, or the APIStatusError subclass
for the status, carrying codes, messages, cf-ray and the raw body). A 2xx body that does not fit its model raises
ResponseParseError from both, with the status and the raw body: nothing is lost.

A 2xx body that says ``"success": false`` is an error the API reports with the wrong status: ``success_or_raise``
raises it as an APIStatusError with the codes and messages the body carries (a caller of sync() must not get a
"result" with no data); ``build_response`` returns it parsed, ``success`` False, as it returns any other body.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import httpx

from . import errors
from ._parsing import parse_json_body
from .types import Response

S = TypeVar("S")
E = TypeVar("E")

BodyParser = Callable[[bytes], S]
"""Parses a raw success body (a model's ``from_json``, or ``json_parser(converter)``)."""


def json_parser(convert: Callable[[Any], S | None]) -> Callable[[bytes], S]:
    """A body parser for a success body that is not a model (an array, a map, a scalar, a union) and not nullable:
    a JSON ``null`` is a ResponseParseError, as it is for a model's body."""

    def parse(content: bytes) -> S:
        parsed = parse_json_body(content, convert)
        if parsed is None:
            raise errors.ResponseParseError("expected a value, got null", path="$", value=None, body=content)
        return parsed

    return parse


def nullable_json_parser(convert: Callable[[Any], S]) -> Callable[[bytes], S]:
    """A body parser for a success body the document declares nullable: a JSON ``null`` is None."""

    def parse(content: bytes) -> S:
        return parse_json_body(content, convert)

    return parse


class ByStatus(Generic[S]):
    """The success body parsers of an operation whose 2xx responses declare different bodies (a 202 with none, a 200
    with a model): each status is read by the parser of its own declaration, the first in ``parsers`` that covers it
    (exact statuses first, then ranges); a 2xx the document does not declare, by the first one."""

    __slots__ = ("parsers",)

    def __init__(self, parsers: Sequence[tuple[int, int, Callable[[bytes], S]]]) -> None:
        self.parsers = tuple(parsers)

    def for_status(self, status_code: int) -> Callable[[bytes], S]:
        for low, high, parse in self.parsers:
            if low <= status_code <= high:
                return parse
        return self.parsers[0][2]


SuccessParser = Callable[[bytes], S] | ByStatus[S]
"""How an operation reads its 2xx bodies: one parser for all, or one per declared status (ByStatus)."""


def no_body(content: bytes) -> None:
    """The body parser of an operation whose success response has no JSON content."""
    return None


def error_parser(
    models: Sequence[tuple[int, int, Callable[[bytes], E]]],
) -> Callable[[int, bytes], E | None]:
    """A best-effort parser of error bodies: the model documented for the status's range (first match), or None when
    there is none or the body does not fit it. Never raises: an unreadable error body must not hide the status."""

    def parse(status_code: int, content: bytes) -> E | None:
        for low, high, from_json in models:
            if low <= status_code <= high:
                try:
                    return from_json(content)
                except errors.ResponseParseError:
                    return None
        return None

    return parse


def _parse_success(response: httpx.Response, parsers: SuccessParser[S]) -> S:
    parse = parsers.for_status(response.status_code) if isinstance(parsers, ByStatus) else parsers
    try:
        return parse(response.content)
    except errors.ResponseParseError as error:
        error.status_code = response.status_code
        error.body = response.content
        raise


def build_response(
    response: httpx.Response, parse_success: SuccessParser[S], parse_error: Callable[[int, bytes], E | None]
) -> Response[S | E]:
    """Status, headers, raw body and parsed body (the success model on 2xx, the error model or None otherwise)."""
    parsed: S | E | None
    if 200 <= response.status_code <= 299:
        parsed = _parse_success(response, parse_success)
    else:
        parsed = parse_error(response.status_code, response.content)
    return Response(status_code=response.status_code, content=response.content, headers=response.headers, parsed=parsed)


def success_or_raise(
    response: httpx.Response, parse_success: SuccessParser[S], parse_error: Callable[[int, bytes], Any]
) -> S:
    """The parsed success body, or the APIStatusError subclass for the response's status (also for a 2xx whose body
    says ``"success": false``)."""
    if 200 <= response.status_code <= 299:
        parsed = _parse_success(response, parse_success)
        if getattr(parsed, "success", None) is not False:
            return parsed
        # The body carries the error ({"success": false, "errors": [...]}): codes and messages are read from it.
        raise errors.status_error_class(response.status_code)(
            response.status_code, response.content, headers=response.headers, parsed=parsed
        )
    raise errors.status_error_class(response.status_code)(
        response.status_code,
        response.content,
        headers=response.headers,
        parsed=parse_error(response.status_code, response.content),
    )


__all__ = [
    "ByStatus",
    "SuccessParser",
    "build_response",
    "error_parser",
    "json_parser",
    "no_body",
    "nullable_json_parser",
    "success_or_raise",
]
