"""Revenue figures from synthetic ledger history: exact sums by day and source, fees, refunds, net."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from monetization import revenue
from monetization.models import TransactionKind
from tests.factories import StreamChannelFactory
from tests.monetization import revenue_factories as book

UTC = dt.UTC
D1, D2, D3 = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)


def at(day: dt.date, hour: int = 12, tz: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


@pytest.fixture
def history(db):
    channel = StreamChannelFactory()
    book.payment(channel, TransactionKind.SUBSCRIPTION, 1000, at(D1))  # fee 59, platform 100, net 841
    book.payment(channel, TransactionKind.GIFT, 2500, at(D1))  # fee 103, platform 250, net 2147
    book.payment(channel, TransactionKind.DONATION, 500, at(D2))  # fee 45, platform 50, net 405
    refunded = book.payment(channel, TransactionKind.DONATION, 1000, at(D2))  # 59, 100, 841
    book.reversal(refunded, 500, at(D3))  # refunds 500, platform gives back 50, creator -450
    return channel


def test_daily_report_sums_each_day_and_source_exactly(history):
    report = revenue.daily_report(channel=history, start=D1, end=D3, tz=UTC)

    rows = {k: (f.gross, f.processor_fee, f.platform_fee, f.refunds, f.net) for k, f in report.rows.items()}
    assert rows == {
        (D1, "subscriptions"): (1000, 59, 100, 0, 841),
        (D1, "gifts"): (2500, 103, 250, 0, 2147),
        (D2, "donations"): (1500, 104, 150, 0, 1246),
        (D3, "donations"): (0, 0, -50, 500, -450),
    }
    totals = report.totals
    assert (totals.gross, totals.processor_fee, totals.platform_fee, totals.refunds, totals.net) == (
        5000,
        266,
        450,
        500,
        3784,
    )
    assert totals.gross - totals.fees - totals.refunds == totals.net
    assert report.by_source["donations"].net == 1246 - 450
    assert report.by_source["subscriptions"].gross == 1000


def test_range_excludes_days_outside_it(history):
    report = revenue.daily_report(channel=history, start=D2, end=D2, tz=UTC)

    assert set(report.rows) == {(D2, "donations")}
    assert report.totals.gross == 1500


def test_days_are_cut_in_the_viewers_zone(db):
    channel = StreamChannelFactory()
    # 03:00 UTC on 2 March is still 1 March in New York.
    book.payment(channel, TransactionKind.DONATION, 500, at(D1, hour=3))
    new_york = zoneinfo.ZoneInfo("America/New_York")

    report = revenue.daily_report(channel=channel, start=dt.date(2026, 3, 1), end=D1, tz=new_york)

    assert set(report.rows) == {(dt.date(2026, 3, 1), "donations")}


def test_won_dispute_gives_the_money_back_to_the_payments_source(db):
    channel = StreamChannelFactory()
    paid = book.payment(channel, TransactionKind.GIFT, 1000, at(D1))
    withdrawn = book.reversal(paid, 1000, at(D2), dispute=True)
    book.dispute_won(withdrawn, at(D3))

    report = revenue.daily_report(channel=channel, start=D1, end=D3, tz=UTC)

    assert report.rows[(D2, "gifts")].refunds == 1000
    assert report.rows[(D3, "gifts")].refunds == -1000
    assert report.by_source["gifts"].net == 841
    assert report.totals.refunds == 0


def test_other_channels_and_payouts_are_not_revenue(history):
    other = StreamChannelFactory()
    book.payment(other, TransactionKind.DONATION, 9900, at(D1))
    book.payout(history, 2000, at(D2))

    report = revenue.daily_report(channel=history, start=D1, end=D3, tz=UTC)

    assert report.totals.gross == 5000
    assert report.totals.net == 3784
    assert revenue.payouts_in(channel=history, year=2026, tz=UTC) == [(at(D2), 2000)]


def test_chart_series_has_every_day_with_zeros(history):
    report = revenue.daily_report(channel=history, start=D1, end=D3, tz=UTC)

    chart = revenue.chart_series(report, UTC)

    assert [value for _, value in chart["series"]["donations"]] == [0, 12.46, -4.5]
    assert [value for _, value in chart["series"]["subscriptions"]] == [8.41, 0, 0]
    assert chart["start"] == int(at(D1, 0).timestamp() * 1000)


def test_monthly_report_and_active_years(history):
    book.payment(history, TransactionKind.DONATION, 1000, at(dt.date(2025, 12, 31), hour=23))

    report = revenue.monthly_report(channel=history, year=2026, tz=UTC)

    assert {period for period, _ in report.rows} == {dt.date(2026, 3, 1)}
    assert report.totals.net == 3784
    assert revenue.active_years(channel=history, tz=UTC) == [2026, 2025]


@pytest.mark.parametrize(
    ("today", "expected"),
    [(dt.date(2026, 3, 15), dt.date(2026, 4, 1)), (dt.date(2026, 12, 1), dt.date(2027, 1, 1))],
)
def test_next_payout_is_the_first_of_next_month(today, expected):
    assert revenue.next_payout_date(today) == expected
