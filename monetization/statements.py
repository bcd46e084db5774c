"""The annual earnings statement: a one-page PDF (fpdf2) a creator keeps for tax purposes.

Fonts: fpdf2's core fonts (Helvetica) only cover latin-1, and embedded TrueType fonts are written as
glyph ids (the amounts would not be searchable text in an uncompressed stream). Channel and user names
are free text, so every string goes through `latin1` first: accents are kept, other characters fall
back to their ASCII decomposition or "?". That never raises, whatever a creator calls the channel.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

from channels_app.models import Channel
from monetization import revenue

MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]


def latin1(text: str) -> str:
    out = []
    for char in text:
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(ascii_form or "?")
        else:
            out.append(char)
    return "".join(out)


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) / 100:,.2f}"


def statement_pdf(*, channel: Channel, year: int, tz: dt.tzinfo, compress: bool = True) -> bytes | None:
    """None when the channel had no revenue that year (the view answers 404)."""
    report = revenue.monthly_report(channel=channel, year=year, tz=tz)
    payouts = revenue.payouts_in(channel=channel, year=year, tz=tz)
    if report.empty and not payouts:
        return None
    currency = settings.STRIPE_CURRENCY.upper()
    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(latin1(f"{settings.SITE_NAME} earnings statement {year}"))
    pdf.set_creator(latin1(settings.SITE_NAME))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    title = latin1(f"{settings.SITE_NAME} - Annual earnings statement {year}")
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    owner = channel.owner_user
    creator = "(no owner)" if owner is None else (owner.get_full_name() or owner.username)
    lines = [
        f"Creator: {creator}",
        f"Channel: {channel.name} ({channel.slug})",
        f"Period: 1 January {year} - 31 December {year} ({tz})",
        f"Amounts in {currency}. Net is what was credited to the creator after fees, refunds and disputes.",
    ]
    for line in lines:
        pdf.cell(0, 6, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    widths = [38, 30, 30, 30, 30, 32]
    header = ["Month", "Gross", "Processor fee", "Platform fee", "Refunds", "Net"]
    pdf.set_font("Helvetica", "B", 10)
    for width, text in zip(widths, header, strict=True):
        pdf.cell(width, 7, text, border="B", align="L" if text == "Month" else "R")
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    months: dict[int, revenue.Figures] = {m: revenue.Figures() for m in range(1, 13)}
    for (period, _source), figures in report.rows.items():
        months[period.month].add(figures)
    for number, figures in months.items():
        cells = [
            MONTHS[number - 1],
            money(figures.gross),
            money(figures.processor_fee),
            money(figures.platform_fee),
            money(figures.refunds),
            money(figures.net),
        ]
        for i, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 6, text, align="L" if i == 0 else "R")
        pdf.ln()
    totals = report.totals
    pdf.set_font("Helvetica", "B", 10)
    cells = [
        "Total",
        money(totals.gross),
        money(totals.processor_fee),
        money(totals.platform_fee),
        money(totals.refunds),
        money(totals.net),
    ]
    for i, (width, text) in enumerate(zip(widths, cells, strict=True)):
        pdf.cell(width, 7, text, border="T", align="L" if i == 0 else "R")
    pdf.ln(12)

    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, "Payouts made", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    if not payouts:
        pdf.cell(0, 6, "No payouts reached your bank this year.", new_x="LMARGIN", new_y="NEXT")
    for when, cents in payouts:
        pdf.cell(60, 6, when.strftime("%d %B %Y"))
        pdf.cell(40, 6, money(cents), align="R", new_x="LMARGIN", new_y="NEXT")
    if payouts:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(60, 7, "Total paid out", border="T")
        total_paid = money(sum(c for _, c in payouts))
        pdf.cell(40, 7, total_paid, border="T", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "I", 8)
    generated = timezone.now().astimezone(tz).strftime("%d %B %Y %H:%M %Z")
    pdf.multi_cell(
        0,
        5,
        latin1(
            f"Generated on {generated} by {settings.SITE_NAME} from its payment ledger. "
            "Processor fees are estimated until reconciled with the payment processor. "
            "This statement is informational and not tax advice."
        ),
    )
    return bytes(pdf.output())
