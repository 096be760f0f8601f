"""Copy the generated package into another source tree ("vendoring"), optionally under another import name.

    python3 scripts/dev/vendor.py DEST                       # writes DEST/realtimekit_client
    python3 scripts/dev/vendor.py DEST --name rtk_client     # writes DEST/rtk_client, imported as rtk_client
    python3 scripts/dev/vendor.py DEST --force               # overwrite even if the copy was edited by hand
    make vendor DEST=path/to/service/pkg [NAME=import_name] [FORCE=1]

The generated package imports itself relatively, so renaming the folder renames the package; any absolute
``realtimekit_client`` import that ever appears is rewritten to the new name during the copy.

Next to the copied files the script writes ``VENDORED.json``: the spec's sha256, the SDK version, the import
name and the sha256 of every copied file. Running the script again over an existing copy updates it, unless a
file in the copy was changed, added or removed since it was vendored (checked against that stamp): then it
lists those files, changes nothing and exits with status 1. ``--force`` (``FORCE=1``) replaces the copy anyway
and discards the hand edits.

Standard library only, so it runs with any Python >= 3.11, no virtual environment needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import keyword
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # not scripts.project: this script runs with any python3, no package
SOURCE = ROOT / "generated" / "realtimekit_client"
PACKAGE = "realtimekit_client"
STAMP = "VENDORED.json"
_IGNORED_DIRS = {"__pycache__"}
_IGNORED_SUFFIXES = {".pyc", ".pyo"}
# `import realtimekit_client...` / `from realtimekit_client... import` at the start of a line (any indentation).
_ABSOLUTE_IMPORT = re.compile(rf"^(\s*(?:from|import)\s+){PACKAGE}(?=[\s.,;]|$)", re.MULTILINE)
_VERSION = re.compile(r'^__version__\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)


class VendorError(Exception):
    """Something the user has to fix; the message is one readable line (or a short list)."""


@dataclass
class Result:
    target: Path
    files: int
    changed: list[str] = field(default_factory=list)  # files written with new content (or new)
    removed: list[str] = field(default_factory=list)  # files of the old copy that are gone
    discarded: list[str] = field(default_factory=list)  # hand edits thrown away by --force
    rewritten_imports: list[str] = field(default_factory=list)  # files whose absolute imports were renamed


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_files(folder: Path) -> dict[str, Path]:
    """Relative POSIX path -> file, for every file of a package folder except caches and the stamp."""
    files: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or _IGNORED_DIRS.intersection(relative.parts) or path.suffix in _IGNORED_SUFFIXES:
            continue
        name = relative.as_posix()
        if name != STAMP:
            files[name] = path
    return files


def rename_imports(text: str, name: str) -> str:
    """Point absolute imports of the package at its new name (the generated code normally has none)."""
    return _ABSOLUTE_IMPORT.sub(lambda match: match.group(1) + name, text)


def render(source: Path, name: str) -> tuple[dict[str, bytes], list[str]]:
    """The vendored files' contents, and the files whose imports had to be rewritten."""
    contents: dict[str, bytes] = {}
    rewritten: list[str] = []
    for relative, path in package_files(source).items():
        data = path.read_bytes()
        if path.suffix == ".py":
            text = data.decode("utf-8")
            renamed = rename_imports(text, name)
            if renamed != text:
                rewritten.append(relative)
                data = renamed.encode("utf-8")
        contents[relative] = data
    return contents, rewritten


def stamp_for(source: Path, name: str, contents: dict[str, bytes]) -> dict[str, object]:
    provenance = json.loads((source / "provenance.json").read_text(encoding="utf-8"))
    version = _VERSION.search((source / "__init__.py").read_text(encoding="utf-8"))
    return {
        "about": "Vendored copy of realtimekit-client, written by scripts/vendor.py. Do not edit these files:"
        " re-run `make vendor` to update them (it refuses when a file differs from the checksums below).",
        "sdk": "realtimekit-client",
        "sdk_version": version.group(1) if version else "unknown",
        "import_name": name,
        "source_package": PACKAGE,
        "spec": provenance.get("spec"),
        "spec_sha256": provenance.get("spec_sha256"),
        "generator": provenance.get("generator"),
        "files": {relative: sha256(data) for relative, data in sorted(contents.items())},
    }


