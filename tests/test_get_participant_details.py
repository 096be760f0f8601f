"""The endpoint end to end over real HTTP: sync and async calls parse the example into models at every level."""

from __future__ import annotations

import datetime

import pytest
from realtimekit_client import AuthenticatedClient
from realtimekit_client.api.sessions import get_participant_details
from realtimekit_client.models import ParticipantDetailsResponse

from tests.stand_in.ids import IDS
from tests.stand_in.server import LocalServer, example_participant


def check_example(response: ParticipantDetailsResponse | None) -> None:
    """Fields from every level of the example's tree came through typed."""
    expected = example_participant()["data"]["participant"]
    assert isinstance(response, ParticipantDetailsResponse)
    assert response.success is True
    participant = response.data.participant  # type: ignore[union-attr]
    assert participant.display_name == expected["display_name"] == "Priya Raman"  # type: ignore[union-attr]
    assert participant.duration == 30.25  # type: ignore[union-attr]
    assert participant.joined_at == datetime.datetime(2026, 11, 20, 14, 2, 11, 482000, tzinfo=datetime.UTC)  # type: ignore[union-attr]
    stats = participant.peer_stats  # type: ignore[union-attr]
    assert stats.device_info.browser == "Chrome"  # type: ignore[union-attr]
    assert stats.ip_information.city == "Bengaluru"  # type: ignore[union-attr]
    assert stats.precall_network_information.throughtput == 2841.6  # type: ignore[union-attr]
    assert stats.events[-1].type_ == "disconnect"  # type: ignore[index,union-attr]
    quality = participant.quality_stats  # type: ignore[union-attr]
    assert len(quality) == 3  # type: ignore[arg-type]
    assert quality[1].video_stats[0].frame_width == 1280  # type: ignore[index,union-attr]
    assert quality[2].audio_stats[1].timestamp.tzinfo is not None  # type: ignore[index,union-attr]
    events = participant.peer_events  # type: ignore[union-attr]
    assert [str(e.event_name) for e in events] == ["PEER_CREATED", "PEER_JOINING", "PEER_LEAVING"]  # type: ignore[union-attr]
    assert events[2].preset_view_type is None  # type: ignore[index,union-attr]


def test_sync_call_parses_every_level(client: AuthenticatedClient, server: LocalServer) -> None:
    check_example(get_participant_details.sync(*IDS, client=client))
    assert server.last_request.valid
    assert server.last_request.method == "GET"


@pytest.mark.anyio
async def test_async_call_parses_every_level(client: AuthenticatedClient, server: LocalServer) -> None:
    check_example(await get_participant_details.asyncio(*IDS, client=client))
    assert server.last_request.valid
