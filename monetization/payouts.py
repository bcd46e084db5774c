"""Payouts: Connect (Express) onboarding, requests, staff decisions, transfers and their failures.

Money moves only through the ledger, each step once (idempotency key `payout:<id>:<step>`):
request  creator_balance -x, payouts_in_transit +x   (`reserve`, under a row lock on the balance)
paid     payouts_in_transit -x, payouts +x           (`paid`, the transfer exists)
failed   payouts_in_transit|payouts -x, creator_balance +x   (`failed`, the balance comes back)
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from channels_app.models import Channel
from monetization import gateway, ledger
from monetization.models import (
    AccountKind,
    ConnectAccount,
    LedgerAccount,
    Payout,
    PayoutStatus,
    TransactionKind,
)
from monetization.services import Conflict

logger = logging.getLogger(__name__)

LOCAL_ACCOUNT_PREFIX = "acct_local_"  # made by the local test onboarding page, never by Stripe
OPEN_STATUSES = (PayoutStatus.REQUESTED, PayoutStatus.HELD, PayoutStatus.APPROVED)


# --- Selectors -------------------------------------------------------------------------------------


def connect_account_get(*, channel: Channel) -> ConnectAccount | None:
    return ConnectAccount.objects.filter(channel=channel).first()


def payouts_for(*, channel: Channel) -> QuerySet[Payout]:
    return Payout.objects.filter(channel=channel).order_by("-created_at", "-id")


def available_cents(*, channel: Channel) -> int:
    return ledger.creator_balance(channel)


def _owner(channel: Channel, user: User) -> None:
    if channel.owner_user_id != user.pk:
        raise PermissionDenied("Only the broadcaster manages this channel's payouts.")


# --- Onboarding ------------------------------------------------------------------------------------


@transaction.atomic
def connect_onboarding_start(*, channel: Channel, user: User, refresh_url: str, return_url: str) -> str:
    """The URL where the broadcaster fills in Stripe's Express onboarding (or the local test page)."""
    _owner(channel, user)
    account = ConnectAccount.objects.select_for_update().filter(channel=channel).first()
    if settings.STRIPE_LOCAL_CHECKOUT:
        if account is None:
            account = ConnectAccount(channel=channel, stripe_account_id=f"{LOCAL_ACCOUNT_PREFIX}{channel.pk}")
            account.full_clean()
            account.save()
        return f"{reverse('payouts-test-onboarding')}?channel={channel.slug}"
    if account is None:
        created = gateway.connect_account_create(email=user.email, channel_id=channel.pk)
        account = ConnectAccount(channel=channel, stripe_account_id=created["id"])
        _copy_flags(account, created)
        account.full_clean()
        account.save()
    return gateway.connect_account_link(
        account_id=account.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )


def _copy_flags(account: ConnectAccount, obj: dict[str, Any]) -> None:
    account.payouts_enabled = bool(obj.get("payouts_enabled"))
    account.details_submitted = bool(obj.get("details_submitted"))


@transaction.atomic
def connect_account_from_stripe(*, obj: dict[str, Any]) -> ConnectAccount | None:
    """`account.updated` (or the return from onboarding): copy Stripe's readiness flags."""
    account = ConnectAccount.objects.select_for_update().filter(stripe_account_id=obj.get("id")).first()
    if account is None:
        return None
    _copy_flags(account, obj)
    account.save(update_fields=["payouts_enabled", "details_submitted", "updated_at"])
    return account


def connect_account_refresh(*, channel: Channel, user: User) -> ConnectAccount | None:
    """Back from Stripe's onboarding: read the account once rather than wait for the webhook."""
    _owner(channel, user)
    account = connect_account_get(channel=channel)
    if account is None or account.stripe_account_id.startswith(LOCAL_ACCOUNT_PREFIX):
        return account
    return connect_account_from_stripe(obj=gateway.connect_account_retrieve(account.stripe_account_id))


@transaction.atomic
def connect_local_complete(*, channel: Channel, user: User) -> ConnectAccount:
    """The local test onboarding page's "submit": only for accounts it made, only without real Stripe."""
    _owner(channel, user)
    account = ConnectAccount.objects.select_for_update().filter(channel=channel).first()
    if (
        not settings.STRIPE_LOCAL_CHECKOUT
        or account is None
        or not account.stripe_account_id.startswith(LOCAL_ACCOUNT_PREFIX)
    ):
        raise PermissionDenied("Test onboarding is only available with the local Stripe server.")
    account.payouts_enabled = account.details_submitted = True
    account.save(update_fields=["payouts_enabled", "details_submitted", "updated_at"])
    return account


# --- Requests and decisions ------------------------------------------------------------------------


def _locked_balance_account(channel: Channel) -> LedgerAccount:
    # Concurrent requests for one channel queue here; the balance is summed after the lock, so
    # the second one sees the first one's reserve (READ COMMITTED re-reads per statement).
    acct = ledger.account(AccountKind.CREATOR_BALANCE, channel)
    return LedgerAccount.objects.select_for_update().get(pk=acct.pk)


