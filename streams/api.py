"""REST endpoints for live state: /api/v1/channels/{slug}/stream and .../health."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAuthenticatedWithScope
from channels_app.api import channel_or_404, require_manager
from streams import selectors

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
