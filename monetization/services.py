"""Writes on money: tiers, checkouts, and what each verified Stripe event changes.

Webhook handlers (`*_from_stripe`) take the event's object as a plain dict, are idempotent (a
ledger transaction's unique key is the gate for every side effect: months, signals, chat) and
converge whatever the delivery order (state comes from the object, a canceled subscription
never comes back).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel
from monetization import gateway, ledger, realtime, signals
from monetization.models import (
    AccountKind,
    ChannelSubscription,
    Checkout,
    CheckoutKind,
    CheckoutStatus,
    Donation,
    DonationStatus,
    LedgerTransaction,
    SubscriptionStatus,
    SubscriptionTier,
    TransactionKind,
)

DEFAULT_TIERS = {1: ("Tier 1", 499), 2: ("Tier 2", 999), 3: ("Tier 3", 2499)}


class Conflict(Exception):
    """A request that is valid but cannot happen now (409)."""


# --- Tiers ----------------------------------------------------------------------------------------


@transaction.atomic
def tiers_ensure(*, channel: Channel) -> list[SubscriptionTier]:
    """The channel's three tiers, created at the default prices the first time they are needed."""
    existing = list(SubscriptionTier.objects.filter(channel=channel).order_by("tier"))
    if len(existing) < len(DEFAULT_TIERS):
        low, high = settings.SUBSCRIPTION_PRICE_MIN_CENTS, settings.SUBSCRIPTION_PRICE_MAX_CENTS
        have = {t.tier for t in existing}
        SubscriptionTier.objects.bulk_create(
            [
                SubscriptionTier(channel=channel, tier=n, name=name, price_cents=min(max(cents, low), high))
                for n, (name, cents) in DEFAULT_TIERS.items()
                if n not in have
            ],
            ignore_conflicts=True,  # a concurrent first checkout made them: keep theirs
        )
        existing = list(SubscriptionTier.objects.filter(channel=channel).order_by("tier"))
    return existing


@transaction.atomic
def tier_update(
    *, channel: Channel, actor: User, tier: int, price_cents: int, name: str = "", benefits: str = ""
) -> SubscriptionTier:
    if channel.owner_user_id != actor.pk:
        raise PermissionDenied("Only the broadcaster sets the tier prices.")
    if tier not in DEFAULT_TIERS:
        raise ValidationError({"tier": ["A tier is 1, 2 or 3."]})
    tiers_ensure(channel=channel)
    row = SubscriptionTier.objects.select_for_update().get(channel=channel, tier=tier)
    row.price_cents = price_cents
    row.name = name.strip() or row.name
    row.benefits = benefits.strip()
    row.stripe_plan_id = ""  # the next checkout makes the plan for the new price; subscribers keep theirs
    row.full_clean()
    row.save()
    return row


# --- Checkouts ------------------------------------------------------------------------------------


def _bounded_message(message: str) -> str:
    message = " ".join(message.split())
    if len(message) > 300:
        raise ValidationError({"message": ["A message is at most 300 characters."]})
    return message


@transaction.atomic
def checkout_subscription_create(*, user: User, channel: Channel, tier: int) -> Checkout:
    if tier not in DEFAULT_TIERS:
        raise ValidationError({"tier": ["A tier is 1, 2 or 3."]})
    if channel.owner_user_id == user.pk:
        raise ValidationError({"tier": ["You cannot subscribe to your own channel."]})
    if ChannelSubscription.objects.filter(
        user=user, channel=channel, status__in=[SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE]
    ).exists():
        raise Conflict("You are already subscribed to this channel.")
    row = next(t for t in tiers_ensure(channel=channel) if t.tier == tier)
    checkout = Checkout(
        kind=CheckoutKind.SUBSCRIPTION,
        user=user,
        channel=channel,
        tier=tier,
        amount_cents=row.price_cents,
        currency=settings.STRIPE_CURRENCY,
    )
    checkout.full_clean()
    checkout.save()
    return checkout


