"""What every view of `realtimekit` shares, run as users run it: the entry points, exports (CSV, JSON Lines, JSON),
--output, --tz, --json with a body the SDK cannot parse, RTK_LOG, sparklines, and the HTML report in a real
headless Chromium."""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import os
import re
import stat
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest
from realtimekit_client.cli import common
from realtimekit_client.cli.charts import Chart, Line, Mark, sparkline, sparklines
from realtimekit_client.cli.common import Clock, Failure, UsageError, write_atomic, write_files
from realtimekit_client.cli.report_html import Page, render

from scripts.project import ROOT
from tests.browser import Browser
from tests.stand_in.ids import ACCOUNT_ID, APP_ID, PARTICIPANT_ID, SESSION_ID, TOKEN
from tests.stand_in.server import LocalServer, example_participant
from tests.support import assert_one_line_failure, run_command

IDS = ["--account-id", ACCOUNT_ID, "--app-id", APP_ID, "--session-id", SESSION_ID, "--participant-id", PARTICIPANT_ID]
UTC = datetime.UTC


def participant(*args: str, server: LocalServer, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_command("participant", *IDS, *args, base_url=server.base_url, env=env)


def example_samples() -> list[tuple[str, dict[str, object]]]:
    """(kind, sample) of every audio and video sample of the example participant."""
    intervals = example_participant()["data"]["participant"]["quality_stats"]
    return [(kind, sample) for i in intervals for kind in ("audio", "video") for sample in i[f"{kind}_stats"]]


# -- entry points ----------------------------------------------------------------------------------------------------


def test_help_lists_the_views_and_version() -> None:
    result = run_command("--help")
    assert result.returncode == 0, result.stderr
    assert "participant" in result.stdout
    assert "CLOUDFLARE_API_TOKEN" in result.stdout
    version = run_command("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("realtimekit (realtimekit-client) ")


@pytest.mark.parametrize("view", ["participant", "peer-report", "session"])
def test_every_view_has_help_with_examples(view: str) -> None:
    result = run_command(view, "--help")
    assert result.returncode == 0, result.stderr
    examples = result.stdout.split("examples:\n", 1)[1]
    assert f"realtimekit {view} --account-id " in examples
    for option in ("--format", "--output", "--html", "--tz", "--base-url", "--timeout", "--max-retries"):
        assert option in result.stdout
    assert "CLOUDFLARE_API_TOKEN" in result.stdout and "RTK_LOG=debug" in result.stdout


def test_no_view_is_a_usage_error() -> None:
    assert_one_line_failure(run_command(), 2, "COMMAND")
    assert_one_line_failure(run_command("teleport"), 2, "invalid choice")


# -- exports ---------------------------------------------------------------------------------------------------------


def test_csv_has_a_header_and_one_plain_row_per_sample(server: LocalServer) -> None:
    result = participant("--format", "csv", server=server)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = example_samples()
    assert len(rows) == len(expected)
    assert list(rows[0])[:4] == ["time", "kind", "quality", "jitter_ms"]
    times = [datetime.datetime.fromisoformat(row["time"]) for row in rows]
    assert all(moment.utcoffset() == datetime.timedelta(0) for moment in times)
    assert times == sorted(times)
    for row in rows:  # every cell is empty, a plain number, an ISO time or a word: no units
        for name, cell in row.items():
            if name.endswith(("_ms", "_percent")) or name in ("quality", "packets_lost", "frame_width"):
                assert cell == "" or math.isfinite(float(cell)), (name, cell)
    first = rows[0]
    assert (first["kind"], float(first["quality"]), float(first["jitter_ms"])) == ("audio", 3.0, 4.0)
    assert first["time"] == "2026-11-20T14:02:11.482+00:00"
    assert float(first["interval_packet_loss_percent"]) == 0.38
    by_kind = {kind: sum(1 for row in rows if row["kind"] == kind) for kind in ("audio", "video")}
    assert by_kind == {kind: sum(1 for k, _ in expected if k == kind) for kind in ("audio", "video")}


def test_jsonl_and_json_hold_the_same_rows_as_csv(server: LocalServer) -> None:
    rows = list(csv.DictReader(io.StringIO(participant("--format", "csv", server=server).stdout)))
    lines = participant("--format", "jsonl", server=server).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    array = json.loads(participant("--format", "json", server=server).stdout)
    assert records == array
    assert len(records) == len(rows)
    assert [r["time"] for r in records] == [r["time"] for r in rows]
    assert records[0]["quality"] == 3 and records[0]["frames_per_second"] is None  # numbers and nulls, not text


def test_events_export(server: LocalServer) -> None:
    result = participant("--include-peer-events", "--rows", "events", "--format", "csv", server=server)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["name"] for row in rows][:4] == ["PEER_CREATED", "precall_begin", "precall_end", "PEER_JOINING"]
    assert {row["source"] for row in rows} == {"peer_event", "stats_event"}
    leaving = next(row for row in rows if row["name"] == "PEER_LEAVING")
    assert float(leaving["minutes_consumed"]) == 30.25


def test_time_zone(server: LocalServer) -> None:
    table = participant("--tz", "Europe/Berlin", server=server)
    assert table.returncode == 0, table.stderr
    assert "joined          2026-11-20 15:02:11 CET" in table.stdout
    assert "(7, in time order, Europe/Berlin)" in participant("--tz", "Europe/Berlin", "--include-peer-events",
                                                              server=server).stdout  # fmt: skip
    rows = list(
        csv.DictReader(io.StringIO(participant("--tz", "Asia/Kolkata", "--format", "csv", server=server).stdout))
    )
    assert rows[0]["time"] == "2026-11-20T19:32:11.482+05:30"
    assert_one_line_failure(participant("--tz", "Mars/Olympus", server=server), 2, "--tz", "Mars/Olympus")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("form", ["json", "jsonl", "csv"])
def test_exports_are_utf8_whatever_stdouts_encoding(server: LocalServer, encoding: str, form: str) -> None:
    body = example_participant()
    body["data"]["participant"]["peer_stats"]["events"][0]["type"] = "précall_begin_张伟"
    server.enqueue(200, body)
    argv = [sys.executable, "-m", "realtimekit_client", "participant", *IDS, "--format", form, "--rows", "events"]
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("CLOUDFLARE_", "RTK_"))}
    environ |= {"PYTHONPATH": str(ROOT / "generated"), "CLOUDFLARE_API_TOKEN": TOKEN, "PYTHONIOENCODING": encoding}
    result = subprocess.run([*argv, "--base-url", server.base_url], env=environ, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")  # not latin-1, not the backslash escape "\\u5f20" JSON would misread
    if form == "json":
        names = [row["name"] for row in json.loads(text)]
    elif form == "jsonl":
        names = [json.loads(line)["name"] for line in text.splitlines()]
    else:
        names = [row["name"] for row in csv.DictReader(io.StringIO(text))]
    assert "précall_begin_张伟" in names


# -- --output --------------------------------------------------------------------------------------------------------


def test_output_writes_the_file_and_nothing_to_stdout(server: LocalServer, tmp_path: Path) -> None:
    target = tmp_path / "samples.csv"
    result = participant("--format", "csv", "--output", str(target), server=server)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("time,kind,")
    assert [p.name for p in tmp_path.iterdir()] == ["samples.csv"]  # no temporary file left


def test_output_dash_is_stdout(server: LocalServer, tmp_path: Path) -> None:
    """Before: a file literally named "-" was written in the working directory."""
    result = run_command(
        "participant", *IDS, "--format", "csv", "--output", "-", base_url=server.base_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("time,kind,") and list(tmp_path.iterdir()) == []


def test_a_failed_call_leaves_the_old_file_alone(server: LocalServer, tmp_path: Path) -> None:
    target = tmp_path / "samples.csv"
    target.write_text("old contents\n", encoding="utf-8")
    server.enqueue(404, {"success": False, "error": {"code": 404, "message": "Participant not found"}})
    assert_one_line_failure(participant("--format", "csv", "--output", str(target), server=server), 1, "404")
    assert target.read_text(encoding="utf-8") == "old contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["samples.csv"]


def test_write_atomic_replaces_whole_files_only(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    write_atomic(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert target.stat().st_mode & 0o777 != 0o600  # not left private like a temporary file
    with pytest.raises(UsageError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "out.txt", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_output_options_that_contradict_each_other(server: LocalServer, tmp_path: Path) -> None:
    same = str(tmp_path / "x")
    assert_one_line_failure(participant("--output", same, "--html", same, server=server), 2, "same file")
    assert_one_line_failure(participant("--json", "--format", "csv", server=server), 2, "--json")
    assert_one_line_failure(participant("--output", str(tmp_path), server=server), 2, "folder")
    assert server.requests == []


# -- --json ----------------------------------------------------------------------------------------------------------


def test_json_prints_a_body_the_sdk_cannot_parse_as_received(server: LocalServer) -> None:
    body = b'{"success": true, "data": {"participant": {"joined_at": 42, "display_name": "Sam"}}}'
    server.enqueue(200, body)
    result = participant("--json", server=server)
    assert result.returncode == 0, result.stderr
    assert result.stdout == body.decode() + "\n"
    assert "does not fit" in result.stderr and len(result.stderr.splitlines()) == 1
    server.enqueue(200, body)  # without --json the same body is a one-line failure naming the path
    assert_one_line_failure(participant(server=server), 1, "cannot parse", "joined_at")


# -- logging ---------------------------------------------------------------------------------------------------------


def test_rtk_log_debug_logs_each_request_without_the_token(server: LocalServer) -> None:
    server.enqueue(503, headers={"Retry-After": "0"})
    result = participant("--json", server=server, env={"RTK_LOG": "debug"})
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("realtimekit: DEBUG: GET ")]
    assert len(lines) == 2, result.stderr
    assert f"/participants/{PARTICIPANT_ID} -> 503 (attempt 1 of 3, " in lines[0]
    assert "-> 200 (attempt 2 of 3, " in lines[1] and lines[1].endswith(" ms)")
    assert "realtimekit: INFO: Retrying GET" in result.stderr
    assert TOKEN not in result.stderr
    quiet = participant("--json", server=server)
    assert quiet.stderr == ""
    assert_one_line_failure(participant(server=server, env={"RTK_LOG": "loud"}), 2, "RTK_LOG")


# -- sparklines ------------------------------------------------------------------------------------------------------


def at(minute: float) -> datetime.datetime:
    return datetime.datetime(2026, 11, 20, 14, 0, tzinfo=UTC) + datetime.timedelta(minutes=minute)


def test_sparkline_shows_the_worst_value_per_column() -> None:
    # 48 columns over 47 minutes: one per minute. Loss is 0 except 10 % in minute 20; two points share minute 30.
    points = [(at(m), 0.0) for m in range(48)] + [(at(20), 10.0), (at(30), 5.0)]
    loss = Chart("packet loss", " %", [Line("audio send", points)])
    line = sparkline(loss, at(0), at(47))
    assert len(line) == 48
    assert line[20] == "█" and line[30] == "▅"
    assert set(line[:20]) == {"▁"}
    mos = Chart("MOS", "", [Line("audio", [(at(0), 4.5), (at(0.2), 1.0), (at(47), 3.0)])], True, (1.0, 5.0))
    spark = sparkline(mos, at(0), at(47))
    assert spark[0] == "▁" and spark[-1] == "▅" and spark[1:-1].strip() == ""  # worst wins; empty columns blank


def test_sparklines_share_one_time_axis_and_name_units() -> None:
    charts = [
        Chart("MOS", "", [Line("audio", [(at(0), 4.4), (at(10), 2.0)])], True, (1.0, 5.0)),
        Chart("RTT", " ms", [Line("audio", [(at(5), 40.0), (at(20), 400.0)])]),
        Chart("jitter", " ms", []),
    ]
    lines = sparklines(charts, Clock(UTC, at(0)))
    assert lines[0].startswith("Over the call (14:00:00-14:20:00 UTC")
    assert "2-4.4, worst 2 at 14:10:00" in lines[1]
    assert "40-400 ms, worst 400 ms at 14:20:00" in lines[2]
    mos, rtt = (line[len("  jitter  ") :][:48] for line in lines[1:3])
    assert (mos[0], mos[-1], rtt[0], rtt[-1]) == ("▇", " ", " ", "█")  # one axis: MOS starts, RTT ends later
    assert lines[3].split() == ["jitter", "no", "samples", "in", "the", "response"]
    ascii_lines = sparklines(charts, Clock(UTC, at(0)), ascii_only=True)
    assert all(ch.isascii() for line in ascii_lines for ch in line)


def test_table_view_has_a_sparkline_per_series(server: LocalServer) -> None:
    result = participant(server=server)
    assert result.returncode == 0, result.stderr
    block = result.stdout.split("Over the call (")[1].split("\n\n")[0].splitlines()[1:]
    assert [line.split()[0] for line in block] == ["quality", "packet", "RTT", "jitter"]
    assert "worst 1.8 % at 14:22:11" in block[1]
    assert "not reported per sample" in block[2]
    ascii_result = participant(server=server, env={"PYTHONIOENCODING": "ascii"})
    assert ascii_result.returncode == 0, ascii_result.stderr
    assert ascii_result.stdout.isascii()


# -- the HTML report in a real browser -------------------------------------------------------------------------------

CHART_FACTS = """[...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  return {measure: svg.dataset.measure, width: box.width, height: box.height,
          lines: [...svg.querySelectorAll('polyline.series')].map(p => [p.dataset.label, p.points.numberOfItems])};
})"""


def check_in_browser(html: Path, chromium: str, artifacts: Path, tmp_path: Path, shot: str) -> list[dict[str, object]]:
    """Load the report, keep a screenshot, and return each chart's size and point counts; asserts the page loaded
    nothing but itself, ran no script and logged no error."""
    with Browser(chromium, tmp_path / "profile", log=artifacts / f"{shot}.chromium.log") as browser:
        page = browser.open(html.as_uri())
        page.screenshot(artifacts / f"{shot}.png")
        charts: list[dict[str, object]] = page.evaluate(CHART_FACTS)
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.images.length") == 0
        assert page.errors == []
        assert page.requests == [html.as_uri()]
    assert (artifacts / f"{shot}.png").read_bytes().startswith(b"\x89PNG")
    for chart in charts:
        assert isinstance(chart["width"], (int, float)) and chart["width"] > 0, chart
        assert isinstance(chart["height"], (int, float)) and chart["height"] > 0, chart
    return charts


def test_participant_html_report_in_chromium(
    server: LocalServer, chromium: str, artifacts: Path, tmp_path: Path
) -> None:
    html = tmp_path / "participant.html"
    result = participant("--include-peer-events", "--html", str(html), server=server)
    assert result.returncode == 0, result.stderr
    assert "Participant: Priya Raman" in result.stdout  # the table view still goes to stdout
    charts = check_in_browser(html, chromium, artifacts, tmp_path, "participant-report")
    counts = {kind: sum(1 for k, _ in example_samples() if k == kind) for kind in ("audio", "video")}
    intervals = len(example_participant()["data"]["participant"]["quality_stats"])
    assert {chart["measure"]: chart["lines"] for chart in charts} == {
        "quality": [["audio", counts["audio"]], ["video", counts["video"]]],
        "packet loss": [["audio", intervals], ["video", intervals]],
        "jitter": [["audio", counts["audio"]], ["video", counts["video"]]],
    }
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org", "")
    assert "Bengaluru" in text and "PEER_LEAVING" in text


def test_html_escapes_what_the_api_sends(server: LocalServer, tmp_path: Path) -> None:
    body = example_participant()
    body["data"]["participant"]["display_name"] = '<img src=x onerror="alert(1)">'
    server.enqueue(200, body)
    html = tmp_path / "p.html"
    assert participant("--html", str(html), server=server).returncode == 0
    text = html.read_text(encoding="utf-8")
    assert "<img" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text


def test_ci_and_make_install_provide_chromium() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make install" in ci and "RTK_REQUIRE_BROWSER=1 make check" in ci
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "install: $(VENV_STAMP) browser" in makefile and "apt-get install -y -qq chromium" in makefile


# -- output files are checked before anything is sent ---------------------------------------------------------------


def test_an_output_that_cannot_be_written_is_a_usage_error_before_sending(server: LocalServer, tmp_path: Path) -> None:
    missing = tmp_path / "nodir" / "x.csv"
    assert_one_line_failure(participant("--format", "csv", "--output", str(missing), server=server), 2, "--output")
    good = tmp_path / "good.html"
    result = participant("--html", str(good), "--format", "csv", "--output", str(missing), server=server)
    assert_one_line_failure(result, 2, "--output", "does not exist")
    assert_one_line_failure(participant("--html", str(tmp_path / "nodir" / "x.html"), server=server), 2, "--html")
    assert_one_line_failure(participant("--format", "csv", "--output", "/proc/version", server=server), 2, "--output")
    assert server.requests == []
    assert list(tmp_path.iterdir()) == []  # good.html was not written by a run that failed


def test_write_files_writes_every_file_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, table = tmp_path / "call.html", tmp_path / "samples.csv"
    page.write_bytes(b"old page")
    stage = common._stage

    def disk_full_on_the_csv(path: Path, data: bytes) -> str:
        if path.name == "samples.csv":
            raise OSError(28, "No space left on device")
        return stage(path, data)

    monkeypatch.setattr(common, "_stage", disk_full_on_the_csv)
    with pytest.raises(Failure, match="No space left on device"):
        write_files([(page, b"new page"), (table, b"new table")])
    assert page.read_bytes() == b"old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["call.html"]


def test_output_through_a_symbolic_link_writes_its_target(server: LocalServer, tmp_path: Path) -> None:
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old\n", encoding="utf-8")
    link.symlink_to(real)
    result = participant("--format", "csv", "--output", str(link), server=server)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("time,kind,")


def test_a_stdout_that_cannot_be_written_is_one_line(server: LocalServer) -> None:
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("CLOUDFLARE_", "RTK_"))}
    environ |= {"PYTHONPATH": str(ROOT / "generated"), "CLOUDFLARE_API_TOKEN": TOKEN}
    argv = [sys.executable, "-m", "realtimekit_client", "participant", *IDS, "--base-url", server.base_url]
    with open("/dev/full", "wb") as full:
        result = subprocess.run(argv, env=environ, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["realtimekit: error: cannot write to stdout: No space left on device"]


# -- options that name the wrong thing -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Europe", "America/", "a" * 300])
def test_a_time_zone_that_is_a_folder_or_too_long_is_a_usage_error(server: LocalServer, name: str) -> None:
    line = assert_one_line_failure(participant("--tz", name, server=server), 2, "--tz", repr(name))
    assert "zoneinfo" not in line and "/usr/" not in line
    assert server.requests == []


def test_a_bad_base_url_is_blamed_on_the_base_url(server: LocalServer) -> None:
    result = run_command("participant", *IDS, base_url=server.base_url + "?a=1")
    line = assert_one_line_failure(result, 2, "--base-url", "query string")
    assert "CLOUDFLARE_API_TOKEN" not in line
    result = run_command("participant", *IDS, env={"CLOUDFLARE_BASE_URL": "http://user:secret@127.0.0.1:1/v4"})
    line = assert_one_line_failure(result, 2, "$CLOUDFLARE_BASE_URL", "user name or password")
    assert "CLOUDFLARE_API_TOKEN" not in line and "secret" not in line
    for bad in ("ftp://127.0.0.1/v4", "http://127.0.0.1:x/v4"):
        line = assert_one_line_failure(run_command("participant", *IDS, env={"CLOUDFLARE_BASE_URL": bad}), 2, bad)
        assert line.startswith("realtimekit: error: $CLOUDFLARE_BASE_URL ") and "--base-url" not in line
        line = assert_one_line_failure(run_command("participant", *IDS, base_url=bad), 2, bad)
        assert line.startswith("realtimekit: error: --base-url ")


def test_an_out_of_range_timeout_is_blamed_on_the_timeout(server: LocalServer) -> None:
    line = assert_one_line_failure(participant("--timeout", "1e10", server=server), 2, "--timeout", "31536000")
    assert "CLOUDFLARE_API_TOKEN" not in line


def test_overwriting_an_output_keeps_its_permissions(server: LocalServer, tmp_path: Path) -> None:
    target, html = tmp_path / "private.csv", tmp_path / "private.html"
    for path in (target, html):
        path.write_text("old\n", encoding="utf-8")
        path.chmod(0o600)
    result = participant("--format", "csv", "--output", str(target), "--html", str(html), server=server)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("time,kind,")
    assert [stat.S_IMODE(path.stat().st_mode) for path in (target, html)] == [0o600, 0o600]


def test_a_200_that_says_success_false_shows_the_apis_message(server: LocalServer) -> None:
    server.enqueue(200, {"success": False, "error": {"code": 1234, "message": "nope"}})
    assert_one_line_failure(participant(server=server), 1, '"success": false', "code 1234", "nope")


def test_huge_numbers_in_a_participant_are_shown_short_or_left_out(server: LocalServer) -> None:
    for huge in (1e308, 10**400):
        body = example_participant()
        body["data"]["participant"]["duration"] = huge
        for interval in body["data"]["participant"]["quality_stats"]:
            interval["average_quality"] = huge
            interval["audio_packet_loss"] = huge
            for sample in interval["audio_stats"]:
                sample["quality"] = huge
        server.enqueue(200, body)
        result = participant(server=server)
        assert result.returncode == 0, result.stderr
        assert max(len(line) for line in result.stdout.splitlines()) < 200


# -- the HTML report's time axis -------------------------------------------------------------------------------------


def chart_page(clock: Clock, first: datetime.datetime, hours: float, marks: list[Mark] | None = None) -> str:
    points = [(first + datetime.timedelta(minutes=m), 4.0) for m in range(0, int(hours * 60) + 1, 5)]
    chart = Chart("MOS", "", [Line("audio send", points)], True, (1.0, 5.0))
    return render(Page("t", "s", clock, charts=[chart], marks=marks or []))


def tick_labels(html: str) -> list[str]:
    first_chart = html.split('<svg class="chart"', 2)[1]
    return re.findall(r'text-anchor="middle">([^<]*)</text>', first_chart)


def test_an_event_decades_away_does_not_squeeze_the_chart() -> None:
    first = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    html = chart_page(Clock(UTC, first), first, 1, [Mark(datetime.datetime(1970, 1, 1, tzinfo=UTC), "bogus")])
    assert len(html) < 50_000
    assert 2 <= len(tick_labels(html)) <= 9
    line = re.search(r'class="series"[^>]* points="([^"]*)"', html)
    assert line is not None
    xs = [float(pair.split(",")[0]) for pair in line.group(1).split()]
    assert xs[-1] - xs[0] > 800  # the samples span the plot
    assert "bogus" in html  # listed in the events table


def test_ticks_across_midnight_and_in_a_half_hour_zone() -> None:
    late = datetime.datetime(2025, 3, 29, 23, 40, tzinfo=UTC)
    labels = tick_labels(chart_page(Clock(UTC, late), late, 0.75))
    assert labels and not any(label.startswith("2025-") for label in labels), labels
    assert "03-30 00:00" in labels
    kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")
    start = datetime.datetime(2026, 11, 20, 8, 10, tzinfo=UTC)
    labels = tick_labels(chart_page(Clock(kolkata, start), start, 6))
    assert labels and all(label.endswith(":00") for label in labels), labels
