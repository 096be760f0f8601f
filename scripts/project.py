"""The project's paths and names, defined once for the generator, the tools, the benchmarks and the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository's root."""

SPEC = ROOT / "openapi" / "realtimekit.yaml"
"""The hand-written OpenAPI document the package is generated from."""

PACKAGE = "realtimekit_client"
"""The generated package's import name."""

GENERATED = ROOT / "generated"
"""Where the committed output lives (the folder that holds the package)."""

PACKAGE_DIR = GENERATED / PACKAGE
"""The committed package itself."""

GENERATOR = ROOT / "scripts" / "generator"
CONFIG = GENERATOR / "config.yaml"
"""Generator settings (openapi-python-client's config file plus our own keys)."""

TEMPLATES = GENERATOR / "templates"
"""Jinja overrides of openapi-python-client's templates: only what differs per operation or schema."""

RUNTIME = GENERATOR / "runtime"
"""Hand-written modules that are the same for every operation and every document, copied verbatim into the package."""

LIBRARY = GENERATOR / "lib"
"""Hand-written modules built on this API's models (the diagnosis, the command), copied verbatim into our package
(not into packages generated from other documents, such as the corpus tests')."""


def relative(path: Path) -> str:
    """A path inside the repository as it is written in messages and records (posix, from the root)."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
