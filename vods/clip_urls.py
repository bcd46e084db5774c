"""Clip pages. Included before the channel pages: `/<slug>/clips/` must win over nothing else,
and `/embed/clip/<slug>/` is two segments, so the channel embed `^embed/<slug>/$` never sees it."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from vods.clips import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("clip/<slug:slug>/", views.clip_page, name="clip"),
    path("embed/clip/<slug:slug>/", views.clip_embed, name="clip-embed"),
    path("oembed", views.oembed, name="oembed"),
    path("clips/", views.trending, name="clips-trending"),
    path("dashboard/clips/", views.manager, name="dashboard-clips"),
    path("dashboard/clips/<slug:slug>/feature/", views.manager_feature, name="dashboard-clip-feature"),
    path("dashboard/clips/<slug:slug>/delete/", views.manager_delete, name="dashboard-clip-delete"),
    path("videos/<int:vod_id>/clip/", views.trim_editor, name="vod-clip-editor"),
    re_path(r"^(?P<slug>[A-Za-z0-9_]{3,25})/clips/$", views.channel_clips, name="channel-clips"),
]
