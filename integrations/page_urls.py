"""Alerts: the OBS overlay and the dashboard's Alerts page (before streams' /<slug>/ catch-all)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from integrations import views

SLUG = r"(?P<slug>[A-Za-z0-9_]{3,25})"

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/alerts/", views.dashboard_alerts, name="dashboard-alerts"),
    path("dashboard/alerts/rotate/", views.dashboard_alerts_rotate, name="dashboard-alerts-rotate"),
    path("dashboard/alerts/test/", views.dashboard_alerts_test, name="dashboard-alerts-test"),
    path(
        "dashboard/alerts/<int:event_id>/replay/",
        views.dashboard_alerts_replay,
        name="dashboard-alerts-replay",
    ),
    re_path(rf"^overlay/{SLUG}/alerts/?$", views.overlay, name="alerts-overlay"),
]
