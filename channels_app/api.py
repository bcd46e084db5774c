"""REST endpoints for channels: /api/v1/channels/..., stream keys, roles, panels, categories."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.models import User
from accounts.permissions import IsAuthenticatedWithScope, TokenHasScope
from channels_app import selectors, services
from channels_app.models import Category, Channel, ChannelPanel, ChannelRole, Follow
from channels_app.serializers import (
    CategorySerializer,
    ChannelCreatedSerializer,
    ChannelPanelSerializer,
    ChannelRoleCreateSerializer,
    ChannelRoleSerializer,
    ChannelSerializer,
    ChannelUpdateSerializer,
    FollowerSerializer,
    FollowNotifySerializer,
    FollowStateSerializer,
    StreamKeyCreatedSerializer,
    StreamKeySerializer,
    validated,
)

# What an editor may change; the rest (branding, ladder, description) is the broadcaster's.
EDITOR_FIELDS = {"title", "category", "tags", "language", "is_mature"}


def channel_or_404(slug: str) -> Channel:
    channel = selectors.channel_get(slug=slug)
    if channel is None:
        raise NotFound("No such channel.")
    return channel


def require_owner(request: Request, channel: Channel) -> User:
    user = request.user
    if not isinstance(user, User) or not selectors.user_owns(user=user, channel=channel):
        raise PermissionDenied("Only the broadcaster can do this.")
    return user


def require_manager(request: Request, channel: Channel) -> User:
    user = request.user
    if not isinstance(user, User) or not selectors.user_can_manage(user=user, channel=channel):
        raise PermissionDenied("Only the broadcaster and the channel's editors can do this.")
    return user


class ChannelListApi(generics.ListAPIView):
    serializer_class = ChannelSerializer
    permission_classes = [TokenHasScope]
    required_scopes = {"POST": ["channels:manage"]}

    @extend_schema(parameters=[OpenApiParameter("owner", str, description="Only this user's channels.")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Channel]:
        owner_name = self.request.query_params.get("owner")
        owner = account_selectors.user_get_public(username=owner_name) if owner_name else None
        if owner_name and owner is None:
            return Channel.objects.none()
        return selectors.channel_list(owner=owner).order_by("slug")

    @extend_schema(request=ChannelSerializer, responses={201: ChannelCreatedSerializer})
    def post(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise PermissionDenied("Sign in to create a channel.")
        data = validated(ChannelSerializer(data=request.data))
        channel, key = services.channel_create(owner=request.user, **data)
        channel.stream_key = key  # type: ignore[attr-defined]
        return Response(ChannelCreatedSerializer(channel).data, status=status.HTTP_201_CREATED)


class ChannelDetailApi(APIView):
    permission_classes = [TokenHasScope]
    required_scopes = {"PATCH": ["channels:manage"]}

    @extend_schema(responses=ChannelSerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(ChannelSerializer(channel_or_404(slug)).data)

    @extend_schema(request=ChannelUpdateSerializer, responses=ChannelSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        user = require_manager(request, channel)
        changes = validated(ChannelUpdateSerializer(channel, data=request.data, partial=True))
        if not selectors.user_owns(user=user, channel=channel) and (
            forbidden := sorted(set(changes) - EDITOR_FIELDS)
        ):
            raise PermissionDenied(f"Editors cannot change: {', '.join(forbidden)}.")
        channel = services.channel_update(channel=channel, **changes)
        return Response(ChannelSerializer(channel).data)


class StreamKeyApi(APIView):
    """The key itself is never readable: only its prefix; rotate to get a new one."""

    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["channels:manage"]

    @extend_schema(responses=StreamKeySerializer)
    def get(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        require_owner(request, channel)
        return Response(StreamKeySerializer(_key_info(channel)).data)


class StreamKeyRotateApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["channels:manage"]

    @extend_schema(request=None, responses=StreamKeyCreatedSerializer)
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        require_owner(request, channel)
        key = services.stream_key_rotate(channel=channel)
        return Response(StreamKeyCreatedSerializer({**_key_info(channel), "stream_key": key}).data)


def _key_info(channel: Channel) -> dict[str, Any]:
    return {
        "server_url": settings.RTMP_PUBLIC_URL,
        "prefix": channel.stream_key_prefix,
        "created_at": channel.stream_key_created_at,
    }


class ChannelRolesApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["channels:manage"]

    @extend_schema(responses=ChannelRoleSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        require_owner(request, channel)
        return Response(ChannelRoleSerializer(selectors.channel_role_list(channel=channel), many=True).data)

    @extend_schema(request=ChannelRoleCreateSerializer, responses={201: ChannelRoleSerializer})
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        granter = require_owner(request, channel)
        data = validated(ChannelRoleCreateSerializer(data=request.data))
        user = account_selectors.user_get_public(username=data["username"])
        if user is None:
            raise NotFound("No such user.")
        grant = services.channel_role_grant(channel=channel, user=user, role=data["role"], granted_by=granter)
        return Response(ChannelRoleSerializer(grant).data, status=status.HTTP_201_CREATED)


class ChannelRoleDetailApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["channels:manage"]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, role_id: int) -> Response:
        channel = channel_or_404(slug)
        require_owner(request, channel)
        grant = ChannelRole.objects.filter(channel=channel, pk=role_id).first()
        if grant is None:
            raise NotFound("No such role on this channel.")
        services.channel_role_revoke(grant=grant)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChannelPanelsApi(APIView):
    permission_classes = [TokenHasScope]
    required_scopes = {"POST": ["channels:manage"]}

    @extend_schema(responses=ChannelPanelSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        panels = selectors.channel_panels(channel=channel_or_404(slug))
        return Response(ChannelPanelSerializer(panels, many=True).data)

    @extend_schema(request=ChannelPanelSerializer, responses={201: ChannelPanelSerializer})
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        require_owner(request, channel)
        panel = services.panel_create(channel=channel, **validated(ChannelPanelSerializer(data=request.data)))
        return Response(ChannelPanelSerializer(panel).data, status=status.HTTP_201_CREATED)


class ChannelPanelDetailApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["channels:manage"]

    def _panel(self, request: Request, slug: str, panel_id: int) -> ChannelPanel:
        channel = channel_or_404(slug)
        require_owner(request, channel)
        panel = ChannelPanel.objects.filter(channel=channel, pk=panel_id).first()
        if panel is None:
            raise NotFound("No such panel on this channel.")
        return panel

    @extend_schema(request=ChannelPanelSerializer, responses=ChannelPanelSerializer)
    def patch(self, request: Request, slug: str, panel_id: int) -> Response:
        panel = self._panel(request, slug, panel_id)
        changes = validated(ChannelPanelSerializer(panel, data=request.data, partial=True))
        return Response(ChannelPanelSerializer(services.panel_update(panel=panel, **changes)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, panel_id: int) -> Response:
        services.panel_delete(panel=self._panel(request, slug, panel_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryListApi(generics.ListAPIView):
    serializer_class = CategorySerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.categories_active()


# --- Follows ----------------------------------------------------------------------------------


def follow_state(*, user: User, channel: Channel) -> dict[str, Any]:
    follow = selectors.follow_get(user=user, channel=channel)
    return {
        "channel": channel.slug,
        "following": follow is not None,
        "notify": bool(follow and follow.notify),
        "followed_at": follow.created_at if follow else None,
        "follower_count": selectors.follower_count(channel=channel),
    }


def _follower(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by IsAuthenticatedWithScope
    return user


class FollowApi(APIView):
    """Follow (POST), unfollow (DELETE) and the go-live switch (PATCH); all idempotent."""

    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["profile:write"]

    @extend_schema(request=None, responses={200: FollowStateSerializer, 201: FollowStateSerializer})
    def post(self, request: Request, slug: str) -> Response:
        channel, user = channel_or_404(slug), _follower(request)
        _, created = services.follow_create(user=user, channel=channel)
        state = FollowStateSerializer(follow_state(user=user, channel=channel)).data
        return Response(state, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses=FollowStateSerializer)
    def delete(self, request: Request, slug: str) -> Response:
        channel, user = channel_or_404(slug), _follower(request)
        services.follow_delete(user=user, channel=channel)
        return Response(FollowStateSerializer(follow_state(user=user, channel=channel)).data)

    @extend_schema(request=FollowNotifySerializer, responses=FollowStateSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        channel, user = channel_or_404(slug), _follower(request)
        notify = validated(FollowNotifySerializer(data=request.data))["notify"]
        follow = selectors.follow_get(user=user, channel=channel)
        if follow is None:
            raise NotFound("You don’t follow this channel.")
        services.follow_set_notify(follow=follow, notify=notify)
        return Response(FollowStateSerializer(follow_state(user=user, channel=channel)).data)


class ChannelFollowersApi(generics.ListAPIView):
    """The channel's followers, newest first, with the date each followed: broadcaster and staff only."""

    serializer_class = FollowerSerializer
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["channels:read"]

    def get_queryset(self) -> QuerySet[Follow]:
        channel = channel_or_404(self.kwargs["slug"])
        require_owner(self.request, channel)
        return selectors.followers_of(channel=channel)
