"""What the SDK costs over the bare minimum: `make bench` (issues 5 and 14).

Every figure is a ratio of the SDK to a *floor* measured in the same run, on the same machine, against the same
server and URL:

=========  ==========================================================  ===============================================
figure     SDK                                                          floor
=========  ==========================================================  ===============================================
parse      the operation's own decode path (``build_response`` with     ``json.loads`` of the same bytes
           its parsers on an ``httpx.Response``) ->
           ``ParticipantDetailsResponse``, with the `fast` extra
parse-     the same with the extra turned off (``_fast.use(False)``:    ``json.loads`` of the same bytes
nofast     ``json.loads`` + the models' ``from_dict``)
parse-     the same for GetParticipantDataFromPeerId: a peer report     ``json.loads`` of the same bytes
report(-   of 3,600 samples per series (``sessions.large_peer_report``,
nofast)    every key present) -> ``PeerReportResponse``
large      one ``get_participant_details.sync()`` of the large          ``httpx.Client.get`` + ``json.loads``
           participant over loopback
small      500 sequential ``sync()`` calls of the spec's example        500 ``httpx.Client.get`` + ``json.loads``
async      200 concurrent ``asyncio()`` calls (``asyncio.gather``)      200 ``httpx.AsyncClient.get`` + ``json.loads``
cold       fresh interpreter: import ``realtimekit_client`` and the     fresh interpreter: ``import httpx`` and build an
           endpoint module, build an ``AuthenticatedClient`` and its    ``httpx.Client``
           ``httpx.Client``
memory     RSS high-water growth of one large call in a fresh process   the same for the raw call
=========  ==========================================================  ===============================================

How the numbers are made honest
-------------------------------
* **Interleaved, paired, median.** Samples come in pairs after one discarded warm-up of each side, so a slow
  phase of this shared 2-core machine hits both sides; the pairs alternate their order (SDK then floor, floor
  then SDK), so whatever being first or second in a pair does is the same for both. The *ratio* is the median of
  the per-pair ratios (robust to drift); the SDK and floor columns are the medians of their own samples. The JSON
  keeps every sample. The small and async figures take 41 pairs (``Runs.calls``), the others 15.
* **The server runs in its own process** by default (``--server process``). ``LocalServer`` is a threaded
  ``http.server``: in-process it would share the GIL with the client, so every byte the server writes would
  slow the client being measured, and more so the faster client (it deflates ratios towards 1).
  ``--server thread`` keeps it in-process, to see that effect. Request validation is off (``validate=False``):
  openapi-core's ~5 ms per request would dwarf what is measured.
* **Both sides reuse one client and its keep-alive connections**, warmed up before timing; the raw clients use
  httpx's default pool, as the SDK does. With those defaults (100 connections, 20 kept alive) each burst of 200
  async calls opens ~80 new connections on both sides, so connection set-up is part of both async numbers,
  as it is for a user. Only the call is timed: building requests/responses for the parse
  figure, and freeing results, is outside the timer.
* **The garbage collector stays on** (users have it on, and the cyclic GC's passes over tens of thousands of new
  container objects are a real cost of building models), after a ``gc.collect()`` before each sample.
* **Cold start** runs each sample in a fresh interpreter (``sys.executable``, same environment) and times the
  import + construction with ``perf_counter`` inside the child, so interpreter start-up (the same for both)
  does not dilute the ratio; the whole-process wall time is kept in the JSON as ``process_seconds``. One
  discarded warm-up run of each side fills the ``.pyc`` caches (``PYTHONDONTWRITEBYTECODE`` is dropped for the
  children: without .pyc files the SDK would be compiled on every start).
* **Peak memory** runs each sample in a fresh interpreter, so nothing left by an earlier figure (freed arenas,
  caches) counts. The gated figure is the RSS high-water growth during the call: what the OS actually has to
  give the process (on Linux the high-water mark is reset just before the call through ``/proc/self/clear_refs``,
  since building the SSL context peaks above what is left after; elsewhere ``ru_maxrss`` growth).
  ``tracemalloc``'s peak is reported beside it as information, and is not the gate because it counts address
  space that is reserved but never touched (orjson, the extra before msgspec, reserved a worst-case arena of
  ~14x the body and used a fraction of it).
* The package measured is this checkout's ``generated/`` (put first on ``sys.path`` and ``PYTHONPATH``), not
  whatever an editable install points at.

    python -m scripts.bench.bench                 # everything, writes scripts/bench/bench-results.json
    python -m scripts.bench.bench --quick --only parse,large
    python -m scripts.bench.bench --runs 15 --output /tmp/after.json
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
# This checkout's package and scripts first, whatever else is installed (scripts.project names them, but has to be
# importable first).
for _path in (str(ROOT), str(GENERATED)):
    if _path in sys.path:
        sys.path.remove(_path)
    sys.path.insert(0, _path)

import httpx  # noqa: E402
import realtimekit_client  # noqa: E402
from realtimekit_client import AuthenticatedClient, _fast  # noqa: E402
from realtimekit_client._response import build_response  # noqa: E402
from realtimekit_client.api.sessions import get_participant_data_from_peer_id, get_participant_details  # noqa: E402
from realtimekit_client.models import ParticipantDetailsResponse  # noqa: E402

from scripts.bench.bench_data import large_participant_bytes  # noqa: E402
from scripts.project import GENERATOR, SPEC, relative  # noqa: E402
from tests.stand_in.ids import ACCOUNT_ID, APP_ID, PARTICIPANT_ID, SESSION_ID  # noqa: E402
from tests.stand_in.server import LocalServer  # noqa: E402
from tests.stand_in.sessions import large_peer_report  # noqa: E402

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "bench-results.json"
TOKEN = "bench-token"
# No `filters`: the stand-in server checks how they are spelled even without validation, and the stock generator
# spells them wrongly (repeated). Both sides send exactly this query; building it costs the SDK microseconds.
RAW_QUERY = "include_peer_events=true"
RAW_HEADERS = {"Authorization": f"Bearer {TOKEN}"}
RAW_TIMEOUT = httpx.Timeout(60.0)
SMALL_CALLS = 500
ASYNC_CALLS = 200

FIGURES = ("parse", "parse-nofast", "parse-report", "parse-report-nofast", "large", "small", "async", "cold", "memory")
GOALS = {
    "parse": 0.8,  # with the `fast` extra
    "parse-nofast": 1.5,  # without it (json.loads + from_dict)
    "parse-report": 0.8,
    "parse-report-nofast": 1.5,
    "large": 1.1,
    "small": 1.05,
    "async": 1.05,
    "cold": 1.2,
    "memory": 1.2,
}
REPORT_SAMPLES = 3600  # per series: a 10 h call at the stand-in's 10 s interval, ~13 MB of JSON


@dataclass(frozen=True)
class Runs:
    """Samples per side for each figure (after one discarded warm-up of each side)."""

    timing: int = 15
    calls: int = 41
    """For the small and async figures: each sample takes ~0.3 s, and the SDK's share of a call over the loopback
    (~2 %) is smaller than one sample's noise (+-5-10 %), so they need more pairs for a stable median."""
    cold: int = 21
    memory: int = 3

    @classmethod
    def quick(cls) -> Runs:
        return cls(timing=3, calls=5, cold=5, memory=1)


