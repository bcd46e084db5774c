"""Push ffmpeg's test pattern (720p30 + a tone) to the local ingest as a channel: a demo that is live at once.

The channel's key is rotated and used in-process only, never printed. With --retry (what
`make run` uses) it waits for the ingest to come up and starts again whenever the push stops.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from channels_app import selectors as channel_selectors
from channels_app import services as channel_services
from streams.mediaconfig import INGEST_APP, local_rtmp_url

RETRY_SECONDS = 3


def test_pattern_command(
    url: str, *, ffmpeg: str = "ffmpeg", size: str = "1280x720", rate: int = 30, duration: float = 0
) -> list[str]:
    """An encoder's push as OBS would send it: H.264 with a keyframe every second, AAC audio."""
    return [
        *(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-re"),
        *("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}"),
        *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"),
        *(("-t", str(duration)) if duration else ()),
        *("-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p"),
        *("-g", str(rate), "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "5000k"),
        *("-c:a", "aac", "-b:a", "128k", "-f", "flv", url),
    ]


class Command(BaseCommand):
    help = "Push a test pattern (720p30 + 440 Hz tone) to the local RTMP ingest as <channel>."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel", help="the channel slug")
        parser.add_argument("--duration", type=float, default=0, help="seconds (default: until stopped)")
        parser.add_argument(
            "--retry", action="store_true", help="wait for the ingest and restart when it stops"
        )
        parser.add_argument("--size", default="1280x720")
        parser.add_argument("--rate", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise CommandError("ffmpeg is not installed: run scripts/bootstrap.sh.")
        self._stopping = False
        self._encoder: subprocess.Popen[bytes] | None = None
        previous = {signum: signal.signal(signum, self._stop) for signum in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._run(ffmpeg, options)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run(self, ffmpeg: str, options: dict[str, Any]) -> None:
        key = ""
        while not self._stopping:
            channel = channel_selectors.channel_get(slug=options["channel"])
            if channel is None and not options["retry"]:
                raise CommandError(f"No channel {options['channel']!r} (manage.py seed_demo creates 'nova').")
            if channel is not None:
                key = key or channel_services.stream_key_rotate(channel=channel)
                returncode = self._push(ffmpeg, key, options)
                if returncode == 0 or not options["retry"]:
                    if returncode:
                        raise CommandError(f"ffmpeg stopped with exit code {returncode}.")
                    return
            if not self._stopping:
                time.sleep(RETRY_SECONDS)

    def _push(self, ffmpeg: str, key: str, options: dict[str, Any]) -> int:
        url = local_rtmp_url(INGEST_APP, key)
        command = test_pattern_command(
            url, ffmpeg=ffmpeg, size=options["size"], rate=options["rate"], duration=options["duration"]
        )
        site = getattr(settings, "SITE_URL", "").rstrip("/")
        self.stdout.write(
            f"demo_stream: pushing a test pattern as {options['channel']} ({site}/{options['channel']}/)"
        )
        self.stdout.flush()
        # The key is in ffmpeg's arguments (visible to local users in `ps`), never in output or logs:
        # ffmpeg names the URL in its errors, so they are printed with the key masked.
        self._encoder = subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
        _, errors = self._encoder.communicate()
        returncode, self._encoder = self._encoder.returncode, None
        if errors and not self._stopping:
            self.stderr.write(errors.decode(errors="replace").replace(key, "<stream key>").rstrip())
        return 0 if self._stopping else returncode

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
        if self._encoder is not None and self._encoder.poll() is None:
            self._encoder.terminate()
