"""REST: `/api/v1/payouts/` — a channel's payout history (owner) and payout requests."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aethex.api.pagination import PagePagination
from channels_app.api import channel_or_404
from channels_app.models import Channel
from monetization import payouts, services
from monetization.api import _conflict, _user, _valid, money_enabled


class PayoutIn(serializers.Serializer[Any]):
    channel = serializers.SlugField()
    amount_cents = serializers.IntegerField(min_value=1, max_value=100_000_000, required=False)


class PayoutOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField()
    automatic = serializers.BooleanField()
    failure_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def _owned_channel(request: Request, slug: str) -> Channel:
    channel = channel_or_404(slug)
    if channel.owner_user_id != _user(request).pk:
        raise PermissionDenied("Only the broadcaster sees and requests this channel's payouts.")
    return channel


class PayoutsView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        money_enabled()

    @extend_schema(
        parameters=[OpenApiParameter("channel", str, required=True)], responses={200: PayoutOut(many=True)}
    )
    def get(self, request: Request) -> Response:
        slug = request.query_params.get("channel", "")
        if not slug:
            raise ValidationError({"channel": ["Name the channel: ?channel=<slug>."]})
        channel = _owned_channel(request, slug)
        paginator = PagePagination()
        page = paginator.paginate_queryset(payouts.payouts_for(channel=channel), request, view=self)
        return paginator.get_paginated_response(PayoutOut(page, many=True).data)

    @extend_schema(request=PayoutIn, responses={201: PayoutOut})
    def post(self, request: Request) -> Response:
        data = _valid(PayoutIn, request)
        channel = _owned_channel(request, data["channel"])
        try:
            payout = payouts.payout_request(
                channel=channel, user=_user(request), amount_cents=data.get("amount_cents")
            )
        except services.Conflict as exc:
            return _conflict(exc)
        return Response(PayoutOut(payout).data, status=status.HTTP_201_CREATED)
