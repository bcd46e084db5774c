"""Screenshots of the test checkout and the dashboard's Monetization page (headless Chromium)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from monetization.models import Campaign, Checkout, Donation
from tests.factories import StreamChannelFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_checkout_and_dashboard_pages_render(page, live_server, password, tmp_path):
    owner = UserFactory()
    channel = StreamChannelFactory(slug="nova", owner_user=owner)
    checkout = Checkout.objects.create(
        kind="donation", user=owner, channel=channel, amount_cents=2500, message="gg"
    )
    Campaign.objects.create(
        channel=channel,
        title="New microphone",
        goal_cents=20_000,
        ends_at=timezone.now() + datetime.timedelta(days=5),
    )
    Donation.objects.create(
        channel=channel,
        display_name="fan",
        amount_cents=5000,
        message="for the mic",
        stripe_payment_intent_id="pi_1",
    )
    _login(page, live_server, owner, password)
    page.goto(f"{live_server.url}/checkout/{checkout.token}/")
    assert page.locator("h1").inner_text().startswith("Donate to")
    assert "$25.00" in page.locator(".money-amount").inner_text()
    page.screenshot(path="/tmp/money-checkout.png", full_page=True)
    page.goto(f"{live_server.url}/dashboard/monetization/?channel=nova")
    assert page.locator("[data-subscribers]").inner_text() == "0"
    assert "$50.00 of $200.00 · 25%" in page.locator(".campaign-head").inner_text()
    page.screenshot(path="/tmp/money-dashboard.png", full_page=True)
    page.goto(f"{live_server.url}/nova/")
    page.locator("section.campaign-bar").wait_for(state="visible")
    assert "25%" in page.locator("[data-campaign-figures]").inner_text()
    page.screenshot(path="/tmp/money-channel-campaign.png")


def test_viewer_subscribes_from_the_channel_page_with_a_test_card(page, live_server, stripe_server, password):
    """The whole loop in Chromium: dialog → API → test checkout → localstripe → signed webhook → paid."""
    channel = StreamChannelFactory(slug="nova")
    viewer = UserFactory()
    _login(page, live_server, viewer, password)
    page.goto(f"{live_server.url}/nova/")
    page.click("[data-support-open=subscribe]")
    page.check("input[name=tier][value='2']")
    page.screenshot(path="/tmp/money-subscribe-dialog.png")
    page.click("[data-support-pane=subscribe] button[type=submit]")
    page.wait_for_url("**/checkout/*/")
    assert "$9.99" in page.locator(".money-amount").inner_text()
    page.click(".money-checkout button[type=submit]")
    page.wait_for_url("**/done/")
    page.locator(".money-paid").wait_for(state="visible", timeout=15_000)
    page.screenshot(path="/tmp/money-done.png")
    sub = channel.subscriptions.get()
    assert (sub.user, sub.tier, sub.months, sub.status) == (viewer, 2, 1, "active")
    page.goto(f"{live_server.url}/nova/")
    page.locator(".is-subscribed").wait_for(state="visible")
    assert "Subscribed · Tier 2" in page.locator(".is-subscribed").inner_text()
    assert page.locator("[data-support-open=subscribe]").count() == 0


def test_donate_dialog_shows_the_bound_error(page, live_server, password):
    StreamChannelFactory(slug="nova")
    viewer = UserFactory()
    _login(page, live_server, viewer, password)
    page.goto(f"{live_server.url}/nova/")
    page.click("[data-support-open=donate]")
    page.fill("input[name=amount]", "0.50")
    page.fill("textarea[name=message]", "hi")
    page.locator("[data-support-pane=donate]").evaluate("form => form.noValidate = true")
    page.click("[data-support-pane=donate] button[type=submit]")
    error = page.locator("[data-support-pane=donate] [data-support-error]")
    error.wait_for(state="visible")
    assert "between 1.00 and 500.00" in error.inner_text()
    page.screenshot(path="/tmp/money-donate-dialog.png")
    assert not Checkout.objects.exists()
