"""`realtimekit session` against the stand-in's demo session (36 participants): listed page by page, peer reports
fetched with a bounded number in flight, ranked worst first by realtimekit_client.analysis's verdicts; exports,
progress, failures, the HTML page in Chromium, `make demo`, and the pinned output for the demo session.

To re-pin the output after an intended change: RTK_UPDATE_GOLDEN=1 pytest tests/test_command_session.py"""

from __future__ import annotations

import asyncio
import csv
import datetime
import io
import json
import logging
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from realtimekit_client import AuthenticatedClient, analysis
from realtimekit_client.cli.app import build_parser
from realtimekit_client.cli.common import Context
from realtimekit_client.cli.session import VERDICT_ORDER, Progress, collect
from realtimekit_client.models import PeerReportResponse

from scripts.project import ROOT
from tests.browser import Browser
from tests.stand_in import sessions
from tests.stand_in.ids import ACCOUNT_ID, APP_ID, SESSION_ID, TOKEN
from tests.stand_in.server import LocalServer
from tests.support import assert_one_line_failure, run_command

GOLDEN = ROOT / "tests" / "golden" / "session_view.txt"
IDS = ["--account-id", ACCOUNT_ID, "--app-id", APP_ID]


def session(*args: str, server: LocalServer, session_id: str = SESSION_ID) -> subprocess.CompletedProcess[str]:
    return run_command("session", *IDS, "--session-id", session_id, *args, base_url=server.base_url)


def expected_verdicts() -> dict[str, str]:
    """peer id -> the overall verdict analysis gives its report."""
    return {
        peer: analysis.diagnose(PeerReportResponse.from_dict(sessions.peer_report(peer))).overall
        for peer in sessions.PEER_IDS
    }


def table_lines(out: str) -> list[str]:
    return out.split("likely cause\n", 1)[1].split("\n\n", 1)[0].splitlines()


def test_the_demo_session_ranked_worst_first(server: LocalServer) -> None:
    result = session(server=server)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress: stderr is not a terminal
    lines = table_lines(result.stdout)
    assert len(lines) == 36
    verdicts = [line.split()[1] if not line.split()[1] == "no" else "no data" for line in lines]
    assert [VERDICT_ORDER[v] for v in verdicts] == sorted(VERDICT_ORDER[v] for v in verdicts)
    assert sorted(verdicts) == sorted(expected_verdicts().values())
    assert [int(line.split()[0]) for line in lines] == list(range(1, 37))
    assert result.stdout.startswith(f"Session {SESSION_ID}: 36 participants (")
    for name in ("Lukas Becker", "Priya Raman", "Isabela Costa"):
        assert sum(name in line for line in lines) == 1


def test_pages_and_reports_on_the_wire(server: LocalServer) -> None:
    result = session("--per-page", "10", "--concurrency", "5", server=server)
    assert result.returncode == 0, result.stderr
    pages = [r for r in server.requests if r.path.endswith("/participants")]
    reports = [r for r in server.requests if "/peer-report/" in r.path]
    assert [r.query for r in pages] == [f"page_no={n}&per_page=10" for n in (1, 2, 3, 4)]
    assert sorted(r.path.rsplit("/", 1)[1] for r in reports) == sorted(sessions.PEER_IDS)
    assert all(r.valid for r in server.requests)


