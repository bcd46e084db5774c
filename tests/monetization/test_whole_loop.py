"""The whole money loop offline, in one test: a viewer subscribes with a test card (localstripe over
HTTP) → signed webhook → subscription active, badge in chat, ledger entries → creator balance →
payout request → staff approve → Stripe Connect transfer (answered at the HTTP boundary, since
localstripe has no Connect) → paid, and the balance is back to zero."""

from __future__ import annotations

import pytest
import stripe
from django.urls import reverse

from chat import selectors as chat_selectors
from monetization import ledger, payouts
from monetization.models import ChannelSubscription, LedgerTransaction
from tests.factories import UserFactory
from tests.monetization.conftest import pay, start_checkout, wait_for
from tests.monetization.payouts_support import ready_account

pytestmark = pytest.mark.usefixtures("eager_celery")


@pytest.fixture
def connect_host(connect_api) -> str:
    """The Connect boundary server's address (stripe_server, set up after it, points Stripe elsewhere)."""
    return str(stripe.api_base)


def test_subscribe_to_payout_and_back_to_a_zero_balance(
    connect_host, connect_api, stripe_server, client, viewer, channel, settings, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.PAYOUT_MINIMUM_CENTS = 100
    token = start_checkout(client, viewer, channel, "subscribe", {"tier": 1})
    pay(client, token)

    sub = wait_for(lambda: ChannelSubscription.objects.filter(user=viewer, status="active").first())
    assert (sub.tier, sub.months) == (1, 1)
    facts = chat_selectors.member_facts(channel=channel, user=viewer)
    assert {"name": "subscriber", "title": "Tier 1 · 1 month"} in facts["badges"]
    assert LedgerTransaction.objects.filter(kind="subscription", channel=channel).count() == 1
    earned = ledger.creator_balance(channel)
    assert 0 < earned < 499  # the creator's share of $4.99, after the platform and processor fees

    # Payouts: Connect is answered at the HTTP boundary (same stripe library, same code path).
    monkeypatch.setattr(stripe, "api_base", connect_host)
    settings.STRIPE_API_HOST = connect_host
    ready_account(channel)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=None)
    assert payout.amount_cents == earned and ledger.creator_balance(channel) == 0
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:monetization_payout_changelist"),
            {"action": "approve", "_selected_action": [payout.pk]},
        )

    payout.refresh_from_db()
    (transfer,) = connect_api.transfers.values()
    assert payout.status == "paid" and transfer["amount"] == earned
    paid_out = ledger.balance(ledger.account("payouts", channel))
    assert (ledger.creator_balance(channel), paid_out) == (0, earned)
