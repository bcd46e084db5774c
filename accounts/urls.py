from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("u/<str:username>/", views.profile, name="profile"),
    path("settings/", views.settings_index, name="settings"),
    path("settings/profile/", views.settings_profile, name="settings-profile"),
    path("settings/preferences/", views.settings_preferences, name="settings-preferences"),
    path("settings/security/", views.settings_security, name="settings-security"),
    path("settings/security/tokens/", views.token_create, name="settings-token-create"),
    path("settings/security/tokens/<int:token_id>/revoke/", views.token_revoke, name="settings-token-revoke"),
    path("settings/security/sessions/<int:session_id>/end/", views.session_end, name="settings-session-end"),
]
