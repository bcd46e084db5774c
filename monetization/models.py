"""Money: the double-entry ledger, subscription tiers and subscriptions, checkouts and donations.

Amounts are integer cents in `settings.STRIPE_CURRENCY`. Nothing here becomes "paid" from a
browser: only a verified Stripe webhook (monetization/webhooks.py) moves a row to a paid state
and writes the ledger.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from channels_app.models import Channel


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- Ledger -------------------------------------------------------------------------------------


class AccountKind(models.TextChoices):
    # Sources and sinks of the platform's money; creator accounts are per channel.
    VIEWER_PAYMENTS = "viewer_payments", "Viewer payments"
    CREATOR_BALANCE = "creator_balance", "Creator balance"
    PLATFORM_FEE = "platform_fee", "Platform fee"
    PROCESSOR_FEE = "processor_fee", "Processor fee"
    REFUNDS = "refunds", "Refunds"
    DISPUTES = "disputes", "Disputes"
    PAYOUTS_IN_TRANSIT = "payouts_in_transit", "Payouts in transit"
    PAYOUTS = "payouts", "Payouts"


class LedgerAccount(models.Model):
    kind = models.CharField(max_length=24, choices=AccountKind.choices)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel"], name="ledger_account_unique_per_channel"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(channel__isnull=True), name="ledger_account_unique_platform"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["creator_balance", "payouts_in_transit", "payouts"], channel__isnull=False
                )
                | (
                    ~Q(kind__in=["creator_balance", "payouts_in_transit", "payouts"])
                    & Q(channel__isnull=True)
                ),
                name="ledger_account_channel_iff_creator_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{f' · {self.channel}' if self.channel_id else ''}"


class TransactionKind(models.TextChoices):
    DONATION = "donation", "Donation"
    SUBSCRIPTION = "subscription", "Subscription payment"
    GIFT = "gift", "Gift subscriptions"
    REFUND = "refund", "Refund"
    DISPUTE = "dispute", "Dispute"
    DISPUTE_WON = "dispute_won", "Dispute won"
    PAYOUT = "payout", "Payout reserved"
    PAYOUT_PAID = "payout_paid", "Payout paid"
    PAYOUT_FAILED = "payout_failed", "Payout failed"


class LedgerTransaction(models.Model):
    """One money event. The idempotency key (`<stripe object id>:<purpose>`) makes a replay a no-op."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=TransactionKind.choices)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="ledger_transactions")
    description = models.CharField(max_length=200, blank=True)
    # The Stripe object the money moved with (PaymentIntent, Invoice, Charge, Refund, Dispute).
    stripe_object_id = models.CharField(max_length=255, blank=True, db_index=True)
    # A refund or dispute points at the payment it reverses.
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversals"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.idempotency_key}"


class LedgerEntry(models.Model):
    """A signed amount on one account; the entries of a transaction sum to zero."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_cents = models.BigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(amount_cents=0), name="ledger_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount_cents}"


# --- Subscriptions -------------------------------------------------------------------------------


class SubscriptionTier(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscription_tiers")
    tier = models.PositiveSmallIntegerField(choices=[(1, "Tier 1"), (2, "Tier 2"), (3, "Tier 3")])
    name = models.CharField(max_length=40)
    price_cents = models.PositiveIntegerField()
    benefits = models.TextField(blank=True, validators=[MaxLengthValidator(500)])
    # The Stripe plan (a legacy Plan; real Stripe also accepts its id as a Price) for the current price.
    stripe_plan_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["channel", "tier"]
        constraints = [models.UniqueConstraint(fields=["channel", "tier"], name="tier_unique_per_channel")]

    def __str__(self) -> str:
        return f"{self.channel} · {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        low, high = settings.SUBSCRIPTION_PRICE_MIN_CENTS, settings.SUBSCRIPTION_PRICE_MAX_CENTS
        if self.price_cents is not None and not low <= self.price_cents <= high:
            raise ValidationError(
                {"price_cents": [f"A tier costs between {low / 100:.2f} and {high / 100:.2f} a month."]}
            )


class SubscriptionStatus(models.TextChoices):
    INCOMPLETE = "incomplete", "Incomplete"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    CANCELED = "canceled", "Canceled"
    EXPIRED = "expired", "Expired"


class ChannelSubscription(models.Model):
    """A viewer's subscription to a channel: from Stripe (renewing) or a gift (one month)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscriptions")
    tier = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.INCOMPLETE
    )
    stripe_subscription_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    months = models.PositiveIntegerField(default=0)  # cumulative paid (or gifted) months
    gifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live subscription per viewer and channel; ended ones stay as history.
            models.UniqueConstraint(
                fields=["user", "channel"],
                condition=Q(status__in=["active", "past_due"]),
                name="one_live_subscription_per_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.channel} (tier {self.tier}, {self.status})"

    @property
    def is_live(self) -> bool:
        ended = self.current_period_end is not None and self.current_period_end < timezone.now()
        return self.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE) and not ended


