"""The dashboard's Overview and Analytics pages. Included before channels_app.dashboard_urls:
the Overview owns /dashboard/ because it reads streams and chat (channels_app cannot)."""

from __future__ import annotations

from django.urls import path

from analytics import beacon, exports, views

urlpatterns = [
    path("dashboard/", views.overview, name="dashboard"),
    path("dashboard/overview.json", views.overview_data, name="dashboard-overview-data"),
    path("dashboard/analytics/", views.analytics_page, name="dashboard-analytics"),
    path("dashboard/analytics/export.csv", exports.export_range, name="dashboard-analytics-export"),
    path("dashboard/streams/<int:stream_id>/", views.stream_report, name="dashboard-stream-report"),
    path(
        "dashboard/streams/<int:stream_id>/export.csv", exports.export_stream, name="dashboard-stream-export"
    ),
    path("analytics/visit", beacon.visit, name="analytics-visit"),
]
