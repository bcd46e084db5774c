"""Verified Stripe events → one service call each, from dj-stripe's `webhook_pre_process` signal.

dj-stripe receives the webhook (`/stripe/webhook/<uuid>/`), verifies its signature against the
endpoint's secret (400 otherwise), records a WebhookEventTrigger (body, headers, any error) and,
inside its transaction, sends `webhook_pre_process`. Our receiver records dj-stripe's Event row
itself and runs our handler; dj-stripe's own processing then finds the Event already there and
stops, instead of re-syncing every object through the API (one more round trip per event, and
it cannot read the local test server's invoices or its missing /v1/account). The Event row's
unique id also makes a redelivered event a no-op before any handler runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from djstripe import signals as djstripe_signals
from djstripe.models import Event

from monetization import gifts, payouts, services

HANDLERS: dict[str, Callable[[dict[str, Any]], object]] = {
    "payment_intent.succeeded": lambda obj: (
        gifts.gift_from_stripe(intent=obj)
        if (obj.get("metadata") or {}).get("aethex_kind") == "gift"
        else services.payment_from_stripe(intent=obj)
    ),
    "invoice.paid": lambda obj: services.invoice_paid_from_stripe(invoice=obj),
    # Older API versions (and the local test server) say payment_succeeded; the ledger key is the invoice.
    "invoice.payment_succeeded": lambda obj: services.invoice_paid_from_stripe(invoice=obj),
    "customer.subscription.created": lambda obj: services.subscription_from_stripe(sub=obj),
    "customer.subscription.updated": lambda obj: services.subscription_from_stripe(sub=obj),
    "customer.subscription.deleted": lambda obj: services.subscription_from_stripe(sub=obj),
    "charge.refunded": lambda obj: services.refunds_from_stripe(charge=obj),
    "charge.dispute.created": lambda obj: services.dispute_from_stripe(dispute=obj),
    "charge.dispute.closed": lambda obj: services.dispute_from_stripe(dispute=obj),
    # Connect: the creator's account readiness and the transfers that pay them.
    "account.updated": lambda obj: payouts.connect_account_from_stripe(obj=obj),
    "transfer.created": lambda obj: payouts.payout_from_stripe_transfer(
        transfer=obj, event_type="transfer.created"
    ),
    "transfer.paid": lambda obj: payouts.payout_from_stripe_transfer(
        transfer=obj, event_type="transfer.paid"
    ),
    "transfer.reversed": lambda obj: payouts.payout_from_stripe_transfer(
        transfer=obj, event_type="transfer.reversed"
    ),
    "transfer.failed": lambda obj: payouts.payout_from_stripe_transfer(
        transfer=obj, event_type="transfer.failed"
    ),
}


@receiver(djstripe_signals.webhook_pre_process)
def process_verified_event(sender: Any, instance: Any, **kwargs: Any) -> None:
    """`instance` is dj-stripe's WebhookEventTrigger, already verified; its body is the event."""
    event = instance.json_body
    if not _record(event):
        return  # delivered before: nothing changes
    handler = HANDLERS.get(str(event.get("type")))
    if handler is not None:
        handler(dict(event["data"]["object"]))


def _record(event: dict[str, Any]) -> bool:
    """dj-stripe's Event row for this event; False when it was already there."""
    request = event.get("request") if isinstance(event.get("request"), dict) else {}
    try:
        with transaction.atomic():
            _, created = Event.objects.get_or_create(
                id=event["id"],
                defaults={
                    "type": str(event.get("type", ""))[:250],
                    "livemode": bool(event.get("livemode")),
                    "created": dt.datetime.fromtimestamp(int(event.get("created") or 0), tz=dt.UTC),
                    "api_version": str(event.get("api_version") or "")[:64],
                    "data": event.get("data") or {},
                    "request_id": str((request or {}).get("id") or "")[:50],
                    "idempotency_key": str((request or {}).get("idempotency_key") or ""),
                },
            )
    except IntegrityError:
        return False  # the same event, delivered twice at once: the other delivery handles it
    return bool(created)
