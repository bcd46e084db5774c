"""The VOD library's API under /api/v1/: /vods/, /vods/{id}/, its chat replay and my progress."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from vods import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("vods/", api.VODListApi.as_view(), name="api-vods"),
    path("vods/<int:vod_id>/", api.VODDetailApi.as_view(), name="api-vod-detail"),
    path("vods/<int:vod_id>/chat", api.VODChatApi.as_view(), name="api-vod-chat"),
    path("vods/<int:vod_id>/progress", api.VODProgressApi.as_view(), name="api-vod-progress"),
]
