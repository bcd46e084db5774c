"""Broadcasts of the room socket, through the hub (streams/hub.py)."""

from __future__ import annotations

from channels_app.models import Channel
from streams.hub import hub, room_topic
from streams.selectors import stream_status


def broadcast_stream_status(*, channel: Channel) -> None:
    hub().publish(room_topic(channel.slug), {"type": "stream.status", **stream_status(channel=channel)})
