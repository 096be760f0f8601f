"""Deterministic stand-in bodies for the Sessions operations: the participant list and the peer report.

Standard library only; every body depends only on fixed seeds (``random.Random``) and a fixed session start, never
on the wall clock, so every run and machine produces the same bytes.

* ``session_participants(SESSION_ID)``: the 36 participants (rows of ``GetSessionParticipants``) of the demo
  session, in join order. ``participants_page(...)`` cuts them into API pages (``per_page=10`` gives 10, 10, 10, 6).
* ``peer_report(peer_id)``: the full 200 body of ``GetParticipantDataFromPeerId`` for each participant
  (``data.participant.id`` is the peer ID): metadata plus a quality tree sampled every 10 s while the participant
  was in the call, with cumulative summaries computed from those samples.
* ``large_peer_report(samples, seed)``: one long call, every series ``samples`` long, every key present.
* ``CAUSES``: peer ID -> what kind of call that participant had.

Participants and their calls (index = position in join order; ``CAUSES`` maps each peer ID to the label)
------------------------------------------------------------------------------------------------------------

======  ===========  ================================================================================================
index   label        how it shows in the peer report
======  ===========  ================================================================================================
0       good         host (preset ``group_call_host``), whole session; shares the screen from minute 14 to 24
1, 2    good         co-host (``group_call_host``) and an early participant; everyone else receives 0 and 1
3       congestion   a 4-6 min episode, 3+ min of it with loss > 5 % and RTT > 300 ms in every sample; jitter up;
                     the encoder goes ``bandwidth``-limited
4       good
5       mic_off      ``audio_toggle {enabled: false}`` ... ``{enabled: true}``; no ``audio_producer`` samples between
6       lossy        Wi-Fi: 5-7 bursts of 20-60 s with 6-12 % loss both ways; RTT flat
7       good
8       cpu          2-core laptop: ``quality_limitation_reason: cpu``, ``durations.cpu`` grows, fps falls to ~8,
                     received frames dropped; network fine
9       good
10      firewall     UDP blocked: nominated pair ``relay`` over ``tcp`` (TURN on 443), RTT 250-400 ms, loss < 1 %,
                     audio MOS ~3.4-3.8 (fair)
11      good
12      bandwidth    uplink ~160-300 kbit/s: ``quality_limitation_reason: bandwidth``, 320x180 / 480x270, 12-20 fps
13      good
14      congestion   (as 3)
15, 16  good
17      lossy        (as 6)
18      short        a ~45 s call: 4 samples per series
19      good
20      cpu          (as 8)
21      firewall     (as 10)
22      good
23      no_quality   ``peer_report`` has ``metadata`` only, no ``quality``
24      bandwidth    (as 12)
25      good
26      congestion   (as 3)
27-30   good
31      good         camera off for the whole call: ``video_producer`` is empty (no cumulative)
32      good
33      lossy        (as 6)
34, 35  good
======  ===========  ================================================================================================

Units and definitions (the source states few units; these are our assumptions, as in sessions.yaml)
-----------------------------------------------------------------------------------------------------

* ``rtt``, ``jitter``, ``jitter_buffer_delay``: milliseconds (0.1 ms resolution). Candidate-pair
  ``current_round_trip_time`` / ``total_round_trip_time``: seconds (W3C); ``available_*_bitrate``: bit/s (W3C);
  ``last_packet_*_timestamp``: epoch milliseconds (stated by the source).
* Packet, byte, frame, PLI/FIR, concealment and emitted counters are cumulative since the stream started and never
  decrease. A paused producer (microphone off) keeps its counters; they continue when it resumes.
* Interval packet loss (%) = delta lost / (delta lost + delta sent-or-received) * 100, per stream (producer or
  consumer ID); a stream's first interval starts at zero counters.
* ``quality_limitation_durations``: seconds since the stream started, per reason (they add up to the stream's
  age); ``quality_limitation_resolution_changes`` counts resolution changes.
* ``mos_quality`` (1..5 scale). Audio, a simplified ITU-T G.107 E-model:
  ``d = rtt/2 + 2*jitter + 40`` ms (consumers: ``rtt/2 + jitter_buffer_delay + 40`` with the receiver's RTT),
  ``Id = 0.024*d + 0.11*(d - 177.3)`` (second term only when d > 177.3), ``Ie = 95*P/(P + 10)`` with P the
  interval loss %, ``R = 93.2 - Id - Ie``, ``MOS = 1 + 0.035*R + 7e-6*R*(R - 60)*(100 - R)`` (1 if R <= 0,
  4.5 if R >= 100). Video: ``4.5 - 0.6*log2(720/height) (height < 720) - 1.8*(1 - fps/target_fps)
  - min(2.5, 0.15*P) - 0.004*max(0, delay - 150)`` clamped to 1..5, where delay is the RTT (producers) or
  ``jitter_buffer_delay + 50`` (consumers), and target_fps is 30 for cameras, 5 for screen shares.
* Cumulatives summarise one series (all streams in it pooled): ``avg`` is the mean of the samples' values
  (``packet_loss.avg`` the mean interval loss in percent); ``pNN`` the nearest-rank percentile; ``X_or_greater``
  the fraction (0..1) of samples at or above X (loss % or milliseconds). Video issues, per sample:
  ``poor_resolution`` = frame_width < 640; ``no_video`` = frames_per_second == 0; ``*_quality_limitation`` = that
  reason; ``quality_limitation`` = any reason but ``none``; ``lag`` (consumers) = fps < 15, or >= 10 % of the
  interval's frames dropped, or jitter_buffer_delay >= 250 ms; ``high_negative_feedback`` = PLI + FIR grew by 3 or
  more in the interval. ``key_frames_*_fraction`` = key frames / frames over the series' streams. A series with no
  samples is an empty list and its cumulative key is left out.
* Event names and their metadata keys are our own vocabulary (no source lists them): ``media_permission``,
  ``network_change``, ``ice_connection_state``, ``ice_candidate_error``, ``audio_toggle``, ``video_toggle``,
  ``screenshare_toggle``, ``cpu_pressure``, ``tab_visibility``, ``room_leave``.
* ``pc_metadata[].sdp`` holds whole SDP documents (local, then remote); the source does not say.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

JSON = dict[str, Any]

SESSION_ID: Final = "3c9f1e7a-58b2-4d6e-b0a4-7e2d91c5f386"
SEED: Final = 20261120
INTERVAL_SECONDS: Final = 10
SESSION_START: Final = dt.datetime(2026, 11, 20, 14, 0, 3, 118000, tzinfo=dt.UTC)
SESSION_MINUTES: Final = 52
ROOM_VIEW_TYPE: Final = "GROUP_CALL"
SCREENSHARE_FROM: Final = SESSION_START + dt.timedelta(minutes=14)
SCREENSHARE_TO: Final = SESSION_START + dt.timedelta(minutes=24)

_INTERVAL: Final = dt.timedelta(seconds=INTERVAL_SECONDS)
_SESSION_END: Final = SESSION_START + dt.timedelta(minutes=SESSION_MINUTES, seconds=7, milliseconds=406)

_LABELS: Final[tuple[str, ...]] = (
    "good", "good", "good", "congestion", "good", "mic_off", "lossy", "good", "cpu", "good",
    "firewall", "good", "bandwidth", "good", "congestion", "good", "good", "lossy", "short", "good",
    "cpu", "firewall", "good", "no_quality", "bandwidth", "good", "congestion", "good", "good", "good",
    "good", "good", "good", "lossy", "good", "good",
)  # fmt: skip
_CAMERA_OFF: Final = frozenset({31})
_HOST: Final = 0

_NAMES: Final[tuple[str, ...]] = (
    "Priya Raman", "Daniel Okafor", "Mei Lin Chen", "Lukas Becker", "Sofia Alvarez", "Tomás Ferreira",
    "Aisha Bello", "Kenji Watanabe", "Emma Johansson", "Rahul Mehta", "Chloé Martin", "Oluwaseun Adeyemi",
    "Hannah Schmidt", "Diego Morales", "Fatima Zahra El Amrani", "Liam O'Connor", "Yuki Tanaka", "Ananya Iyer",
    "Mateo Rossi", "Grace Mwangi", "Noah Williams", "Leila Haddad", "Arjun Nair", "Zoe Papadopoulos",
    "Samuel Cohen", "Ingrid Larsen", "Kwame Mensah", "Valentina Gómez", "Ethan Brooks", "Nadia Petrova",
    "Marco Bianchi", "Sara Lindqvist", "Hiroshi Sato", "Amara Nwosu", "Jonas Meyer", "Isabela Costa",
)  # fmt: skip


@dataclass(frozen=True)
class _Location:
    city: str
    region: str
    country: str
    timezone: str
    asn: str
    isp: str
    domain: str
    route: str  # a documentation prefix (RFC 5737); the AS numbers are documentation ASNs (RFC 5398)
    kind: str
    base_rtt: float  # ms to the nearest media server


_LOCATIONS: Final[tuple[_Location, ...]] = (
    _Location("Bengaluru", "Karnataka", "IN", "Asia/Kolkata", "AS64500", "Example Fiber Ltd.", "fiber.example",
              "203.0.113.0/25", "isp", 24.0),
    _Location("Berlin", "Berlin", "DE", "Europe/Berlin", "AS64501", "Beispiel Netz GmbH", "netz.example",
              "198.51.100.0/25", "isp", 14.0),
    _Location("São Paulo", "São Paulo", "BR", "America/Sao_Paulo", "AS64502", "Exemplo Telecom S.A.",
              "telecom.example", "192.0.2.0/25", "isp", 31.0),
    _Location("Austin", "Texas", "US", "America/Chicago", "AS64503", "Example Cable Co.", "cable.example",
              "203.0.113.128/25", "isp", 18.0),
    _Location("London", "England", "GB", "Europe/London", "AS64504", "Example Broadband plc", "broadband.example",
              "198.51.100.128/25", "isp", 12.0),
    _Location("Nairobi", "Nairobi County", "KE", "Africa/Nairobi", "AS64505", "Mfano Mobile Ltd.",
              "mobile.example", "192.0.2.128/26", "isp", 42.0),
    _Location("Toronto", "Ontario", "CA", "America/Toronto", "AS64506", "Example Corp Networks",
              "corp.example", "192.0.2.192/26", "business", 16.0),
    _Location("Tokyo", "Tokyo", "JP", "Asia/Tokyo", "AS64507", "Rei Hikari K.K.", "hikari.example",
              "203.0.113.64/26", "isp", 20.0),
)  # fmt: skip


@dataclass(frozen=True)
class _Platform:
    sdk_type: str
    sdk_name: str
    sdk_version: str
    browser: str
    browser_version: str
    engine: str
    os: str
    os_version: str
    is_mobile: bool
    user_agent: str
    mic: str
    camera: str
    speaker: str
    camera_size: tuple[int, int]


_PLATFORMS: Final[tuple[_Platform, ...]] = (
    _Platform("web", "@cloudflare/realtimekit", "1.2.4", "Chrome", "131.0.6778.86", "Blink", "macOS", "14.6.1",
              False, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36", "MacBook Pro Microphone (Built-in)", "FaceTime HD Camera",
              "MacBook Pro Speakers (Built-in)", (1280, 720)),
    _Platform("web", "@cloudflare/realtimekit", "1.2.4", "Chrome", "131.0.6778.109", "Blink", "Windows", "10",
              False, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36", "Microphone Array (Realtek(R) Audio)", "Integrated Webcam",
              "Speakers (Realtek(R) Audio)", (1280, 720)),
    _Platform("web", "@cloudflare/realtimekit", "1.2.4", "Firefox", "133.0", "Gecko", "Linux", "6.8", False,
              "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
              "Built-in Audio Analog Stereo", "HD Pro Webcam C920", "Built-in Audio Analog Stereo", (1280, 720)),
    _Platform("web", "@cloudflare/realtimekit", "1.2.3", "Safari", "18.1.1", "WebKit", "macOS", "15.1.1", False,
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/18.1.1 Safari/605.1.15", "MacBook Air Microphone", "FaceTime HD Camera",
              "MacBook Air Speakers", (1280, 720)),
    _Platform("web", "@cloudflare/realtimekit", "1.2.4", "Edge", "131.0.2903.86", "Blink", "Windows", "11", False,
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Headset Microphone (Jabra Evolve2 65)",
              "Logitech BRIO", "Headset Earphone (Jabra Evolve2 65)", (1280, 720)),
    _Platform("web", "@cloudflare/realtimekit", "1.2.4", "Chrome", "131.0.6778.81", "Blink", "Android", "14", True,
              "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Mobile Safari/537.36", "Default", "camera2 1, facing front", "Speakerphone",
              (640, 360)),
    _Platform("web", "@cloudflare/realtimekit", "1.2.3", "Safari", "18.1", "WebKit", "iOS", "18.1.1", True,
              "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/18.1 Mobile/15E148 Safari/604.1", "iPhone Microphone", "Front Camera", "iPhone Speaker",
              (640, 360)),
    _Platform("android", "realtimekit-android-core", "1.1.7", "", "", "", "Android", "15", True, "",
              "Built-in microphone", "Front camera", "Earpiece", (640, 360)),
)  # fmt: skip

# Platform (index into _PLATFORMS), location (index into _LOCATIONS), network type per cause; good calls vary.
_CAUSE_SETUP: Final[dict[str, tuple[tuple[int, ...], tuple[int, ...], str]]] = {
    "congestion": ((5, 1, 2), (5, 2, 0), "cellular"),
    "lossy": ((0, 3, 2), (1, 3, 7), "wifi"),
    "cpu": ((1, 4), (4, 3), "wifi"),
    "firewall": ((4, 1), (6, 6), "ethernet"),
    "bandwidth": ((6, 1), (5, 2), "cellular"),
}


@dataclass(frozen=True)
class _Stream:
    id: str
    ssrc: int
    mid: str


@dataclass(frozen=True)
class _Person:
    index: int
    label: str
    peer_id: str
    participant_id: str  # the meeting participant behind this peer (peer_events[].participant_id)
    user_id: str
    custom_id: str
    name: str
    preset: str
    socket_session_id: str
    created: dt.datetime
    joined: dt.datetime
    left: dt.datetime
    updated: dt.datetime
    seed: int
    platform: _Platform
    location: _Location
    network_type: str
    cpus: int
    camera_on: bool
    audio: _Stream
    video: _Stream
    screen_audio: _Stream
    screen_video: _Stream

    @property
    def duration(self) -> float:
        return round((self.left - self.joined).total_seconds() / 60, 2)


@dataclass
class _State:
    """The hidden network/device state of one 10 s interval; samples are drawn from it."""

    at: dt.datetime
    rtt: float  # ms
    jitter: float  # ms
    up_loss: float  # percent, sender side
    down_loss: float  # percent, receiver side
    reason: str = "none"
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    out_bps: float = 3_000_000.0
    in_bps: float = 12_000_000.0
    drop: float = 0.0  # fraction of received frames dropped (slow decoding)
    audio_on: bool = True
    video_on: bool = True


# ---------------------------------------------------------------------------------------------------------------
# small helpers


def _iso(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z``: ``2026-11-20T14:02:07.482Z``."""
    utc = moment.astimezone(dt.UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _epoch_ms(moment: dt.datetime) -> int:
    return int(round(moment.timestamp() * 1000))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(4 * digits):0{digits}x}"


