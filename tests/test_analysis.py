"""realtimekit_client.analysis: every rule fires on a report built to trigger it and stays quiet on one built not to;
the verdict bands; forgiving reading of incomplete reports; and the 36 demo participants, fetched over HTTP, each
diagnosed with the cause the stand-in gave them."""

from __future__ import annotations

import datetime
import math
import zoneinfo
from collections.abc import Sequence
from typing import Any

import pytest
from realtimekit_client import AuthenticatedClient, analysis
from realtimekit_client.api.sessions import get_participant_data_from_peer_id
from realtimekit_client.models import (
    AudioProducerSample,
    PeerReport,
    PeerReportParticipant,
    PeerReportQuality,
    PeerReportResponse,
)

from tests.stand_in import sessions
from tests.stand_in.ids import ACCOUNT_ID, APP_ID
from tests.stand_in.server import LocalServer

JSON = dict[str, Any]
T0 = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(seconds=10)


def at(i: int) -> datetime.datetime:
    """The timestamp of sample i (the end of its 10 s interval)."""
    return T0 + STEP * (i + 1)


def each(value: Any, n: int) -> list[Any]:
    return list(value) if isinstance(value, list) else [value] * n


def series(
    n: int,
    *,
    send: bool = True,
    loss: float | list[float] = 0.0,
    rtt: float | list[float] = 40.0,
    jitter: float | list[float] = 4.0,
    mos: float | list[float] = 4.3,
    reason: str | list[str] | None = None,
    stream: str = "s-1",
    first: int = 0,
) -> list[JSON]:
    """n samples 10 s apart from sample ``first``: 1000 packets per interval, ``loss`` percent of them lost (exact),
    counters cumulative. With ``reason`` they are video producer samples (720p30 unless limited)."""
    losses, rtts, jitters, moses, reasons = (each(v, n) for v in (loss, rtt, jitter, mos, reason))
    out: list[JSON] = []
    lost = good = 0
    durations = {"bandwidth": 0.0, "cpu": 0.0, "none": 0.0, "other": 0.0}
    for i in range(n):
        lost += round(losses[i] * 10)
        good += 1000 - round(losses[i] * 10)
        sample: JSON = {"timestamp": at(first + i).isoformat(), "packets_lost": lost, "jitter": jitters[i]}
        sample["mos_quality"] = moses[i]
        if send:
            sample |= {"producer_id": stream, "packets_sent": good, "rtt": rtts[i], "bytes_sent": good * 1100}
        else:
            sample |= {"consumer_id": stream, "packets_received": good, "bytes_received": good * 1100}
        if reasons[i] is not None:
            durations[reasons[i]] += 10
            limited = reasons[i] != "none"
            sample |= {
                "quality_limitation_reason": reasons[i],
                "quality_limitation_durations": dict(durations),
                "frame_width": 320 if limited else 1280,
                "frame_height": 180 if limited else 720,
                "frames_per_second": 12.0 if limited else 30.0,
            }
        out.append(sample)
    return out


def report(
    quality: JSON | None = None,
    *,
    events: Sequence[tuple[int, str, JSON]] = (),
    pairs: JSON | None = None,
    seconds: float | None = None,
) -> PeerReportResponse:
    """A parsed peer report with these quality series, events (sample index, name, metadata) and candidate pairs;
    the participant joined at T0 and stayed ``seconds`` (default: until the longest series ends)."""
    longest = max((len(v) for v in (quality or {}).values() if isinstance(v, list)), default=0)
    left = T0 + datetime.timedelta(seconds=seconds if seconds is not None else 10 * longest + 5)
    metadata: JSON = {
        "events": [
            {"name": name, "timestamp": (at(i) + datetime.timedelta(seconds=2)).isoformat(), "metadata": meta}
            for i, name, meta in events
        ]
    }
    if pairs is not None:
        metadata["candidate_pairs"] = pairs
    peer: JSON = {"metadata": metadata}
    if quality is not None:
        peer["quality"] = quality
    participant = {
        "id": "peer-1",
        "display_name": "Test Peer",
        "joined_at": T0.isoformat(),
        "left_at": left.isoformat(),
        "peer_report": peer,
    }
    return PeerReportResponse.from_dict({"success": True, "data": {"participant": participant}})


def good_call(n: int = 30) -> JSON:
    return {
        "audio_producer": series(n),
        "audio_consumer": series(n, send=False),
        "video_producer": series(n, mos=4.4, reason="none", stream="s-video"),
    }