@dataclass
class Figure:
    key: str
    title: str
    unit: str  # "s" or "bytes"
    sdk: list[float]
    floor: list[float]
    goal: float | None  # None: information only
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sdk_median(self) -> float:
        return statistics.median(self.sdk)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def ratio(self) -> float:
        """Median of the paired ratios (SDK sample i / floor sample i)."""
        return statistics.median(s / f for s, f in zip(self.sdk, self.floor, strict=True))

    @property
    def passed(self) -> bool | None:
        return None if self.goal is None else self.ratio <= self.goal

    def as_json(self) -> dict[str, Any]:
        record = asdict(self)
        record.update(sdk_median=self.sdk_median, floor_median=self.floor_median, ratio=self.ratio, passed=self.passed)
        return record


# -- the servers -------------------------------------------------------------------------------------------------


def _serve(conn: Connection, large_body: bytes) -> None:
    """Child process: serve the large and the small participant until the parent says stop (or goes away)."""
    with LocalServer(large_body, validate=False) as large, LocalServer(validate=False) as small:
        conn.send((large.base_url, small.base_url))
        try:
            conn.recv()
        except EOFError:
            pass


@contextmanager
def servers(large_body: bytes, mode: str) -> Iterator[tuple[str, str]]:
    """(large base_url, small base_url), served by a child process (mode "process") or threads here ("thread")."""
    if mode == "thread":
        with LocalServer(large_body, validate=False) as large, LocalServer(validate=False) as small:
            yield large.base_url, small.base_url
        return
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_serve, args=(child, large_body), name="bench-server", daemon=True)
    process.start()
    try:
        if not parent.poll(60):
            raise RuntimeError("benchmark server did not start")
        large_url, small_url = parent.recv()
        yield large_url, small_url
    finally:
        parent.send("stop")
        process.join(10)
        if process.is_alive():
            process.terminate()


