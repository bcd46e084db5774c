"""The live-session state machine driven by nginx-rtmp's callbacks, and stream housekeeping.

Every transition is idempotent and tolerant of order: callbacks are matched to a session by
(ingest node, client id), never by the key alone, so a duplicated, late or out-of-order
callback finds the session it belongs to, or changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from streams import realtime
from streams.models import EndReason, HealthSample, Stream, StreamStatus, ViewerSample
from streams.signals import recording_finished, stream_ended, stream_ended_by_platform, stream_went_live

# publish_done for a publisher we never saw live: remember it so a late publish is refused.
_DONE_MEMORY_SECONDS = 600


class IngestRefused(Exception):
    """The publisher must be refused (publish) or dropped (update): nginx-rtmp gets a 403."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IngestCall:
    node: str
    client_id: str
    key: str
    publisher_addr: str | None = None


def _done_marker(call: IngestCall) -> str:
    return f"ingest:done:{call.node}:{call.client_id}"


def _session_of(call: IngestCall) -> Stream | None:
    return (
        Stream.objects.select_related("channel")
        .filter(ingest_node=call.node, ingest_client_id=call.client_id)
        .order_by("-started_at")
        .first()
    )


@transaction.atomic
def ingest_publish(*, call: IngestCall) -> Stream:
    """Start a live session for the key's channel; a newer connection replaces a live one."""
    channel = channel_selectors.channel_for_stream_key(key=call.key)
    if channel is None:
        raise IngestRefused("unknown stream key")
    channel = Channel.objects.select_for_update().get(pk=channel.pk)  # one publish per channel at a time
    if channel.is_suspended:
        raise IngestRefused("channel suspended")
    if cache.get(_done_marker(call)):
        raise IngestRefused("this connection already ended")
    current = Stream.objects.filter(channel=channel, status=StreamStatus.LIVE).first()
    if current and (current.ingest_node, current.ingest_client_id) == (call.node, call.client_id):
        return current  # the same callback delivered twice
    if current:
        _end(current, EndReason.REPLACED)
    stream = Stream(
        channel=channel,
        title=channel.title,
        category=channel.category,
        tags=list(channel.tags),
        language=channel.language,
        ingest_node=call.node,
        ingest_client_id=call.client_id,
        publisher_addr=call.publisher_addr or None,
    )
    stream.full_clean()
    stream.save()
    transaction.on_commit(lambda: realtime.broadcast_stream_status(channel=channel))
    transaction.on_commit(lambda: stream_went_live.send(sender=Stream, stream=stream))
    return stream


@transaction.atomic
def ingest_publish_done(*, call: IngestCall) -> Stream | None:
    stream = _session_of(call)
    if stream is None:
        cache.set(_done_marker(call), True, _DONE_MEMORY_SECONDS)
        return None
    stream = Stream.objects.select_for_update().get(pk=stream.pk)
    if stream.is_live:
        _end(stream, EndReason.PUBLISHER_LEFT)
    return stream


@transaction.atomic
def ingest_update(*, call: IngestCall) -> Stream:
    """A periodic sign of life; a session that is no longer live tells nginx to drop the publisher."""
    stream = _session_of(call)
    if stream is None or not stream.is_live:
        raise IngestRefused("no live session for this connection")
    Stream.objects.filter(pk=stream.pk).update(last_update_at=timezone.now())
    return stream


@transaction.atomic
def ingest_record_done(*, call: IngestCall, path: str) -> Stream | None:
    """Remember the finished recording on its session (archival picks it up in a later step)."""
    stream = _session_of(call)
    if stream is None or not path:
        return None
    stream = Stream.objects.select_for_update().get(pk=stream.pk)
    if path not in stream.recordings:
        stream.recordings = [*stream.recordings, path]
        stream.save(update_fields=["recordings"])
        transaction.on_commit(lambda: recording_finished.send(sender=Stream, stream=stream, path=path))
    return stream


def _end(stream: Stream, reason: str) -> Stream:
    stream.status = StreamStatus.ENDED
    stream.ended_at = timezone.now()
    stream.end_reason = reason
    stream.save(update_fields=["status", "ended_at", "end_reason"])
    channel = stream.channel
    transaction.on_commit(lambda: realtime.broadcast_stream_status(channel=channel))
    transaction.on_commit(lambda: stream_ended.send(sender=Stream, stream=stream))
    return stream


@transaction.atomic
def stream_end(*, stream: Stream, reason: str) -> Stream:
    """End a session from our side (dashboard, staff, key rotation); the publisher is dropped too."""
    stream = Stream.objects.select_for_update().select_related("channel").get(pk=stream.pk)
    if not stream.is_live:
        return stream
    _end(stream, reason)
    transaction.on_commit(lambda: stream_ended_by_platform.send(sender=Stream, stream=stream))
    return stream


def streams_end_stale(*, now: Any = None) -> int:
    """End live sessions whose ingest stopped calling `update` (a crashed or unreachable node)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.STREAM_STALE_SECONDS)
    ended = 0
    for stream in Stream.objects.filter(status=StreamStatus.LIVE, last_update_at__lt=cutoff):
        with transaction.atomic():
            locked = Stream.objects.select_for_update().select_related("channel").get(pk=stream.pk)
            if locked.is_live and locked.last_update_at < cutoff:
                _end(locked, EndReason.STALE)
                ended += 1
    return ended


@transaction.atomic
def stream_sync_from_channel(*, channel: Channel) -> Stream | None:
    """Title, category and tags edited while live show on the session and to viewers at once."""
    stream = Stream.objects.filter(channel=channel, status=StreamStatus.LIVE).first()
    if stream is not None:
        stream.title, stream.category, stream.tags = channel.title, channel.category, list(channel.tags)
        stream.language = channel.language
        stream.save(update_fields=["title", "category", "tags", "language"])
    transaction.on_commit(lambda: realtime.broadcast_stream_status(channel=channel))
    return stream


@transaction.atomic
def stream_record_health(*, stream: Stream, **sample: Any) -> HealthSample:
    health = HealthSample(stream=stream, **sample)
    health.full_clean(exclude=["stream"])
    health.save()  # the dashboard polls health.json; nothing listens for a push
    return health


@transaction.atomic
def stream_record_viewers(*, stream: Stream, viewers: int) -> ViewerSample:
    """Store a viewer sample and, in the same transaction, the count the directory sorts on
    (`viewer_count`) and the peak: the sample and the stored count never disagree."""
    sample = ViewerSample.objects.create(stream=stream, viewers=viewers)
    Stream.objects.filter(pk=stream.pk).update(
        viewer_count=viewers, peak_viewers=Greatest(F("peak_viewers"), Value(viewers))
    )
    stream.viewer_count = viewers
    stream.peak_viewers = max(stream.peak_viewers, viewers)
    return sample
