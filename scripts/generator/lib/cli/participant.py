"""``realtimekit participant``: one participant of a session (GetParticipantDetails), as people read it.

Who, on what device and network, how the call went (quality, packet loss and jitter over the intervals the API
reports, with sparklines), and the peer's events in time order. Exports: ``--rows samples`` (one row per quality
sample) or ``--rows events``.
"""

from __future__ import annotations

import argparse
import datetime

from ..api.sessions import get_participant_details
from ..models import (
    AudioStats,
    Participant,
    ParticipantDetailsResponse,
    ParticipantFilter,
    PeerStats,
    QualityStats,
    VideoStats,
)
from ..types import UNSET
from . import export
from .charts import Chart, Line, Mark, sparklines
from .common import (
    NEVER,
    Clock,
    Context,
    Failure,
    Output,
    UsageError,
    call,
    check_id,
    escaped,
    field_lines,
    fmt,
    given,
    items,
    joined,
    mean,
    minutes_text,
    num,
    opt,
    raw_output,
    with_suffix,
    yes_no,
)
from .report_html import Page, render

FILTER_NAMES = tuple(member.value for member in ParticipantFilter)
WORST_INTERVALS = 3
SAMPLE_COLUMNS = [
    "time",
    "kind",
    "quality",
    "jitter_ms",
    "packets_lost",
    "concealment_events",
    "frames_per_second",
    "frame_width",
    "frame_height",
    "frames_dropped",
    "interval_start",
    "interval_end",
    "interval_packet_loss_percent",
]
EVENT_COLUMNS = ["time", "source", "name", "preset_view_type", "minutes_consumed"]


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


def check(args: argparse.Namespace) -> None:
    """Every argument of this view, before anything is sent."""
    check_id("--account-id", args.account_id, 32)
    check_id("--app-id", args.app_id, 32)
    check_id("--session-id", args.session_id)
    check_id("--participant-id", args.participant_id)
    args.filter_list = parse_filters(args.filters)


def run(args: argparse.Namespace, ctx: Context) -> Output:
    filters = args.filter_list
    raw, parsed = call(
        ctx,
        lambda: get_participant_details.sync_detailed(
            args.account_id,
            args.app_id,
            args.session_id,
            args.participant_id,
            client=ctx.client,
            filters=filters if filters is not None else UNSET,
            include_peer_events=True if args.include_peer_events else UNSET,
        ),
        ParticipantDetailsResponse,
        raw_wanted=args.json,
    )
    if args.json:
        return raw_output(raw, parsed)
    assert parsed is not None
    as_sent = participant_of(parsed)  # the exports carry the server's text and numbers as they came
    # For people, every string the API sent is escaped before it is laid out, so none can break a line or the
    # terminal (or the HTML page: a bidi override would reorder it).
    p = participant_of(ParticipantDetailsResponse.from_dict(escaped(parsed.to_dict())))
    clock = Clock(ctx.tz, given(p.joined_at) or given(p.created_at))
    html = render(page(p, args, clock)) if args.html else None
    if args.format == "table":
        text = summary(p, args, clock, ascii_only=ctx.ascii_only)
    elif args.rows == "events":
        text = export.render(event_rows(as_sent, clock), EVENT_COLUMNS, args.format)
    else:
        text = export.render(sample_rows(as_sent, clock), SAMPLE_COLUMNS, args.format)
    return Output(text, html=html)


def participant_of(response: ParticipantDetailsResponse) -> Participant:
    data = given(response.data)
    p = data and given(data.participant)
    if not p:
        raise Failure("the response holds no participant")
    return p


# -- rows ------------------------------------------------------------------------------------------------------------


def intervals_of(p: Participant) -> list[QualityStats]:
    return sorted(items(p.quality_stats), key=lambda interval: given(interval.start) or NEVER)


def sample_rows(p: Participant, clock: Clock) -> list[dict[str, export.Cell]]:
    """One row per audio or video sample, with its interval's span and packet loss."""
    rows: list[dict[str, export.Cell]] = []
    for interval in intervals_of(p):
        common: dict[str, export.Cell] = {
            "interval_start": clock.iso(interval.start),
            "interval_end": clock.iso(interval.end),
        }
        samples: list[tuple[str, AudioStats | VideoStats]] = [
            *(("audio", s) for s in items(interval.audio_stats)),
            *(("video", s) for s in items(interval.video_stats)),
        ]
        for kind, sample in samples:
            loss = interval.audio_packet_loss if kind == "audio" else interval.video_packet_loss
            row: dict[str, export.Cell] = {
                "time": clock.iso(sample.timestamp),
                "kind": kind,
                "quality": num(sample.quality),
                "jitter_ms": num(sample.jitter),
                "packets_lost": num(sample.packets_lost),
                **common,
                "interval_packet_loss_percent": num(loss),
            }
            if isinstance(sample, AudioStats):
                row["concealment_events"] = num(sample.concealment_events)
            else:
                row["frames_per_second"] = num(sample.frames_per_second)
                row["frame_width"] = num(sample.frame_width)
                row["frame_height"] = num(sample.frame_height)
                row["frames_dropped"] = num(sample.frames_dropped)
            rows.append(row)
    rows.sort(key=lambda row: str(row["time"]) or "~")  # same zone for all: ISO strings sort in time order
    return rows


