"""The money console: read-only ledger and donations, the refund action asks Stripe (localstripe)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from monetization.models import Donation, LedgerTransaction
from tests.factories import UserFactory
from tests.monetization.conftest import pay, start_checkout, wait_for

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_ledger_is_read_only_in_admin(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:monetization_ledgertransaction_changelist")).status_code == 200
    assert client.get(reverse("admin:monetization_ledgertransaction_add")).status_code == 403


def test_refund_action_refunds_through_stripe(stripe_server, client, viewer, channel):
    token = start_checkout(client, viewer, channel, "donate", {"amount_cents": 700})
    pay(client, token)
    donation = wait_for(lambda: Donation.objects.first())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:monetization_donation_changelist"),
        {"action": "refund", "_selected_action": [donation.pk]},
        follow=True,
    )
    assert b"1 refund(s) requested" in response.content
    # The ledger waits for charge.refunded (which the local server does not send): nothing booked yet.
    assert not LedgerTransaction.objects.filter(kind="refund").exists()
