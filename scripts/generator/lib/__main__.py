"""``python -m realtimekit_client``: the ``realtimekit`` command (see realtimekit_client.cli)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
