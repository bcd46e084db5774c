"""The alert overlays' groups: one per channel. The only non-consumer code that touches the layer here."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def alerts_group(channel_id: int) -> str:
    return f"alerts.{channel_id}"


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def push_alert(*, channel_id: int, alert: dict[str, Any]) -> None:
    _send(alerts_group(channel_id), {"type": "alert.show", "alert": alert})


def push_token_rotated(*, channel_id: int, token_version: int) -> None:
    """Overlays connected with an older token close themselves (the version is no secret)."""
    _send(alerts_group(channel_id), {"type": "alert.rotated", "version": token_version})
