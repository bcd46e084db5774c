"""Group names and broadcasts of the room socket: the only non-consumer code that touches the layer."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from channels_app.models import Channel
from streams.models import HealthSample, Stream


def room_group(slug: str) -> str:
    return f"room.{slug}"


def owner_group(slug: str) -> str:
    """The creator's dashboard for this channel (health, private figures)."""
    return f"owner.{slug}"


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def broadcast_stream_status(*, channel: Channel) -> None:
    from streams.selectors import stream_status  # selectors import realtime's group names

    _send(room_group(channel.slug), {"type": "stream.status", "status": stream_status(channel=channel)})


def broadcast_stream_health(*, stream: Stream, sample: HealthSample) -> None:
    from streams.selectors import health_payload

    _send(owner_group(stream.channel.slug), {"type": "stream.health", "health": health_payload(sample)})


def broadcast_presence(*, slug: str, viewers: int) -> None:
    _send(room_group(slug), {"type": "presence", "viewers": viewers})
