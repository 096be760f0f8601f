"""Micro-measurements behind the parse figure of `make bench`: where the time of JSON -> model goes.

Sections (``--only`` picks some; every number is the best of ``--repeat`` runs, in ms for whole-document cases
and ns per item otherwise):

* ``decode``: decoding the large participant's body: ``json.loads`` (bytes and str), ``orjson.loads``,
  ``httpx.Response.json()``;
* ``parse``: the SDK's parse of the same body split into decode and ``from_dict``, the share of the cyclic GC,
  and a hand-written prototype of a fast generated ``from_dict`` (same results: same classes, ``UNSET`` for
  absent fields, unknown keys kept in ``additional_properties``, timestamps via ``fromisoformat``) with
  ``json.loads`` and with ``orjson``: what the templates can reach;
* ``items``: per-item costs of the building blocks a generated ``from_dict`` uses, on the document's own data:
  timestamps (``fromisoformat`` vs dateutil), enums, dict copies, ``pop``/``get``/``[]``, ``Unset`` checks,
  unknown-key detection, function-level imports, nested helper functions;
* ``construct``: building 80,000 instances of an attrs model with 8 fields: keyword, positional,
  ``object.__new__`` + attribute sets;
* ``profile``: cProfile of the SDK's parse, top functions by own time.

    python scripts/bench_micro.py                 # all sections (~1 min)
    python scripts/bench_micro.py --only parse,profile --repeat 3
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import importlib
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "scripts"), str(ROOT / "generated")):
    if _path in sys.path:
        sys.path.remove(_path)
    sys.path.insert(0, _path)

import httpx  # noqa: E402
from bench import response_for, sdk_parse  # noqa: E402
from bench_data import large_participant_bytes  # noqa: E402
from dateutil.parser import isoparse  # noqa: E402
from realtimekit_client.models import (  # noqa: E402
    ParticipantDetailsResponse,
    PeerEventName,
    VideoStats,
)
from realtimekit_client.types import UNSET, Unset, decode_json  # noqa: E402

orjson: Any
try:
    orjson = importlib.import_module("orjson")
except ImportError:  # pragma: no cover - orjson is in the dev extra
    orjson = None

SECTIONS = ("decode", "parse", "items", "construct", "profile")


def best(action: Callable[[], object], repeat: int, *, gc_on: bool = True) -> float:
    """Best wall time of ``repeat`` runs, in seconds (gc.collect() before each)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        if not gc_on:
            gc.disable()
        try:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def rounds(cases: list[tuple[str, Callable[[], object], bool]], repeat: int) -> list[tuple[str, float, float]]:
    """Every case once per round, ``repeat`` rounds (so noise hits all cases alike). Per case: (name, best seconds,
    median over rounds of its time / the first case's time in the same round). The bool: GC on."""
    times: list[list[float]] = [[] for _ in cases]
    for _ in range(repeat + 1):  # the first round warms up and is dropped
        for index, (_, action, gc_on) in enumerate(cases):
            times[index].append(best(action, 1, gc_on=gc_on))
    base = times[0][1:]
    return [
        (name, min(t[1:]), statistics.median(x / b for x, b in zip(t[1:], base, strict=True)))
        for (name, _, _), t in zip(cases, times, strict=True)
    ]


def per_item(action: Callable[[], object], items: int, repeat: int) -> float:
    """Nanoseconds per item of a loop over ``items`` items."""
    return best(action, repeat) / items * 1e9


def report(title: str, rows: list[tuple[str, float, str]]) -> None:
    print(f"\n## {title}")
    width = max(len(name) for name, _, _ in rows)
    for name, value, unit in rows:
        print(f"  {name.ljust(width)}  {value:10.1f} {unit}")


# -- the keys and value maps the per-item measurements use ------------------------------------------------------

_VIDEO_KEYS = frozenset(
    ("frame_height", "frame_width", "frames_dropped", "frames_per_second", "jitter", "packets_lost", "quality")
    + ("timestamp",)
)
_PEER_EVENT_NAMES: dict[Any, PeerEventName] = dict(PeerEventName._value2member_map_)


