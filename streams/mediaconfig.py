"""The media half of the front door: nginx-rtmp ingest, /hls/, stat and control.

`manage.py runmedia` renders the same nginx config as `runnginx` plus what is built here:
the rtmp module, an `rtmp {}` server (ingest app `live` → internal app writing HLS, and the
optional `ladder` app), the `/hls/` locations and the internal `/_rtmp/` endpoints.
"""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.template import Context, Engine

from aethex.management.commands.runnginx import FrontDoor
from aethex.pagecache import nginx_page_cache

TEMPLATES = Path(__file__).resolve().parent / "nginx"
RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")
INGEST_APP = "live"
INTERNAL_APP = "internal"
LADDER_APP = "ladder"
LADDER_SUBDIR = "_ladder"  # not a valid slug, so no channel's files can collide with it
# Variables the ladder command (run by nginx-rtmp's exec) needs to load the same settings:
# nginx removes every inherited variable from its workers unless it is named by `env`.
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@dataclass(frozen=True)
class Rendition:
    name: str  # the suffix of the stream name: <slug>_<name>
    height: int | None  # None: the source, copied
    video_kbps: int
    audio_kbps: int = 128

    @property
    def bandwidth(self) -> int:
        return (self.video_kbps + self.audio_kbps) * 1000

    @property
    def resolution(self) -> str:
        return f"{round(self.height * 16 / 9 / 2) * 2}x{self.height}" if self.height else ""


# Source first: players start on the first variant, and the source needs no transcode delay.
RENDITIONS = (
    Rendition("src", None, 6000),
    Rendition("720", 720, 2800),
    Rendition("480", 480, 1200, 96),
    Rendition("360", 360, 700, 96),
)


def _default_node() -> str:
    return os.environ.get("INGEST_NODE") or socket.gethostname()


@dataclass(frozen=True)
class Media:
    """What the RTMP side needs: ports, directories, the callback URL and its secret."""

    rtmp_port: int = field(default_factory=lambda: int(settings.RTMP_PORT))
    rtmp_bind: str = "127.0.0.1"
    callback_url: str = "http://127.0.0.1:8000/ingest/rtmp"
    secret: str = field(default_factory=lambda: str(settings.INGEST_SHARED_SECRET))
    node: str = field(default_factory=_default_node)
    hls_dir: Path = field(default_factory=lambda: Path(settings.HLS_DIR))
    hls_url: str = field(default_factory=lambda: str(settings.HLS_URL))
    recordings_dir: Path = field(default_factory=lambda: Path(settings.RECORDINGS_DIR))
    fragment_seconds: int = field(default_factory=lambda: int(settings.HLS_FRAGMENT_SECONDS))
    playlist_seconds: int = field(default_factory=lambda: int(settings.HLS_PLAYLIST_SECONDS))
    update_seconds: int = field(default_factory=lambda: int(settings.INGEST_UPDATE_SECONDS))
    ladder: bool = True
    internal_listen: str = ""  # e.g. 0.0.0.0:8081 in a container network: stat/control for the workers
    python: str = sys.executable
    manage_py: Path = field(default_factory=lambda: Path(settings.BASE_DIR) / "manage.py")
    module: Path = RTMP_MODULE
    pass_env: tuple[str, ...] = ()

    @property
    def ladder_dir(self) -> Path:
        return self.hls_dir / LADDER_SUBDIR

    @property
    def listens(self) -> list[str]:
        # The internal push and local tools always use 127.0.0.1.
        listens = [f"{self._host(self.rtmp_bind)}:{self.rtmp_port}"]
        if self.rtmp_bind not in ("0.0.0.0", "127.0.0.1", "::"):  # noqa: S104
            listens.append(f"127.0.0.1:{self.rtmp_port}")
        return listens

    @staticmethod
    def _host(address: str) -> str:
        return f"[{address}]" if ":" in address else address


def local_rtmp_url(app: str, name: str, *, port: int | None = None) -> str:
    """A stream on this machine's nginx-rtmp (play is allowed from 127.0.0.1 only)."""
    return f"rtmp://127.0.0.1:{port or settings.RTMP_PORT}/{app}/{name}"


