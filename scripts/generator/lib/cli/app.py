"""The ``realtimekit`` command: arguments, the views, where the output goes, and one line per failure."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..client import BASE_URL_ENV, DEFAULT_BASE_URL, TOKEN_ENV
from ..errors import printable
from . import participant, peer_report, session
from .common import (
    EXIT_FAILED,
    EXIT_USAGE,
    LOG_ENV,
    PROG,
    Context,
    Failure,
    Output,
    UsageError,
    check_writable,
    configure_logging,
    make_client,
    resolve_base_url,
    token_from_env,
    write_files,
    zone,
)
from .export import FORMATS

ACCOUNT_EXAMPLE = "--account-id 023e105f4ecef8ad9ca31a8372d0c353 --app-id my-app"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(f"{message} (see --help)")


def _common_options(*, raw_json: bool = True) -> _Parser:
    """The options every view takes (a parent parser). ``raw_json``: --json is offered (a view of one response);
    without it, --json is still parsed, to refuse it with a message saying what to use, but not listed in --help."""
    common = _Parser(add_help=False)
    ids = common.add_argument_group("account")
    ids.add_argument("--account-id", required=True, help="Cloudflare account id (at most 32 characters)")
    ids.add_argument("--app-id", required=True, help="RealtimeKit app id (at most 32 characters)")
    connection = common.add_argument_group("connection")
    connection.add_argument("--base-url", help=f"API address (default: ${BASE_URL_ENV}, else {DEFAULT_BASE_URL})")
    connection.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each response (30)")
    connection.add_argument(
        "--max-retries", type=int, default=2, help="retries of 408, 409, 429, 5xx and connection errors (2)"
    )
    output = common.add_argument_group("output")
    output.add_argument(
        "--json",
        action="store_true",
        help="print the API's response body as received" if raw_json else argparse.SUPPRESS,
    )
    output.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (for people; the default), or the rows as json, jsonl or csv",
    )
    output.add_argument(
        "--output", metavar="FILE", type=Path, help="write there instead of stdout (atomically; - is stdout)"
    )
    output.add_argument("--html", metavar="FILE", type=Path, help="also write a self-contained HTML report there")
    output.add_argument(
        "--tz", metavar="ZONE", default="UTC", help="time zone of the times (default UTC), e.g. Europe/Berlin"
    )
    return common


FOOTER = f"""
The token is read from ${TOKEN_ENV} only (a token with the "Realtime Admin" or "Realtime" permission).
{LOG_ENV}=debug logs every request (method, URL, status, attempt, time) on stderr.
Exit status: 0 ok, 1 the API, the network or writing the output failed, 2 usage error (before anything is sent),
3 (session) the ranking was written but some peer reports failed (rows marked "failed"); every failure is one line
on stderr."""


View = tuple[Callable[[argparse.Namespace], None], Callable[[argparse.Namespace, Context], Output]]
"""(check the arguments, run): a view of the command."""

VIEWS: dict[str, View] = {
    "participant": (participant.check, participant.run),
    "peer-report": (peer_report.check, peer_report.run),
    "session": (session.check, session.run),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Look at RealtimeKit sessions, participants and their call quality"
        f" (token from ${TOKEN_ENV}, never from the command line).",
        epilog=f"""examples:
  export {TOKEN_ENV}=...   # a token with the "Realtime Admin" or "Realtime" permission
  {PROG} session {ACCOUNT_EXAMPLE} --session-id SESSION          # everyone, worst call first
  {PROG} peer-report {ACCOUNT_EXAMPLE} --peer-id PEER             # one call: verdict, causes, charts
  {PROG} participant {ACCOUNT_EXAMPLE} --session-id SESSION --participant-id PARTICIPANT
  {PROG} session --help
{FOOTER}""",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} (realtimekit-client) {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    common = _common_options()
    rows_help = "what --format json/jsonl/csv exports: samples (one row per quality sample, the default) or events"

    view = commands.add_parser(
        "participant",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="one participant of a session: who, device, network, quality over the call, events",
        description="Fetch one participant of a session (GetParticipantDetails) and show it for people: who, on "
        "what device and network, quality, packet loss and jitter over the call, and the peer's events.",
        epilog=f"""examples:
  {PROG} participant {ACCOUNT_EXAMPLE} \\
      --session-id 3c9f1e7a-58b2-4d6e-b0a4-7e2d91c5f386 --participant-id e1a7c3f9-2b6d-4d80-8f15-6c9b0e4a7d21
  {PROG} participant ... --include-peer-events --tz Europe/Berlin     # join/leave events, Berlin times
  {PROG} participant ... --filters device_info,events                  # ask for some sections only
  {PROG} participant ... --format csv --output samples.csv             # one row per quality sample
  {PROG} participant ... --format jsonl --rows events                  # the events, one JSON object a line
  {PROG} participant ... --html participant.html                       # charts in one HTML file
  {PROG} participant ... --json                                        # the API's body as received

