"""Every ```python block in README.md runs, as written, against the local server.

The examples use the client's defaults, so the test points them at the server through the environment variables
the client reads (CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN) and runs each block as its own fresh module."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TOKEN
from local_server import LocalServer
from wire_support import patch_sleep

README = Path(__file__).resolve().parent.parent / "README.md"
_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[int, str]]:
    """(line number, code) of every ```python block."""
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start()) + 1, match.group(1)) for match in _BLOCK.finditer(text)]


BLOCKS = python_blocks()


def test_the_readme_documents_errors_retries_timeouts_and_raw_responses() -> None:
    text = README.read_text(encoding="utf-8")
    for heading in ("## Errors", "## Retries", "## Timeouts", "## Raw responses"):
        assert f"\n{heading}\n" in text, heading
        section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
        assert "```python" in section, f"{heading} has no python example"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Examples may call logging.basicConfig(): leave the root logger as it was."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_readme_example_runs(
    line: int, code: str, server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    patch_sleep(monkeypatch)
    # Padded so that a traceback points at the README's own line numbers.
    exec(compile("\n" * line + code, str(README), "exec"), {"__name__": "__readme__"})  # noqa: S102 - our own documentation
    assert TOKEN not in capsys.readouterr().out
    assert all(request.valid for request in server.requests), [r.errors for r in server.requests]
