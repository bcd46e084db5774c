"""The VOD library's pages: /<slug>/videos/, /videos/<id>/ and its checked media route."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from vods import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("videos/<int:vod_id>/", views.vod_detail, name="vod-detail"),
    # Any name without "/" reaches the view, which refuses what is not one file of this VOD.
    path("videos/<int:vod_id>/media/<str:name>", views.vod_media, name="vod-media"),
    re_path(r"^(?P<slug>[A-Za-z0-9_]{3,25})/videos/$", views.channel_videos, name="channel-videos"),
]