Event = tuple[datetime.datetime | None, str, str, str, float | None]


def _events(p: Participant, stats: PeerStats | None) -> list[Event]:
    """(time, source, name, view, minutes used) of the peer's events and its stats events, by time."""
    events: list[Event] = [
        (
            given(event.created_at),
            "peer_event",
            str(given(event.event_name) or "?"),
            str(given(event.preset_view_type) or ""),
            num(event.minutes_consumed),
        )
        for event in items(p.peer_events)
    ]
    for stats_event in items(stats.events) if stats else []:
        events.append((given(stats_event.timestamp), "stats_event", given(stats_event.type_) or "?", "", None))
    events.sort(key=lambda event: event[0] or NEVER)  # stable: events without a time keep their order, last
    return events


def event_rows(p: Participant, clock: Clock) -> list[dict[str, export.Cell]]:
    return [
        {"time": clock.iso(moment), "source": source, "name": name, "preset_view_type": view or None,
         "minutes_consumed": minutes}
        for moment, source, name, view, minutes in _events(p, given(p.peer_stats))
    ]  # fmt: skip


# -- charts ----------------------------------------------------------------------------------------------------------


def charts(p: Participant) -> list[Chart]:
    """Quality, packet loss and jitter over the call (this operation reports no RTT per sample)."""
    intervals = intervals_of(p)
    audio = [s for i in intervals for s in items(i.audio_stats)]
    video = [s for i in intervals for s in items(i.video_stats)]

    def line(label: str, samples: list[AudioStats] | list[VideoStats], attribute: str) -> Line:
        points = []
        for sample in samples:
            moment, value = given(sample.timestamp), num(getattr(sample, attribute))
            if moment is not None and value is not None:
                points.append((moment, value))
        return Line(label, points)

    def loss(label: str, attribute: str) -> Line:
        points = []
        for interval in intervals:
            moment, value = given(interval.start), num(getattr(interval, attribute))
            if moment is not None and value is not None:
                points.append((moment, value))
        return Line(label, points)

    def kept(*lines: Line) -> list[Line]:
        return [line for line in lines if line.points]

    return [
        Chart(
            "quality",
            "",
            kept(line("audio", audio, "quality"), line("video", video, "quality")),
            higher_is_better=True,
            scale=(1.0, 5.0),
        ),
        Chart("packet loss", " %", kept(loss("audio", "audio_packet_loss"), loss("video", "video_packet_loss"))),
        Chart("RTT", " ms", [], missing="not reported per sample by this operation (see `realtimekit peer-report`)"),
        Chart("jitter", " ms", kept(line("audio", audio, "jitter"), line("video", video, "jitter"))),
    ]


# -- the summary -----------------------------------------------------------------------------------------------------


def participant_facts(p: Participant, args: argparse.Namespace, clock: Clock) -> list[tuple[str, str | None]]:
    duration = num(p.duration)
    joined_at, left_at = given(p.joined_at), given(p.left_at)
    if duration is None and joined_at and left_at:
        duration = (left_at - joined_at).total_seconds() / 60
    return [
        ("participant id", args.participant_id),
        ("peer id", given(p.id)),
        ("user id", given(p.user_id)),
        ("custom id", given(p.custom_participant_id)),
        ("session id", args.session_id),
        ("app / account", f"{args.app_id} / {args.account_id}"),
        ("preset", given(p.preset_name)),
        ("joined", clock.full(joined_at)),
        ("left", clock.full(left_at) if left_at else "- (no leave time)"),
        ("duration", minutes_text(duration)),
    ]


def section_participant(p: Participant, args: argparse.Namespace, clock: Clock) -> list[str]:
    return [
        f"Participant: {given(p.display_name) or '(no display name)'}",
        *field_lines(participant_facts(p, args, clock)),
    ]


def device_facts(stats: PeerStats | None) -> list[tuple[str, str | None]]:
    device = stats and given(stats.device_info)
    if not device:
        return []
    cpus, memory, is_mobile = num(device.cpus), num(device.memory), given(device.is_mobile)
    system = joined(
        joined(given(device.os), given(device.os_version), sep=" "),
        None if is_mobile is None else ("mobile" if is_mobile else "desktop"),
        f"{fmt(cpus)} CPUs" if cpus is not None else None,
        f"{fmt(memory)} GB memory" if memory is not None else None,
    )
    browser = joined(given(device.browser), given(device.browser_version), sep=" ")
    return [
        ("browser", with_suffix(browser, given(device.engine))),
        ("system", system),
        ("SDK", joined(given(device.sdk_name), given(device.sdk_version), sep=" ")),
        ("WebGL", given(device.webgl_support)),
    ]


