"""Reads on money: tiers, a viewer's subscription, the dashboard's figures, the chat facts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel
from monetization import ledger
from monetization.models import (
    ChannelSubscription,
    Checkout,
    CheckoutKind,
    CheckoutStatus,
    Donation,
    LedgerTransaction,
    SubscriptionStatus,
    SubscriptionTier,
)

LIVE = [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE]


def _live(qs: QuerySet[ChannelSubscription]) -> QuerySet[ChannelSubscription]:
    return qs.filter(status__in=LIVE).filter(
        Q(current_period_end__isnull=True) | Q(current_period_end__gte=timezone.now())
    )


def live_subscription(*, user: User, channel: Channel) -> ChannelSubscription | None:
    if not user.is_authenticated:
        return None
    return _live(ChannelSubscription.objects.filter(user=user, channel=channel)).first()


def is_subscribed(*, user: User, channel: Channel) -> bool:
    """The VOD library's subscribers-only hook (settings.VODS_SUBSCRIBER_CHECK)."""
    return live_subscription(user=user, channel=channel) is not None


def subscriber_count(*, channel: Channel) -> int:
    return _live(ChannelSubscription.objects.filter(channel=channel)).count()


def tiers(*, channel: Channel) -> list[SubscriptionTier]:
    return list(SubscriptionTier.objects.filter(channel=channel).order_by("tier"))


def recent_donations(*, channel: Channel, limit: int = 10) -> QuerySet[Donation]:
    return Donation.objects.filter(channel=channel).select_related("donor")[:limit]


def recent_transactions(*, channel: Channel, limit: int = 10) -> QuerySet[LedgerTransaction]:
    return LedgerTransaction.objects.filter(channel=channel).prefetch_related("entries__account")[:limit]


def creator_balance_cents(*, channel: Channel) -> int:
    return ledger.creator_balance(channel)


def checkout_get(*, token: str) -> Checkout | None:
    return Checkout.objects.select_related("channel", "user").filter(token=token).first()


def checkout_is_paid(checkout: Checkout) -> bool:
    """Paid only once a verified webhook said so (the invoice may land before the checkout knows its id)."""
    if checkout.status == CheckoutStatus.PAID:
        return True
    if checkout.kind == CheckoutKind.SUBSCRIPTION and checkout.stripe_object_id:
        return ChannelSubscription.objects.filter(
            stripe_subscription_id=checkout.stripe_object_id, months__gt=0
        ).exists()
    return False


def chat_facts(user: User, channel: Channel) -> dict[str, Any]:
    """Cached by chat with the rest of the chatter's facts (chat.badges.register_facts)."""
    row = live_subscription(user=user, channel=channel)
    if row is None:
        return {"subscriber": None}
    return {"subscriber": {"tier": row.tier, "months": row.months}}


def tiers_or_defaults(*, channel: Channel) -> list[dict[str, Any]]:
    """What the Subscribe dialog offers, without writing on a page view (tiers are made on first checkout)."""
    from monetization.services import DEFAULT_TIERS

    stored = {t.tier: t for t in tiers(channel=channel)}
    offered = []
    for number, (name, cents) in DEFAULT_TIERS.items():
        row = stored.get(number)
        offered.append(
            {
                "tier": number,
                "name": row.name if row else name,
                "price_cents": row.price_cents if row else cents,
                "benefits": row.benefits if row else "",
            }
        )
    return offered
