"""Reads for the creator dashboard: per-stream figures, viewer series, followers and chat activity.

Every read here is one query whatever the number of streams, followers or messages: per-stream
counts are correlated subqueries on indexed columns (Follow (channel, created_at), Message
(stream, sent_at)), series are aggregated by the database, lists are sliced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncMinute
from django.utils import timezone

from accounts.models import User
from channels_app import selectors as channel_selectors
from channels_app.models import Channel, Follow
from chat.models import Message, MessageState
from streams import presence
from streams import selectors as stream_selectors
from streams.models import Stream, ViewerSample

RECENT_STREAMS = 10
RECENT_FOLLOWERS = 5
RECENT_MESSAGES = 5
CHAT_WINDOW_MINUTES = 30
LIVE_CHART_MINUTES = 30


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of a correlated queryset as a subquery: no GROUP BY, one row, 0 when empty."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def average_watch_seconds(stream: Stream) -> int:
    """Viewer-seconds watched per distinct viewer (0 before anyone watched)."""
    return stream.watch_seconds // stream.unique_viewers if stream.unique_viewers else 0


def streams_with_figures(*, channel: Channel, now: dt.datetime | None = None) -> QuerySet[Stream]:
    """The channel's streams, newest first, each annotated with `new_followers` (follows made
    between its start and end, or now while live) and `chat_messages` (messages sent in it)."""
    now = now or timezone.now()
    follows = Follow.objects.filter(
        channel_id=OuterRef("channel_id"),
        created_at__gte=OuterRef("started_at"),
        created_at__lte=Coalesce(OuterRef("ended_at"), Value(now)),
    )
    messages = Message.objects.filter(stream_id=OuterRef("pk"), state=MessageState.VISIBLE)
    return (
        Stream.objects.select_related("category")
        .filter(channel=channel)
        .annotate(
            new_followers=_count(follows),
            chat_messages=_count(messages),
            average_watch_seconds=Case(
                When(unique_viewers__gt=0, then=F("watch_seconds") / F("unique_viewers")),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-started_at", "-id")
    )


def recent_streams(*, channel: Channel, limit: int = RECENT_STREAMS) -> list[Stream]:
    return list(streams_with_figures(channel=channel)[:limit])


def stream_report(*, user: User, stream_id: int) -> Stream | None:
    """One stream with its figures, if the user may manage its channel (owner, editor, staff)."""
    stream = (
        Stream.objects.select_related("channel", "channel__owner_user", "category")
        .filter(pk=stream_id)
        .first()
    )
    if stream is None or not channel_selectors.user_can_manage(user=user, channel=stream.channel):
        return None
    return streams_with_figures(channel=stream.channel).select_related("channel").filter(pk=stream_id).first()


def viewer_series(*, stream: Stream, since: dt.datetime | None = None) -> list[tuple[dt.datetime, int]]:
    """(taken_at, viewers) of the stream's minute samples, oldest first."""
    samples = ViewerSample.objects.filter(stream=stream)
    if since is not None:
        samples = samples.filter(taken_at__gte=since)
    return list(samples.order_by("taken_at").values_list("taken_at", "viewers"))