def _stream(rng: random.Random, mid: str) -> _Stream:
    return _Stream(_uuid(rng), rng.randrange(1 << 24, 1 << 32), mid)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _percentile(sorted_values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _fraction(flags: Iterable[bool]) -> float:
    values = list(flags)
    return round(sum(values) / len(values), 4) if values else 0.0


def audio_mos(delay_ms: float, loss_percent: float) -> float:
    """Simplified E-model (see the module docstring): one-way delay in ms and interval loss in % -> MOS 1..4.5."""
    impairment_delay = 0.024 * delay_ms + (0.11 * (delay_ms - 177.3) if delay_ms > 177.3 else 0.0)
    impairment_loss = 95 * loss_percent / (loss_percent + 10)
    r = 93.2 - impairment_delay - impairment_loss
    if r <= 0:
        return 1.0
    if r >= 100:
        return 4.5
    return round(max(1.0, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)), 2)  # the cubic dips below 1 near R=0


def video_mos(height: float, fps: float, target_fps: float, loss_percent: float, delay_ms: float) -> float:
    """Stand-in video MOS (see the module docstring)."""
    score = 4.5
    if 0 < height < 720:
        score -= 0.6 * math.log2(720 / height)
    score -= 1.8 * max(0.0, 1 - fps / target_fps)
    score -= min(2.5, 0.15 * loss_percent)
    score -= 0.004 * max(0.0, delay_ms - 150)
    return round(_clamp(score, 1.0, 5.0), 2)


def _interval_loss(lost: int, good: int) -> float:
    return 100 * lost / (lost + good) if lost + good > 0 else 0.0


def _lost_for(good: int, loss_percent: float) -> int:
    """Packets lost so that lost / (lost + good) is ``loss_percent``."""
    return round(good * loss_percent / (100 - loss_percent)) if loss_percent > 0 else 0


def _video_bitrate(width: int, fps: float, target_fps: float, cap_bps: float) -> float:
    nominal = {1920: 2_500_000, 1280: 1_500_000, 960: 900_000, 640: 550_000, 480: 300_000, 320: 170_000}
    base = nominal.get(width, 1_000_000) * max(0.4, fps / target_fps)
    if target_fps < 10:  # screen content: few, mostly static frames
        base *= 0.35
    return min(base, 0.85 * cap_bps)


# ---------------------------------------------------------------------------------------------------------------
# the session plan


