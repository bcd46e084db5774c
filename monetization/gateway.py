"""Every call to the Stripe API, in one place (the stripe library; dj-stripe points it at STRIPE_API_HOST).

The local test server (localstripe) supports customers, payment methods, legacy plans,
subscriptions, PaymentIntents and refunds; it lacks Checkout Sessions, which only the
production path (`checkout_session_create`) uses.
"""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings

from accounts.models import User
from monetization.models import Checkout, SubscriptionTier


class PaymentDeclined(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _key() -> dict[str, Any]:
    return {"api_key": settings.STRIPE_SECRET_KEY}


def as_dict(obj: Any) -> dict[str, Any]:
    """stripe 15 objects are not dicts; webhook payloads are. Handlers take plain dicts."""
    if isinstance(obj, dict) and not isinstance(obj, stripe.StripeObject):
        return obj
    return dict(obj.to_dict())


def plan_ensure(tier: SubscriptionTier) -> str:
    """The Stripe plan for the tier's current price (one id per price, so a price change is a new plan)."""
    plan_id = f"aethex_{tier.channel_id}_t{tier.tier}_{tier.price_cents}_{settings.STRIPE_CURRENCY}"
    try:
        stripe.Plan.retrieve(plan_id, **_key())
    except stripe.InvalidRequestError:
        stripe.Plan.create(
            id=plan_id,
            amount=tier.price_cents,
            currency=settings.STRIPE_CURRENCY,
            interval="month",
            product={"name": f"{tier.channel.display_name or tier.channel.slug} · {tier.name}"[:250]},
            metadata={"aethex_channel": str(tier.channel_id), "aethex_tier": str(tier.tier)},
            **_key(),
        )
    return plan_id


def customer_with_card(*, user: User | None, card: dict[str, Any]) -> tuple[str, str]:
    """A customer holding the typed test card as default; a declined card raises PaymentDeclined."""
    try:
        customer = stripe.Customer.create(
            email=user.email if user else "", metadata={"aethex_user": str(user.pk) if user else ""}, **_key()
        )
        # The typed card only ever reaches the local test server (real cards go through Stripe Checkout).
        method = stripe.PaymentMethod.create(type="card", card=card, **_key())  # type: ignore[arg-type]
        stripe.PaymentMethod.attach(method.id, customer=customer.id, **_key())
        stripe.Customer.modify(customer.id, invoice_settings={"default_payment_method": method.id}, **_key())
    except stripe.CardError as exc:
        raise PaymentDeclined(exc.user_message or "Your card was declined.") from exc
    return customer.id, method.id


def metadata(checkout: Checkout) -> dict[str, str]:
    return {
        "aethex_checkout": checkout.token,
        "aethex_kind": checkout.kind,
        "aethex_channel": str(checkout.channel_id),
        "aethex_user": str(checkout.user_id or ""),
        "aethex_tier": str(checkout.tier or ""),
    }


def subscription_create(*, checkout: Checkout, customer_id: str, plan_id: str) -> dict[str, Any]:
    try:
        sub = stripe.Subscription.create(
            customer=customer_id, items=[{"plan": plan_id}], metadata=metadata(checkout), **_key()
        )
    except stripe.CardError as exc:
        raise PaymentDeclined(exc.user_message or "Your card was declined.") from exc
    return as_dict(sub)


def payment_intent_create(*, checkout: Checkout, customer_id: str, method_id: str) -> dict[str, Any]:
    try:
        intent = stripe.PaymentIntent.create(
            amount=checkout.amount_cents,
            currency=checkout.currency,
            customer=customer_id,
            payment_method=method_id,
            confirm=True,
            metadata=metadata(checkout),
            **_key(),
        )
    except stripe.CardError as exc:
        raise PaymentDeclined(exc.user_message or "Your card was declined.") from exc
    return as_dict(intent)


def subscription_retrieve(subscription_id: str) -> dict[str, Any]:
    return as_dict(stripe.Subscription.retrieve(subscription_id, **_key()))


def subscription_cancel_at_period_end(subscription_id: str) -> dict[str, Any]:
    return as_dict(stripe.Subscription.modify(subscription_id, cancel_at_period_end=True, **_key()))


def subscription_change_plan(*, subscription_id: str, plan_id: str, tier: int) -> dict[str, Any]:
    """Upgrade/downgrade: Stripe's default proration (the difference for the rest of the period is
    billed or credited on the next invoice); the new tier applies at once."""
    current = as_dict(stripe.Subscription.retrieve(subscription_id, **_key()))
    item_id = current["items"]["data"][0]["id"]
    meta = dict(current.get("metadata") or {}) | {"aethex_tier": str(tier)}
    return as_dict(
        stripe.Subscription.modify(
            subscription_id, items=[{"id": item_id, "plan": plan_id}], metadata=meta, **_key()
        )
    )


def refund_create(*, payment_intent_id: str, amount_cents: int | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"payment_intent": payment_intent_id}
    if amount_cents:
        params["amount"] = amount_cents
    return as_dict(stripe.Refund.create(**params, **_key()))


def checkout_session_create(
    *, checkout: Checkout, plan_id: str | None, success_url: str, cancel_url: str
) -> str:
    """Production: a hosted Stripe Checkout page. The same metadata reaches our webhooks."""
    params: dict[str, Any] = {
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": checkout.token,
        "metadata": metadata(checkout),
    }
    if plan_id:
        params |= {
            "mode": "subscription",
            "line_items": [{"price": plan_id, "quantity": 1}],
            "subscription_data": {"metadata": metadata(checkout)},
        }
    else:
        params |= {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": checkout.currency,
                        "unit_amount": checkout.amount_cents,
                        "product_data": {"name": f"{checkout.get_kind_display()} to {checkout.channel.slug}"},
                    },
                }
            ],
            "payment_intent_data": {"metadata": metadata(checkout)},
        }
    session = stripe.checkout.Session.create(**params, **_key())
    checkout.stripe_session_id = session.id
    checkout.save(update_fields=["stripe_session_id"])
    return str(session.url)


