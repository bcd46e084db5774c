"""Go-live fan-out in Celery: one task splits the followers into id ranges, one task per range."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from social import selectors, services
from streams.models import Stream


@shared_task(ignore_result=True)
def notify_go_live(stream_id: int) -> int:
    """Claim the go-live (no repeat on a quick reconnect) and enqueue one chunk task per id range."""
    stream = Stream.objects.select_related("channel").filter(pk=stream_id).first()
    if stream is None or not services.go_live_claim(stream=stream):
        return 0
    bounds = selectors.go_live_chunk_bounds(channel=stream.channel, size=settings.GO_LIVE_CHUNK_SIZE)
    for after_id, last_id in bounds:
        notify_go_live_chunk.delay(stream_id, after_id, last_id)
    return len(bounds)


# No automatic retry: a retried chunk would notify its followers twice.
@shared_task(ignore_result=True)
def notify_go_live_chunk(stream_id: int, after_id: int, last_id: int) -> int:
    """Notify the followers whose follow id is in (after_id, last_id]."""
    stream = Stream.objects.select_related("channel").filter(pk=stream_id).first()
    if stream is None:
        return 0
    recipients = selectors.go_live_recipients(channel=stream.channel, after_id=after_id, last_id=last_id)
    return len(services.go_live_notify_chunk(stream=stream, recipients=recipients))
