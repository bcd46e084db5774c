"""`manage.py reconcile_ledger [--since DATE] [--channel SLUG] [--json]`: ledger vs Stripe's balance.

Exit status 0 when the two agree, 1 when there are differences (so a cron job or CI can alert).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import stripe
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from channels_app.models import Channel
from monetization import reconcile


def _since(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since takes a date like 2026-01-31, not {value!r}.") from exc
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _cents(value: int | None) -> str:
    return "-" if value is None else f"{value / 100:.2f}"


class Command(BaseCommand):
    help = "Compare the ledger's payments with Stripe's balance transactions and report differences."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", help="only payments on or after this UTC date (YYYY-MM-DD)")
        parser.add_argument("--channel", help="only this channel's payments (slug)")
        parser.add_argument("--json", action="store_true", help="print the differences as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _since(options["since"]) if options["since"] else None
        if since is not None and since > timezone.now():
            raise CommandError("--since is in the future.")
        channel = None
        if options["channel"]:
            channel = Channel.objects.filter(slug=options["channel"]).first()
            if channel is None:
                raise CommandError(f"No channel {options['channel']!r}.")
        try:
            differences = reconcile.reconcile(since=since, channel=channel)
        except stripe.StripeError as exc:
            raise CommandError(f"Stripe refused the balance listing: {exc.user_message or exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps({"differences": [d.as_json() for d in differences]}, indent=2))
        elif not differences:
            self.stdout.write(self.style.SUCCESS("Ledger and Stripe agree."))
        else:
            self.stdout.write(f"{len(differences)} difference(s):")
            for d in differences:
                self.stdout.write(
                    f"{d.problem:18} {d.source_id or '-':32} ledger={d.ledger_key or '-'} "
                    f"channel={d.channel or '?'} stripe={_cents(d.stripe_cents)} "
                    f"ledger_amount={_cents(d.ledger_cents)} diff={_cents(d.difference_cents)}"
                )
        if differences:
            sys.exit(1)