@functools.cache
def _people() -> tuple[_Person, ...]:
    rng = random.Random(SEED)
    assert len(_LABELS) == len(_NAMES) == 36
    # Join offsets (s): most people arrive in the first four minutes, the last eleven between minute 5 and 22.
    early = sorted(rng.uniform(2, 240) for _ in range(24))
    late = sorted(rng.uniform(300, 1320) for _ in range(12))
    offsets = [0.0, *early[1:], *late]
    offsets[0] = 0.0
    people: list[_Person] = []
    for index, label in enumerate(_LABELS):
        prng = random.Random(SEED * 100 + index)
        joined = SESSION_START + dt.timedelta(seconds=round(offsets[index] + prng.uniform(1.0, 4.0), 3))
        if index == _HOST:
            left = _SESSION_END
        elif index in (1, 2):
            left = _SESSION_END - dt.timedelta(seconds=round(prng.uniform(20, 90), 3))
        elif label == "short":
            left = joined + dt.timedelta(seconds=round(prng.uniform(42, 49), 3))
        elif label == "no_quality":
            left = joined + dt.timedelta(seconds=round(prng.uniform(360, 900), 3))
        else:
            low = 20 * 60 if label in ("congestion", "cpu", "mic_off", "lossy", "firewall", "bandwidth") else 9 * 60
            left = joined + dt.timedelta(seconds=round(prng.uniform(low, 48 * 60), 3))
            left = min(left, _SESSION_END - dt.timedelta(seconds=round(prng.uniform(5, 40), 3)))
        if label in _CAUSE_SETUP:
            platforms, locations, network_type = _CAUSE_SETUP[label]
            nth = _LABELS[:index].count(label)
            platform = _PLATFORMS[platforms[nth % len(platforms)]]
            location = _LOCATIONS[locations[nth % len(locations)]]
            if network_type == "cellular" and not platform.is_mobile:
                network_type = "wifi"  # a laptop: its uplink is the home Wi-Fi
        else:
            platform = _PLATFORMS[(0, 1, 2, 3, 4, 0, 1, 5, 6, 7)[prng.randrange(10)]] if index else _PLATFORMS[0]
            location = _LOCATIONS[prng.randrange(len(_LOCATIONS))] if index else _LOCATIONS[0]
            network_type = "wifi" if platform.is_mobile or prng.random() < 0.6 else "ethernet"
        cpus = 2 if label == "cpu" else (prng.choice((6, 8)) if platform.is_mobile else prng.choice((8, 10, 12, 16)))
        people.append(
            _Person(
                index=index,
                label=label,
                peer_id=_uuid(prng),
                participant_id=_uuid(prng),
                user_id=_uuid(prng),
                custom_id="support-agent-4471" if index == _HOST else f"acme-emp-{prng.randrange(1000, 9999)}",
                name=_NAMES[index],
                preset="group_call_host" if index in (0, 1) else "group_call_participant",
                socket_session_id=f"ws-{_hex(prng, 12)}",
                created=joined - dt.timedelta(seconds=round(prng.uniform(3.0, 6.0), 3)),
                joined=joined,
                left=left,
                updated=left + dt.timedelta(seconds=round(prng.uniform(0.5, 2.0), 3)),
                seed=SEED * 100 + index,
                platform=platform,
                location=location,
                network_type=network_type,
                cpus=cpus,
                camera_on=index not in _CAMERA_OFF,
                audio=_stream(prng, "0"),
                video=_stream(prng, "1"),
                screen_audio=_stream(prng, "2"),
                screen_video=_stream(prng, "3"),
            )
        )
    return tuple(people)


def _person_by_peer(peer_id: str) -> _Person:
    for person in _people():
        if person.peer_id == peer_id:
            return person
    raise KeyError(f"unknown peer id {peer_id!r}")


def _tick_times(joined: dt.datetime, left: dt.datetime) -> list[dt.datetime]:
    count = int((left - joined) / _INTERVAL)
    return [joined + _INTERVAL * (k + 1) for k in range(count)]


# ---------------------------------------------------------------------------------------------------------------
# hidden state per interval, by cause


def _good_states(
    rng: random.Random, times: Sequence[dt.datetime], base_rtt: float, camera: tuple[int, int]
) -> list[_State]:
    jitter_base = rng.uniform(2.0, 5.0)
    states = []
    for at in times:
        spike = rng.uniform(8, 40) if rng.random() < 0.03 else 0.0
        states.append(
            _State(
                at=at,
                rtt=max(4.0, base_rtt + rng.gauss(0, base_rtt * 0.06) + spike),
                jitter=max(0.4, rng.gauss(jitter_base, 0.7)),
                up_loss=0.0 if rng.random() < 0.78 else rng.uniform(0.1, 0.9),
                down_loss=0.0 if rng.random() < 0.8 else rng.uniform(0.1, 0.8),
                width=camera[0],
                height=camera[1],
                fps=min(30.0, rng.gauss(29.6, 0.3)),
                out_bps=rng.gauss(3_200_000, 250_000),
                in_bps=rng.gauss(14_000_000, 1_500_000),
            )
        )
    return states


def _congestion(rng: random.Random, states: list[_State], start: int, length: int, base_rtt: float) -> None:
    """Sustained loss > 5 % with RTT rising past 300 ms; a 40 s ramp in and 30 s out."""
    for j in range(length):
        if start + j >= len(states):
            break
        state = states[start + j]
        f = min(1.0, (j + 1) / 4, (length - j) / 3)
        state.rtt = base_rtt + f * rng.uniform(300, 480) + rng.gauss(0, 8)
        state.jitter += f * rng.uniform(20, 50)
        state.up_loss = f * rng.uniform(6.2, 14.0)
        state.down_loss = f * rng.uniform(5.6, 12.0)
        state.out_bps = (1 - f) * state.out_bps + f * rng.uniform(250_000, 450_000)
        state.in_bps = (1 - f) * state.in_bps + f * rng.uniform(600_000, 1_200_000)
        if f > 0.5 and state.video_on:
            state.reason = "bandwidth"
            state.width, state.height = (640, 360) if j < length // 4 else (320, 180)
            state.fps = 30 - f * rng.uniform(8, 14)


def _lossy(rng: random.Random, states: list[_State], base_rtt: float) -> None:
    """Wi-Fi: loss bursts of 6-12 % lasting 20-60 s; RTT stays flat."""
    for state in states:
        state.rtt = base_rtt + rng.gauss(0, 1.5)
        state.up_loss = 0.0 if rng.random() < 0.6 else rng.uniform(0.1, 0.6)
        state.down_loss = 0.0 if rng.random() < 0.6 else rng.uniform(0.1, 0.6)
    bursts = rng.randint(5, 7)
    span = len(states) // bursts
    for b in range(bursts):
        length = rng.randint(2, 6)
        first = b * span + rng.randrange(2, max(3, span - length - 2))
        for state in states[first : first + length]:
            state.up_loss = rng.uniform(6.2, 11.8)
            state.down_loss = rng.uniform(6.2, 11.8)
            state.jitter += rng.uniform(5, 10)


def _cpu(rng: random.Random, states: list[_State], start: int) -> None:
    """Encoder limited by CPU from ``start`` on: resolution down, frame rate falling, received frames dropped."""
    end = len(states)
    for k in range(start, end):
        state = states[k]
        p = (k - start) / max(1, end - start - 1)
        state.reason = "cpu"
        state.width, state.height = (960, 540) if p < 0.15 else (640, 360)
        state.fps = _clamp(22 - 14 * p + rng.gauss(0, 0.8), 7.0, 24.0)
        state.drop = _clamp(0.12 + 0.25 * p + rng.gauss(0, 0.02), 0.05, 0.5)


def _firewall(rng: random.Random, states: list[_State]) -> None:
    """Media over TURN/TCP: RTT 250-400 ms, more jitter, next to no loss."""
    for state in states:
        state.rtt = _clamp(rng.gauss(315, 35), 250, 400)
        state.jitter = rng.uniform(30, 55)
        state.up_loss = 0.0 if rng.random() < 0.7 else rng.uniform(0.1, 0.6)
        state.down_loss = 0.0 if rng.random() < 0.7 else rng.uniform(0.1, 0.6)
        state.out_bps = rng.gauss(1_500_000, 150_000)
        state.in_bps = rng.gauss(3_000_000, 300_000)
        state.fps = min(30.0, rng.gauss(29.0, 0.6))


def _bandwidth(rng: random.Random, states: list[_State], start: int, end: int, base_rtt: float) -> None:
    """Uplink of 160-300 kbit/s: encoder limited by bandwidth, small frames, low frame rate; loss and RTT normal."""
    size = (320, 180)
    for state in states[start:end]:
        if rng.random() < 0.08:
            size = (480, 270) if size == (320, 180) else (320, 180)
        state.reason = "bandwidth"
        state.width, state.height = size
        state.fps = rng.uniform(12, 20)
        state.out_bps = rng.uniform(160_000, 300_000)
        state.rtt = base_rtt + rng.uniform(15, 45)
        state.up_loss = 0.0 if rng.random() < 0.6 else rng.uniform(0.1, 1.2)


