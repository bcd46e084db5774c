"""REST endpoints for the signed-in user (`/api/v1/me/...`) and public profiles."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import ApiToken, User
from accounts.permissions import IsAuthenticatedWithScope
from accounts.scopes import SCOPES
from accounts.serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    AvatarUploadSerializer,
    MeSerializer,
    PublicUserSerializer,
    UserSessionSerializer,
)


def _me(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by IsAuthenticatedWithScope
    return user


def _current_session_key(request: Request) -> str | None:
    # allauth headless authenticates with the session named by X-Session-Token, not the cookie's.
    if isinstance(request.auth, SessionBase):
        return request.auth.session_key
    return request.session.session_key


class MeApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = {"GET": ["profile:read"], "PATCH": ["profile:write"]}

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(_me(request), context={"request": request}).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request: Request) -> Response:
        serializer = MeSerializer(_me(request), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_settings(user=_me(request), **serializer.validated_data)
        return Response(MeSerializer(user).data)


class MeAvatarApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["profile:write"]
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "avatar"

    @extend_schema(request=AvatarUploadSerializer, responses=MeSerializer)
    def put(self, request: Request) -> Response:
        serializer = AvatarUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_set_avatar(user=_me(request), upload=serializer.validated_data["avatar"])
        return Response(MeSerializer(user).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        services.user_clear_avatar(user=_me(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeTokensApi(APIView):
    """Personal API tokens. Managing them needs a signed-in session: a token cannot mint tokens."""

    permission_classes = [IsAuthenticatedWithScope]
    session_only = True
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "tokens"

    def get_throttles(self) -> list[Any]:
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        tokens = selectors.api_tokens_for_user(user=_me(request))
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def post(self, request: Request) -> Response:
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = services.api_token_create(user=_me(request), **serializer.validated_data)
        token.token = secret  # type: ignore[attr-defined]
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class MeTokenDetailApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    session_only = True

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        token = get_object_or_404(ApiToken, pk=token_id, user=_me(request))
        services.api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeSessionsApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    session_only = True

    @extend_schema(responses=UserSessionSerializer(many=True))
    def get(self, request: Request) -> Response:
        sessions = selectors.user_sessions_for_user(user=_me(request))
        context = {"session_key": _current_session_key(request)}
        return Response(UserSessionSerializer(sessions, many=True, context=context).data)


class MeSessionDetailApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    session_only = True

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, session_id: int) -> Response:
        if not services.user_session_end(user=_me(request), session_id=session_id):
            raise NotFound("No such session.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=PublicUserSerializer)
    def get(self, request: Request, username: str) -> Response:
        user = selectors.user_get_public(username=username)
        if user is None:
            raise NotFound("No such user.")
        return Response(PublicUserSerializer(user).data)


class ScopesApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: {"type": "object", "additionalProperties": {"type": "string"}}})
    def get(self, request: Request) -> Response:
        return Response(SCOPES)
