"""streams' own API routes under /api/v1/ (the per-channel ones sit in channels_app/api_urls.py)."""

from __future__ import annotations

from django.urls import path

from streams import api

urlpatterns = [
    path("streams/", api.StreamListApi.as_view(), name="api-streams"),
]
