"""Alerts reacting to channels_app's follows and monetization's money events (signals/contract).

Each signal arrives after its transaction committed. An alert is a nicety: a failure here is
logged and never reaches the sender (a Stripe webhook must not fail over an overlay).
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from channels_app.signals import follow_changed
from integrations import services
from monetization.signals import donation_received, gift_subscriptions_given, subscription_started

logger = logging.getLogger(__name__)


@receiver(follow_changed)
def alert_on_follow(sender: Any, channel: Any, user: Any, following: bool, **kwargs: Any) -> None:
    if not following:
        return
    try:
        services.alert_follow(channel=channel, user=user)
    except Exception:
        logger.exception("follow alert failed on channel %s", getattr(channel, "pk", None))


@receiver(donation_received)
def alert_on_donation(sender: Any, donation: Any, **kwargs: Any) -> None:
    try:
        services.alert_donation(
            channel=donation.channel,
            display_name=donation.display_name or "",
            amount=donation.amount,
            currency=donation.currency or "usd",
            message=donation.message or "",
        )
    except Exception:
        logger.exception("donation alert failed on channel %s", getattr(donation, "channel_id", None))


@receiver(subscription_started)
def alert_on_subscription(
    sender: Any,
    channel: Any,
    user: Any,
    tier: int,
    months: int,
    gifted_by: Any = None,
    message: str = "",
    **kwargs: Any,
) -> None:
    # A gifted subscription is announced once, by the gift alert, not once per recipient.
    if gifted_by is not None:
        return
    try:
        services.alert_subscription(
            channel=channel, user=user, tier=tier, months=months, message=message or ""
        )
    except Exception:
        logger.exception("subscription alert failed on channel %s", getattr(channel, "pk", None))


@receiver(gift_subscriptions_given)
def alert_on_gift(
    sender: Any, channel: Any, gifter: Any, tier: int, recipients: list[Any], **kwargs: Any
) -> None:
    try:
        services.alert_gift(channel=channel, gifter=gifter, tier=tier, count=len(recipients))
    except Exception:
        logger.exception("gift alert failed on channel %s", getattr(channel, "pk", None))
