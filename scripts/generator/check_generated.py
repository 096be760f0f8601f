"""Regenerate into a temporary folder and compare it with generated/, byte for byte.

Exits non-zero and prints a unified diff when they differ, so a hand edit of generated/ or a spec or template
change without `make generate` never goes unnoticed.
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

from scripts.generator.generate import generate
from scripts.project import PACKAGE, PACKAGE_DIR


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Differences between two package trees, as unified-diff lines (empty when identical)."""
    want, have = tree(expected), tree(actual)
    lines: list[str] = []
    for name in sorted(want.keys() | have.keys()):
        a, b = have.get(name), want.get(name)
        if a == b:
            continue
        if a is None or b is None:  # named even when the file is empty, which a diff would not show
            lines.append(f"Only in {'regenerated' if a is None else 'generated'}/{PACKAGE}: {name}\n")
        old = a.decode("utf-8", "replace").splitlines(keepends=True) if a is not None else []
        new = b.decode("utf-8", "replace").splitlines(keepends=True) if b is not None else []
        lines += difflib.unified_diff(old, new, f"generated/{PACKAGE}/{name}", f"regenerated/{PACKAGE}/{name}")
        if not lines or not lines[-1].endswith("\n"):
            lines.append("\n")
    return lines


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        lines = diff_trees(fresh, PACKAGE_DIR)
    if lines:
        sys.stdout.writelines(lines)
        print("\ngenerated/ is out of date with the spec or scripts/generator: run make generate")
        return 1
    print("generated/ matches the spec and scripts/generator")
    return 0


if __name__ == "__main__":
    sys.exit(main())
