"""The creator dashboard under /dashboard/. The Stream page's routes live in streams/page_urls.py
(streams builds on channels_app, never the other way round)."""

from __future__ import annotations

from django.urls import path

from channels_app import views

urlpatterns = [
    path("followers/", views.followers_page, name="dashboard-followers"),
    # /dashboard/ itself is the Overview (analytics/page_urls.py), which shows this form to a
    # user without a channel; an editor creates a channel of their own here.
    path("new/", views.dashboard_index, name="dashboard-create"),
    path("settings/", views.settings_page, name="dashboard-settings"),
    path("settings/images/", views.settings_images, name="dashboard-settings-images"),
    path("settings/panels/", views.panel_create, name="dashboard-panel-create"),
    path("settings/panels/<int:panel_id>/", views.panel_update, name="dashboard-panel-update"),
    path("settings/panels/<int:panel_id>/delete/", views.panel_delete, name="dashboard-panel-delete"),
    path(
        "settings/panels/<int:panel_id>/move/<str:direction>/",
        views.panel_move,
        name="dashboard-panel-move",
    ),
    path("settings/roles/", views.role_grant, name="dashboard-role-grant"),
    path("settings/roles/<int:grant_id>/revoke/", views.role_revoke, name="dashboard-role-revoke"),
]