def only(diagnosis: analysis.Diagnosis) -> analysis.Problem:
    assert len(diagnosis.problems) == 1, diagnosis.problems
    return diagnosis.problems[0]


# -- verdicts --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mos", "kind", "expected"),
    [
        (4.0, "audio", "good"), (3.99, "audio", "fair"), (3.6, "screenshare_audio", "fair"), (3.59, "audio", "poor"),
        (3.5, "video", "good"), (3.49, "screenshare_video", "fair"), (2.5, "video", "fair"), (2.49, "video", "poor"),
        (None, "audio", "no data"),
    ],
)  # fmt: skip
def test_verdict_bands(mos: float | None, kind: str, expected: str) -> None:
    assert analysis.verdict(mos, kind) == expected


@pytest.mark.parametrize(
    ("mos", "kind", "expected"), [(4.0, "audio", "good"), (3.6, "audio", "fair"), (2.5, "video", "fair")]
)
def test_a_mean_exactly_at_a_band_edge_gets_that_band(mos: float, kind: str, expected: str) -> None:
    for n in range(1, 61):  # a mean summed share by share came out a hair below 3.6 for ten samples: "poor"
        key = "audio_producer" if kind == "audio" else "video_producer"
        quality = {key: series(n, mos=mos, reason=None if kind == "audio" else "none")}
        (stream,) = analysis.diagnose(report(quality)).streams
        assert (stream.verdict, stream.mos) == (expected, mos), n


def test_the_verdict_follows_the_mos_as_shown() -> None:
    (stream,) = analysis.diagnose(report({"audio_producer": series(2, mos=[3.59, 3.602])})).streams
    assert (stream.mos, stream.verdict) == (3.6, "fair")  # mean 3.596, shown as 3.6


def test_a_good_call_is_good_with_nothing_to_report() -> None:
    diagnosis = analysis.diagnose(report(good_call()))
    assert diagnosis.overall == "good"
    assert (diagnosis.problems, diagnosis.causes, diagnosis.notes) == ([], [], [])
    assert [(s.kind, s.direction, s.verdict, s.mos, s.samples) for s in diagnosis.streams] == [
        ("audio", "send", "good", 4.3, 30),
        ("audio", "receive", "good", 4.3, 30),
        ("video", "send", "good", 4.4, 30),
    ]
    assert diagnosis.summary() == "good: no problems found"
    assert (diagnosis.participant_id, diagnosis.display_name) == ("peer-1", "Test Peer")


def test_overall_is_the_worst_stream_from_its_mean_mos() -> None:
    quality = good_call()
    quality["audio_consumer"] = series(30, send=False, mos=[3.0] * 10 + [4.2] * 20)  # mean 3.8
    diagnosis = analysis.diagnose(report(quality))
    receive = next(s for s in diagnosis.streams if s.direction == "receive")
    assert (receive.mos, receive.verdict, diagnosis.overall) == (3.8, "fair", "fair")
    assert diagnosis.summary() == "fair: no rule explains it"


def test_the_cumulative_average_stands_in_when_no_sample_has_a_mos() -> None:
    samples = series(5)
    for sample in samples:
        del sample["mos_quality"]
    quality = {"audio_producer": samples, "audio_producer_cumulative": {"quality_mos": {"avg": 3.2}}}
    diagnosis = analysis.diagnose(report(quality))
    assert [(s.mos, s.verdict, s.samples) for s in diagnosis.streams] == [(3.2, "poor", 5)]


def test_the_three_forms_of_a_report_give_the_same_diagnosis() -> None:
    response = report(good_call() | {"audio_producer": series(30, loss=[0.0] * 10 + [9.0] * 4 + [0.0] * 16)})
    participant = response.data.participant  # type: ignore[union-attr]
    assert isinstance(participant, PeerReportParticipant) and isinstance(participant.peer_report, PeerReport)
    by_response, by_participant = analysis.diagnose(response), analysis.diagnose(participant)
    by_report = analysis.diagnose(participant.peer_report)
    assert by_response == by_participant
    assert (by_report.participant_id, by_report.display_name) == (None, None)
    assert by_report.problems == by_response.problems and by_report.streams == by_response.streams
    assert analysis.samples(response) == analysis.samples(participant) == analysis.samples(participant.peer_report)


# -- samples ---------------------------------------------------------------------------------------------------------


