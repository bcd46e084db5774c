"""Synthetic ledger history for the revenue tests: payments and reversals posted through `ledger.post`."""

from __future__ import annotations

import datetime as dt
import itertools

from channels_app.models import Channel
from monetization import ledger
from monetization.models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind

_ids = itertools.count(1)


def _at(txn: LedgerTransaction | None, when: dt.datetime | None) -> LedgerTransaction:
    assert txn is not None
    if when is not None:
        # ledger.post stamps "now"; history is moved to its day afterwards (created_at is not auto_now).
        LedgerTransaction.objects.filter(pk=txn.pk).update(created_at=when)
        txn.created_at = when
    return txn


def payment(
    channel: Channel, kind: str, gross_cents: int, when: dt.datetime | None = None, object_id: str = ""
) -> LedgerTransaction:
    object_id = object_id or f"pi_test{next(_ids)}"
    return _at(
        ledger.post(
            idempotency_key=f"{object_id}:payment",
            kind=kind,
            channel=channel,
            lines=ledger.payment_lines(channel, gross_cents),
            stripe_object_id=object_id,
        ),
        when,
    )


def reversal(
    original: LedgerTransaction, amount_cents: int, when: dt.datetime | None = None, dispute: bool = False
) -> LedgerTransaction:
    object_id = f"{'dp' if dispute else 're'}_test{next(_ids)}"
    return _at(
        ledger.post(
            idempotency_key=f"{object_id}:{'dispute' if dispute else 'refund'}",
            kind=TransactionKind.DISPUTE if dispute else TransactionKind.REFUND,
            channel=original.channel,
            lines=ledger.reversal_lines(
                original, amount_cents, AccountKind.DISPUTES if dispute else AccountKind.REFUNDS
            ),
            stripe_object_id=object_id,
            reverses=original,
        ),
        when,
    )


def dispute_won(withdrawn: LedgerTransaction, when: dt.datetime | None = None) -> LedgerTransaction:
    lines = [(e.account, -e.amount_cents) for e in withdrawn.entries.select_related("account")]
    return _at(
        ledger.post(
            idempotency_key=f"{withdrawn.stripe_object_id}:won",
            kind=TransactionKind.DISPUTE_WON,
            channel=withdrawn.channel,
            lines=lines,
            stripe_object_id=withdrawn.stripe_object_id,
            reverses=withdrawn,
        ),
        when,
    )


def payout(channel: Channel, cents: int, when: dt.datetime | None = None) -> LedgerTransaction:
    """A payout that reached the bank (the payouts module's kind is not known here: any non-revenue kind)."""
    key = f"po_test{next(_ids)}"
    txn = LedgerTransaction.objects.create(idempotency_key=f"{key}:paid", kind="payout", channel=channel)
    balance = ledger.account(AccountKind.CREATOR_BALANCE, channel)
    paid = ledger.account(AccountKind.PAYOUTS, channel)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=txn, account=balance, amount_cents=-cents),
            LedgerEntry(transaction=txn, account=paid, amount_cents=cents),
        ]
    )
    return _at(txn, when)
