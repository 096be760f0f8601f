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
import math
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from statistics import fmean
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

# Use this checkout's package even when another one is installed in the environment.
_GENERATED = Path(__file__).resolve().parent.parent / "generated"
if (_GENERATED / "realtimekit_client" / "__init__.py").is_file() and str(_GENERATED) not in sys.path:
    sys.path.insert(0, str(_GENERATED))

from realtimekit_client import (  # noqa: E402
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticatedClient,
    RealtimeKitError,
)
from realtimekit_client.api.sessions import get_participant_details  # noqa: E402
from realtimekit_client.errors import status_error_class  # noqa: E402
from realtimekit_client.models import (  # noqa: E402
    AudioStats,
    Participant,
    ParticipantDetailsResponse,
    ParticipantFilter,
    PeerStats,
    QualityStats,
    VideoStats,
)
from realtimekit_client.types import UNSET, Unset  # noqa: E402

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
TOKEN_ENV = "CLOUDFLARE_API_TOKEN"
BASE_URL_ENV = "CLOUDFLARE_BASE_URL"
FILTER_NAMES = tuple(member.value for member in ParticipantFilter)
EXIT_FAILED = 1
EXIT_USAGE = 2
WORST_INTERVALS = 3
PROG = "participant.py"
T = TypeVar("T")


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
    parser.add_argument(
        "--include-peer-events", action="store_true", default=None, help="also fetch the peer's join/leave events"
    )
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
    try:
        split = urlsplit(base_url)
        split.port  # noqa: B018 - parsing the port is what rejects "http://host:x" and "http://[::1"
    except ValueError as error:
        raise UsageError(f"--base-url is not a valid URL: {base_url!r} ({error})") from None
    if split.scheme not in ("http", "https") or not split.netloc:
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}")
    return base_url.rstrip("/")


def make_client(base_url: str, token: str, timeout: float, max_retries: int) -> AuthenticatedClient:
    if not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError(f"--timeout must be a positive number of seconds, got {timeout}")
    if max_retries < 0:
        raise UsageError(f"--max-retries must be 0 or more, got {max_retries}")
    try:
        return AuthenticatedClient(base_url=base_url, token=token, timeout=timeout, max_retries=max_retries)
    except (ValueError, TypeError) as error:  # the SDK checks the token (without echoing it)
        raise UsageError(f"{TOKEN_ENV}: {error}") from error


# -- the call ------------------------------------------------------------------------------------------------------


def describe(error: RealtimeKitError | ValueError | TypeError, base_url: str, timeout: float) -> str:
    """One readable line for anything the call can raise."""
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


def fetch(args: argparse.Namespace, token: str) -> tuple[bytes, ParticipantDetailsResponse]:
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
    try:
        with client:  # sync_detailed, not sync: --json prints the raw body
            response = get_participant_details.sync_detailed(
                *ids,
                client=client,
                filters=filters if filters is not None else UNSET,
                include_peer_events=UNSET if args.include_peer_events is None else True,
            )
    except (RealtimeKitError, ValueError, TypeError) as error:  # ValueError, TypeError: an argument the SDK refused
        raise Failure(describe(error, base_url, args.timeout)) from error
    status, parsed = response.status_code, response.parsed
    if 200 <= status < 300 and isinstance(parsed, ParticipantDetailsResponse):
        return response.content, parsed
    status_error = status_error_class(status)(status, response.content, headers=response.headers, parsed=parsed)
    raise Failure(describe(status_error, base_url, args.timeout))


# -- the summary ---------------------------------------------------------------------------------------------------


def given(value: T | None | Unset) -> T | None:
    """A field's value; None when it is null or missing."""
    return None if isinstance(value, Unset) else value


def num(value: float | None | Unset) -> float | None:
    """A number field; None when missing, or NaN/infinite (which Python's JSON reader lets through)."""
    return value if isinstance(value, (int, float)) and math.isfinite(value) else None


def items(value: list[T | None] | None | Unset) -> list[T]:
    """The items of a list field, nulls left out; [] when it is missing."""
    return [item for item in given(value) or [] if item is not None]


def utc(value: datetime.datetime | None | Unset) -> datetime.datetime | None:
    moment = given(value)
    return moment.astimezone(datetime.UTC) if moment else None


def fmt(value: float | None, unit: str = "") -> str:
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


NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


class Clock:
    """Formats times in UTC: the full date for the participant, then only the time of day on that same date."""

    def __init__(self, day: datetime.date | None) -> None:
        self.day = day

    def full(self, moment: datetime.datetime) -> str:
        return f"{moment:%Y-%m-%d %H:%M:%S} UTC"

    def short(self, value: datetime.datetime | None | Unset) -> str:
        moment = utc(value)
        if moment is None:
            return "?"
        return f"{moment:%H:%M:%S}" if moment.date() == self.day else f"{moment:%Y-%m-%d %H:%M:%S}"

    def span(self, interval: QualityStats) -> str:
        return f"{self.short(interval.start)}-{self.short(interval.end)}"


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


