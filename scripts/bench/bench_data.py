"""Deterministic test data for the benchmark: one very large, realistic participant.

A participant of a long session asked for with ``filters=events,quality_stats`` and ``include_peer_events=true``:

* 2,000 ``quality_stats`` windows of 30 s, each with 10 ``audio_stats`` and 10 ``video_stats`` samples;
* 20,000 ``peer_stats.events`` and 20,000 ``peer_events``;
* every field of the document present, nullable fields (``participant_id``, ``session_id``,
  ``socket_session_id``, ``preset_view_type``) sometimes ``null``; enums from their enums;
* timestamps as the API writes them (ISO-8601 UTC, milliseconds, ``Z``), with a few variants a client must read
  too: about 3 % carry an offset (``+05:30``, ``-04:00``, ``+00:00``) and about 2 % microseconds;
* floats rounded like real measurements (jitter 0.1 ms, bandwidth 0.01 kbps), integral counters as JSON integers.

About 82,000 JSON objects and 104,000 timestamps, ~10 MB of compact JSON. The output depends only on the seed
(``random.Random``) and a fixed start time, so every run and machine benchmarks the same bytes.

    python scripts/bench_data.py [--output FILE]   # write the JSON (default: print its size and shape)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import uuid
from pathlib import Path
from typing import Any

SEED = 20261120
START = dt.datetime(2026, 11, 20, 14, 2, 7, 482000, tzinfo=dt.UTC)

QUALITY_WINDOWS = 2_000
SAMPLES_PER_WINDOW = 10  # audio_stats and video_stats each
WINDOW = dt.timedelta(seconds=30)
PEER_STATS_EVENTS = 20_000
PEER_EVENTS = 20_000

PEER_EVENT_NAMES = ("PEER_CREATED", "PEER_JOINING", "PEER_LEAVING")
PRESET_VIEW_TYPES = ("GROUP_CALL", "WEBINAR", "AUDIO_ROOM", "LIVESTREAM", "CHAT")
PEER_STATS_EVENT_TYPES = (
    "precall_begin",
    "precall_end",
    "media_permission",
    "audio_on",
    "audio_off",
    "video_on",
    "video_off",
    "screenshare_start",
    "screenshare_stop",
    "network_change",
    "tab_focus",
    "tab_blur",
    "ice_restart",
    "reconnect",
    "disconnect",
)
_OFFSETS = (
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    dt.timezone(dt.timedelta(hours=-4)),
    dt.timezone(dt.timedelta(0)),
)
_RESOLUTIONS = ((1280, 720), (1280, 720), (1280, 720), (960, 540), (640, 360), (1920, 1080))


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def timestamp(self, moment: dt.datetime) -> str:
        """Mostly ``2026-11-20T14:02:07.482Z``; sometimes an offset and/or microseconds."""
        roll = self.rng.random()
        if roll < 0.03:
            local = moment.astimezone(self.rng.choice(_OFFSETS))
            spec = "microseconds" if roll < 0.01 else "milliseconds"
            return local.isoformat(timespec=spec)
        if roll < 0.05:
            return (
                moment.replace(microsecond=moment.microsecond + self.rng.randrange(1000))
                .isoformat(timespec="microseconds")
                .replace("+00:00", "Z")
            )
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def jitter_ms(self) -> float:
        return round(min(self.rng.lognormvariate(1.6, 0.6), 250.0), 1)

    def quality(self) -> int:
        return self.rng.choices((1, 2, 3, 4, 5), weights=(2, 6, 20, 40, 32))[0]


def _audio_stats(g: _Gen, at: dt.datetime) -> dict[str, Any]:
    return {
        "concealment_events": g.rng.choices((0, g.rng.randrange(1, 40)), weights=(7, 3))[0],
        "jitter": g.jitter_ms(),
        "packets_lost": int(g.rng.expovariate(0.2)),
        "quality": g.quality(),
        "timestamp": g.timestamp(at),
    }


def _video_stats(g: _Gen, at: dt.datetime, resolution: tuple[int, int]) -> dict[str, Any]:
    width, height = resolution
    return {
        "frame_height": height,
        "frame_width": width,
        "frames_dropped": int(g.rng.expovariate(0.08)),
        "frames_per_second": round(min(g.rng.gauss(27.5, 2.5), 30.0), 1),
        "jitter": g.jitter_ms(),
        "packets_lost": int(g.rng.expovariate(0.05)),
        "quality": g.quality(),
        "timestamp": g.timestamp(at),
    }


def _quality_stats(g: _Gen, peer_id: str, joined: dt.datetime) -> list[dict[str, Any]]:
    windows = []
    resolution = _RESOLUTIONS[0]
    step = WINDOW / SAMPLES_PER_WINDOW
    for index in range(QUALITY_WINDOWS):
        start = joined + index * WINDOW
        if g.rng.random() < 0.02:
            resolution = g.rng.choice(_RESOLUTIONS)
        audio = [_audio_stats(g, start + i * step) for i in range(SAMPLES_PER_WINDOW)]
        video = [_video_stats(g, start + i * step, resolution) for i in range(SAMPLES_PER_WINDOW)]
        windows.append(
            {
                "audio_bandwidth": round(g.rng.uniform(24.0, 48.0), 2),
                "audio_packet_loss": round(g.rng.expovariate(1.6), 2),
                "audio_stats": audio,
                "average_quality": round(sum(s["quality"] for s in audio + video) / (2 * SAMPLES_PER_WINDOW), 2),
                "end": g.timestamp(start + WINDOW),
                "peer_id": peer_id,
                "start": g.timestamp(start),
                "video_bandwidth": round(g.rng.uniform(350.0, 2500.0), 1),
                "video_packet_loss": round(g.rng.expovariate(1.2), 2),
                "video_stats": video,
            }
        )
    return windows


def _peer_stats_events(g: _Gen, joined: dt.datetime, span: dt.timedelta) -> list[dict[str, Any]]:
    step = span / PEER_STATS_EVENTS
    events = [{"timestamp": g.timestamp(joined - dt.timedelta(seconds=3)), "type": "precall_begin"}]
    for index in range(1, PEER_STATS_EVENTS - 1):
        moment = joined + index * step + dt.timedelta(milliseconds=g.rng.randrange(1000))
        events.append({"timestamp": g.timestamp(moment), "type": g.rng.choice(PEER_STATS_EVENT_TYPES[2:-1])})
    events.append({"timestamp": g.timestamp(joined + span), "type": "disconnect"})
    return events


def _peer_events(g: _Gen, peer_id: str, joined: dt.datetime, span: dt.timedelta) -> list[dict[str, Any]]:
    """Peer events come in CREATED, JOINING, LEAVING cycles (reconnects), each cycle with its own socket."""
    participant_id = g.uuid4()
    session_id = g.uuid4()
    step = span / PEER_EVENTS
    events = []
    socket: str | None = None
    for index in range(PEER_EVENTS):
        name = PEER_EVENT_NAMES[index % 3]
        if name == "PEER_CREATED":
            socket = None
        elif name == "PEER_JOINING":
            socket = f"ws-{g.rng.getrandbits(48):012x}"
        created = joined + index * step
        updated = created + dt.timedelta(milliseconds=g.rng.choice((0, 0, 0, g.rng.randrange(1, 5000))))
        events.append(
            {
                "id": g.uuid4(),
                "peer_id": peer_id,
                "created_at": g.timestamp(created),
                "updated_at": g.timestamp(updated),
                "event_name": name,
                "minutes_consumed": round((created - joined).total_seconds() / 60, 2) if name == "PEER_LEAVING" else 0,
                "participant_id": participant_id if g.rng.random() < 0.9 else None,
                "session_id": session_id if g.rng.random() < 0.95 else None,
                "socket_session_id": socket,
                "preset_view_type": g.rng.choice(PRESET_VIEW_TYPES) if g.rng.random() < 0.8 else None,
            }
        )
    return events


def large_participant(seed: int = SEED) -> dict[str, Any]:
    """The large participant's full 200 body (``{"data": {"participant": ...}, "success": true}``)."""
    g = _Gen(seed)
    peer_id = g.uuid4()
    created = START
    joined = created + dt.timedelta(seconds=4)
    span = QUALITY_WINDOWS * WINDOW
    left = joined + span + dt.timedelta(seconds=15)
    participant = {
        "id": peer_id,
        "created_at": g.timestamp(created),
        "custom_participant_id": "support-agent-4471",
        "display_name": "Priya Raman",
        "duration": round((left - joined).total_seconds() / 60, 2),
        "joined_at": g.timestamp(joined),
        "left_at": g.timestamp(left),
        "peer_stats": {
            "config": "webrtc-sfu-v2",
            "device_info": {
                "browser": "Chrome",
                "browser_version": "131.0.6778.86",
                "cpus": 8,
                "engine": "Blink",
                "is_mobile": False,
                "memory": 16,
                "os": "macOS",
                "os_version": "14.6.1",
                "sdk_name": "web-core",
                "sdk_version": "1.36.2",
                "user_agent": (
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/131.0.0.0 Safari/537.36"
                ),
                "webgl_support": "WebGL2",
            },
            "events": _peer_stats_events(g, joined, span),
            "ip_information": {
                "city": "Bengaluru",
                "country": "IN",
                "ip_location": "12.9716,77.5946",
                "ipv4": "203.0.113.42",
                "org": "AS24560 Bharti Airtel Ltd.",
                "portal": "560001",
                "region": "Karnataka",
                "timezone": "Asia/Kolkata",
            },
            "precall_network_information": {
                "backend_rtt": 41.7,
                "effective_networktype": "4g",
                "fractional_loss": 0.004,
                "jitter": 3.2,
                "reflexive_connectivity": True,
                "relay_connectivity": True,
                "rtt": 38.5,
                "throughtput": 2841.6,
                "turn_connectivity": True,
            },
            "status": "success",
        },
        "preset_name": "group_call_host",
        "quality_stats": _quality_stats(g, peer_id, joined),
        "peer_events": _peer_events(g, peer_id, joined, span),
        "updated_at": g.timestamp(left + dt.timedelta(seconds=1)),
        "user_id": g.uuid4(),
    }
    return {"data": {"participant": participant}, "success": True}


def large_participant_bytes(seed: int = SEED) -> bytes:
    """The large participant as the API sends it: compact UTF-8 JSON."""
    return json.dumps(large_participant(seed), separators=(",", ":")).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, help="write the JSON body here")
    args = parser.parse_args()
    body = large_participant_bytes()
    if args.output:
        args.output.write_bytes(body)
    p = json.loads(body)["data"]["participant"]
    print(
        f"{len(body):,} bytes; quality_stats={len(p['quality_stats'])}, "
        f"peer_stats.events={len(p['peer_stats']['events'])}, peer_events={len(p['peer_events'])}"
    )


if __name__ == "__main__":
    main()
