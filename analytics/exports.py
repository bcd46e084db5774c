"""CSV exports: the Analytics page's range (daily stats, streams, traffic) and a stream's minutes.

Streamed row by row (a year of days or thousands of streams never sits in memory), times in the
viewer's zone with their offset, and cells that a spreadsheet would run as a formula (a utm tag
or a stream title starting with "=") are defused.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET

from aethex.api.errors import error_body
from aethex.http import AuthedRequest
from analytics import reports, selectors
from analytics.forms import DateRange, DateRangeForm
from channels_app import views as channel_views
from channels_app.models import Channel
from streams.models import Stream

KINDS = ("daily", "streams", "traffic")
DAILY_HEADER = [
    "date", "streamed_seconds", "streams_started", "viewer_minutes", "average_viewers", "peak_viewers",
    "unique_viewers", "average_watch_seconds", "chat_messages", "follows", "unfollows", "net_followers",
    "page_visits", "unique_visitors",
]  # fmt: skip
STREAMS_HEADER = [
    "stream_id", "started_at", "ended_at", "title", "category", "duration_seconds", "peak_viewers",
    "unique_viewers", "average_watch_seconds", "new_followers", "chat_messages",
]  # fmt: skip
TRAFFIC_HEADER = [
    "date",
    "source",
    "referrer_host",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "visits",
    "unique_visitors",
]
MINUTES_HEADER = ["minute", "viewers", "chat_messages"]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _local(at: dt.datetime | None, tz: dt.tzinfo) -> str:
    return at.astimezone(tz).isoformat(timespec="seconds") if at else ""


def _csv(filename: str, header: list[str], rows: Iterable[list[Any]]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _daily_rows(channel: Channel, date_range: DateRange) -> Iterator[list[Any]]:
    for day, row in reports.daily_table(channel=channel, date_range=date_range):
        if row is None:
            yield [day.isoformat(), *[0] * (len(DAILY_HEADER) - 1)]
            continue
        average_watch = row.watch_seconds // row.unique_viewers if row.unique_viewers else 0
        yield [
            day.isoformat(), row.streamed_seconds, row.streams_started, row.viewer_minutes,
            row.average_viewers, row.peak_viewers, row.unique_viewers, average_watch, row.chat_messages,
            row.follows, row.unfollows, row.net_followers, row.page_visits, row.unique_visitors,
        ]  # fmt: skip


def _stream_rows(channel: Channel, date_range: DateRange) -> Iterator[list[Any]]:
    tz = date_range.tz  # the viewer's zone, fixed now: rows are written after the view returns
    for s in reports.streams_in_range(channel=channel, date_range=date_range).iterator(chunk_size=500):
        yield [
            s.pk, _local(s.started_at, tz), _local(s.ended_at, tz), s.title,
            s.category.name if s.category else "",
            s.duration_seconds, s.peak_viewers, s.unique_viewers, s.average_watch_seconds,  # type: ignore[attr-defined]
            s.new_followers, s.chat_messages,  # type: ignore[attr-defined]
        ]  # fmt: skip


def _traffic_rows(channel: Channel, date_range: DateRange) -> Iterator[list[Any]]:
    for t in reports.traffic_rows(channel=channel, date_range=date_range).iterator(chunk_size=1000):
        yield [
            t.day.isoformat(), t.source, t.referrer_host, t.utm_source, t.utm_medium, t.utm_campaign,
            t.visits, t.unique_visitors,
        ]  # fmt: skip


@channel_views.dashboard_view()  # type: ignore[arg-type]  # streamed: HttpResponseBase
@require_GET
def export_range(request: AuthedRequest, channel: Channel) -> HttpResponseBase:
    """GET /dashboard/analytics/export.csv?channel=&from=&to=&kind=daily|streams|traffic"""
    kind = request.GET.get("kind", "daily")
    form = DateRangeForm(request.GET)
    if kind not in KINDS:
        fields = {"kind": [f"Pick one of: {', '.join(KINDS)}."]}
        return JsonResponse(error_body("invalid", "kind: unknown export.", fields), status=400)
    if not form.is_valid():
        fields = {key: [str(e) for e in errors] for key, errors in form.errors.items()}
        return JsonResponse(error_body("invalid", "The date range is invalid.", fields), status=400)
    date_range = form.date_range()
    name = f"{channel.slug}-{kind}-{date_range.start.isoformat()}-{date_range.end.isoformat()}.csv"
    if kind == "daily":
        return _csv(name, DAILY_HEADER, _daily_rows(channel, date_range))
    if kind == "streams":
        return _csv(name, STREAMS_HEADER, _stream_rows(channel, date_range))
    return _csv(name, TRAFFIC_HEADER, _traffic_rows(channel, date_range))


def _minute_rows(stream: Stream, tz: dt.tzinfo) -> Iterator[list[Any]]:
    until = stream.ended_at or timezone.now()
    viewers = {at.replace(second=0, microsecond=0): n for at, n in selectors.viewer_series(stream=stream)}
    for minute, messages in selectors.chat_per_minute(stream=stream, since=stream.started_at, until=until):
        yield [_local(minute, tz), viewers.get(minute, ""), messages]


@login_required
@require_GET
def export_stream(request: AuthedRequest, stream_id: int) -> HttpResponseBase:
    """GET /dashboard/streams/<id>/export.csv: viewers and chat messages per minute."""
    stream = selectors.stream_report(user=request.user, stream_id=stream_id)
    if stream is None:
        raise Http404("No such stream.")
    name = f"{stream.channel.slug}-stream-{stream.pk}-{stream.started_at.date().isoformat()}.csv"
    return _csv(name, MINUTES_HEADER, _minute_rows(stream, timezone.get_current_timezone()))