def section_participant(p: Participant, args: argparse.Namespace, clock: Clock) -> list[str]:
    duration = num(p.duration)
    joined_at, left_at = utc(p.joined_at), utc(p.left_at)
    if duration is None and joined_at and left_at:
        duration = (left_at - joined_at).total_seconds() / 60
    return [
        f"Participant: {given(p.display_name) or '(no display name)'}",
        *field_lines(
            [
                ("participant id", args.participant_id),
                ("peer id", given(p.id)),
                ("user id", given(p.user_id)),
                ("custom id", given(p.custom_participant_id)),
                ("session id", args.session_id),
                ("app / account", f"{args.app_id} / {args.account_id}"),
                ("preset", given(p.preset_name)),
                ("joined", clock.full(joined_at) if joined_at else "-"),
                ("left", clock.full(left_at) if left_at else "- (no leave time)"),
                ("duration", minutes_text(duration)),
            ]
        ),
    ]


def section_device(stats: PeerStats | None) -> list[str]:
    device = stats and given(stats.device_info)
    if not device:
        return ["Device and browser: not in the response"]
    cpus, memory, is_mobile = num(device.cpus), num(device.memory), given(device.is_mobile)
    system = joined(
        joined(given(device.os), given(device.os_version), sep=" "),
        None if is_mobile is None else ("mobile" if is_mobile else "desktop"),
        f"{fmt(cpus)} CPUs" if cpus is not None else None,
        f"{fmt(memory)} GB memory" if memory is not None else None,
    )
    browser = joined(given(device.browser), given(device.browser_version), sep=" ")
    return [
        "Device and browser",
        *field_lines(
            [
                ("browser", with_suffix(browser, given(device.engine))),
                ("system", system),
                ("SDK", joined(given(device.sdk_name), given(device.sdk_version), sep=" ")),
                ("WebGL", given(device.webgl_support)),
            ]
        ),
    ]


def section_network(stats: PeerStats | None) -> list[str]:
    ip = stats and given(stats.ip_information)
    net = stats and given(stats.precall_network_information)
    if not ip and not net:
        return ["Location and network: not in the response"]
    rows: list[tuple[str, str | None]] = []
    if ip:
        place = joined(given(ip.city), given(ip.region), given(ip.country))
        rows += [
            ("location", with_suffix(place, given(ip.timezone))),
            ("network", joined(given(ip.ipv4), given(ip.org))),
        ]
    if net:
        backend_rtt, loss = num(net.backend_rtt) or None, num(net.fractional_loss)
        checks = (
            ("STUN", net.reflexive_connectivity),
            ("relay", net.relay_connectivity),
            ("TURN", net.turn_connectivity),
        )
        rows += [
            ("connection type", given(net.effective_networktype)),
            (
                "pre-call RTT",
                with_suffix(opt(num(net.rtt), " ms"), backend_rtt and f"backend {fmt(backend_rtt, ' ms')}"),
            ),
            ("pre-call jitter", opt(num(net.jitter), " ms")),
            ("pre-call loss", opt(None if loss is None else loss * 100, " %")),
            ("throughput", opt(num(net.throughtput))),  # sic: the API's spelling
            ("connectivity", joined(*(f"{label} {answer}" for label, ok in checks if (answer := yes_no(ok))))),
        ]
    return ["Location and network", *field_lines(rows)]