@transaction.atomic
def payout_request(
    *, channel: Channel, user: User | None, amount_cents: int | None = None, automatic: bool = False
) -> Payout:
    """Reserve `amount_cents` (default: all) of the balance for a payout; 400/403/409 on refusal."""
    if not automatic:
        if user is None:
            raise PermissionDenied("Sign in to request a payout.")
        _owner(channel, user)
    account = connect_account_get(channel=channel)
    if account is None or not account.ready:
        raise Conflict("Finish the payout onboarding (Stripe Connect) before requesting a payout.")
    balance_account = _locked_balance_account(channel)
    available = ledger.balance(balance_account)
    amount = available if amount_cents is None else amount_cents
    minimum = settings.PAYOUT_MINIMUM_CENTS
    if amount < minimum:
        raise ValidationError({"amount_cents": [f"A payout is at least {minimum / 100:.2f}."]})
    if amount > available:
        raise Conflict(f"Only {available / 100:.2f} is available for a payout.")
    approved = automatic and not settings.PAYOUT_REQUIRE_APPROVAL
    payout = Payout(
        channel=channel,
        amount_cents=amount,
        currency=settings.STRIPE_CURRENCY,
        requested_by=user,
        automatic=automatic,
        status=PayoutStatus.APPROVED if approved else PayoutStatus.REQUESTED,
    )
    payout.full_clean()
    payout.save()
    ledger.post(
        idempotency_key=f"payout:{payout.pk}:reserve",
        kind=TransactionKind.PAYOUT,
        channel=channel,
        lines=[
            (balance_account, -amount),
            (ledger.account(AccountKind.PAYOUTS_IN_TRANSIT, channel), amount),
        ],
        description=f"Payout {payout.pk} reserved",
    )
    if approved:
        _transfer_on_commit(payout)
    return payout


def _transfer_on_commit(payout: Payout) -> None:
    from monetization import tasks

    payout_id = payout.pk
    transaction.on_commit(lambda: tasks.payout_transfer.delay(payout_id))


def _locked(payout: Payout) -> Payout:
    return Payout.objects.select_for_update().get(pk=payout.pk)


@transaction.atomic
def payout_approve(*, payout: Payout, staff: User) -> Payout:
    payout = _locked(payout)
    if payout.status not in (PayoutStatus.REQUESTED, PayoutStatus.HELD):
        raise Conflict(f"Payout {payout.pk} is {payout.get_status_display().lower()}: nothing to approve.")
    payout.status = PayoutStatus.APPROVED
    payout.decided_by = staff
    payout.save(update_fields=["status", "decided_by", "updated_at"])
    _transfer_on_commit(payout)
    return payout


@transaction.atomic
def payout_hold(*, payout: Payout, staff: User) -> Payout:
    payout = _locked(payout)
    if payout.status != PayoutStatus.REQUESTED:
        raise Conflict(
            f"Payout {payout.pk} is {payout.get_status_display().lower()}: only requests are held."
        )
    payout.status = PayoutStatus.HELD
    payout.decided_by = staff
    payout.save(update_fields=["status", "decided_by", "updated_at"])
    return payout


@transaction.atomic
def payout_cancel(*, payout: Payout, staff: User) -> Payout:
    """Staff refuse a request or a held payout: the reserve goes back to the balance."""
    payout = _locked(payout)
    if payout.status not in (PayoutStatus.REQUESTED, PayoutStatus.HELD):
        raise Conflict(
            f"Payout {payout.pk} is {payout.get_status_display().lower()}: it cannot be cancelled."
        )
    _release(payout, source=AccountKind.PAYOUTS_IN_TRANSIT, reason="Cancelled by staff")
    payout.status = PayoutStatus.CANCELLED
    payout.decided_by = staff
    payout.save(update_fields=["status", "decided_by", "updated_at"])
    return payout


def _release(payout: Payout, *, source: str, reason: str) -> None:
    ledger.post(
        idempotency_key=f"payout:{payout.pk}:failed",
        kind=TransactionKind.PAYOUT_FAILED,
        channel=payout.channel,
        lines=[
            (ledger.account(source, payout.channel), -payout.amount_cents),
            (ledger.account(AccountKind.CREATOR_BALANCE, payout.channel), payout.amount_cents),
        ],
        description=f"Payout {payout.pk}: {reason}"[:200],
        stripe_object_id=payout.stripe_transfer_id or "",
    )


# --- Transfers -------------------------------------------------------------------------------------


@transaction.atomic
def _transfer_start(payout_id: int) -> tuple[Payout, str] | None:
    payout = Payout.objects.select_for_update().select_related("channel").filter(pk=payout_id).first()
    retry = payout is not None and payout.status == PayoutStatus.IN_TRANSIT and not payout.stripe_transfer_id
    if payout is None or not (payout.status == PayoutStatus.APPROVED or retry):
        return None
    account = connect_account_get(channel=payout.channel)
    if account is None or not account.payouts_enabled:
        payout_fail(payout=payout, reason="The channel's Stripe account cannot receive payouts.")
        return None
    payout.status = PayoutStatus.IN_TRANSIT
    payout.save(update_fields=["status", "updated_at"])
    return payout, account.stripe_account_id


