"""Real nginx-rtmp and ffmpeg for the media tests.

`media` renders `runmedia`'s config into tmp_path with free ports and the ingest hooks pointing
at pytest-django's `live_server` (the site runs in a thread of this process, so the tests see
the same database through `transactional_db`), starts nginx, and stops it afterwards.
`publisher` pushes ffmpeg's test pattern with a given key.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aethex.management.commands.runnginx import FrontDoor, nginx_command, write_frontdoor
from streams.mediaconfig import RTMP_MODULE, Media, media_frontdoor

FFMPEG = shutil.which("ffmpeg")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MEDIA_MISSING = [
    what
    for what, present in (
        ("nginx", Path(NGINX).exists()),
        ("libnginx-mod-rtmp", RTMP_MODULE.exists()),
        ("ffmpeg", FFMPEG is not None),
    )
    if not present
]
needs_media = pytest.mark.skipif(
    bool(MEDIA_MISSING), reason=f"{', '.join(MEDIA_MISSING)} missing (scripts/bootstrap.sh installs them)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], object], timeout: float = 10.0, interval: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(interval)
    raise AssertionError(f"not true after {timeout} s: {predicate}")


def http_get(url: str, timeout: float = 3.0) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


@dataclass
class MediaServer:
    http_port: int
    rtmp_port: int
    hls_dir: Path
    recordings_dir: Path
    prefix: Path
    error_log: Path
    process: subprocess.Popen[bytes]
    exec_log: Path
    publishers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def get(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        return http_get(self.base + path)

    def rtmp(self, key: str, app: str = "live") -> str:
        return f"rtmp://127.0.0.1:{self.rtmp_port}/{app}/{key}"

    def files(self) -> list[Path]:
        return [p for p in self.hls_dir.rglob("*") if p.is_file()]


@pytest.fixture
def media(request, settings, tmp_path: Path, live_server, transactional_db) -> Iterator[MediaServer]:
    """nginx-rtmp for one test; `@pytest.mark.parametrize("media", [<update seconds>], indirect=True)`."""
    if MEDIA_MISSING:
        pytest.skip(f"{', '.join(MEDIA_MISSING)} missing (scripts/bootstrap.sh installs them)")
    http_port, rtmp_port = free_port(), free_port()
    hls_dir, recordings_dir = tmp_path / "hls", tmp_path / "recordings"
    settings.HLS_DIR, settings.RECORDINGS_DIR, settings.RTMP_PORT = hls_dir, recordings_dir, rtmp_port
    settings.RTMP_CONTROL_URL = f"http://127.0.0.1:{http_port}/_rtmp/control"
    settings.RTMP_STAT_URL = f"http://127.0.0.1:{http_port}/_rtmp/stat"
    # The ladder's exec runs this stand-in, which records its arguments: a real `manage.py
    # ladder` would load another database than the test's. test_media_ladder runs the transcode.
    exec_log = tmp_path / "exec.log"
    stand_in = tmp_path / "ladder-stand-in"
    stand_in.write_text(f'#!/bin/sh\necho "$@" >> {exec_log}\n')
    stand_in.chmod(0o755)
    server = live_server.thread
    door = FrontDoor(
        prefix=tmp_path / "nginx",
        bind="127.0.0.1",
        port=http_port,
        upstream=f"127.0.0.1:{server.port}",
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        error_log=str(tmp_path / "nginx-error.log"),
        access_log=str(tmp_path / "nginx-access.log"),
    )
    media_conf = Media(
        rtmp_port=rtmp_port,
        rtmp_bind="127.0.0.1",
        callback_url=f"http://127.0.0.1:{http_port}/ingest/rtmp",  # through the front door, as deployed
        node="test-node",
        hls_dir=hls_dir,
        recordings_dir=recordings_dir,
        python=str(stand_in),
        update_seconds=getattr(request, "param", 10),
    )
    door = media_frontdoor(door, media_conf)
    write_frontdoor(door)
    process = subprocess.Popen(nginx_command(door), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    instance = MediaServer(
        http_port=http_port,
        rtmp_port=rtmp_port,
        hls_dir=hls_dir,
        recordings_dir=recordings_dir,
        prefix=door.prefix,
        error_log=tmp_path / "nginx-error.log",
        process=process,
        exec_log=exec_log,
    )
    try:
        wait_for(lambda: _answers(http_port) and _answers(rtmp_port), timeout=10)
        yield instance
    finally:
        for publisher in instance.publishers:
            _stop(publisher)
        # Let publish_done land before the test database is flushed (asking nginx, not the
        # database: a read racing the hook's write fails it on SQLite's shared in-memory test db).
        with contextlib.suppress(AssertionError):
            wait_for(lambda: b"<publishing/>" not in instance.get("/_rtmp/stat")[1], timeout=3, interval=0.2)
        time.sleep(0.3)
        process.send_signal(signal.SIGQUIT)  # graceful: lets nginx-rtmp send publish_done
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def ffmpeg_test_pattern(
    url: str, *, size: str = "640x360", rate: int = 25, duration: float = 60
) -> list[str]:
    """ffmpeg's test pattern as an encoder would send it (keyframe every second)."""
    assert FFMPEG
    return [
        FFMPEG,
        *("-hide_banner", "-loglevel", "error", "-nostdin", "-re"),
        *("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}"),
        *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"),
        *("-t", str(duration)),
        *("-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", str(rate)),
        *("-pix_fmt", "yuv420p", "-b:v", "800k", "-c:a", "aac", "-b:a", "64k"),
        *("-f", "flv", url),
    ]


@pytest.fixture
def publisher(media: MediaServer) -> Callable[..., subprocess.Popen[bytes]]:
    def start(key: str, **kwargs: object) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            ffmpeg_test_pattern(media.rtmp(key), **kwargs),  # type: ignore[arg-type]
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        media.publishers.append(process)
        return process

    return start
