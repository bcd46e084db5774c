"""Verified Stripe events → one service call each.

dj-stripe receives the webhook (`/stripe/webhook/<uuid>/`), verifies its signature against the
endpoint's secret, records a WebhookEventTrigger (body, headers, any error) and then calls
`process_event` (settings.DJSTRIPE_WEBHOOK_EVENT_CALLBACK) inside its transaction. We take the
callback instead of dj-stripe's own processing because that re-syncs every object through the
API (one more round trip per event, and it cannot read the local test server's invoices).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monetization import services

HANDLERS: dict[str, Callable[[dict[str, Any]], object]] = {
    "payment_intent.succeeded": lambda obj: services.payment_from_stripe(intent=obj),
    "invoice.paid": lambda obj: services.invoice_paid_from_stripe(invoice=obj),
    # Older API versions (and the local test server) say payment_succeeded; the ledger key is the invoice.
    "invoice.payment_succeeded": lambda obj: services.invoice_paid_from_stripe(invoice=obj),
    "customer.subscription.created": lambda obj: services.subscription_from_stripe(sub=obj),
    "customer.subscription.updated": lambda obj: services.subscription_from_stripe(sub=obj),
    "customer.subscription.deleted": lambda obj: services.subscription_from_stripe(sub=obj),
    "charge.refunded": lambda obj: services.refunds_from_stripe(charge=obj),
    "charge.dispute.created": lambda obj: services.dispute_from_stripe(dispute=obj),
    "charge.dispute.closed": lambda obj: services.dispute_from_stripe(dispute=obj),
}


def process_event(trigger: Any, api_key: str | None = None) -> None:
    """dj-stripe's WEBHOOK_EVENT_CALLBACK: `trigger.json_body` is the verified event."""
    event = trigger.json_body
    handler = HANDLERS.get(str(event.get("type")))
    if handler is not None:
        handler(dict(event["data"]["object"]))
    trigger.processed = True