def test_samples_take_interval_loss_from_counter_deltas_per_stream() -> None:
    one = series(3, send=False, loss=[2.0, 10.0, 0.0], stream="c-1")
    two = series(3, send=False, loss=[0.0, 50.0, 5.0], stream="c-2")
    interleaved = [sample for pair in zip(one, two, strict=True) for sample in pair]
    rows = analysis.samples(report({"audio_consumer": list(reversed(interleaved))}))  # any order in the body
    assert [row.time for row in rows] == [at(0), at(0), at(1), at(1), at(2), at(2)]
    assert sorted((row.time, row.packet_loss) for row in rows) == [
        (at(0), 0.0), (at(0), 2.0), (at(1), 10.0), (at(1), 50.0), (at(2), 0.0), (at(2), 5.0)
    ]  # fmt: skip
    assert {(row.kind, row.direction, row.rtt) for row in rows} == {("audio", "receive", None)}


def test_samples_come_by_kind_and_direction_in_time_order() -> None:
    quality = {"video_producer": series(2, reason="none"), "audio_consumer": series(2, send=False)}
    quality["audio_producer"] = list(reversed(series(2, rtt=[11.0, 22.0], jitter=[1.0, 2.0], mos=[4.1, 4.2])))
    rows = analysis.samples(report(quality))
    assert [(r.kind, r.direction, r.time) for r in rows] == [
        ("audio", "send", at(0)), ("audio", "send", at(1)), ("audio", "receive", at(0)), ("audio", "receive", at(1)),
        ("video", "send", at(0)), ("video", "send", at(1)),
    ]  # fmt: skip
    assert rows[1] == analysis.Sample(at(1), "audio", "send", mos=4.2, packet_loss=0.0, rtt=22.0, jitter=2.0)


def test_a_counter_going_back_gives_no_loss_for_that_interval() -> None:
    quality = {"audio_producer": series(3, loss=4.0)}
    quality["audio_producer"][1]["packets_sent"] = 950  # went back from 960: a restarted stream, or a bad sample
    rows = analysis.samples(report(quality))
    assert [row.packet_loss for row in rows] == [4.0, None, pytest.approx(100 * 40 / (40 + 2880 - 950))]


def test_a_lost_counter_that_dips_counts_as_no_loss() -> None:
    """packetsLost can go down (late duplicates are subtracted in WebRTC): never a negative loss."""
    quality = {"audio_producer": series(3, loss=4.0)}
    quality["audio_producer"][1]["packets_lost"] = 30  # from 40
    rows = analysis.samples(report(quality))
    assert [row.packet_loss for row in rows] == [4.0, 0.0, pytest.approx(100 * 90 / (90 + 960))]


def test_incomplete_reports_give_no_data_never_an_exception() -> None:
    body = {
        "data": {
            "participant": {
                "peer_report": {
                    "metadata": {
                        "events": [None, {"name": "audio_toggle", "metadata": None}, {"timestamp": None}],
                        "candidate_pairs": {"producing_transport": [None, {}], "consuming_transport": None},
                    },
                    "quality": {
                        "audio_producer": [None, {"timestamp": None, "mos_quality": 4.0}, {}],
                        "audio_producer_cumulative": {"quality_mos": None},
                        "video_consumer": None,
                        "x_new_series": [1, 2],
                    },
                },
                "joined_at": None,
            }
        }
    }
    for report_ in (PeerReportResponse.from_dict(body), PeerReportResponse(), PeerReport(), None):
        diagnosis = analysis.diagnose(report_)
        assert diagnosis.overall == "no data"
        assert (diagnosis.streams, diagnosis.problems, diagnosis.causes) == ([], [], [])
        assert diagnosis.summary() == "no data: the report has no call-quality samples"
        assert analysis.samples(report_) == []
    assert analysis.diagnose(PeerReportResponse.from_dict(body)).notes == [
        "the report has no call-quality samples (peer_report.quality is missing, empty or untimed)",
        "2 samples without a timestamp left out",
    ]


def test_hand_built_models_with_naive_times_and_missing_counters_work() -> None:
    naive = datetime.datetime(2026, 11, 20, 14, 0, 10)
    quality = PeerReportQuality(audio_producer=[AudioProducerSample(timestamp=naive, mos_quality=4.5)])
    rows = analysis.samples(PeerReport(quality=quality))
    assert rows == [analysis.Sample(naive.replace(tzinfo=datetime.UTC), "audio", "send", 4.5, None, None, None)]
    assert analysis.diagnose(PeerReport(quality=quality)).overall == "good"


