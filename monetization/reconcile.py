"""Compare the ledger's payments with Stripe's balance transactions (`manage.py reconcile_ledger`).

A balance transaction of type charge/payment carries the charge (expanded, so its PaymentIntent and
invoice are known without one request per row), the gross `amount` and Stripe's real `fee`. The ledger
books a payment under the PaymentIntent id (donations, gifts) or the invoice's PaymentIntent / invoice
id (subscriptions), with an estimated processor fee. Four kinds of difference are reported:
missing_in_ledger, missing_in_stripe, amount_mismatch, fee_mismatch (the difference is the correction
the estimate needs). Read-only: nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import stripe
from django.conf import settings
from django.db.models import Prefetch

from channels_app.models import Channel
from monetization.gateway import as_dict
from monetization.models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind

PAYMENT_KINDS = [TransactionKind.DONATION, TransactionKind.SUBSCRIPTION, TransactionKind.GIFT]
PAYMENT_TYPES = ("charge", "payment")


@dataclass(frozen=True)
class Difference:
    problem: str  # missing_in_ledger | missing_in_stripe | amount_mismatch | fee_mismatch
    stripe_id: str  # the balance transaction (empty when Stripe has none)
    source_id: str  # the charge / PaymentIntent / invoice the money moved with
    ledger_key: str  # the ledger transaction's idempotency key (empty when the ledger has none)
    channel: str
    stripe_cents: int | None
    ledger_cents: int | None

    @property
    def difference_cents(self) -> int | None:
        if self.stripe_cents is None or self.ledger_cents is None:
            return None
        return self.stripe_cents - self.ledger_cents

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"difference_cents": self.difference_cents}


@dataclass(frozen=True)
class _Payment:
    key: str
    channel: str
    gross: int
    fee: int


def balance_transactions(*, since: dt.datetime | None) -> Iterable[dict[str, Any]]:
    """Every payment balance transaction since `since`, newest first, paged by the stripe library."""
    params: dict[str, Any] = {"limit": 100, "expand": ["data.source"], "api_key": settings.STRIPE_SECRET_KEY}
    if since is not None:
        params["created"] = {"gte": int(since.timestamp())}
    for item in stripe.BalanceTransaction.list(**params).auto_paging_iter():
        row = as_dict(item)
        if row.get("type") in PAYMENT_TYPES:
            yield row


def _ids_of(source: Any) -> list[str]:
    """The ids a ledger row might be keyed by: the charge, its PaymentIntent, its invoice."""
    if isinstance(source, str):
        return [source]
    if not isinstance(source, dict):
        return []
    ids = [source.get("id"), source.get("payment_intent"), source.get("invoice")]
    return [str(i) for i in ids if isinstance(i, str) and i]


def _ledger_payments(*, since: dt.datetime | None, channel: Channel | None) -> dict[str, _Payment]:
    txns = LedgerTransaction.objects.filter(kind__in=PAYMENT_KINDS).select_related("channel")
    if since is not None:
        txns = txns.filter(created_at__gte=since)
    if channel is not None:
        txns = txns.filter(channel=channel)
    txns = txns.prefetch_related(
        Prefetch("entries", queryset=LedgerEntry.objects.select_related("account"), to_attr="lines")
    )
    found = {}
    for txn in txns:
        by_kind = {entry.account.kind: entry.amount_cents for entry in txn.lines}
        # The invoice id is the key's prefix for subscriptions; the PaymentIntent for the rest.
        ids = {txn.stripe_object_id, txn.idempotency_key.rsplit(":", 1)[0]} - {""}
        payment = _Payment(
            key=txn.idempotency_key,
            channel=txn.channel.slug,
            gross=-by_kind.get(AccountKind.VIEWER_PAYMENTS, 0),
            fee=by_kind.get(AccountKind.PROCESSOR_FEE, 0),
        )
        for object_id in ids:
            found[object_id] = payment
    return found


def _channel_of(source: Any) -> str:
    meta = (source.get("metadata") or {}) if isinstance(source, dict) else {}
    pk = str(meta.get("aethex_channel") or "")
    if not pk.isdigit():
        return ""
    return str(Channel.objects.filter(pk=int(pk)).values_list("slug", flat=True).first() or "")


def reconcile(
    *,
    since: dt.datetime | None = None,
    channel: Channel | None = None,
    stripe_rows: Iterable[dict[str, Any]] | None = None,
) -> list[Difference]:
    ledger = _ledger_payments(since=since, channel=channel)
    matched: set[str] = set()
    differences = []
    for row in stripe_rows if stripe_rows is not None else balance_transactions(since=since):
        ids = _ids_of(row.get("source"))
        payment = next((ledger[i] for i in ids if i in ledger), None)
        source_id = ids[0] if ids else ""
        if payment is None:
            owner = _channel_of(row.get("source"))
            # With --channel, a charge we cannot place in that channel is someone else's business.
            if channel is None or owner == channel.slug:
                differences.append(
                    Difference(
                        "missing_in_ledger", str(row["id"]), source_id, "", owner, int(row["amount"]), None
                    )
                )
            continue
        matched.add(payment.key)
        if int(row["amount"]) != payment.gross:
            differences.append(
                Difference(
                    "amount_mismatch",
                    str(row["id"]),
                    source_id,
                    payment.key,
                    payment.channel,
                    int(row["amount"]),
                    payment.gross,
                )
            )
        if int(row.get("fee") or 0) != payment.fee:
            differences.append(
                Difference(
                    "fee_mismatch",
                    str(row["id"]),
                    source_id,
                    payment.key,
                    payment.channel,
                    int(row.get("fee") or 0),
                    payment.fee,
                )
            )
    unmatched = {p.key: p for p in ledger.values() if p.key not in matched}
    for key in sorted(unmatched):
        payment = unmatched[key]
        differences.append(
            Difference(
                "missing_in_stripe", "", key.rsplit(":", 1)[0], key, payment.channel, None, payment.gross
            )
        )
    return differences
