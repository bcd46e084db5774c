"""Clip pages: the clip, its embed and oEmbed, trending, a channel's clips, the creator's
manager and the VOD trim editor. Views route only: selectors read, services write."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aethex.api.errors import error_body
from aethex.http import AuthedRequest
from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from channels_app.views import dashboard_context, dashboard_url, dashboard_view
from vods.clips import selectors, services
from vods.clips.serializers import media_url
from vods.media import file_url
from vods.models import VOD, Clip, ClipStatus, Visibility, VODStatus

PAGE_SIZE = 24
MANAGER_PAGE_SIZE = 20
EMBED_WIDTH, EMBED_HEIGHT = 640, 360


def _clip_or_404(slug: str) -> Clip:
    clip = selectors.clip_get(slug=slug)
    if clip is None or clip.channel.is_suspended:
        raise Http404("No such clip.")
    return clip


def _viewer(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return f"ip{request.META.get('REMOTE_ADDR', '')}"


def _absolute(request: HttpRequest, url: str | None) -> str:
    return request.build_absolute_uri(url) if url else ""


def _clip_context(request: HttpRequest, clip: Clip) -> dict[str, Any]:
    page_url = _absolute(request, reverse("clip", args=[clip.slug]))
    embed_url = _absolute(request, reverse("clip-embed", args=[clip.slug]))
    ready = clip.status == ClipStatus.READY
    return {
        "clip": clip,
        "ready": ready,
        "video_url": _absolute(request, media_url(clip.video)) if ready else "",
        "poster_url": _absolute(request, media_url(clip.poster)) if ready else "",
        "page_url": page_url,
        "embed_url": embed_url,
        "embed_code": (
            f'<iframe src="{embed_url}" width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" '
            f'frameborder="0" allowfullscreen title="{escape(clip.title)}"></iframe>'
        ),
        "oembed_url": _absolute(request, reverse("oembed"))
        + "?"
        + urlencode({"url": page_url, "format": "json"}),
    }


@require_GET
def clip_page(request: HttpRequest, slug: str) -> HttpResponse:
    clip = _clip_or_404(slug)
    if services.clip_record_view(clip=clip, viewer=_viewer(request)):
        clip.views += 1
    user = request.user
    context = {
        **_clip_context(request, clip),
        "liked": selectors.user_likes(user=user, clip=clip),
        "can_delete": selectors.user_can_delete_clip(user=user, clip=clip),
        "can_feature": selectors.user_can_manage_clip(user=user, clip=clip),
        "more": selectors.channel_clips(channel=clip.channel).exclude(pk=clip.pk)[:6],
    }
    return render(request, "clips/clip.html", context)


@xframe_options_exempt
@require_GET
def clip_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The bare player other sites frame: the one page without X-Frame-Options DENY."""
    clip = _clip_or_404(slug)
    services.clip_record_view(clip=clip, viewer=_viewer(request))
    return render(request, "clips/embed.html", _clip_context(request, clip))


@require_GET
def oembed(request: HttpRequest) -> JsonResponse:
    """oEmbed (https://oembed.com) for clip pages and embeds: JSON only (XML is 501, as the spec says)."""
    if request.GET.get("format", "json") != "json":
        return JsonResponse(error_body("not_implemented", "Only format=json is supported."), status=501)
    url = request.GET.get("url", "")
    try:
        match = resolve(urlsplit(url).path) if url else None
    except Resolver404:
        match = None
    if not url:
        return JsonResponse(
            error_body("invalid", "url is required.", {"url": ["This field is required."]}), status=400
        )
    if match is None or match.url_name not in ("clip", "clip-embed"):
        return JsonResponse(error_body("not_found", "No clip at that address."), status=404)
    clip = selectors.clip_get(slug=match.kwargs["slug"])
    if clip is None or clip.channel.is_suspended:
        return JsonResponse(error_body("not_found", "No such clip."), status=404)
    width, height = _fit(request)
    context = _clip_context(request, clip)
    html = (
        f'<iframe src="{context["embed_url"]}" width="{width}" height="{height}" frameborder="0" '
        f'allowfullscreen title="{escape(clip.title)}"></iframe>'  # consumers paste it as HTML
    )
    body: dict[str, Any] = {
        "version": "1.0",
        "type": "video",
        "provider_name": "AeThex Live",
        "provider_url": _absolute(request, "/"),
        "title": clip.title,
        "author_name": clip.channel.name,
        "author_url": _absolute(request, reverse("channel", args=[clip.channel.slug])),
        "html": html,
        "width": width,
        "height": height,
    }
    if context["poster_url"]:
        body |= {"thumbnail_url": context["poster_url"], "thumbnail_width": width, "thumbnail_height": height}
    return JsonResponse(body)


