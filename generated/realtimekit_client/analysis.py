# Copied from scripts/generator/lib/analysis.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""Call-quality diagnosis: turn a peer report into a verdict a support engineer can act on.

Use it as ``realtimekit_client.analysis``:

    diagnosis = analysis.diagnose(report)  # a PeerReportResponse, its PeerReportParticipant or the PeerReport
    print(diagnosis.summary())  # e.g. "fair: network congestion, 1 period"
    for problem in diagnosis.problems:  # the worst periods, worst first
        print(problem.start, problem.end, problem.what, analysis.CAUSES[problem.cause])

What it does, in order:

1. ``samples()`` reads every sample of the eight quality series (audio, video, screen-share audio and video; sent
   and received) into ``Sample``: the MOS, RTT and jitter as sent, and the packet loss of the interval from the
   cumulative counters (lost / (lost + sent or received), per stream, the first interval counted from zero).
2. Each stream gets a verdict from its mean MOS (``verdict()``, bands in ``MOS_BANDS``).
3. Rules find problem periods on each series' timeline (at each sample time, the worst of the series' streams):
   runs of at least ``MIN_SAMPLES`` consecutive samples that meet a condition, plus the whole call for a TURN/TCP
   relay. A problem of one cause seen on several streams at overlapping times is reported once, and a problem that
   another one explains (``EXPLAINED_BY``) is dropped: the encoder backing off during congestion is congestion.
4. Notes record what looks odd but is not a problem: microphone or camera turned off, a short call, no data.

The rules, their thresholds and where the thresholds come from are in the README ("Diagnosis") and beside each
constant below. Units are assumed, the API states none: RTT, jitter and jitter-buffer delay in milliseconds, packet
and byte counters cumulative since the stream started, MOS on a 1..5 scale, ``quality_limitation_durations`` in
seconds, event names (``audio_toggle``...) as our stand-in sends them. Everything in a report may be missing or
null; what is missing is left out of the diagnosis, never an exception.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeVar

from .models.audio_consumer_cumulative import AudioConsumerCumulative
from .models.audio_consumer_sample import AudioConsumerSample
from .models.audio_producer_cumulative import AudioProducerCumulative
from .models.audio_producer_sample import AudioProducerSample
from .models.candidate_pair import CandidatePair
from .models.peer_report import PeerReport
from .models.peer_report_metadata import PeerReportMetadata
from .models.peer_report_participant import PeerReportParticipant
from .models.peer_report_quality import PeerReportQuality
from .models.peer_report_response import PeerReportResponse
from .models.video_consumer_cumulative import VideoConsumerCumulative
from .models.video_consumer_sample import VideoConsumerSample
from .models.video_producer_cumulative import VideoProducerCumulative
from .models.video_producer_sample import VideoProducerSample
from .types import Unset

Verdict = Literal["good", "fair", "poor", "no data"]
Report = PeerReportResponse | PeerReportParticipant | PeerReport
"""What diagnose() and samples() take: the parsed response, its participant, or the participant's peer_report."""

KINDS: Final = ("audio", "video", "screenshare_audio", "screenshare_video")
DIRECTIONS: Final = ("send", "receive")  # producer, consumer

# -- thresholds ------------------------------------------------------------------------------------------------------

MOS_BANDS: Final[dict[str, tuple[float, float]]] = {"audio": (4.0, 3.6), "video": (3.5, 2.5)}
"""(good from, fair from) per medium; below fair is poor. Audio: ITU-T G.107 / G.109 user satisfaction, MOS 4.0 ~
R 80 ("satisfied") and MOS 3.6 ~ R 70 ("some users dissatisfied"); the E-model is a speech model. Video has no
E-model: the bands are the nearest labels of the ITU-T P.910 absolute category rating scale (4 good, 3 fair)."""
MOS_RANGE: Final = (1.0, 5.0)
"""A MOS outside this range is not a MOS (the scale is 1 to 5): such a value is read as missing."""
LOSS_PERCENT: Final = 5.0
"""Packet loss above this (percent of the interval's packets) is a problem when sustained (see MIN_SAMPLES); 5 % is
where the E-model's loss impairment (G.107, Opus-like Bpl) alone takes speech out of the 'satisfied' band."""
RTT_MS: Final = 300.0
"""Round-trip time above this is high: ITU-T G.114 keeps one-way delay below 150 ms for interactive speech."""
JITTER_MS: Final = 30.0
"""Audio jitter above this is high: the usual VoIP engineering limit (e.g. Cisco's guidance for voice)."""
MIN_SAMPLES: Final = 3
"""A period needs this many consecutive samples (30 s at the stand-in's 10 s interval): shorter blips are noise."""
LIMITATION_SHARE: Final = 0.10
"""A CPU or bandwidth quality limitation counts when it held for at least this share of the stream's time (our
choice: WebRTC's qualityLimitationReason is normal in short bursts, e.g. at start-up)."""
SHORT_CALL_SECONDS: Final = 60.0
"""A call shorter than this gets a note: two of the 30 s windows the period rules need."""
_DEFAULT_INTERVAL: Final = datetime.timedelta(seconds=10)

