"""Money housekeeping (beat, `payments` queue)."""

from __future__ import annotations

import stripe
from celery import shared_task

from monetization import payouts, services


@shared_task(ignore_result=True)
def expire_gifted_subscriptions() -> int:
    """Gifted months that ran out end (reads already treat them as over; this tidies the status)."""
    return services.subscription_expire_due()


@shared_task(
    ignore_result=True,
    autoretry_for=(stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError),
    max_retries=5,
    retry_backoff=True,
)
def payout_transfer(payout_id: int) -> None:
    """An approved payout → a Stripe transfer; retries reuse the payout's idempotency key."""
    payouts.payout_transfer(payout_id=payout_id)


@shared_task(ignore_result=True)
def monthly_payouts() -> int:
    """Beat, the 1st of each month: automatic payouts for every ready channel above the minimum."""
    return payouts.monthly_payouts()
