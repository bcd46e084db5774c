"""Render the front door with the media server (nginx-rtmp ingest, /hls/) and run nginx.

The same nginx as `runnginx`, plus: the rtmp module, the RTMP server on RTMP_PORT, /hls/
served from HLS_DIR, and /_rtmp/stat and /_rtmp/control for this machine only.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from aethex.management.commands.runnginx import Command as RunNginx
from aethex.management.commands.runnginx import FrontDoor
from streams.mediaconfig import Media, environment_names, media_frontdoor


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


class Command(RunNginx):
    help = "Render the front door with the RTMP ingest and /hls/ into VAR_DIR/nginx/ and run nginx."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--rtmp-port", type=int, default=int(settings.RTMP_PORT))
        parser.add_argument(
            "--rtmp-bind",
            default=os.environ.get("RTMP_BIND") or os.environ.get("BIND") or "127.0.0.1",
            help="address RTMP listens on (RTMP_BIND, else BIND; 0.0.0.0 for encoders on other machines)",
        )
        parser.add_argument(
            "--callback-url",
            default=os.environ.get("INGEST_CALLBACK_URL", ""),
            help="base of the ingest hooks (default http://127.0.0.1:<port>/ingest/rtmp)",
        )
        parser.add_argument("--node", default="", help="this ingest node's name in the hooks")
        parser.add_argument(
            "--internal-listen",
            default=os.environ.get("MEDIA_INTERNAL_LISTEN", ""),
            help="extra address:port serving only /_rtmp/stat and /_rtmp/control, for workers on other "
            "hosts (a private network port: never publish it)",
        )
        parser.add_argument(
            "--no-ladder",
            dest="ladder",
            action="store_false",
            default=_flag("MEDIA_LADDER", True),
            help="never run the adaptive ladder (also MEDIA_LADDER=0)",
        )

    def build_door(self, options: dict[str, Any]) -> FrontDoor:
        door = super().build_door(options)
        media = Media(
            rtmp_port=options["rtmp_port"],
            rtmp_bind=options["rtmp_bind"],
            callback_url=options["callback_url"] or f"http://127.0.0.1:{door.port}/ingest/rtmp",
            ladder=options["ladder"],
            internal_listen=options["internal_listen"],
            pass_env=environment_names(),
            **({"node": options["node"]} if options["node"] else {}),
        )
        if not media.module.exists():
            raise CommandError(f"{media.module} is missing: run scripts/bootstrap.sh (libnginx-mod-rtmp).")
        self._media = media
        return media_frontdoor(door, media)

    def announce(self, door: FrontDoor) -> None:
        media = self._media
        self.stdout.write(
            f"RTMP ingest on rtmp://{media.listens[0]}/live (HLS in {media.hls_dir}, "
            f"ladder {'on per channel' if media.ladder else 'off'})"
        )
