"""The committed package is exactly what the spec and templates produce, type-checks strictly, and the spec is valid."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from scripts.generator.check_generated import diff_trees
from scripts.generator.generate import GENERATED_HEADER, RUNTIME_HEADER, generate
from scripts.project import GENERATOR, LIBRARY, PACKAGE_DIR, ROOT, RUNTIME, SPEC

GENERATED = PACKAGE_DIR


def load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return spec


def test_golden_tree_matches_a_fresh_generation(tmp_path: Path) -> None:
    fresh = generate(tmp_path)
    diff = diff_trees(fresh, GENERATED)
    assert not diff, "generated/ drifted from the spec or templates (run make generate):\n" + "".join(diff[:80])


def test_a_description_change_touches_only_its_own_lines(tmp_path: Path) -> None:
    old = "Display name of participant when joining the session."
    new = "The name the participant showed to others when joining."
    text = SPEC.read_text(encoding="utf-8")
    # The first use is the Participant schema's (two other schemas say the same in their own lines).
    assert text.index(old) > text.index("\n    Participant:\n")
    spec = tmp_path / "realtimekit.yaml"
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    fresh = generate(tmp_path / "out", spec=spec)
    diff = [line for line in diff_trees(fresh, GENERATED) if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    changed = [line for line in diff_trees(fresh, GENERATED) if line.startswith("+++")]
    assert [name.split()[1] for name in changed] == [
        "regenerated/realtimekit_client/models/participant.py",
        "regenerated/realtimekit_client/provenance.json",
    ]
    assert diff[:2] == [f'-    """ {old} """\n', f'+    """ {new} """\n'], diff
    # The rest is the provenance record of where the (temporary) spec was and its sha256.
    assert all(line[1:].lstrip().startswith(('"spec":', '"spec_sha256":')) for line in diff[2:]), diff


def test_every_module_carries_a_do_not_edit_header_naming_its_source() -> None:
    modules = sorted(GENERATED.rglob("*.py"))
    hand_written = {
        path.relative_to(folder).as_posix(): path for folder in (RUNTIME, LIBRARY) for path in folder.rglob("*.py")
    }
    assert modules and hand_written
    for module in modules:
        name = module.relative_to(GENERATED).as_posix()
        text = module.read_text(encoding="utf-8")
        if name in hand_written:
            # Copied verbatim: the header, then the hand-written file byte for byte.
            source = hand_written[name]
            header = RUNTIME_HEADER.format(source=source.relative_to(GENERATOR).as_posix())
            assert text == header + source.read_text(encoding="utf-8"), name
        else:
            assert text.startswith(GENERATED_HEADER), name


def test_provenance_records_the_spec_and_tool_versions() -> None:
    import hashlib

    record = json.loads((GENERATED / "provenance.json").read_text(encoding="utf-8"))
    assert record["spec_sha256"] == hashlib.sha256(SPEC.read_bytes()).hexdigest()
    assert record["generator"] == "openapi-python-client 0.29.1"
    assert record["formatter"].startswith("ruff ")
    assert (GENERATED / "py.typed").exists()


def test_generated_package_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(GENERATED)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_spec_is_a_valid_openapi_document() -> None:
    validate(load_spec())


def _examples(spec: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(where, example value, schema) for every example attached to a media type in the document."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    for name, example in content.get("examples", {}).items():
                        if "$ref" in example:
                            example = spec["components"]["examples"][example["$ref"].rsplit("/", 1)[-1]]
                        yield f"{method} {path} {status} {media} {name}", example["value"], content["schema"]


EXAMPLES = list(_examples(load_spec()))
EXAMPLE_IDS = [where.split()[2] + "-" + where.split()[-1] for where, _, _ in EXAMPLES]


@pytest.mark.parametrize(
    ("where", "value", "schema"),
    EXAMPLES,
    ids=[e[0].rsplit(" ", 3)[-3] + "-" + e[0].rsplit(" ", 1)[-1] for e in EXAMPLES],
)
def test_every_example_validates_against_its_schema(where: str, value: Any, schema: dict[str, Any]) -> None:
    # The whole document is the root schema so that "#/components/..." references resolve.
    root = {**load_spec(), **schema}
    errors = sorted(Draft202012Validator(root).iter_errors(value), key=str)
    assert not errors, f"{where}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_the_examples_cover_success_and_both_error_shapes() -> None:
    statuses = {where.split()[2] for where, _, _ in EXAMPLES}
    assert {"200", "4XX", "5XX"} <= statuses
    success = next(value for where, value, _ in EXAMPLES if where.split()[2] == "200")
    participant = success["data"]["participant"]
    assert len(participant["quality_stats"]) >= 3 and participant["peer_events"]


def test_check_generated_names_a_file_that_is_only_on_one_side(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "extra.py").write_bytes(b"")
    assert diff_trees(tmp_path / "a", tmp_path / "b") == ["Only in generated/realtimekit_client: extra.py\n"]
