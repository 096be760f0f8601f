# Copied from scripts/generator/lib/cli/__init__.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""The ``realtimekit`` command (also ``python -m realtimekit_client``): sessions, participants and call quality in a
terminal, as CSV / JSON Lines / JSON exports, or as one HTML report.

    export CLOUDFLARE_API_TOKEN=...
    realtimekit participant --account-id ACCOUNT --app-id APP --session-id SESSION --participant-id PARTICIPANT
    realtimekit --help

It is part of the package (and of a vendored copy); it needs nothing beyond the package's own dependencies.
"""

from __future__ import annotations

from .app import main

__all__ = ["main"]
