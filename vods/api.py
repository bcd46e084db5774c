"""REST endpoints of the VOD library: /api/v1/vods/, one VOD, its chat replay, my watch progress.

Editing and deleting go through the archive's services, as the dashboard's Videos page does.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import IsAuthenticatedWithScope, TokenHasScope
from aethex.api.pagination import PagePagination
from channels_app.api import channel_or_404, require_manager
from channels_app.selectors import user_can_manage
from chat.selectors import message_payload
from vods import access, selectors
from vods.media import file_url
from vods.models import VOD, Visibility
from vods.services import archive
from vods.services.library import watch_progress_save


def watchable_or_404(user: User | AnonymousUser, vod_id: int) -> VOD:
    """The VOD if this viewer may watch it; a 404 otherwise, so private VODs are not revealed."""
    vod = selectors.vod_get(pk=vod_id)
    if vod is None or not access.can_watch(user, vod):
        raise NotFound("No such video.")
    return vod


class _ChannelRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class StripSerializer(serializers.Serializer):
    url = serializers.CharField()
    interval = serializers.FloatField(help_text="Seconds between two tiles.")
    columns = serializers.IntegerField()
    tile_width = serializers.IntegerField()
    tile_height = serializers.IntegerField()


class VODSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    channel = _ChannelRefSerializer()
    visibility = serializers.CharField()
    duration = serializers.FloatField(help_text="Seconds.")
    views = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    stream_started_at = serializers.DateTimeField(source="stream.started_at")
    url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()

    def get_title(self, vod: VOD) -> str:
        return vod.title or vod.stream.title or f"Past broadcast of {vod.channel.name}"

    def get_url(self, vod: VOD) -> str:
        return f"/videos/{vod.pk}/"

    def get_poster_url(self, vod: VOD) -> str | None:
        return file_url(vod, vod.poster) or None


class VODDetailSerializer(VODSerializer):
    playlist_url = serializers.SerializerMethodField()
    strip = serializers.SerializerMethodField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    progress = serializers.SerializerMethodField(help_text="My saved position in seconds (null: none).")

    def get_playlist_url(self, vod: VOD) -> str:
        return file_url(vod, "index.m3u8")

    @extend_schema(responses=StripSerializer(allow_null=True))
    def get_strip(self, vod: VOD) -> dict[str, Any] | None:
        if not vod.strip or not vod.strip_columns or vod.strip_interval <= 0:
            return None
        return {
            "url": file_url(vod, vod.strip),
            "interval": vod.strip_interval,
            "columns": vod.strip_columns,
            "tile_width": vod.strip_tile_width,
            "tile_height": vod.strip_tile_height,
        }

    def get_progress(self, vod: VOD) -> float | None:
        progress = selectors.progress_get(user=self.context["user"], vod=vod)
        return progress.position if progress else None


class VODListParamsSerializer(serializers.Serializer):
    channel = serializers.SlugField(required=False, max_length=25, help_text="Only this channel's VODs.")


class VODPagination(PagePagination):
    page_size = 24


class VODListApi(APIView):
    """Ready VODs the caller may watch, newest first."""

    permission_classes = [AllowAny]
    pagination_class = VODPagination

    @extend_schema(parameters=[VODListParamsSerializer], responses=VODSerializer(many=True))
    def get(self, request: Request) -> Response:
        params = VODListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        slug = params.validated_data.get("channel")
        channel = channel_or_404(slug) if slug else None
        vods = selectors.library_vods(user=request.user, channel=channel)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(vods, request, view=self)
        return paginator.get_paginated_response(VODSerializer(page, many=True).data)


def managed_or_404(request: Request, vod_id: int) -> VOD:
    """The VOD for its channel's broadcaster, editors and staff; 403 for viewers, 404 if not visible."""
    vod = selectors.vod_get(pk=vod_id)
    user = request.user
    manager = isinstance(user, User) and vod is not None and user_can_manage(user=user, channel=vod.channel)
    if vod is None or not (manager or access.can_watch(user, vod)):
        raise NotFound("No such video.")
    require_manager(request, vod.channel)
    return vod


class VODUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=140)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class VODDetailApi(APIView):
    permission_classes = [TokenHasScope]
    required_scopes = {"PATCH": ["channels:manage"], "DELETE": ["channels:manage"]}

    @extend_schema(responses=VODDetailSerializer)
    def get(self, request: Request, vod_id: int) -> Response:
        vod = watchable_or_404(request.user, vod_id)
        return Response(VODDetailSerializer(vod, context={"user": request.user}).data)

    @extend_schema(request=VODUpdateSerializer, responses=VODDetailSerializer)
    def patch(self, request: Request, vod_id: int) -> Response:
        vod = managed_or_404(request, vod_id)
        changes = VODUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        vod = archive.vod_update(vod=vod, **changes.validated_data)
        return Response(VODDetailSerializer(vod, context={"user": request.user}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, vod_id: int) -> Response:
        archive.vod_delete(vod=managed_or_404(request, vod_id))
        return Response(status=204)


class ReplayParamsSerializer(serializers.Serializer):
    start = serializers.FloatField(min_value=0, help_text="Seconds from the VOD's start (inclusive).")
    end = serializers.FloatField(min_value=0, help_text="Seconds (exclusive); at most 300 s after start.")

    def validate(self, attrs: dict[str, float]) -> dict[str, float]:
        start, end = attrs["start"], attrs["end"]
        if not (math.isfinite(start) and math.isfinite(end)):
            raise ValidationError({"start": ["Give finite numbers of seconds."]})
        if end <= start:
            raise ValidationError({"end": ["end must be after start."]})
        if end - start > selectors.REPLAY_MAX_WINDOW:
            raise ValidationError({"end": [f"A window is at most {selectors.REPLAY_MAX_WINDOW:.0f} s."]})
        return attrs


class VODChatApi(APIView):
    """The stream's chat in [start, end) seconds of the VOD, in order, each with its `offset` in seconds."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[ReplayParamsSerializer], responses={200: {"type": "object"}})
    def get(self, request: Request, vod_id: int) -> Response:
        params = ReplayParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        vod = watchable_or_404(request.user, vod_id)
        start, end = params.validated_data["start"], params.validated_data["end"]
        window = selectors.replay_window(vod=vod, start=start, end=end)
        messages = [
            {**message_payload(message), "offset": offset}
            for message, offset in zip(window.messages, window.offsets, strict=True)
        ]
        return Response({"start": start, "end": end, "truncated": window.truncated, "messages": messages})


class ProgressSerializer(serializers.Serializer):
    position = serializers.FloatField(help_text="Seconds; clamped to the VOD's duration.")


class VODProgressApi(APIView):
    """Where I stopped in this VOD (signed-in viewers; the player saves it every few seconds)."""

    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["profile:write"]

    @extend_schema(request=ProgressSerializer, responses=ProgressSerializer)
    def put(self, request: Request, vod_id: int) -> Response:
        data = ProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)  # guaranteed by IsAuthenticatedWithScope
        vod = watchable_or_404(user, vod_id)
        try:
            progress = watch_progress_save(user=user, vod=vod, position=data.validated_data["position"])
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response({"position": progress.position})

    # sendBeacon can only POST: the page's unload save uses this.
    post = put
