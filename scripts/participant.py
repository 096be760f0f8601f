"""Show one participant of a RealtimeKit session: who, on what, from where, and how the call went.

    export CLOUDFLARE_API_TOKEN=...      # a token with the "Realtime Admin" or "Realtime" permission
    python scripts/participant.py --account-id ACCOUNT --app-id APP --session-id SESSION --participant-id PEER
    python scripts/participant.py ... --include-peer-events          # also join/leave events
    python scripts/participant.py ... --filters device_info,events   # ask for some sections only
    python scripts/participant.py ... --json                         # the API's raw JSON instead of a summary

The token is read from the CLOUDFLARE_API_TOKEN environment variable only: a command-line argument would leak
into shell history and process lists. The API address is --base-url, else CLOUDFLARE_BASE_URL, else Cloudflare's.

Exit status: 0 on success, 1 when the API or the network failed, 2 for a usage error. Every failure is one line
on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import enum
import inspect
import json
import math
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

# Use this checkout's package even when another one is installed in the environment.
_GENERATED = Path(__file__).resolve().parent.parent / "generated"
if (_GENERATED / "realtimekit_client" / "__init__.py").is_file() and str(_GENERATED) not in sys.path:
    sys.path.insert(0, str(_GENERATED))

import httpx  # noqa: E402
from realtimekit_client import (  # noqa: E402
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticatedClient,
    RealtimeKitError,
)
from realtimekit_client.api.sessions import get_participant_details  # noqa: E402
from realtimekit_client.errors import status_error_class  # noqa: E402
from realtimekit_client.models import ParticipantDetailsResponse, ParticipantFilter  # noqa: E402
from realtimekit_client.types import UNSET, Unset  # noqa: E402

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
TOKEN_ENV = "CLOUDFLARE_API_TOKEN"
BASE_URL_ENV = "CLOUDFLARE_BASE_URL"
FILTER_NAMES = tuple(member.value for member in ParticipantFilter)
EXIT_FAILED = 1
EXIT_USAGE = 2
WORST_INTERVALS = 3
PROG = "participant.py"


class UsageError(Exception):
    """A bad argument or environment: exit status 2."""


class Failure(Exception):
    """The call failed: exit status 1."""


# -- arguments ---------------------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(f"{message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Fetch one participant of a RealtimeKit session and print a readable summary"
        f" (token from ${TOKEN_ENV}).",
        epilog=f"Filters: {', '.join(FILTER_NAMES)}. Exit status: 0 ok, 1 API or network failure, 2 usage error.",
    )
    parser.add_argument("--account-id", required=True, help="Cloudflare account id (at most 32 characters)")
    parser.add_argument("--app-id", required=True, help="RealtimeKit app id (at most 32 characters)")
    parser.add_argument("--session-id", required=True, help="session id")
    parser.add_argument("--participant-id", required=True, help="participant (peer) id")
    parser.add_argument("--filters", help="comma separated sections to ask for, e.g. device_info,events")
    parser.add_argument("--include-peer-events", action="store_true", help="also fetch the peer's join/leave events")
    parser.add_argument("--base-url", help=f"API address (default: ${BASE_URL_ENV}, else {DEFAULT_BASE_URL})")
    parser.add_argument("--json", action="store_true", help="print the API's raw JSON instead of the summary")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the API (default 30)")
    parser.add_argument(
        "--max-retries", type=int, default=2, help="retries of 429, 5xx and connection errors (default 2)"
    )
    return parser


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


def parse_filters(value: str | None) -> list[ParticipantFilter] | None:
    """'device_info, events' -> [ParticipantFilter.DEVICE_INFO, ParticipantFilter.EVENTS]; None when not given."""
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise UsageError(f"--filters needs at least one of: {', '.join(FILTER_NAMES)}")
    unknown = [name for name in names if name not in FILTER_NAMES]
    if unknown:
        raise UsageError(
            f"unknown filter {', '.join(map(repr, unknown))} in --filters; choose from {', '.join(FILTER_NAMES)}"
        )
    return [ParticipantFilter(name) for name in dict.fromkeys(names)]


def resolve_base_url(option: str | None) -> str:
    base_url = option or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    split = urlsplit(base_url)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}")
    return base_url.rstrip("/")


def make_client(base_url: str, token: str, timeout: float, max_retries: int) -> AuthenticatedClient:
    """A client for the command. max_retries is passed only to SDK versions that accept it."""
    if not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError(f"--timeout must be a positive number of seconds, got {timeout}")
    if max_retries < 0:
        raise UsageError(f"--max-retries must be 0 or more, got {max_retries}")
    kwargs: dict[str, Any] = {"base_url": base_url, "token": token, "timeout": httpx.Timeout(timeout)}
    if "max_retries" in inspect.signature(AuthenticatedClient).parameters:
        kwargs["max_retries"] = max_retries
    return AuthenticatedClient(**kwargs)


# -- the call ------------------------------------------------------------------------------------------------------


def describe_status(error: APIStatusError) -> str:
    hints = {
        400: "the API rejected the request",
        401: f"authentication failed: check {TOKEN_ENV}",
        403: "permission denied: the token needs the Realtime Admin or Realtime permission",
        404: "not found: check the account, app, session and participant ids",
        429: "rate limited by the API: try again later",
    }
    hint = hints.get(error.status_code) or ("the API had a server error" if error.status_code >= 500 else "")
    return f"{hint} ({error})" if hint else f"the API answered {error}"


def describe(error: BaseException, base_url: str, timeout: float) -> str:
    """One readable line for anything the call can raise."""
    host = urlsplit(base_url).netloc
    if isinstance(error, APIStatusError):
        return describe_status(error)
    if isinstance(error, (APITimeoutError, httpx.TimeoutException)):
        return f"timed out after {timeout:g} s waiting for {host} (raise --timeout, or check the network)"
    if isinstance(error, (APIConnectionError, httpx.TransportError)):
        cause = error.__cause__ if isinstance(error, APIConnectionError) and error.__cause__ else error
        return f"cannot reach {host}: {cause or type(cause).__name__} (check --base-url and the network)"
    if isinstance(error, json.JSONDecodeError):
        return f"the API's response is not valid JSON ({error})"
    if isinstance(error, (RealtimeKitError, ValueError)):
        return str(error)
    return f"{type(error).__name__}: {error}"


def fetch(args: argparse.Namespace, token: str) -> tuple[bytes, ParticipantDetailsResponse | None]:
    """(raw body, parsed body) of a successful call; raises Failure with a readable line otherwise."""
    ids = (
        check_id("--account-id", args.account_id, 32),
        check_id("--app-id", args.app_id, 32),
        check_id("--session-id", args.session_id),
        check_id("--participant-id", args.participant_id),
    )
    filters = parse_filters(args.filters)
    base_url = resolve_base_url(args.base_url)
    client = make_client(base_url, token, args.timeout, args.max_retries)
    last: list[httpx.Response] = []  # the last HTTP response, to explain a failure the SDK did not type
    try:
        client.get_httpx_client().event_hooks["response"].append(last.append)
    except (AttributeError, KeyError, TypeError):
        pass
    try:
        with client:
            response = get_participant_details.sync_detailed(
                *ids,
                client=client,
                filters=filters if filters is not None else UNSET,
                include_peer_events=args.include_peer_events,
            )
    except (RealtimeKitError, httpx.HTTPError, ValueError) as error:  # ValueError: an argument the SDK refused
        if not isinstance(error, RealtimeKitError) and last and not last[-1].is_success and last[-1].is_closed:
            # An SDK that cannot read some error responses (an HTML body, a status such as 520): say what came.
            status, body, headers = last[-1].status_code, last[-1].content, last[-1].headers
            raise Failure(describe_status(status_error_class(status)(status, body, headers=headers))) from error
        raise Failure(describe(error, base_url, args.timeout)) from error
    status = int(response.status_code)
    if not 200 <= status < 300:  # SDKs that return error statuses instead of raising them
        error_class = status_error_class(status)
        raise Failure(describe_status(error_class(status, response.content, headers=response.headers)))
    parsed = response.parsed
    return response.content, parsed if isinstance(parsed, ParticipantDetailsResponse) else None


# -- the summary ---------------------------------------------------------------------------------------------------


def present(value: Any) -> bool:
    return value is not None and not isinstance(value, Unset)


def text(value: Any) -> str | None:
    """A field as text: enum members by value, unknown enum values (raw strings) as they came."""
    if not present(value):
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def number(value: Any) -> float | None:
    """A numeric field as float; None when missing or not a number (the SDK does not check scalar types)."""
    if isinstance(value, bool) or not present(value):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def text_of(obj: Any, name: str) -> str | None:
    return text(getattr(obj, name, None))


def number_of(obj: Any, name: str) -> float | None:
    return number(getattr(obj, name, None))


def listed(value: Any) -> list[Any]:
    """The present items of a list field; [] when it is missing or not a list."""
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        return []
    return [item for item in value if present(item)]


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    shown = f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) >= 1 or value == 0 else f"{value:.3g}"
    return f"{shown}{unit}"


def opt(value: float | None, unit: str = "") -> str | None:
    """fmt() for a value that may be missing: None (row left out) instead of '-'."""
    return None if value is None else fmt(value, unit)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def joined(*parts: str | None, sep: str = ", ") -> str | None:
    kept = [part for part in parts if part]
    return sep.join(kept) if kept else None


def with_suffix(head: str | None, tail: str | None) -> str | None:
    """'Chrome 131' + 'Blink' -> 'Chrome 131 (Blink)'; None when there is no head."""
    if not head:
        return None
    return f"{head} ({tail})" if tail else head


def yes_no(value: Any) -> str | None:
    return ("yes" if value else "no") if isinstance(value, bool) else text(value)


def utc(value: Any) -> datetime.datetime | None:
    """A timestamp as an aware UTC datetime (naive ones are taken as UTC); None when missing or unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime.datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