CAUSES: Final[dict[str, str]] = {
    "network_congestion": "network congestion",
    "lossy_network": "lossy network (Wi-Fi or mobile radio)",
    "high_latency": "high network latency",
    "network_jitter": "unstable network (jitter)",
    "device_cpu": "device CPU overloaded",
    "limited_bandwidth": "limited uplink bandwidth",
    "firewall_relay_tcp": "firewall blocking UDP (media relayed over TURN/TCP)",
}
"""Cause code -> human label."""

EXPLANATIONS: Final[dict[str, str]] = {
    "network_congestion": (
        f"Packet loss above {LOSS_PERCENT:g} % for {MIN_SAMPLES}+ consecutive samples while the round-trip time was "
        f"above {RTT_MS:g} ms in at least half of them (ITU-T G.114: one-way delay above 150 ms): queues filled up "
        "and overflowed on the participant's network path, usually their uplink or a shared connection."
    ),
    "lossy_network": (
        f"Packet loss above {LOSS_PERCENT:g} % for {MIN_SAMPLES}+ consecutive samples without the round-trip time "
        f"rising above {RTT_MS:g} ms: packets were lost without queueing, as on a weak Wi-Fi or mobile radio link."
    ),
    "high_latency": (
        f"Round-trip time above {RTT_MS:g} ms (ITU-T G.114: one-way delay above 150 ms) for {MIN_SAMPLES}+ "
        f"consecutive samples without loss above {LOSS_PERCENT:g} %: a long route (distance, VPN, satellite) makes "
        "people talk over each other."
    ),
    "network_jitter": (
        f"Audio jitter above {JITTER_MS:g} ms for {MIN_SAMPLES}+ consecutive samples: packets arrived unevenly, so "
        "the receiver had to buffer (delay) or conceal (distort) audio."
    ),
    "device_cpu": (
        f"The video encoder reported a 'cpu' quality limitation for at least {LIMITATION_SHARE:.0%} of the "
        f"stream's time ({MIN_SAMPLES}+ consecutive samples per period): the device could not encode at full "
        "resolution and frame rate. Close other applications or use a lighter device."
    ),
    "limited_bandwidth": (
        f"The video encoder reported a 'bandwidth' quality limitation for at least {LIMITATION_SHARE:.0%} of the "
        f"stream's time ({MIN_SAMPLES}+ consecutive samples per period) outside congestion: the uplink could not "
        "carry more, so resolution and frame rate were cut."
    ),
    "firewall_relay_tcp": (
        "The selected ICE candidate pair (the nominated one; with none nominated, the one that carried the most "
        "bytes) is a relay candidate over TCP: UDP was blocked (a firewall or proxy), so "
        "media went through a TURN server over TCP, where retransmissions and head-of-line blocking add delay and "
        "jitter. Allow UDP to the media servers."
    ),
}
"""Cause code -> the rule in words, with its thresholds."""

EXPLAINED_BY: Final[dict[str, frozenset[str]]] = {
    "network_congestion": frozenset({"lossy_network", "high_latency", "network_jitter", "limited_bandwidth"}),
    "lossy_network": frozenset({"network_jitter"}),
    "firewall_relay_tcp": frozenset({"high_latency", "network_jitter"}),
}
"""Cause -> the causes it explains: a problem of those is dropped when at least half of its period lies within
problems of the explaining cause (one root cause, reported once)."""


# -- public results ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One interval of one stream, computed from the raw samples."""

    time: datetime.datetime  # end of the interval (the sample's timestamp)
    kind: str  # "audio" | "video" | "screenshare_audio" | "screenshare_video"
    direction: str  # "send" (producer) | "receive" (consumer)
    mos: float | None
    packet_loss: float | None  # percent in this interval, from counter deltas
    rtt: float | None  # ms (sent streams only)
    jitter: float | None  # ms


@dataclass(frozen=True)
class StreamQuality:
    """The verdict for one media kind in one direction (all its streams together)."""

    kind: str
    direction: str
    verdict: Verdict
    mos: float | None  # mean MOS of the samples (the cumulative's average when no sample has one)
    samples: int
    packet_loss: float | None = None  # mean interval loss, percent
    rtt: float | None = None  # median, ms
    jitter: float | None = None  # median, ms


@dataclass(frozen=True)
class Problem:
    """A period when something went wrong, and its likely cause."""

    start: datetime.datetime
    end: datetime.datetime
    kind: str  # the kinds affected, joined by "+" ("audio+video")
    direction: str  # "send", "receive" or "send+receive"
    what: str  # e.g. "packet loss 8.1 % (max 12.0 %), RTT up to 420 ms"
    cause: str  # a key of CAUSES
    explanation: str  # the rule in words, with its thresholds
    severity: float  # minutes x (0.05 + mean MOS shortfall below 'good'); larger is worse


