"""The revenue page in Chromium: the chart draws one line per source; screenshot for a look by eye."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from monetization.models import TransactionKind
from tests.browser_helpers import shoot, sign_in
from tests.factories import StreamChannelFactory
from tests.monetization import revenue_factories as book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_revenue_page_draws_the_chart_per_source(page, live_server):
    channel = StreamChannelFactory(slug="nova")
    now = timezone.now()
    for day in range(1, 29):
        when = now - dt.timedelta(days=day)
        book.payment(channel, TransactionKind.SUBSCRIPTION, 499 * (1 + day % 4), when)
        if day % 3 == 0:
            book.payment(channel, TransactionKind.GIFT, 2495, when)
        if day % 2 == 0:
            donation = book.payment(channel, TransactionKind.DONATION, 300 + 100 * (day % 7), when)
            if day == 10:
                book.reversal(donation, 300, when + dt.timedelta(hours=1))
    sign_in(page, live_server, channel.owner_user)

    page.goto(f"{live_server.url}/dashboard/revenue/?channel=nova")

    page.locator('[data-chart="revenue"] path.chart-line').first.wait_for()
    assert page.locator('[data-chart="revenue"] path.chart-line').count() == 3
    assert page.locator(".revenue-days tbody tr").count() > 40
    assert page.locator('[data-figure="net"]').inner_text() != "0.00"
    shoot(page, "revenue-dashboard")
    page.screenshot(path="/tmp/revenue-dashboard.png", full_page=True)
    page.locator(".revenue-cards").screenshot(path="/tmp/revenue-cards.png")