# -- helpers -----------------------------------------------------------------------------------------------------


def participant_path() -> str:
    return f"/accounts/{ACCOUNT_ID}/realtime/kit/{APP_ID}/sessions/{SESSION_ID}/participants/{PARTICIPANT_ID}"


def raw_url(base_url: str) -> str:
    return f"{base_url}{participant_path()}?{RAW_QUERY}"


def make_client(base_url: str) -> AuthenticatedClient:
    """The SDK client as a user builds it (default timeouts and retries: retries cost nothing when all succeed)."""
    return AuthenticatedClient(base_url=base_url, token=TOKEN)


def sdk_call(client: AuthenticatedClient) -> object:
    result = get_participant_details.sync(
        ACCOUNT_ID, APP_ID, SESSION_ID, PARTICIPANT_ID, client=client, include_peer_events=True
    )
    if not isinstance(result, ParticipantDetailsResponse):
        raise RuntimeError(f"SDK call returned {type(result).__name__}, not a ParticipantDetailsResponse")
    return result


async def sdk_call_async(client: AuthenticatedClient) -> object:
    result = await get_participant_details.asyncio(
        ACCOUNT_ID, APP_ID, SESSION_ID, PARTICIPANT_ID, client=client, include_peer_events=True
    )
    if not isinstance(result, ParticipantDetailsResponse):
        raise RuntimeError(f"SDK call returned {type(result).__name__}, not a ParticipantDetailsResponse")
    return result


def raw_call(client: httpx.Client, url: str) -> object:
    response = client.get(url)
    response.raise_for_status()
    return json.loads(response.content)


