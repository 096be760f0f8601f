# Copied from scripts/generator/lib/cli/peer_report.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""``realtimekit peer-report``: one peer's report (GetParticipantDataFromPeerId) with its diagnosis.

The verdict per media kind and direction (from MOS), the worst periods and their likely causes (all from
``realtimekit_client.analysis``: this view states them, it does not judge), sparklines of MOS, packet loss, RTT and
jitter over the call, the device and network facts, and the events. Exports: ``--rows samples`` (one row per
quality sample, as ``analysis.samples`` reads them) or ``--rows events``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import textwrap
from collections.abc import Iterable

from .. import analysis
from ..api.sessions import get_participant_data_from_peer_id
from ..models import (
    CandidatePair,
    PeerEvent,
    PeerReport,
    PeerReportEvent,
    PeerReportMetadata,
    PeerReportParticipant,
    PeerReportResponse,
)
from ..types import UNSET
from . import export
from .charts import Chart, Line, Mark, Period, sparklines
from .common import (
    NEVER,
    Clock,
    Context,
    Failure,
    Output,
    call,
    check_id,
    escaped,
    field_lines,
    fmt,
    given,
    items,
    joined,
    minutes_text,
    num,
    raw_output,
    with_suffix,
    yes_no,
)
from .participant import facts_of, parse_filters
from .report_html import Page, Table, render

SAMPLE_COLUMNS = ["time", "kind", "direction", "mos", "packet_loss_percent", "rtt_ms", "jitter_ms"]
EVENT_COLUMNS = ["time", "source", "name", "details"]
WORST_PERIODS = 5
WRAP = 116
MEASURES = (  # (title, Sample attribute, unit, higher is better, fixed scale)
    ("MOS", "mos", "", True, (1.0, 5.0)),
    ("packet loss", "packet_loss", " %", False, None),
    ("RTT", "rtt", " ms", False, None),
    ("jitter", "jitter", " ms", False, None),
)
DEVICE_KINDS = {"audioinput": "microphone", "videoinput": "camera", "audiooutput": "speaker"}


def check(args: argparse.Namespace) -> None:
    check_id("--account-id", args.account_id, 32)
    check_id("--app-id", args.app_id, 32)
    check_id("--peer-id", args.peer_id)
    args.filter_list = parse_filters(args.filters)


def run(args: argparse.Namespace, ctx: Context) -> Output:
    filters = args.filter_list
    raw, parsed = call(
        ctx,
        lambda: get_participant_data_from_peer_id.sync_detailed(
            args.account_id,
            args.app_id,
            args.peer_id,
            client=ctx.client,
            filters=filters if filters is not None else UNSET,
            include_peer_events=True if args.include_peer_events else UNSET,
        ),
        PeerReportResponse,
        raw_wanted=args.json,
    )
    if args.json:
        return raw_output(raw, parsed)
    assert parsed is not None
    as_sent = participant_of(parsed)
    clock = Clock(ctx.tz, given(as_sent.joined_at) or given(as_sent.created_at))
    # For people, every string the API sent is escaped before it is laid out, so none can break a line or the
    # terminal (or the HTML page); the exports carry the server's text and numbers as they came.
    shown = PeerView(participant_of(PeerReportResponse.from_dict(escaped(parsed.to_dict()))), clock)
    html = render(shown.page()) if args.html else None
    if args.format == "table":
        return Output(shown.summary(bool(args.include_peer_events), ascii_only=ctx.ascii_only), html=html)
    exported = PeerView(as_sent, clock)
    if args.rows == "events":
        return Output(export.render(exported.event_rows(), EVENT_COLUMNS, args.format), html=html)
    return Output(export.render(exported.sample_rows(), SAMPLE_COLUMNS, args.format), html=html)


def participant_of(response: PeerReportResponse) -> PeerReportParticipant:
    data = given(response.data)
    p = data and given(data.participant)
    if not p:
        raise Failure("the response holds no participant")
    return p


def stream_name(kind: str, direction: str) -> str:
    """'screenshare_video', 'send' -> 'screenshare video send'."""
    return f"{kind.replace('_', ' ')} {direction}"


def problem_streams(kind: str, direction: str) -> str:
    """A problem's streams: 'audio+video', 'send+receive' -> 'audio, video (sent and received)'."""
    kinds = ", ".join(part.replace("_", " ") for part in kind.split("+"))
    done = {"send": "sent", "receive": "received"}
    directions = " and ".join(done.get(part, part) for part in direction.split("+"))
    return f"{kinds} ({directions})"


