# Copied from scripts/generator/lib/cli/session.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""``realtimekit session``: every participant of a session, worst call first, one line each.

The participants are listed page by page (``aiter_session_participants``) while their peer reports are fetched
concurrently, at most ``--concurrency`` requests in flight; each report is diagnosed by ``realtimekit_client.analysis``
and the participants are ranked worst first: poor, fair, failed, no data, good, and within a verdict by the most
severe problem, then the lowest MOS. A report that cannot be fetched or read (a 5xx after the retries, "success":
false, a body that does not parse, a timeout) marks its participant "failed" with the reason, the others are still
ranked, and the exit status is 3 (EXIT_PARTIAL) with one warning line naming the peers; a 401 or 403 stops the
command (every report would fail alike). Progress goes to stderr when it is a terminal and the work takes more
than a moment.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass
from typing import TextIO

from .. import analysis
from ..api.sessions import get_participant_data_from_peer_id
from ..api.sessions.get_session_participants import aiter_session_participants
from ..errors import APIStatusError, RealtimeKitError, printable
from ..models import SessionParticipant
from . import export
from .common import (
    EXIT_PARTIAL,
    Clock,
    Context,
    Failure,
    Output,
    UsageError,
    before_log_line,
    check_id,
    describe,
    fit,
    fmt,
    given,
    num,
    plural,
)
from .peer_report import cause_label, problem_streams, stream_name
from .report_html import Page, Table, render

COLUMNS = [
    "rank",
    "verdict",
    "display_name",
    "peer_id",
    "custom_participant_id",
    "user_id",
    "joined_at",
    "left_at",
    "duration_minutes",
    "main_cause",
    "main_cause_label",
    "causes",
    "problems",
    "worst_problem",
    "lowest_mos",
    "lowest_mos_stream",
    "error",
]
VERDICT_ORDER = {"poor": 0, "fair": 1, "failed": 2, "no data": 3, "good": 4}
"""The ranking: "failed" is a participant whose peer report could not be fetched or read (the error column says
why); "no data" one without a report (404) or without quality samples."""
ACCOUNT_WIDE = (401, 403)
"""Statuses that would fail every report alike (the token): they stop the command instead of marking each row."""
NAME_WIDTH = 24


def check(args: argparse.Namespace) -> None:
    check_id("--account-id", args.account_id, 32)
    check_id("--app-id", args.app_id, 32)
    check_id("--session-id", args.session_id)
    if args.json:
        raise UsageError("--json prints one response as received; a session is many: use --format json or jsonl")
    if not 1 <= args.concurrency <= 64:
        raise UsageError(f"--concurrency must be from 1 to 64, got {args.concurrency}")
    if not 1 <= args.per_page <= 200:
        raise UsageError(f"--per-page must be from 1 to 200, got {args.per_page}")


@dataclass(frozen=True)
class Entry:
    """One participant and what its peer report says (or why there is none)."""

    participant: SessionParticipant
    diagnosis: analysis.Diagnosis | None
    error: str | None = None
    failed: bool = False  # the report could not be fetched or read (error says why), unlike a 404's "no data"

    @property
    def verdict(self) -> str:
        return "failed" if self.failed else self.diagnosis.overall if self.diagnosis else "no data"

    @property
    def lowest(self) -> analysis.StreamQuality | None:
        rated = [s for s in self.diagnosis.streams if s.mos is not None] if self.diagnosis else []
        return min(rated, key=lambda s: s.mos or 0.0) if rated else None

    def rank_key(self) -> tuple[int, float, float, str]:
        worst = max((p.severity for p in self.diagnosis.problems), default=0.0) if self.diagnosis else 0.0
        lowest = self.lowest
        name = given(self.participant.display_name) or ""
        mos = lowest.mos if lowest is not None and lowest.mos is not None else 5.0
        return VERDICT_ORDER.get(self.verdict, 2), -worst, mos, name


