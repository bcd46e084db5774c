"""/api/v1/clips/: clips from live streams and VODs, their likes."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from vods.clips import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("clips/", api.ClipListApi.as_view(), name="api-clips"),
    path("clips/<str:slug>/", api.ClipDetailApi.as_view(), name="api-clip"),
    path("clips/<str:slug>/like", api.ClipLikeApi.as_view(), name="api-clip-like"),
]
