"""REST endpoints for live state: /api/v1/channels/{slug}/stream and .../health; /api/v1/streams/."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAuthenticatedWithScope
from aethex.api.pagination import PagePagination
from channels_app import validators
from channels_app.api import channel_or_404, require_manager
from channels_app.models import Channel
from streams import directory, selectors
from streams.models import Stream

StreamStatusSerializer = inline_serializer(
    "StreamStatus",
    {
        "status": serializers.ChoiceField(choices=["live", "offline"]),
        "channel": serializers.CharField(),
        "title": serializers.CharField(),
        "category": serializers.CharField(allow_null=True),
        "tags": serializers.ListField(child=serializers.CharField()),
        "viewer_count": serializers.IntegerField(),
        "hls_url": serializers.CharField(allow_null=True),
        "started_at": serializers.DateTimeField(allow_null=True),
    },
)


class StreamStatusApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=StreamStatusSerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(selectors.stream_status(channel=channel_or_404(slug)))


class StreamHealthApi(APIView):
    """Recent health samples of the live stream, for the broadcaster and editors."""

    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["streams:manage"]

    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        require_manager(request, channel)
        stream = selectors.live_stream(channel=channel)
        samples = selectors.health_history(stream=stream) if stream else []
        return Response(
            {
                "live": stream is not None,
                "stream_id": stream.pk if stream else None,
                "samples": [selectors.health_payload(s) for s in samples],
            }
        )


# --- GET /api/v1/streams/: the directory ------------------------------------------------------


class DirectoryParamsSerializer(serializers.Serializer):
    """?live=&category=&q=&sort=&tag=&language=; anything else in these is a 400."""

    live = serializers.BooleanField(
        default=True, allow_null=True, help_text="Live streams (default, also when empty) or ended ones."
    )
    category = serializers.SlugField(required=False, allow_blank=True, max_length=80)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Search words.")
    sort = serializers.ChoiceField(
        choices=directory.SORTS,
        required=False,
        allow_blank=True,
        help_text="Default: relevance when `q` is given, viewers otherwise. featured = staff-featured only.",
    )
    tag = serializers.RegexField(validators.TAG_RE, required=False, allow_blank=True, max_length=25)
    language = serializers.ChoiceField(
        choices=[code for code, _ in settings.LANGUAGES], required=False, allow_blank=True
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)

    def filters(self) -> directory.DirectoryFilter:
        data = {k: v for k, v in self.validated_data.items() if k not in ("page", "page_size")}
        data["live"] = data.get("live") is not False  # `?live=` (empty) means the default
        return directory.DirectoryFilter(**data)


class _ChannelCardSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    avatar_url = serializers.SerializerMethodField()
    featured_rank = serializers.IntegerField(allow_null=True)

    def get_avatar_url(self, channel: Channel) -> str | None:
        return channel.avatar.url if channel.avatar else None


class _CategoryCardSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class DirectoryStreamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    title = serializers.CharField()
    channel = _ChannelCardSerializer()
    category = _CategoryCardSerializer(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    language = serializers.CharField()
    viewer_count = serializers.IntegerField()
    trending_score = serializers.FloatField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    thumbnail_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    hls_url = serializers.SerializerMethodField()

    def get_thumbnail_url(self, stream: Stream) -> str | None:
        return stream.thumbnail.url if stream.thumbnail else None

    def get_url(self, stream: Stream) -> str:
        return reverse("channel", args=[stream.channel.slug])

    def get_hls_url(self, stream: Stream) -> str | None:
        return selectors.hls_url(channel=stream.channel) if stream.is_live else None


class DirectoryPagination(PagePagination):
    page_size = 24
    max_page_size = 100


class StreamListApi(APIView):
    """The directory: live streams filtered, searched and sorted as on /directory/ (cached ~10 s)."""

    permission_classes = [AllowAny]
    pagination_class = DirectoryPagination

    def get_throttles(self) -> list[Any]:
        # A listing is served from the cache: the throttle's own bookkeeping (two cache round trips
        # per rate) would cost more than the answer. A search (`q`) can miss the cache on every
        # request, so it keeps the API's usual rates.
        return super().get_throttles() if self.request.query_params.get("q") else []

    @extend_schema(parameters=[DirectoryParamsSerializer], responses=DirectoryStreamSerializer(many=True))
    def get(self, request: Request) -> Response:
        params = DirectoryParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters, paginator = params.filters(), self.pagination_class()
        number, size = params.validated_data.get("page", 1), paginator.get_page_size(request)

        def compute() -> dict[str, Any]:
            streams = directory.directory_streams(filters=filters)
            page = paginator.paginate_queryset(streams, request, view=self)
            data = DirectoryStreamSerializer(page, many=True).data
            return dict(paginator.get_paginated_response(data).data)

        response = Response(directory.cached(f"api:{filters.key()}:{number}:{size}", compute))
        # The same for everyone: a CDN or the front door may keep it as long as we do.
        patch_cache_control(response, public=True, max_age=directory.CACHE_SECONDS)
        return response
