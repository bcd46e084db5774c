"""Watching and running a stream: the channel page, the embeddable player, and the dashboard's
Stream page (connection details, key rotation, stream info, live health, end stream).

The dashboard shell and its channel resolution (a channel the user may not manage is a 404)
come from channels_app.views; streams builds on channels_app, never the other way round.
"""

from __future__ import annotations

from typing import Any

import markdown
import nh3
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from aethex.http import AuthedRequest
from channels_app import selectors as channel_selectors
from channels_app import services as channel_services
from channels_app.forms import StreamInfoForm, add_service_errors
from channels_app.models import Channel
from channels_app.views import (
    dashboard_context,
    dashboard_url,
    dashboard_view,
    follow_context,
    obs_context,
)
from streams import selectors, services
from streams.models import EndReason

HEALTH_WINDOW_MINUTES = 10

# What panel markdown may produce: text formatting and links, no images, scripts or styles.
_PANEL_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "hr", "i", "li", "ol", "p", "pre",
    "s", "strong", "sub", "sup", "ul",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    clean = nh3.clean(
        html,
        tags=_PANEL_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )
    return mark_safe(clean)  # noqa: S308 -- nh3 has just removed everything not allow-listed above


# --- Watching -----------------------------------------------------------------------------------


def _watch_context(request: AuthedRequest, channel: Channel) -> dict[str, Any]:
    if channel.is_suspended:
        return {"channel": channel}
    status = selectors.stream_status(channel=channel)
    return {
        "channel": channel,
        "status": status,
        "is_live": status["status"] == "live",
        "poster_url": status.get("thumbnail_url") or (channel.banner.url if channel.banner else ""),
        "can_manage": channel_selectors.user_can_manage(user=request.user, channel=channel),
    }


def _channel_or_404(slug: str) -> Channel:
    channel = channel_selectors.channel_get(slug=slug)
    if channel is None:
        raise Http404("No such channel.")
    return channel


@require_GET
def channel_page(request: AuthedRequest, slug: str) -> HttpResponse:
    channel = _channel_or_404(slug)
    context = _watch_context(request, channel)
    if not channel.is_suspended:
        panels = channel_selectors.channel_panels(channel=channel)
        context["panels"] = [(panel, render_markdown(panel.body)) for panel in panels]
        context["description_html"] = render_markdown(channel.description)
        context["follow"] = follow_context(request.user, channel)
    return render(request, "streams/channel.html", context)


@xframe_options_exempt  # the player is meant to be framed by other sites
@require_GET
def embed(request: AuthedRequest, slug: str) -> HttpResponse:
    channel = _channel_or_404(slug)
    return render(request, "streams/embed.html", _watch_context(request, channel))


# --- Dashboard: Stream ------------------------------------------------------------------------


def _render_stream_page(
    request: AuthedRequest, channel: Channel, form: StreamInfoForm | None = None, **extra: Any
) -> HttpResponse:
    live = selectors.live_stream(channel=channel)
    samples = selectors.health_recent(stream=live, minutes=HEALTH_WINDOW_MINUTES) if live else []
    context = {
        **dashboard_context(request, channel, "stream"),
        **obs_context(),
        "live": live,
        "status": selectors.stream_status(channel=channel),
        "latest": samples[-1] if samples else None,
        "health": {"samples": [selectors.health_payload(sample) for sample in samples]},
        "info_form": form or StreamInfoForm.for_channel(channel),
        **extra,
    }
    return render(request, "dashboard/stream.html", context)


@dashboard_view()
@require_http_methods(["GET", "POST"])
def dashboard_stream(request: AuthedRequest, channel: Channel) -> HttpResponse:
    form = StreamInfoForm.for_channel(channel, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            channel_services.channel_update(channel=channel, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            live = selectors.live_stream(channel=channel)
            messages.success(request, "Saved. Viewers see it now." if live else "Saved for your next stream.")
            return redirect(dashboard_url("dashboard-stream", channel))
    return _render_stream_page(request, channel, form)


@dashboard_view()
@require_POST
def stream_key_rotate(request: AuthedRequest, channel: Channel) -> HttpResponse:
    if not channel_selectors.user_owns(user=request.user, channel=channel):
        raise Http404("No such channel.")
    key = channel_services.stream_key_rotate(channel=channel)
    # The new key lives only in this response, like the first one.
    return _render_stream_page(request, channel, new_key=key)


@dashboard_view()
@require_POST
def stream_end(request: AuthedRequest, channel: Channel) -> HttpResponse:
    live = selectors.live_stream(channel=channel)
    if live is not None:
        services.stream_end(stream=live, reason=EndReason.ENDED_BY_CREATOR)
        messages.success(request, "Your stream has ended. OBS was disconnected.")
    url = dashboard_url("dashboard-stream", channel)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@dashboard_view()
@require_GET
def stream_health(request: AuthedRequest, channel: Channel) -> JsonResponse:
    live = selectors.live_stream(channel=channel)
    samples = selectors.health_recent(stream=live, minutes=HEALTH_WINDOW_MINUTES) if live else []
    return JsonResponse(
        {
            "status": selectors.stream_status(channel=channel),
            "samples": [selectors.health_payload(sample) for sample in samples],
            "window_seconds": HEALTH_WINDOW_MINUTES * 60,
        }
    )