def timed(action: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def interleave(sdk: Callable[[], float], floor: Callable[[], float], runs: int) -> tuple[list[float], list[float]]:
    """One discarded warm-up of each, then ``runs`` pairs, taken in alternating order (SDK first, then floor first):
    whatever the first or second sample of a pair gains or loses (a warm server thread, the collector's state)
    falls on both sides equally."""
    sdk()
    floor()
    sdk_samples: list[float] = []
    floor_samples: list[float] = []
    for index in range(runs):
        if index % 2 == 0:
            sdk_samples.append(sdk())
            floor_samples.append(floor())
        else:
            floor_samples.append(floor())
            sdk_samples.append(sdk())
    return sdk_samples, floor_samples


# -- 1. parse ----------------------------------------------------------------------------------------------------


def sdk_parse(response: httpx.Response, operation: Any = get_participant_details) -> object:
    """What sync_detailed() does with a 200 response: the operation's own parser (decode + models)."""
    return build_response(response, *operation._parsers()).parsed


def response_for(body: bytes, path: str = "") -> httpx.Response:
    url = f"https://api.cloudflare.com/client/v4{path or participant_path()}?{RAW_QUERY}"
    return httpx.Response(
        200, content=body, headers={"Content-Type": "application/json"}, request=httpx.Request("GET", url)
    )


def figure_parse(body: bytes, runs: Runs, key: str = "parse", operation: Any = get_participant_details) -> Figure:
    report = key.startswith("parse-report")
    path = f"/accounts/{ACCOUNT_ID}/realtime/kit/{APP_ID}/sessions/peer-report/p" if report else ""
    fast = not key.endswith("-nofast")

    def sdk() -> float:
        response = response_for(body, path)
        _fast.use(fast)  # -nofast: read as without the extra installed (json.loads + from_dict)
        try:
            return timed(lambda: sdk_parse(response, operation))
        finally:
            _fast.use(True)

    def floor() -> float:
        return timed(lambda: json.loads(body))

    sdk_samples, floor_samples = interleave(sdk, floor, runs.timing)
    size = f"{len(body) / 1e6:.1f} MB"
    what = ("peer report" if report else "model") + ("" if fast else " without msgspec")
    return Figure(
        key,
        f"parse {size} -> {what}",
        "s",
        sdk_samples,
        floor_samples,
        GOALS[key],
        f"via build_response with {operation.__name__.rsplit('.', 1)[-1]}'s parsers"
        + ("" if fast else "; extra turned off"),
    )


# -- 2.-4. calls ------------------------------------------------------------------------------------------------


def figure_large(base_url: str, runs: Runs) -> Figure:
    client = make_client(base_url)
    url = raw_url(base_url)
    with httpx.Client(headers=RAW_HEADERS, timeout=RAW_TIMEOUT) as raw:
        sdk_samples, floor_samples = interleave(
            lambda: timed(lambda: sdk_call(client)), lambda: timed(lambda: raw_call(raw, url)), runs.timing
        )
    client.get_httpx_client().close()
    return Figure("large", "one large call", "s", sdk_samples, floor_samples, GOALS["large"])


def figure_small(base_url: str, runs: Runs) -> Figure:
    client = make_client(base_url)
    url = raw_url(base_url)

    def sdk_many() -> None:
        for _ in range(SMALL_CALLS):
            sdk_call(client)

    with httpx.Client(headers=RAW_HEADERS, timeout=RAW_TIMEOUT) as raw:

        def raw_many() -> None:
            for _ in range(SMALL_CALLS):
                raw_call(raw, url)

        sdk_samples, floor_samples = interleave(lambda: timed(sdk_many), lambda: timed(raw_many), runs.calls)
    client.get_httpx_client().close()
    return Figure("small", f"{SMALL_CALLS} sequential small calls", "s", sdk_samples, floor_samples, GOALS["small"])


async def _async_samples(base_url: str, runs: Runs) -> tuple[list[float], list[float]]:
    client = make_client(base_url)
    url = raw_url(base_url)
    async with httpx.AsyncClient(headers=RAW_HEADERS, timeout=RAW_TIMEOUT) as raw:

        async def raw_one() -> object:
            response = await raw.get(url)
            response.raise_for_status()
            return json.loads(response.content)

        async def timed_gather(one: Callable[[], Awaitable[object]]) -> float:
            gc.collect()
            start = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(ASYNC_CALLS)))
            return time.perf_counter() - start

        await timed_gather(lambda: sdk_call_async(client))
        await timed_gather(raw_one)
        sdk_samples: list[float] = []
        floor_samples: list[float] = []
        for index in range(runs.calls):  # in alternating order, as interleave() does
            if index % 2 == 0:
                sdk_samples.append(await timed_gather(lambda: sdk_call_async(client)))
                floor_samples.append(await timed_gather(raw_one))
            else:
                floor_samples.append(await timed_gather(raw_one))
                sdk_samples.append(await timed_gather(lambda: sdk_call_async(client)))
    await client.get_async_httpx_client().aclose()
    return sdk_samples, floor_samples


def figure_async(base_url: str, runs: Runs) -> Figure:
    sdk_samples, floor_samples = asyncio.run(_async_samples(base_url, runs))
    return Figure("async", f"{ASYNC_CALLS} concurrent async calls", "s", sdk_samples, floor_samples, GOALS["async"])


# -- 5.-6. fresh interpreters ------------------------------------------------------------------------------------

