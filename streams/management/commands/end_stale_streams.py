"""End live sessions whose ingest stopped calling `update` (what the beat task does every 15 s)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from streams import services


class Command(BaseCommand):
    help = "End live sessions whose ingest node stopped reporting (STREAM_STALE_SECONDS)."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = services.streams_end_stale()
        self.stdout.write(f"Ended {ended} stale stream{'' if ended == 1 else 's'}.")
