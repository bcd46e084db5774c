"""Hourly and daily roll-ups: every figure of a bucket is recomputed from raw rows and upserted.

Recompute, never increment: running a roll-up twice, late or concurrently gives the same rows,
and a bucket that lost its activity (messages hidden by moderators) is corrected on the next run.
A bucket costs a fixed number of grouped queries whatever the number of channels.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from analytics.models import (
    BucketStats,
    ChannelDailyStats,
    ChannelHourlyStats,
    FollowEvent,
    PageVisit,
    TrafficDaily,
)
from chat.models import Message, MessageState
from streams.models import Stream, ViewerSample

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
FIGURES = [
    "viewer_minutes",
    "sampled_minutes",
    "average_viewers",
    "peak_viewers",
    "streamed_seconds",
    "streams_started",
    "unique_viewers",
    "watch_seconds",
    "chat_messages",
    "follows",
    "unfollows",
    "page_visits",
    "unique_visitors",
    "computed_at",
]


def hour_start(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _merge(figures: dict[int, dict[str, Any]], rows: QuerySet[Any, dict[str, Any]], key: str) -> None:
    for row in rows:
        figures[row.pop(key)].update({k: v or 0 for k, v in row.items()})


def _streamed(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict[int, dict[str, Any]]:
    """Seconds each channel was live inside [start, end), and the streams that started there."""
    figures: dict[int, dict[str, Any]] = defaultdict(dict)
    streams = Stream.objects.filter(started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    for channel_id, started, ended, uniques, watched in streams.values_list(
        "channel_id", "started_at", "ended_at", "unique_viewers", "watch_seconds"
    ):
        row = figures[channel_id]
        overlap = (min(ended or now, end) - max(started, start)).total_seconds()
        row["streamed_seconds"] = row.get("streamed_seconds", 0) + max(0, int(overlap))
        if started >= start:
            row["streams_started"] = row.get("streams_started", 0) + 1
            row["unique_viewers"] = row.get("unique_viewers", 0) + uniques
            row["watch_seconds"] = row.get("watch_seconds", 0) + watched
    return figures


def bucket_figures(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict[int, dict[str, Any]]:
    """{channel_id: {figure: value}} of every channel with any activity in [start, end)."""
    figures = _streamed(start, end, now)
    samples = ViewerSample.objects.filter(taken_at__gte=start, taken_at__lt=end).order_by()
    _merge(
        figures,
        samples.values("stream__channel_id").annotate(
            viewer_minutes=Sum("viewers"), sampled_minutes=Count("id"), peak_viewers=Max("viewers")
        ),
        "stream__channel_id",
    )
    messages = Message.objects.filter(
        sent_at__gte=start, sent_at__lt=end, state=MessageState.VISIBLE
    ).order_by()
    _merge(figures, messages.values("channel_id").annotate(chat_messages=Count("id")), "channel_id")
    events = FollowEvent.objects.filter(at__gte=start, at__lt=end).order_by()
    _merge(
        figures,
        events.values("channel_id").annotate(
            follows=Count("id", filter=Q(delta__gt=0)), unfollows=Count("id", filter=Q(delta__lt=0))
        ),
        "channel_id",
    )
    visits = PageVisit.objects.filter(at__gte=start, at__lt=end).order_by()
    _merge(
        figures,
        visits.values("channel_id").annotate(
            page_visits=Count("id"), unique_visitors=Count("visitor_hash", distinct=True)
        ),
        "channel_id",
    )
    for row in figures.values():
        sampled = row.get("sampled_minutes", 0)
        row["average_viewers"] = round(row.get("viewer_minutes", 0) / sampled, 2) if sampled else 0.0
    return figures


def _upsert(model: type[BucketStats], start: dt.datetime, end: dt.datetime, now: dt.datetime) -> int:
    figures = bucket_figures(start, end, now)
    # A channel whose row exists but whose activity is gone gets zeros, not a stale row.
    for channel_id in model.objects.filter(bucket=start).values_list("channel_id", flat=True):  # type: ignore[attr-defined]
        figures.setdefault(channel_id, {})
    rows = [
        model(channel_id=channel_id, bucket=start, computed_at=now, **row)
        for channel_id, row in figures.items()
    ]
    model.objects.bulk_create(  # type: ignore[attr-defined]
        rows, update_conflicts=True, unique_fields=["channel", "bucket"], update_fields=FIGURES
    )
    return len(rows)


@transaction.atomic
def rollup_hour(*, hour: dt.datetime, now: dt.datetime | None = None) -> int:
    """Recompute every channel's row for the hour that contains `hour`; returns the rows written."""
    start = hour_start(hour)
    return _upsert(ChannelHourlyStats, start, start + HOUR, now or timezone.now())