def gc_paused(build: Callable[[Any], Any], data: Any) -> Any:
    """Build the models with the cyclic GC paused (it would otherwise rescan the whole decoded document many times
    while tens of thousands of new tracked objects are made). Re-enabled only if it was on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build(data)
    finally:
        if enabled:
            gc.enable()


# -- sections ----------------------------------------------------------------------------------------------------


def section_decode(body: bytes, repeat: int) -> None:
    text = body.decode()
    response = response_for(body)
    cases: list[tuple[str, Callable[[], object], bool]] = [
        ("json.loads(bytes)", lambda: json.loads(body), True),
        ("json.loads(str) (str already decoded)", lambda: json.loads(text), True),
        ("httpx.Response.json()", response.json, True),
        ("json.loads(bytes), gc disabled", lambda: json.loads(body), False),
    ]
    if orjson is not None:
        loads = orjson.loads
        cases.append(("orjson.loads(bytes)", lambda: loads(body), True))
    print(f"\n## decode: {len(body) / 1e6:.1f} MB body (best ms; median ratio to json.loads over interleaved rounds)")
    for name, seconds, ratio in rounds(cases, repeat):
        print(f"  {name.ljust(44)} {seconds * 1e3:8.1f} ms  {ratio:5.2f}x")


def section_parse(body: bytes, repeat: int) -> None:
    """The SDK's parse path taken apart: decoding, building models, and the paused garbage collector."""
    decoded = json.loads(body)
    from_dict = ParticipantDetailsResponse.from_dict
    cases: list[tuple[str, Callable[[], object], bool]] = [
        ("json.loads (the floor)", lambda: json.loads(body), True),
        ("SDK: _build_response (decode + models)", lambda: sdk_parse(response_for(body)), True),
        ("  decode_json alone (orjson when installed)", lambda: decode_json(body), True),
        ("  from_dict alone (pre-decoded)", lambda: ParticipantDetailsResponse.from_dict(decoded), True),
        ("  from_dict alone, gc paused", lambda: gc_paused(ParticipantDetailsResponse.from_dict, decoded), True),
        (
            "  stdlib json + from_dict, gc paused",
            lambda: gc_paused(from_dict, json.loads(body)),
            True,
        ),
    ]
    print(f"\n## parse: {len(body) / 1e6:.1f} MB (best ms; median ratio to json.loads over interleaved rounds)")
    for name, seconds, ratio in rounds(cases, repeat):
        print(f"  {name.ljust(44)} {seconds * 1e3:8.1f} ms  {ratio:5.2f}x")


def section_items(body: bytes, repeat: int) -> None:
    p = json.loads(body)["data"]["participant"]
    z_ms = [a["timestamp"] for q in p["quality_stats"] for a in q["audio_stats"] if a["timestamp"].endswith("Z")]
    offset = [e["created_at"] for e in p["peer_events"] if e["created_at"][-6] in "+-"]
    micro = [t for t in z_ms if len(t) == 27]
    z_ms = [t for t in z_ms if len(t) == 24]
    videos = [v for q in p["quality_stats"] for v in q["video_stats"]]
    names = [e["event_name"] for e in p["peer_events"]]
    fromiso = dt.datetime.fromisoformat
    value_map = PeerEventName._value2member_map_
    table = _PEER_EVENT_NAMES
    n = len(videos)

    def loop_copy() -> None:
        for v in videos:
            dict(v)

    def loop_pop() -> None:
        for v in videos:
            d = dict(v)
            for key in _VIDEO_KEYS:
                d.pop(key, UNSET)

    def loop_get() -> None:
        for v in videos:
            get = v.get
            for key in _VIDEO_KEYS:
                get(key, UNSET)

    def loop_isinstance() -> None:
        for v in videos:
            isinstance(v, Unset)

    def loop_is() -> None:
        for v in videos:
            v is UNSET  # noqa: B015

    def loop_keys_le() -> None:
        for v in videos:
            v.keys() <= _VIDEO_KEYS  # noqa: B015

    def loop_keys_minus() -> None:
        for v in videos:
            v.keys() - _VIDEO_KEYS  # noqa: B015

    def loop_import() -> None:
        for _ in videos:
            from realtimekit_client.models.audio_stats import AudioStats  # noqa: F401, PLC0415

    def loop_nested_def() -> None:
        for v in videos:

            def _parse(data: object) -> object:
                return data

            _parse(v)

    def loop_empty() -> None:
        for _ in videos:
            pass

    def each(function: Callable[[Any], object], values: list[Any]) -> float:
        return per_item(lambda: [function(v) for v in values], len(values), repeat)

    empty = per_item(loop_empty, n, repeat)
    rows = [
        (f"fromisoformat, 'Z' + ms ({len(z_ms):,})", each(fromiso, z_ms)),
        (f"fromisoformat, +hh:mm ({len(offset):,})", each(fromiso, offset)),
        (f"fromisoformat, 'Z' + us ({len(micro):,})", each(fromiso, micro)),
        ("dateutil isoparse, 'Z' + ms", each(isoparse, z_ms[:5000])),
        ("PeerEventName(value)", each(PeerEventName, names)),
        ("PeerEventName._value2member_map_[value]", each(value_map.__getitem__, names)),
        ("module dict .get(value)", each(table.get, names)),
        ("empty loop (subtract from the rows below)", empty),
        ("dict(d) copy of an 8-key dict", per_item(loop_copy, n, repeat)),
        ("dict(d) + 8 x d.pop(k, UNSET)", per_item(loop_pop, n, repeat)),
        ("8 x d.get(k, UNSET), no copy", per_item(loop_get, n, repeat)),
        ("isinstance(x, Unset)", per_item(loop_isinstance, n, repeat)),
        ("x is UNSET", per_item(loop_is, n, repeat)),
        ("unknown keys? d.keys() <= KNOWN", per_item(loop_keys_le, n, repeat)),
        ("unknown keys? d.keys() - KNOWN", per_item(loop_keys_minus, n, repeat)),
        ("function-level 'from ..models.x import X'", per_item(loop_import, n, repeat)),
        ("nested def _parse_x + call (PeerEvent has 4)", per_item(loop_nested_def, n, repeat)),
    ]
    report("items: ns per item, on the document's own values", [(name, ns, "ns") for name, ns in rows])