def _timeline_for(person: _Person) -> list[_State]:
    rng = random.Random(person.seed * 7 + 1)
    times = _tick_times(person.joined, person.left)
    base_rtt = person.location.base_rtt * (1.8 if person.network_type == "cellular" else 1.0) + rng.uniform(2, 12)
    states = _good_states(rng, times, base_rtt, person.platform.camera_size)
    n = len(states)
    if person.label == "congestion":
        _congestion(rng, states, int(n * rng.uniform(0.3, 0.45)), rng.randint(24, 36), base_rtt)
    elif person.label == "lossy":
        _lossy(rng, states, base_rtt)
    elif person.label == "cpu":
        _cpu(rng, states, int(n * rng.uniform(0.15, 0.3)))
    elif person.label == "firewall":
        _firewall(rng, states)
    elif person.label == "bandwidth":
        _bandwidth(rng, states, 2, n, base_rtt)
    elif person.label == "mic_off":
        off = int(n * rng.uniform(0.3, 0.4))
        for state in states[off : off + rng.randint(30, 60)]:
            state.audio_on = False
    if not person.camera_on:
        for state in states:
            state.video_on = False
    return states


@functools.cache
def _timeline(index: int) -> tuple[_State, ...]:
    return tuple(_timeline_for(_people()[index]))


def _state_at(timeline: Sequence[_State], joined: dt.datetime, moment: dt.datetime) -> _State | None:
    """The remote's latest interval at ``moment``, or None when it was not (yet or any more) in the call."""
    k = int((moment - joined) / _INTERVAL) - 1
    return timeline[k] if 0 <= k < len(timeline) else None


# ---------------------------------------------------------------------------------------------------------------
# sample series


def _audio_producer(rng: random.Random, stream: _Stream, states: Sequence[_State]) -> list[JSON]:
    samples: list[JSON] = []
    sent = lost = sent_bytes = 0
    for state in states:
        d_sent = rng.randint(496, 502)  # 20 ms Opus frames
        d_lost = _lost_for(d_sent, state.up_loss)
        sent += d_sent
        lost += d_lost
        sent_bytes += d_sent * rng.randint(88, 104)
        rtt = round(max(1.0, state.rtt + rng.gauss(0, 0.8)), 1)
        jitter = round(max(0.1, state.jitter + rng.gauss(0, 0.3)), 1)
        samples.append(
            {
                "bytes_sent": sent_bytes,
                "jitter": jitter,
                "mid": stream.mid,
                "mos_quality": audio_mos(rtt / 2 + 2 * jitter + 40, _interval_loss(d_lost, d_sent)),
                "packets_lost": lost,
                "packets_sent": sent,
                "producer_id": stream.id,
                "rtt": rtt,
                "ssrc": stream.ssrc,
                "timestamp": _iso(state.at),
            }
        )
    return samples


def _video_producer(rng: random.Random, stream: _Stream, states: Sequence[_State], target_fps: float) -> list[JSON]:
    samples: list[JSON] = []
    sent = lost = sent_bytes = frames = key_frames = pli = fir = changes = 0
    durations = {"bandwidth": 0.0, "cpu": 0.0, "none": 0.0, "other": 0.0}
    previous_width = 0
    for state in states:
        fps = round(max(0.0, state.fps), 1)
        d_frames = round(fps * INTERVAL_SECONDS)
        d_bytes = round(_video_bitrate(state.width, fps, target_fps, state.out_bps) * INTERVAL_SECONDS / 8)
        d_sent = math.ceil(d_bytes / 1100)
        d_lost = _lost_for(d_sent, state.up_loss)
        d_pli = (1 if rng.random() < 0.08 else 0) + (round(rng.uniform(0.2, 0.45) * state.up_loss) if d_lost else 0)
        d_fir = 1 if rng.random() < 0.01 else 0
        sent += d_sent
        lost += d_lost
        sent_bytes += d_bytes
        frames += d_frames
        key_frames += min(d_frames, d_pli + d_fir + (1 if rng.random() < 0.1 else 0))
        pli += d_pli
        fir += d_fir
        durations[state.reason] += INTERVAL_SECONDS
        if previous_width and state.width != previous_width:
            changes += 1
        previous_width = state.width
        rtt = round(max(1.0, state.rtt + rng.gauss(0, 0.8)), 1)
        loss = _interval_loss(d_lost, d_sent)
        samples.append(
            {
                "bytes_sent": sent_bytes,
                "fir_count": fir,
                "frame_height": state.height,
                "frame_width": state.width,
                "frames_encoded": frames,
                "frames_per_second": fps,
                "jitter": round(max(0.1, state.jitter + rng.gauss(0, 0.3)), 1),
                "key_frames_encoded": key_frames,
                "mid": stream.mid,
                "mos_quality": video_mos(state.height, fps, target_fps, loss, rtt),
                "packets_lost": lost,
                "packets_sent": sent,
                "pli_count": pli,
                "producer_id": stream.id,
                "quality_limitation_durations": dict(durations),
                "quality_limitation_reason": state.reason,
                "quality_limitation_resolution_changes": changes,
                "rtt": rtt,
                "ssrc": stream.ssrc,
                "timestamp": _iso(state.at),
            }
        )
    return samples


Pair = tuple[_State, _State]  # (the receiver's interval, the sender's interval)


def _audio_consumer(rng: random.Random, ids: tuple[str, int, str], remote: _Person, stream: _Stream,
                    pairs: Sequence[Pair]) -> list[JSON]:  # fmt: skip
    consumer_id, ssrc, mid = ids
    samples: list[JSON] = []
    received = lost = received_bytes = concealment = emitted = 0
    for own, _sender in pairs:
        d_received = rng.randint(496, 502)
        d_lost = _lost_for(d_received, own.down_loss)
        received += d_received
        lost += d_lost
        received_bytes += d_received * rng.randint(88, 104)
        concealment += round(d_lost * rng.uniform(0.5, 0.8)) + (1 if rng.random() < 0.1 else 0)
        emitted += 48_000 * INTERVAL_SECONDS
        jitter = round(max(0.1, own.jitter * 0.9 + rng.gauss(0, 0.4)), 1)
        buffer_delay = round(max(10.0, 20 + 1.8 * jitter + 2.5 * own.down_loss + rng.gauss(0, 2)), 1)
        samples.append(
            {
                "bytes_received": received_bytes,
                "concealment_events": concealment,
                "consumer_id": consumer_id,
                "jitter": jitter,
                "jitter_buffer_delay": buffer_delay,
                "jitter_buffer_emitted_count": emitted,
                "mid": mid,
                "mos_quality": audio_mos(own.rtt / 2 + buffer_delay + 40, _interval_loss(d_lost, d_received)),
                "packets_lost": lost,
                "packets_received": received,
                "peer_id": remote.peer_id,
                "producer_id": stream.id,
                "ssrc": ssrc,
                "timestamp": _iso(own.at),
            }
        )
    return samples


def _video_consumer(rng: random.Random, ids: tuple[str, int, str], remote: _Person, stream: _Stream,
                    pairs: Sequence[Pair], target_fps: float) -> list[JSON]:  # fmt: skip
    consumer_id, ssrc, mid = ids
    samples: list[JSON] = []
    received = lost = received_bytes = decoded = dropped = key_frames = fir = emitted = 0
    for own, sender in pairs:
        sent_fps = round(max(0.0, sender.fps), 1)
        d_bytes = round(_video_bitrate(sender.width, sent_fps, target_fps, min(sender.out_bps, own.in_bps)) * 1.25)
        d_received = math.ceil(d_bytes / 1100)
        d_lost = _lost_for(d_received, own.down_loss)
        total_frames = round(sent_fps * INTERVAL_SECONDS * (1 - min(0.5, own.down_loss / 40)))
        d_dropped = round(total_frames * own.drop)
        d_decoded = total_frames - d_dropped
        received += d_received
        lost += d_lost
        received_bytes += d_bytes
        decoded += d_decoded
        dropped += d_dropped
        emitted += d_decoded
        key_frames += min(d_decoded, (1 if rng.random() < 0.1 else 0) + (1 if d_lost > 3 else 0))
        fir += 1 if d_lost > 20 and rng.random() < 0.3 else 0
        fps = round(d_decoded / INTERVAL_SECONDS, 1)
        jitter = round(max(0.1, own.jitter * 0.9 + rng.gauss(0, 0.4)), 1)
        buffer_delay = round(max(15.0, 40 + 1.5 * jitter + 6 * own.down_loss + 120 * own.drop + rng.gauss(0, 3)), 1)
        loss = _interval_loss(d_lost, d_received)
        samples.append(
            {
                "bytes_received": received_bytes,
                "consumer_id": consumer_id,
                "fir_count": fir,
                "frame_height": sender.height,
                "frame_width": sender.width,
                "frames_decoded": decoded,
                "frames_dropped": dropped,
                "frames_per_second": fps,
                "jitter": jitter,
                "jitter_buffer_delay": buffer_delay,
                "jitter_buffer_emitted_count": emitted,
                "key_frames_decoded": key_frames,
                "mid": mid,
                "mos_quality": video_mos(sender.height, fps, target_fps, loss, buffer_delay + 50),
                "packets_lost": lost,
                "packets_received": received,
                "peer_id": remote.peer_id,
                "producer_id": stream.id,
                "ssrc": ssrc,
                "timestamp": _iso(own.at),
            }
        )
    return samples


# ---------------------------------------------------------------------------------------------------------------
# cumulative summaries (computed from the samples only)


