"""The revenue dashboard, its CSV and the annual statement PDF: owner and staff only (money is sensitive)."""

from __future__ import annotations

import csv
import datetime as dt

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aethex.api.errors import error_body
from aethex.http import AuthedRequest
from channels_app.models import Channel
from channels_app.views import dashboard_context, dashboard_view
from monetization import revenue, statements

CSV_HEADER = ["date", "source", "gross", "processor_fee", "platform_fee", "refunds_disputes", "net"]


def _days(request: AuthedRequest) -> tuple[int, str]:
    """The preset in `?days=`, or the default with an error message for anything else."""
    raw = request.GET.get("days", "")
    if not raw:
        return revenue.DEFAULT_DAYS, ""
    if raw.isdigit() and int(raw) in revenue.PRESET_DAYS:
        return int(raw), ""
    choices = ", ".join(str(d) for d in revenue.PRESET_DAYS)
    return revenue.DEFAULT_DAYS, f"Pick a range of {choices} days."


def _report(channel: Channel, days: int) -> revenue.Report:
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    return revenue.daily_report(channel=channel, start=start, end=today, tz=timezone.get_current_timezone())


def _dollars(cents: int) -> str:
    return f"{cents / 100:.2f}"


@dashboard_view(owner_only=True)
@require_GET
def revenue_page(request: AuthedRequest, channel: Channel) -> HttpResponse:
    days, error = _days(request)
    tz = timezone.get_current_timezone()
    report = _report(channel, days)
    context = {
        **dashboard_context(request, channel, "monetization"),
        "days": days,
        "presets": revenue.PRESET_DAYS,
        "range_error": error,
        "report": report,
        "by_source": [(source, report.by_source[source]) for source in revenue.SOURCES],
        "rows": revenue.source_totals_by_day(report),
        "chart": revenue.chart_series(report, tz),
        "balance_cents": revenue.current_balance_cents(channel=channel),
        "next_payout": revenue.next_payout_date(timezone.localdate()),
        "payout_minimum_cents": revenue.payout_minimum_cents(),
        "years": revenue.active_years(channel=channel, tz=tz),
        "currency": settings.STRIPE_CURRENCY.upper(),
    }
    return render(request, "monetization/revenue.html", context, status=400 if error else 200)


@dashboard_view(owner_only=True)
@require_GET
def revenue_csv(request: AuthedRequest, channel: Channel) -> HttpResponse:
    """At most 365 days × 3 sources: built in memory. Amounts in currency units, days in the viewer's zone."""
    days, error = _days(request)
    if error:
        return JsonResponse(error_body("invalid", error, {"days": [error]}), status=400)
    report = _report(channel, days)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="revenue-{channel.slug}-{report.start}-{report.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for day, source, fig in revenue.source_totals_by_day(report):
        writer.writerow(
            [
                day.isoformat(),
                source,
                _dollars(fig.gross),
                _dollars(fig.processor_fee),
                _dollars(fig.platform_fee),
                _dollars(fig.refunds),
                _dollars(fig.net),
            ]
        )
    return response


@dashboard_view(owner_only=True)
@require_GET
def statement(request: AuthedRequest, channel: Channel, year: int) -> HttpResponse:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404("No statement for that year.")
    pdf = statements.statement_pdf(channel=channel, year=year, tz=timezone.get_current_timezone())
    if pdf is None:
        raise Http404("No revenue that year.")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="earnings-{channel.slug}-{year}.pdf"'
    # A tax document: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