class Progress:
    """'listed 20 participants, 8 of 20 reports' on one stderr line, redrawn in place; only on a terminal and only
    once the work has taken more than ``delay`` seconds. ``done()`` clears the line."""

    def __init__(self, stream: TextIO, delay: float = 0.5, every: float = 0.1) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.delay, self.every = delay, every
        self.listed = self.fetched = 0
        self.listing = True
        self.shown = 0
        self.last = 0.0
        if self.enabled:
            before_log_line[:] = [self.done]  # a log line (RTK_LOG) clears this line first

    def update(self, *, listed: int = 0, fetched: int = 0, listing_done: bool = False, force: bool = False) -> None:
        self.listed += listed
        self.fetched += fetched
        self.listing = self.listing and not listing_done
        now = time.monotonic()
        if not self.enabled or now - self.started < self.delay or (now - self.last < self.every and not force):
            return
        self.last = now
        more = "+" if self.listing else ""
        text = f"realtimekit: {self.listed}{more} participants, {self.fetched} of {self.listed}{more} peer reports"
        self.stream.write("\r" + text.ljust(self.shown))
        self.stream.flush()
        self.shown = len(text)

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0


async def collect(ctx: Context, args: argparse.Namespace, progress: Progress) -> list[Entry]:
    """Every participant with its diagnosis, in list order; at most args.concurrency report requests in flight."""
    limit = asyncio.Semaphore(args.concurrency)

    async def diagnose(participant: SessionParticipant) -> Entry:
        peer_id = given(participant.id)
        if not peer_id:
            progress.update(fetched=1)
            return Entry(participant, None, "the list gives no peer id")
        async with limit:
            try:
                report = await get_participant_data_from_peer_id.asyncio(
                    args.account_id, args.app_id, peer_id, client=ctx.client
                )
            except APIStatusError as error:
                if error.status_code in ACCOUNT_WIDE:
                    raise
                progress.update(fetched=1)
                if error.status_code == 404:
                    return Entry(participant, None, f"no peer report ({error})")
                return Entry(participant, None, describe(error, ctx.base_url, ctx.timeout), failed=True)
            except (RealtimeKitError, ValueError, TypeError) as error:  # one report, not the ranking of everyone else
                progress.update(fetched=1)
                return Entry(participant, None, describe(error, ctx.base_url, ctx.timeout), failed=True)
        progress.update(fetched=1)
        try:
            return Entry(participant, analysis.diagnose(report))
        except Exception as error:  # noqa: BLE001 - one odd report must not end the ranking of everyone else
            reason = f"the peer report could not be diagnosed ({type(error).__name__})"
            return Entry(participant, None, reason, failed=True)

    tasks: list[asyncio.Task[Entry]] = []
    async with ctx.client:  # the async connection pool, closed at the end
        async with asyncio.TaskGroup() as group:  # the first failure cancels the rest
            listing = aiter_session_participants(
                args.account_id, args.app_id, args.session_id, client=ctx.client, per_page=args.per_page
            )
            async for participant in listing:
                tasks.append(group.create_task(diagnose(participant)))
                progress.update(listed=1)
            progress.update(listing_done=True, force=True)
    return [task.result() for task in tasks]


def run(args: argparse.Namespace, ctx: Context) -> Output:
    progress = Progress(sys.stderr)
    try:
        entries = asyncio.run(collect(ctx, args, progress))
    except* (RealtimeKitError, ValueError, TypeError) as group:
        error = group.exceptions[0]
        while isinstance(error, BaseExceptionGroup):
            error = error.exceptions[0]
        assert isinstance(error, (RealtimeKitError, ValueError, TypeError))
        raise Failure(describe(error, ctx.base_url, ctx.timeout)) from error
    finally:
        progress.done()
    ranked = sorted(entries, key=Entry.rank_key)
    clock = Clock(ctx.tz, min((t for e in ranked if (t := given(e.participant.joined_at))), default=None))
    html = render(page(args, ranked, clock)) if args.html else None
    failed = [entry for entry in ranked if entry.failed]
    warning = None
    if failed:
        named = "; ".join(
            f"{given(e.participant.id) or '?'} ({given(e.participant.display_name) or '?'}): {e.error}" for e in failed
        )
        warning = f"{plural(len(failed), 'peer report')} failed, marked 'failed' in the ranking: {named}"
    status = EXIT_PARTIAL if failed else 0
    if args.format == "table":
        return Output(table(args, ranked, clock), html=html, warning=warning, status=status)
    return Output(export.render(rows(ranked, clock), COLUMNS, args.format), html=html, warning=warning, status=status)


# -- layouts ---------------------------------------------------------------------------------------------------------