def _distribution(values: Sequence[float]) -> JSON:
    ordered = sorted(values)
    return {
        "avg": round(sum(ordered) / len(ordered), 2),
        "p50": _percentile(ordered, 50),
        "p75": _percentile(ordered, 75),
        "p90": _percentile(ordered, 90),
    }


def interval_losses(samples: Sequence[JSON], id_key: str, good_key: str) -> list[float]:
    """Per-sample interval loss in percent, per stream (``id_key``), from the cumulative counters."""
    last: dict[str, tuple[float, float]] = {}
    losses = []
    for sample in samples:
        prev_lost, prev_good = last.get(sample[id_key], (0, 0))
        d_lost, d_good = sample["packets_lost"] - prev_lost, sample[good_key] - prev_good
        losses.append(_interval_loss(int(d_lost), int(d_good)))
        last[sample[id_key]] = (sample["packets_lost"], sample[good_key])
    return losses


def _packet_loss(losses: Sequence[float]) -> JSON:
    return {
        "10_or_greater_event_fraction": _fraction(x >= 10 for x in losses),
        "25_or_greater_event_fraction": _fraction(x >= 25 for x in losses),
        "5_or_greater_event_fraction": _fraction(x >= 5 for x in losses),
        "50_or_greater_event_fraction": _fraction(x >= 50 for x in losses),
        "avg": round(sum(losses) / len(losses), 2),
    }


def _latency(values: Sequence[float]) -> JSON:
    return {
        "100ms_or_greater_event_fraction": _fraction(x >= 100 for x in values),
        "250ms_or_greater_event_fraction": _fraction(x >= 250 for x in values),
        "500ms_or_greater_event_fraction": _fraction(x >= 500 for x in values),
        "avg": round(sum(values) / len(values), 2),
    }


def _deltas(samples: Sequence[JSON], id_key: str, keys: Sequence[str]) -> list[list[float]]:
    last: dict[str, list[float]] = {}
    out = []
    for sample in samples:
        previous = last.get(sample[id_key], [0.0] * len(keys))
        current = [float(sample[key]) for key in keys]
        out.append([c - p for c, p in zip(current, previous, strict=True)])
        last[sample[id_key]] = current
    return out


def _final_sum(samples: Sequence[JSON], id_key: str, key: str) -> float:
    last: dict[str, float] = {}
    for sample in samples:
        last[sample[id_key]] = float(sample[key])
    return sum(last.values())


def _audio_producer_cumulative(samples: Sequence[JSON]) -> JSON:
    return {
        "packet_loss": _packet_loss(interval_losses(samples, "producer_id", "packets_sent")),
        "quality_mos": _distribution([s["mos_quality"] for s in samples]),
        "rtt": _latency([s["rtt"] for s in samples]),
    }


def _audio_consumer_cumulative(samples: Sequence[JSON]) -> JSON:
    return {
        "jitter_buffer_delay": _latency([s["jitter_buffer_delay"] for s in samples]),
        "packet_loss": _packet_loss(interval_losses(samples, "consumer_id", "packets_received")),
        "quality_mos": _distribution([s["mos_quality"] for s in samples]),
    }


def _video_producer_cumulative(samples: Sequence[JSON]) -> JSON:
    feedback = _deltas(samples, "producer_id", ("pli_count", "fir_count"))
    reasons = [s["quality_limitation_reason"] for s in samples]
    frames = _final_sum(samples, "producer_id", "frames_encoded")
    return {
        "frame_per_second": _distribution([s["frames_per_second"] for s in samples]),
        "frame_width": _distribution([s["frame_width"] for s in samples]),
        "high_negative_feedback_fraction": _fraction(sum(d) >= 3 for d in feedback),
        "issues": {
            "bandwidth_quality_limitation_fraction": _fraction(r == "bandwidth" for r in reasons),
            "cpu_quality_limitation_fraction": _fraction(r == "cpu" for r in reasons),
            "no_video_fraction": _fraction(s["frames_per_second"] == 0 for s in samples),
            "poor_resolution_fraction": _fraction(s["frame_width"] < 640 for s in samples),
            "quality_limitation_fraction": _fraction(r != "none" for r in reasons),
        },
        "key_frames_encoded_fraction": round(_final_sum(samples, "producer_id", "key_frames_encoded") / frames, 4)
        if frames
        else 0.0,
        "packet_loss": _packet_loss(interval_losses(samples, "producer_id", "packets_sent")),
        "quality_mos": _distribution([s["mos_quality"] for s in samples]),
        "rtt": _latency([s["rtt"] for s in samples]),
    }


def _video_consumer_cumulative(samples: Sequence[JSON]) -> JSON:
    frames = _deltas(samples, "consumer_id", ("frames_decoded", "frames_dropped"))
    lag = [
        s["frames_per_second"] < 15
        or (d[0] + d[1] > 0 and d[1] / (d[0] + d[1]) >= 0.1)
        or s["jitter_buffer_delay"] >= 250
        for s, d in zip(samples, frames, strict=True)
    ]
    decoded = _final_sum(samples, "consumer_id", "frames_decoded")
    return {
        "frame_per_second": _distribution([s["frames_per_second"] for s in samples]),
        "frame_width": _distribution([s["frame_width"] for s in samples]),
        "issues": {
            "lag_fraction": _fraction(lag),
            "no_video_fraction": _fraction(s["frames_per_second"] == 0 for s in samples),
            "poor_resolution_fraction": _fraction(s["frame_width"] < 640 for s in samples),
        },
        "jitter_buffer_delay": _latency([s["jitter_buffer_delay"] for s in samples]),
        "key_frames_decoded_fraction": round(_final_sum(samples, "consumer_id", "key_frames_decoded") / decoded, 4)
        if decoded
        else 0.0,
        "packet_loss": _packet_loss(interval_losses(samples, "consumer_id", "packets_received")),
        "quality_mos": _distribution([s["mos_quality"] for s in samples]),
    }


_CUMULATIVE: Final[dict[str, Callable[[Sequence[JSON]], JSON]]] = {
    "audio_consumer": _audio_consumer_cumulative,
    "audio_producer": _audio_producer_cumulative,
    "screenshare_audio_consumer": _audio_consumer_cumulative,
    "screenshare_audio_producer": _audio_producer_cumulative,
    "screenshare_video_consumer": _video_consumer_cumulative,
    "screenshare_video_producer": _video_producer_cumulative,
    "video_consumer": _video_consumer_cumulative,
    "video_producer": _video_producer_cumulative,
}


def _quality(series: dict[str, list[JSON]]) -> JSON:
    """The ``quality`` tree: each series and, when it has samples, its cumulative summary (API key order)."""
    quality: JSON = {}
    for name in sorted(_CUMULATIVE):
        samples = series.get(name, [])
        quality[name] = samples
        if samples:
            quality[f"{name}_cumulative"] = _CUMULATIVE[name](samples)
    return quality


def summarise(quality_series: dict[str, list[JSON]]) -> JSON:
    """Recompute every cumulative summary of a quality tree from its sample series (for consistency checks)."""
    return {
        f"{name}_cumulative": _CUMULATIVE[name](quality_series[name])
        for name in _CUMULATIVE
        if quality_series.get(name)
    }


# ---------------------------------------------------------------------------------------------------------------
# metadata


def _device(rng: random.Random, kind: str, label: str) -> JSON:
    return {"device_id": "default" if label == "Default" else _hex(rng, 64), "kind": kind, "label": label}


def _sdp(rng: random.Random, *, sending: bool, offer: bool, audio: _Stream | None, video: _Stream | None) -> str:
    direction = ("sendonly" if sending else "recvonly") if offer else ("recvonly" if sending else "sendonly")
    lines = [
        "v=0",
        f"o=- {rng.getrandbits(62)} 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 0.0.0.0",
        f"a=ice-ufrag:{_hex(rng, 8)}",
        "a=fingerprint:sha-256 " + ":".join(f"{rng.getrandbits(8):02X}" for _ in range(32)),
        "a=setup:actpass" if offer else "a=setup:active",
        "a=mid:0",
        f"a={direction}",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 minptime=10;useinbandfec=1",
    ]
    if audio is not None:
        lines.append(f"a=ssrc:{audio.ssrc} cname:{_hex(rng, 16)}")
    lines += [
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
        "c=IN IP4 0.0.0.0",
        "a=mid:1",
        f"a={direction}",
        "a=rtcp-mux",
        "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 nack",
        "a=rtcp-fb:96 nack pli",
        "a=rtcp-fb:96 ccm fir",
        "a=rtpmap:97 rtx/90000",
        "a=fmtp:97 apt=96",
    ]
    if video is not None:
        lines.append(f"a=ssrc:{video.ssrc} cname:{_hex(rng, 16)}")
    return "\r\n".join(lines) + "\r\n"


@dataclass(frozen=True)
class _Traffic:
    """What went over one transport, for its candidate pairs."""

    bytes_sent: int
    packets_sent: int
    bytes_received: int
    packets_received: int
    rtt_ms: float  # last
    mean_rtt_ms: float
    seconds: float
    available_out: float
    available_in: float


