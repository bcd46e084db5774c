"""Pages at /following/ and /notifications/ (both reserved channel slugs)."""

from __future__ import annotations

from django.urls import path

from social import views

urlpatterns = [
    path("following/", views.following_page, name="following"),
    path("following/<str:slug>/notify/", views.following_notify, name="following-notify"),
    path("notifications/", views.notifications_page, name="notifications"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
]
