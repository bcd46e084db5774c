"""The directory's trending score: recent viewer growth plus recent activity, recomputed each minute.

    score = 2·log2(1 + viewers gained over the last GROWTH_WINDOW)
          + 1.5·log2(1 + activity events over the last ACTIVITY_WINDOW)   (chat messages, ...)
          + 0.5·log2(1 + viewers now)

Logarithms keep a huge channel from owning the list by size alone: a stream going from 10 to
40 viewers with a lively chat outranks a flat one of 100 viewers and a quiet chat.

Activity comes from apps above streams (chat), which streams may not import. They register a
function `(*, since: datetime) -> Mapping[stream_id, count]` by dotted path in
settings.STREAMS_ACTIVITY_SOURCES; `activity_counts` adds them up. The settings module is the
only place that names both apps, so the import direction stays accounts ← channels_app ← streams ← chat.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from streams.models import Stream, StreamStatus, ViewerSample

GROWTH_WINDOW = timedelta(minutes=15)
ACTIVITY_WINDOW = timedelta(minutes=5)

ActivitySource = Callable[..., Mapping[int, int]]


@cache
def _sources(paths: tuple[str, ...]) -> list[ActivitySource]:
    return [import_string(path) for path in paths]


def activity_counts(*, since: datetime) -> dict[int, int]:
    """Activity events per stream since `since`, summed over every configured source."""
    totals: dict[int, int] = {}
    for source in _sources(tuple(getattr(settings, "STREAMS_ACTIVITY_SOURCES", ()))):
        for stream_id, count in source(since=since).items():
            totals[stream_id] = totals.get(stream_id, 0) + int(count)
    return totals


def trending_score(*, gained: int, activity: int, viewers: int) -> float:
    return round(
        2.0 * math.log2(1 + max(gained, 0))
        + 1.5 * math.log2(1 + max(activity, 0))
        + 0.5 * math.log2(1 + viewers),
        4,
    )


def _growth(stream_ids: list[int], since: datetime) -> dict[int, tuple[int, int]]:
    """(earliest, latest) viewers of each stream's samples since `since`: one query."""
    first_last: dict[int, tuple[int, int]] = {}
    samples = (
        ViewerSample.objects.filter(stream_id__in=stream_ids, taken_at__gte=since)
        .order_by("stream_id", "taken_at", "id")
        .values_list("stream_id", "viewers")
    )
    for stream_id, viewers in samples.iterator(chunk_size=5000):
        earliest = first_last.get(stream_id, (viewers, viewers))[0]
        first_last[stream_id] = (earliest, viewers)
    return first_last


@transaction.atomic
def streams_compute_trending(*, activity: Mapping[int, int], now: datetime | None = None) -> int:
    """Store the trending score of every live stream; returns how many were scored."""
    now = now or timezone.now()
    streams = list(
        Stream.objects.filter(status=StreamStatus.LIVE).only("id", "viewer_count", "trending_score")
    )
    growth = _growth([stream.pk for stream in streams], now - GROWTH_WINDOW)
    changed = []
    for stream in streams:
        earliest, latest = growth.get(stream.pk, (stream.viewer_count, stream.viewer_count))
        score = trending_score(gained=latest - earliest, activity=activity.get(stream.pk, 0), viewers=latest)
        if score != stream.trending_score:
            stream.trending_score = score
            changed.append(stream)
    Stream.objects.bulk_update(changed, ["trending_score"], batch_size=500)
    return len(streams)