def _fit(request: HttpRequest) -> tuple[int, int]:
    """16:9 within the consumer's maxwidth/maxheight (oEmbed), 640x360 by default."""
    width, height = EMBED_WIDTH, EMBED_HEIGHT
    for param, limit in (("maxwidth", 0), ("maxheight", 1)):
        try:
            value = int(request.GET.get(param, "0"))
        except ValueError:
            continue
        if value > 0:
            if limit == 0 and value < width:
                width, height = value, value * 9 // 16
            elif limit == 1 and value < height:
                width, height = value * 16 // 9, value
    return width, height


@require_GET
def trending(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "week")
    if period not in selectors.PERIODS:
        period = "week"
    page = Paginator(selectors.clips_list(period=period), PAGE_SIZE).get_page(request.GET.get("page"))
    periods = [("day", "Today"), ("week", "This week"), ("all", "All time")]
    context = {"page": page, "period": period, "periods": periods, "extra_query": f"period={period}"}
    return render(request, "clips/trending.html", context)


@require_GET
def channel_clips(request: HttpRequest, slug: str) -> HttpResponse:
    channel = channel_selectors.channel_get(slug=slug)
    if channel is None or channel.is_suspended:
        raise Http404("No such channel.")
    page = Paginator(selectors.channel_clips(channel=channel), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clips/channel.html", {"channel": channel, "page": page})


# --- The creator's manager: /dashboard/clips/ -----------------------------------------------------


@dashboard_view()
@require_GET
def manager(request: AuthedRequest, channel: Channel) -> HttpResponse:
    clips = selectors.manager_clips(channel=channel)
    page = Paginator(clips, MANAGER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {**dashboard_context(request, channel, "clips"), "page": page}
    context["switcher_action"] = reverse("dashboard-clips")
    return render(request, "clips/manager.html", context)


def _managed_clip(channel: Channel, slug: str) -> Clip:
    clip = selectors.clip_get(slug=slug)
    if clip is None or clip.channel_id != channel.pk:
        raise Http404("No such clip.")
    return clip


@dashboard_view()
@require_POST
def manager_feature(request: AuthedRequest, channel: Channel, slug: str) -> HttpResponse:
    clip = _managed_clip(channel, slug)
    clip = services.clip_update(user=request.user, clip=clip, featured=not clip.featured)
    messages.success(request, f"“{clip.title}” is {'featured' if clip.featured else 'no longer featured'}.")
    return redirect(dashboard_url("dashboard-clips", channel))


@dashboard_view()
@require_http_methods(["GET", "POST"])
def manager_delete(request: AuthedRequest, channel: Channel, slug: str) -> HttpResponse:
    """GET asks for confirmation; POST deletes the clip and its files."""
    clip = _managed_clip(channel, slug)
    if request.method == "POST":
        services.clip_delete(user=request.user, clip=clip)
        messages.success(request, f"Deleted “{clip.title}”.")
        return redirect(dashboard_url("dashboard-clips", channel))
    context = {**dashboard_context(request, channel, "clips"), "clip": clip}
    return render(request, "clips/confirm_delete.html", context)


# --- The trim editor: /videos/<id>/clip/ ---------------------------------------------------------


@login_required
@require_GET
def trim_editor(request: AuthedRequest, vod_id: int) -> HttpResponse:
    vod = VOD.objects.select_related("channel").filter(pk=vod_id).first()
    if vod is None or vod.visibility != Visibility.PUBLIC or vod.channel.is_suspended:
        raise Http404("No such video.")
    context = {
        "vod": vod,
        "ready": vod.status == VODStatus.READY,
        "may_clip": selectors.user_may_clip(user=request.user),
        # The VOD's files only through the access-checked view (/media/vods/ is never served).
        "playlist_url": file_url(vod, f"{vod.storage_prefix}/index.m3u8") if vod.storage_prefix else "",
        "poster_url": file_url(vod, vod.poster),
        "min_seconds": Clip.MIN_SECONDS,
        "max_seconds": Clip.MAX_SECONDS,
    }
    return render(request, "clips/trim.html", context)
