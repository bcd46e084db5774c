"""streams reacting to channels_app: a rotated key or a suspension ends the live session at once."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from channels_app.models import Channel
from channels_app.signals import channel_suspended, channel_updated, stream_key_rotated
from streams import control, selectors, services
from streams.models import EndReason, Stream
from streams.signals import stream_ended_by_platform


@receiver(stream_key_rotated)
def end_stream_on_key_rotation(sender: Any, channel: Channel, **kwargs: Any) -> None:
    if stream := selectors.live_stream(channel=channel):
        services.stream_end(stream=stream, reason=EndReason.KEY_ROTATED)


@receiver(channel_suspended)
def end_stream_on_suspension(sender: Any, channel: Channel, **kwargs: Any) -> None:
    if stream := selectors.live_stream(channel=channel):
        services.stream_end(stream=stream, reason=EndReason.SUSPENDED)


@receiver(channel_updated)
def sync_live_stream(sender: Any, channel: Channel, fields: set[str], **kwargs: Any) -> None:
    if fields & {"title", "category", "tags", "language"}:
        services.stream_sync_from_channel(channel=channel)


@receiver(stream_ended_by_platform)
def drop_the_publisher(sender: Any, stream: Stream, **kwargs: Any) -> None:
    control.drop_publisher(stream=stream)