class Clock:
    """Formats times in UTC: the full date for the participant, then only the time of day on that same date."""

    def __init__(self, day: datetime.date | None) -> None:
        self.day = day

    def full(self, value: Any) -> str:
        moment = utc(value)
        if moment is None:
            return text(value) or "-"
        return f"{moment:%Y-%m-%d %H:%M:%S} UTC"

    def short(self, value: Any) -> str:
        moment = utc(value)
        if moment is None:
            return text(value) or "?"
        return f"{moment:%H:%M:%S}" if moment.date() == self.day else f"{moment:%Y-%m-%d %H:%M:%S}"

    def span(self, interval: Any) -> str:
        return f"{self.short(getattr(interval, 'start', None))}-{self.short(getattr(interval, 'end', None))}"


def minutes_text(minutes: float | None) -> str:
    if minutes is None or minutes < 0:
        return "-"
    seconds = round(minutes * 60)
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    return (f"{hours} h " if hours else "") + f"{mins} min {secs:02d} s"


def field_lines(rows: Iterable[tuple[str, str | None]], indent: str = "  ") -> list[str]:
    """Aligned 'label  value' lines; rows without a value are left out."""
    shown = [(label, value) for label, value in rows if value]
    width = max((len(label) for label, _ in shown), default=0)
    return [f"{indent}{label.ljust(width)}  {value}" for label, value in shown]


