"""What every view of the command shares: its two failure kinds, the checks of ids and options, the client, one
readable line per error, safe text for a terminal, time zones and number formats, and atomic file writes."""

from __future__ import annotations

import datetime
import logging
import math
import os
import stat
import sys
import tempfile
import unicodedata
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
EXIT_PARTIAL = 3
"""The output is complete but marks some items as failed (``session``: a participant whose peer report failed)."""
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


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK, most emoji) characters two, combining marks and zero-width
    joiners none."""
    return sum(
        0 if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf")
        else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        for char in text
    )  # fmt: skip


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (ending in '...' when cut) and padded with spaces to exactly ``width``."""
    if text_width(text) > width:
        kept = ""
        for char in text:
            if text_width(kept + char) > width - 3:
                break
            kept += char
        text = kept + "..."
    return text + " " * (width - text_width(text))


def plural(count: int, noun: str) -> str:
    """'1 participant', '2 participants'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# -- fields of the models --------------------------------------------------------------------------------------------


def given(value: T | None | Unset) -> T | None:
    """A field's value; None when it is null or missing."""
    return None if isinstance(value, Unset) else value


def num(value: float | None | Unset) -> float | None:
    """A number field as the server sent it (an integer stays exact); None when missing, NaN or infinite (which
    Python's JSON reader lets through), or an integer too large for a float (JSON allows 10**400)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return value if math.isfinite(value) else None
    except OverflowError:
        return None


def mean(values: Sequence[float]) -> float:
    """The mean, without the overflow statistics.fmean raises on large finite values (1e308 + 1e308)."""
    return math.fsum(value / len(values) for value in values)


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
    """--base-url, else $CLOUDFLARE_BASE_URL, else the default; a bad value is blamed on where it came from."""
    base_url = option or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    source = "--base-url" if option else f"${BASE_URL_ENV}"
    try:
        split = urlsplit(base_url)
        split.port  # noqa: B018 - parsing the port is what rejects "http://host:x" and "http://[::1"
    except ValueError as error:
        raise UsageError(f"{source} is not a valid URL: {base_url!r} ({error})") from None
    if split.scheme not in ("http", "https") or not split.netloc:
        raise UsageError(f"{source} must be an http(s) URL, got {base_url!r}")
    return base_url.rstrip("/")


def token_from_env() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise UsageError(f"set {TOKEN_ENV} to a Cloudflare API token (it is never taken from the command line)")
    return token


def make_client(
    base_url: str, token: str, timeout: float, max_retries: int, base_url_from: str = "--base-url"
) -> AuthenticatedClient:
    if not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError(f"--timeout must be a positive number of seconds, got {timeout}")
    if max_retries < 0:
        raise UsageError(f"--max-retries must be 0 or more, got {max_retries}")
    try:
        return AuthenticatedClient(base_url=base_url, token=token, timeout=timeout, max_retries=max_retries)
    except (ValueError, TypeError) as error:  # the SDK checks the token (without echoing it) and the base URL
        message = str(error)
        if message.startswith("base_url "):
            raise UsageError(f"{base_url_from}: {message.removeprefix('base_url ')}") from error
        for prefix, option in (("timeout ", "--timeout"), ("max_retries ", "--max-retries")):
            if message.startswith(prefix):
                raise UsageError(f"{option}: {message.removeprefix(prefix)}") from error
        if message.startswith("token "):
            raise UsageError(f"{TOKEN_ENV}: {message}") from error
        raise UsageError(message) from error


def zone(name: str) -> datetime.tzinfo:
    """The time zone called ``name`` (IANA, e.g. Europe/Berlin), or UTC for "UTC"."""
    if name.upper() in ("UTC", "Z"):
        return datetime.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of tzdata, a name too long
        raise UsageError(f"--tz: unknown time zone {name!r} (use an IANA name such as Europe/Berlin, or UTC)") from None


before_log_line: list[Callable[[], None]] = []
"""Called before each log line is written to stderr: a progress line drawn there (session.Progress) clears itself,
so the two do not run into each other; it is drawn again on its next update."""


class _LogLines(logging.StreamHandler):  # type: ignore[type-arg]
    def emit(self, record: logging.LogRecord) -> None:
        for clear in before_log_line:
            clear()
        super().emit(record)


def configure_logging(value: str | None) -> None:
    """RTK_LOG=debug|info|warning: the SDK's log lines (one per request at debug) on stderr."""
    if not value:
        return
    level = logging.getLevelName(value.strip().upper())
    if not isinstance(level, int):
        raise UsageError(f"{LOG_ENV} must be debug, info, warning or error, got {value!r}")
    handler = _LogLines(sys.stderr)
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
    if abs(value) >= 1e15:  # not a 300-digit number
        return f"{value:.3g}{unit}"
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
    if minutes >= 1e9:  # nineteen centuries: not a call length to spell out in hours
        return f"{fmt(minutes)} min"
    seconds = round(minutes * 60)
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    return (f"{hours} h " if hours else "") + f"{mins} min {secs:02d} s"


NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


class Clock:
    """Formats times in one zone (UTC unless --tz): the full date once, then only the time of day on that date."""

    def __init__(self, tz: datetime.tzinfo, first: datetime.datetime | None = None) -> None:
        self.tz = tz
        self.name = "UTC" if tz is datetime.UTC else str(tz)
        self.day = local.date() if (local := self.local(first)) else None

    def local(self, value: datetime.datetime | None | Unset) -> datetime.datetime | None:
        """The time in the zone; as sent (with its own offset) when the zone's date would be past year 9999."""
        moment = given(value)
        if not moment:
            return None
        try:
            return moment.astimezone(self.tz)
        except (OverflowError, ValueError):  # 9999-12-31T23:59Z in UTC+14
            return moment

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


def target(path: Path) -> Path:
    """Where writing ``path`` lands: a symbolic link's target (the link is kept), else ``path`` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_writable(option: str, path: Path) -> None:
    """Before anything is sent: a file can be created (or replaced) at ``path``. Raises UsageError naming the option:
    a folder, something that is not a regular file (a device), a missing folder, a folder we cannot write in."""
    real = target(path)
    if real.is_dir():
        raise UsageError(f"{option} names a folder: {path}")
    if real.exists() and not real.is_file():
        raise UsageError(f"{option} is not a regular file: {path} (leave out {option} to print to stdout)")
    folder = real.parent
    if not folder.is_dir():
        raise UsageError(f"{option}: the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{real.name}.", suffix=".tmp")
    except OSError as error:
        raise UsageError(f"{option}: cannot write in the folder {folder}: {error.strerror or error}") from None
    os.close(handle)
    os.unlink(temporary)


def _stage(path: Path, data: bytes) -> str:
    """``data`` in a complete temporary file beside ``path``; its name."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        try:  # an existing file keeps its permissions (a private 0600 export stays private)
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:  # mkstemp makes it private; a new file should read like any new file
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write each ``(path, data)`` through a temporary file in the same folder and a rename, renaming only once
    every temporary file is complete: readers see the old files or the whole new ones, never a half file, and a
    failure (a full disk) leaves every old file as it was. A symbolic link is written through (its target); a file
    that is replaced keeps its permission bits, but not its owner (it is the caller's) nor its hard links (the other
    names keep the old content)."""
    staged: list[tuple[str, Path]] = []
    current = Path()
    try:
        for path, data in files:
            current = path
            real = target(path)
            if not real.parent.is_dir():
                raise UsageError(f"cannot write {path}: the folder {real.parent} does not exist")
            staged.append((_stage(real, data), real))
        for temporary, real in staged:
            current = real
            os.replace(temporary, real)
    except BaseException as error:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise Failure(f"cannot write {current}: {error.strerror or error}") from error
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """One file, as write_files() writes them."""
    write_files([(path, data)])


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
    status: int = 0  # the exit status once the output is written (EXIT_PARTIAL when some items failed)


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
    success = getattr(response.parsed, "success", None) is not False  # a 2xx may say "success": false
    if 200 <= response.status_code < 300 and isinstance(response.parsed, model) and success:
        return response.content, response.parsed
    raise Failure(describe(status_error(response), ctx.base_url, ctx.timeout))


def raw_output(raw: bytes, parsed: object | None) -> Output:
    """--json: the body exactly as received (a newline added if it has none)."""
    warning = None if parsed is not None else "the body does not fit the SDK's models; it is printed as received"
    return Output(raw if raw.endswith(b"\n") else raw + b"\n", warning=warning)
