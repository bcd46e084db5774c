"""Reads of the roll-ups for the Analytics page, its CSV exports and a stream's traffic.

The range is whole days in the viewer's zone. Cards and the viewers/chat charts read hourly rows
(so a Tokyo creator's "today" is Tokyo's today); follower growth, traffic and the daily CSV read
daily rows, which are UTC days. Each read is one query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import Coalesce

from analytics import selectors
from analytics.forms import DateRange
from analytics.models import ChannelDailyStats, ChannelHourlyStats, PageVisit, Source, TrafficDaily
from analytics.rollups import day_start
from channels_app.models import Channel
from streams.models import Stream

HOURLY_CHART_MAX_DAYS = 14  # beyond, hourly points are too dense: the charts switch to days
TRAFFIC_ROWS = 25
SOURCE_LABELS = dict(Source.choices)


def _ms(at: dt.datetime) -> int:
    return int(at.timestamp() * 1000)


def range_totals(*, channel: Channel, date_range: DateRange) -> dict[str, Any]:
    """The cards: sums and maxima of the hourly rows in the range."""
    sums = ChannelHourlyStats.objects.filter(
        channel=channel, bucket__gte=date_range.start_at, bucket__lt=date_range.end_at
    ).aggregate(
        **{
            name: Coalesce(Sum(name), 0)
            for name in (
                "streamed_seconds",
                "viewer_minutes",
                "sampled_minutes",
                "unique_viewers",
                "watch_seconds",
                "chat_messages",
                "follows",
                "unfollows",
                "page_visits",
                "streams_started",
            )
        },
        peak_viewers=Coalesce(Max("peak_viewers"), 0),
    )
    sampled, uniques = sums["sampled_minutes"], sums["unique_viewers"]
    return {
        **sums,
        "average_viewers": round(sums["viewer_minutes"] / sampled, 1) if sampled else 0,
        "average_watch_seconds": sums["watch_seconds"] // uniques if uniques else 0,
        "net_followers": sums["follows"] - sums["unfollows"],
    }


def _daily_rows(channel: Channel, date_range: DateRange) -> QuerySet[ChannelDailyStats]:
    return ChannelDailyStats.objects.filter(
        channel=channel, bucket__gte=day_start(date_range.start), bucket__lte=day_start(date_range.end)
    ).order_by("bucket")


def activity_charts(*, channel: Channel, date_range: DateRange) -> dict[str, Any]:
    """Viewers (average and peak per bucket, only where live) and chat messages per bucket (every
    bucket, zeros included): per hour up to two weeks, per day beyond."""
    hourly = date_range.days <= HOURLY_CHART_MAX_DAYS
    if hourly:
        rows: QuerySet[Any] = ChannelHourlyStats.objects.filter(
            channel=channel, bucket__gte=date_range.start_at, bucket__lt=date_range.end_at
        ).order_by("bucket")
        step = dt.timedelta(hours=1)
        first = date_range.start_at.astimezone(dt.UTC)
        last = date_range.end_at.astimezone(dt.UTC)
    else:
        rows = _daily_rows(channel, date_range)
        step = dt.timedelta(days=1)
        first, last = day_start(date_range.start), day_start(date_range.end) + step
    by_bucket = {
        row[0]: row[1:]
        for row in rows.values_list(
            "bucket", "average_viewers", "peak_viewers", "sampled_minutes", "chat_messages"
        )
    }
    viewers, peaks, chat = [], [], []
    at = first
    while at < last:
        average, peak, sampled, messages = by_bucket.get(at, (0, 0, 0, 0))
        viewers.append([_ms(at), average if sampled else None])
        peaks.append([_ms(at), peak if sampled else None])
        chat.append([_ms(at), messages])
        at += step
    return {
        "granularity": "hour" if hourly else "day",
        "step_seconds": int(step.total_seconds()),
        "start": _ms(first),
        "end": _ms(last),
        "viewers": viewers,
        "peak": peaks,
        "chat": chat,
    }


def follower_growth(*, channel: Channel, date_range: DateRange, followers_now: int) -> dict[str, Any]:
    """Net new followers per (UTC) day and the follower count at the end of each day. The count
    before the range is today's total minus every net change since the range began."""
    since = ChannelDailyStats.objects.filter(
        channel=channel, bucket__gte=day_start(date_range.start)
    ).aggregate(follows=Coalesce(Sum("follows"), 0), unfollows=Coalesce(Sum("unfollows"), 0))
    total = followers_now - (since["follows"] - since["unfollows"])
    by_day = {
        row.bucket: row.net_followers
        for row in _daily_rows(channel, date_range).only("bucket", "follows", "unfollows")
    }
    daily, cumulative = [], []
    for offset in range(date_range.days):
        at = day_start(date_range.start + dt.timedelta(days=offset))
        net = by_day.get(at, 0)
        total += net
        daily.append([_ms(at), net])
        # Events pruned or seeded late can leave the reconstructed start short: never below zero.
        cumulative.append([_ms(at), max(0, total)])
    return {"daily": daily, "cumulative": cumulative}


