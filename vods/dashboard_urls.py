"""The dashboard's Videos page under /dashboard/videos/ (the clips manager is /dashboard/clips/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from vods import dashboard_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/videos/", views.videos_page, name="dashboard-videos"),
    path("dashboard/videos/progress/", views.videos_progress, name="dashboard-videos-progress"),
    path("dashboard/videos/settings/", views.videos_settings, name="dashboard-videos-settings"),
    path("dashboard/videos/<int:vod_id>/edit/", views.vod_edit, name="dashboard-vod-edit"),
    path("dashboard/videos/<int:vod_id>/delete/", views.vod_delete, name="dashboard-vod-delete"),
    path("dashboard/videos/<int:vod_id>/retry/", views.vod_retry, name="dashboard-vod-retry"),
]
