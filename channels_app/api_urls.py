from __future__ import annotations

from django.urls import path

from channels_app import api
from streams import api as stream_api

urlpatterns = [
    path("channels/", api.ChannelListApi.as_view(), name="api-channels"),
    path("channels/<str:slug>/", api.ChannelDetailApi.as_view(), name="api-channel"),
    path("channels/<str:slug>/stream-key", api.StreamKeyApi.as_view(), name="api-stream-key"),
    path(
        "channels/<str:slug>/stream-key/rotate",
        api.StreamKeyRotateApi.as_view(),
        name="api-stream-key-rotate",
    ),
    path("channels/<str:slug>/stream", stream_api.StreamStatusApi.as_view(), name="api-channel-stream"),
    path("channels/<str:slug>/health", stream_api.StreamHealthApi.as_view(), name="api-channel-health"),
    path("channels/<str:slug>/roles/", api.ChannelRolesApi.as_view(), name="api-channel-roles"),
    path(
        "channels/<str:slug>/roles/<int:role_id>/",
        api.ChannelRoleDetailApi.as_view(),
        name="api-channel-role",
    ),
    path("channels/<str:slug>/panels/", api.ChannelPanelsApi.as_view(), name="api-channel-panels"),
    path(
        "channels/<str:slug>/panels/<int:panel_id>/",
        api.ChannelPanelDetailApi.as_view(),
        name="api-channel-panel",
    ),
    path("channels/<str:slug>/follow", api.FollowApi.as_view(), name="api-channel-follow"),
    path("channels/<str:slug>/followers", api.ChannelFollowersApi.as_view(), name="api-channel-followers"),
    path("categories/", api.CategoryListApi.as_view(), name="api-categories"),
]