def daily_table(*, channel: Channel, date_range: DateRange) -> list[tuple[dt.date, ChannelDailyStats | None]]:
    """Every UTC day of the range with its row (None on a day without activity): the daily CSV."""
    by_day = {row.bucket.date(): row for row in _daily_rows(channel, date_range)}
    days = (date_range.start + dt.timedelta(days=i) for i in range(date_range.days))
    return [(day, by_day.get(day)) for day in days]


def _with_share(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total = sum(row["visits"] for row in rows) or 1
    for row in rows:
        row["share"] = round(100 * row["visits"] / total, 1)
        row["source_label"] = SOURCE_LABELS.get(row["source"], row["source"])
    return rows


def traffic_sources(
    *, channel: Channel, date_range: DateRange, limit: int | None = TRAFFIC_ROWS
) -> list[dict[str, Any]]:
    """Visits by source, referrer and utm tags over the range's (UTC) days, most first, with shares
    of all visits in the range."""
    rows = list(
        TrafficDaily.objects.filter(channel=channel, day__gte=date_range.start, day__lte=date_range.end)
        .values("source", "referrer_host", "utm_source", "utm_medium", "utm_campaign")
        .annotate(visits=Sum("visits"))
        .order_by("-visits", "source", "referrer_host", "utm_source", "utm_medium", "utm_campaign")
    )
    shared = _with_share(rows)
    return shared[:limit] if limit else shared


def traffic_rows(*, channel: Channel, date_range: DateRange) -> QuerySet[TrafficDaily]:
    return TrafficDaily.objects.filter(
        channel=channel, day__gte=date_range.start, day__lte=date_range.end
    ).order_by("day", "-visits", "source", "referrer_host")


def streams_in_range(*, channel: Channel, date_range: DateRange) -> QuerySet[Stream]:
    """The channel's streams that started in the range, newest first, with their figures."""
    return selectors.streams_with_figures(channel=channel).filter(
        started_at__gte=date_range.start_at, started_at__lt=date_range.end_at
    )


def range_overview(*, channel: Channel, date_range: DateRange) -> dict[str, Any]:
    """Everything the Analytics page shows above its streams table, in six queries."""
    totals = selectors.channel_totals(channel=channel)
    return {
        "date_range": date_range,
        "totals": totals,
        "figures": range_totals(channel=channel, date_range=date_range),
        "traffic": traffic_sources(channel=channel, date_range=date_range),
        "chart_data": {
            **activity_charts(channel=channel, date_range=date_range),
            "followers": follower_growth(
                channel=channel, date_range=date_range, followers_now=totals.followers
            ),
        },
    }


def stream_traffic(*, stream: Stream) -> list[dict[str, Any]]:
    """Where the stream's visitors came from (raw visits while it was live; kept for the retention)."""
    rows = list(
        PageVisit.objects.filter(stream=stream)
        .values("source", "referrer_host", "utm_source", "utm_medium", "utm_campaign")
        .annotate(visits=Count("id"))
        .order_by("-visits", "source", "referrer_host")[:TRAFFIC_ROWS]
    )
    return _with_share(rows)