@dataclass(frozen=True)
class Diagnosis:
    participant_id: str | None
    display_name: str | None
    overall: Verdict  # the worst stream verdict ("no data" when there is none)
    streams: list[StreamQuality]
    problems: list[Problem]  # the worst periods, worst first
    causes: list[str]  # distinct likely cause codes, most severe first
    notes: list[str]  # things that look odd but are not problems (mic off, camera off, short call)

    def summary(self) -> str:
        """One line: the verdict and the main cause, e.g. "fair: network congestion, 2 periods"."""
        if not self.causes:
            if self.overall == "no data" and self.streams:
                return "no data: the report's quality samples carry no MOS"
            if self.overall == "no data":
                return "no data: the report has no call-quality samples"
            return f"{self.overall}: " + ("no problems found" if self.overall == "good" else "no rule explains it")
        main = self.causes[0]
        periods = sum(problem.cause == main for problem in self.problems)
        text = f"{self.overall}: {CAUSES.get(main, main)}, {periods} period{'' if periods == 1 else 's'}"
        if len(self.causes) > 1:
            text += "; also " + ", ".join(CAUSES.get(cause, cause) for cause in self.causes[1:])
        return text


def verdict(mos: float | None, kind: str) -> Verdict:
    """The verdict for a MOS of a stream of this kind (MOS_BANDS); "no data" for None. The MOS is judged as it is
    shown, rounded to two decimals: a mean shown as 3.60 is fair, whatever its last binary digit."""
    if mos is None:
        return "no data"
    mos = round(mos, 2)
    good, fair = MOS_BANDS["audio" if kind.endswith("audio") else "video"]
    return "good" if mos >= good else "fair" if mos >= fair else "poor"


# -- reading the report -------------------------------------------------------------------------------------------

T = TypeVar("T")
_AnySample = AudioProducerSample | AudioConsumerSample | VideoProducerSample | VideoConsumerSample
_AnyCumulative = AudioProducerCumulative | AudioConsumerCumulative | VideoProducerCumulative | VideoConsumerCumulative
_Producer = (AudioProducerSample, VideoProducerSample)


def _opt(value: T | None | Unset) -> T | None:
    return None if isinstance(value, Unset) else value


def _num(value: float | None | Unset, low: float = -math.inf, high: float = math.inf) -> float | None:
    """The number as the server sent it (an integer stays exact), or None when it is absent, null, not a number,
    NaN, infinite, too large for a float, or outside ``low``..``high`` (a MOS of 9, a negative RTT): a value that
    cannot be true is missing, not evidence."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the float range (JSON allows 10**400)
        return None
    return value if math.isfinite(number) and low <= number <= high else None


def _finite(value: float) -> float | None:
    """A computed value, or None when arithmetic on huge inputs made it infinite or NaN."""
    return value if math.isfinite(value) else None


def _mean(values: Sequence[float]) -> float:
    """The mean: the exactly rounded sum over the count (ten samples of 3.6 give 3.6), and on sums beyond the float
    range (1e308 + 1e308, where statistics.fmean overflows) the sum of the shares."""
    try:
        return math.fsum(values) / len(values)
    except OverflowError:
        return math.fsum(value / len(values) for value in values)


def _median(values: Sequence[float]) -> float:
    """The median, without the overflow of adding the two middle values."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else ordered[middle - 1] / 2 + ordered[middle] / 2


def _aware(moment: datetime.datetime | None | Unset) -> datetime.datetime | None:
    """Naive timestamps (only from hand-built models) are taken as UTC, as the parser does."""
    if moment is None or isinstance(moment, Unset):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def _unpack(report: Report | None) -> tuple[PeerReportParticipant | None, PeerReport | None]:
    participant: PeerReportParticipant | None = None
    if isinstance(report, PeerReportResponse):
        data = _opt(report.data)
        participant = _opt(data.participant) if data is not None else None
    elif isinstance(report, PeerReportParticipant):
        participant = report
    elif isinstance(report, PeerReport):
        return None, report
    return participant, _opt(participant.peer_report) if participant is not None else None


def _series(quality: PeerReportQuality | None, kind: str, direction: str) -> list[_AnySample]:
    if quality is None:
        return []
    lists: dict[tuple[str, str], Sequence[_AnySample | None] | None | Unset] = {
        ("audio", "send"): quality.audio_producer,
        ("audio", "receive"): quality.audio_consumer,
        ("video", "send"): quality.video_producer,
        ("video", "receive"): quality.video_consumer,
        ("screenshare_audio", "send"): quality.screenshare_audio_producer,
        ("screenshare_audio", "receive"): quality.screenshare_audio_consumer,
        ("screenshare_video", "send"): quality.screenshare_video_producer,
        ("screenshare_video", "receive"): quality.screenshare_video_consumer,
    }
    return [sample for sample in _opt(lists[kind, direction]) or [] if sample is not None]


def _cumulative_mos(quality: PeerReportQuality | None, kind: str, direction: str) -> float | None:
    """The series' cumulative MOS average (used when no sample carries a MOS)."""
    if quality is None:
        return None
    cumulatives: dict[tuple[str, str], _AnyCumulative | None | Unset] = {
        ("audio", "send"): quality.audio_producer_cumulative,
        ("audio", "receive"): quality.audio_consumer_cumulative,
        ("video", "send"): quality.video_producer_cumulative,
        ("video", "receive"): quality.video_consumer_cumulative,
        ("screenshare_audio", "send"): quality.screenshare_audio_producer_cumulative,
        ("screenshare_audio", "receive"): quality.screenshare_audio_consumer_cumulative,
        ("screenshare_video", "send"): quality.screenshare_video_producer_cumulative,
        ("screenshare_video", "receive"): quality.screenshare_video_consumer_cumulative,
    }
    cumulative = cumulatives[kind, direction]
    if cumulative is None or isinstance(cumulative, Unset):
        return None
    distribution = _opt(cumulative.quality_mos)
    return _num(distribution.avg, *MOS_RANGE) if distribution is not None else None


