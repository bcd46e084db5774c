"""A live stream's audience figures: distinct viewers and viewer-seconds watched.

Presence (streams/presence.py) records every distinct viewer of a live stream; the minute
sampler (streams/tasks.py::sample_viewers) calls `stream_accumulate_audience` for each live
stream, which adds `viewers × interval` to `Stream.watch_seconds` and copies the distinct count
into `Stream.unique_viewers`; `stream_finalize_audience` copies it once more when the stream
ends. Both write with single UPDATEs (F expressions), so a sample never loses another's figures.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from streams import presence
from streams.models import Stream

# The sampler's beat interval (aethex/settings.py CELERY_BEAT_SCHEDULE "sample-viewers").
SAMPLE_SECONDS = 60


def _distinct(stream: Stream, viewers: int) -> int:
    # Someone watching now was seen; never report fewer distinct viewers than the peak.
    return max(presence.audience_count(stream.pk), viewers, stream.peak_viewers)


@transaction.atomic
def stream_accumulate_audience(
    *, stream: Stream, viewers: int, seconds: int = SAMPLE_SECONDS, now: datetime | None = None
) -> Stream:
    """One sample: `viewers` watched for the last `seconds` (never before the stream started)."""
    now = now or timezone.now()
    since_start = max(0, int((now - stream.started_at).total_seconds()))
    watched = max(0, viewers) * min(seconds, since_start)
    unique = _distinct(stream, viewers)
    Stream.objects.filter(pk=stream.pk).update(
        watch_seconds=F("watch_seconds") + watched,
        unique_viewers=Greatest(F("unique_viewers"), unique),
    )
    stream.watch_seconds += watched
    stream.unique_viewers = max(stream.unique_viewers, unique)
    return stream


def stream_finalize_audience(*, stream_id: int, peak_viewers: int = 0) -> int:
    """Copy the distinct-viewer count onto an ended stream (the last minute's joins included).

    One conditional UPDATE, and none at all when nobody was recorded: it runs after the commit
    of every stream end, inside the ingest hook's request.
    """
    unique = max(presence.audience_count(stream_id), peak_viewers)
    if unique:
        Stream.objects.filter(pk=stream_id, unique_viewers__lt=unique).update(unique_viewers=unique)
    return unique
