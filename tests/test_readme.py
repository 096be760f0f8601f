"""The README: its section order (issue 6) and every ```python example, run against the local server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TOKEN
from local_server import LocalServer

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")
EXAMPLES = re.findall(r"^```python\n(.*?)^```", TEXT, flags=re.MULTILINE | re.DOTALL)
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
    first_block = TEXT.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert [line.split()[:2] for line in first_block] == [["make", "demo"], ["make", "test"]]
    assert TEXT.index("make demo") < TEXT.index("## ")


def test_sections_are_in_the_issues_order() -> None:
    headings = re.findall(r"^## (.+)$", TEXT, flags=re.MULTILINE)
    found = [next(h for h in headings if h.startswith(section)) for section in SECTIONS]
    assert [headings.index(h) for h in found] == sorted(headings.index(h) for h in found)


def test_there_are_examples() -> None:
    assert any("MockTransport" in example for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_python_example_runs(example: str, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.base_url)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
    exec(compile(example, str(README), "exec"), {"__name__": "__readme__"})