@transaction.atomic
def rollup_day(*, day: dt.date, now: dt.datetime | None = None) -> int:
    """Recompute every channel's daily row and traffic breakdown for one UTC day."""
    start = day_start(day)
    written = _upsert(ChannelDailyStats, start, start + DAY, now or timezone.now())
    _traffic_day(day, start)
    return written


def _traffic_day(day: dt.date, start: dt.datetime) -> None:
    groups = ["channel_id", "source", "referrer_host", "utm_source", "utm_medium", "utm_campaign"]
    rows = (
        PageVisit.objects.filter(at__gte=start, at__lt=start + DAY)
        .order_by()
        .values(*groups)
        .annotate(visits=Count("id"), unique_visitors=Count("visitor_hash", distinct=True))
    )
    # Delete and insert in one transaction: a breakdown row that disappeared must not linger.
    TrafficDaily.objects.filter(day=day).delete()
    TrafficDaily.objects.bulk_create(TrafficDaily(day=day, **row) for row in rows)


def _recent_stream_starts(now: dt.datetime) -> list[dt.datetime]:
    """Starts of streams live or just ended: a stream's unique viewers and watch time belong to
    its start bucket but keep growing until it ends, so that bucket is recomputed too."""
    recent = Stream.objects.filter(started_at__gte=now - 3 * DAY).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=now - 2 * HOUR)
    )
    return list(recent.values_list("started_at", flat=True))


def rollup_recent(*, now: dt.datetime | None = None) -> int:
    """The beat's ~10-minute job: the current and previous hour (late samples land in the
    previous), and the start hour of every stream still growing."""
    now = now or timezone.now()
    hours = {hour_start(now - HOUR), hour_start(now)} | {hour_start(s) for s in _recent_stream_starts(now)}
    return sum(rollup_hour(hour=hour, now=now) for hour in sorted(hours))


def rollup_recent_days(*, now: dt.datetime | None = None) -> int:
    """The beat's hourly job: today and yesterday (UTC), and start days of streams still growing."""
    now = now or timezone.now()
    today = now.astimezone(dt.UTC).date()
    days = {today - DAY, today} | {s.astimezone(dt.UTC).date() for s in _recent_stream_starts(now)}
    return sum(rollup_day(day=day, now=now) for day in sorted(days))


def raw_retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Raw rows older than this are pruned; roll-ups of those days are final."""
    today = (now or timezone.now()).astimezone(dt.UTC).date()
    return day_start(today - dt.timedelta(days=settings.ANALYTICS_RAW_RETENTION_DAYS))


def rollup_range(*, since: dt.date, until: dt.date, now: dt.datetime | None = None) -> tuple[int, int]:
    """Backfill: every hour and day from `since` to `until` (UTC, inclusive); (days, hours) done."""
    now = now or timezone.now()
    days = hours = 0
    day = since
    while day <= until:
        start = day_start(day)
        for offset in range(24):
            if start + offset * HOUR > now:
                break
            rollup_hour(hour=start + offset * HOUR, now=now)
            hours += 1
        rollup_day(day=day, now=now)
        days += 1
        day += DAY
    return days, hours


@transaction.atomic
def prune_raw(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete analytics' own raw rows past the retention (viewer samples belong to streams)."""
    cutoff = raw_retention_cutoff(now)
    visits, _ = PageVisit.objects.filter(at__lt=cutoff).delete()
    events, _ = FollowEvent.objects.filter(at__lt=cutoff).delete()
    return {"page_visits": visits, "follow_events": events}