def _traffic(series: Sequence[Sequence[JSON]], states: Sequence[_State], *, sending: bool, seconds: float) -> _Traffic:
    bytes_key, packets_key, id_key = (
        ("bytes_sent", "packets_sent", "producer_id")
        if sending
        else ("bytes_received", "packets_received", "consumer_id")
    )
    media_bytes = sum(_final_sum(s, id_key, bytes_key) for s in series)
    media_packets = sum(_final_sum(s, id_key, packets_key) for s in series)
    control_packets = int(seconds * 4)  # RTCP and STUN consent checks
    rtts = [s.rtt for s in states] or [30.0]
    last = states[-1] if states else None
    primary = (round(media_bytes * 1.09) + control_packets * 90, int(media_packets) + control_packets)
    control = (control_packets * 80, control_packets)
    bytes_sent, packets_sent = primary if sending else control
    bytes_received, packets_received = control if sending else primary
    return _Traffic(
        bytes_sent=bytes_sent,
        packets_sent=packets_sent,
        bytes_received=bytes_received,
        packets_received=packets_received,
        rtt_ms=rtts[-1],
        mean_rtt_ms=sum(rtts) / len(rtts),
        seconds=seconds,
        available_out=round(last.out_bps if last else 2_500_000.0),
        available_in=round(last.in_bps if last else 10_000_000.0),
    )


def _candidate_pairs(rng: random.Random, person: _Person, traffic: _Traffic, *, full: bool) -> list[JSON]:
    """The transport's candidate pairs: the nominated one carrying the media, plus the pairs ICE did not pick."""
    public_ip = _public_ip(person)
    private_ip = f"192.168.{rng.randint(0, 3)}.{rng.randint(2, 250)}"
    media_server = f"198.51.100.{rng.randint(10, 90)}"
    last_ms = _epoch_ms(person.left) - rng.randint(20, 400)
    firewall = person.label == "firewall"
    udp_port = rng.randint(40000, 49999)

    def pair(local_type: str, protocol: str, nominated: bool) -> JSON:
        record: JSON = {}
        if nominated or full:
            record["available_incoming_bitrate"] = traffic.available_in
            record["available_outgoing_bitrate"] = traffic.available_out
        record["bytes_discarded_on_send"] = 0 if nominated else rng.randint(0, 2) * 120
        record["bytes_received"] = traffic.bytes_received if nominated else rng.randint(2, 6) * 100
        record["bytes_sent"] = traffic.bytes_sent if nominated else rng.randint(2, 9) * 100
        if nominated or full:
            record["current_round_trip_time"] = round(traffic.rtt_ms / 1000, 3)
        record["last_packet_received_timestamp"] = last_ms if nominated else _epoch_ms(person.joined) + 900
        record["last_packet_sent_timestamp"] = last_ms + rng.randint(0, 15) if nominated else _epoch_ms(person.joined)
        if local_type == "host":
            record["local_candidate_address"] = private_ip
        elif local_type == "relay":
            record["local_candidate_address"] = f"203.0.113.{rng.randint(200, 250)}"
        else:
            record["local_candidate_address"] = public_ip
        record["local_candidate_id"] = f"I{_hex(rng, 8)}"
        record["local_candidate_network_type"] = person.network_type
        record["local_candidate_port"] = rng.randint(49152, 65535)
        record["local_candidate_protocol"] = protocol
        if local_type != "host" or full:
            record["local_candidate_related_address"] = public_ip if local_type == "relay" else private_ip
            record["local_candidate_related_port"] = rng.randint(49152, 65535)
        record["local_candidate_type"] = local_type
        if local_type == "relay":
            record["local_candidate_url"] = "turns:turn.realtime.example:443?transport=tcp"
        elif local_type == "srflx":
            record["local_candidate_url"] = "stun:stun.realtime.example:3478"
        elif full:
            record["local_candidate_url"] = ""
        record["nominated"] = nominated
        record["packets_discarded_on_send"] = 0 if nominated else rng.randint(0, 1)
        record["packets_received"] = traffic.packets_received if nominated else rng.randint(2, 6)
        record["packets_sent"] = traffic.packets_sent if nominated else rng.randint(2, 9)
        record["remote_candidate_address"] = media_server
        record["remote_candidate_id"] = f"I{_hex(rng, 8)}"
        record["remote_candidate_port"] = 443 if protocol == "tcp" else udp_port
        record["remote_candidate_protocol"] = protocol
        record["remote_candidate_type"] = "host"
        if full:
            record["remote_candidate_url"] = ""
        if nominated or full:
            checks = max(1.0, traffic.seconds / 2.5)  # consent freshness about every 2.5 s
            record["total_round_trip_time"] = round(traffic.mean_rtt_ms / 1000 * checks, 3)
        return record

    if firewall:
        # UDP is blocked: the UDP pairs never got an answer, TURN over TCP on port 443 carried everything.
        return [pair("host", "udp", False), pair("srflx", "udp", False), pair("relay", "tcp", True)]
    return [pair("srflx", "udp", True), pair("host", "udp", False)]


def _public_ip(person: _Person) -> str:
    network, _, _ = person.location.route.partition("/")
    prefix, _, last = network.rpartition(".")
    return f"{prefix}.{int(last) + 7 + person.index}"