@transaction.atomic
def checkout_donation_create(
    *, user: User, channel: Channel, amount_cents: int, message: str = "", anonymous: bool = False
) -> Checkout:
    low, high = settings.DONATION_MIN_CENTS, settings.DONATION_MAX_CENTS
    if not isinstance(amount_cents, int) or not low <= amount_cents <= high:
        raise ValidationError(
            {"amount_cents": [f"A donation is between {low / 100:.2f} and {high / 100:.2f}."]}
        )
    checkout = Checkout(
        kind=CheckoutKind.DONATION,
        user=user,
        channel=channel,
        amount_cents=amount_cents,
        currency=settings.STRIPE_CURRENCY,
        message=_bounded_message(message),
        anonymous=anonymous,
    )
    checkout.full_clean()
    checkout.save()
    return checkout


def checkout_url(*, checkout: Checkout, base_url: str) -> str:
    """Our test checkout page against the local Stripe server; Stripe's hosted Checkout in production."""
    if settings.STRIPE_LOCAL_CHECKOUT:
        return f"{base_url}/checkout/{checkout.token}/"
    plan_id = _plan_for(checkout) if checkout.kind == CheckoutKind.SUBSCRIPTION else None
    return gateway.checkout_session_create(
        checkout=checkout,
        plan_id=plan_id,
        success_url=f"{base_url}/checkout/{checkout.token}/done/",
        cancel_url=f"{base_url}/{checkout.channel.slug}/",
    )


def _plan_for(checkout: Checkout) -> str:
    tier = SubscriptionTier.objects.select_related("channel").get(
        channel=checkout.channel, tier=checkout.tier or 1
    )
    if not tier.stripe_plan_id:
        tier.stripe_plan_id = gateway.plan_ensure(tier)
        tier.save(update_fields=["stripe_plan_id"])
    return tier.stripe_plan_id


def checkout_pay_local(*, checkout: Checkout, user: User, card: dict[str, Any]) -> Checkout:
    """The test checkout page's card, sent to the Stripe test server. Paid only when the webhook says so.

    Not atomic on purpose: Stripe calls are not rolled back by the database, so each step is
    recorded as it happens; a declined card leaves the checkout open with the reason.
    """
    if checkout.user_id != user.pk:
        raise PermissionDenied("This checkout belongs to someone else.")
    if checkout.status != CheckoutStatus.OPEN:
        raise Conflict("This checkout was already paid or is being processed.")
    try:
        customer_id, method_id = gateway.customer_with_card(user=user, card=card)
        if checkout.kind == CheckoutKind.SUBSCRIPTION:
            sub = gateway.subscription_create(
                checkout=checkout, customer_id=customer_id, plan_id=_plan_for(checkout)
            )
            if sub.get("status") not in ("active", "trialing"):
                raise gateway.PaymentDeclined("Your card was declined.")
            checkout.stripe_object_id = sub["id"]
        else:
            intent = gateway.payment_intent_create(
                checkout=checkout, customer_id=customer_id, method_id=method_id
            )
            checkout.stripe_object_id = intent["id"]
    except gateway.PaymentDeclined as exc:
        checkout.failure_message = exc.message[:300]
        checkout.save(update_fields=["failure_message"])
        raise
    # The webhook may already have landed (it marks the checkout paid): never step back from paid.
    Checkout.objects.filter(pk=checkout.pk, status=CheckoutStatus.OPEN).update(
        status=CheckoutStatus.PROCESSING, stripe_object_id=checkout.stripe_object_id, failure_message=""
    )
    checkout.refresh_from_db()
    return checkout


def _mark_paid(token: str, stripe_object_id: str) -> Checkout | None:
    checkout = Checkout.objects.select_for_update().filter(token=token).first() if token else None
    if checkout is not None and checkout.status != CheckoutStatus.PAID:
        checkout.status = CheckoutStatus.PAID
        checkout.stripe_object_id = checkout.stripe_object_id or stripe_object_id
        checkout.save(update_fields=["status", "stripe_object_id"])
    return checkout


# --- Donations (payment_intent.succeeded) --------------------------------------------------------------


