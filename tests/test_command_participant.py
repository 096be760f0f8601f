"""`realtimekit participant` run as a user runs it (a subprocess) against the local server, and `make demo`'s runner."""

from __future__ import annotations

import datetime
import json
import socket
import subprocess

import pytest
from realtimekit_client.cli import participant
from realtimekit_client.cli.app import build_parser
from realtimekit_client.cli.common import Clock, Failure
from realtimekit_client.models import ParticipantDetailsResponse

from tests.stand_in.ids import ACCOUNT_ID, APP_ID, PARTICIPANT_ID, SESSION_ID, TOKEN
from tests.stand_in.server import LocalServer, cloudflare_error, example_participant, realtimekit_error
from tests.support import assert_one_line_failure, run_command

IDS = ["--account-id", ACCOUNT_ID, "--app-id", APP_ID, "--session-id", SESSION_ID, "--participant-id", PARTICIPANT_ID]


def run(
    *args: str, base_url: str | None = None, token: str | None = TOKEN, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_command("participant", *args, base_url=base_url, token=token, env=env)


def test_summary_shows_every_section(server: LocalServer) -> None:
    result = run(*IDS, "--include-peer-events", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    expected = [
        # who and when
        "Participant: Priya Raman",
        PARTICIPANT_ID,
        SESSION_ID,
        "b8e2f5a0-4c1d-4e3b-9a7f-2d6c8e1f0a93",  # the peer id
        "support-agent-4471",
        "group_call_host",
        "joined          2026-11-20 14:02:11 UTC",
        "left            2026-11-20 14:32:26 UTC",
        "30 min 15 s",
        # device and browser
        "Chrome 131.0.6778.86 (Blink)",
        "macOS 14.6.1, desktop, 8 CPUs, 16 GB memory",
        # location and network
        "Bengaluru, Karnataka, IN (Asia/Kolkata)",
        "203.0.113.42, AS24560 Bharti Airtel Ltd.",
        "pre-call RTT     38.5 ms (backend 41.7 ms)",
        "pre-call jitter  3.2 ms",
        "pre-call loss    0.4 %",
        "STUN yes, relay yes, TURN yes",
        # quality over the session
        "average quality    3.37 (lowest interval 2.59 at 14:02:11-14:12:11)",
        "audio quality      average 3, worst 2 at 14:12:11",
        "video quality      average 3.17, worst 2 at 14:02:11",
        "audio packet loss  average 0.697 %, worst 1.16 % at 14:22:11-14:32:11",
        "video packet loss  average 0.83 %, worst 1.8 % at 14:22:11-14:32:11",
        "14:02:11-14:12:11  quality 2.59",
    ]
    for fragment in expected:
        assert fragment in out, fragment
    # the worst intervals come lowest quality first
    worst = out.split("worst intervals")[1]
    assert worst.index("quality 2.59") < worst.index("quality 3.69") < worst.index("quality 3.84")
    # peer events and stats events in time order
    events = out.split("Peer events")[1]
    order = ["PEER_CREATED", "precall_begin", "precall_end", "PEER_JOINING", "PEER_LEAVING"]
    positions = [events.index(name) for name in order]
    assert positions == sorted(positions)
    # the request: the token from the environment, the flag on the wire
    request = server.last_request
    assert request.valid, request.errors
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert "include_peer_events=true" in request.query


def test_json_prints_the_raw_body(server: LocalServer) -> None:
    result = run(*IDS, "--json", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == example_participant()
    assert "include_peer_events=true" not in server.last_request.query


def test_base_url_from_the_environment(server: LocalServer) -> None:
    result = run(*IDS, "--json", env={"CLOUDFLARE_BASE_URL": server.base_url})
    assert result.returncode == 0, result.stderr
    assert server.requests


def test_one_filter_goes_on_the_wire(server: LocalServer) -> None:
    result = run(*IDS, "--filters", "events", "--json", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert server.last_request.valid
    assert "filters=events" in server.last_request.query


def test_several_filters_go_as_one_comma_list(server: LocalServer) -> None:
    result = run(*IDS, "--filters", "device_info, events", "--json", base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert "filters=device_info,events" in server.last_request.query


def test_401_is_one_line(server: LocalServer) -> None:
    server.enqueue(401, cloudflare_error(10000, "Authentication error"))
    line = assert_one_line_failure(run(*IDS, base_url=server.base_url), 1, "401", "Authentication error")
    assert "CLOUDFLARE_API_TOKEN" in line
    assert TOKEN not in line


def test_404_is_one_line(server: LocalServer) -> None:
    server.enqueue(404, realtimekit_error(404, "Participant not found"))
    assert_one_line_failure(run(*IDS, base_url=server.base_url), 1, "404", "Participant not found", "check the")


def test_429_after_retries_is_one_line(server: LocalServer) -> None:
    for _ in range(3):  # the first try and two retries
        server.enqueue(429, cloudflare_error(971, "Please wait and consider throttling"), headers={"Retry-After": "0"})
    result = run(*IDS, "--max-retries", "2", "--json", base_url=server.base_url)
    assert_one_line_failure(result, 1, "429", "rate limited")


def test_server_error_is_one_line(server: LocalServer) -> None:
    server.enqueue(500, realtimekit_error(500, "Internal server error"), headers={"Retry-After": "0"})
    server.enqueue(500, realtimekit_error(500, "Internal server error"), headers={"Retry-After": "0"})
    assert_one_line_failure(run(*IDS, "--max-retries", "1", base_url=server.base_url), 1, "500")


@pytest.mark.parametrize("status", [502, 520])
def test_edge_html_error_is_one_line(server: LocalServer, status: int) -> None:
    for _ in range(2):
        server.enqueue(status, "<html><body>Bad gateway</body></html>", headers={"Retry-After": "0"})
    result = run(*IDS, "--max-retries", "1", base_url=server.base_url)
    assert_one_line_failure(result, 1, f"HTTP {status}", "server error", "Bad gateway", "cf-ray")


def test_a_body_that_is_not_json_is_one_line(server: LocalServer) -> None:
    server.enqueue(200, b"{truncated")
    assert_one_line_failure(run(*IDS, base_url=server.base_url), 1, "cannot parse response", "not JSON")


def test_timeout_is_one_line(server: LocalServer) -> None:
    server.enqueue(200, delay=2.0)
    result = run(*IDS, "--timeout", "0.3", "--max-retries", "0", base_url=server.base_url)
    assert_one_line_failure(result, 1, "timed out", "127.0.0.1")


def test_connection_refused_is_one_line() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run(*IDS, "--max-retries", "0", base_url=f"http://127.0.0.1:{port}/client/v4")
    assert_one_line_failure(result, 1, "cannot reach", f"127.0.0.1:{port}")


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--session-id", "", "must not be empty"),
        ("--participant-id", "..", "is not an id"),
        ("--participant-id", "a/b", "is not an id"),
        ("--session-id", "has space", "must not contain spaces"),
        ("--account-id", "0" * 33, "at most 32"),
        ("--app-id", "a" * 40, "at most 32"),
    ],
)
def test_bad_ids_are_refused_before_sending(server: LocalServer, option: str, value: str, fragment: str) -> None:
    args = list(IDS)
    args[args.index(option) + 1] = value
    assert_one_line_failure(run(*args, base_url=server.base_url), 2, option, fragment)
    assert server.requests == []


@pytest.mark.parametrize("filters", ["bogus", "events,nope", " , "])
def test_bad_filters_are_refused_before_sending(server: LocalServer, filters: str) -> None:
    assert_one_line_failure(run(*IDS, "--filters", filters, base_url=server.base_url), 2, "--filters")
    assert server.requests == []


def test_usage_errors_are_one_line(server: LocalServer) -> None:
    assert_one_line_failure(run("--account-id", ACCOUNT_ID, base_url=server.base_url), 2, "required")
    assert_one_line_failure(run(*IDS, "--base-url", "ftp://example.com"), 2, "http(s) URL")
    assert_one_line_failure(run(*IDS, "--timeout", "0", base_url=server.base_url), 2, "--timeout")
    # no way to put the token on the command line
    assert_one_line_failure(run(*IDS, "--token", TOKEN, base_url=server.base_url), 2, "unrecognized")
    assert server.requests == []


def test_missing_token_is_one_line(server: LocalServer) -> None:
    assert_one_line_failure(run(*IDS, base_url=server.base_url, token=None), 2, "CLOUDFLARE_API_TOKEN")
    assert_one_line_failure(run(*IDS, base_url=server.base_url, token="  "), 2, "CLOUDFLARE_API_TOKEN")
    line = assert_one_line_failure(run(*IDS, base_url=server.base_url, token="bad token"), 2, "CLOUDFLARE_API_TOKEN")
    assert "bad token" not in line  # the SDK refuses it without echoing the secret
    assert server.requests == []


def test_help_mentions_the_token_variable() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "CLOUDFLARE_API_TOKEN" in result.stdout


# -- the summary with sparse or odd data (in process) ---------------------------------------------------------------


def summarize(body: dict[str, object]) -> str:
    args = build_parser().parse_args(["participant", *IDS])
    p = participant.participant_of(ParticipantDetailsResponse.from_dict(body))
    return participant.summary(p, args, Clock(datetime.UTC, datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)))


def test_summary_of_a_sparse_participant() -> None:
    out = summarize({"success": True, "data": {"participant": {"display_name": "Sam", "duration": 1.5}}})
    assert "Participant: Sam" in out
    assert "1 min 30 s" in out
    assert "Device and browser: not in the response" in out
    assert "Location and network: not in the response" in out
    assert "Call quality: not in the response" in out
    assert "--include-peer-events" in out


def test_summary_survives_odd_values() -> None:
    body = example_participant()
    p = body["data"]["participant"]
    p.pop("duration")  # computed from joined_at / left_at instead
    p["quality_stats"][0]["average_quality"] = None  # a null where a number belongs
    p["quality_stats"][1]["audio_stats"] = []
    p["quality_stats"][2]["video_packet_loss"] = float("nan")  # Python's JSON reader accepts NaN
    p["peer_stats"]["precall_network_information"] = {"rtt": 12}
    p["peer_events"][0]["event_name"] = "PEER_TELEPORTED"  # an unknown enum value, kept raw
    p["peer_events"][1]["created_at"] = None
    out = summarize(body)
    assert "30 min 15 s" in out
    assert "pre-call RTT  12 ms" in out
    assert "PEER_TELEPORTED" in out
    assert "nan" not in out
    assert out.rstrip().endswith("PEER_JOINING      view GROUP_CALL")  # events without a time go last


def test_summary_without_a_participant_fails() -> None:
    with pytest.raises(Failure):
        summarize({"success": True, "data": {}})


def test_include_peer_events_is_sent_only_when_asked_for(server: LocalServer) -> None:
    assert run(*IDS, "--json", base_url=server.base_url).returncode == 0
    assert "include_peer_events" not in server.last_request.query
    assert run(*IDS, "--json", "--include-peer-events", base_url=server.base_url).returncode == 0
    assert server.last_request.query == "include_peer_events=true"


def test_control_characters_from_the_api_are_shown_escaped(server: LocalServer) -> None:
    body = example_participant()
    body["data"]["participant"]["display_name"] = "Eve\x1b[2J\nroot"
    server.enqueue(200, body)
    result = run(*IDS, base_url=server.base_url)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "Participant: Eve\\x1b[2J\\nroot" in result.stdout
    server.enqueue(404, realtimekit_error(404, "gone\x1b[31m red"))
    line = assert_one_line_failure(run(*IDS, base_url=server.base_url), 1, "404", "gone\\x1b[31m red")
    assert "\x1b" not in line


@pytest.mark.parametrize("base_url", ["http://[::1", "http://host:port/v4"])
def test_a_malformed_base_url_is_a_usage_error(base_url: str) -> None:
    assert_one_line_failure(run(*IDS, "--base-url", base_url), 2, "--base-url is not a valid URL")


def test_one_interval_reads_as_one(server: LocalServer) -> None:
    body = example_participant()
    body["data"]["participant"]["quality_stats"] = body["data"]["participant"]["quality_stats"][:1]
    server.enqueue(200, body)
    result = run(*IDS, base_url=server.base_url)
    assert "Call quality (1 interval, 14:02:11-14:12:11 UTC;" in result.stdout, result.stdout