def cause_label(code: str) -> str:
    return analysis.CAUSES.get(code, code)


class PeerView:
    """One peer report, its diagnosis and samples, laid out for the table view, the exports and the HTML page."""

    def __init__(self, p: PeerReportParticipant, clock: Clock) -> None:
        self.p = p
        self.clock = clock
        self.report: PeerReport | None = given(p.peer_report)
        self.metadata: PeerReportMetadata | None = self.report and given(self.report.metadata) or None
        self.diagnosis = analysis.diagnose(p, clock.tz)
        self.samples = analysis.samples(p)

    # -- facts ---------------------------------------------------------------------------------------------------

    def participant_facts(self) -> list[tuple[str, str | None]]:
        p, clock = self.p, self.clock
        duration = num(p.duration)
        joined_at, left_at = given(p.joined_at), given(p.left_at)
        if duration is None and joined_at and left_at:
            duration = (left_at - joined_at).total_seconds() / 60
        return [
            ("peer id", given(p.id)),
            ("user id", given(p.user_id)),
            ("custom id", given(p.custom_participant_id)),
            ("session id", given(p.session_id)),
            ("role", given(p.role)),
            ("joined", clock.full(joined_at)),
            ("left", clock.full(left_at) if left_at else "- (no leave time)"),
            ("duration", minutes_text(duration)),
        ]

    def device_facts(self) -> list[tuple[str, str | None]]:
        m = self.metadata
        if m is None:
            return []
        browser_meta, device = given(m.browser_metadata), given(m.device_info)
        native = given(m.native_metadata)
        browser = browser_meta and joined(given(browser_meta.browser), given(browser_meta.browser_version), sep=" ")
        cpus = num(device.cpus) if device else None
        is_mobile = given(device.is_mobile) if device else None
        system = device and joined(
            joined(given(device.os), given(device.os_version), sep=" "),
            None if is_mobile is None else ("mobile" if is_mobile else "desktop"),
            f"{fmt(cpus)} CPUs" if cpus is not None else None,
        )
        sdk = joined(given(m.sdk_name), given(m.sdk_version), sep=" ")
        rows: list[tuple[str, str | None]] = [
            ("browser", with_suffix(browser or None, given(browser_meta.engine) if browser_meta else None)),
            ("system", system or None),
            ("SDK", with_suffix(sdk, given(m.sdk_type))),
            ("encoders", native and joined(given(native.audio_encoder), given(native.video_encoder)) or None),
            ("WebGL", yes_no(browser_meta.webgl_support) if browser_meta else None),
        ]
        latest: dict[str, tuple[datetime.datetime, str]] = {}
        for update in items(m.selected_device_updates):
            device_info, moment = given(update.device), given(update.timestamp) or NEVER
            kind = device_info and given(device_info.kind)
            label = device_info and given(device_info.label)
            if kind and label and (kind not in latest or moment >= latest[kind][0]):
                latest[kind] = (moment, label)
        rows += [(name, latest[kind][1]) for kind, name in DEVICE_KINDS.items() if kind in latest]
        return rows

    def network_facts(self) -> list[tuple[str, str | None]]:
        m = self.metadata
        if m is None:
            return []
        ip = given(m.ip_information)
        rows: list[tuple[str, str | None]] = []
        if ip:
            asn = given(ip.asn)
            place = joined(given(ip.city), given(ip.region), given(ip.country))
            isp = given(ip.org) or (asn and joined(given(asn.asn), given(asn.name), sep=" "))
            rows += [
                ("location", with_suffix(place, given(ip.timezone))),
                ("network", joined(given(ip.ipv4), isp or None)),
                ("network kind", asn and given(asn.type_) or None),
            ]
        connections = [pc for pc in items(m.pc_metadata)]
        last = connections[-1] if connections else None
        if last is not None:
            checks = (("STUN", last.reflexive_connectivity), ("relay", last.relay_connectivity),
                      ("TURN", last.turn_connectivity))  # fmt: skip
            rows += [
                ("connection type", given(last.effective_network_type)),
                ("connectivity", joined(*(f"{label} {answer}" for label, ok in checks if (answer := yes_no(ok))))),
            ]
        pairs = given(m.candidate_pairs)
        if pairs:
            rows += [
                ("sending via", describe_pair(items(pairs.producing_transport))),
                ("receiving via", describe_pair(items(pairs.consuming_transport))),
            ]
        return rows

    # -- quality -------------------------------------------------------------------------------------------------

    def charts(self) -> list[Chart]:
        streams: dict[str, list[analysis.Sample]] = {}
        for sample in sorted(self.samples, key=lambda sample: sample.time):
            streams.setdefault(stream_name(sample.kind, sample.direction), []).append(sample)
        result = []
        for title, attribute, unit, higher_is_better, scale in MEASURES:
            lines = []
            for name, samples in streams.items():
                points = [(s.time, value) for s in samples if (value := num(getattr(s, attribute))) is not None]
                if points:
                    lines.append(Line(name, points))
            result.append(Chart(title, unit, lines, higher_is_better, scale))
        return result

    def periods(self) -> list[Period]:
        return [
            Period(problem.start, problem.end, f"{problem_streams(problem.kind, problem.direction)}: {problem.what}"
                   f" (likely cause: {cause_label(problem.cause)})")
            for problem in self.diagnosis.problems
        ]  # fmt: skip

    def quality_lines(self) -> list[str]:
        d = self.diagnosis
        causes = ", ".join(cause_label(code) for code in d.causes)
        lines = [f"Verdict: {d.overall}" + (f"; likely cause: {causes}" if causes else "")]
        if d.streams:
            lines.append("Quality by media (MOS from 1 to 5, higher is better)")
            rows = [
                (stream_name(s.kind, s.direction), f"{s.verdict:<8}  MOS {fmt(s.mos)} ({s.samples} samples)")
                for s in d.streams
            ]
            lines += field_lines(rows)
        else:
            lines.append("Quality by media: no quality samples in the report")
        if d.problems:
            lines.append(f"Worst periods (worst first, {self.clock.name})")
            for problem in d.problems[:WORST_PERIODS]:
                span = f"{self.clock.short(problem.start)}-{self.clock.short(problem.end)}"
                indent = " " * (len(span) + 4)
                lines.append(f"  {span}  {problem_streams(problem.kind, problem.direction)}: {problem.what}")
                why = f"likely cause: {cause_label(problem.cause)}. {problem.explanation}"
                lines += textwrap.wrap(why, WRAP, initial_indent=indent, subsequent_indent=indent)
            if len(d.problems) > WORST_PERIODS:
                lines.append(f"  ... and {len(d.problems) - WORST_PERIODS} more (--html shows them all)")
        else:
            lines.append("Worst periods: none found")
        lines += [f"Note: {note}" for note in d.notes]
        return lines

    def tables(self) -> list[Table]:
        """The verdict per stream and every bad period, for the HTML page."""
        d, clock = self.diagnosis, self.clock
        streams = [[stream_name(s.kind, s.direction), s.verdict, fmt(s.mos), str(s.samples)] for s in d.streams]
        problems = [
            [clock.short(p.start), clock.short(p.end), problem_streams(p.kind, p.direction), p.what,
             cause_label(p.cause), p.explanation]
            for p in d.problems
        ]  # fmt: skip
        return [
            Table("Quality by media", ["stream", "verdict", "MOS (1-5)", "samples"], streams),
            Table(
                f"Bad periods, worst first ({len(problems)})",
                ["from", "to", "stream", "what", "likely cause", "why"],
                problems or [["-", "-", "-", "none found", "-", "-"]],
            ),
        ]

    # -- events --------------------------------------------------------------------------------------------------

    def events(self) -> list[tuple[datetime.datetime | None, str, str, str]]:
        """(time, source, name, details) of the peer's events and the report's events, by time."""
        found = [peer_event(event) for event in items(self.p.peer_events)]
        found += [report_event(event) for event in items(self.metadata.events if self.metadata else None)]
        found.sort(key=lambda event: event[0] or NEVER)
        return found

    def event_rows(self) -> list[dict[str, export.Cell]]:
        return [
            {"time": self.clock.iso(moment), "source": source, "name": name, "details": details or None}
            for moment, source, name, details in self.events()
        ]

    def sample_rows(self) -> list[dict[str, export.Cell]]:
        return [
            {
                "time": self.clock.iso(s.time),
                "kind": s.kind,
                "direction": s.direction,
                "mos": num(s.mos),
                "packet_loss_percent": num(s.packet_loss),
                "rtt_ms": num(s.rtt),
                "jitter_ms": num(s.jitter),
            }
            for s in sorted(self.samples, key=lambda s: (s.time, s.kind, s.direction))
        ]

    # -- the views -----------------------------------------------------------------------------------------------

    def summary(self, asked_for_peer_events: bool, *, ascii_only: bool = False) -> str:
        name = given(self.p.display_name) or "(no display name)"
        blocks = [
            [f"Peer report: {name}", *field_lines(self.participant_facts())],
            self.quality_lines(),
        ]
        if self.samples:
            blocks.append(sparklines(self.charts(), self.clock, ascii_only=ascii_only))
        device, network = self.device_facts(), self.network_facts()
        blocks.append(["Device and browser", *field_lines(device)] if any(v for _, v in device) else
                      ["Device and browser: not in the report"])  # fmt: skip
        blocks.append(["Location and network", *field_lines(network)] if any(v for _, v in network) else
                      ["Location and network: not in the report"])  # fmt: skip
        events = self.events()
        if events:
            width = max(len(event_name) for _, _, event_name, _ in events)
            lines = [f"Events ({len(events)}, in time order, {self.clock.name})"]
            for moment, _, event_name, details in events:
                lines.append(f"  {self.clock.short(moment):<8}  {event_name.ljust(width)}  {details}".rstrip())
            blocks.append(lines)
        else:
            hint = "" if asked_for_peer_events else " (add --include-peer-events for join and leave events)"
            blocks.append([f"Events: none in the report{hint}"])
        return "\n\n".join("\n".join(block) for block in blocks) + "\n"

    def page(self) -> Page:
        name = given(self.p.display_name) or "(no display name)"
        return Page(
            title=f"Peer report: {name}",
            subtitle=f"peer {given(self.p.id) or '?'}, session {given(self.p.session_id) or '?'},"
            f" times in {self.clock.name}",
            clock=self.clock,
            summary=[self.quality_lines()[0], *(f"Note: {note}" for note in self.diagnosis.notes)],
            tables=self.tables(),
            charts=self.charts(),
            periods=self.periods(),
            marks=[Mark(moment, name) for moment, _, name, _ in self.events() if moment is not None],
            facts=facts_of(
                ("Participant", self.participant_facts()),
                ("Device and browser", self.device_facts()),
                ("Location and network", self.network_facts()),
            ),
        )