# -- congestion and lossy network ----------------------------------------------------------------------------------

SPIKE = [0.0] * 10 + [8.0, 12.0, 9.0] + [0.0] * 17  # 3 samples (30 s) above 5 %
HIGH_RTT = [40.0] * 10 + [350.0, 420.0, 380.0] + [40.0] * 17


def test_congestion_sustained_loss_with_rtt_above_300_ms() -> None:
    quality = good_call() | {
        "audio_producer": series(30, loss=SPIKE, rtt=HIGH_RTT, mos=[4.3] * 10 + [2.0] * 3 + [4.3] * 17)
    }
    diagnosis = analysis.diagnose(report(quality))
    problem = only(diagnosis)
    assert (problem.cause, problem.kind, problem.direction) == ("network_congestion", "audio", "send")
    assert (problem.start, problem.end) == (at(9), at(12))  # the first bad interval starts at the sample before
    assert problem.what == "packet loss 9.7 % (max 12.0 %), RTT up to 420 ms"
    assert "5 %" in problem.explanation and "300 ms" in problem.explanation and "G.114" in problem.explanation
    assert problem.severity == pytest.approx(0.5 * (0.05 + 2.0))
    assert diagnosis.causes == ["network_congestion"]
    assert diagnosis.summary() == "good: network congestion, 1 period"


@pytest.mark.parametrize(
    ("loss", "rtt"),
    [
        ([0.0] * 10 + [8.0, 12.0] + [0.0] * 18, HIGH_RTT),  # only 2 samples (20 s)
        ([0.0] * 10 + [5.0, 5.0, 5.0] + [0.0] * 17, HIGH_RTT),  # not above 5 %
        ([0.0] * 10 + [8.0, 0.0, 9.0, 0.0, 12.0] + [0.0] * 15, HIGH_RTT),  # not consecutive
    ],
    ids=["two samples", "exactly 5 %", "not consecutive"],
)
def test_no_loss_problem_when_the_loss_is_not_sustained(loss: list[float], rtt: list[float]) -> None:
    diagnosis = analysis.diagnose(report(good_call() | {"audio_producer": series(30, loss=loss, rtt=rtt)}))
    assert not any(p.cause in ("network_congestion", "lossy_network") for p in diagnosis.problems)


def test_a_gap_in_the_samples_breaks_a_run() -> None:
    before, after = series(2, loss=9.0, rtt=400.0), series(2, loss=9.0, rtt=400.0, first=20, stream="s-2")
    assert analysis.diagnose(report({"audio_producer": before + after})).problems == []


def test_lossy_network_loss_without_rtt_rise() -> None:
    diagnosis = analysis.diagnose(report(good_call() | {"audio_producer": series(30, loss=SPIKE, rtt=45.0)}))
    problem = only(diagnosis)
    assert problem.cause == "lossy_network"
    assert problem.what == "packet loss 9.7 % (max 12.0 %), RTT up to 45 ms"
    assert diagnosis.causes == ["lossy_network"]


def test_received_loss_is_judged_by_the_rtt_the_participant_measured_when_sending() -> None:
    congested = good_call() | {
        "audio_producer": series(30, rtt=HIGH_RTT),
        "audio_consumer": series(30, send=False, loss=SPIKE),
    }
    problem = only(analysis.diagnose(report(congested)))
    assert (problem.cause, problem.direction) == ("network_congestion", "receive")
    lossy = good_call() | {"audio_consumer": series(30, send=False, loss=SPIKE)}
    assert only(analysis.diagnose(report(lossy))).cause == "lossy_network"
    receive_only = {"audio_consumer": series(30, send=False, loss=SPIKE)}
    problem = only(analysis.diagnose(report(receive_only)))
    assert (problem.cause, problem.what) == ("lossy_network", "packet loss 9.7 % (max 12.0 %), RTT not measured")


@pytest.mark.parametrize("offset", [datetime.timedelta(milliseconds=1), datetime.timedelta(seconds=3)])
def test_streams_sampled_at_offset_times_are_one_timeline(offset: datetime.timedelta) -> None:
    lossy = series(30, send=False, loss=SPIKE, stream="c-1")
    clean = series(30, send=False, stream="c-2")
    for sample in clean:  # the second remote peer's stream samples on its own clock
        sample["timestamp"] = (datetime.datetime.fromisoformat(sample["timestamp"]) + offset).isoformat()
    problem = only(analysis.diagnose(report({"audio_consumer": lossy + clean})))
    assert (problem.cause, problem.direction) == ("lossy_network", "receive")
    assert problem.what.startswith("packet loss 9.7 % (max 12.0 %)")
    assert (problem.start, problem.end) == (at(9) + offset, at(12) + offset)