class CountingTransport(httpx.AsyncBaseTransport):
    """Forwards to the real transport after a short pause, counting the peer-report requests in flight."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.in_flight = self.most = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        report = "/peer-report/" in request.url.path
        self.in_flight += report
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0.02)
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= report

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_no_more_reports_in_flight_than_the_concurrency(server: LocalServer) -> None:
    transport = CountingTransport()
    client = AuthenticatedClient(base_url=server.base_url, token=TOKEN, async_transport=transport)
    args = build_parser().parse_args(["session", *IDS, "--session-id", SESSION_ID, "--concurrency", "3"])
    ctx = Context(client, server.base_url, 30.0, datetime.UTC)
    entries = asyncio.run(collect(ctx, args, Progress(io.StringIO())))
    assert len(entries) == 36
    assert transport.most == 3


def test_csv_one_row_per_participant(server: LocalServer) -> None:
    result = session("--format", "csv", server=server)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(row["rank"]) for row in rows] == list(range(1, 37))
    verdicts = expected_verdicts()
    assert {row["peer_id"]: row["verdict"] for row in rows} == verdicts
    for row in rows:
        datetime.datetime.fromisoformat(row["joined_at"])
        float(row["duration_minutes"])
        assert row["lowest_mos"] == "" or 1 <= float(row["lowest_mos"]) <= 5
        if row["main_cause"]:
            assert row["main_cause_label"] == analysis.CAUSES[row["main_cause"]]


def test_a_missing_report_is_no_data_not_a_failure(server: LocalServer) -> None:
    rows = sessions.session_participants(SESSION_ID)[:2]
    rows.append({"id": "gone-peer", "display_name": "Ghost"})
    server.set_session("small", rows)
    result = session("--format", "jsonl", server=server, session_id="small")
    assert result.returncode == 0, result.stderr
    ghost = [line for line in result.stdout.splitlines() if "Ghost" in line]
    assert len(ghost) == 1 and '"verdict": "no data"' in ghost[0] and "404" in ghost[0]


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (500, {"success": False, "error": {"code": 500, "message": "boom"}}, "server error"),
        (200, {"success": False, "error": {"code": 1234, "message": "nope"}}, "nope"),
        (200, {"success": True, "data": {"participant": {"id": 7}}}, "cannot parse response"),
    ],
)
def test_a_failed_report_marks_its_row_and_the_others_are_ranked(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, status: int, body: dict[str, object], reason: str
) -> None:
    others = sessions.session_participants(SESSION_ID)[1:3]
    server.set_session("broken", [{"id": "peer-broken", "display_name": "Broken Report"}, *others])
    answer = server._answer

    def broken(path: str, query: str) -> tuple[int, bytes]:  # this peer's report fails, every time it is asked
        return (status, json.dumps(body).encode()) if path.endswith("/peer-broken") else answer(path, query)

    monkeypatch.setattr(server, "_answer", broken)
    result = session("--format", "jsonl", server=server, session_id="broken")
    assert result.returncode == 3, result.stderr
    ranked = {row["peer_id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert sorted(ranked) == sorted(["peer-broken", *(row["id"] for row in others)])
    assert ranked["peer-broken"]["verdict"] == "failed" and reason in ranked["peer-broken"]["error"]
    assert all(row["verdict"] not in ("failed", "no data") for peer, row in ranked.items() if peer != "peer-broken")
    (line,) = result.stderr.splitlines()
    assert line.startswith("realtimekit: warning: 1 peer report failed") and "peer-broken" in line and reason in line


def test_failures_and_usage_errors_are_one_line(server: LocalServer) -> None:
    assert_one_line_failure(session(server=server, session_id="unknown"), 1, "404", "Session not found")
    assert_one_line_failure(session("--json", server=server), 2, "--format json")
    assert_one_line_failure(session("--concurrency", "0", server=server), 2, "--concurrency")
    assert_one_line_failure(session("--per-page", "500", server=server), 2, "--per-page")


def test_an_empty_session(server: LocalServer) -> None:
    server.set_session("empty", [])
    result = session(server=server, session_id="empty")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Session empty: 0 participants (none)")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_after_a_moment() -> None:
    screen = Terminal()
    progress = Progress(screen, delay=0.0, every=0.0)
    progress.update(listed=20)
    progress.update(fetched=8)
    progress.update(listing_done=True, force=True)
    assert screen.getvalue().split("\r")[-1].strip() == "realtimekit: 20 participants, 8 of 20 peer reports"
    assert "20+ participants, 8 of 20+ peer reports" in screen.getvalue()
    progress.done()
    assert screen.getvalue().endswith("\r")
    assert screen.getvalue().split("\r")[-2].strip() == ""  # the line is cleared
    patient = Terminal()
    slow = Progress(patient, delay=60.0)
    slow.update(listed=5)
    slow.done()
    assert patient.getvalue() == ""  # quick work shows nothing
    pipe = io.StringIO()
    never = Progress(pipe, delay=0.0, every=0.0)
    never.update(listed=5, force=True)
    assert pipe.getvalue() == ""


def test_session_html_in_chromium(server: LocalServer, chromium: str, artifacts: Path, tmp_path: Path) -> None:
    html = tmp_path / "session.html"
    assert session("--html", str(html), server=server).returncode == 0
    with Browser(chromium, tmp_path / "profile", log=artifacts / "session.chromium.log") as browser:
        page = browser.open(html.as_uri())
        page.screenshot(artifacts / "session.png")
        rows = page.evaluate("document.querySelectorAll('table.ranked tbody tr').length")
        first = page.evaluate("document.querySelector('table.ranked tbody tr td:nth-child(2)').textContent")
        assert page.errors == []
        assert page.requests == [html.as_uri()]
    assert rows == 36
    assert first in ("poor", "fair")


# -- the demo and its pinned output ----------------------------------------------------------------------------------


@pytest.fixture
def demo_env() -> Iterator[dict[str, str]]:
    yield {key: value for key, value in os.environ.items() if not key.startswith(("CLOUDFLARE_", "RTK_"))}


def test_make_demo_shows_the_session_and_one_peer_report(demo_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.dev.demo"], env=demo_env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Session {SESSION_ID}: 36 participants")
    assert "\nPeer report: " in result.stdout and "Verdict: " in result.stdout
    assert "realtimekit session" in result.stderr and "realtimekit peer-report" in result.stderr
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "demo: $(VENV_STAMP)" in makefile and "-m scripts.dev.demo" in makefile


def test_the_demo_session_view_is_pinned(server: LocalServer) -> None:
    result = session(server=server)
    assert result.returncode == 0, result.stderr
    if os.environ.get("RTK_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8"), "RTK_UPDATE_GOLDEN=1 re-pins it after a wanted change"


# -- what the server may send ----------------------------------------------------------------------------------------


def test_names_are_escaped_in_the_table_and_the_html_page(server: LocalServer, tmp_path: Path) -> None:
    rows = [
        {"id": "peer-ctrl", "display_name": "Mallory\x1b[2J\x1b[31mRED\x07\r\n"},
        {"id": "peer-rtl", "display_name": "\u202eevil"},
        {"id": "peer-surrogate", "display_name": "bad \ud800 name"},  # JSON allows a lone surrogate
    ]
    server.set_session("odd", rows)
    shown = session(server=server, session_id="odd")
    assert shown.returncode == 0, shown.stderr
    html, out = tmp_path / "session.html", tmp_path / "session.txt"
    written = session("--html", str(html), "--output", str(out), server=server, session_id="odd")
    assert written.returncode == 0, written.stderr
    text, page = out.read_text(encoding="utf-8"), html.read_text(encoding="utf-8")
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in shown.stdout and raw not in text and raw not in page, repr(raw)
    assert "Mallory\\x1b[2J" in text and "\\u202eevil" in text and "bad \\ud800 name" in text
    assert "\\u202eevil" in page and "bad \\ud800 name" in page


def impossible_report(peer: str) -> dict[str, object]:
    """A demo peer's report whose MOS and RTT are numbers no call has (1e308, and a JSON integer of 400 digits)."""
    body = sessions.peer_report(peer)
    for index, sample in enumerate(body["data"]["participant"]["peer_report"]["quality"]["audio_producer"]):
        sample["mos_quality"] = 1e308
        sample["rtt"] = 10**400 if index % 2 else 1.7e308
    return body