Filters: {", ".join(participant.FILTER_NAMES)}.
{FOOTER}""",
    )
    view.add_argument("--session-id", required=True, help="session id")
    view.add_argument("--participant-id", required=True, help="participant (peer) id")
    view.add_argument("--filters", help="comma separated sections to ask for, e.g. device_info,events")
    view.add_argument("--include-peer-events", action="store_true", help="also fetch the peer's join/leave events")
    view.add_argument("--rows", choices=("samples", "events"), default="samples", help=rows_help)

    view = commands.add_parser(
        "peer-report",
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="one peer's call: verdict per media, worst periods and likely causes, device and network",
        description="Fetch one peer's report (GetParticipantDataFromPeerId) and diagnose it: the verdict per media "
        "kind and direction (from MOS), the worst periods with their likely causes, MOS, packet loss, RTT and jitter "
        "over the call, the device and network facts, and the events.",
        epilog=f"""examples:
  {PROG} peer-report {ACCOUNT_EXAMPLE} --peer-id 9b51eb7c-44d5-4049-8a34-3f856c9048c8
  {PROG} peer-report ... --include-peer-events --html call.html       # charts, bad periods shaded
  {PROG} peer-report ... --format csv --output samples.csv            # one row per quality sample
  {PROG} peer-report ... --format jsonl --rows events                 # the events, one JSON object a line
  {PROG} peer-report ... --json                                       # the API's body as received

The peer id is a participant's `id` in `{PROG} session --format csv` (column peer_id).
{FOOTER}""",
    )
    view.add_argument("--peer-id", required=True, help="peer id (a participant's id in the session list)")
    view.add_argument("--filters", help="comma separated sections to ask for, e.g. device_info,events")
    view.add_argument("--include-peer-events", action="store_true", help="also fetch the peer's join/leave events")
    view.add_argument("--rows", choices=("samples", "events"), default="samples", help=rows_help)

    view = commands.add_parser(
        "session",
        parents=[_common_options(raw_json=False)],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="every participant of a session with the verdict on their call, worst first",
        description="List every participant of a session (page by page), fetch their peer reports concurrently and "
        "rank them worst call first, one line each with the verdict and the likely cause. Progress goes to stderr "
        "when it is a terminal.",
        epilog=f"""examples:
  {PROG} session {ACCOUNT_EXAMPLE} --session-id 3c9f1e7a-58b2-4d6e-b0a4-7e2d91c5f386
  {PROG} session ... --format csv --output participants.csv           # one row per participant, ranked
  {PROG} session ... --html session.html --tz America/Chicago
  {PROG} session ... --concurrency 4                                  # gentler on rate limits

--json is not offered here (a session is many responses); use --format json or jsonl.
{FOOTER}""",
    )
    view.add_argument("--session-id", required=True, help="session id")
    view.add_argument(
        "--concurrency", type=int, default=8, help="peer reports fetched at the same time, 1 to 64 (default 8)"
    )
    view.add_argument("--per-page", type=int, default=100, help="participants per list page, 1 to 200 (default 100)")
    return parser


def check_output_options(args: argparse.Namespace) -> None:
    """Before anything is sent: the options agree, and the files can be written where they name."""
    if args.output is not None and str(args.output) == "-":  # the usual spelling of "standard output"
        args.output = None
    if args.json and (args.format != "table" or args.html):
        raise UsageError("--json prints the body as received: leave out --format and --html, or --json")
    if args.output is not None and args.html is not None and args.output.resolve() == args.html.resolve():
        raise UsageError("--output and --html name the same file")
    for option, path in (("--output", args.output), ("--html", args.html)):
        if path is not None:
            check_writable(option, path)


def stdout_can_show(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    check, view = VIEWS[args.command]
    configure_logging(os.environ.get(LOG_ENV))
    check_output_options(args)
    tz = zone(args.tz)
    check(args)
    base_url = resolve_base_url(args.base_url)
    base_url_from = f"${BASE_URL_ENV}" if not args.base_url and os.environ.get(BASE_URL_ENV) else "--base-url"
    client = make_client(base_url, token_from_env(), args.timeout, args.max_retries, base_url_from)
    ascii_only = args.output is None and not stdout_can_show("▁█")
    with client:
        output = view(args, Context(client, base_url, args.timeout, tz, ascii_only))
    data = output.stdout
    if args.format != "table" and isinstance(data, str):
        data = data.encode("utf-8", "backslashreplace")  # an export is UTF-8 whatever stdout's encoding, as --json
    files: list[tuple[Path, bytes]] = []
    if output.html is not None:
        files.append((args.html, output.html.encode("utf-8", "backslashreplace")))
    if args.output is not None:
        files.append((args.output, data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data))
    write_files(files)  # both files or neither
    if args.output is None:
        write_stdout(data)
    if output.warning:
        print(f"{PROG}: warning: {printable(output.warning)}", file=sys.stderr)
    return output.status


class StdoutError(Exception):
    """stdout cannot be written (a full disk, a closed terminal): exit status 1, after the one-line message."""


def write_stdout(data: str | bytes) -> None:
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise StdoutError(f"cannot write to stdout: {error.strerror or error}") from error


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what is still buffered cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the exit status: 0 ok, 1 the API, the network or writing the output failed, 2 a usage error,
    3 the output was written but marks some items failed (a session participant whose peer report failed)."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A name the terminal cannot show is escaped in the table, not fatal; exports are written as UTF-8 bytes.
        sys.stdout.reconfigure(errors="backslashreplace")
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
        _discard_stdout()
        return EXIT_FAILED
    except StdoutError as error:  # e.g. > /dev/full
        _discard_stdout()
        print(f"{PROG}: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # the promise is one line, never a traceback
        print(f"{PROG}: error: unexpected {type(error).__name__}: {printable(str(error))}", file=sys.stderr)
        return EXIT_FAILED
