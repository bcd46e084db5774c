"""Run the adaptive ladder of one channel (started by nginx-rtmp's exec_push on publish).

Exits at once unless the channel has the ladder on; otherwise becomes ffmpeg, which nginx-rtmp
kills when the publisher leaves.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from channels_app import selectors as channel_selectors
from streams.mediaconfig import ladder_command


class Command(BaseCommand):
    help = "Transcode a live channel into 720p/480p/360p renditions if its ladder is on (run by nginx-rtmp)."
    requires_system_checks: list[str] = []  # started on every publish: keep it quick

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the channel slug (the stream's public name)")

    def handle(self, *args: Any, **options: Any) -> None:
        channel = channel_selectors.channel_get(slug=options["slug"])
        if channel is None or not channel.abr_enabled:
            return
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise CommandError("ffmpeg is not installed.")
        command = ladder_command(channel.slug, ffmpeg=ffmpeg)
        os.execv(command[0], command)  # noqa: S606 - nginx-rtmp signals ffmpeg directly at publish_done