def section_participant(p: Any, args: argparse.Namespace, clock: Clock) -> list[str]:
    duration = number_of(p, "duration")
    joined_at, left_at = utc(getattr(p, "joined_at", None)), utc(getattr(p, "left_at", None))
    if duration is None and joined_at and left_at:
        duration = (left_at - joined_at).total_seconds() / 60
    return [
        f"Participant: {text_of(p, 'display_name') or '(no display name)'}",
        *field_lines(
            [
                ("participant id", args.participant_id),
                ("peer id", text_of(p, "id")),
                ("user id", text_of(p, "user_id")),
                ("custom id", text_of(p, "custom_participant_id")),
                ("session id", args.session_id),
                ("app / account", f"{args.app_id} / {args.account_id}"),
                ("preset", text_of(p, "preset_name")),
                ("joined", clock.full(joined_at) if joined_at else "-"),
                ("left", clock.full(left_at) if left_at else "- (no leave time)"),
                ("duration", minutes_text(duration)),
            ]
        ),
    ]


def section_device(stats: Any) -> list[str]:
    device = getattr(stats, "device_info", None)
    if not present(device):
        return ["Device and browser: not in the response"]
    is_mobile = getattr(device, "is_mobile", None)
    cpus, memory = number_of(device, "cpus"), number_of(device, "memory")
    browser = joined(text_of(device, "browser"), text_of(device, "browser_version"), sep=" ")
    system = joined(
        joined(text_of(device, "os"), text_of(device, "os_version"), sep=" "),
        ("mobile" if is_mobile else "desktop") if isinstance(is_mobile, bool) else None,
        f"{fmt(cpus)} CPUs" if cpus is not None else None,
        f"{fmt(memory)} GB memory" if memory is not None else None,
    )
    return [
        "Device and browser",
        *field_lines(
            [
                ("browser", with_suffix(browser, text_of(device, "engine"))),
                ("system", system),
                ("SDK", joined(text_of(device, "sdk_name"), text_of(device, "sdk_version"), sep=" ")),
                ("WebGL", text_of(device, "webgl_support")),
            ]
        ),
    ]


