"""Backfill roll-ups: `manage.py rollup_analytics --since 2026-01-01 [--until 2026-01-31]`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from analytics import rollups


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Recompute hourly and daily analytics roll-ups from raw data (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="First UTC day, YYYY-MM-DD.")
        parser.add_argument("--until", help="Last UTC day, YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        since, until = _date(options["since"]), _date(options["until"] or now.date().isoformat())
        if since > until:
            raise CommandError("--since must not be after --until.")
        # Raw page visits and follow events before the cutoff are pruned: recomputing those days
        # would replace their final roll-ups with zeros.
        cutoff = rollups.raw_retention_cutoff(now).date()
        if since < cutoff:
            self.stderr.write(f"Raw data is kept from {cutoff} on: starting there instead of {since}.")
            since = cutoff
        days, hours = rollups.rollup_range(since=since, until=until, now=now)
        self.stdout.write(f"Rolled up {days} days and {hours} hours ({since} to {until}).")