def section_construct(repeat: int) -> None:
    count = 80_000
    stamp = dt.datetime(2026, 11, 20, 14, 2, 7, 482000, tzinfo=dt.UTC)
    args = (720, 1280, 3, 27.5, 4.2, 12, 4, stamp)
    kw: dict[str, Any] = dict(zip(sorted(_VIDEO_KEYS), args, strict=True))
    new = object.__new__

    def keyword() -> list[VideoStats]:
        return [VideoStats(**kw) for _ in range(count)]

    def keyword_spelled() -> list[VideoStats]:
        return [
            VideoStats(
                frame_height=720,
                frame_width=1280,
                frames_dropped=3,
                frames_per_second=27.5,
                jitter=4.2,
                packets_lost=12,
                quality=4,
                timestamp=stamp,
            )
            for _ in range(count)
        ]

    def positional() -> list[VideoStats]:
        return [VideoStats(720, 1280, 3, 27.5, 4.2, 12, 4, stamp) for _ in range(count)]

    def new_setattr() -> list[VideoStats]:
        out = []
        for _ in range(count):
            self = new(VideoStats)
            self.frame_height = 720
            self.frame_width = 1280
            self.frames_dropped = 3
            self.frames_per_second = 27.5
            self.jitter = 4.2
            self.packets_lost = 12
            self.quality = 4
            self.timestamp = stamp
            self.additional_properties = {}
            out.append(self)
        return out

    def plain_tuple() -> list[tuple[Any, ...]]:
        return [(720, 1280, 3, 27.5, 4.2, 12, 4, stamp) for _ in range(count)]

    rows = [
        ("VideoStats(**kw)", best(keyword, repeat)),
        ("VideoStats(frame_height=..., ...) spelled out", best(keyword_spelled, repeat)),
        ("VideoStats(720, 1280, ...) positional", best(positional, repeat)),
        ("object.__new__ + 9 attribute sets", best(new_setattr, repeat)),
        ("a tuple (lower bound for any object)", best(plain_tuple, repeat)),
    ]
    report(f"construct: {count:,} VideoStats (8 fields + additional_properties)", [(n, s * 1e3, "ms") for n, s in rows])


def section_profile(body: bytes, top: int) -> None:
    path, parse = "get_participant_details._build_response", sdk_parse
    response = response_for(body)
    profiler = cProfile.Profile()
    gc.collect()
    profiler.enable()
    parse(response)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    print(f"\n## profile: cProfile of {path}, top {top} by own time (profiling inflates call-heavy code)")
    for line in lines[2:]:
        print("  " + line.replace(str(ROOT) + "/", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", help=f"comma separated subset of: {','.join(SECTIONS)}")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case; the best is reported (default 5)")
    parser.add_argument("--quick", action="store_true", help="--repeat 2")
    parser.add_argument("--top", type=int, default=18, help="profile rows")
    args = parser.parse_args(argv)
    only = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(","))
    repeat = 2 if args.quick else args.repeat
    body = large_participant_bytes()
    print(f"python {sys.version.split()[0]}, httpx {httpx.__version__}, orjson {getattr(orjson, '__version__', None)}")
    if "decode" in only:
        section_decode(body, repeat)
    if "parse" in only:
        section_parse(body, repeat)
    if "items" in only:
        section_items(body, repeat)
    if "construct" in only:
        section_construct(repeat)
    if "profile" in only:
        section_profile(body, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
