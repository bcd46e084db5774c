"""REST endpoints for the signed-in user's notifications: /api/v1/notifications/..."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import IsAuthenticatedWithScope
from channels_app.models import Follow
from social import selectors, services
from social.models import Notification
from social.serializers import FollowingSerializer, NotificationSerializer, UnreadCountSerializer


def _me(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by IsAuthenticatedWithScope
    return user


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["profile:read"]

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only unread ones.")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        response.data["unread"] = selectors.unread_count(user=_me(request))
        return response

    def get_queryset(self) -> QuerySet[Notification]:
        unread_only = self.request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        return selectors.notifications_of(user=_me(self.request), unread_only=unread_only)


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["profile:write"]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, notification_id: int) -> Response:
        notification = selectors.notification_get(user=_me(request), notification_id=notification_id)
        if notification is None:
            raise NotFound("No such notification.")
        notification = services.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["profile:write"]

    @extend_schema(request=None, responses=UnreadCountSerializer)
    def post(self, request: Request) -> Response:
        marked = services.notifications_mark_all_read(user=_me(request))
        return Response({"marked": marked, "unread": 0})


class MeFollowingApi(generics.ListAPIView):
    """The channels the signed-in viewer follows, live ones first, each with its notify switch."""

    serializer_class = FollowingSerializer
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["profile:read"]

    def get_queryset(self) -> QuerySet[Follow]:
        return selectors.following_with_live(user=_me(self.request))