# --- Checkouts and donations -----------------------------------------------------------------------


class CheckoutKind(models.TextChoices):
    SUBSCRIPTION = "subscription", "Subscription"
    DONATION = "donation", "Donation"
    GIFT = "gift", "Gift subscriptions"


class CheckoutStatus(models.TextChoices):
    OPEN = "open", "Open"
    PROCESSING = "processing", "Processing"  # the card was accepted; waiting for the webhook
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"


class Checkout(models.Model):
    """What a viewer is about to pay for; its token is the /checkout/<token>/ page and Stripe metadata."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    kind = models.CharField(max_length=12, choices=CheckoutKind.choices)
    status = models.CharField(max_length=12, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="checkouts"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="checkouts")
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    amount_cents = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3, default="usd")
    message = models.CharField(max_length=300, blank=True)
    anonymous = models.BooleanField(default=False)
    gift_count = models.PositiveSmallIntegerField(default=0)
    gift_recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Chosen when the gift is bought (a named user, or random signed-in viewers of the room then).
    gift_recipient_ids = models.JSONField(default=list, blank=True)
    stripe_session_id = models.CharField(max_length=255, blank=True)
    stripe_object_id = models.CharField(max_length=255, blank=True, db_index=True)
    failure_message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.token[:8]} ({self.status})"

    @property
    def amount(self) -> Decimal:
        return (Decimal(self.amount_cents) / 100).quantize(Decimal("0.01"))


class DonationStatus(models.TextChoices):
    PAID = "paid", "Paid"
    REFUNDED = "refunded", "Refunded"
    DISPUTED = "disputed", "Disputed"


class Donation(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="donations")
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="donations"
    )
    display_name = models.CharField(max_length=40)
    anonymous = models.BooleanField(default=False)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="usd")
    message = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=DonationStatus.choices, default=DonationStatus.PAID)
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True)
    checkout = models.OneToOneField(Checkout, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.display_name} → {self.channel}: {self.amount}"

    @property
    def amount(self) -> Decimal:
        return (Decimal(self.amount_cents) / 100).quantize(Decimal("0.01"))


class Campaign(models.Model):
    """A fundraising goal: its total is the paid donations in its window (refunds lower it)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(max_length=80)
    goal_cents = models.PositiveIntegerField(validators=[MinValueValidator(100)])
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} · {self.title}"


# --- Payouts -------------------------------------------------------------------------------------


class ConnectAccount(models.Model):
    """The channel's Stripe Connect (Express) account that payouts are transferred to."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="connect_account")
    stripe_account_id = models.CharField(max_length=255, unique=True)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.channel} · {self.stripe_account_id}"

    @property
    def ready(self) -> bool:
        return self.payouts_enabled and self.details_submitted


class PayoutStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    HELD = "held", "Held"
    APPROVED = "approved", "Approved"
    IN_TRANSIT = "in_transit", "In transit"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Payout(models.Model):
    """Money leaving a creator's balance: reserved in the ledger when requested, transferred when approved."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="payouts")
    amount_cents = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3, default="usd")
    status = models.CharField(max_length=12, choices=PayoutStatus.choices, default=PayoutStatus.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stripe_transfer_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Payout {self.pk} · {self.channel} · {self.amount_cents / 100:.2f} ({self.status})"

    @property
    def amount(self) -> Decimal:
        return (Decimal(self.amount_cents) / 100).quantize(Decimal("0.01"))
