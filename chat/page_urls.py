"""Chat pages: popout chat, the OBS overlay, the user card, the emote list and the dashboard's
Chat & moderation page. Included before streams.page_urls, whose /<slug>/ catches the rest."""

from __future__ import annotations

from django.urls import path, re_path

from chat import views

SLUG = r"(?P<slug>[A-Za-z0-9_]{3,25})"
USERNAME = r"(?P<username>[A-Za-z0-9_]{1,30})"

urlpatterns = [
    path("dashboard/chat/", views.dashboard_chat, name="dashboard-chat"),
    path("dashboard/chat/modes/", views.dashboard_chat_modes, name="dashboard-chat-modes"),
    path("dashboard/chat/terms/", views.dashboard_term_add, name="dashboard-chat-term-add"),
    path(
        "dashboard/chat/terms/<int:term_id>/delete/",
        views.dashboard_term_remove,
        name="dashboard-chat-term-remove",
    ),
    path(
        "dashboard/chat/held/<int:message_id>/<str:verdict>/",
        views.dashboard_held_resolve,
        name="dashboard-chat-held",
    ),
    re_path(rf"^popout/{SLUG}/chat/?$", views.popout, name="chat-popout"),
    re_path(rf"^overlay/{SLUG}/chat/?$", views.overlay, name="chat-overlay"),
    re_path(rf"^{SLUG}/chat/emotes\.json$", views.emotes_json, name="chat-emotes"),
    re_path(rf"^{SLUG}/chat/user/{USERNAME}/?$", views.user_card, name="chat-user-card"),
]
