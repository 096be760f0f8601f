# Copied from scripts/generator/lib/cli/common.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""What every view of the command shares: its two failure kinds, the checks of ids and options, the client, one
readable line per error, safe text for a terminal, time zones and number formats, and atomic file writes."""

from __future__ import annotations

import datetime
import logging
import math
import os
import sys
import tempfile
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ..client import BASE_URL_ENV, DEFAULT_BASE_URL, TOKEN_ENV, AuthenticatedClient, logger
from ..errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RealtimeKitError,
    ResponseParseError,
    printable,
    status_error_class,
)
from ..types import Response, Unset

PROG = "realtimekit"
EXIT_FAILED = 1
EXIT_USAGE = 2
LOG_ENV = "RTK_LOG"
T = TypeVar("T")


class UsageError(Exception):
    """A bad argument or environment: exit status 2."""


class Failure(Exception):
    """The call failed: exit status 1."""


# -- text from the API -----------------------------------------------------------------------------------------------


def escaped(value: Any) -> Any:
    """A JSON value with every string in it made safe for a terminal (errors.printable: participants choose their
    own names, and the API's messages are not ours)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(key): escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escaped(item) for item in value]
    return value


# -- fields of the models --------------------------------------------------------------------------------------------


def given(value: T | None | Unset) -> T | None:
    """A field's value; None when it is null or missing."""
    return None if isinstance(value, Unset) else value


def num(value: float | None | Unset) -> float | None:
    """A number field; None when missing, or NaN/infinite (which Python's JSON reader lets through)."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else None


def items(value: list[T | None] | None | Unset) -> list[T]:
    """The items of a list field, nulls left out; [] when it is missing."""
    return [item for item in given(value) or [] if item is not None]


# -- arguments -------------------------------------------------------------------------------------------------------


def check_id(option: str, value: str, max_length: int | None = None) -> str:
    """Reject ids that would silently address another URL (empty, '.', '..', '/') or that the API refuses."""
    if not value:
        raise UsageError(f"{option} must not be empty")
    if value in (".", "..") or "/" in value:
        raise UsageError(f"{option} is not an id: {value!r}")
    if any(char.isspace() or not char.isprintable() for char in value):
        raise UsageError(f"{option} must not contain spaces or control characters: {value!r}")
    if max_length is not None and len(value) > max_length:
        raise UsageError(f"{option} is {len(value)} characters long; the API allows at most {max_length}")
    return value


def resolve_base_url(option: str | None) -> str:
    base_url = option or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    try:
        split = urlsplit(base_url)
        split.port  # noqa: B018 - parsing the port is what rejects "http://host:x" and "http://[::1"
    except ValueError as error:
        raise UsageError(f"--base-url is not a valid URL: {base_url!r} ({error})") from None
    if split.scheme not in ("http", "https") or not split.netloc:
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}")
    return base_url.rstrip("/")


def token_from_env() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise UsageError(f"set {TOKEN_ENV} to a Cloudflare API token (it is never taken from the command line)")
    return token


def make_client(base_url: str, token: str, timeout: float, max_retries: int) -> AuthenticatedClient:
    if not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError(f"--timeout must be a positive number of seconds, got {timeout}")
    if max_retries < 0:
        raise UsageError(f"--max-retries must be 0 or more, got {max_retries}")
    try:
        return AuthenticatedClient(base_url=base_url, token=token, timeout=timeout, max_retries=max_retries)
    except (ValueError, TypeError) as error:  # the SDK checks the token (without echoing it)
        raise UsageError(f"{TOKEN_ENV}: {error}") from error


def zone(name: str) -> datetime.tzinfo:
    """The time zone called ``name`` (IANA, e.g. Europe/Berlin), or UTC for "UTC"."""
    if name.upper() in ("UTC", "Z"):
        return datetime.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--tz: unknown time zone {name!r} (use an IANA name such as Europe/Berlin, or UTC)") from None


def configure_logging(value: str | None) -> None:
    """RTK_LOG=debug|info|warning: the SDK's log lines (one per request at debug) on stderr."""
    if not value:
        return
    level = logging.getLevelName(value.strip().upper())
    if not isinstance(level, int):
        raise UsageError(f"{LOG_ENV} must be debug, info, warning or error, got {value!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{PROG}: %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


# -- errors ----------------------------------------------------------------------------------------------------------


def describe(error: RealtimeKitError | ValueError | TypeError, base_url: str, timeout: float) -> str:
    """One readable line for anything a call can raise."""
    host = urlsplit(base_url).netloc
    if isinstance(error, APIStatusError):
        hints = {
            400: "the API rejected the request",
            401: f"authentication failed: check {TOKEN_ENV}",
            403: "permission denied: the token needs the Realtime Admin or Realtime permission",
            404: "not found: check the account, app, session and participant ids",
            429: "rate limited by the API: try again later",
        }
        hint = hints.get(error.status_code) or ("the API had a server error" if error.status_code >= 500 else "")
        return f"{hint} ({error})" if hint else f"the API answered {error}"
    if isinstance(error, APITimeoutError):
        return f"timed out after {timeout:g} s waiting for {host} (raise --timeout, or check the network)"
    if isinstance(error, APIConnectionError):
        cause = error.__cause__ or error
        return f"cannot reach {host}: {cause or type(cause).__name__} (check --base-url and the network)"
    return str(error)  # ResponseParseError, or an argument the SDK refused


def status_error(response: Response[Any]) -> APIStatusError:
    """The SDK's error for a detailed response whose status is not a success."""
    status = response.status_code
    return status_error_class(status)(status, response.content, headers=response.headers, parsed=response.parsed)


# -- formats ---------------------------------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "") -> str:
    """A number for people: at most two decimals, three significant digits below 1; '-' when missing."""
    if value is None:
        return "-"
    shown = f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) >= 1 or value == 0 else f"{value:.3g}"
    return f"{shown}{unit}"


def opt(value: float | None, unit: str = "") -> str | None:
    """fmt() for a value that may be missing: None (row left out) instead of '-'."""
    return None if value is None else fmt(value, unit)


def joined(*parts: str | None, sep: str = ", ") -> str | None:
    kept = [part for part in parts if part]
    return sep.join(kept) if kept else None


def with_suffix(head: str | None, tail: str | None) -> str | None:
    """'Chrome 131' + 'Blink' -> 'Chrome 131 (Blink)'; None when there is no head."""
    if not head:
        return None
    return f"{head} ({tail})" if tail else head


def yes_no(value: bool | None | Unset) -> str | None:
    return None if given(value) is None else ("yes" if value else "no")


def field_lines(rows: Sequence[tuple[str, str | None]], indent: str = "  ") -> list[str]:
    """Aligned 'label  value' lines; rows without a value are left out."""
    shown = [(label, value) for label, value in rows if value]
    width = max((len(label) for label, _ in shown), default=0)
    return [f"{indent}{label.ljust(width)}  {value}" for label, value in shown]


def minutes_text(minutes: float | None) -> str:
    if minutes is None or minutes < 0:
        return "-"
    seconds = round(minutes * 60)
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    return (f"{hours} h " if hours else "") + f"{mins} min {secs:02d} s"


NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


class Clock:
    """Formats times in one zone (UTC unless --tz): the full date once, then only the time of day on that date."""

    def __init__(self, tz: datetime.tzinfo, first: datetime.datetime | None = None) -> None:
        self.tz = tz
        self.day = first.astimezone(tz).date() if first else None
        self.name = "UTC" if tz is datetime.UTC else str(tz)

    def local(self, value: datetime.datetime | None | Unset) -> datetime.datetime | None:
        moment = given(value)
        return moment.astimezone(self.tz) if moment else None

    def iso(self, value: datetime.datetime | None | Unset) -> str:
        """ISO 8601 with the zone's offset (for exports); '' when missing."""
        moment = self.local(value)
        if moment is None:
            return ""
        return moment.isoformat(timespec="microseconds" if moment.microsecond % 1000 else "milliseconds")

    def full(self, value: datetime.datetime | None | Unset) -> str:
        moment = self.local(value)
        return f"{moment:%Y-%m-%d %H:%M:%S} {moment.tzname() or self.name}" if moment else "-"

    def short(self, value: datetime.datetime | None | Unset) -> str:
        moment = self.local(value)
        if moment is None:
            return "?"
        return f"{moment:%H:%M:%S}" if moment.date() == self.day else f"{moment:%Y-%m-%d %H:%M:%S}"


# -- files -----------------------------------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename: readers see the old file
    or the whole new one, never a half file."""
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise Failure(f"cannot write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; the result should read like any new file
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise Failure(f"cannot write {path}: {error.strerror or error}") from error
        raise


# -- what a view gets and gives --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """The parsed options every view uses."""

    client: AuthenticatedClient
    base_url: str
    timeout: float
    tz: datetime.tzinfo
    ascii_only: bool = False  # sparklines in ASCII when stdout cannot show block characters


@dataclass(frozen=True)
class Output:
    """What a view produced: stdout's text, or bytes as received (--json); the --html page; a line for stderr."""

    stdout: str | bytes
    html: str | None = None
    warning: str | None = None


def call(ctx: Context, send: Callable[[], Response[Any]], model: type[T], raw_wanted: bool) -> tuple[bytes, T | None]:
    """(raw body, parsed body) of one successful call; raises Failure with a readable line otherwise.

    When the raw body is wanted (--json), a 2xx body the SDK cannot parse is still returned, with None.
    """
    try:
        response = send()
    except ResponseParseError as error:
        if raw_wanted and error.body is not None:
            return error.body, None
        raise Failure(describe(error, ctx.base_url, ctx.timeout)) from error
    except (RealtimeKitError, ValueError, TypeError) as error:  # ValueError, TypeError: an argument the SDK refused
        raise Failure(describe(error, ctx.base_url, ctx.timeout)) from error
    if 200 <= response.status_code < 300 and isinstance(response.parsed, model):
        return response.content, response.parsed
    raise Failure(describe(status_error(response), ctx.base_url, ctx.timeout))


def raw_output(raw: bytes, parsed: object | None) -> Output:
    """--json: the body exactly as received (a newline added if it has none)."""
    warning = None if parsed is not None else "the body does not fit the SDK's models; it is printed as received"
    return Output(raw if raw.endswith(b"\n") else raw + b"\n", warning=warning)