def environment_names(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    environ = dict(os.environ) if environ is None else environ
    return tuple(sorted(name for name in environ if _ENV_NAME.match(name)))


def _render(template: str, context: dict[str, Any]) -> str:
    engine = Engine(autoescape=False)
    return engine.from_string((TEMPLATES / template).read_text()).render(Context(context, autoescape=False))


def render_rtmp(media: Media) -> str:
    query = urlencode({"node": media.node})  # the secret goes in a header the front door adds
    env = "".join(f"env {name};\n" for name in media.pass_env if _ENV_NAME.match(name))
    return env + _render(
        "rtmp.conf.template",
        {
            "listens": media.listens,
            "port": media.rtmp_port,
            "callback": media.callback_url.rstrip("/"),
            "callback_query": query,
            "update_seconds": media.update_seconds,
            "recordings_dir": str(media.recordings_dir).rstrip("/"),
            "hls_dir": str(media.hls_dir).rstrip("/"),
            "ladder_dir": str(media.ladder_dir),
            "fragment_seconds": media.fragment_seconds,
            "playlist_seconds": media.playlist_seconds,
            "ladder": media.ladder,
            "python": media.python,
            "manage_py": media.manage_py,
            "renditions": RENDITIONS,
        },
    )


def _hls_headers() -> str:
    return "\n".join(
        f"            {line}"
        for line in (
            "types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }",
            "default_type application/octet-stream;",
            "add_header Cache-Control $hls_cache_control always;",
            "# Embeds on other sites load the playlist with hls.js (XHR): allow any origin.",
            "add_header Access-Control-Allow-Origin * always;",
            "add_header X-Content-Type-Options nosniff always;",
            "# Players probe playlists that are not there yet (offline channels): not an error.",
            "log_not_found off;",
        )
    )


def render_locations(media: Media) -> str:
    prefix = "/" + media.hls_url.strip("/") + "/"
    return _render(
        "locations.conf.template",
        {
            "hls_prefix": prefix,
            "hls_dir": str(media.hls_dir).rstrip("/"),
            "hls_headers": _hls_headers(),
            "rendition_names": "|".join(r.name for r in RENDITIONS),
            "secret": media.secret,
            "page_cache": nginx_page_cache(),
        },
    )


def render_http(media: Media) -> str:
    return _render(
        "http.conf.template",
        {
            "segment_max_age": max(media.playlist_seconds * 2, 10),
            "internal_listen": media.internal_listen,
            "page_cache": nginx_page_cache(),
        },
    )


def media_frontdoor(door: FrontDoor, media: Media) -> FrontDoor:
    """The front door with the RTMP server and the HLS/stat/control locations added."""
    for directory in (media.hls_dir, media.ladder_dir, media.recordings_dir):
        directory.mkdir(parents=True, exist_ok=True)
    return dataclasses.replace(
        door,
        # nginx-rtmp keeps streams, /stat and /control per worker: one worker sees them all.
        worker_processes="1",
        modules=[*door.modules, str(media.module)],
        http_snippets=[*door.http_snippets, render_http(media)],
        server_snippets=[*door.server_snippets, render_locations(media)],
        main_snippets=[*door.main_snippets, render_rtmp(media)],
    )


def ladder_command(
    slug: str, *, ffmpeg: str = "ffmpeg", port: int | None = None, fragment_seconds: int | None = None
) -> list[str]:
    """ffmpeg reading the channel's stream and pushing the renditions of the ladder app.

    One decode feeds every rendition; keyframes are forced on fragment boundaries so all
    renditions cut their segments at the same instants (players switch between them cleanly).
    """
    fragment = fragment_seconds or int(settings.HLS_FRAGMENT_SECONDS)
    command = [
        ffmpeg,
        *("-hide_banner", "-loglevel", "error", "-nostdin"),
        *("-i", local_rtmp_url(INGEST_APP, slug, port=port)),
    ]
    for rendition in RENDITIONS:
        command += ["-map", "0:v:0", "-map", "0:a:0?"]
        if rendition.height is None:
            command += ["-c:v", "copy"]
        else:
            kbps = rendition.video_kbps
            command += [
                *("-vf", f"scale=-2:{rendition.height}", "-c:v", "libx264", "-preset", "veryfast"),
                *("-tune", "zerolatency", "-profile:v", "main", "-pix_fmt", "yuv420p"),
                *("-b:v", f"{kbps}k", "-maxrate", f"{kbps * 107 // 100}k", "-bufsize", f"{kbps}k"),
                *("-force_key_frames", f"expr:gte(t,n_forced*{fragment})", "-sc_threshold", "0"),
            ]
        command += [
            "-c:a",
            "copy",
            "-f",
            "flv",
            local_rtmp_url(LADDER_APP, f"{slug}_{rendition.name}", port=port),
        ]
    return command