def test_one_episode_on_several_streams_is_one_problem() -> None:
    quality = {
        "audio_producer": series(30, loss=SPIKE, rtt=HIGH_RTT),
        "video_producer": series(30, loss=[0.0] * 11 + [7.0] * 4 + [0.0] * 15, rtt=HIGH_RTT, reason="none"),
        "audio_consumer": series(30, send=False, loss=SPIKE),
    }
    problem = only(analysis.diagnose(report(quality)))
    assert (problem.cause, problem.kind, problem.direction) == ("network_congestion", "audio+video", "send+receive")
    assert (problem.start, problem.end) == (at(9), at(14))


# -- latency and jitter ---------------------------------------------------------------------------------------------


def test_high_latency_rtt_above_300_ms_without_loss() -> None:
    problem = only(analysis.diagnose(report(good_call() | {"audio_producer": series(30, rtt=HIGH_RTT)})))
    assert (problem.cause, problem.what) == ("high_latency", "RTT 380 ms (max 420 ms)")


def test_no_latency_problem_at_300_ms_or_for_two_samples() -> None:
    at_limit = [40.0] * 10 + [300.0] * 5 + [40.0] * 15
    two = [40.0] * 10 + [500.0] * 2 + [40.0] * 18
    for rtt in (at_limit, two):
        assert analysis.diagnose(report(good_call() | {"audio_producer": series(30, rtt=rtt)})).problems == []


def test_network_jitter_audio_jitter_above_30_ms() -> None:
    jitter = [4.0] * 5 + [45.0, 60.0, 50.0, 40.0] + [4.0] * 21
    problem = only(analysis.diagnose(report(good_call() | {"audio_consumer": series(30, send=False, jitter=jitter)})))
    assert (problem.cause, problem.kind, problem.what) == ("network_jitter", "audio", "audio jitter 49 ms (max 60 ms)")


def test_no_jitter_problem_at_30_ms_or_on_video() -> None:
    quality = good_call() | {
        "audio_consumer": series(30, send=False, jitter=30.0),
        "video_producer": series(30, jitter=80.0, reason="none"),
    }
    assert analysis.diagnose(report(quality)).problems == []


# -- the device and the uplink: quality limitations -----------------------------------------------------------------


def test_device_cpu_a_cpu_limitation_for_a_meaningful_share_of_the_time() -> None:
    reasons = ["none"] * 20 + ["cpu"] * 10
    quality = good_call() | {"video_producer": series(30, reason=reasons, mos=[4.4] * 20 + [1.5] * 10)}
    diagnosis = analysis.diagnose(report(quality))
    problem = only(diagnosis)
    assert (problem.cause, problem.kind, problem.direction) == ("device_cpu", "video", "send")
    assert (problem.start, problem.end) == (at(19), at(29))
    assert problem.what == "video encoder limited by CPU 33% of the time, down to 320x180, 12 fps"
    assert diagnosis.summary() == "fair: device CPU overloaded, 1 period"


def test_no_cpu_problem_below_10_percent_of_the_time() -> None:
    reasons = ["none"] * 37 + ["cpu"] * 3  # 7.5 %
    diagnosis = analysis.diagnose(report(good_call(40) | {"video_producer": series(40, reason=reasons)}))
    assert diagnosis.problems == []


def test_the_limitation_share_comes_from_the_durations_when_they_are_there() -> None:
    """4 cpu samples of 50 are 8 %, but the durations say the stream was cpu-limited for 20 minutes before."""
    samples = series(50, reason=["none"] * 46 + ["cpu"] * 4)
    assert analysis.diagnose(report({"video_producer": samples})).problems == []
    for sample in samples:
        sample["quality_limitation_durations"]["cpu"] += 1200
    assert only(analysis.diagnose(report({"video_producer": samples}))).cause == "device_cpu"
    for sample in samples:
        del sample["quality_limitation_durations"]
    assert analysis.diagnose(report({"video_producer": samples})).problems == []