def _events(rng: random.Random, person: _Person, states: Sequence[_State], full: bool) -> list[JSON]:
    events: list[tuple[dt.datetime, str, dict[str, Any]]] = []
    joined = person.joined
    events.append((joined - dt.timedelta(seconds=2.114), "media_permission", {"audio": "granted", "video": "granted"}))
    events.append(
        (
            joined - dt.timedelta(seconds=1.507),
            "network_change",
            {
                "connection_type": person.network_type,
                "effective_type": "3g" if person.label == "congestion" else "4g",
                "downlink_mbps": round(
                    rng.uniform(1.5, 3.0) if person.label == "congestion" else rng.uniform(6, 10), 1
                ),
            },
        )
    )
    events.append(
        (joined + dt.timedelta(seconds=0.842), "ice_connection_state", {"transport": "producing", "state": "connected"})
    )
    if person.label == "firewall":
        events.insert(
            2,
            (
                joined - dt.timedelta(seconds=0.733),
                "ice_candidate_error",
                {
                    "url": "stun:stun.realtime.example:3478",
                    "error_code": 701,
                    "error_text": "STUN binding request timed out.",
                },
            ),
        )
    if not person.camera_on:
        events.append((joined + dt.timedelta(seconds=0.2), "video_toggle", {"enabled": False}))
    # Microphone off and on again: no audio samples in between.
    off = next((k for k, s in enumerate(states) if not s.audio_on), None)
    if off is not None and off > 0:
        on = next(k for k in range(off, len(states)) if states[k].audio_on)
        events.append((states[off - 1].at + dt.timedelta(seconds=4.271), "audio_toggle", {"enabled": False}))
        events.append((states[on - 1].at + dt.timedelta(seconds=6.918), "audio_toggle", {"enabled": True}))
    if person.label == "congestion":
        first = next(k for k, s in enumerate(states) if s.up_loss > 5)
        at = states[first + 6].at + dt.timedelta(seconds=3.3)
        events.append((at, "ice_connection_state", {"transport": "producing", "state": "disconnected"}))
        events.append(
            (at + dt.timedelta(seconds=4.6), "ice_connection_state", {"transport": "producing", "state": "connected"})
        )
    if person.label == "cpu":
        first = next(k for k, s in enumerate(states) if s.reason == "cpu")
        events.append(
            (states[first].at - dt.timedelta(seconds=2.4), "cpu_pressure", {"state": "serious", "cores": person.cpus})
        )
        events.append(
            (states[min(len(states) - 1, first + 40)].at, "cpu_pressure", {"state": "critical", "cores": person.cpus})
        )
    if person.index == _HOST and states:
        events.append(
            (SCREENSHARE_FROM - dt.timedelta(seconds=0.5), "screenshare_toggle", {"enabled": True, "audio": True})
        )
        events.append(
            (SCREENSHARE_TO + dt.timedelta(seconds=0.5), "screenshare_toggle", {"enabled": False, "audio": None})
        )
    if rng.random() < 0.3 and len(states) > 20:
        at = states[rng.randrange(5, len(states) - 5)].at + dt.timedelta(seconds=1.25)
        events.append((at, "tab_visibility", {"visible": False}))
        events.append((at + dt.timedelta(seconds=rng.uniform(5, 40)), "tab_visibility", {"visible": True}))
    if full:
        for state in states[:: max(1, len(states) // 40)]:
            events.append((state.at + dt.timedelta(seconds=5), "tab_visibility", {"visible": rng.random() < 0.5}))
    events.append(
        (
            person.left - dt.timedelta(seconds=0.12),
            "room_leave",
            {"reason": "user_left" if rng.random() < 0.7 else None},
        )
    )
    events.sort(key=lambda e: e[0])
    return [{"metadata": meta, "name": name, "timestamp": _iso(at)} for at, name, meta in events]


def _metadata(rng: random.Random, person: _Person, states: Sequence[_State], produced: Sequence[Sequence[JSON]],
              consumed: Sequence[Sequence[JSON]], *, full: bool) -> JSON:  # fmt: skip
    platform = person.platform
    mic = _device(rng, "audioinput", platform.mic)
    camera = _device(rng, "videoinput", platform.camera)
    speaker = _device(rng, "audiooutput", platform.speaker)
    seen = person.joined - dt.timedelta(seconds=2.5)
    audio_updates: list[JSON] = [{"added": [mic], "removed": [], "timestamp": _iso(seen)}]
    speaker_updates: list[JSON] = [{"added": [speaker], "removed": [], "timestamp": _iso(seen)}]
    selected: list[JSON] = [
        {"device": mic, "timestamp": _iso(seen + dt.timedelta(seconds=0.3))},
        {"device": camera, "timestamp": _iso(seen + dt.timedelta(seconds=0.31))},
        {"device": speaker, "timestamp": _iso(seen + dt.timedelta(seconds=0.32))},
    ]
    if (rng.random() < 0.25 or full) and len(states) > 30 and not platform.is_mobile:
        at = states[len(states) // 3].at + dt.timedelta(seconds=2.2)
        headset = _device(rng, "audioinput", "AirPods Pro")
        headset_out = _device(rng, "audiooutput", "AirPods Pro")
        audio_updates.append({"added": [headset], "removed": [], "timestamp": _iso(at)})
        speaker_updates.append({"added": [headset_out], "removed": [], "timestamp": _iso(at)})
        selected.append({"device": headset, "timestamp": _iso(at + dt.timedelta(seconds=1.1))})
        selected.append({"device": headset_out, "timestamp": _iso(at + dt.timedelta(seconds=1.2))})
        if full:
            later = states[2 * len(states) // 3].at
            audio_updates.append({"added": [], "removed": [headset], "timestamp": _iso(later)})
            speaker_updates.append({"added": [], "removed": [headset_out], "timestamp": _iso(later)})
    video_updates: list[JSON] = [{"added": [camera], "removed": [], "timestamp": _iso(seen)}]
    seconds = (person.left - person.joined).total_seconds()
    firewall = person.label == "firewall"
    metadata: JSON = {"audio_devices_updates": audio_updates}
    if platform.sdk_type == "web" or full:  # the native SDKs have no browser
        metadata["browser_metadata"] = {
            "browser": platform.browser or "Chrome",
            "browser_version": platform.browser_version or "131.0.6778.86",
            "engine": platform.engine or "Blink",
            "user_agent": platform.user_agent or _PLATFORMS[0].user_agent,
            "webgl_support": None if platform.is_mobile and platform.engine == "WebKit" else True,
        }
    metadata["candidate_pairs"] = {
        "consuming_transport": _candidate_pairs(
            rng, person, _traffic(consumed, states, sending=False, seconds=seconds), full=full
        ),
        "producing_transport": _candidate_pairs(
            rng, person, _traffic(produced, states, sending=True, seconds=seconds), full=full
        ),
    }
    metadata["device_info"] = {
        "cpus": person.cpus,
        "is_mobile": platform.is_mobile,
        "os": platform.os,
        "os_version": platform.os_version,
    }
    metadata["events"] = _events(rng, person, states, full)
    location = person.location
    metadata["ip_information"] = {
        "asn": {
            "asn": location.asn,
            "domain": location.domain,
            "name": location.isp,
            "route": location.route,
            "type": location.kind,
        },
        "city": location.city,
        "country": location.country,
        "ipv4": _public_ip(person),
        "org": f"{location.asn} {location.isp}",
        "region": location.region,
        "timezone": location.timezone,
    }
    if platform.sdk_type != "web" or full:
        metadata["native_metadata"] = {"audio_encoder": "opus", "video_encoder": "H264"}
    created = person.joined - dt.timedelta(seconds=1.204)
    metadata["pc_metadata"] = [
        {
            "effective_network_type": "3g" if person.label == "congestion" else "4g",
            "reflexive_connectivity": not firewall,
            "relay_connectivity": True,
            "sdp": [
                _sdp(
                    rng,
                    sending=sending,
                    offer=True,
                    audio=person.audio if sending else None,
                    video=person.video if sending else None,
                ),  # fmt: skip
                _sdp(rng, sending=sending, offer=False, audio=None, video=None),
            ],
            "timestamp": _iso(created + dt.timedelta(milliseconds=37 * i)),
            "turn_connectivity": True,
        }
        for i, sending in enumerate((True, False))
    ]
    metadata["room_view_type"] = ROOM_VIEW_TYPE
    metadata["sdk_name"] = platform.sdk_name
    metadata["sdk_type"] = platform.sdk_type
    metadata["sdk_version"] = platform.sdk_version
    metadata["selected_device_updates"] = selected
    metadata["speaker_devices_updates"] = speaker_updates
    metadata["video_devices_updates"] = video_updates
    return metadata


def _peer_events(rng: random.Random, person: _Person) -> list[JSON]:
    def event(name: str, at: dt.datetime, minutes: float, socket: str | None, view: str | None) -> JSON:
        return {
            "id": _uuid(rng),
            "peer_id": person.peer_id,
            "created_at": _iso(at),
            "updated_at": _iso(at),
            "event_name": name,
            "minutes_consumed": minutes,
            "participant_id": person.participant_id,
            "session_id": SESSION_ID,
            "socket_session_id": socket,
            "preset_view_type": view,
        }

    leaving_view = None if rng.random() < 0.5 else ROOM_VIEW_TYPE
    return [
        event("PEER_CREATED", person.created, 0, None, ROOM_VIEW_TYPE),
        event("PEER_JOINING", person.joined, 0, person.socket_session_id, ROOM_VIEW_TYPE),
        event("PEER_LEAVING", person.left, person.duration, person.socket_session_id, leaving_view),
    ]


# ---------------------------------------------------------------------------------------------------------------
# public API


CAUSES: Final[dict[str, str]] = {person.peer_id: person.label for person in _people()}
"""Peer ID -> cause label: good, congestion, lossy, cpu, firewall, bandwidth, mic_off, short, no_quality."""

PEER_IDS: Final[tuple[str, ...]] = tuple(person.peer_id for person in _people())
"""The participants' peer IDs, in join order (index 0 is the host)."""


def _participant_row(person: _Person, include_peer_events: bool) -> JSON:
    row: JSON = {
        "id": person.peer_id,
        "created_at": _iso(person.created),
        "custom_participant_id": person.custom_id,
        "display_name": person.name,
        "duration": person.duration,
        "joined_at": _iso(person.joined),
        "left_at": _iso(person.left),
    }
    if include_peer_events:
        row["peer_events"] = _peer_events(random.Random(person.seed * 7 + 4), person)
    row["preset_name"] = person.preset
    row["updated_at"] = _iso(person.updated)
    row["user_id"] = person.user_id
    return row


def session_participants(session_id: str, *, include_peer_events: bool = True) -> list[JSON]:
    """The 36 participant rows of the demo session, in join order. KeyError for any other session."""
    if session_id != SESSION_ID:
        raise KeyError(f"unknown session id {session_id!r}")
    return [_participant_row(person, include_peer_events) for person in _people()]


def participants_page(
    session_id: str,
    *,
    page_no: float = 1,
    per_page: int = 20,
    include_peer_events: bool = False,
    search: str | None = None,
    sort_by: str | None = None,
    sort_order: str | None = None,
    view: str = "raw",
) -> JSON:
    """A ``GetSessionParticipants`` 200 body, as our stand-in answers it.

    Pages count from 1 (``page_no`` 0 reads as 1; ``2.0`` as 2); the default ``per_page`` (20) is our choice, the API
    documents none. ``search`` matches participant ID, custom participant ID or display name, case-insensitively,
    as a substring. Without ``sort_by`` the rows come in join order; ``sort_order`` defaults to ``ASC``. There are
    no breakout rooms, so ``view`` does not change the durations. Bad values raise ValueError.
    """
    if page_no < 0 or page_no != int(page_no):
        raise ValueError(f"page_no must be a whole number >= 0, not {page_no!r}")
    if not 1 <= per_page <= 200:
        raise ValueError(f"per_page must be 1..200, not {per_page!r}")
    if sort_by not in (None, "joinedAt", "duration"):
        raise ValueError(f"sort_by must be joinedAt or duration, not {sort_by!r}")
    if sort_order not in (None, "ASC", "DESC"):
        raise ValueError(f"sort_order must be ASC or DESC, not {sort_order!r}")
    if view not in ("raw", "consolidated"):
        raise ValueError(f"view must be raw or consolidated, not {view!r}")
    rows = session_participants(session_id, include_peer_events=include_peer_events)
    if search:
        needle = search.casefold()
        rows = [
            r
            for r in rows
            if any(needle in str(r[k]).casefold() for k in ("id", "custom_participant_id", "display_name"))
        ]
    if sort_by is not None:
        key = "joined_at" if sort_by == "joinedAt" else "duration"
        rows.sort(key=lambda r: r[key], reverse=sort_order == "DESC")
    elif sort_order == "DESC":
        rows.reverse()
    first = (max(1, int(page_no)) - 1) * per_page
    return {"success": True, "data": {"participants": rows[first : first + per_page]}}


def _consumer_ids(person: _Person, remote: _Person, kind: int, mid: int) -> tuple[str, int, str]:
    rng = random.Random(person.seed * 1000 + remote.index * 10 + kind)
    return _uuid(rng), rng.randrange(1 << 24, 1 << 32), str(mid)


def _pairs(person: _Person, states: Sequence[_State], remote: _Person, remote_states: Sequence[_State],
           keep: Callable[[_State, _State], bool]) -> list[Pair]:  # fmt: skip
    pairs: list[Pair] = []
    for own in states:
        sender = _state_at(remote_states, remote.joined, own.at)
        if sender is not None and keep(own, sender):
            pairs.append((own, sender))
    return pairs


def _in_screenshare(state: _State) -> bool:
    return SCREENSHARE_FROM <= state.at < SCREENSHARE_TO


def _screen_state(state: _State) -> _State:
    """The host's screen-share stream in an interval: 1080p at about 5 fps, on the host's network."""
    fps = 5.0 if state.at.second % 3 else 4.6
    return dataclasses.replace(state, width=1920, height=1080, fps=fps, reason="none", video_on=True)


def _report_body(person: _Person, include_peer_events: bool, quality: JSON | None, metadata: JSON) -> JSON:
    participant: JSON = {
        "id": person.peer_id,
        "created_at": _iso(person.created),
        "custom_participant_id": person.custom_id,
        "display_name": person.name,
        "duration": person.duration,
        "joined_at": _iso(person.joined),
        "left_at": _iso(person.left),
    }
    if include_peer_events:
        participant["peer_events"] = _peer_events(random.Random(person.seed * 7 + 4), person)
    report: JSON = {"metadata": metadata}
    if quality is not None:
        report["quality"] = quality
    participant["peer_report"] = report
    participant["role"] = person.preset
    participant["session_id"] = SESSION_ID
    participant["updated_at"] = _iso(person.updated)
    participant["user_id"] = person.user_id
    return {"success": True, "data": {"participant": participant}}


def peer_report(peer_id: str, *, include_peer_events: bool = True) -> JSON:
    """The full ``GetParticipantDataFromPeerId`` 200 body for one of the session's participants (KeyError if none)."""
    person = _person_by_peer(peer_id)
    states = _timeline(person.index)
    rng = random.Random(person.seed * 7 + 2)
    series: dict[str, list[JSON]] = {}
    series["audio_producer"] = _audio_producer(rng, person.audio, [s for s in states if s.audio_on])
    series["video_producer"] = _video_producer(rng, person.video, [s for s in states if s.video_on], 30)
    if person.index == _HOST:
        shared = [_screen_state(s) for s in states if _in_screenshare(s)]
        series["screenshare_audio_producer"] = _audio_producer(rng, person.screen_audio, shared)
        series["screenshare_video_producer"] = _video_producer(rng, person.screen_video, shared, 5)
    remotes = {0: (1, 2), 1: (0, 2), 2: (0, 1)}.get(person.index, (0, 1))
    audio_in: list[JSON] = []
    video_in: list[JSON] = []
    mid = 0
    for remote_index in remotes:
        remote = _people()[remote_index]
        remote_states = _timeline(remote_index)
        audio_pairs = _pairs(person, states, remote, remote_states, lambda _o, r: r.audio_on)
        video_pairs = _pairs(person, states, remote, remote_states, lambda _o, r: r.video_on)
        audio_in += _audio_consumer(rng, _consumer_ids(person, remote, 1, mid), remote, remote.audio, audio_pairs)
        video_in += _video_consumer(
            rng, _consumer_ids(person, remote, 2, mid + 1), remote, remote.video, video_pairs, 30
        )
        mid += 2
    series["audio_consumer"] = sorted(audio_in, key=lambda s: str(s["timestamp"]))
    series["video_consumer"] = sorted(video_in, key=lambda s: str(s["timestamp"]))
    if person.index != _HOST:
        host = _people()[_HOST]
        host_states = _timeline(_HOST)
        screen_pairs = [
            (own, _screen_state(sender))
            for own, sender in _pairs(person, states, host, host_states, lambda _o, r: _in_screenshare(r))
        ]
        series["screenshare_audio_consumer"] = _audio_consumer(
            rng, _consumer_ids(person, host, 3, mid), host, host.screen_audio, screen_pairs
        )
        series["screenshare_video_consumer"] = _video_consumer(
            rng, _consumer_ids(person, host, 4, mid + 1), host, host.screen_video, screen_pairs, 5
        )
    produced = [series.get(k, []) for k in ("audio_producer", "video_producer", "screenshare_audio_producer",
                                            "screenshare_video_producer")]  # fmt: skip
    consumed = [series.get(k, []) for k in ("audio_consumer", "video_consumer", "screenshare_audio_consumer",
                                            "screenshare_video_consumer")]  # fmt: skip
    metadata = _metadata(random.Random(person.seed * 7 + 3), person, states, produced, consumed, full=False)
    quality = None if person.label == "no_quality" else _quality(series)
    return _report_body(person, include_peer_events, quality, metadata)


def large_peer_report(samples: int = 3600, seed: int = 7) -> JSON:
    """One long call for benchmarks: every series exactly ``samples`` long, every key of the schema present.

    A good call with, in turn, a congestion episode, a lossy stretch, CPU and bandwidth limitation and a short
    ``other`` limitation, so every enum value and every issue shows up. The peer receives one remote peer's camera,
    microphone and screen share, and shares its own screen for the whole call.
    """
    if samples < 1:
        raise ValueError("samples must be >= 1")
    rng = random.Random(seed)
    start = SESSION_START + dt.timedelta(seconds=rng.uniform(1, 5))
    left = start + _INTERVAL * samples + dt.timedelta(seconds=rng.uniform(1, 9))

    def someone(index: int, label: str) -> _Person:
        prng = random.Random(seed * 1000 + index)
        return _Person(
            index=index, label=label, peer_id=_uuid(prng), participant_id=_uuid(prng), user_id=_uuid(prng),
            custom_id=f"acme-emp-{prng.randrange(1000, 9999)}", name=("Jordan Avery", "Sam Rivera")[index],
            preset="group_call_participant", socket_session_id=f"ws-{_hex(prng, 12)}",
            created=start - dt.timedelta(seconds=4.125), joined=start, left=left,
            updated=left + dt.timedelta(seconds=1.5), seed=seed * 1000 + index, platform=_PLATFORMS[1],
            location=_LOCATIONS[index + 1], network_type="wifi", cpus=4, camera_on=True,
            audio=_stream(prng, "0"), video=_stream(prng, "1"), screen_audio=_stream(prng, "2"),
            screen_video=_stream(prng, "3"),
        )  # fmt: skip

    person, remote = someone(0, "good"), someone(1, "good")
    times = _tick_times(start, start + _INTERVAL * samples + dt.timedelta(milliseconds=1))
    base_rtt = 28.0
    states = _good_states(rng, times, base_rtt, (1280, 720))
    remote_states = _good_states(rng, times, 22.0, (1280, 720))
    n = len(states)
    if n >= 20:
        _congestion(rng, states, int(n * 0.1), max(6, n // 12), base_rtt)
        lossy_part = states[int(n * 0.3) : int(n * 0.4)]
        _lossy(rng, lossy_part, base_rtt)
        cpu_part = states[int(n * 0.5) : int(n * 0.6)]
        _cpu(rng, cpu_part, 0)
        _bandwidth(rng, states, int(n * 0.7), int(n * 0.8), base_rtt)
        for state in states[int(n * 0.85) : int(n * 0.87) + 1]:
            state.reason = "other"
    pairs = list(zip(states, remote_states, strict=True))
    screen_pairs = [(own, _screen_state(sender)) for own, sender in pairs]
    own_screen = [_screen_state(s) for s in states]
    series: dict[str, list[JSON]] = {
        "audio_producer": _audio_producer(rng, person.audio, states),
        "video_producer": _video_producer(rng, person.video, states, 30),
        "screenshare_audio_producer": _audio_producer(rng, person.screen_audio, own_screen),
        "screenshare_video_producer": _video_producer(rng, person.screen_video, own_screen, 5),
        "audio_consumer": _audio_consumer(rng, _consumer_ids(person, remote, 1, 0), remote, remote.audio, pairs),
        "video_consumer": _video_consumer(rng, _consumer_ids(person, remote, 2, 1), remote, remote.video, pairs, 30),
        "screenshare_audio_consumer": _audio_consumer(
            rng, _consumer_ids(person, remote, 3, 2), remote, remote.screen_audio, screen_pairs
        ),
        "screenshare_video_consumer": _video_consumer(
            rng, _consumer_ids(person, remote, 4, 3), remote, remote.screen_video, screen_pairs, 5
        ),
    }
    produced = [series[k] for k in ("audio_producer", "video_producer", "screenshare_audio_producer",
                                    "screenshare_video_producer")]  # fmt: skip
    consumed = [series[k] for k in ("audio_consumer", "video_consumer", "screenshare_audio_consumer",
                                    "screenshare_video_consumer")]  # fmt: skip
    metadata = _metadata(rng, person, states, produced, consumed, full=True)
    return _report_body(person, True, _quality(series), metadata)