def section_quality(p: Participant, clock: Clock) -> list[str]:
    intervals = sorted(items(p.quality_stats), key=lambda interval: utc(interval.start) or NEVER)
    if not intervals:
        return ["Call quality: not in the response"]
    rows: list[tuple[str, str | None]] = []
    averages = [(q, i) for i in intervals if (q := num(i.average_quality)) is not None]
    if averages:
        lowest, where = min(averages, key=lambda pair: pair[0])
        overall = fmean([q for q, _ in averages])
        rows.append(("average quality", f"{fmt(overall)} (lowest interval {fmt(lowest)} at {clock.span(where)})"))
    samples: dict[str, list[AudioStats | VideoStats]] = {
        "audio": [sample for i in intervals for sample in items(i.audio_stats)],
        "video": [sample for i in intervals for sample in items(i.video_stats)],
    }
    interval_losses = {
        "audio": [(q, i) for i in intervals if (q := num(i.audio_packet_loss)) is not None],
        "video": [(q, i) for i in intervals if (q := num(i.video_packet_loss)) is not None],
    }
    for kind, kind_samples in samples.items():
        qualities = [(q, s.timestamp) for s in kind_samples if (q := num(s.quality)) is not None]
        if qualities:
            worst, when = min(qualities, key=lambda pair: pair[0])
            average = fmean([q for q, _ in qualities])
            shown = f"average {fmt(average)}, worst {fmt(worst)} at {clock.short(when)} ({len(qualities)} samples)"
            rows.append((f"{kind} quality", shown))
    for kind, losses in interval_losses.items():
        if losses:
            highest, where = max(losses, key=lambda pair: pair[0])
            counts = [lost for s in samples[kind] if (lost := num(s.packets_lost)) is not None]
            counted = f"; {fmt(sum(counts))} packets lost in the samples" if counts else ""
            average = fmean([q for q, _ in losses])
            shown = f"average {fmt(average, ' %')}, worst {fmt(highest, ' %')} at {clock.span(where)}{counted}"
            rows.append((f"{kind} packet loss", shown))
    count = f"{len(intervals)} interval" + ("s" if len(intervals) != 1 else "")
    start, end = clock.short(intervals[0].start), clock.short(intervals[-1].end)
    span = f", {start}-{end} UTC" if start != "?" and end != "?" else ""
    lines = [f"Call quality ({count}{span}; higher quality is better)", *field_lines(rows)]
    if averages:
        lines.append("  worst intervals (lowest average quality first)")
        for quality, interval in sorted(averages, key=lambda pair: pair[0])[:WORST_INTERVALS]:
            audio, video = num(interval.audio_packet_loss), num(interval.video_packet_loss)
            details = joined(
                f"quality {fmt(quality)}",
                f"audio loss {fmt(audio, ' %')}" if audio is not None else None,
                f"video loss {fmt(video, ' %')}" if video is not None else None,
                sep="  ",
            )
            lines.append(f"    {clock.span(interval)}  {details}")
    return lines


def section_events(p: Participant, stats: PeerStats | None, clock: Clock, asked_for_peer_events: bool) -> list[str]:
    """The peer's events (PEER_CREATED, PEER_JOINING, ...) and its stats events (precall_begin, ...), by time."""
    events: list[tuple[datetime.datetime | None, str, str]] = []
    for event in items(p.peer_events):
        view, minutes = given(event.preset_view_type), num(event.minutes_consumed)
        details = joined(f"view {view}" if view else None, f"{fmt(minutes)} min used" if minutes else None)
        events.append((utc(event.created_at), str(given(event.event_name) or "?"), details or ""))
    for stats_event in items(stats.events) if stats else []:
        events.append((utc(stats_event.timestamp), given(stats_event.type_) or "?", ""))
    if not events:
        hint = "" if asked_for_peer_events else " (add --include-peer-events for join and leave events)"
        return [f"Peer events: none in the response{hint}"]
    events.sort(key=lambda event: event[0] or NEVER)  # stable: events without a time keep their order, last
    width = max(len(name) for _, name, _ in events)
    lines = [f"Peer events ({len(events)}, in time order, UTC)"]
    for moment, name, details in events:
        lines.append(f"  {clock.short(moment):<8}  {name.ljust(width)}  {details}".rstrip())
    return lines


def summary(response: ParticipantDetailsResponse, args: argparse.Namespace) -> str:
    data = given(response.data)
    p = data and given(data.participant)
    if not p:
        raise Failure("the response holds no participant")
    stats = given(p.peer_stats)
    start = utc(p.joined_at) or utc(p.created_at)
    clock = Clock(start.date() if start else None)
    blocks = [
        section_participant(p, args, clock),
        section_device(stats),
        section_network(stats),
        section_quality(p, clock),
        section_events(p, stats, clock, bool(args.include_peer_events)),
    ]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


# -- main ----------------------------------------------------------------------------------------------------------


def printable(text: str) -> str:
    """Text from the API made safe for a terminal: control characters (escape sequences, line breaks, ...) are
    shown escaped, since participants choose their own names and the API's messages are not ours."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def escaped(value: Any) -> Any:
    """A JSON value with printable() applied to every string in it."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(key): escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escaped(item) for item in value]
    return value


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise UsageError(f"set {TOKEN_ENV} to a Cloudflare API token (it is never taken from the command line)")
    raw, parsed = fetch(args, token)
    if args.json:
        sys.stdout.buffer.write(raw if raw.endswith(b"\n") else raw + b"\n")
    else:
        # Every string the API sent is escaped before it is laid out, so no value can break a line or the terminal.
        sys.stdout.write(summary(ParticipantDetailsResponse.from_dict(escaped(parsed.to_dict())), args))
    sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except UsageError as error:
        print(f"{PROG}: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except Failure as error:
        print(f"{PROG}: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as error:  # the promise is one line, never a traceback
        print(f"{PROG}: error: unexpected {type(error).__name__}: {printable(str(error))}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