def test_limited_bandwidth_a_bandwidth_limitation_outside_congestion() -> None:
    reasons = ["none"] * 5 + ["bandwidth"] * 25
    quality = good_call() | {"video_producer": series(30, reason=reasons, mos=2.6)}
    problem = only(analysis.diagnose(report(quality)))
    assert (problem.cause, problem.kind) == ("limited_bandwidth", "video")
    assert (
        problem.what == "video encoder limited by bandwidth 83% of the time, down to 320x180, 12 fps, ~880 kbit/s sent"
    )


def test_a_bandwidth_limitation_during_congestion_is_the_congestion() -> None:
    reasons = ["none"] * 10 + ["bandwidth"] * 3 + ["none"] * 17
    quality = good_call() | {
        "audio_producer": series(30, loss=SPIKE, rtt=HIGH_RTT),
        "video_producer": series(30, reason=reasons, loss=SPIKE, rtt=HIGH_RTT),
    }
    diagnosis = analysis.diagnose(report(quality))
    assert diagnosis.causes == ["network_congestion"]
    # The same limitation with no congestion around it is a bandwidth problem.
    quality["audio_producer"] = series(30)
    quality["video_producer"] = series(30, reason=reasons)
    assert analysis.diagnose(report(quality)).causes == ["limited_bandwidth"]


# -- firewall: TURN over TCP -----------------------------------------------------------------------------------------


def pair(kind: str, protocol: str, nominated: bool | None, **more: Any) -> JSON:
    return {"local_candidate_type": kind, "local_candidate_protocol": protocol, "nominated": nominated} | more


def test_firewall_a_nominated_relay_pair_over_tcp() -> None:
    relay = pair("relay", "tcp", True, local_candidate_url="turns:turn.example:443?transport=tcp")
    pairs = {"producing_transport": [pair("host", "udp", False), relay], "consuming_transport": [relay]}
    quality = good_call() | {"audio_producer": series(30, rtt=350.0, jitter=45.0, mos=3.7)}
    diagnosis = analysis.diagnose(report(quality, pairs=pairs))
    problem = only(diagnosis)  # the latency and jitter that TCP causes are not reported again
    assert (problem.cause, problem.kind, problem.direction) == ("firewall_relay_tcp", "audio+video", "send+receive")
    assert (problem.start, problem.end) == (T0, at(29))
    assert problem.what == (
        "media relayed over TURN/TCP (turns:turn.example:443?transport=tcp), RTT 350 ms (max 350 ms), "
        "audio jitter up to 45 ms"
    )
    assert diagnosis.summary() == "fair: firewall blocking UDP (media relayed over TURN/TCP), 1 period"


@pytest.mark.parametrize(
    "pairs",
    [
        [pair("relay", "udp", True)],  # TURN over UDP: UDP works
        [pair("relay", "tcp", False), pair("srflx", "udp", True)],  # tried, not used
        [pair("host", "tcp", True)],  # TCP without a relay
        [],
    ],
    ids=["relay over udp", "relay not nominated", "tcp host", "no pairs"],
)
def test_no_firewall_problem_without_a_selected_relay_over_tcp(pairs: list[JSON]) -> None:
    diagnosis = analysis.diagnose(report(good_call(), pairs={"producing_transport": pairs}))
    assert diagnosis.problems == []


def test_without_a_nominated_flag_the_pair_that_carried_the_media_counts() -> None:
    relay = pair("relay", "tcp", None, bytes_sent=9_000_000, local_candidate_address="203.0.113.7")
    pairs = {"consuming_transport": [pair("srflx", "udp", None, bytes_sent=800), relay]}
    problem = only(analysis.diagnose(report(good_call(), pairs=pairs)))
    assert (problem.cause, problem.direction) == ("firewall_relay_tcp", "receive")
    assert problem.what.startswith("media relayed over TURN/TCP (203.0.113.7)")


# -- notes: what looks odd but is not a problem ---------------------------------------------------------------------


def test_microphone_off_is_a_note_not_a_problem() -> None:
    quality = good_call() | {"audio_producer": series(10) + series(10, first=20)}
    events = [(9, "audio_toggle", {"enabled": False}), (19, "audio_toggle", {"enabled": True})]
    diagnosis = analysis.diagnose(report(quality, events=events))
    assert (diagnosis.overall, diagnosis.problems) == ("good", [])
    assert diagnosis.notes == ["microphone off from 14:01:42 UTC to 14:03:22 UTC: no audio sent then, as expected"]
    berlin = analysis.diagnose(report(quality, events=events), zoneinfo.ZoneInfo("Europe/Berlin"))
    assert berlin.notes == ["microphone off from 15:01:42 CET to 15:03:22 CET: no audio sent then, as expected"]