def describe_pair(pairs: Iterable[CandidatePair]) -> str | None:
    """The selected candidate pair as people read it: 'relay tcp -> host udp, RTT 312 ms, up to 2953 kbit/s'. It is
    the pair the diagnosis judges (analysis.selected_pairs): the nominated one, else the one with the most bytes,
    then said so."""
    chosen = next(iter(analysis.selected_pairs(list(pairs))), None)
    if chosen is None:
        return None
    nominated = given(chosen.nominated) is True
    local = joined(given(chosen.local_candidate_type), given(chosen.local_candidate_protocol), sep=" ")
    remote = joined(given(chosen.remote_candidate_type), given(chosen.remote_candidate_protocol), sep=" ")
    rtt = num(chosen.current_round_trip_time)  # seconds (W3C)
    out, incoming = num(chosen.available_outgoing_bitrate), num(chosen.available_incoming_bitrate)  # bit/s
    return joined(
        f"{local or '?'} -> {remote or '?'}",
        f"RTT {fmt(rtt * 1000, ' ms')}" if rtt is not None else None,
        f"available up {round(out / 1000)} kbit/s" if out is not None else None,
        f"down {round(incoming / 1000)} kbit/s" if incoming is not None else None,
        None if nominated else "none nominated: the pair that carried the most bytes",
    )


def peer_event(event: PeerEvent) -> tuple[datetime.datetime | None, str, str, str]:
    view, minutes = given(event.preset_view_type), num(event.minutes_consumed)
    details = joined(f"view {view}" if view else None, f"{fmt(minutes)} min used" if minutes else None)
    return given(event.created_at), "peer_event", str(given(event.event_name) or "?"), details or ""


def report_event(event: PeerReportEvent) -> tuple[datetime.datetime | None, str, str, str]:
    metadata = given(event.metadata) or {}
    shown = {key: value if isinstance(value, str) else json.dumps(value) for key, value in metadata.items()}
    details = ", ".join(f"{key}={value}" for key, value in shown.items() if value != "null")
    return given(event.timestamp), "report_event", given(event.name) or "?", details
