"""`make demo`: show a participant's call quality with no Cloudflare account and no network.

Starts the project's local RealtimeKit stand-in (tests/stand_in/server.py) on 127.0.0.1 and runs the `realtimekit`
command of this checkout (`python -m realtimekit_client`, with generated/ first on PYTHONPATH) against it as a user
would, then stops the server. Arguments are passed on to the command: `python -m scripts.dev.demo --json` shows the
raw JSON instead.
"""

from __future__ import annotations

import os
import subprocess
import sys

from scripts.project import GENERATED
from tests.stand_in.ids import ACCOUNT_ID, APP_ID, DEMO_TOKEN
from tests.stand_in.server import LocalServer, example_participant


def demo_ids() -> tuple[str, str]:
    """(session id, participant id) of the example participant, read from its peer events."""
    events = example_participant()["data"]["participant"].get("peer_events") or [{}]
    session_id = events[0].get("session_id") or "3c9f1e7a-58b2-4d6e-b0a4-7e2d91c5f386"
    participant_id = events[0].get("participant_id") or "e1a7c3f9-2b6d-4d80-8f15-6c9b0e4a7d21"
    return session_id, participant_id


def command_env() -> dict[str, str]:
    """The environment the command runs in: this checkout's package first, the demo token, no real base URL."""
    env = {**os.environ, "CLOUDFLARE_API_TOKEN": DEMO_TOKEN}
    env.pop("CLOUDFLARE_BASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GENERATED), env.get("PYTHONPATH")]))
    return env


def main(argv: list[str]) -> int:
    session_id, participant_id = demo_ids()
    ids = ["--account-id", ACCOUNT_ID, "--app-id", APP_ID, "--session-id", session_id]
    command = ["participant", *ids, "--participant-id", participant_id, "--include-peer-events", *argv]
    with LocalServer() as server:
        # The banner goes to stderr so that `--json` output stays pipeable.
        print(f"# Local RealtimeKit stand-in on {server.base_url} (no account, no network needed)", file=sys.stderr)
        shown = f"CLOUDFLARE_API_TOKEN={DEMO_TOKEN} realtimekit {command[0]} --base-url {server.base_url}"
        print(f"# {shown} {' '.join(command[1:])}\n", file=sys.stderr)
        argv_ = [sys.executable, "-m", "realtimekit_client", command[0], "--base-url", server.base_url, *command[1:]]
        return subprocess.call(argv_, env=command_env())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