def test_no_microphone_note_without_a_toggle() -> None:
    quality = good_call() | {"audio_producer": series(10) + series(10, first=20)}
    assert analysis.diagnose(report(quality, events=[(5, "tab_visibility", {"visible": False})])).notes == []


def test_microphone_and_camera_off_for_the_whole_call() -> None:
    quality = {"audio_consumer": series(30, send=False)}
    events: list[tuple[int, str, JSON]] = [
        (-1, "audio_toggle", {"enabled": False}),
        (-1, "video_toggle", {"enabled": "false"}),
    ]
    assert analysis.diagnose(report(quality, events=events)).notes == [
        "microphone off for the whole call: no audio sent, as expected",
        "camera off for the whole call: no video sent, as expected",
    ]
    late = [(12, "video_toggle", {"enabled": False})]
    assert analysis.diagnose(report(good_call(), events=late)).notes == [
        "camera off from 14:02:12 UTC to the end of the call: no video sent then, as expected"
    ]
    assert analysis.diagnose(report(quality)).notes == [
        "no microphone audio was sent (no audio_producer samples)",
        "no camera video was sent (no video_producer samples)",
    ]


def test_a_short_call_gets_a_note() -> None:
    diagnosis = analysis.diagnose(report(good_call(4), seconds=45))
    assert diagnosis.overall == "good"
    assert diagnosis.notes == [
        "short call (45 s): too short for the period rules, which need 3 consecutive samples; the verdict rests on "
        "4 samples per stream at most"
    ]
    assert analysis.diagnose(report(good_call(6), seconds=60)).notes == []


# -- order -----------------------------------------------------------------------------------------------------------


def test_problems_worst_first_and_causes_by_total_severity() -> None:
    loss = [0.0] * 5 + [9.0] * 3 + [0.0] * 10 + [9.0] * 6 + [0.0] * 6
    quality = good_call() | {
        "audio_producer": series(30, loss=loss, mos=[4.3] * 5 + [3.5] * 3 + [4.3] * 10 + [2.0] * 6 + [4.3] * 6),
        "video_producer": series(30, reason=["none"] * 25 + ["cpu"] * 5, mos=[4.4] * 25 + [1.5] * 5),
    }
    diagnosis = analysis.diagnose(report(quality))
    assert [(p.cause, p.start) for p in diagnosis.problems] == [
        ("lossy_network", at(17)), ("device_cpu", at(24)), ("lossy_network", at(4))
    ]  # fmt: skip
    severities = [p.severity for p in diagnosis.problems]
    assert severities == sorted(severities, reverse=True)
    assert diagnosis.causes == ["lossy_network", "device_cpu"]
    assert diagnosis.summary() == "fair: lossy network (Wi-Fi or mobile radio), 2 periods; also device CPU overloaded"


def test_every_cause_has_a_label_and_an_explanation() -> None:
    assert analysis.CAUSES.keys() == analysis.EXPLANATIONS.keys()
    assert all(cause in analysis.CAUSES for causes in analysis.EXPLAINED_BY.values() for cause in causes)


# -- the demo session ----------------------------------------------------------------------------------------------

EXPECTED_CAUSES = {
    "good": [],
    "mic_off": [],
    "short": [],
    "no_quality": [],
    "congestion": ["network_congestion"],
    "lossy": ["lossy_network"],
    "cpu": ["device_cpu"],
    "firewall": ["firewall_relay_tcp"],
    "bandwidth": ["limited_bandwidth"],
}


