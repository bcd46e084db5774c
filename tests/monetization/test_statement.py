"""The annual earnings statement PDF: content (read from an uncompressed stream), permissions, 404s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from monetization import statements
from monetization.models import TransactionKind
from tests.factories import StreamChannelFactory, UserFactory
from tests.monetization import revenue_factories as book

UTC = dt.UTC


def at(month: int, day: int, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=UTC)


@pytest.fixture
def channel(db):
    channel = StreamChannelFactory(slug="nova", display_name="Nóva ★ Live")
    book.payment(channel, TransactionKind.SUBSCRIPTION, 1000, at(1, 10))
    refunded = book.payment(channel, TransactionKind.DONATION, 1000, at(3, 5))
    book.reversal(refunded, 500, at(3, 6))
    book.payout(channel, 841, at(2, 1))
    return channel


def test_statement_has_months_totals_and_payouts(channel):
    pdf = statements.statement_pdf(channel=channel, year=2025, tz=UTC, compress=False)

    assert pdf is not None and pdf.startswith(b"%PDF")
    text = pdf.decode("latin-1")
    assert "Annual earnings statement 2025" in text
    assert "AeThex Live" in text
    assert "Channel: N\xf3va ? Live \\(nova\\)" in text  # latin-1 kept, the star replaced, never an error
    assert "January" in text and "December" in text
    assert "8.41" in text  # January net
    assert "3.91" in text  # March: 841 - 450
    assert "12.32" in text  # the year's net: 841 + 391
    assert "(Total paid out)" in text
    assert "01 February 2025" in text
    assert "Generated on" in text


def test_year_without_revenue_has_no_statement(channel):
    assert statements.statement_pdf(channel=channel, year=2024, tz=UTC) is None


def test_latin1_never_raises():
    assert statements.latin1("Zoë 🎮 Ĳ — ok") == "Zoë ? IJ ? ok"


def test_owner_downloads_the_pdf(client, channel):
    client.force_login(channel.owner_user)

    response = client.get(reverse("dashboard-revenue-statement", args=[2025]), {"channel": "nova"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert "earnings-nova-2025.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("year", [2024, 1999, timezone.now().year + 1])
def test_years_without_activity_or_out_of_range_are_404(client, channel, year):
    client.force_login(channel.owner_user)

    response = client.get(reverse("dashboard-revenue-statement", args=[year]), {"channel": "nova"})

    assert response.status_code == 404


def test_another_user_cannot_download_it(client, channel):
    client.force_login(UserFactory())

    response = client.get(reverse("dashboard-revenue-statement", args=[2025]), {"channel": "nova"})

    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, channel):
    response = client.get(reverse("dashboard-revenue-statement", args=[2025]), {"channel": "nova"})

    assert response.status_code == 302
