"""`realtimekit peer-report` against the stand-in's demo session: the table view states what
realtimekit_client.analysis finds (verdicts, worst periods, causes), the exports hold analysis.samples row by row,
and the HTML report draws them (in headless Chromium)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
from collections import Counter
from pathlib import Path

from realtimekit_client import analysis
from realtimekit_client.models import PeerReportResponse

from tests.browser import Browser
from tests.stand_in import sessions
from tests.stand_in.ids import ACCOUNT_ID, APP_ID
from tests.stand_in.server import LocalServer, realtimekit_error
from tests.support import assert_one_line_failure, run_command

CONGESTED = next(peer for peer, label in sessions.CAUSES.items() if label == "congestion")
NO_QUALITY = next(peer for peer, label in sessions.CAUSES.items() if label == "no_quality")
FIREWALL = next(peer for peer, label in sessions.CAUSES.items() if label == "firewall")


def peer_report(peer_id: str, *args: str, server: LocalServer) -> subprocess.CompletedProcess[str]:
    ids = ["--account-id", ACCOUNT_ID, "--app-id", APP_ID, "--peer-id", peer_id]
    return run_command("peer-report", *ids, *args, base_url=server.base_url)


def report_of(peer_id: str) -> PeerReportResponse:
    return PeerReportResponse.from_dict(sessions.peer_report(peer_id, include_peer_events=True))


def stream(kind: str, direction: str) -> str:
    return f"{kind.replace('_', ' ')} {direction}"


def test_notes_use_the_chosen_time_zone(server: LocalServer, tmp_path: Path) -> None:
    mic_off = next(peer for peer, label in sessions.CAUSES.items() if label == "mic_off")
    html = tmp_path / "mic.html"
    result = peer_report(mic_off, "--tz", "Asia/Kolkata", "--html", str(html), server=server)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("Note: microphone off from")]
    assert len(notes) == 1 and notes[0].count(" IST") == 2 and "UTC" not in notes[0], notes
    assert notes[0].removeprefix("Note: ") in html.read_text(encoding="utf-8")


def test_table_view_states_the_diagnosis(server: LocalServer) -> None:
    result = peer_report(CONGESTED, "--include-peer-events", server=server)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    diagnosis = analysis.diagnose(report_of(CONGESTED))
    assert out.startswith(f"Peer report: {diagnosis.display_name}\n")
    assert f"Verdict: {diagnosis.overall}" in out
    for code in diagnosis.causes:
        assert analysis.CAUSES[code] in out
    for quality in diagnosis.streams:
        assert f"{stream(quality.kind, quality.direction)}" in out
        assert f"({quality.samples} samples)" in out
    assert diagnosis.problems, "the congested call has bad periods"
    worst = diagnosis.problems[0]
    periods = out.split("Worst periods")[1].split("\n\n")[0]
    assert periods.splitlines()[1].endswith(f": {worst.what}")
    assert " ".join(periods.split()).count(f"likely cause: {analysis.CAUSES[worst.cause]}. {worst.explanation}") == 1
    sparks = out.split("Over the call (")[1].split("\n\n")[0].splitlines()[1:]
    assert [line.split()[0] for line in sparks] == ["MOS", "packet", "RTT", "jitter"]
    assert sparks[1].rstrip().split(" at ")[0].endswith("%") and " ms, worst " in sparks[2]
    for fact in ("Device and browser", "Location and network", "sending via", "receiving via", "PEER_JOINING"):
        assert fact in out, fact


def test_a_report_without_quality_says_so(server: LocalServer) -> None:
    result = peer_report(NO_QUALITY, server=server)
    assert result.returncode == 0, result.stderr
    assert "Verdict: no data" in result.stdout
    assert "Over the call" not in result.stdout  # no sparklines without samples


def test_a_relayed_tcp_connection_shows_in_the_network_facts(server: LocalServer) -> None:
    out = peer_report(FIREWALL, server=server).stdout
    via = next(line for line in out.splitlines() if "sending via" in line)
    assert "relay tcp ->" in via and " ms" in via and "kbit/s" in via


def test_without_a_nominated_pair_the_network_facts_show_the_pair_the_diagnosis_judged(server: LocalServer) -> None:
    body = sessions.peer_report(FIREWALL, include_peer_events=False)
    pairs = body["data"]["participant"]["peer_report"]["metadata"]["candidate_pairs"]
    for transport in pairs.values():
        for pair in transport or []:
            pair["nominated"] = False
    server.enqueue(200, body)
    out = peer_report(FIREWALL, server=server).stdout
    assert analysis.CAUSES["firewall_relay_tcp"] in out
    assert "The nominated" not in out and "none nominated" in " ".join(out.split())
    via = next(line for line in out.splitlines() if "sending via" in line)
    assert "relay tcp ->" in via and "none nominated: the pair that carried the most bytes" in via


def test_csv_holds_every_sample_as_analysis_reads_them(server: LocalServer) -> None:
    result = peer_report(CONGESTED, "--format", "csv", server=server)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    samples = sorted(analysis.samples(report_of(CONGESTED)), key=lambda s: (s.time, s.kind, s.direction))
    assert len(rows) == len(samples) > 100
    assert list(rows[0]) == ["time", "kind", "direction", "mos", "packet_loss_percent", "rtt_ms", "jitter_ms"]
    for row, sample in zip(rows, samples, strict=True):
        assert datetime.datetime.fromisoformat(row["time"]) == sample.time
        assert (row["kind"], row["direction"]) == (sample.kind, sample.direction)
        for column, value in (("mos", sample.mos), ("packet_loss_percent", sample.packet_loss),
                              ("rtt_ms", sample.rtt), ("jitter_ms", sample.jitter)):  # fmt: skip
            assert (float(row[column]) if row[column] else None) == value, (column, row)


def test_jsonl_events(server: LocalServer) -> None:
    result = peer_report(CONGESTED, "--include-peer-events", "--rows", "events", "--format", "jsonl", server=server)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    body = sessions.peer_report(CONGESTED, include_peer_events=True)["data"]["participant"]
    expected = len(body["peer_events"]) + len(body["peer_report"]["metadata"]["events"])
    assert len(events) == expected
    assert Counter(e["source"] for e in events) == {
        "peer_event": len(body["peer_events"]),
        "report_event": len(body["peer_report"]["metadata"]["events"]),
    }
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    assert any(e["name"] == "media_permission" and "audio=granted" in (e["details"] or "") for e in events)


def test_json_is_the_body_as_received_and_the_flag_goes_on_the_wire(server: LocalServer) -> None:
    result = peer_report(CONGESTED, "--json", "--include-peer-events", server=server)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == sessions.peer_report(CONGESTED, include_peer_events=True)
    assert server.last_request.query == "include_peer_events=true"
    assert server.last_request.valid


def test_failures_are_one_line(server: LocalServer) -> None:
    assert_one_line_failure(peer_report("no-such-peer", server=server), 1, "404", "Peer not found")
    server.enqueue(403, realtimekit_error(403, "Forbidden"))
    assert_one_line_failure(peer_report(CONGESTED, server=server), 1, "permission denied")
    assert_one_line_failure(peer_report("a/b", server=server), 2, "--peer-id")


def test_peer_report_html_in_chromium(server: LocalServer, chromium: str, artifacts: Path, tmp_path: Path) -> None:
    html = tmp_path / "peer-report.html"
    result = peer_report(CONGESTED, "--include-peer-events", "--html", str(html), server=server)
    assert result.returncode == 0, result.stderr
    report = report_of(CONGESTED)
    samples, diagnosis = analysis.samples(report), analysis.diagnose(report)
    with Browser(chromium, tmp_path / "profile", log=artifacts / "peer-report.chromium.log") as browser:
        page = browser.open(html.as_uri())
        page.screenshot(artifacts / "peer-report.png")
        charts = page.evaluate(
            """[...document.querySelectorAll('svg.chart')].map(svg => {
              const box = svg.getBoundingClientRect();
              return {measure: svg.dataset.measure, width: box.width, height: box.height,
                      periods: svg.querySelectorAll('rect.period').length,
                      lines: Object.fromEntries([...svg.querySelectorAll('polyline.series')]
                                                .map(p => [p.dataset.label, p.points.numberOfItems]))};
            })"""
        )
        marks = page.evaluate("document.querySelectorAll('svg.timeline text').length")
        assert page.errors == []
        assert page.requests == [html.as_uri()]
        assert page.evaluate("document.scripts.length") == 0
    assert (artifacts / "peer-report.png").read_bytes().startswith(b"\x89PNG")
    assert [chart["measure"] for chart in charts] == ["MOS", "packet loss", "RTT", "jitter"]
    for chart, attribute in zip(charts, ("mos", "packet_loss", "rtt", "jitter"), strict=True):
        assert chart["width"] > 0 and chart["height"] > 0, chart
        assert chart["periods"] == len(diagnosis.problems)
        expected = Counter(stream(s.kind, s.direction) for s in samples if getattr(s, attribute) is not None)
        assert chart["lines"] == dict(expected), chart["measure"]
    body = sessions.peer_report(CONGESTED, include_peer_events=True)["data"]["participant"]
    assert marks == len(body["peer_events"]) + len(body["peer_report"]["metadata"]["events"])


def test_a_200_that_says_success_false_shows_the_apis_message(server: LocalServer) -> None:
    server.enqueue(200, {"success": False, "error": {"code": 1234, "message": "nope"}})
    assert_one_line_failure(peer_report(CONGESTED, server=server), 1, '"success": false', "code 1234", "nope")


def test_exports_carry_the_servers_text_and_numbers_as_sent(server: LocalServer) -> None:
    body = sessions.peer_report(CONGESTED)
    report = body["data"]["participant"]["peer_report"]
    report["quality"]["audio_producer"][0]["rtt"] = 73
    report["quality"]["audio_producer"][1]["jitter"] = 12345678901234567890
    name, details = "hand\u200draise", "می\u200cخواهم\u200f\tsecond line\nend"
    report["metadata"]["events"].append({"name": name, "timestamp": "2026-11-20T14:10:00Z", "metadata": {"n": details}})
    server.enqueue(200, body)
    samples = peer_report(CONGESTED, "--format", "json", server=server)
    assert samples.returncode == 0, samples.stderr
    rows = json.loads(samples.stdout)
    assert any(type(row["rtt_ms"]) is int and row["rtt_ms"] == 73 for row in rows)  # as sent, not 73.0
    assert [row["jitter_ms"] for row in rows].count(12345678901234567890) == 1  # exact, not 1.2345678901234567e19
    for form in ("json", "csv"):
        server.enqueue(200, body)
        result = peer_report(CONGESTED, "--format", form, "--rows", "events", server=server)
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout) if form == "json" else list(csv.DictReader(io.StringIO(result.stdout)))
        event = next(
            row for row in rows if row["source"] == "report_event" and row["time"].startswith("2026-11-20T14:10")
        )
        assert (event["name"], event["details"]) == (name, f"n={details}")
    server.enqueue(200, body)
    table = peer_report(CONGESTED, "--include-peer-events", server=server)
    assert "hand\\u200draise" in table.stdout and "\\t" in table.stdout  # the terminal gets them escaped


def test_csv_text_cells_that_look_like_formulas_are_defused(server: LocalServer) -> None:
    body = sessions.peer_report(CONGESTED)
    formulas = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1"]  # (text mode reads \r as \n)
    body["data"]["participant"]["peer_report"]["metadata"]["events"] = [
        {"name": formula, "timestamp": f"2026-11-20T14:1{i}:00Z"} for i, formula in enumerate(formulas)
    ]
    server.enqueue(200, body)
    result = peer_report(CONGESTED, "--format", "csv", "--rows", "events", server=server)
    assert result.returncode == 0, result.stderr
    names = [row["name"] for row in csv.DictReader(io.StringIO(result.stdout)) if row["source"] == "report_event"]
    assert names == ["'" + formula for formula in formulas]
    server.enqueue(200, body)
    as_json = json.loads(peer_report(CONGESTED, "--format", "json", "--rows", "events", server=server).stdout)
    assert [row["name"] for row in as_json if row["source"] == "report_event"] == formulas  # JSON is not a sheet