def payout_transfer(*, payout_id: int) -> Payout | None:
    """Send an approved payout to the creator's Connect account (the task's one call).

    `in_transit` is committed before Stripe is called; a crash in between retries with the same
    idempotency key, so Stripe answers with the transfer it already made.
    """
    started = _transfer_start(payout_id)
    if started is None:
        return None
    payout, destination = started
    if destination.startswith(LOCAL_ACCOUNT_PREFIX):
        transfer: dict[str, Any] = {"id": f"tr_local_{payout.pk}", "reversed": False}
    else:
        try:
            transfer = gateway.transfer_create(
                payout_id=payout.pk,
                amount_cents=payout.amount_cents,
                currency=payout.currency,
                destination=destination,
            )
        except gateway.TransferFailed as exc:
            return payout_fail(payout=payout, reason=exc.message)
    return payout_paid(payout=payout, transfer=transfer)


def payout_retry(*, payout: Payout, staff: User) -> Payout:
    """Staff resend a transfer whose task gave up (Stripe unreachable); the idempotency key stays."""
    if payout.status != PayoutStatus.IN_TRANSIT or payout.stripe_transfer_id:
        raise Conflict(f"Payout {payout.pk} is not waiting for a transfer.")
    from monetization import tasks

    tasks.payout_transfer.delay(payout.pk)
    return payout


@transaction.atomic
def payout_paid(*, payout: Payout, transfer: dict[str, Any]) -> Payout:
    payout = _locked(payout)
    if payout.status != PayoutStatus.IN_TRANSIT:
        return payout  # already paid or failed: a replay changes nothing
    if transfer.get("reversed"):
        return payout_fail(payout=payout, reason="The transfer was reversed.")
    payout.stripe_transfer_id = str(transfer["id"])
    payout.status = PayoutStatus.PAID
    payout.save(update_fields=["stripe_transfer_id", "status", "updated_at"])
    ledger.post(
        idempotency_key=f"payout:{payout.pk}:paid",
        kind=TransactionKind.PAYOUT_PAID,
        channel=payout.channel,
        lines=[
            (ledger.account(AccountKind.PAYOUTS_IN_TRANSIT, payout.channel), -payout.amount_cents),
            (ledger.account(AccountKind.PAYOUTS, payout.channel), payout.amount_cents),
        ],
        description=f"Payout {payout.pk} transferred",
        stripe_object_id=payout.stripe_transfer_id,
    )
    return payout


@transaction.atomic
def payout_fail(*, payout: Payout, reason: str) -> Payout:
    """The transfer was refused or reversed: the money goes back to the creator's balance, once."""
    payout = _locked(payout)
    if payout.status in (PayoutStatus.FAILED, PayoutStatus.CANCELLED):
        return payout
    source = AccountKind.PAYOUTS if payout.status == PayoutStatus.PAID else AccountKind.PAYOUTS_IN_TRANSIT
    _release(payout, source=source, reason=reason)
    payout.status = PayoutStatus.FAILED
    payout.failure_reason = reason[:300]
    payout.save(update_fields=["status", "failure_reason", "updated_at"])
    logger.warning("Payout %s failed: %s", payout.pk, reason)
    return payout


def payout_from_stripe_transfer(*, transfer: dict[str, Any], event_type: str) -> Payout | None:
    """Transfer webhooks: a reversal (or failure) restores the balance; a paid one settles a transit."""
    payout_id = str((transfer.get("metadata") or {}).get("aethex_payout") or "")
    payouts = Payout.objects.all()
    payout = (
        payouts.filter(pk=int(payout_id)).first()
        if payout_id.isdigit()
        else payouts.filter(stripe_transfer_id=transfer.get("id")).first()
    )
    if payout is None:
        return None
    if event_type in ("transfer.reversed", "transfer.failed") or transfer.get("reversed"):
        return payout_fail(payout=payout, reason="The transfer was reversed by Stripe.")
    return payout_paid(payout=payout, transfer=transfer)


# --- Monthly run -----------------------------------------------------------------------------------


def monthly_payouts() -> int:
    """Every channel with a ready Connect account and at least the minimum gets an automatic payout."""
    made = 0
    ready = ConnectAccount.objects.filter(payouts_enabled=True, details_submitted=True).select_related(
        "channel"
    )
    for account in ready:
        if ledger.creator_balance(account.channel) < settings.PAYOUT_MINIMUM_CENTS:
            continue
        try:
            payout_request(channel=account.channel, user=None, automatic=True)
        except (ValidationError, Conflict):
            continue  # spent meanwhile (a manual request won the lock)
        made += 1
    return made