def test_every_demo_participant_is_diagnosed_with_its_cause(server: LocalServer, client: AuthenticatedClient) -> None:
    seen = set()
    for peer_id in sessions.PEER_IDS:
        label = sessions.CAUSES[peer_id]
        diagnosis = analysis.diagnose(
            get_participant_data_from_peer_id.sync(ACCOUNT_ID, APP_ID, peer_id, client=client)
        )
        assert diagnosis.participant_id == peer_id
        assert diagnosis.causes == EXPECTED_CAUSES[label], (label, diagnosis.summary())
        if label in ("good", "mic_off", "short"):
            assert (diagnosis.overall, diagnosis.problems) == ("good", []), label
        elif label == "no_quality":
            assert (diagnosis.overall, diagnosis.streams) == ("no data", []), label
        elif label != "lossy":  # lossy calls are good on average: their bursts are problems, not the verdict
            assert diagnosis.overall in ("fair", "poor"), (label, diagnosis.summary())
        notes = " ".join(diagnosis.notes)
        assert ("microphone off from" in notes) == (label == "mic_off")
        assert ("short call" in notes) == (label == "short")
        assert ("camera off for the whole call" in notes) == (sessions.PEER_IDS.index(peer_id) == 31)
        seen.add(label)
    assert seen == EXPECTED_CAUSES.keys()
    assert len(server.requests) == 36 and all(r.valid for r in server.requests)


def test_the_large_report_shows_each_episode() -> None:
    diagnosis = analysis.diagnose(PeerReportResponse.from_dict(sessions.large_peer_report(600)))
    assert set(diagnosis.causes) == {"network_congestion", "lossy_network", "device_cpu", "limited_bandwidth"}
    assert len(analysis.samples(PeerReportResponse.from_dict(sessions.large_peer_report(600)))) == 8 * 600


# -- values that cannot be true --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "edit",
    [
        {"mos_quality": 1e308},
        {"rtt": 1.7e308},
        {"jitter": 1e300, "rtt": 1e308},
        {"rtt": 10**400},
        {"packets_lost": 10**400, "packets_sent": 10**30},
        {"packets_lost": 1e308, "packets_sent": 1.7e308, "bytes_sent": 1.7e308},
    ],
    ids=["mos", "rtt", "jitter", "int-rtt", "int-counters", "counters"],
)
def test_huge_numbers_are_missing_values_not_an_exception(edit: JSON) -> None:
    samples = [sample | edit for sample in series(12, rtt=400.0, loss=10.0)]
    diagnosis = analysis.diagnose(report({"audio_producer": samples}))
    assert diagnosis.overall in ("good", "fair", "poor", "no data")
    assert len(diagnosis.summary()) < 300  # no 300-digit figure in it
    for problem in diagnosis.problems:
        assert len(problem.what) < 200, problem.what
    for sample in analysis.samples(report({"audio_producer": samples})):
        for value in (sample.mos, sample.rtt, sample.jitter, sample.packet_loss):
            assert value is None or math.isfinite(value)


@pytest.mark.parametrize(("mos", "expected"), [(9.0, "no data"), (-3.0, "no data"), (0.0, "no data"), (4.5, "good")])
def test_a_mos_outside_1_to_5_is_missing(mos: float, expected: str) -> None:
    diagnosis = analysis.diagnose(report({"audio_producer": series(6, mos=mos)}))
    assert diagnosis.overall == expected


def test_negative_rtt_and_jitter_are_missing() -> None:
    diagnosis = analysis.diagnose(report({"audio_producer": series(6, rtt=-50.0, jitter=-10.0)}))
    (stream,) = diagnosis.streams
    assert stream.rtt is None and stream.jitter is None
    assert [s.rtt for s in analysis.samples(report({"audio_producer": series(3, rtt=-50.0)}))] == [None] * 3


def test_samples_keep_the_servers_numbers() -> None:
    samples = analysis.samples(report({"audio_producer": series(3, rtt=[73, 0.30000000000000004, 2**70])}))
    assert [s.rtt for s in samples] == [73, 0.30000000000000004, 2**70]
    assert isinstance(samples[0].rtt, int)


def test_loss_without_mos_is_not_called_a_report_without_samples() -> None:
    samples = [{key: value for key, value in sample.items() if key != "mos_quality"} for sample in series(6)]
    diagnosis = analysis.diagnose(report({"audio_producer": samples}))
    assert diagnosis.overall == "no data"
    assert diagnosis.streams and diagnosis.streams[0].packet_loss == 0.0
    assert "no call-quality samples" not in diagnosis.summary()
    assert "no MOS" in diagnosis.summary()


@pytest.mark.parametrize("second", [None, True, "true", False, "false", 1])
def test_toggles_at_the_same_moment_do_not_raise(second: object) -> None:
    events: list[tuple[int, str, JSON]] = [
        (2, "audio_toggle", {"enabled": True}),
        (2, "audio_toggle", {"enabled": second}),
    ]
    diagnosis = analysis.diagnose(report(good_call(12), events=events))
    assert diagnosis.overall == "good"
