"""Give a channel a new stream key (printed once); a live publisher using the old one is dropped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from channels_app import selectors as channel_selectors
from channels_app import services as channel_services


class Command(BaseCommand):
    help = "Rotate a channel's stream key: prints the new key once and drops a live publisher."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel", help="the channel slug")

    def handle(self, *args: Any, **options: Any) -> None:
        channel = channel_selectors.channel_get(slug=options["channel"])
        if channel is None:
            raise CommandError(f"No channel {options['channel']!r}.")
        key = channel_services.stream_key_rotate(channel=channel)
        self.stdout.write(f"New stream key for {channel.slug} (shown once; the old key no longer works):")
        self.stdout.write(key)
