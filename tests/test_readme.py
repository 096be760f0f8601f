"""The README: the two commands first, the sections in order, every ```python block passes `mypy --strict` and runs,
as written, against the local server.

The examples use the client's defaults, so the test points them at the server through the environment variables
the client reads (CLOUDFLARE_BASE_URL, CLOUDFLARE_API_TOKEN) and runs each block as its own fresh module."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.project import ROOT
from tests.stand_in.ids import TOKEN
from tests.stand_in.server import LocalServer
from tests.support import patch_sleep

README = ROOT / "README.md"
_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[int, str]]:
    """(line number, code) of every ```python block."""
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start()) + 1, match.group(1)) for match in _BLOCK.finditer(text)]


BLOCKS = python_blocks()


SECTIONS = [
    "Install",
    "Usage",
    "Arguments",
    "Errors",
    "Retries and timeouts",
    "Raw responses",
    "Testing code that uses the SDK",
    "The command",
    "Regenerating after a spec change",
    "Versioning",
    "Generated and hand-written files",
    "Benchmark",
]


def test_the_two_commands_come_first() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert [line.split()[:2] for line in first_block] == [["make", "demo"], ["make", "test"]]
    assert text.index("make demo") < text.index("\n## ")


def test_sections_are_in_order_and_the_usage_ones_have_examples() -> None:
    text = README.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    found = [next(h for h in headings if h.startswith(section)) for section in SECTIONS]
    assert [headings.index(h) for h in found] == sorted(headings.index(h) for h in found)
    for heading in ("Usage", "Arguments", "Errors", "Retries and timeouts", "Raw responses", "Testing code"):
        section = text.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
        assert "```python" in section, f"{heading} has no python example"
    assert any("MockTransport" in code for _, code in BLOCKS)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Examples may call logging.basicConfig() or set the SDK's level: leave both loggers as they were."""
    root, sdk = logging.getLogger(), logging.getLogger("realtimekit_client")
    handlers, level, sdk_level = root.handlers[:], root.level, sdk.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    sdk.setLevel(sdk_level)


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


def test_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """Each block as its own module, checked with the project's mypy settings; errors point at README lines."""
    files = []
    for line, code in BLOCKS:
        path = tmp_path / f"readme_line_{line}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"), *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = re.sub(
        r"\S*readme_line_(\d+)\.py:(\d+)", lambda m: f"README.md:{int(m[1]) + int(m[2])}", result.stdout + result.stderr
    )
    assert result.returncode == 0, report
    assert f"no issues found in {len(files)} source files" in result.stdout