_COLD_CHILD = textwrap.dedent(
    """
    import json, sys, time
    start = time.perf_counter()
    if sys.argv[1] == "sdk":
        import realtimekit_client
        from realtimekit_client.api.sessions import get_participant_details
        client = realtimekit_client.AuthenticatedClient(base_url="https://api.cloudflare.com/client/v4", token="t")
        client.get_httpx_client()
    else:
        import httpx
        client = httpx.Client(base_url="https://api.cloudflare.com/client/v4", headers={"Authorization": "Bearer t"})
    print(json.dumps({"seconds": time.perf_counter() - start}))
    """
)

_MEMORY_CHILD = textwrap.dedent(
    """
    import gc, json, os, re, resource, sys, tracemalloc
    side, how, base_url, url = sys.argv[1:5]
    import httpx
    if side == "sdk":
        from scripts.bench.bench import make_client, sdk_call
        client = make_client(base_url)
        client.get_httpx_client()
        call = lambda: sdk_call(client)
    else:
        from scripts.bench.bench import RAW_HEADERS, RAW_TIMEOUT, raw_call
        raw = httpx.Client(headers=RAW_HEADERS, timeout=RAW_TIMEOUT)
        call = lambda: raw_call(raw, url)

    def status_kib(name):
        with open("/proc/self/status") as f:
            return int(re.search(name + r":\\s+(\\d+)", f.read()).group(1))

    gc.collect()
    if how == "tracemalloc":
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        result = call()
        peak = tracemalloc.get_traced_memory()[1] - before
    elif os.path.exists("/proc/self/clear_refs"):
        # Linux: reset the RSS high-water mark (building the SSL context peaks well above what is left after)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        before = status_kib("VmRSS")
        result = call()
        peak = (status_kib("VmHWM") - before) * 1024
    else:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = call()
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    print(json.dumps({"bytes": peak}))
    """
)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(GENERATED), str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(code: str, *args: str) -> tuple[dict[str, Any], float]:
    """Run ``code`` in a fresh interpreter; (its JSON line, whole-process wall seconds)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=child_env(), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result, elapsed


def figure_cold(runs: Runs) -> Figure:
    process: dict[str, list[float]] = {"sdk": [], "floor": []}

    def side(name: str, arg: str) -> Callable[[], float]:
        def sample() -> float:
            result, elapsed = run_child(_COLD_CHILD, arg)
            process[name].append(elapsed)
            return float(result["seconds"])

        return sample

    sdk_samples, floor_samples = interleave(side("sdk", "sdk"), side("floor", "raw"), runs.cold)
    whole = {name: statistics.median(values[1:]) for name, values in process.items()}  # [0] is the warm-up
    return Figure(
        "cold",
        "cold start: import + client",
        "s",
        sdk_samples,
        floor_samples,
        GOALS["cold"],
        f"whole process {whole['sdk'] * 1e3:.0f} ms vs {whole['floor'] * 1e3:.0f} ms",
        {"process_seconds": {name: values[1:] for name, values in process.items()}},
    )


def figures_memory(base_url: str, runs: Runs) -> list[Figure]:
    url = raw_url(base_url)

    def side(name: str, how: str) -> Callable[[], float]:
        return lambda: float(run_child(_MEMORY_CHILD, name, how, base_url, url)[0]["bytes"])

    traced = interleave(side("sdk", "tracemalloc"), side("raw", "tracemalloc"), runs.memory)
    rss = interleave(side("sdk", "rss"), side("raw", "rss"), runs.memory)
    return [
        Figure("memory", "peak memory (RSS growth), large call", "bytes", *rss, GOALS["memory"], "RSS high-water"),
        Figure("memory_traced", "tracemalloc peak, large call", "bytes", *traced, None, "counts reserved, untouched"),
    ]


# -- report ------------------------------------------------------------------------------------------------------


def fmt(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value / 2**20:,.1f} MiB"
    if value >= 1:
        return f"{value:,.3f} s"
    return f"{value * 1e3:,.2f} ms"


def table(figures: list[Figure]) -> str:
    rows = [("figure", "SDK", "floor", "ratio", "goal", "result", "notes")]
    for f in figures:
        result = "-" if f.passed is None else ("pass" if f.passed else "FAIL")
        goal = "-" if f.goal is None else f"<= {f.goal:g}"
        rows.append(
            (f.title, fmt(f.sdk_median, f.unit), fmt(f.floor_median, f.unit), f"{f.ratio:.2f}", goal, result, f.notes)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [cell.ljust(w) if i in (0, 6) else cell.rjust(w) for i, (cell, w) in pairs]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def git_info() -> dict[str, Any]:
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        return done.stdout.strip()

    status = git("status", "--porcelain", "--", "generated", relative(GENERATOR), relative(SPEC.parent))
    commit, branch = git("rev-parse", "HEAD"), git("rev-parse", "--abbrev-ref", "HEAD")
    return {"commit": commit, "branch": branch, "dirty": bool(status)}


def package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": sys.version,
        "implementation": platform.python_implementation(),
        "packages": {name: package_version(name) for name in ("httpx", "attrs", "msgspec", "python-dateutil")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a rough look in ~30 s)")
    parser.add_argument("--only", help=f"comma separated subset of: {','.join(FIGURES)}")
    parser.add_argument("--runs", type=int, help="samples per side for the timing figures (default 15)")
    parser.add_argument("--server", choices=("process", "thread"), default="process", help="where the server runs")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    args = parser.parse_args(argv)

    only = FIGURES if not args.only else tuple(name.strip() for name in args.only.split(","))
    unknown = set(only) - set(FIGURES)
    if unknown:
        parser.error(f"unknown figures {sorted(unknown)}; choose from {','.join(FIGURES)}")
    runs = Runs.quick() if args.quick else Runs()
    if args.runs:
        runs = Runs(
            timing=args.runs, calls=max(args.runs, runs.calls), cold=max(args.runs, runs.cold), memory=runs.memory
        )

    started = time.perf_counter()
    body = large_participant_bytes()
    machine = machine_info()
    print(
        f"realtimekit_client {realtimekit_client.__version__} from {Path(realtimekit_client.__file__).parent}; "
        f"large participant {len(body):,} bytes; server: {args.server}; runs: {runs}",
        flush=True,
    )
    figures: list[Figure] = []

    def progress(name: str) -> None:
        print(f"  {name} ... ({time.perf_counter() - started:.0f} s)", flush=True)

    for key in ("parse", "parse-nofast"):
        if key in only:
            progress(key)
            figures.append(figure_parse(body, runs, key))
    if {"parse-report", "parse-report-nofast"} & set(only):
        report = json.dumps(large_peer_report(REPORT_SAMPLES)).encode()
        for key in ("parse-report", "parse-report-nofast"):
            if key in only:
                progress(key)
                figures.append(figure_parse(report, runs, key, get_participant_data_from_peer_id))
    if {"large", "small", "async", "memory"} & set(only):
        with servers(body, args.server) as (large_url, small_url):
            if "large" in only:
                progress("large")
                figures.append(figure_large(large_url, runs))
            if "small" in only:
                progress("small")
                figures.append(figure_small(small_url, runs))
            if "async" in only:
                progress("async")
                figures.append(figure_async(small_url, runs))
            if "memory" in only:
                progress("memory")
                figures.extend(figures_memory(large_url, runs))
    if "cold" in only:
        progress("cold")
        figures.append(figure_cold(runs))

    elapsed = time.perf_counter() - started
    print()
    print(table(figures))
    print(f"\n{elapsed:.0f} s in all; ratio = median of paired SDK/floor samples.")
    record = {
        "schema": 1,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine,
        "loadavg_after": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "sdk": {"version": realtimekit_client.__version__, "path": str(Path(realtimekit_client.__file__).parent)},
        "git": git_info(),
        "settings": {
            "runs": asdict(runs),
            "server": args.server,
            "large_body_bytes": len(body),
            "small_calls": SMALL_CALLS,
            "async_calls": ASYNC_CALLS,
        },
        "seconds": elapsed,
        "figures": [f.as_json() for f in figures],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 1 if any(f.passed is False for f in figures) and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    sys.exit(main())
