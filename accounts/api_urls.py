from __future__ import annotations

from django.urls import path

from accounts import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("me/avatar", api.MeAvatarApi.as_view(), name="api-me-avatar"),
    path("me/tokens/", api.MeTokensApi.as_view(), name="api-me-tokens"),
    path("me/tokens/<int:token_id>/", api.MeTokenDetailApi.as_view(), name="api-me-token"),
    path("me/sessions/", api.MeSessionsApi.as_view(), name="api-me-sessions"),
    path("me/sessions/<int:session_id>/", api.MeSessionDetailApi.as_view(), name="api-me-session"),
    path("users/<str:username>/", api.UserDetailApi.as_view(), name="api-user"),
    path("scopes/", api.ScopesApi.as_view(), name="api-scopes"),
]