@dataclass(frozen=True)
class _Row:
    """A Sample and what the video rules need from its raw sample."""

    sample: Sample
    reason: str | None = None  # quality_limitation_reason (video sent)
    width: float | None = None
    height: float | None = None
    fps: float | None = None
    kbps: float | None = None  # sent or received in the interval
    limited: dict[str, float] | None = None  # quality_limitation_durations (cumulative seconds)
    stream: str = ""


def _rows(quality: PeerReportQuality | None, kind: str, direction: str) -> tuple[list[_Row], int]:
    """The series' rows in time order, and how many samples had no timestamp (left out)."""
    timed: list[tuple[datetime.datetime, _AnySample]] = []
    untimed = 0
    for raw in _series(quality, kind, direction):
        moment = _aware(raw.timestamp)
        if moment is None:
            untimed += 1
        else:
            timed.append((moment, raw))
    timed.sort(key=lambda pair: pair[0])
    packets: dict[str, tuple[float, float]] = {}  # stream -> (lost, sent or received) at its previous sample
    sizes: dict[str, tuple[float, datetime.datetime]] = {}  # stream -> (bytes, time) at its previous sample
    rows: list[_Row] = []
    for moment, raw in timed:
        if isinstance(raw, _Producer):
            ident, good, size = _opt(raw.producer_id), _num(raw.packets_sent, 0), _num(raw.bytes_sent, 0)
            rtt = _num(raw.rtt, 0)
        else:
            ident, good, size, rtt = (
                _opt(raw.consumer_id),
                _num(raw.packets_received, 0),
                _num(raw.bytes_received, 0),
                None,
            )
        stream = ident if ident is not None else f"ssrc {_num(raw.ssrc)}"
        lost = _num(raw.packets_lost, 0)
        loss: float | None = None
        if lost is not None and good is not None:
            before_lost, before_good = packets.get(stream, (0.0, 0.0))  # the first interval counts from zero
            d_lost, d_good = max(0.0, lost - before_lost), good - before_good  # lost can dip (duplicates)
            if d_good >= 0 and d_lost + d_good > 0:  # a counter going back (a restarted stream) tells nothing
                loss = _finite(100 * (d_lost / (d_lost + d_good)))
            packets[stream] = (lost, good)
        kbps: float | None = None
        if size is not None:
            before = sizes.get(stream)
            if before is not None and moment > before[1]:
                kbps = _finite(max(0.0, size - before[0]) * 8 / 1000 / (moment - before[1]).total_seconds())
            sizes[stream] = (size, moment)
        sample = Sample(moment, kind, direction, _num(raw.mos_quality, *MOS_RANGE), loss, rtt, _num(raw.jitter, 0))
        if isinstance(raw, VideoProducerSample):
            reason = _opt(raw.quality_limitation_reason)
            durations = _opt(raw.quality_limitation_durations)
            limited = None
            if durations is not None:
                parts = {"bandwidth": durations.bandwidth, "cpu": durations.cpu, "none": durations.none}
                limited = {name: value for name, part in parts.items() if (value := _num(part, 0)) is not None}
                if (other := _num(durations.other, 0)) is not None:
                    limited["other"] = other
            rows.append(
                _Row(
                    sample,
                    None if reason is None else str(reason),
                    _num(raw.frame_width, 0),
                    _num(raw.frame_height, 0),
                    _num(raw.frames_per_second, 0),
                    kbps,
                    limited,
                    stream,
                )
            )
        elif isinstance(raw, VideoConsumerSample):
            rows.append(
                _Row(
                    sample,
                    None,
                    _num(raw.frame_width, 0),
                    _num(raw.frame_height, 0),
                    _num(raw.frames_per_second, 0),
                    kbps,
                    None,
                    stream,
                )
            )
        else:
            rows.append(_Row(sample, kbps=kbps, stream=stream))
    return rows, untimed


def samples(report: Report | None) -> list[Sample]:
    """Every interval of every stream: by kind (audio, video, screen-share audio and video) and direction (send,
    receive), each series in time order. Samples without a timestamp are left out."""
    _, peer_report = _unpack(report)
    quality = _opt(peer_report.quality) if peer_report is not None else None
    return [row.sample for kind in KINDS for direction in DIRECTIONS for row in _rows(quality, kind, direction)[0]]


# -- timelines and periods ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    """One moment of one series: the worst of its streams at that sample time (within half an interval)."""

    time: datetime.datetime
    kind: str
    direction: str
    loss: float | None
    rtt: float | None  # for received streams: the participant's own send RTT at that time (the same access link)
    jitter: float | None
    mos: float | None
    reason: str | None
    width: float | None
    height: float | None
    fps: float | None
    kbps: float | None


def _worst(values: Iterable[float | None], pick: Callable[[Iterable[float]], float]) -> float | None:
    present = [value for value in values if value is not None]
    return pick(present) if present else None