@transaction.atomic
def payment_from_stripe(*, intent: dict[str, Any]) -> LedgerTransaction | None:
    meta = intent.get("metadata") or {}
    if meta.get("aethex_kind") != CheckoutKind.DONATION or intent.get("status") != "succeeded":
        return None  # subscription invoices are booked from invoice.paid
    checkout = _mark_paid(meta.get("aethex_checkout", ""), intent["id"])
    channel = Channel.objects.filter(pk=int(meta.get("aethex_channel") or 0)).first()
    if checkout is None or channel is None:
        return None
    amount = int(intent.get("amount_received") or intent["amount"])
    txn = ledger.post(
        idempotency_key=f"{intent['id']}:payment",
        kind=TransactionKind.DONATION,
        channel=channel,
        lines=ledger.payment_lines(channel, amount),
        description=f"Donation by {checkout.user or 'a guest'}",
        stripe_object_id=intent["id"],
    )
    if txn is None:
        return None
    donor = None if checkout.anonymous else checkout.user
    donation = Donation(
        channel=channel,
        donor=donor,
        display_name="Anonymous" if donor is None else donor.username,
        anonymous=checkout.anonymous,
        amount_cents=amount,
        currency=intent.get("currency", checkout.currency),
        message=checkout.message,
        stripe_payment_intent_id=intent["id"],
        checkout=checkout,
    )
    donation.full_clean()
    donation.save()
    transaction.on_commit(lambda: signals.donation_received.send(sender=Donation, donation=donation))
    transaction.on_commit(lambda: realtime.announce_donation(donation))
    return txn


# --- Subscriptions (customer.subscription.*, invoice.paid) ----------------------------------------------

_STATUS = {
    "active": SubscriptionStatus.ACTIVE,
    "trialing": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "canceled": SubscriptionStatus.CANCELED,
    "incomplete_expired": SubscriptionStatus.EXPIRED,
}


def _when(stamp: Any) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC) if stamp else None


def _period_end(sub: dict[str, Any]) -> Any:
    # Newer API versions moved the period onto the items.
    items = (sub.get("items") or {}).get("data") or [{}]
    return sub.get("current_period_end") or items[0].get("current_period_end")


def _tier_of(sub: dict[str, Any]) -> int | None:
    """The tier of the plan being paid for now (after an upgrade the plan is the truth)."""
    items = (sub.get("items") or {}).get("data") or [{}]
    plan = items[0].get("plan") or items[0].get("price") or sub.get("plan") or {}
    tier = (plan.get("metadata") or {}).get("aethex_tier") if isinstance(plan, dict) else None
    return int(tier) if tier and str(tier) in ("1", "2", "3") else None


@transaction.atomic
def subscription_from_stripe(*, sub: dict[str, Any]) -> ChannelSubscription | None:
    """Upsert our subscription from Stripe's object. A canceled one stays canceled (out-of-order events)."""
    meta = sub.get("metadata") or {}
    user = User.objects.filter(pk=int(meta.get("aethex_user") or 0)).first()
    channel = Channel.objects.filter(pk=int(meta.get("aethex_channel") or 0)).first()
    if user is None or channel is None:
        return None  # not one of ours
    # Stripe delivers customer.subscription.created and invoice.paid at the same moment: get_or_create
    # waits on the unique index for the other delivery's row instead of failing, then we lock it.
    ChannelSubscription.objects.get_or_create(
        stripe_subscription_id=sub["id"], defaults={"user": user, "channel": channel}
    )
    row = ChannelSubscription.objects.select_for_update().get(stripe_subscription_id=sub["id"])
    was_live = row.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)
    if row.status not in (SubscriptionStatus.CANCELED, SubscriptionStatus.EXPIRED):
        # An incomplete subscription (declined first payment) is not a subscriber until its invoice is paid.
        status = _STATUS.get(str(sub.get("status")), SubscriptionStatus.INCOMPLETE)
        if status != SubscriptionStatus.ACTIVE or was_live or row.months:
            row.status = status
    row.tier = _tier_of(sub) or int(meta.get("aethex_tier") or row.tier or 1)
    row.stripe_customer_id = str(sub.get("customer") or "")
    row.current_period_end = _when(_period_end(sub)) or row.current_period_end
    row.cancel_at_period_end = bool(sub.get("cancel_at_period_end"))
    row.full_clean(exclude=["stripe_subscription_id"], validate_constraints=False)
    row.save()
    _forget_chat_facts(row)
    return row


