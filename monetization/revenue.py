"""Reads for the revenue dashboard and the annual statement: figures by day/month and source, from the ledger.

Every figure is a sum of ledger entries; nothing is read from Donation/Checkout rows. The source of a
payment is its transaction kind (subscription, gift, donation); a refund, dispute or won dispute
belongs to the source of the payment it reverses (followed through `reverses`, at most two hops).
Payout transactions (any other kind) are left out of revenue and read separately (`payouts_in`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from channels_app.models import Channel
from monetization import ledger
from monetization.models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind

SOURCES = ("subscriptions", "gifts", "donations")
SOURCE_OF_KIND = {
    TransactionKind.SUBSCRIPTION: "subscriptions",
    TransactionKind.GIFT: "gifts",
    TransactionKind.DONATION: "donations",
}
REVENUE_KINDS = [
    TransactionKind.SUBSCRIPTION,
    TransactionKind.GIFT,
    TransactionKind.DONATION,
    TransactionKind.REFUND,
    TransactionKind.DISPUTE,
    TransactionKind.DISPUTE_WON,
]
PRESET_DAYS = (7, 30, 90, 365)
DEFAULT_DAYS = 30


@dataclass
class Figures:
    """Cents. gross − processor_fee − platform_fee − refunds == net (the creator's share)."""

    gross: int = 0
    processor_fee: int = 0
    platform_fee: int = 0
    refunds: int = 0
    net: int = 0

    def add(self, other: Figures) -> None:
        self.gross += other.gross
        self.processor_fee += other.processor_fee
        self.platform_fee += other.platform_fee
        self.refunds += other.refunds
        self.net += other.net

    @property
    def fees(self) -> int:
        return self.processor_fee + self.platform_fee


@dataclass
class Report:
    start: dt.date
    end: dt.date
    totals: Figures = field(default_factory=Figures)
    by_source: dict[str, Figures] = field(default_factory=dict)
    # (period start, source) → figures; period is a day or a month's first day.
    rows: dict[tuple[dt.date, str], Figures] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.rows


def _grouped(
    *, channel: Channel, start_at: dt.datetime, end_at: dt.datetime, tz: dt.tzinfo, by_month: bool
) -> Report:
    trunc = TruncMonth if by_month else TruncDate
    entries = (
        LedgerEntry.objects.filter(
            transaction__channel=channel,
            transaction__kind__in=REVENUE_KINDS,
            transaction__created_at__gte=start_at,
            transaction__created_at__lt=end_at,
        )
        .annotate(
            period=trunc("transaction__created_at", tzinfo=tz),
            # The payment a reversal goes back to: itself, what it reverses, or (won dispute) one more.
            origin=Coalesce(
                F("transaction__reverses__reverses__kind"),
                F("transaction__reverses__kind"),
                F("transaction__kind"),
            ),
            account_kind=F("account__kind"),
        )
        .values("period", "origin", "account_kind")
        .annotate(total=Sum("amount_cents"))
    )
    report = Report(start=start_at.date(), end=end_at.date())
    for row in entries:
        source = SOURCE_OF_KIND.get(row["origin"])
        if source is None:
            continue
        period = row["period"]
        period = period.date() if isinstance(period, dt.datetime) else period
        figures = report.rows.setdefault((period, source), Figures())
        total, kind = int(row["total"]), row["account_kind"]
        if kind == AccountKind.VIEWER_PAYMENTS:
            figures.gross -= total
        elif kind == AccountKind.PROCESSOR_FEE:
            figures.processor_fee += total
        elif kind == AccountKind.PLATFORM_FEE:
            figures.platform_fee += total
        elif kind in (AccountKind.REFUNDS, AccountKind.DISPUTES):
            figures.refunds += total
        elif kind == AccountKind.CREATOR_BALANCE:
            figures.net += total
    report.by_source = {source: Figures() for source in SOURCES}
    for (_, source), figures in report.rows.items():
        report.by_source[source].add(figures)
        report.totals.add(figures)
    return report


def _midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def daily_report(*, channel: Channel, start: dt.date, end: dt.date, tz: dt.tzinfo) -> Report:
    """Whole days [start, end] in the viewer's zone."""
    report = _grouped(
        channel=channel,
        start_at=_midnight(start, tz),
        end_at=_midnight(end + dt.timedelta(days=1), tz),
        tz=tz,
        by_month=False,
    )
    report.start, report.end = start, end
    return report


def chart_series(report: Report, tz: dt.tzinfo) -> dict[str, object]:
    """Net per day and source (zero days included, so each line is continuous), epoch ms at local midnight."""
    days = [report.start + dt.timedelta(days=i) for i in range((report.end - report.start).days + 1)]
    series = {}
    for source in SOURCES:
        series[source] = [
            [
                int(_midnight(day, tz).timestamp() * 1000),
                (report.rows[(day, source)].net if (day, source) in report.rows else 0) / 100,
            ]
            for day in days
        ]
    return {
        "start": int(_midnight(report.start, tz).timestamp() * 1000),
        "end": int(_midnight(report.end, tz).timestamp() * 1000),
        "series": series,
    }


def monthly_report(*, channel: Channel, year: int, tz: dt.tzinfo) -> Report:
    return _grouped(
        channel=channel,
        start_at=_midnight(dt.date(year, 1, 1), tz),
        end_at=_midnight(dt.date(year + 1, 1, 1), tz),
        tz=tz,
        by_month=True,
    )


def payouts_in(*, channel: Channel, year: int, tz: dt.tzinfo) -> list[tuple[dt.datetime, int]]:
    """Money that reached the bank that year: positive entries on the channel's `payouts` account."""
    rows = (
        LedgerEntry.objects.filter(
            account__kind=AccountKind.PAYOUTS,
            account__channel=channel,
            amount_cents__gt=0,
            transaction__created_at__gte=_midnight(dt.date(year, 1, 1), tz),
            transaction__created_at__lt=_midnight(dt.date(year + 1, 1, 1), tz),
        )
        .order_by("transaction__created_at", "id")
        .values_list("transaction__created_at", "amount_cents")
    )
    return [(when.astimezone(tz), int(cents)) for when, cents in rows]


def next_payout_date(today: dt.date) -> dt.date:
    """Payouts run on the 1st of each month (for balances above the minimum)."""
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def payout_minimum_cents() -> int:
    # The payouts module owns the setting; until it lands the dashboard states the documented default.
    return int(getattr(settings, "PAYOUT_MINIMUM_CENTS", 1000))


def current_balance_cents(*, channel: Channel) -> int:
    return ledger.creator_balance(channel)


def source_totals_by_day(report: Report) -> list[tuple[dt.date, str, Figures]]:
    """The table's rows, newest day first, sources in a fixed order."""
    order = {source: i for i, source in enumerate(SOURCES)}
    keys = sorted(report.rows, key=lambda key: (-key[0].toordinal(), order[key[1]]))
    return [(day, source, report.rows[(day, source)]) for day, source in keys]


def active_years(*, channel: Channel, tz: dt.tzinfo) -> list[int]:
    """Years (in the viewer's zone) with any revenue transaction: the statements on offer."""
    years = LedgerTransaction.objects.filter(channel=channel, kind__in=REVENUE_KINDS).datetimes(
        "created_at", "year", tzinfo=tz
    )
    return sorted({when.year for when in years}, reverse=True)
