"""The money loop offline: test card → localstripe → signed webhook → dj-stripe → ledger, chat, signals."""

from __future__ import annotations

import json

import pytest

from chat import selectors as chat_selectors
from chat.models import ChatSettings
from chat.services.messages import ChatRefused, message_send
from monetization import ledger, signals
from monetization.models import ChannelSubscription, Checkout, Donation, LedgerEntry, LedgerTransaction
from tests.factories import UserFactory
from tests.monetization.conftest import (
    event,
    ledger_keys,
    paid_checkout,
    pay,
    post_event,
    start_checkout,
    wait_for,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


def _assert_balanced():
    for txn in LedgerTransaction.objects.prefetch_related("entries"):
        assert sum(e.amount_cents for e in txn.entries.all()) == 0, txn


def test_subscribe_with_test_card_activates_after_signed_webhook(stripe_server, client, viewer, channel):
    started = []
    signals.subscription_started.connect(lambda **kw: started.append(kw), weak=False, dispatch_uid="t-sub")
    try:
        token = start_checkout(client, viewer, channel, "subscribe", {"tier": 2})
        response = pay(client, token)
        assert response.status_code == 302
        # Nothing is paid from the browser: only the webhook makes it real.
        sub = wait_for(
            lambda: ChannelSubscription.objects.filter(user=viewer, months=1, status="active").first()
        )
        wait_for(lambda: started)  # sent after the webhook commits, a moment after the row is visible
    finally:
        signals.subscription_started.disconnect(dispatch_uid="t-sub")
    assert sub.tier == 2 and sub.stripe_subscription_id.startswith("sub_")
    assert ledger.creator_balance(channel) == 999 - 59 - 100  # 2.9 % + 30 ¢ processor, 10 % platform
    _assert_balanced()
    assert len(started) == 1 and started[0]["months"] == 1 and started[0]["tier"] == 2
    badges = chat_selectors.member_facts(channel=channel, user=viewer)["badges"]
    assert {"name": "subscriber", "title": "Tier 2 · 1 month"} in badges
    status = client.get(f"/api/v1/checkouts/{token}").json()
    assert status["status"] == "paid"


def test_donation_is_booked_announced_and_signalled_once(stripe_server, client, viewer, channel, room_frames):
    received = []
    signals.donation_received.connect(
        lambda **kw: received.append(kw["donation"]), weak=False, dispatch_uid="t"
    )
    pubsub = room_frames(channel.slug)
    try:
        token = start_checkout(
            client, viewer, channel, "donate", {"amount_cents": 2500, "message": "gg!", "anonymous": False}
        )
        pay(client, token)
        donation = wait_for(lambda: Donation.objects.filter(channel=channel).first())
        frame = wait_for(lambda: pubsub.get_message(timeout=0.5))
    finally:
        signals.donation_received.disconnect(dispatch_uid="t")
    assert donation.amount_cents == 2500 and donation.message == "gg!" and donation.donor == viewer
    assert paid_checkout(token)
    highlight = json.loads(frame["data"])
    assert highlight["type"] == "chat.highlight" and highlight["kind"] == "donation"
    assert highlight["title"] == f"{viewer.username} donated $25.00" and highlight["text"] == "gg!"
    assert [d.pk for d in received] == [donation.pk]
    assert ledger.creator_balance(channel) == 2500 - 103 - 250


def test_declined_card_changes_nothing(stripe_server, client, viewer, channel):
    token = start_checkout(client, viewer, channel, "donate", {"amount_cents": 500})
    response = pay(client, token, number="4000 0000 0000 0002")
    assert response.status_code == 200 and b"declined" in response.content
    token2 = start_checkout(client, viewer, channel, "subscribe", {"tier": 1})
    pay(client, token2, number="4000 0000 0000 0341")
    checkout = Checkout.objects.get(token=token2)
    assert checkout.status == "open" and "declined" in checkout.failure_message
    assert not LedgerTransaction.objects.exists() and not Donation.objects.exists()
    assert not ChannelSubscription.objects.filter(status="active").exists()


def test_anonymous_donation_hides_the_donor(stripe_server, client, viewer, channel):
    token = start_checkout(client, viewer, channel, "donate", {"amount_cents": 100, "anonymous": True})
    pay(client, token)
    donation = wait_for(lambda: Donation.objects.first())
    assert donation.donor is None and donation.display_name == "Anonymous"


def test_duplicate_webhook_changes_nothing(stripe_server, client, viewer, channel):
    token = start_checkout(client, viewer, channel, "donate", {"amount_cents": 1000})
    pay(client, token)
    wait_for(lambda: Donation.objects.exists())
    checkout = Checkout.objects.get(token=token)
    intent = {
        "id": checkout.stripe_object_id,
        "object": "payment_intent",
        "amount": 1000,
        "amount_received": 1000,
        "currency": "usd",
        "status": "succeeded",
        "metadata": {"aethex_checkout": token, "aethex_kind": "donation", "aethex_channel": str(channel.pk)},
    }
    before = (LedgerEntry.objects.count(), Donation.objects.count())
    for _ in range(2):
        assert (
            post_event(
                client, stripe_server["webhook_url"], event("payment_intent.succeeded", intent)
            ).status_code
            == 200
        )
    assert (LedgerEntry.objects.count(), Donation.objects.count()) == before


def test_refund_reverses_the_payment(stripe_server, client, viewer, channel):
    from monetization import gateway

    token = start_checkout(client, viewer, channel, "donate", {"amount_cents": 2000})
    pay(client, token)
    donation = wait_for(lambda: Donation.objects.first())
    before = ledger.creator_balance(channel)
    refund = gateway.refund_create(
        payment_intent_id=donation.stripe_payment_intent_id
    )  # real localstripe refund
    # localstripe sends no charge.refunded: Stripe's documented event is posted, signed, at the boundary.
    charge = {
        "id": refund["charge"],
        "object": "charge",
        "amount": 2000,
        "amount_refunded": 2000,
        "refunded": True,
        "payment_intent": donation.stripe_payment_intent_id,
        "invoice": None,
        "refunds": {"object": "list", "data": [refund]},
    }
    for _ in range(2):
        post_event(client, stripe_server["webhook_url"], event("charge.refunded", charge))
    assert ledger.creator_balance(channel) == before - (2000 - 200)  # the platform gives back its 10 %
    assert LedgerTransaction.objects.filter(kind="refund").count() == 1
    donation.refresh_from_db()
    assert donation.status == "refunded"
    _assert_balanced()


def test_invalid_signature_is_refused(stripe_server, client, channel):
    payload = event("payment_intent.succeeded", {"id": "pi_forged", "amount": 100, "metadata": {}})
    response = post_event(client, stripe_server["webhook_url"], payload, secret="whsec_wrong")
    assert response.status_code == 400
    assert not LedgerTransaction.objects.exists()


def test_invoice_before_subscription_created_ends_right(stripe_server, client, viewer, channel):
    """invoice.paid first (the subscription is read from Stripe), then a stale created, then deleted."""
    from monetization import gateway, services

    token = start_checkout(client, viewer, channel, "subscribe", {"tier": 1})
    checkout = Checkout.objects.get(token=token)
    customer, _ = gateway.customer_with_card(
        user=viewer, card={"number": "4242424242424242", "exp_month": 1, "exp_year": 2031, "cvc": "123"}
    )
    sub = gateway.subscription_create(
        checkout=checkout, customer_id=customer, plan_id=services._plan_for(checkout)
    )
    # Whatever localstripe delivers meanwhile, replays in the wrong order must end in the same state.
    invoice = {
        "id": sub["latest_invoice"],
        "object": "invoice",
        "subscription": sub["id"],
        "amount_paid": 499,
        "lines": {"data": [{"period": {"end": sub["current_period_end"]}}]},
    }
    post_event(client, stripe_server["webhook_url"], event("invoice.paid", invoice))
    post_event(client, stripe_server["webhook_url"], event("customer.subscription.created", sub))
    wait_for(lambda: ChannelSubscription.objects.filter(stripe_subscription_id=sub["id"], months=1).exists())
    assert ChannelSubscription.objects.get(stripe_subscription_id=sub["id"]).status == "active"
    post_event(
        client,
        stripe_server["webhook_url"],
        event("customer.subscription.deleted", {**sub, "status": "canceled"}),
    )
    post_event(client, stripe_server["webhook_url"], event("customer.subscription.created", sub, "evt_late"))
    row = ChannelSubscription.objects.get(stripe_subscription_id=sub["id"])
    assert row.status == "canceled" and row.months == 1
    assert sum(1 for key in ledger_keys() if key.startswith(sub["latest_invoice"])) == 1


def test_subscribers_only_chat_lets_subscribers_talk(stripe_server, client, viewer, channel):
    other = UserFactory()
    ChatSettings.objects.update_or_create(channel=channel, defaults={"subscribers_only": True})
    token = start_checkout(client, viewer, channel, "subscribe", {"tier": 1})
    pay(client, token)
    wait_for(lambda: ChannelSubscription.objects.filter(user=viewer, months=1).exists())
    message = message_send(channel=channel, user=viewer, text="hello subs")
    assert message.badges[-1]["name"] == "subscriber"
    with pytest.raises(ChatRefused) as refused:
        message_send(channel=channel, user=other, text="let me in")
    assert refused.value.code == "subscribers_only"
