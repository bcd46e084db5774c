"""REST endpoints: /api/v1/clips/ (list, create), /api/v1/clips/{slug}/ (read, edit, delete), .../like."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAuthenticatedWithScope, TokenHasScope
from aethex.api.pagination import PagePagination
from channels_app.api import channel_or_404
from vods.clips import selectors, services
from vods.clips.serializers import (
    ClipCreateSerializer,
    ClipLikeSerializer,
    ClipListParamsSerializer,
    ClipSerializer,
    ClipUpdateSerializer,
)
from vods.models import VOD, Clip


class Refused(APIException):
    """A ClipRefused from the services, with its status and code (401, 403, 404, 409, 429)."""

    def __init__(self, refused: services.ClipRefused) -> None:
        super().__init__(refused.message, refused.code)
        self.status_code = refused.status
        if isinstance(refused, services.ClipRateLimited):
            self.wait = refused.wait


def refusals(call: Any) -> Any:
    try:
        return call()
    except services.ClipRefused as exc:
        raise Refused(exc) from exc


def clip_or_404(slug: str) -> Clip:
    clip = selectors.clip_get(slug=slug)
    if clip is None:
        raise NotFound("No such clip.")
    return clip


class ClipPagination(PagePagination):
    page_size = 24


class ClipListApi(APIView):
    permission_classes = [TokenHasScope]
    required_scopes = {"POST": ["clips:write"]}

    @extend_schema(parameters=[ClipListParamsSerializer], responses=ClipSerializer(many=True))
    def get(self, request: Request) -> Response:
        params = ClipListParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        slug = params.validated_data.get("channel")
        channel = channel_or_404(slug) if slug else None
        clips = selectors.clips_list(
            period=params.validated_data["period"], sort=params.validated_data["sort"], channel=channel
        )
        paginator = ClipPagination()
        page = paginator.paginate_queryset(clips, request, view=self)
        return paginator.get_paginated_response(ClipSerializer(page, many=True).data)

    @extend_schema(request=ClipCreateSerializer, responses={201: ClipSerializer})
    def post(self, request: Request) -> Response:
        body = ClipCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "channel" in data:
            channel = channel_or_404(data["channel"])
            clip = refusals(
                lambda: services.clip_create_from_live(
                    user=request.user, channel=channel, seconds=data["seconds"], title=data["title"]
                )
            )
        else:
            vod = VOD.objects.select_related("channel", "stream").filter(pk=data["vod"]).first()
            clip = refusals(
                lambda: services.clip_create_from_vod(
                    user=request.user, vod=vod, start=data["start"], end=data["end"], title=data["title"]
                )
            )
        return Response(ClipSerializer(clip).data, status=status.HTTP_201_CREATED)


class ClipDetailApi(APIView):
    permission_classes = [TokenHasScope]
    required_scopes = {"PATCH": ["clips:write"], "DELETE": ["clips:write"]}

    @extend_schema(responses=ClipSerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(ClipSerializer(clip_or_404(slug)).data)

    @extend_schema(request=ClipUpdateSerializer, responses=ClipSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        clip = clip_or_404(slug)
        body = ClipUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        clip = refusals(lambda: services.clip_update(user=request.user, clip=clip, **body.validated_data))
        return Response(ClipSerializer(clip).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        clip = clip_or_404(slug)
        refusals(lambda: services.clip_delete(user=request.user, clip=clip))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClipLikeApi(APIView):
    permission_classes = [IsAuthenticatedWithScope]
    required_scopes = ["clips:write"]

    def _answer(self, slug: str) -> Response:
        clip = Clip.objects.only("likes_count").get(slug=slug)
        return Response({"liked": self.request.method == "POST", "likes_count": clip.likes_count})

    @extend_schema(request=None, responses=ClipLikeSerializer)
    def post(self, request: Request, slug: str) -> Response:
        clip = clip_or_404(slug)
        refusals(lambda: services.clip_like(user=request.user, clip=clip))  # type: ignore[arg-type]
        return self._answer(slug)

    @extend_schema(request=None, responses=ClipLikeSerializer)
    def delete(self, request: Request, slug: str) -> Response:
        services.clip_unlike(user=request.user, clip=clip_or_404(slug))  # type: ignore[arg-type]
        return self._answer(slug)