@transaction.atomic
def invoice_paid_from_stripe(*, invoice: dict[str, Any]) -> LedgerTransaction | None:
    sub_id = invoice.get("subscription") or (
        ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
    )
    amount = int(invoice.get("amount_paid") or invoice.get("total") or 0)
    if not sub_id or amount <= 0:
        return None
    row = ChannelSubscription.objects.select_for_update().filter(stripe_subscription_id=sub_id).first()
    if row is None:  # invoice.paid before customer.subscription.created: read the subscription itself
        row = subscription_from_stripe(sub=gateway.subscription_retrieve(sub_id))
        if row is None:
            return None
    txn = ledger.post(
        idempotency_key=f"{invoice['id']}:payment",
        kind=TransactionKind.SUBSCRIPTION,
        channel=row.channel,
        lines=ledger.payment_lines(row.channel, amount),
        description=f"Tier {row.tier} subscription of {row.user}",
        stripe_object_id=str(_charge_intent(invoice) or invoice["id"]),
    )
    if txn is None:
        return None
    row.months += 1
    if row.status in (SubscriptionStatus.INCOMPLETE, SubscriptionStatus.PAST_DUE):
        row.status = SubscriptionStatus.ACTIVE
    lines = (invoice.get("lines") or {}).get("data") or [{}]
    row.current_period_end = _when((lines[0].get("period") or {}).get("end")) or row.current_period_end
    row.save()
    _forget_chat_facts(row)
    meta = ((invoice.get("subscription_details") or {}).get("metadata")) or {}
    _mark_paid(meta.get("aethex_checkout", ""), sub_id)
    Checkout.objects.filter(stripe_object_id=sub_id).exclude(status=CheckoutStatus.PAID).update(
        status=CheckoutStatus.PAID
    )
    transaction.on_commit(lambda: _announce_subscription(row))
    return txn


def _charge_intent(invoice: dict[str, Any]) -> str | None:
    if invoice.get("payment_intent"):
        return str(invoice["payment_intent"])
    charge = invoice.get("charge")
    return (
        str(charge.get("payment_intent"))
        if isinstance(charge, dict) and charge.get("payment_intent")
        else None
    )


def _announce_subscription(row: ChannelSubscription) -> None:
    signals.subscription_started.send(
        sender=ChannelSubscription,
        subscription=row,
        channel=row.channel,
        user=row.user,
        tier=row.tier,
        months=row.months,
        gifted_by=row.gifted_by,
        message="",
    )
    realtime.announce_subscription(row)


def _forget_chat_facts(row: ChannelSubscription) -> None:
    from chat import selectors as chat_selectors

    transaction.on_commit(lambda: chat_selectors.forget_member(channel=row.channel, user=row.user))


@transaction.atomic
def subscription_cancel(*, subscription: ChannelSubscription, user: User) -> ChannelSubscription:
    """Stops renewal; the viewer stays subscribed until the period ends (the webhook confirms)."""
    if subscription.user_id != user.pk:
        raise PermissionDenied("This subscription belongs to someone else.")
    if subscription.stripe_subscription_id and not subscription.cancel_at_period_end:
        gateway.subscription_cancel_at_period_end(subscription.stripe_subscription_id)
    subscription.cancel_at_period_end = True
    subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
    return subscription


def subscription_change_tier(
    *, subscription: ChannelSubscription, user: User, tier: int
) -> ChannelSubscription:
    """Not atomic: the Stripe call is not undone by a rollback; the row follows Stripe's answer."""
    if subscription.user_id != user.pk:
        raise PermissionDenied("This subscription belongs to someone else.")
    if tier not in DEFAULT_TIERS:
        raise ValidationError({"tier": ["A tier is 1, 2 or 3."]})
    if not subscription.stripe_subscription_id:
        raise Conflict("A gifted subscription keeps its tier; subscribe yourself when it ends.")
    if tier == subscription.tier:
        return subscription
    row = next(t for t in tiers_ensure(channel=subscription.channel) if t.tier == tier)
    if not row.stripe_plan_id:
        row.stripe_plan_id = gateway.plan_ensure(row)
        row.save(update_fields=["stripe_plan_id"])
    sub = gateway.subscription_change_plan(
        subscription_id=subscription.stripe_subscription_id, plan_id=row.stripe_plan_id, tier=tier
    )
    # Stripe's own answer (also sent as customer.subscription.updated, which lands on the same upsert).
    return subscription_from_stripe(sub=sub) or subscription