def section_network(stats: Any) -> list[str]:
    ip = getattr(stats, "ip_information", None)
    net = getattr(stats, "precall_network_information", None)
    if not present(ip) and not present(net):
        return ["Location and network: not in the response"]
    rows: list[tuple[str, str | None]] = []
    if present(ip):
        place = joined(text_of(ip, "city"), text_of(ip, "region"), text_of(ip, "country"))
        rows += [
            ("location", with_suffix(place, text_of(ip, "timezone"))),
            ("network", joined(text_of(ip, "ipv4"), text_of(ip, "org"))),
        ]
    if present(net):
        rtt, backend_rtt = number_of(net, "rtt"), number_of(net, "backend_rtt") or None
        jitter, loss = number_of(net, "jitter"), number_of(net, "fractional_loss")
        throughput = number_of(net, "throughtput")  # sic: the API's spelling
        checks = (("STUN", "reflexive_connectivity"), ("relay", "relay_connectivity"), ("TURN", "turn_connectivity"))
        connectivity = joined(
            *(f"{label} {answer}" for label, name in checks if (answer := yes_no(getattr(net, name, None))))
        )
        rows += [
            ("connection type", text_of(net, "effective_networktype")),
            ("pre-call RTT", with_suffix(opt(rtt, " ms"), backend_rtt and f"backend {fmt(backend_rtt, ' ms')}")),
            ("pre-call jitter", opt(jitter, " ms")),
            ("pre-call loss", opt(None if loss is None else loss * 100, " %")),
            ("throughput", opt(throughput)),
            ("connectivity", connectivity),
        ]
    return ["Location and network", *field_lines(rows)]


def _quality_samples(intervals: list[Any], kind: str) -> list[tuple[float, Any]]:
    """(quality, timestamp) of every audio or video sample that has a quality."""
    return [
        (quality, getattr(sample, "timestamp", None))
        for interval in intervals
        for sample in listed(getattr(interval, f"{kind}_stats", None))
        if (quality := number_of(sample, "quality")) is not None
    ]


def _packets_lost(intervals: list[Any], kind: str) -> float | None:
    counts = [
        lost
        for interval in intervals
        for sample in listed(getattr(interval, f"{kind}_stats", None))
        if (lost := number_of(sample, "packets_lost")) is not None
    ]
    return sum(counts) if counts else None


