"""The dashboard's Payouts page: states, the request form's errors, and a Chromium walk-through."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monetization import payouts
from monetization.models import Payout
from tests.browser_helpers import shoot, sign_in
from tests.factories import StreamChannelFactory, UserFactory
from tests.monetization.payouts_support import fund, ready_account


def page_url() -> str:
    return f"{reverse('dashboard-payouts')}?channel=nova"


@pytest.mark.django_db
def test_payouts_page_shows_the_empty_state_and_onboarding(client):
    channel = StreamChannelFactory(slug="nova")
    client.force_login(channel.owner_user)
    response = client.get(page_url())
    assert response.status_code == 200
    assert b"Set up payouts with Stripe" in response.content
    assert b"No payouts yet" in response.content


@pytest.mark.django_db
def test_payouts_page_is_404_for_someone_else_and_login_for_anonymous(client):
    StreamChannelFactory(slug="nova")
    assert client.get(page_url()).status_code == 302
    client.force_login(UserFactory())
    assert client.get(page_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"), [("abc", b"Type an amount"), ("10", b"at least"), ("900", b"Only")]
)
def test_payouts_page_request_errors_are_shown_and_nothing_is_written(client, amount, message):
    channel = StreamChannelFactory(slug="nova")
    ready_account(channel)
    fund(channel, 60_000 // 2)
    client.force_login(channel.owner_user)
    response = client.post(page_url(), {"action": "request", "amount": amount})
    assert response.status_code == 400
    assert message in response.content
    assert not Payout.objects.exists()


@pytest.mark.django_db
def test_payouts_page_request_succeeds_and_lists_history(client):
    channel = StreamChannelFactory(slug="nova")
    ready_account(channel)
    fund(channel, 30_000)
    client.force_login(channel.owner_user)
    response = client.post(page_url(), {"action": "request", "amount": "120.50"})
    assert response.status_code == 302
    assert Payout.objects.get().amount_cents == 12_050
    listing = client.get(response["Location"])
    assert b"$120.50" in listing.content and b"Payout requested" in listing.content
    assert b"On request" in listing.content


@pytest.mark.django_db
def test_payouts_page_queries_do_not_grow_with_history(client, django_assert_max_num_queries):
    channel = StreamChannelFactory(slug="nova")
    ready_account(channel)
    fund(channel, 200_000)
    client.force_login(channel.owner_user)
    payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=5_000)
    client.get(page_url())  # warm: session, caches
    with CaptureQueriesContext(connection) as one_row:
        client.get(page_url())
    for _ in range(15):
        payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=5_000)
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert client.get(page_url()).content.count(b"data-payout=") == 16


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_payouts_page_onboards_and_requests_in_chromium(page, live_server, settings):
    settings.STRIPE_LOCAL_CHECKOUT = True
    owner = UserFactory()
    channel = StreamChannelFactory(slug="nova", owner_user=owner)
    fund(channel, 25_000)
    other = StreamChannelFactory(owner_user=UserFactory())
    ready_account(other, "acct_1Other000000000")
    sign_in(page, live_server, owner)
    page.goto(f"{live_server.url}{page_url()}")
    shoot(page, "payouts-empty")
    page.click("text=Set up payouts with Stripe")
    page.wait_for_url("**/test-onboarding/**")
    shoot(page, "payouts-test-onboarding")
    page.click("text=Submit test details")
    page.wait_for_url("**/dashboard/payouts/?channel=nova")
    assert page.text_content("[data-connect-status]").strip() == "Ready"
    page.fill("#payout-amount", "80")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Request payout")
    page.wait_for_selector("[data-payout]")
    payout = Payout.objects.get(channel=channel)
    payouts.payout_hold(payout=payout, staff=UserFactory(is_staff=True))
    page.reload()
    assert "Held" in page.text_content(f"[data-payout='{payout.pk}']")
    assert page.text_content("[data-available]").strip() == "$170.00"
    shoot(page, "payouts-history")
