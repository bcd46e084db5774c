"""The money console: read-only ledger, subscriptions, donations, checkouts; refunds go through Stripe."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from monetization import payouts, services
from monetization.models import (
    Campaign,
    ChannelSubscription,
    Checkout,
    ConnectAccount,
    Donation,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Payout,
    SubscriptionTier,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money rows change only through verified webhooks: the admin shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ["account", "amount_cents"]
    readonly_fields = ["account", "amount_cents"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "channel", "description", "idempotency_key"]
    list_filter = ["kind"]
    list_select_related = ["channel"]
    search_fields = ["idempotency_key", "stripe_object_id", "channel__slug"]
    raw_id_fields = ["channel", "reverses"]
    inlines = [EntryInline]
    date_hierarchy = "created_at"


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["kind", "channel"]
    list_filter = ["kind"]
    search_fields = ["channel__slug"]


@admin.register(ChannelSubscription)
class ChannelSubscriptionAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "channel",
        "tier",
        "status",
        "months",
        "current_period_end",
        "cancel_at_period_end",
    ]
    list_filter = ["status", "tier", "cancel_at_period_end"]
    list_select_related = ["user", "channel"]
    search_fields = ["user__username", "channel__slug", "stripe_subscription_id"]
    raw_id_fields = ["user", "channel", "gifted_by"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "display_name", "amount", "status", "message"]
    list_filter = ["status"]
    list_select_related = ["channel"]
    search_fields = ["display_name", "channel__slug", "stripe_payment_intent_id", "message"]
    raw_id_fields = ["channel", "donor", "checkout"]
    actions = ["refund"]

    @admin.action(description="Refund through Stripe (the charge.refunded webhook books the reversal)")
    def refund(self, request: HttpRequest, queryset: QuerySet[Donation]) -> None:
        done = 0
        for donation in queryset.filter(status="paid"):
            try:
                services.donation_refund(donation=donation)
            except services.Conflict as exc:
                self.message_user(request, f"{donation}: {exc}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} refund(s) requested; the ledger changes when Stripe confirms.")


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "status", "user", "channel", "amount_cents", "failure_message"]
    list_filter = ["kind", "status"]
    list_select_related = ["user", "channel"]
    search_fields = ["token", "stripe_object_id", "user__username", "channel__slug"]
    raw_id_fields = ["user", "channel", "gift_recipient"]


@admin.register(SubscriptionTier)
class SubscriptionTierAdmin(admin.ModelAdmin):
    list_display = ["channel", "tier", "name", "price_cents"]
    list_select_related = ["channel"]
    search_fields = ["channel__slug"]
    raw_id_fields = ["channel"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["channel", "title", "goal_cents", "starts_at", "ends_at"]
    list_select_related = ["channel"]
    search_fields = ["channel__slug", "title"]
    raw_id_fields = ["channel"]


@admin.register(ConnectAccount)
class ConnectAccountAdmin(ReadOnlyAdmin):
    list_display = ["channel", "stripe_account_id", "payouts_enabled", "details_submitted", "updated_at"]
    list_filter = ["payouts_enabled", "details_submitted"]
    list_select_related = ["channel"]
    search_fields = ["channel__slug", "stripe_account_id"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    """Staff decide requested payouts here: approve (→ transfer), hold, or cancel (→ balance back)."""

    list_display = ["created_at", "channel", "amount", "status", "automatic", "requested_by", "decided_by"]
    list_filter = ["status", "automatic"]
    list_select_related = ["channel", "requested_by", "decided_by"]
    search_fields = ["channel__slug", "stripe_transfer_id"]
    raw_id_fields = ["channel", "requested_by", "decided_by"]
    date_hierarchy = "created_at"
    actions = ["approve", "hold", "cancel", "retry"]

    def _decide(self, request: HttpRequest, queryset: QuerySet[Payout], decide: Any, verb: str) -> None:
        assert isinstance(request.user, User)  # the admin is staff only
        done = 0
        for payout in queryset:
            try:
                decide(payout=payout, staff=request.user)
            except services.Conflict as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} payout(s) {verb}.")

    @admin.action(description="Approve: transfer to the creator's Stripe account")
    def approve(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        self._decide(request, queryset, payouts.payout_approve, "approved")

    @admin.action(description="Hold for review")
    def hold(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        self._decide(request, queryset, payouts.payout_hold, "held")

    @admin.action(description="Cancel: give the amount back to the creator's balance")
    def cancel(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        self._decide(request, queryset, payouts.payout_cancel, "cancelled")

    @admin.action(description="Retry the transfer (in transit, Stripe never answered)")
    def retry(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        self._decide(request, queryset, payouts.payout_retry, "sent again")
