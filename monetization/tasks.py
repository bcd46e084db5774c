"""Money housekeeping (beat, `payments` queue)."""

from __future__ import annotations

from celery import shared_task

from monetization import services


@shared_task(ignore_result=True)
def expire_gifted_subscriptions() -> int:
    """Gifted months that ran out end (reads already treat them as over; this tidies the status)."""
    return services.subscription_expire_due()
