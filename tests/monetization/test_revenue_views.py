"""The revenue page and its CSV: owner/staff only, range presets validated, figures from the ledger."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from monetization.models import TransactionKind
from tests.factories import StreamChannelFactory, UserFactory
from tests.monetization import revenue_factories as book

URL = reverse("dashboard-revenue")
CSV_URL = reverse("dashboard-revenue-csv")


@pytest.fixture
def channel(db):
    channel = StreamChannelFactory(slug="nova")
    yesterday = timezone.now() - dt.timedelta(days=1)
    book.payment(channel, TransactionKind.SUBSCRIPTION, 1000, yesterday)
    book.payment(channel, TransactionKind.DONATION, 500, yesterday)
    book.payment(channel, TransactionKind.GIFT, 2500, timezone.now() - dt.timedelta(days=60))
    return channel


def test_owner_sees_cards_table_and_statement_link(client, channel):
    client.force_login(channel.owner_user)

    response = client.get(URL, {"channel": "nova"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-figure="gross">15.00<' in body  # 30 days: the gift of 60 days ago is outside
    assert 'data-figure="net">12.46<' in body  # 841 + 405
    assert 'data-figure="balance">33.93<' in body  # + the gift's 2147: the balance is all-time
    assert f"statement/{timezone.localdate().year}.pdf" in body
    assert 'data-chart="revenue"' in body


def test_preset_widens_the_range(client, channel):
    client.force_login(channel.owner_user)

    response = client.get(URL, {"channel": "nova", "days": "90"})

    assert 'data-figure="gross">40.00<' in response.content.decode()


@pytest.mark.parametrize("days", ["5", "abc", "-7", "3650"])
def test_bad_range_is_a_400_with_the_error_and_the_default_range(client, channel, days):
    client.force_login(channel.owner_user)

    response = client.get(URL, {"channel": "nova", "days": days})

    assert response.status_code == 400
    body = response.content.decode()
    assert "Pick a range of 7, 30, 90, 365 days." in body
    assert 'data-figure="gross">15.00<' in body


def test_staff_may_read_a_channels_revenue(client, channel):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(URL, {"channel": "nova"}).status_code == 200


def test_another_user_gets_404(client, channel):
    client.force_login(UserFactory())

    assert client.get(URL, {"channel": "nova"}).status_code == 404
    assert client.get(CSV_URL, {"channel": "nova"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, channel):
    response = client.get(URL, {"channel": "nova"})

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unknown_channel_is_404(client, channel):
    client.force_login(channel.owner_user)

    assert client.get(URL, {"channel": "nobody"}).status_code == 404


def test_empty_state_without_revenue(client, db):
    channel = StreamChannelFactory(slug="quiet")
    client.force_login(channel.owner_user)

    response = client.get(URL, {"channel": "quiet"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "No revenue in this period." in body
    assert "Statements appear here for each year with revenue." in body
    assert 'data-chart="revenue"' not in body


def test_page_reads_a_fixed_number_of_queries(client, channel, django_assert_max_num_queries):
    for day in range(2, 20):
        book.payment(channel, TransactionKind.DONATION, 700, timezone.now() - dt.timedelta(days=day))
    client.force_login(channel.owner_user)

    # 18 more days of rows: still the session, user, channel lookups and one aggregate per figure.
    with django_assert_max_num_queries(14):
        assert client.get(URL, {"channel": "nova"}).status_code == 200


def test_csv_lists_each_day_and_source(client, channel):
    client.force_login(channel.owner_user)

    response = client.get(CSV_URL, {"channel": "nova", "days": "90"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "source", "gross", "processor_fee", "platform_fee", "refunds_disputes", "net"]
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert rows[1] == [yesterday, "subscriptions", "10.00", "0.59", "1.00", "0.00", "8.41"]
    assert rows[2] == [yesterday, "donations", "5.00", "0.45", "0.50", "0.00", "4.05"]
    assert rows[3][1:] == ["gifts", "25.00", "1.03", "2.50", "0.00", "21.47"]
    assert len(rows) == 4


def test_csv_refuses_a_bad_range_with_error_json(client, channel):
    client.force_login(channel.owner_user)

    response = client.get(CSV_URL, {"channel": "nova", "days": "8"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["days"]


def test_monetization_dashboard_links_to_revenue(client, channel):
    client.force_login(channel.owner_user)

    body = client.get(reverse("dashboard-monetization"), {"channel": "nova"}).content.decode()

    assert f'href="{URL}?channel=nova" data-revenue-link' in body
