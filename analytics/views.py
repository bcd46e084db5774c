"""The creator dashboard's Overview (/dashboard/), its live JSON, the Analytics list and the
per-stream report. Views only route: selectors read, presence gives the live viewer count.

Who sees what: the channel's owner, its editors and staff (channels_app's dashboard_channel /
user_can_manage); anyone else gets a 404, an anonymous visitor the login page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from aethex.http import AuthedRequest
from analytics import reports, selectors
from analytics.forms import DateRangeForm
from channels_app import selectors as channel_selectors
from channels_app import views as channel_views
from channels_app.models import Channel

STREAMS_PER_PAGE = 20


def _shell(request: AuthedRequest, channel: Channel, section: str, switch_to: str) -> dict[str, Any]:
    # The channel switcher stays in this section instead of jumping to the Stream page.
    return {
        **channel_views.dashboard_context(request, channel, section),
        "switcher_action": reverse(switch_to),
    }


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
    context = {
        **_shell(request, channel, "overview", "dashboard"),
        **selectors.dashboard_overview(channel=channel),
    }
    return render(request, "dashboard/overview.html", context)


@channel_views.dashboard_view()
@require_GET
def overview_data(request: AuthedRequest, channel: Channel) -> JsonResponse:
    """What the Overview polls every few seconds: live status and the current viewer count."""
    return JsonResponse(selectors.live_figures(channel=channel)[0])


@channel_views.dashboard_view()
@require_GET
def analytics_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = DateRangeForm(request.GET)
    date_range = form.date_range()
    streams = reports.streams_in_range(channel=channel, date_range=date_range)
    page = Paginator(streams, STREAMS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_live_audience(list(page.object_list))
    context = {
        **_shell(request, channel, "analytics", "dashboard-analytics"),
        **reports.range_overview(channel=channel, date_range=date_range),
        **form.input_values(date_range),
        "form": form,
        "page": page,
        "page_query": f"channel={channel.slug}&{date_range.query()}",
    }
    return render(request, "analytics/streams.html", context)


@login_required
@require_GET
def stream_report(request: AuthedRequest, stream_id: int) -> HttpResponse:
    stream = selectors.stream_report(user=request.user, stream_id=stream_id)
    if stream is None:
        raise Http404("No such stream.")
    context = {
        **_shell(request, stream.channel, "analytics", "dashboard-analytics"),
        "stream": stream,
        "chart_data": selectors.report_charts(stream=stream),
        "traffic": reports.stream_traffic(stream=stream),
    }
    return render(request, "analytics/stream_report.html", context)
