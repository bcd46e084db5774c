"""The creator dashboard's Overview (/dashboard/), its live JSON, the Analytics list and the
per-stream report. Views only route: selectors read, presence gives the live viewer count.

Who sees what: the channel's owner, its editors and staff (channels_app's dashboard_channel /
user_can_manage); anyone else gets a 404, an anonymous visitor the login page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from aethex.http import AuthedRequest
from analytics import selectors
from channels_app import selectors as channel_selectors
from channels_app import views as channel_views
from channels_app.models import Channel
from streams import presence
from streams import selectors as stream_selectors
from streams.models import Stream

STREAMS_PER_PAGE = 20


def _shell(request: AuthedRequest, channel: Channel, section: str) -> dict[str, Any]:
    # The channel switcher stays on this page instead of jumping to the Stream page.
    return {
        **channel_views.dashboard_context(request, channel, section),
        "switcher_action": reverse("dashboard"),
    }


def _live_figures(channel: Channel) -> dict[str, Any]:
    live = stream_selectors.live_stream(channel=channel)
    viewers = presence.viewer_count(channel.slug) if live else 0
    return {
        "status": "live" if live else "offline",
        "stream_id": live.pk if live else None,
        "title": live.title if live else channel.title,
        "category": live.category.name if live and live.category else None,
        "started_at": live.started_at.isoformat() if live else None,
        "viewers": viewers,
        "peak_viewers": max(live.peak_viewers, viewers) if live else 0,
        "at": timezone.now().isoformat(),
        "_stream": live,
    }


def _with_live_audience(streams: list[Stream]) -> list[Stream]:
    # The sampler copies the live stream's distinct viewers once a minute; show them as they are.
    for stream in streams:
        if stream.is_live:
            stream.unique_viewers = max(stream.unique_viewers, presence.audience_count(stream.pk))
    return streams


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        return channel_views.dashboard_index(request)  # the create-a-channel form posts here
    slug = request.GET.get("channel") or ""
    channel = channel_selectors.dashboard_channel(user=request.user, slug=slug or None)
    if channel is None:
        if slug:
            raise Http404("No such channel.")
        return channel_views.dashboard_index(request)  # no channel yet: create one first
    now = timezone.now()
    figures = _live_figures(channel)
    live = figures.pop("_stream")
    samples = selectors.viewer_series(stream=live, since=selectors.live_chart_since(now)) if live else []
    health = stream_selectors.health_recent(stream=live, minutes=2, limit=1) if live else []
    chat_since = now - timedelta(minutes=selectors.CHAT_WINDOW_MINUTES)
    chat = selectors.chat_per_minute(channel=channel, since=chat_since, until=now)
    context = {
        **_shell(request, channel, "overview"),
        "live": live,
        "figures": figures,
        "health": health[-1] if health else None,
        "totals": selectors.channel_totals(channel=channel),
        "followers": selectors.recent_followers(channel=channel),
        "chat_messages": selectors.recent_messages(channel=channel),
        "chat_total": sum(n for _, n in chat),
        "recent_streams": _with_live_audience(selectors.recent_streams(channel=channel)),
        "chart_data": {
            "viewers": selectors.series_payload(samples),
            "chat": selectors.series_payload(chat),
            "live": figures,
            "window_seconds": selectors.LIVE_CHART_MINUTES * 60,
            "chat_window_seconds": selectors.CHAT_WINDOW_MINUTES * 60,
        },
    }
    return render(request, "dashboard/overview.html", context)


@channel_views.dashboard_view()
@require_GET
def overview_data(request: AuthedRequest, channel: Channel) -> JsonResponse:
    """What the Overview polls every few seconds: live status and the current viewer count."""
    figures = _live_figures(channel)
    figures.pop("_stream")
    return JsonResponse(figures)


@channel_views.dashboard_view()
@require_GET
def analytics_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    page = Paginator(selectors.streams_with_figures(channel=channel), STREAMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_live_audience(list(page.object_list))
    context = {
        **_shell(request, channel, "analytics"),
        "switcher_action": reverse("dashboard-analytics"),
        "page": page,
        "totals": selectors.channel_totals(channel=channel),
    }
    return render(request, "analytics/streams.html", context)


@login_required
@require_GET
def stream_report(request: AuthedRequest, stream_id: int) -> HttpResponse:
    stream = selectors.stream_report(user=request.user, stream_id=stream_id)
    if stream is None:
        raise Http404("No such stream.")
    until = stream.ended_at or timezone.now()
    chat = selectors.chat_per_minute(stream=stream, since=stream.started_at, until=until)
    context = {
        **_shell(request, stream.channel, "analytics"),
        "switcher_action": reverse("dashboard-analytics"),
        "stream": stream,
        "chart_data": {
            "viewers": selectors.series_payload(selectors.viewer_series(stream=stream)),
            "chat": selectors.series_payload(chat),
            "start": int(stream.started_at.timestamp() * 1000),
            "end": int(until.timestamp() * 1000),
        },
    }
    return render(request, "analytics/stream_report.html", context)
