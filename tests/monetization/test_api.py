"""Subscribe/donate/tier endpoints: auth, ownership, 404, bounds; the ledger always balances."""

from __future__ import annotations

import pytest

from monetization import ledger
from monetization.models import Checkout, LedgerTransaction
from tests.factories import StreamChannelFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return StreamChannelFactory(slug="nova")


def test_anonymous_cannot_subscribe_or_donate(api_client, channel):
    assert api_client.post("/api/v1/channels/nova/subscribe", {"tier": 1}, format="json").status_code in (
        401,
        403,
    )
    assert api_client.post(
        "/api/v1/channels/nova/donate", {"amount_cents": 500}, format="json"
    ).status_code in (401, 403)
    assert not Checkout.objects.exists()


def test_subscribe_returns_a_checkout_url(auth_client, channel):
    response = auth_client.post("/api/v1/channels/nova/subscribe", {"tier": 3}, format="json")
    assert response.status_code == 201
    token = response.json()["checkout_url"].rstrip("/").rsplit("/", 1)[1]
    assert Checkout.objects.get(token=token).amount_cents == 2499


def test_unknown_channel_is_404(auth_client):
    response = auth_client.post("/api/v1/channels/nobody/donate", {"amount_cents": 500}, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("cents", [99, 50_001, -5])
def test_donation_out_of_bounds_is_refused(auth_client, channel, cents):
    response = auth_client.post("/api/v1/channels/nova/donate", {"amount_cents": cents}, format="json")
    assert response.status_code == 400
    assert "amount_cents" in response.json()["error"]["fields"]
    assert not Checkout.objects.exists()


def test_bad_tier_is_refused(auth_client, channel):
    response = auth_client.post("/api/v1/channels/nova/subscribe", {"tier": 4}, format="json")
    assert response.status_code == 400 and "tier" in response.json()["error"]["fields"]


def test_only_the_owner_edits_tiers(auth_client, api_client, channel):
    assert (
        auth_client.put("/api/v1/channels/nova/tiers/1", {"price_cents": 599}, format="json").status_code
        == 403
    )
    api_client.force_login(channel.owner_user)
    response = api_client.put("/api/v1/channels/nova/tiers/1", {"price_cents": 599}, format="json")
    assert response.status_code == 200 and response.json()["price_cents"] == 599


@pytest.mark.parametrize("cents", [298, 10_000])
def test_tier_price_bounds(api_client, channel, cents):
    api_client.force_login(channel.owner_user)
    response = api_client.put("/api/v1/channels/nova/tiers/2", {"price_cents": cents}, format="json")
    assert response.status_code == 400 and "price_cents" in response.json()["error"]["fields"]


@pytest.mark.parametrize("gross", [1, 31, 100, 499, 2500, 50_000])
def test_ledger_transactions_always_balance(channel, gross):
    txn = ledger.post(
        idempotency_key=f"pi_{gross}:payment",
        kind="donation",
        channel=channel,
        lines=ledger.payment_lines(channel, gross),
    )
    assert txn is not None and sum(e.amount_cents for e in txn.entries.all()) == 0
    reversal = ledger.post(
        idempotency_key=f"re_{gross}:refund",
        kind="refund",
        channel=channel,
        lines=ledger.reversal_lines(txn, gross, "refunds"),
        reverses=txn,
    )
    assert reversal is not None and sum(e.amount_cents for e in reversal.entries.all()) == 0


def test_unbalanced_transaction_is_refused_and_writes_nothing(channel):
    with pytest.raises(ledger.UnbalancedTransaction):
        ledger.post(
            idempotency_key="x",
            kind="donation",
            channel=channel,
            lines=[
                (ledger.account("viewer_payments"), -100),
                (ledger.account("creator_balance", channel), 99),
            ],
        )
    assert not LedgerTransaction.objects.exists()


def test_cannot_subscribe_to_own_channel(api_client, channel):
    api_client.force_login(channel.owner_user)
    assert api_client.post("/api/v1/channels/nova/subscribe", {"tier": 1}, format="json").status_code == 400


def test_checkout_page_is_private(client, channel):
    owner, other = UserFactory(), UserFactory()
    checkout = Checkout.objects.create(kind="donation", user=owner, channel=channel, amount_cents=500)
    client.force_login(other)
    assert client.get(f"/checkout/{checkout.token}/").status_code == 404


def test_money_switched_off_without_stripe_keys(auth_client, channel, settings):
    settings.MONETIZATION_ENABLED = False
    response = auth_client.post("/api/v1/channels/nova/donate", {"amount_cents": 500}, format="json")
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"


def test_dashboard_page_is_the_owners(client, channel):
    client.force_login(UserFactory())
    assert client.get("/dashboard/monetization/?channel=nova").status_code == 404
    client.force_login(channel.owner_user)
    assert client.get("/dashboard/monetization/?channel=nova").status_code == 200


def test_dashboard_tier_form_refuses_out_of_bounds_price(client, channel):
    client.force_login(channel.owner_user)
    response = client.post(
        "/dashboard/monetization/?channel=nova",
        {"tier": "1", "t1-name": "Fans", "t1-price": "1.00", "t1-benefits": ""},
    )
    assert response.status_code == 200 and b"between 2.99 and 99.99" in response.content
    saved = client.post(
        "/dashboard/monetization/?channel=nova",
        {"tier": "1", "t1-name": "Fans", "t1-price": "5.49", "t1-benefits": "x"},
    )
    assert saved.status_code == 302
    assert channel.subscription_tiers.get(tier=1).price_cents == 549


def test_gifted_month_expires(channel, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from monetization import tasks
    from monetization.models import ChannelSubscription

    fan = UserFactory()
    past = timezone.now() - datetime.timedelta(minutes=1)
    gift = ChannelSubscription.objects.create(
        user=fan, channel=channel, status="active", months=1, current_period_end=past, gifted_by=UserFactory()
    )
    renewing = ChannelSubscription.objects.create(
        user=UserFactory(),
        channel=channel,
        status="active",
        months=1,
        current_period_end=past,
        stripe_subscription_id="sub_renewing",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_gifted_subscriptions() == 1
    gift.refresh_from_db()
    renewing.refresh_from_db()
    assert gift.status == "expired" and renewing.status == "active"  # Stripe ends renewing ones itself


def test_dashboard_query_count_does_not_grow_with_rows(client, channel):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from monetization import ledger as money_ledger
    from monetization.models import Donation

    def add(n):
        money_ledger.post(
            idempotency_key=f"pi_{n}:payment",
            kind="donation",
            channel=channel,
            lines=money_ledger.payment_lines(channel, 500 + n),
        )
        Donation.objects.create(
            channel=channel, display_name=f"fan{n}", amount_cents=500 + n, stripe_payment_intent_id=f"pi_{n}"
        )

    client.force_login(channel.owner_user)
    add(0)
    client.get("/dashboard/monetization/?channel=nova")  # the first visit makes the tiers
    with CaptureQueriesContext(connection) as one_row:
        client.get("/dashboard/monetization/?channel=nova")
    for n in range(1, 9):
        add(n)
    with CaptureQueriesContext(connection) as nine_rows:
        response = client.get("/dashboard/monetization/?channel=nova")
    assert len(nine_rows) == len(one_row) <= 20
    balance = f"${money_ledger.creator_balance(channel) / 100:.2f}".encode()
    assert response.status_code == 200 and b"fan8" in response.content and balance in response.content
