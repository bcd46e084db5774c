"""The personal socket's groups: one per user. The only non-consumer code that touches the layer here.

A per-user group is the plain Channels pattern: one socket per tab and a handful of tabs per
person, so the fan-out per group is tiny (unlike a chat room's, which goes through streams/hub.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

if TYPE_CHECKING:
    from social.models import Notification


_CONCURRENCY = 100  # group_sends in flight at once: bounded so a chunk never floods Redis connections


def user_group(user_id: int) -> str:
    return f"me.{user_id}"


def _send_many(messages: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all() -> None:
        for start in range(0, len(messages), _CONCURRENCY):
            batch = messages[start : start + _CONCURRENCY]
            await asyncio.gather(*(layer.group_send(group, message) for group, message in batch))

    async_to_sync(send_all)()


def push_new(notifications: Iterable[Notification]) -> None:
    """`notification.new` to each recipient's open sockets (one event-loop hop for the whole chunk)."""
    from social.selectors import notification_payload

    _send_many(
        [
            (
                user_group(n.recipient_id),
                {"type": "notification.new", "notification": notification_payload(n)},
            )
            for n in notifications
        ]
    )


def push_unread(*, user_id: int, count: int) -> None:
    _send_many([(user_group(user_id), {"type": "notification.unread", "count": count})])
