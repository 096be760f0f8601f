"""Every exception the SDK raises derives from RealtimeKitError.

Why this replaces openapi-python-client's stock errors module: it has one UnexpectedStatus exception. Ours is the
SDK's whole error hierarchy (modelled on the Stainless SDKs): one base class, a status error per documented status
with the code(s), message(s) and cf-ray read from either Cloudflare error body, connection/timeout errors, and the
parse error that carries the raw body.

Two properties hold for every class here. Each one pickles and unpickles whole (class, message and attributes):
worker pools and task queues pickle exceptions, and the subclasses' keyword-only constructors defeat pickle's
default. And text that comes from the server (messages, codes, reason phrases, body excerpts, headers) is shown
through ``one_line()``: control characters and ANSI escape sequences are escaped, so an error printed to a
terminal or written to a log cannot rewrite it. The attributes keep the server's text as it was sent.
"""

from __future__ import annotations

import http
import json
import re
from collections.abc import Mapping
from typing import Any

# Statuses Cloudflare's edge adds to the standard ones (not in http.HTTPStatus).
_CLOUDFLARE_REASONS = {
    520: "Web Server Returned an Unknown Error",
    521: "Web Server Is Down",
    522: "Connection Timed Out",
    523: "Origin Is Unreachable",
    524: "A Timeout Occurred",
    525: "SSL Handshake Failed",
    526: "Invalid SSL Certificate",
    527: "Railgun Error",
    530: "Origin DNS Error",
}
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class RealtimeKitError(Exception):
    """Base class of every error raised by realtimekit_client."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle's default calls cls(*args), which the subclasses' keyword-only constructors cannot take.
        return (_unpickle, (type(self), self.args, self.__dict__))


def _unpickle(cls: type[RealtimeKitError], args: tuple[Any, ...], state: dict[str, Any]) -> RealtimeKitError:
    """An SDK exception rebuilt without its __init__: args (hence the message) and attributes as they were."""
    error = cls.__new__(cls, *args)
    error.__dict__.update(state)
    return error


class APIConnectionError(RealtimeKitError):
    """The request did not get a response (DNS, refused connection, reset...). The httpx error is the cause."""

    def __init__(self, message: str = "Connection error.", *, request_url: str | None = None) -> None:
        self.request_url = request_url
        super().__init__(f"{message} ({request_url})" if request_url else message)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool). The httpx error is the cause."""

    def __init__(self, message: str = "Request timed out.", *, request_url: str | None = None) -> None:
        super().__init__(message, request_url=request_url)


