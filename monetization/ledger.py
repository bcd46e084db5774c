"""The double-entry ledger: every money event is one balanced transaction, written once.

Signs: an entry is positive when money is owed to / held for the account's owner, negative on
the source. A viewer's payment of G books `viewer_payments -G`, `processor_fee +f`,
`platform_fee +p`, `creator_balance(channel) +(G - f - p)`. A refund or dispute books the
reversal (see `split_reversal`). Payouts (next step) move `creator_balance -x`,
`payouts_in_transit +x`, then `payouts_in_transit -x`, `payouts +x` when the bank confirms.
A creator's balance is SUM(entries) on its account: nothing else stores it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum

from channels_app.models import Channel
from monetization.models import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction

CHANNEL_KINDS = {AccountKind.CREATOR_BALANCE, AccountKind.PAYOUTS_IN_TRANSIT, AccountKind.PAYOUTS}


class UnbalancedTransaction(ValueError):
    pass


@dataclass(frozen=True)
class Split:
    processor_fee: int
    platform_fee: int
    creator: int


def split_payment(gross_cents: int) -> Split:
    """The processor's fee (estimated until reconciled), the platform's cut, and the creator's rest."""
    processor = min(
        gross_cents,
        (gross_cents * settings.PROCESSOR_FEE_BASIS_POINTS + 5_000) // 10_000
        + settings.PROCESSOR_FEE_FIXED_CENTS,
    )
    platform = min(gross_cents - processor, (gross_cents * settings.PLATFORM_FEE_PERCENT + 50) // 100)
    return Split(processor_fee=processor, platform_fee=platform, creator=gross_cents - processor - platform)


def account(kind: str, channel: Channel | None = None) -> LedgerAccount:
    if (kind in CHANNEL_KINDS) != (channel is not None):
        raise ValueError(f"{kind} accounts {'need' if kind in CHANNEL_KINDS else 'take no'} channel.")
    found, _ = LedgerAccount.objects.get_or_create(
        kind=kind, channel=channel if kind in CHANNEL_KINDS else None
    )
    return found


def balance(ledger_account: LedgerAccount) -> int:
    return int(ledger_account.entries.aggregate(total=Sum("amount_cents"))["total"] or 0)


def creator_balance(channel: Channel) -> int:
    total = LedgerEntry.objects.filter(
        account__kind=AccountKind.CREATOR_BALANCE, account__channel=channel
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


@transaction.atomic
def post(
    *,
    idempotency_key: str,
    kind: str,
    channel: Channel,
    lines: list[tuple[LedgerAccount, int]],
    description: str = "",
    stripe_object_id: str = "",
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction | None:
    """Write one balanced transaction; None when its key was already written (a replayed event)."""
    lines = [(acct, cents) for acct, cents in lines if cents]
    if not lines or sum(cents for _, cents in lines) != 0:
        raise UnbalancedTransaction(f"{idempotency_key}: entries {[c for _, c in lines]} do not sum to zero")
    if LedgerTransaction.objects.filter(idempotency_key=idempotency_key).exists():
        return None
    try:
        # A savepoint: a concurrent delivery of the same event loses the race on the unique key
        # without breaking the caller's transaction.
        with transaction.atomic():
            txn = LedgerTransaction.objects.create(
                idempotency_key=idempotency_key,
                kind=kind,
                channel=channel,
                description=description[:200],
                stripe_object_id=stripe_object_id,
                reverses=reverses,
            )
    except IntegrityError:
        return None
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(transaction=txn, account=acct, amount_cents=cents) for acct, cents in lines]
    )
    return txn


def payment_lines(channel: Channel, gross_cents: int) -> list[tuple[LedgerAccount, int]]:
    split = split_payment(gross_cents)
    return [
        (account(AccountKind.VIEWER_PAYMENTS), -gross_cents),
        (account(AccountKind.PROCESSOR_FEE), split.processor_fee),
        (account(AccountKind.PLATFORM_FEE), split.platform_fee),
        (account(AccountKind.CREATOR_BALANCE, channel), split.creator),
    ]


def reversal_lines(
    original: LedgerTransaction, amount_cents: int, sink: str
) -> list[tuple[LedgerAccount, int]]:
    """Give back `amount_cents` of `original` through the `sink` account (refunds or disputes).

    The platform returns its cut in proportion; the processor keeps its fee (Stripe does not
    return it on refunds), so the creator carries the rest, as on Twitch and Patreon.
    """
    entries = {e.account.kind: e.amount_cents for e in original.entries.select_related("account")}
    gross = -entries.get(AccountKind.VIEWER_PAYMENTS, 0)
    amount_cents = min(amount_cents, gross)
    platform_back = (entries.get(AccountKind.PLATFORM_FEE, 0) * amount_cents) // gross if gross else 0
    return [
        (account(sink), amount_cents),
        (account(AccountKind.PLATFORM_FEE), -platform_back),
        (account(AccountKind.CREATOR_BALANCE, original.channel), -(amount_cents - platform_back)),
    ]
