"""Gift subscriptions: one payment for N one-month subscriptions to a named user or random viewers.

Recipients are chosen when the gift is bought (signed-in viewers in the room then, never the
gifter, the broadcaster or someone already subscribed) and delivered by the verified
payment_intent.succeeded webhook. A recipient who subscribed in between is skipped and their
share refunded through Stripe (its charge.refunded webhook books the reversal).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel
from monetization import gateway, ledger, realtime, services, signals
from monetization.models import (
    ChannelSubscription,
    Checkout,
    CheckoutKind,
    LedgerTransaction,
    SubscriptionStatus,
    TransactionKind,
)
from streams import presence

MAX_GIFTS = 50
GIFT_DAYS = 30


def _subscribed_ids(channel: Channel, user_ids: list[int]) -> set[int]:
    return set(
        ChannelSubscription.objects.filter(
            channel=channel,
            user_id__in=user_ids,
            status__in=[SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE],
        )
        .filter(current_period_end__gte=timezone.now())
        .values_list("user_id", flat=True)
    ) | set(
        ChannelSubscription.objects.filter(
            channel=channel,
            user_id__in=user_ids,
            status=SubscriptionStatus.ACTIVE,
            current_period_end__isnull=True,
        ).values_list("user_id", flat=True)
    )


def eligible_viewers(*, channel: Channel, gifter: User) -> list[int]:
    ids = [i for i in presence.signed_in_viewers(channel.slug) if i not in (gifter.pk, channel.owner_user_id)]
    taken = _subscribed_ids(channel, ids)
    active = set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    return [i for i in ids if i not in taken and i in active]


@transaction.atomic
def checkout_gift_create(
    *, user: User, channel: Channel, count: int, tier: int = 1, recipient: str = ""
) -> Checkout:
    if tier not in services.DEFAULT_TIERS:
        raise ValidationError({"tier": ["A tier is 1, 2 or 3."]})
    if not 1 <= count <= MAX_GIFTS:
        raise ValidationError({"count": [f"Gift between 1 and {MAX_GIFTS} subscriptions."]})
    if recipient:
        target = User.objects.filter(username__iexact=recipient.lstrip("@"), is_active=True).first()
        if target is None:
            raise ValidationError({"recipient": ["No such user."]})
        if count != 1:
            raise ValidationError({"count": ["A named user receives one subscription."]})
        if target.pk in (user.pk, channel.owner_user_id) or _subscribed_ids(channel, [target.pk]):
            raise ValidationError(
                {"recipient": ["This user cannot receive a gift here (already subscribed?)."]}
            )
        chosen = [target.pk]
    else:
        pool = eligible_viewers(channel=channel, gifter=user)
        if len(pool) < count:
            raise ValidationError(
                {"count": [f"Only {len(pool)} signed-in viewer(s) without a subscription are watching now."]}
            )
        chosen = random.sample(pool, count)
    row = next(t for t in services.tiers_ensure(channel=channel) if t.tier == tier)
    checkout = Checkout(
        kind=CheckoutKind.GIFT,
        user=user,
        channel=channel,
        tier=tier,
        amount_cents=row.price_cents * count,
        currency=settings.STRIPE_CURRENCY,
        gift_count=count,
        gift_recipient_ids=chosen,
        gift_recipient_id=chosen[0] if recipient else None,
    )
    checkout.full_clean()
    checkout.save()
    return checkout


@transaction.atomic
def gift_from_stripe(*, intent: dict[str, Any]) -> LedgerTransaction | None:
    meta = intent.get("metadata") or {}
    checkout = services._mark_paid(meta.get("aethex_checkout", ""), intent["id"])
    if checkout is None or checkout.kind != CheckoutKind.GIFT:
        return None
    channel = checkout.channel
    amount = int(intent.get("amount_received") or intent["amount"])
    txn = ledger.post(
        idempotency_key=f"{intent['id']}:payment",
        kind=TransactionKind.GIFT,
        channel=channel,
        lines=ledger.payment_lines(channel, amount),
        description=f"{checkout.gift_count} gift subscription(s) from {checkout.user}",
        stripe_object_id=intent["id"],
    )
    if txn is None:
        return None
    ids = [int(i) for i in checkout.gift_recipient_ids]
    taken = _subscribed_ids(channel, ids)
    recipients = list(User.objects.filter(pk__in=[i for i in ids if i not in taken]))
    until = timezone.now() + dt.timedelta(days=GIFT_DAYS)
    rows = []
    for recipient in recipients:
        earlier = (
            ChannelSubscription.objects.filter(user=recipient, channel=channel).order_by("-months").first()
        )
        row = ChannelSubscription(
            user=recipient,
            channel=channel,
            tier=checkout.tier or 1,
            status=SubscriptionStatus.ACTIVE,
            current_period_end=until,
            months=(earlier.months if earlier else 0) + 1,
            gifted_by=checkout.user,
        )
        row.full_clean(validate_constraints=False)
        row.save()
        services._forget_chat_facts(row)
        rows.append(row)
    skipped = len(ids) - len(rows)
    if skipped:
        share = amount // max(len(ids), 1) * skipped
        transaction.on_commit(
            lambda: gateway.refund_create(payment_intent_id=intent["id"], amount_cents=share)
        )
    transaction.on_commit(lambda: _announce(checkout, rows))
    return txn


def _announce(checkout: Checkout, rows: list[ChannelSubscription]) -> None:
    if not rows:
        return
    signals.gift_subscriptions_given.send(
        sender=ChannelSubscription,
        channel=checkout.channel,
        gifter=checkout.user,
        tier=checkout.tier or 1,
        recipients=[row.user for row in rows],
    )
    realtime.announce_gift(checkout, rows)