def section_quality(p: Any, clock: Clock) -> list[str]:
    intervals = listed(getattr(p, "quality_stats", None))
    if not intervals:
        return ["Call quality: not in the response"]
    intervals.sort(key=lambda interval: utc(getattr(interval, "start", None)) or NEVER)
    rows: list[tuple[str, str | None]] = []
    averages = [(q, i) for i in intervals if (q := number_of(i, "average_quality")) is not None]
    if averages:
        lowest, where = min(averages, key=lambda pair: pair[0])
        overall = mean([q for q, _ in averages])
        rows.append(("average quality", f"{fmt(overall)} (lowest interval {fmt(lowest)} at {clock.span(where)})"))
    for kind in ("audio", "video"):
        samples = _quality_samples(intervals, kind)
        if samples:
            worst, when = min(samples, key=lambda pair: pair[0])
            average = mean([q for q, _ in samples])
            rows.append(
                (
                    f"{kind} quality",
                    f"average {fmt(average)}, worst {fmt(worst)} at {clock.short(when)} ({len(samples)} samples)",
                )
            )
    for kind in ("audio", "video"):
        losses = [(q, i) for i in intervals if (q := number_of(i, f"{kind}_packet_loss")) is not None]
        if losses:
            highest, where = max(losses, key=lambda pair: pair[0])
            lost = _packets_lost(intervals, kind)
            counted = f"; {fmt(lost)} packets lost in the samples" if lost is not None else ""
            average = mean([q for q, _ in losses])
            rows.append(
                (
                    f"{kind} packet loss",
                    f"average {fmt(average, ' %')}, worst {fmt(highest, ' %')} at {clock.span(where)}{counted}",
                )
            )
    first, last = intervals[0], intervals[-1]
    span = f"{clock.short(getattr(first, 'start', None))}-{clock.short(getattr(last, 'end', None))}"
    lines = [f"Call quality ({len(intervals)} intervals, {span} UTC; higher quality is better)", *field_lines(rows)]
    if averages:
        lines.append("  worst intervals (lowest average quality first)")
        for quality, interval in sorted(averages, key=lambda pair: pair[0])[:WORST_INTERVALS]:
            audio, video = number_of(interval, "audio_packet_loss"), number_of(interval, "video_packet_loss")
            details = joined(
                f"quality {fmt(quality)}",
                f"audio loss {fmt(audio, ' %')}" if audio is not None else None,
                f"video loss {fmt(video, ' %')}" if video is not None else None,
                sep="  ",
            )
            lines.append(f"    {clock.span(interval)}  {details}")
    return lines


def section_events(p: Any, stats: Any, clock: Clock, asked_for_peer_events: bool) -> list[str]:
    """The peer's events (PEER_CREATED, PEER_JOINING, ...) and its stats events (precall_begin, ...), by time."""
    events: list[tuple[datetime.datetime | None, str, str]] = []
    for event in listed(getattr(p, "peer_events", None)):
        view, minutes = text_of(event, "preset_view_type"), number_of(event, "minutes_consumed")
        details = joined(f"view {view}" if view else None, f"{fmt(minutes)} min used" if minutes else None)
        events.append((utc(getattr(event, "created_at", None)), text_of(event, "event_name") or "?", details or ""))
    for event in listed(getattr(stats, "events", None)):
        events.append((utc(getattr(event, "timestamp", None)), text_of(event, "type_") or "?", ""))
    if not events:
        hint = "" if asked_for_peer_events else " (add --include-peer-events for join and leave events)"
        return [f"Peer events: none in the response{hint}"]
    events.sort(key=lambda event: event[0] or NEVER)  # stable: events without a time keep their order, last
    width = max(len(name) for _, name, _ in events)
    lines = [f"Peer events ({len(events)}, in time order, UTC)"]
    for moment, name, details in events:
        lines.append(f"  {clock.short(moment) if moment else '?':<8}  {name.ljust(width)}  {details}".rstrip())
    return lines


def summary(response: ParticipantDetailsResponse | None, args: argparse.Namespace) -> str:
    p = getattr(getattr(response, "data", None), "participant", None)
    if not present(p):
        raise Failure("the response holds no participant")
    stats = getattr(p, "peer_stats", None)
    start = utc(getattr(p, "joined_at", None)) or utc(getattr(p, "created_at", None))
    clock = Clock(start.date() if start else None)
    blocks = [
        section_participant(p, args, clock),
        section_device(stats),
        section_network(stats),
        section_quality(p, clock),
        section_events(p, stats, clock, args.include_peer_events),
    ]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


# -- main ----------------------------------------------------------------------------------------------------------


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise UsageError(f"set {TOKEN_ENV} to a Cloudflare API token (it is never taken from the command line)")
    raw, parsed = fetch(args, token)
    if args.json:
        sys.stdout.buffer.write(raw if raw.endswith(b"\n") else raw + b"\n")
    else:
        sys.stdout.write(summary(parsed, args))
    sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Failure as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as error:  # the promise is one line, never a traceback
        print(f"{PROG}: error: unexpected {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