# --- Connect (payouts) ------------------------------------------------------------------------------
# The local test server has no Connect: in development the onboarding is our own test page
# (monetization/payout_views.py) and these calls only run against real Stripe (tests answer them
# from a local HTTP server shaped like Stripe's documented objects).


class TransferFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def connect_account_create(*, email: str, channel_id: int) -> dict[str, Any]:
    params: dict[str, Any] = {"email": email} if email else {}
    account = stripe.Account.create(
        type="express",
        capabilities={"transfers": {"requested": True}},
        metadata={"aethex_channel": str(channel_id)},
        **params,
        **_key(),
    )
    return as_dict(account)


def connect_account_retrieve(account_id: str) -> dict[str, Any]:
    return as_dict(stripe.Account.retrieve(account_id, **_key()))


def connect_account_link(*, account_id: str, refresh_url: str, return_url: str) -> str:
    link = stripe.AccountLink.create(
        account=account_id,
        refresh_url=refresh_url,
        return_url=return_url,
        type="account_onboarding",
        **_key(),
    )
    return str(link.url)


def transfer_create(*, payout_id: int, amount_cents: int, currency: str, destination: str) -> dict[str, Any]:
    """One transfer per payout: the idempotency key makes a retried task return the same transfer."""
    try:
        transfer = stripe.Transfer.create(
            amount=amount_cents,
            currency=currency,
            destination=destination,
            metadata={"aethex_payout": str(payout_id)},
            transfer_group=f"payout_{payout_id}",
            idempotency_key=f"aethex-payout-{payout_id}",
            **_key(),
        )
    except stripe.InvalidRequestError as exc:
        # Refused for good (account closed, insufficient platform balance...): the payout fails.
        raise TransferFailed(exc.user_message or str(exc.error.message if exc.error else exc)) from exc
    return as_dict(transfer)
