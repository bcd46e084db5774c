"""The VOD library's pages: a channel's videos, one VOD with its player and chat replay, and the
checked media route every playlist, segment and image of a VOD goes through."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from channels_app import selectors as channel_selectors
from vods import access, media, selectors
from vods.models import VOD
from vods.services.library import vod_view_record

PAGE_SIZE = 24


def _watchable_or_404(request: HttpRequest, vod_id: int) -> VOD:
    vod = selectors.vod_get(pk=vod_id)
    if vod is None or not access.can_watch(request.user, vod):
        raise Http404("No such video.")  # the same answer whether it exists or not
    return vod


def _viewer_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    # Anonymous viewers by address and browser, hashed: the cache never holds an IP address.
    seed = f"{request.META.get('REMOTE_ADDR', '')}|{request.headers.get('User-Agent', '')}"
    return "a" + hashlib.sha256(seed.encode()).hexdigest()[:24]


@require_GET
def channel_videos(request: HttpRequest, slug: str) -> HttpResponse:
    channel = channel_selectors.channel_get(slug=slug)
    if channel is None:
        raise Http404("No such channel.")
    vods = selectors.library_vods(user=request.user, channel=channel)
    page = Paginator(vods, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "channel": channel,
        "page": page,
        "cards": [(vod, media.file_url(vod, vod.poster)) for vod in page.object_list],
        "can_manage": access.is_team(user=request.user, channel=channel),
    }
    return render(request, "vods/channel_videos.html", context)


@require_GET
def vod_detail(request: HttpRequest, vod_id: int) -> HttpResponse:
    vod = _watchable_or_404(request, vod_id)
    if vod_view_record(vod=vod, viewer_key=_viewer_key(request)):
        vod.views += 1  # the row was updated in SQL; show this view too
    progress = selectors.progress_get(user=request.user, vod=vod)
    player: dict[str, Any] = {
        "id": vod.pk,
        "playlist": media.file_url(vod, "index.m3u8"),
        "duration": vod.duration,
        "stream_started_at": vod.stream.started_at.isoformat(),
        "chat_url": reverse("api-vod-chat", args=[vod.pk]),
        "progress_url": reverse("api-vod-progress", args=[vod.pk]) if request.user.is_authenticated else "",
        "resume": progress.position if progress else 0,
        "strip": None,
    }
    if vod.strip and vod.strip_columns and vod.strip_interval > 0:
        player["strip"] = {
            "url": media.file_url(vod, vod.strip),
            "interval": vod.strip_interval,
            "columns": vod.strip_columns,
            "tile_width": vod.strip_tile_width,
            "tile_height": vod.strip_tile_height,
        }
    context = {
        "vod": vod,
        "channel": vod.channel,
        "title": vod.title or vod.stream.title or f"Past broadcast of {vod.channel.name}",
        "poster_url": media.file_url(vod, vod.poster),
        "player": player,
        "can_manage": access.is_team(user=request.user, channel=vod.channel),
    }
    return render(request, "vods/vod_detail.html", context)


@require_GET
def vod_media(request: HttpRequest, vod_id: int, name: str) -> HttpResponseBase:
    """A playlist, segment or image of a VOD, once `can_watch` said yes (404 otherwise)."""
    vod = _watchable_or_404(request, vod_id)
    return media.serve(vod, name)
