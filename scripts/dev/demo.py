"""`make demo`: a session's participants ranked by call quality, then one bad call in detail, with no Cloudflare
account and no network.

Starts the project's local RealtimeKit stand-in (tests/stand_in/server.py, serving the deterministic demo session of
tests/stand_in/sessions.py) on 127.0.0.1 and runs the `realtimekit` command of this checkout (`python -m
realtimekit_client`, with generated/ first on PYTHONPATH) against it as a user would: `realtimekit session`, then
`realtimekit peer-report` for the first participant whose network was congested. Then it stops the server.
Arguments are passed on to both commands: `python -m scripts.dev.demo --tz Europe/Berlin`.
"""

from __future__ import annotations

import os
import subprocess
import sys

from scripts.project import GENERATED
from tests.stand_in import sessions
from tests.stand_in.ids import ACCOUNT_ID, APP_ID, DEMO_TOKEN
from tests.stand_in.server import LocalServer

DEMO_PEER = next(peer for peer, label in sessions.CAUSES.items() if label == "congestion")
"""The peer report the demo shows: a participant whose network was congested."""


def command_env() -> dict[str, str]:
    """The environment the command runs in: this checkout's package first, the demo token, no real base URL."""
    env = {**os.environ, "CLOUDFLARE_API_TOKEN": DEMO_TOKEN}
    env.pop("CLOUDFLARE_BASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GENERATED), env.get("PYTHONPATH")]))
    return env


def main(argv: list[str]) -> int:
    ids = ["--account-id", ACCOUNT_ID, "--app-id", APP_ID]
    commands = [
        ["session", *ids, "--session-id", sessions.SESSION_ID, *argv],
        ["peer-report", *ids, "--peer-id", DEMO_PEER, "--include-peer-events", *argv],
    ]
    with LocalServer() as server:
        # The banners go to stderr so that stdout is only what the command prints.
        print(f"# Local RealtimeKit stand-in on {server.base_url} (no account, no network needed)", file=sys.stderr)
        for number, command in enumerate(commands):
            if number:
                print(flush=True)  # a blank line between the two views
            shown = f"CLOUDFLARE_API_TOKEN={DEMO_TOKEN} realtimekit {command[0]} --base-url {server.base_url}"
            print(f"# {shown} {' '.join(command[1:])}\n", file=sys.stderr, flush=True)
            program = [sys.executable, "-m", "realtimekit_client", command[0], "--base-url", server.base_url]
            status = subprocess.call([*program, *command[1:]], env=command_env())
            if status:
                return status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