class ResponseParseError(RealtimeKitError):
    """The response body could not be read into the SDK's models.

    Attributes:
        path: JSON path of the offending value, such as ``$.data.participant.peer_stats`` (``$`` for the body).
        value: the offending value (or the undecodable text, shortened).
        status_code: HTTP status of the response, when known.
        body: the raw response body, when known: nothing is lost.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str = "$",
        value: Any = None,
        status_code: int | None = None,
        body: bytes | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.value = value
        self.status_code = status_code
        self.body = body
        super().__init__(reason)

    def __str__(self) -> str:
        where = f" (HTTP {self.status_code})" if self.status_code is not None else ""
        # The path and the reason may quote the server's keys and values.
        return (
            f"cannot parse response{where} at {one_line(self.path, 200)}: {one_line(self.reason, 300)};"
            f" got {one_line(repr(self.value), 200)}"
        )


class APIStatusError(RealtimeKitError):
    """The API answered with a status that is not a success (or with a 2xx whose body says ``"success": false``).

    A 3xx is one too: the SDK never follows a redirect (the token must not travel to whatever the Location names),
    and the message names the Location.

    Attributes:
        status_code: the HTTP status (any integer, also 520-527).
        codes: error codes read from the body (``error.code`` or each ``errors[].code``).
        messages: error messages read from the body, in the same order.
        cf_ray: the ``cf-ray`` response header, which Cloudflare support asks for (None when absent).
        body: the raw response body.
        headers: the response headers.
        parsed: the body as an ErrorResponse model, or None when it is not a JSON error object (for a 2xx whose
            body says ``"success": false``: the operation's success model).
    """

    status_code: int

    def __init__(
        self,
        status_code: int,
        body: bytes,
        *,
        headers: Mapping[str, str] | None = None,
        parsed: Any = None,
        reason_phrase: str = "",
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.parsed = parsed
        self.cf_ray: str | None = _header(self.headers, "cf-ray")
        self.codes, self.messages = _read_error_body(body)
        self.reason_phrase = reason_phrase or reason_phrase_for(status_code)
        super().__init__(self._one_line())

    @property
    def code(self) -> int | str | None:
        """The first error code in the body, if any."""
        return self.codes[0] if self.codes else None

    @property
    def message(self) -> str | None:
        """The first error message in the body, if any."""
        return self.messages[0] if self.messages else None

    @property
    def content(self) -> bytes:
        """The raw body (the name openapi-python-client's UnexpectedStatus uses)."""
        return self.body

    def _one_line(self) -> str:
        reason = one_line(self.reason_phrase, 80)
        head = f"HTTP {self.status_code}" + (f" {reason}" if reason else "")
        if 200 <= self.status_code <= 299:
            head += ' with "success": false'
        parts = [head]
        location = _header(self.headers, "location")
        if 300 <= self.status_code <= 399 and location is not None:
            parts.append(f"redirect to {one_line(location, 200)} (not followed)")
        if self.codes:
            parts.append("code " + one_line(", ".join(str(c) for c in self.codes), 120))
        if self.messages:
            parts.append(one_line("; ".join(self.messages), 300))
        elif self.body and not self.codes:
            title = _TITLE.search(self.body)
            if title:
                from html import unescape  # noqa: PLC0415 - only for HTML error pages; keeps import time low

                parts.append("page: " + one_line(unescape(title.group(1).decode("utf-8", "replace")), 120))
            else:
                parts.append("body: " + one_line(self.body.decode("utf-8", "replace"), 120))
        if self.cf_ray:
            parts.append(f"cf-ray {one_line(self.cf_ray, 80)}")
        return " | ".join(parts)


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    status_code = 409


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429


class InternalServerError(APIStatusError):
    """Any 5xx, Cloudflare's edge statuses 520-527 included."""


# Kept for code written against openapi-python-client's stock name.
UnexpectedStatus = APIStatusError

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def reason_phrase_for(status_code: int) -> str:
    """The standard reason phrase of a status, Cloudflare's 52x included ("" when there is none)."""
    try:
        return http.HTTPStatus(status_code).phrase
    except ValueError:
        return _CLOUDFLARE_REASONS.get(status_code, "")


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific APIStatusError subclass for a status code."""
    if 500 <= status_code <= 599:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


def _read_error_body(body: bytes) -> tuple[list[int | str], list[str]]:
    """Codes and messages from RealtimeKit's ``{"error": {...}}`` or Cloudflare's ``{"errors": [...]}``, and from the
    looser shapes other servers in between send (``{"errors": "text"}``, a list of texts, ``{"message": "text"}``,
    a message that is a list of texts)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError), or nested past the limit
        return [], []
    if not isinstance(data, dict):
        return [], []
    entries: list[Any] = []
    if isinstance(data.get("error"), dict):
        entries.append(data["error"])
    elif isinstance(data.get("error"), str):
        entries.append({"message": data["error"]})
    errors = data.get("errors")
    if isinstance(errors, list):
        entries.extend(errors)
    elif isinstance(errors, (str, dict)):
        entries.append(errors)
    if not entries and isinstance(data.get("message"), str):  # the shape of many gateways and proxies
        entries.append(data)
    codes: list[int | str] = []
    messages: list[str] = []
    for entry in entries:
        if isinstance(entry, str):  # {"errors": ["text", ...]} or {"errors": "text"}
            entry = {"message": entry}
        if not isinstance(entry, dict):
            continue
        code = entry.get("code")
        if isinstance(code, (int, str)) and not isinstance(code, bool):
            codes.append(code)
        message = entry.get("message")
        if isinstance(message, list):  # {"message": ["field a is required", ...]}
            message = "; ".join(item for item in message if isinstance(item, str) and item)
        if isinstance(message, str) and message:
            messages.append(message)
    return codes, messages


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, case-insensitively also for a plain dict."""
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value


def printable(text: str) -> str:
    """Server text made safe for a terminal or a log line: every character that is not printable (control
    characters, line breaks, ESC and so ANSI escape sequences, C1 controls, bidi overrides) is escaped as Python
    would write it (``\\x1b[2J``)."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


_secrets: dict[str, None] = {}
"""The credentials given to clients of this process, most recently used last (see keep_secret)."""
_MAX_SECRETS = 256


def keep_secret(secret: str) -> None:
    """Hide ``secret`` from every message made from server text: a server may echo the token it was sent (``bad
    header Bearer <token>``). Called for every client's token, credential headers (Authorization, X-Auth-Key...) and
    cookie values, per-call ``extra_headers`` included. The most recent 256 are kept (a credential in use is
    renewed with each call that sends it; per-call values such as idempotency keys must not grow this without end).
    Values shorter than 8 characters are not hidden (they would blank out ordinary words). Each change is one
    dictionary operation, which another thread reading it (one_line takes a copy) sees whole."""
    if len(secret) < 8:
        return
    _secrets.pop(secret, None)
    _secrets[secret] = None
    while len(_secrets) > _MAX_SECRETS:
        _secrets.pop(next(iter(_secrets)), None)


def one_line(text: str, limit: int) -> str:
    """Server text on one line: runs of whitespace (line breaks included) become one space, the rest is made
    printable(), any API token given to a client is replaced by ``[redacted]``, and the result is shortened to
    ``limit`` characters."""
    text = " ".join(text.split())
    for secret in tuple(_secrets):
        if secret in text:
            text = text.replace(secret, "[redacted]")
    return _shorten(printable(text), limit)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RealtimeKitError",
    "ResponseParseError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
    "reason_phrase_for",
    "status_error_class",
]