def chat_per_minute(
    *, channel: Channel | None = None, stream: Stream | None = None, since: dt.datetime, until: dt.datetime
) -> list[tuple[dt.datetime, int]]:
    """Messages sent per minute between `since` and `until`, every minute present (zeros included)."""
    messages = Message.objects.filter(state=MessageState.VISIBLE, sent_at__gte=since, sent_at__lte=until)
    if stream is not None:
        messages = messages.filter(stream=stream)
    if channel is not None:
        messages = messages.filter(channel=channel)
    counted = dict(
        messages.order_by()
        .annotate(minute=TruncMinute("sent_at", tzinfo=dt.UTC))
        .values("minute")
        .annotate(n=Count("id"))
        .values_list("minute", "n")
    )
    # SQLite hands back naive datetimes for truncated values: compare on UTC wall time.
    by_minute = {minute.replace(tzinfo=dt.UTC): n for minute, n in counted.items()}
    start = since.astimezone(dt.UTC).replace(second=0, microsecond=0)
    minutes = int((until - start).total_seconds() // 60) + 1
    return [
        (start + dt.timedelta(minutes=i), by_minute.get(start + dt.timedelta(minutes=i), 0))
        for i in range(max(0, minutes))
    ]


def recent_messages(*, channel: Channel, limit: int = RECENT_MESSAGES) -> list[Message]:
    recent = (
        Message.objects.select_related("user")
        .filter(channel=channel, state=MessageState.VISIBLE, deleted_at__isnull=True)
        .order_by("-sent_at", "-id")[:limit]
    )
    return list(recent)


def recent_followers(*, channel: Channel, limit: int = RECENT_FOLLOWERS) -> list[Follow]:
    return list(channel_selectors.followers_of(channel=channel)[:limit])


@dataclass(frozen=True)
class Totals:
    streams: int
    followers: int


def channel_totals(*, channel: Channel) -> Totals:
    """Follower and stream totals in one query."""
    row = (
        Channel.objects.filter(pk=channel.pk)
        .annotate(
            n_followers=_count(Follow.objects.filter(channel_id=OuterRef("pk"))),
            n_streams=_count(Stream.objects.filter(channel_id=OuterRef("pk"))),
        )
        .values("n_followers", "n_streams")
        .first()
    ) or {"n_followers": 0, "n_streams": 0}
    return Totals(streams=row["n_streams"], followers=row["n_followers"])


def series_payload(points: list[tuple[dt.datetime, int]]) -> list[list[Any]]:
    """[[epoch ms, value], ...] for static/js/chart.js."""
    return [[int(at.timestamp() * 1000), value] for at, value in points]


def live_chart_since(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(minutes=LIVE_CHART_MINUTES)


def live_figures(*, channel: Channel) -> tuple[dict[str, Any], Stream | None]:
    """The live card's figures (also GET /dashboard/overview.json) and the live stream, if any."""
    live = stream_selectors.live_stream(channel=channel)
    viewers = presence.viewer_count(channel.slug) if live else 0
    figures = {
        "status": "live" if live else "offline",
        "stream_id": live.pk if live else None,
        "title": live.title if live else channel.title,
        "category": live.category.name if live and live.category else None,
        "started_at": live.started_at.isoformat() if live else None,
        "viewers": viewers,
        "peak_viewers": max(live.peak_viewers, viewers) if live else 0,
        "at": timezone.now().isoformat(),
    }
    return figures, live


def with_live_audience(streams: list[Stream]) -> list[Stream]:
    """The sampler copies a live stream's distinct viewers once a minute: show them as they are."""
    for stream in streams:
        if stream.is_live:
            stream.unique_viewers = max(stream.unique_viewers, presence.audience_count(stream.pk))
    return streams


def dashboard_overview(*, channel: Channel) -> dict[str, Any]:
    """Everything the Overview shows, in a fixed number of queries (see tests/analytics)."""
    now = timezone.now()
    figures, live = live_figures(channel=channel)
    samples = viewer_series(stream=live, since=live_chart_since(now)) if live else []
    health = stream_selectors.health_recent(stream=live, minutes=2, limit=1) if live else []
    chat = chat_per_minute(channel=channel, since=now - dt.timedelta(minutes=CHAT_WINDOW_MINUTES), until=now)
    return {
        "live": live,
        "figures": figures,
        "health": health[-1] if health else None,
        "totals": channel_totals(channel=channel),
        "followers": recent_followers(channel=channel),
        "chat_messages": recent_messages(channel=channel),
        "chat_total": sum(n for _, n in chat),
        "recent_streams": with_live_audience(recent_streams(channel=channel)),
        "chart_data": {
            "viewers": series_payload(samples),
            "chat": series_payload(chat),
            "live": figures,
            "window_seconds": LIVE_CHART_MINUTES * 60,
            "chat_window_seconds": CHAT_WINDOW_MINUTES * 60,
        },
    }


def report_charts(*, stream: Stream) -> dict[str, Any]:
    """A stream report's charts: viewers per minute sample and chat messages per minute."""
    until = stream.ended_at or timezone.now()
    chat = chat_per_minute(stream=stream, since=stream.started_at, until=until)
    return {
        "viewers": series_payload(viewer_series(stream=stream)),
        "chat": series_payload(chat),
        "start": int(stream.started_at.timestamp() * 1000),
        "end": int(until.timestamp() * 1000),
    }