# --- Refunds and disputes ---------------------------------------------------------------------------------


def donation_refund(*, donation: Donation) -> dict[str, Any]:
    """Ask Stripe for the refund; the ledger reversal comes with its charge.refunded webhook."""
    if donation.status != DonationStatus.PAID:
        raise Conflict("Only a paid donation can be refunded.")
    return gateway.refund_create(payment_intent_id=donation.stripe_payment_intent_id)


def _original(intent_id: str | None, invoice_id: str | None) -> LedgerTransaction | None:
    keys = [f"{invoice_id}:payment"] if invoice_id else []
    keys += [f"{intent_id}:payment"] if intent_id else []
    found = LedgerTransaction.objects.filter(idempotency_key__in=keys).first()
    if found is None and intent_id:
        found = LedgerTransaction.objects.filter(stripe_object_id=intent_id, reverses__isnull=True).first()
    return found


@transaction.atomic
def refunds_from_stripe(*, charge: dict[str, Any]) -> list[LedgerTransaction]:
    """charge.refunded: one reversal per refund on the charge (a partial refund twice is two refunds)."""
    original = _original(charge.get("payment_intent"), charge.get("invoice"))
    if original is None:
        return []
    written = []
    for refund in (charge.get("refunds") or {}).get("data") or []:
        if refund.get("status") not in (None, "succeeded", "pending"):
            continue
        txn = ledger.post(
            idempotency_key=f"{refund['id']}:refund",
            kind=TransactionKind.REFUND,
            channel=original.channel,
            lines=ledger.reversal_lines(original, int(refund["amount"]), AccountKind.REFUNDS),
            description=f"Refund of {original.idempotency_key}",
            stripe_object_id=refund["id"],
            reverses=original,
        )
        if txn is not None:
            written.append(txn)
    if written and charge.get("refunded"):
        Donation.objects.filter(stripe_payment_intent_id=charge.get("payment_intent")).update(
            status=DonationStatus.REFUNDED
        )
    return written


@transaction.atomic
def dispute_from_stripe(*, dispute: dict[str, Any]) -> LedgerTransaction | None:
    """A dispute takes the money back at once; a won dispute (closed, status won) returns it."""
    original = _original(dispute.get("payment_intent"), None)
    if original is None:
        return None
    withdrawn = LedgerTransaction.objects.filter(idempotency_key=f"{dispute['id']}:dispute").first()
    if withdrawn is None:
        withdrawn = ledger.post(
            idempotency_key=f"{dispute['id']}:dispute",
            kind=TransactionKind.DISPUTE,
            channel=original.channel,
            lines=ledger.reversal_lines(original, int(dispute["amount"]), AccountKind.DISPUTES),
            description=f"Dispute on {original.idempotency_key}",
            stripe_object_id=dispute["id"],
            reverses=original,
        )
        Donation.objects.filter(stripe_payment_intent_id=dispute.get("payment_intent")).update(
            status=DonationStatus.DISPUTED
        )
    if dispute.get("status") == "won" and withdrawn is not None:
        lines = [(e.account, -e.amount_cents) for e in withdrawn.entries.select_related("account")]
        return ledger.post(
            idempotency_key=f"{dispute['id']}:won",
            kind=TransactionKind.DISPUTE_WON,
            channel=original.channel,
            lines=lines,
            description=f"Dispute won on {original.idempotency_key}",
            stripe_object_id=dispute["id"],
            reverses=withdrawn,
        )
    return withdrawn


@transaction.atomic
def subscription_expire_due(*, now: dt.datetime | None = None) -> int:
    """Gifted (non-renewing) subscriptions whose month is over end; Stripe ends the others itself."""
    now = now or timezone.now()
    due = list(
        ChannelSubscription.objects.select_for_update()
        .filter(
            stripe_subscription_id__isnull=True, status=SubscriptionStatus.ACTIVE, current_period_end__lt=now
        )
        .select_related("channel", "user")
    )
    for row in due:
        row.status = SubscriptionStatus.EXPIRED
        row.save(update_fields=["status", "updated_at"])
        _forget_chat_facts(row)
    return len(due)