def _stream_interval(rows: Sequence[_Row]) -> datetime.timedelta:
    """The series' sampling interval: the median step between consecutive samples of each of its streams."""
    last: dict[str, datetime.datetime] = {}
    steps: list[datetime.timedelta] = []
    for row in rows:  # in time order
        before = last.get(row.stream)
        if before is not None and row.sample.time > before:
            steps.append(row.sample.time - before)
        last[row.stream] = row.sample.time
    return sorted(steps)[len(steps) // 2] if steps else _DEFAULT_INTERVAL


def _buckets(rows: Sequence[_Row]) -> list[list[_Row]]:
    """The rows (in time order) grouped per sample time: streams sample on their own clocks (one 3 s after
    another), so a group takes the rows within half an interval of its first one, one per stream."""
    interval = _stream_interval(rows)
    groups: list[list[_Row]] = []
    for row in rows:
        group = groups[-1] if groups else None
        if (
            group is None
            or row.sample.time - group[0].sample.time >= interval / 2
            or any(other.stream == row.stream for other in group)
        ):
            groups.append([row])
        else:
            group.append(row)
    return groups


def _points(rows: Sequence[_Row]) -> list[_Point]:
    """One point per sample time (the latest timestamp of its group): the worst of the series' streams."""
    points = []
    for group in _buckets(rows):
        moment = max(row.sample.time for row in group)
        samples_ = [row.sample for row in group]
        reasons = [row.reason for row in group if row.reason is not None]
        points.append(
            _Point(
                moment,
                samples_[0].kind,
                samples_[0].direction,
                _worst((s.packet_loss for s in samples_), max),
                _worst((s.rtt for s in samples_), max),
                _worst((s.jitter for s in samples_), max),
                _worst((s.mos for s in samples_), min),
                next((r for r in reasons if r != "none"), reasons[0] if reasons else None),
                _worst((row.width for row in group), min),
                _worst((row.height for row in group), min),
                _worst((row.fps for row in group), min),
                _worst((row.kbps for row in group), max),
            )
        )
    return points


def _interval(points: Sequence[_Point]) -> datetime.timedelta:
    """The series' sampling interval: the median step between its timestamps (the API does not state it)."""
    steps = [b.time - a.time for a, b in zip(points, points[1:], strict=False) if b.time > a.time]
    return sorted(steps)[len(steps) // 2] if steps else _DEFAULT_INTERVAL


def _with_send_rtt(points: list[_Point], send_rtt: list[tuple[datetime.datetime, float]]) -> list[_Point]:
    """Received points with the RTT the participant measured on its sent streams within one interval of them."""
    if not send_rtt:
        return points
    times = [moment for moment, _ in send_rtt]
    tolerance = _interval(points)
    out = []
    for point in points:
        index = bisect_left(times, point.time)
        near = [send_rtt[i] for i in (index - 1, index) if 0 <= i < len(send_rtt)]
        near = [pair for pair in near if abs(pair[0] - point.time) <= tolerance]
        rtt = min(near, key=lambda pair: abs(pair[0] - point.time))[1] if near else None
        out.append(dataclasses.replace(point, rtt=rtt))
    return out


def _runs(
    points: Sequence[_Point], holds: Callable[[_Point], bool], interval: datetime.timedelta
) -> list[list[_Point]]:
    """Maximal runs of at least MIN_SAMPLES consecutive points (no gap over 1.5 intervals) where ``holds``."""
    runs: list[list[_Point]] = []
    current: list[_Point] = []
    for point in points:
        if holds(point) and (not current or point.time - current[-1].time <= interval * 1.5):
            current.append(point)
            continue
        if len(current) >= MIN_SAMPLES:
            runs.append(current)
        current = [point] if holds(point) else []
    if len(current) >= MIN_SAMPLES:
        runs.append(current)
    return runs


@dataclass
class _Finding:
    cause: str
    start: datetime.datetime
    end: datetime.datetime
    points: list[_Point]
    share: float | None = None  # of the stream's time under the limitation (CPU, bandwidth)
    relay: str = ""  # the TURN server (firewall)


def _finding(cause: str, run: list[_Point], interval: datetime.timedelta, share: float | None = None) -> _Finding:
    # A sample covers the interval before its timestamp.
    return _Finding(cause, run[0].time - interval, run[-1].time, run, share)


# -- the rules ------------------------------------------------------------------------------------------------------


def _loss_findings(points: list[_Point], interval: datetime.timedelta) -> list[_Finding]:
    findings = []
    for run in _runs(points, lambda p: p.loss is not None and p.loss > LOSS_PERCENT, interval):
        rtts = [p.rtt for p in run if p.rtt is not None]
        congested = bool(rtts) and 2 * sum(rtt > RTT_MS for rtt in rtts) >= len(rtts)
        findings.append(_finding("network_congestion" if congested else "lossy_network", run, interval))
    return findings


def _latency_findings(points: list[_Point], interval: datetime.timedelta) -> list[_Finding]:
    def holds(p: _Point) -> bool:
        return p.rtt is not None and p.rtt > RTT_MS and not (p.loss is not None and p.loss > LOSS_PERCENT)

    return [_finding("high_latency", run, interval) for run in _runs(points, holds, interval)]


def _jitter_findings(points: list[_Point], interval: datetime.timedelta) -> list[_Finding]:
    runs = _runs(points, lambda p: p.jitter is not None and p.jitter > JITTER_MS, interval)
    return [_finding("network_jitter", run, interval) for run in runs]


def _limitation_share(rows: Sequence[_Row], reason: str) -> float:
    """The share of the stream's time under ``reason``: from the last quality_limitation_durations of each stream,
    or, without them, the share of samples reporting it."""
    totals: dict[str, dict[str, float]] = {}
    for row in rows:
        if row.limited:
            totals[row.stream] = row.limited
    seconds = sum(sum(durations.values()) for durations in totals.values())
    if seconds > 0:
        return sum(durations.get(reason, 0.0) for durations in totals.values()) / seconds
    flagged = [row.reason for row in rows if row.reason is not None]
    return sum(r == reason for r in flagged) / len(flagged) if flagged else 0.0


def _reason_is(reason: str) -> Callable[[_Point], bool]:
    return lambda point: point.reason == reason


def _limitation_findings(rows: Sequence[_Row], points: list[_Point], interval: datetime.timedelta) -> list[_Finding]:
    findings = []
    for reason, cause in (("cpu", "device_cpu"), ("bandwidth", "limited_bandwidth")):
        share = _limitation_share(rows, reason)
        if share >= LIMITATION_SHARE:
            for run in _runs(points, _reason_is(reason), interval):
                findings.append(_finding(cause, run, interval, share))
    return findings


def selected_pairs(pairs: Sequence[CandidatePair | None] | None) -> list[CandidatePair]:
    """A transport's selected candidate pairs: the nominated ones; when no pair says so, the one that carried the
    most bytes (sent plus received). Empty when there is no pair."""
    present = [pair for pair in pairs or [] if pair is not None]
    chosen = [pair for pair in present if _opt(pair.nominated) is True]
    if not chosen and present:
        chosen = [max(present, key=lambda p: (_num(p.bytes_sent) or 0) + (_num(p.bytes_received) or 0))]
    return chosen


def _relay_over_tcp(pairs: Sequence[CandidatePair | None] | None) -> str | None:
    """The TURN server (URL or address) when the transport's selected pair is a relay over TCP, else None."""
    for pair in selected_pairs(pairs):
        url = _opt(pair.local_candidate_url) or ""
        tcp = (_opt(pair.local_candidate_protocol) or "").lower() == "tcp" or "transport=tcp" in url.lower()
        if (_opt(pair.local_candidate_type) or "").lower() == "relay" and tcp:
            return url or _opt(pair.local_candidate_address) or "a TURN server"
    return None


def _firewall_findings(
    metadata: PeerReportMetadata | None,
    timelines: dict[tuple[str, str], list[_Point]],
    span: tuple[datetime.datetime, datetime.datetime] | None,
) -> list[_Finding]:
    candidate_pairs = _opt(metadata.candidate_pairs) if metadata is not None else None
    if candidate_pairs is None or span is None:
        return []
    findings = []
    for transport, direction in (
        (candidate_pairs.producing_transport, "send"),
        (candidate_pairs.consuming_transport, "receive"),
    ):
        relay = _relay_over_tcp(_opt(transport))
        if relay is not None:
            points = [p for (_, d), series in timelines.items() if d == direction for p in series]
            findings.append(_Finding("firewall_relay_tcp", span[0], span[1], points, relay=relay))
    return findings


# -- from findings to problems --------------------------------------------------------------------------------------


def _merge(findings: list[_Finding]) -> list[_Finding]:
    """One finding per cause and overlapping period (the same episode seen on several streams)."""
    merged: list[_Finding] = []
    for finding in sorted(findings, key=lambda f: (f.cause, f.start)):
        last = merged[-1] if merged else None
        if last is not None and last.cause == finding.cause and finding.start <= last.end:
            last.end = max(last.end, finding.end)
            last.points = last.points + finding.points
            last.share = max(last.share or 0.0, finding.share or 0.0) if last.share or finding.share else None
            last.relay = last.relay or finding.relay
        else:
            merged.append(
                _Finding(finding.cause, finding.start, finding.end, list(finding.points), finding.share, finding.relay)
            )
    return merged


def _overlap(finding: _Finding, others: Iterable[_Finding]) -> float:
    seconds = 0.0
    for other in others:
        start, end = max(finding.start, other.start), min(finding.end, other.end)
        seconds += max(0.0, (end - start).total_seconds())
    return seconds


def _unexplained(findings: list[_Finding]) -> list[_Finding]:
    kept = []
    for finding in findings:
        explaining = [f for f in findings if finding.cause in EXPLAINED_BY.get(f.cause, frozenset())]
        length = (finding.end - finding.start).total_seconds()
        if not explaining or _overlap(finding, explaining) * 2 < length:
            kept.append(finding)
    return kept


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value < 1e6 else f"{value:.3g} ms"


def _what(finding: _Finding) -> str:
    points = finding.points
    losses = [p.loss for p in points if p.loss is not None]
    rtts = [p.rtt for p in points if p.rtt is not None]
    jitters = [p.jitter for p in points if p.jitter is not None and p.kind.endswith("audio")]
    cause = finding.cause
    parts: list[str] = []
    if cause in ("network_congestion", "lossy_network"):
        parts.append(f"packet loss {_mean(losses):.1f} % (max {max(losses):.1f} %)")
        parts.append(f"RTT up to {_ms(max(rtts))}" if rtts else "RTT not measured")
        if jitters and max(jitters) > JITTER_MS:
            parts.append(f"jitter up to {_ms(max(jitters))}")
    elif cause == "high_latency":
        parts.append(f"RTT {_ms(_median(rtts))} (max {_ms(max(rtts))})")
    elif cause == "network_jitter":
        parts.append(f"audio jitter {_ms(_mean(jitters))} (max {_ms(max(jitters))})")
    elif cause in ("device_cpu", "limited_bandwidth"):
        what = "CPU" if cause == "device_cpu" else "bandwidth"
        parts.append(f"video encoder limited by {what} {finding.share or 0:.0%} of the time")
        smallest = min((p for p in points if p.width and p.height), key=lambda p: p.width or 0.0, default=None)
        fps = [p.fps for p in points if p.fps is not None]
        if smallest is not None:
            parts.append(f"down to {smallest.width:.0f}x{smallest.height:.0f}")
        if fps:
            low, high = f"{min(fps):.0f}", f"{max(fps):.0f}"
            parts.append(f"{low} fps" if low == high else f"{low}-{high} fps")
        kbps = [p.kbps for p in points if p.kbps is not None]
        if cause == "limited_bandwidth" and kbps:
            rate = _median(kbps)
            parts.append(f"~{rate:.0f} kbit/s sent" if rate < 1e9 else f"~{rate:.3g} kbit/s sent")
    elif cause == "firewall_relay_tcp":
        parts.append(f"media relayed over TURN/TCP ({finding.relay})")
        if rtts:
            parts.append(f"RTT {_ms(_median(rtts))} (max {_ms(max(rtts))})")
        if jitters:
            parts.append(f"audio jitter up to {_ms(max(jitters))}")
    return ", ".join(parts)


def _problem(finding: _Finding) -> Problem:
    kinds = {p.kind for p in finding.points}
    directions = {p.direction for p in finding.points}
    shortfalls = [
        max(0.0, MOS_BANDS["audio" if p.kind.endswith("audio") else "video"][0] - p.mos)
        for p in finding.points
        if p.mos is not None
    ]
    minutes = (finding.end - finding.start).total_seconds() / 60
    return Problem(
        start=finding.start,
        end=finding.end,
        kind="+".join(k for k in KINDS if k in kinds),
        direction="+".join(d for d in DIRECTIONS if d in directions),
        what=_what(finding),
        cause=finding.cause,
        explanation=EXPLANATIONS[finding.cause],
        severity=round(minutes * (0.05 + (_mean(shortfalls) if shortfalls else 0.0)), 3),
    )


# -- notes ------------------------------------------------------------------------------------------------------------


def _clock(moment: datetime.datetime, tz: datetime.tzinfo) -> str:
    """The time of day in ``tz`` with the zone's abbreviation ("14:01:42 UTC", "15:01:42 CET")."""
    try:
        local = moment.astimezone(tz)
    except (OverflowError, ValueError):  # a date past year 9999 in the zone: as sent
        local = moment
    return f"{local:%H:%M:%S} {local.tzname() or tz}"


def _toggle_notes(
    metadata: PeerReportMetadata | None,
    name: str,
    device: str,
    media: str,
    start: datetime.datetime | None,
    tz: datetime.tzinfo,
) -> list[str]:
    """A note per period the participant turned ``device`` off (``name`` events with ``enabled``). Turned off by
    ``start`` (the first sample of the call) and never on again: "for the whole call"."""
    events = (_opt(metadata.events) if metadata is not None else None) or []
    toggles = sorted(
        (
            (moment, (_opt(event.metadata) or {}).get("enabled"))
            for event in events
            if event is not None and _opt(event.name) == name and (moment := _aware(event.timestamp)) is not None
        ),
        key=lambda toggle: toggle[0],  # by time only: ``enabled`` may be a bool, a string or null (not comparable)
    )
    notes: list[str] = []
    off: datetime.datetime | None = None
    for moment, enabled in toggles:
        if enabled in (False, "false") and off is None:
            off = moment
        elif enabled in (True, "true") and off is not None:
            notes.append(
                f"{device} off from {_clock(off, tz)} to {_clock(moment, tz)}: no {media} sent then, as expected"
            )
            off = None
    if off is not None and start is not None and off <= start:
        notes.append(f"{device} off for the whole call: no {media} sent, as expected")
    elif off is not None:
        notes.append(f"{device} off from {_clock(off, tz)} to the end of the call: no {media} sent then, as expected")
    return notes


# -- diagnose ---------------------------------------------------------------------------------------------------------


def diagnose(report: Report | None, tz: datetime.tzinfo = datetime.UTC) -> Diagnosis:
    """The verdict per stream, the problem periods worst first, their likely causes, and notes (times of day in
    the notes in ``tz``, UTC unless given).

    ``report`` is the parsed GetParticipantDataFromPeerId response, its participant or its ``peer_report``. Missing
    data is left out: a report without quality samples gives ``overall == "no data"``, never an exception.
    """
    participant, peer_report = _unpack(report)
    quality = _opt(peer_report.quality) if peer_report is not None else None
    metadata = _opt(peer_report.metadata) if peer_report is not None else None

    streams: list[StreamQuality] = []
    rows: dict[tuple[str, str], list[_Row]] = {}
    untimed = 0
    for kind in KINDS:
        for direction in DIRECTIONS:
            series, missing = _rows(quality, kind, direction)
            untimed += missing
            rows[kind, direction] = series
            moses = [row.sample.mos for row in series if row.sample.mos is not None]
            mos = _mean(moses) if moses else _cumulative_mos(quality, kind, direction)
            if not series and mos is None:
                continue
            losses = [row.sample.packet_loss for row in series if row.sample.packet_loss is not None]
            rtts = [row.sample.rtt for row in series if row.sample.rtt is not None]
            jitters = [row.sample.jitter for row in series if row.sample.jitter is not None]
            streams.append(
                StreamQuality(
                    kind,
                    direction,
                    verdict(mos, kind),
                    None if mos is None else round(mos, 2),
                    len(series),
                    round(_mean(losses), 2) if losses else None,
                    _median(rtts) if rtts else None,
                    _median(jitters) if jitters else None,
                )
            )

    timelines = {key: _points(series) for key, series in rows.items() if series}
    send_rtt: dict[datetime.datetime, float] = {}
    for (_, direction), points in timelines.items():
        for point in points:
            if direction == "send" and point.rtt is not None:
                send_rtt[point.time] = max(point.rtt, send_rtt.get(point.time, point.rtt))
    rtt_line = sorted(send_rtt.items())
    timelines = {
        (kind, direction): _with_send_rtt(points, rtt_line) if direction == "receive" else points
        for (kind, direction), points in timelines.items()
    }
    findings: list[_Finding] = []
    for (kind, direction), points in timelines.items():
        interval = _interval(points)
        findings += _loss_findings(points, interval)
        if direction == "send":
            findings += _latency_findings(points, interval)
        if kind.endswith("audio"):
            findings += _jitter_findings(points, interval)
        if kind.endswith("video") and direction == "send":
            findings += _limitation_findings(rows[kind, direction], points, interval)

    times = [p.time for points in timelines.values() for p in points]
    joined = _aware(participant.joined_at) if participant is not None else None
    left = _aware(participant.left_at) if participant is not None else None
    first_interval = min((_interval(points) for points in timelines.values()), default=_DEFAULT_INTERVAL)
    span = (min(times) - first_interval, max(times)) if times else (joined, left) if joined and left else None
    findings += _firewall_findings(metadata, timelines, span)

    problems = sorted((_problem(f) for f in _unexplained(_merge(findings))), key=lambda p: (-p.severity, p.start))
    weight: dict[str, float] = {}
    for problem in problems:
        weight[problem.cause] = weight.get(problem.cause, 0.0) + problem.severity
    causes = sorted(weight, key=lambda cause: -weight[cause])

    notes: list[str] = []
    if not streams:
        notes.append("the report has no call-quality samples (peer_report.quality is missing, empty or untimed)")
    if untimed:
        notes.append(f"{untimed} sample{'s' if untimed > 1 else ''} without a timestamp left out")
    seconds = (left - joined).total_seconds() if joined and left else None
    if seconds is None and times:
        seconds = (max(times) - min(times) + first_interval).total_seconds()
    if streams and seconds is not None and seconds < SHORT_CALL_SECONDS:
        notes.append(
            f"short call ({seconds:.0f} s): too short for the period rules, which need {MIN_SAMPLES} consecutive "
            f"samples; the verdict rests on {max(s.samples for s in streams)} samples per stream at most"
        )
    first_sample = min(times) if times else joined
    notes += _toggle_notes(metadata, "audio_toggle", "microphone", "audio", first_sample, tz)
    notes += _toggle_notes(metadata, "video_toggle", "camera", "video", first_sample, tz)
    if streams and not rows["audio", "send"] and not any("microphone" in note for note in notes):
        notes.append("no microphone audio was sent (no audio_producer samples)")
    if streams and not rows["video", "send"] and not any("camera" in note for note in notes):
        notes.append("no camera video was sent (no video_producer samples)")

    order = {"good": 0, "fair": 1, "poor": 2}
    rated = [stream.verdict for stream in streams if stream.verdict != "no data"]
    overall: Verdict = max(rated, key=lambda v: order[v]) if rated else "no data"
    return Diagnosis(
        participant_id=_opt(participant.id) if participant is not None else None,
        display_name=_opt(participant.display_name) if participant is not None else None,
        overall=overall,
        streams=streams,
        problems=problems,
        causes=causes,
        notes=notes,
    )


__all__ = [
    "CAUSES",
    "EXPLAINED_BY",
    "EXPLANATIONS",
    "Diagnosis",
    "Problem",
    "Report",
    "Sample",
    "StreamQuality",
    "Verdict",
    "diagnose",
    "samples",
    "selected_pairs",
    "verdict",
]