def hand_edits(target: Path) -> list[str]:
    """Files of an existing copy that differ from its stamp, as readable lines; empty when the copy is pristine."""
    stamp_path = target / STAMP
    if not stamp_path.is_file():
        return [f"{target} exists but has no {STAMP}: it was not written by this script"]
    try:
        recorded = json.loads(stamp_path.read_text(encoding="utf-8"))["files"]
        if not isinstance(recorded, dict):
            raise TypeError("files is not an object")
    except (ValueError, KeyError, TypeError) as error:
        return [f"{STAMP} is unreadable ({error})"]
    on_disk = package_files(target)
    problems = []
    for relative in sorted(set(recorded) | set(on_disk)):
        if relative not in on_disk:
            problems.append(f"removed   {relative}")
        elif relative not in recorded:
            problems.append(f"added     {relative}")
        elif sha256(on_disk[relative].read_bytes()) != recorded[relative]:
            problems.append(f"modified  {relative}")
    return problems


def vendor(dest: Path, name: str = PACKAGE, *, force: bool = False, source: Path = SOURCE) -> Result:
    """Copy source into dest/name with a stamp; see the module docstring for the rules."""
    if not name.isidentifier() or keyword.iskeyword(name) or (name.startswith("__") and name.endswith("__")):
        raise VendorError(f"--name must be an identifier that is not a keyword or a dunder name, got {name!r}")
    if not (source / "__init__.py").is_file():
        raise VendorError(f"no generated package at {source}: run `make generate` first")
    target = dest / name
    if dest.resolve() == source.resolve().parent or dest.resolve().is_relative_to(source.resolve()):
        raise VendorError(f"{dest} is inside the generated package's own folder: vendor into another tree")
    if target.exists() and not target.is_dir():
        raise VendorError(f"{target} exists and is not a folder")
    contents, rewritten = render(source, name)
    stamp = json.dumps(stamp_for(source, name, contents), indent=2) + "\n"

    old: dict[str, bytes] = {}
    discarded: list[str] = []
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()  # an empty folder holds nothing to protect
    if target.exists():
        edits = hand_edits(target)
        if edits and not force:
            raise VendorError(
                f"{target} was edited by hand (or not written by this script); nothing changed."
                " Move the edits into the spec or templates, or re-run with FORCE=1 (--force) to discard them:\n  "
                + "\n  ".join(edits)
            )
        discarded = edits
        old = {relative: path.read_bytes() for relative, path in package_files(target).items()}

    # Write the new copy next to the target, then swap it in, so a failure never leaves a half-updated copy.
    dest.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.vendoring-", dir=dest))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private (0700); the copy should read like any other folder
    try:
        for relative, data in contents.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (staging / STAMP).write_text(stamp, encoding="utf-8")
        if target.exists():
            retired = dest / f".{name}.retired-{os.getpid()}"
            target.rename(retired)
            staging.rename(target)
            shutil.rmtree(retired)
        else:
            staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)

    return Result(
        target=target,
        files=len(contents),
        changed=sorted(relative for relative, data in contents.items() if old.get(relative) != data),
        removed=sorted(set(old) - set(contents)),
        discarded=discarded,
        rewritten_imports=rewritten,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Copy the generated realtimekit_client package into another tree.",
        epilog="Example: python3 scripts/dev/vendor.py ../billing/src/billing/vendor --name rtk_client",
    )
    parser.add_argument("dest", type=Path, help="folder to put the package in (it becomes DEST/NAME)")
    parser.add_argument("--name", default=PACKAGE, help=f"import name of the copy (default {PACKAGE})")
    parser.add_argument("--force", action="store_true", help="overwrite a copy that was edited by hand")
    args = parser.parse_args(argv)
    try:
        result = vendor(args.dest, args.name, force=args.force)
    except (VendorError, OSError) as error:
        print(f"vendor: {error}", file=sys.stderr)
        return 1
    for line in result.discarded:
        print(f"discarded hand edit: {line}")
    for relative in result.rewritten_imports:
        print(f"rewrote absolute imports of {PACKAGE} in {relative}")
    if result.changed or result.removed:
        print(
            f"vendored {result.files} files into {result.target}"
            f" ({len(result.changed)} new or changed, {len(result.removed)} removed); stamp in {STAMP}"
        )
    else:
        print(f"{result.target} is already up to date ({result.files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
