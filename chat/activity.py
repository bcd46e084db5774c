"""Chat's contribution to the directory's trending score: messages per live stream lately.

streams cannot import chat (apps import downward only), so streams names this function in
settings.STREAMS_ACTIVITY_SOURCES and calls it through that setting: the settings module is the
one place that knows both apps, and neither app imports the other.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count

from chat.models import Message, MessageState


def message_counts(*, since: datetime) -> dict[int, int]:
    """Visible messages sent in each stream since `since`: one grouped query on (sent_at)."""
    rows = (
        Message.objects.filter(sent_at__gte=since, stream__isnull=False, state=MessageState.VISIBLE)
        .filter(deleted_at__isnull=True)
        .order_by()
        .values("stream_id")
        .annotate(total=Count("id"))
        .values_list("stream_id", "total")
    )
    return {int(stream_id): int(total) for stream_id, total in rows}