def network_facts(stats: PeerStats | None) -> list[tuple[str, str | None]]:
    ip = stats and given(stats.ip_information)
    net = stats and given(stats.precall_network_information)
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
        throughput = num(net.throughtput)  # sic: the API's spelling
        rows += [
            ("connection type", given(net.effective_networktype)),
            (
                "pre-call RTT",
                with_suffix(opt(num(net.rtt), " ms"), backend_rtt and f"backend {fmt(backend_rtt, ' ms')}"),
            ),
            ("pre-call jitter", opt(num(net.jitter), " ms")),
            ("pre-call loss", opt(None if loss is None else loss * 100, " %")),
            ("throughput", opt(throughput, " (unit not documented)")),
            ("connectivity", joined(*(f"{label} {answer}" for label, ok in checks if (answer := yes_no(ok))))),
        ]
    return rows


def section_device(stats: PeerStats | None) -> list[str]:
    facts = device_facts(stats)
    return ["Device and browser", *field_lines(facts)] if facts else ["Device and browser: not in the response"]


def section_network(stats: PeerStats | None) -> list[str]:
    facts = network_facts(stats)
    return ["Location and network", *field_lines(facts)] if facts else ["Location and network: not in the response"]


def section_quality(p: Participant, clock: Clock) -> list[str]:
    intervals = intervals_of(p)
    if not intervals:
        return ["Call quality: not in the response"]

    def span(interval: QualityStats) -> str:
        return f"{clock.short(interval.start)}-{clock.short(interval.end)}"

    rows: list[tuple[str, str | None]] = []
    averages = [(q, i) for i in intervals if (q := num(i.average_quality)) is not None]
    if averages:
        lowest, where = min(averages, key=lambda pair: pair[0])
        overall = mean([q for q, _ in averages])
        rows.append(("average quality", f"{fmt(overall)} (lowest interval {fmt(lowest)} at {span(where)})"))
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
            average = mean([q for q, _ in qualities])
            shown = f"average {fmt(average)}, worst {fmt(worst)} at {clock.short(when)} ({len(qualities)} samples)"
            rows.append((f"{kind} quality", shown))
    for kind, losses in interval_losses.items():
        if losses:
            highest, where = max(losses, key=lambda pair: pair[0])
            counts = [lost for s in samples[kind] if (lost := num(s.packets_lost)) is not None]
            counted = f"; {fmt(sum(counts))} packets lost in the samples" if counts else ""
            average = mean([q for q, _ in losses])
            shown = f"average {fmt(average, ' %')}, worst {fmt(highest, ' %')} at {span(where)}{counted}"
            rows.append((f"{kind} packet loss", shown))
    count = f"{len(intervals)} interval" + ("s" if len(intervals) != 1 else "")
    start, end = clock.short(intervals[0].start), clock.short(intervals[-1].end)
    whole = f", {start}-{end} {clock.name}" if start != "?" and end != "?" else ""
    lines = [f"Call quality ({count}{whole}; quality from 1 to 5, higher is better)", *field_lines(rows)]
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
            lines.append(f"    {span(interval)}  {details}")
    return lines


def section_events(p: Participant, clock: Clock, asked_for_peer_events: bool) -> list[str]:
    """The peer's events (PEER_CREATED, PEER_JOINING, ...) and its stats events (precall_begin, ...), by time."""
    events = _events(p, given(p.peer_stats))
    if not events:
        hint = "" if asked_for_peer_events else " (add --include-peer-events for join and leave events)"
        return [f"Peer events: none in the response{hint}"]
    width = max(len(name) for _, _, name, _, _ in events)
    lines = [f"Peer events ({len(events)}, in time order, {clock.name})"]
    for moment, _, name, view, minutes in events:
        details = joined(f"view {view}" if view else None, f"{fmt(minutes)} min used" if minutes else None) or ""
        lines.append(f"  {clock.short(moment):<8}  {name.ljust(width)}  {details}".rstrip())
    return lines


def summary(p: Participant, args: argparse.Namespace, clock: Clock, *, ascii_only: bool = False) -> str:
    stats = given(p.peer_stats)
    blocks = [
        section_participant(p, args, clock),
        section_device(stats),
        section_network(stats),
        section_quality(p, clock),
    ]
    if intervals_of(p):
        blocks.append(sparklines(charts(p), clock, ascii_only=ascii_only))
    blocks.append(section_events(p, clock, bool(args.include_peer_events)))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def page(p: Participant, args: argparse.Namespace, clock: Clock) -> Page:
    stats = given(p.peer_stats)
    name = given(p.display_name) or "(no display name)"
    return Page(
        title=f"Participant: {name}",
        subtitle=f"session {args.session_id}, participant {args.participant_id}, times in {clock.name}",
        clock=clock,
        summary=[" ".join(line.split()) for line in section_quality(p, clock)],
        charts=charts(p),
        marks=[Mark(moment, name) for moment, _, name, _, _ in _events(p, stats) if moment is not None],
        facts=facts_of(
            ("Participant", participant_facts(p, args, clock)),
            ("Device and browser", device_facts(stats)),
            ("Location and network", network_facts(stats)),
        ),
    )


def facts_of(*sections: tuple[str, list[tuple[str, str | None]]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The sections that have a fact, each with only the facts that have a value."""
    kept = [(title, [(label, value) for label, value in facts if value]) for title, facts in sections]
    return [(title, facts) for title, facts in kept if facts]
