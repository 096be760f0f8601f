"""The ids the stand-in serves and the tests, the demo and the benchmarks call with (defined once)."""

from __future__ import annotations

ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353"
APP_ID = "app-7f2c9d4e"
SESSION_ID = "3c9f1e7a-58b2-4d6e-b0a4-7e2d91c5f386"
PARTICIPANT_ID = "e1a7c3f9-2b6d-4d80-8f15-6c9b0e4a7d21"
IDS = (ACCOUNT_ID, APP_ID, SESSION_ID, PARTICIPANT_ID)
"""The path parameters of GetParticipantDetails for the stand-in's example participant, in path order."""

TOKEN = "rtk-test-token-3f9a1c0d5e7b"
"""The token the tests send (the stand-in accepts any bearer token)."""
DEMO_TOKEN = "demo-token-for-the-local-server"
"""The token `make demo` sends."""
