"""Helpers shared by the wire, retry and error tests: one call site for the four endpoint functions, and a recorder
that replaces the retry loop's sleep so tests see the waits without spending them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import realtimekit_client.client as client_module
from realtimekit_client import AuthenticatedClient
from realtimekit_client.api.sessions import get_participant_details

from scripts.project import ROOT
from tests.stand_in.ids import TOKEN

MODES = ["sync", "async"]


async def fetch(mode: str, client: AuthenticatedClient, *ids: Any, detailed: bool = False, **kwargs: Any) -> Any:
    """Call sync()/sync_detailed() or asyncio()/asyncio_detailed() with the same arguments."""
    if mode == "sync":
        function = get_participant_details.sync_detailed if detailed else get_participant_details.sync
        return function(*ids, client=client, **kwargs)
    coroutine = get_participant_details.asyncio_detailed if detailed else get_participant_details.asyncio
    return await coroutine(*ids, client=client, **kwargs)


class SleepRecorder:
    """Stands in for time.sleep / anyio.sleep in the retry loop: records each wait, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def patch_sleep(monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    recorder = SleepRecorder()
    monkeypatch.setattr(client_module, "_sleep", recorder.sleep)
    monkeypatch.setattr(client_module, "_async_sleep", recorder.async_sleep)
    return recorder


def free_port() -> int:
    """A port nothing listens on (bound then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def run_command(
    *args: str,
    base_url: str | None = None,
    token: str | None = TOKEN,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m realtimekit_client ARGS --base-url BASE_URL` as a user runs it, with this checkout's package (in
    ``cwd``, by default the project's root)."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("CLOUDFLARE_", "RTK_"))}
    environ["PYTHONPATH"] = str(ROOT / "generated")
    if token is not None:
        environ["CLOUDFLARE_API_TOKEN"] = token
    environ.update(env or {})
    argv = [sys.executable, "-m", "realtimekit_client", *args] + (["--base-url", base_url] if base_url else [])
    return subprocess.run(argv, env=environ, capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT)


def assert_one_line_failure(result: subprocess.CompletedProcess[str], status: int, *fragments: str) -> str:
    """The command failed with this status and one line on stderr holding every fragment; nothing on stdout."""
    assert result.returncode == status, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]
