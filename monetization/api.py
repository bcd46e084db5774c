"""REST: subscribe and donate (→ {"checkout_url"}), tiers, the viewer's subscription, checkout status."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from channels_app.api import channel_or_404
from monetization import selectors, services
from monetization.models import SubscriptionTier


class SubscribeIn(serializers.Serializer[Any]):
    tier = serializers.IntegerField(min_value=1, max_value=3, default=1)


class DonateIn(serializers.Serializer[Any]):
    amount_cents = serializers.IntegerField()
    message = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)


class TierIn(serializers.Serializer[Any]):
    price_cents = serializers.IntegerField()
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    benefits = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TierOut(serializers.ModelSerializer[SubscriptionTier]):
    class Meta:
        model = SubscriptionTier
        fields = ["tier", "name", "price_cents", "benefits"]


class CheckoutOut(serializers.Serializer[Any]):
    checkout_url = serializers.CharField()


def _user(request: Request) -> User:
    assert isinstance(request.user, User)  # IsAuthenticated ran first
    return request.user


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _checkout_response(request: Request, checkout: Any) -> Response:
    base = request.build_absolute_uri("/").rstrip("/")
    try:
        url = services.checkout_url(checkout=checkout, base_url=base)
    except services.Conflict as exc:
        return Response({"error": {"code": "conflict", "message": str(exc), "fields": {}}}, status=409)
    return Response({"checkout_url": url}, status=status.HTTP_201_CREATED)


def _conflict(exc: services.Conflict) -> Response:
    return Response({"error": {"code": "conflict", "message": str(exc), "fields": {}}}, status=409)


class SubscribeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=SubscribeIn, responses={201: CheckoutOut})
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        try:
            checkout = services.checkout_subscription_create(
                user=_user(request), channel=channel, **_valid(SubscribeIn, request)
            )
        except services.Conflict as exc:
            return _conflict(exc)
        return _checkout_response(request, checkout)


class DonateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=DonateIn, responses={201: CheckoutOut})
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        checkout = services.checkout_donation_create(
            user=_user(request), channel=channel, **_valid(DonateIn, request)
        )
        return _checkout_response(request, checkout)


class TiersView(APIView):
    @extend_schema(responses={200: TierOut(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        return Response(TierOut(services.tiers_ensure(channel=channel_or_404(slug)), many=True).data)


class TierView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=TierIn, responses={200: TierOut})
    def put(self, request: Request, slug: str, tier: int) -> Response:
        channel = channel_or_404(slug)
        row = services.tier_update(
            channel=channel, actor=_user(request), tier=tier, **_valid(TierIn, request)
        )
        return Response(TierOut(row).data)


class MySubscriptionView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, slug: str) -> Response:
        row = selectors.live_subscription(user=_user(request), channel=channel_or_404(slug))
        if row is None:
            raise NotFound("You are not subscribed to this channel.")
        return Response(
            {
                "tier": row.tier,
                "months": row.months,
                "status": row.status,
                "current_period_end": row.current_period_end,
                "cancel_at_period_end": row.cancel_at_period_end,
            }
        )

    def delete(self, request: Request, slug: str) -> Response:
        row = selectors.live_subscription(user=_user(request), channel=channel_or_404(slug))
        if row is None:
            raise NotFound("You are not subscribed to this channel.")
        services.subscription_cancel(subscription=row, user=_user(request))
        return Response({"cancel_at_period_end": True})


class CheckoutStatusView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, token: str) -> Response:
        checkout = selectors.checkout_get(token=token)
        if checkout is None:
            raise NotFound("No such checkout.")
        if checkout.user_id != _user(request).pk:
            raise PermissionDenied("This checkout belongs to someone else.")
        paid = selectors.checkout_is_paid(checkout)
        return Response({"status": "paid" if paid else checkout.status, "failure": checkout.failure_message})


__all__ = ["ValidationError"]
