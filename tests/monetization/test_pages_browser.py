"""Screenshots of the test checkout and the dashboard's Monetization page (headless Chromium)."""

from __future__ import annotations

import pytest

from monetization.models import Checkout
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
    _login(page, live_server, owner, password)
    page.goto(f"{live_server.url}/checkout/{checkout.token}/")
    assert page.locator("h1").inner_text().startswith("Donate to")
    assert "$25.00" in page.locator(".money-amount").inner_text()
    page.screenshot(path="/tmp/money-checkout.png", full_page=True)
    page.goto(f"{live_server.url}/dashboard/monetization/?channel=nova")
    assert page.locator("[data-subscribers]").inner_text() == "0"
    page.screenshot(path="/tmp/money-dashboard.png", full_page=True)
