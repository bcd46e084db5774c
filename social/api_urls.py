from __future__ import annotations

from django.urls import path

from social import api

urlpatterns = [
    path("me/following/", api.MeFollowingApi.as_view(), name="api-me-following"),
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
    path(
        "notifications/<int:notification_id>/read",
        api.NotificationReadApi.as_view(),
        name="api-notification-read",
    ),
    path("notifications/read-all", api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
]