def test_one_report_with_impossible_numbers_does_not_end_the_ranking(server: LocalServer) -> None:
    others = sessions.session_participants(SESSION_ID)[1:3]
    rows = [{"id": "peer-huge", "display_name": "Huge Numbers"}, *others]
    server.enqueue(200, {"success": True, "data": {"participants": rows}})
    server.enqueue(200, impossible_report(sessions.PEER_IDS[0]))  # the first report asked for (--concurrency 1)
    result = session("--concurrency", "1", "--format", "jsonl", server=server, session_id="huge")
    assert result.returncode == 0, result.stderr
    ranked = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(row["peer_id"] for row in ranked) == sorted(["peer-huge", *(row["id"] for row in others)])
    assert all(row["verdict"] in VERDICT_ORDER for row in ranked)


def test_a_time_past_year_9999_in_the_zone_is_shown_as_sent(server: LocalServer) -> None:
    server.set_session("late", [{"id": "peer-late", "display_name": "Late", "joined_at": "9999-12-31T23:59:59Z"}])
    result = session("--tz", "Pacific/Kiritimati", server=server, session_id="late")
    assert result.returncode == 0, result.stderr
    assert "Late" in result.stdout and "23:59:59" in result.stdout
    exported = session("--tz", "Pacific/Kiritimati", "--format", "csv", server=server, session_id="late")
    assert exported.returncode == 0, exported.stderr
    assert "9999-12-31T23:59:59.000+00:00" in exported.stdout


def joined_column(line: str) -> int:
    """Where the 'joined' column starts on screen: the display width of what comes before it (a wide character
    takes two columns)."""
    head = line.split("  joined")[0] if "  joined" in line else line.split("  14:00:00")[0]
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in head)


