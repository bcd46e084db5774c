"""REST: subscribe and donate (→ {"checkout_url"}), tiers, the viewer's subscription, checkout status."""

from __future__ import annotations

import logging
from typing import Any

import stripe
from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from channels_app.api import channel_or_404
from monetization import campaigns, gifts, selectors, services

logger = logging.getLogger(__name__)


class ServiceUnavailable(APIException):
    status_code = 503
    default_code = "unavailable"


class SubscribeIn(serializers.Serializer[Any]):
    tier = serializers.IntegerField(min_value=1, max_value=3, default=1)


class DonateIn(serializers.Serializer[Any]):
    amount_cents = serializers.IntegerField()
    message = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)


class GiftIn(serializers.Serializer[Any]):
    count = serializers.IntegerField(min_value=1, max_value=gifts.MAX_GIFTS, default=1)
    tier = serializers.IntegerField(min_value=1, max_value=3, default=1)
    recipient = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class CampaignIn(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=80)
    goal_cents = serializers.IntegerField(min_value=100, max_value=100_000_000)
    ends_at = serializers.DateTimeField()


class CampaignOut(serializers.Serializer[Any]):
    title = serializers.CharField()
    goal_cents = serializers.IntegerField()
    raised_cents = serializers.IntegerField()
    percent = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class TierIn(serializers.Serializer[Any]):
    price_cents = serializers.IntegerField()
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    benefits = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TierOut(serializers.Serializer[Any]):
    tier = serializers.IntegerField()
    name = serializers.CharField()
    price_cents = serializers.IntegerField()
    benefits = serializers.CharField()


class CheckoutOut(serializers.Serializer[Any]):
    checkout_url = serializers.CharField()


class MySubscriptionOut(serializers.Serializer[Any]):
    tier = serializers.IntegerField()
    months = serializers.IntegerField()
    status = serializers.CharField()
    current_period_end = serializers.DateTimeField(allow_null=True)
    cancel_at_period_end = serializers.BooleanField()


class CancelOut(serializers.Serializer[Any]):
    cancel_at_period_end = serializers.BooleanField()


class CheckoutStatusOut(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["open", "processing", "paid", "failed"])
    failure = serializers.CharField()


def _user(request: Request) -> User:
    assert isinstance(request.user, User)  # IsAuthenticated ran first
    return request.user


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def money_enabled() -> None:
    if not settings.MONETIZATION_ENABLED:
        raise ServiceUnavailable("Payments are not configured on this server (STRIPE_SECRET_KEY).")


def _checkout_response(request: Request, checkout: Any) -> Response:
    base = request.build_absolute_uri("/").rstrip("/")
    try:
        url = services.checkout_url(checkout=checkout, base_url=base)
    except stripe.StripeError:
        logger.exception("Stripe refused a checkout session for %s", checkout.pk)
        message = "The payment provider did not answer; nothing was charged. Try again in a moment."
        return Response({"error": {"code": "payment_provider", "message": message, "fields": {}}}, status=502)
    return Response({"checkout_url": url}, status=status.HTTP_201_CREATED)


def _conflict(exc: services.Conflict) -> Response:
    return Response({"error": {"code": "conflict", "message": str(exc), "fields": {}}}, status=409)


class SubscribeView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        money_enabled()

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

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        money_enabled()

    @extend_schema(request=DonateIn, responses={201: CheckoutOut})
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        checkout = services.checkout_donation_create(
            user=_user(request), channel=channel, **_valid(DonateIn, request)
        )
        return _checkout_response(request, checkout)


class GiftView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        money_enabled()

    @extend_schema(request=GiftIn, responses={201: CheckoutOut})
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        checkout = gifts.checkout_gift_create(user=_user(request), channel=channel, **_valid(GiftIn, request))
        return _checkout_response(request, checkout)


class TiersView(APIView):
    @extend_schema(responses={200: TierOut(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        # Read-only: the defaults are offered without writing rows (the first checkout stores them).
        return Response(TierOut(selectors.tiers_or_defaults(channel=channel_or_404(slug)), many=True).data)


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

    @extend_schema(responses={200: MySubscriptionOut})
    def get(self, request: Request, slug: str) -> Response:
        row = selectors.live_subscription(user=_user(request), channel=channel_or_404(slug))
        if row is None:
            raise NotFound("You are not subscribed to this channel.")
        return Response(MySubscriptionOut(row).data)

    @extend_schema(request=SubscribeIn, responses={200: MySubscriptionOut})
    def patch(self, request: Request, slug: str) -> Response:
        row = selectors.live_subscription(user=_user(request), channel=channel_or_404(slug))
        if row is None:
            raise NotFound("You are not subscribed to this channel.")
        try:
            row = services.subscription_change_tier(
                subscription=row, user=_user(request), **_valid(SubscribeIn, request)
            )
        except services.Conflict as exc:
            return _conflict(exc)
        return Response(MySubscriptionOut(row).data)

    @extend_schema(responses={200: CancelOut})
    def delete(self, request: Request, slug: str) -> Response:
        row = selectors.live_subscription(user=_user(request), channel=channel_or_404(slug))
        if row is None:
            raise NotFound("You are not subscribed to this channel.")
        services.subscription_cancel(subscription=row, user=_user(request))
        return Response({"cancel_at_period_end": True})


class CheckoutStatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CheckoutStatusOut})
    def get(self, request: Request, token: str) -> Response:
        checkout = selectors.checkout_get(token=token)
        if checkout is None:
            raise NotFound("No such checkout.")
        if checkout.user_id != _user(request).pk:
            raise PermissionDenied("This checkout belongs to someone else.")
        paid = selectors.checkout_is_paid(checkout)
        return Response({"status": "paid" if paid else checkout.status, "failure": checkout.failure_message})


class CampaignView(APIView):
    """The running fundraising campaign and its progress (public); the broadcaster starts and ends it."""

    def get_permissions(self) -> list[Any]:
        return [] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses={200: CampaignOut})
    def get(self, request: Request, slug: str) -> Response:
        campaign = campaigns.current(channel=channel_or_404(slug))
        if campaign is None:
            raise NotFound("No fundraising campaign is running.")
        return Response(CampaignOut(campaigns.progress(campaign)).data)

    @extend_schema(request=CampaignIn, responses={201: CampaignOut})
    def post(self, request: Request, slug: str) -> Response:
        channel = channel_or_404(slug)
        campaign = campaigns.campaign_start(
            channel=channel, actor=_user(request), **_valid(CampaignIn, request)
        )
        return Response(CampaignOut(campaigns.progress(campaign)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        campaigns.campaign_end(channel=channel_or_404(slug), actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