def counts(ranked: list[Entry]) -> str:
    tally = {verdict: sum(1 for e in ranked if e.verdict == verdict) for verdict in VERDICT_ORDER}
    return ", ".join(f"{n} {verdict}" for verdict, n in tally.items() if n)


def main_cause(entry: Entry) -> str:
    if entry.error:
        return printable(entry.error)
    if entry.diagnosis and entry.diagnosis.causes:
        return cause_label(entry.diagnosis.causes[0])
    return "-"


def lowest_text(entry: Entry) -> str:
    lowest = entry.lowest
    return f"{fmt(lowest.mos)} {stream_name(lowest.kind, lowest.direction)}" if lowest else "-"


def table(args: argparse.Namespace, ranked: list[Entry], clock: Clock) -> str:
    joined_width = max([8, *(len(clock.short(e.participant.joined_at)) for e in ranked)])  # a date past midnight
    lines = [
        f"Session {args.session_id}: {plural(len(ranked), 'participant')} ({counts(ranked) or 'none'}), worst first",
        "",
        f"{'#':>3}  {'verdict':<7}  {'participant':<{NAME_WIDTH}}  {'joined':<{joined_width}}  {'minutes':>7}  "
        f"{'lowest MOS (1-5)':<31}  likely cause",
    ]
    for rank, entry in enumerate(ranked, 1):
        p = entry.participant
        name = fit(printable(given(p.display_name) or given(p.id) or "?"), NAME_WIDTH)  # the participant's own text
        minutes = num(p.duration)
        lines.append(
            f"{rank:>3}  {entry.verdict:<7}  {name}  {clock.short(p.joined_at):<{joined_width}}  "
            f"{fmt(minutes):>7}  {lowest_text(entry):<31}  {main_cause(entry)}"
        )
    lines += ["", f"Times in {clock.name}. `realtimekit peer-report --peer-id ID` shows one participant in detail."]
    return "\n".join(lines) + "\n"


def rows(ranked: list[Entry], clock: Clock) -> list[dict[str, export.Cell]]:
    result: list[dict[str, export.Cell]] = []
    for rank, entry in enumerate(ranked, 1):
        p, d, lowest = entry.participant, entry.diagnosis, entry.lowest
        worst = d.problems[0] if d and d.problems else None
        result.append(
            {
                "rank": rank,
                "verdict": entry.verdict,
                "display_name": given(p.display_name),
                "peer_id": given(p.id),
                "custom_participant_id": given(p.custom_participant_id),
                "user_id": given(p.user_id),
                "joined_at": clock.iso(p.joined_at) or None,
                "left_at": clock.iso(p.left_at) or None,
                "duration_minutes": num(p.duration),
                "main_cause": d.causes[0] if d and d.causes else None,
                "main_cause_label": cause_label(d.causes[0]) if d and d.causes else None,
                "causes": ";".join(d.causes) if d and d.causes else None,
                "problems": len(d.problems) if d else None,
                "worst_problem": f"{problem_streams(worst.kind, worst.direction)}: {worst.what}" if worst else None,
                "lowest_mos": num(lowest.mos) if lowest else None,
                "lowest_mos_stream": stream_name(lowest.kind, lowest.direction) if lowest else None,
                "error": entry.error,
            }
        )
    return result


def page(args: argparse.Namespace, ranked: list[Entry], clock: Clock) -> Page:
    header = ["#", "verdict", "participant", "peer id", "joined", "minutes", "lowest MOS (1-5)", "likely cause"]
    body = [
        [
            str(rank),
            entry.verdict,
            printable(given(entry.participant.display_name) or "?"),
            printable(given(entry.participant.id) or "?"),
            clock.short(entry.participant.joined_at),
            fmt(num(entry.participant.duration)),
            lowest_text(entry),
            main_cause(entry),
        ]
        for rank, entry in enumerate(ranked, 1)
    ]
    return Page(
        title=f"Session {args.session_id}",
        subtitle=f"{plural(len(ranked), 'participant')}, times in {clock.name}",
        clock=clock,
        summary=[f"{plural(len(ranked), 'participant')}: {counts(ranked) or 'none'}. Ranked worst first."],
        tables=[Table("Participants, worst first", header, body, "ranked")],
    )