def test_wide_names_keep_the_columns_aligned_and_one_is_singular(server: LocalServer) -> None:
    joined = "2026-11-20T14:00:00Z"
    wide = {"id": "peer-wide", "display_name": "山田太郎さんの長い名前です山田太郎", "joined_at": joined}
    server.set_session("wide", [wide])
    result = session(server=server, session_id="wide")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Session wide: 1 participant (")
    server.set_session("wide", [wide, {"id": "peer-bob", "display_name": "Bob", "joined_at": joined}])
    lines = session(server=server, session_id="wide").stdout.splitlines()[2:5]
    assert len({joined_column(line) for line in lines}) == 1, lines


def test_exports_carry_names_as_sent_and_csv_defuses_formulas(server: LocalServer) -> None:
    names = ["👩\u200d👩\u200d👧 Zoë", "می\u200cخواهم", "\u200fשלום", "tab\tand\nnewline", '=HYPERLINK("x")', "-2+3"]
    rows = [{"id": f"peer-{i}", "display_name": name, "duration": -2.5} for i, name in enumerate(names)]
    server.set_session("names", rows)
    as_json = session("--format", "json", server=server, session_id="names")
    assert as_json.returncode == 0, as_json.stderr
    exported = {row["peer_id"]: row for row in json.loads(as_json.stdout)}
    assert [exported[f"peer-{i}"]["display_name"] for i in range(len(names))] == names
    assert {row["duration_minutes"] for row in exported.values()} == {-2.5}
    as_csv = session("--format", "csv", server=server, session_id="names")
    cells = {row["peer_id"]: row for row in csv.DictReader(io.StringIO(as_csv.stdout))}
    shown = [cells[f"peer-{i}"]["display_name"] for i in range(len(names))]
    assert shown == [*names[:4], '\'=HYPERLINK("x")', "'-2+3"]
    assert {row["duration_minutes"] for row in cells.values()} == {"-2.5"}  # a number, not text


def test_the_columns_after_joined_stay_aligned_across_midnight(server: LocalServer) -> None:
    rows = [
        {"id": "peer-late", "display_name": "Late", "joined_at": "2026-11-20T23:55:00Z", "duration": 30.0},
        {"id": "peer-early", "display_name": "Early", "joined_at": "2026-11-21T00:10:00Z", "duration": 5.0},
    ]
    server.set_session("midnight", rows)
    result = session(server=server, session_id="midnight")
    assert result.returncode == 0, result.stderr
    header, *body = result.stdout.splitlines()[2:5]
    assert any("2026-11-21 00:10:00" in line for line in body), body
    column = header.index("minutes") + len("minutes")  # right-aligned: every row's minutes end where the header's do
    assert sorted(line[column - 2 : column] for line in body) == [" 5", "30"], [header, *body]


def test_a_long_name_wraps_in_the_html_page(
    server: LocalServer, chromium: str, artifacts: Path, tmp_path: Path
) -> None:
    name = "Dr-" + "x" * 300
    server.set_session("long", [{"id": "peer-long", "display_name": name, "joined_at": "2026-11-20T14:00:00Z"}])
    html = tmp_path / "long.html"
    assert session("--html", str(html), server=server, session_id="long").returncode == 0
    with Browser(chromium, tmp_path / "profile", log=artifacts / "long_name.chromium.log") as browser:
        page = browser.open(html.as_uri())
        page.screenshot(artifacts / "long_name.png")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth") is True
        assert name in page.evaluate("document.querySelector('table.ranked').textContent")


def test_a_log_line_clears_the_progress_line_first() -> None:
    """Before (RTK_LOG=info on a terminal): "…48 of 60 peer reportsrealtimekit: INFO: Retrying…" on one line."""
    from realtimekit_client.cli import common

    screen = Terminal()
    progress = Progress(screen, delay=0.0, every=0.0)
    progress.update(listed=60, fetched=48, force=True)
    handler = common._LogLines(screen)
    handler.emit(logging.LogRecord("realtimekit_client", logging.INFO, __file__, 1, "Retrying", None, None))
    lines = screen.getvalue().split("\r")
    assert lines[-1].startswith("Retrying") and lines[-2].strip() == ""  # cleared, then the log line
    progress.update(fetched=1, force=True)
    assert screen.getvalue().split("\r")[-1].strip() == "realtimekit: 60+ participants, 49 of 60+ peer reports"


def test_session_help_does_not_offer_json() -> None:
    """Before: --help listed --json, and then said it is not offered for a session."""
    shown = run_command("session", "--help").stdout
    assert "--json is not offered here" in shown
    assert "print the API's response body" not in shown
    assert "print the API's response body" in run_command("participant", "--help").stdout
