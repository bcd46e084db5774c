"""Live thumbnails: one frame of each live stream, every minute, into the default storage."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from streams import selectors
from streams.mediaconfig import INGEST_APP, local_rtmp_url
from streams.models import Stream
from streams.stats import newest_segment

logger = logging.getLogger(__name__)
WIDTH = 640


def frame_source(slug: str) -> str:
    """The newest complete HLS segment here, else the local RTMP stream (play is localhost-only)."""
    found = newest_segment(Path(settings.HLS_DIR) / slug / "index.m3u8")
    if found and found[0].exists():
        return str(found[0])
    return local_rtmp_url(INGEST_APP, slug)


def grab_frame(source: str, *, timeout: float = 15) -> bytes | None:
    """One JPEG frame of a video (a file or an RTMP URL), WIDTH pixels wide."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    command = [
        *(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin"),
        *(("-rw_timeout", "10000000") if source.startswith("rtmp://") else ()),
        *("-i", source, "-frames:v", "1", "-vf", f"scale={WIDTH}:-2"),
        *("-c:v", "mjpeg", "-q:v", "4", "-f", "image2pipe", "pipe:1"),
    ]
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=True)  # noqa: S603
    except (subprocess.SubprocessError, OSError) as exc:
        # The source names the slug (or a file under HLS_DIR), never the key.
        logger.warning("thumbnail: ffmpeg failed on %s: %s", source, exc)
        return None
    return result.stdout or None


def stream_set_thumbnail(*, stream: Stream, image: bytes) -> Stream:
    """Store a thumbnail under a fresh name (no stale cached copy); the old file goes after commit."""
    field = stream.thumbnail
    old_name = field.name if field else ""
    with transaction.atomic():
        field.save(f"{stream.channel.slug}-{stream.pk}.jpg", ContentFile(image), save=False)
        stream.save(update_fields=["thumbnail"])
        if old_name and old_name != field.name:
            storage = field.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return stream


def streams_grab_thumbnails() -> int:
    """A fresh thumbnail for every live stream; returns how many were stored."""
    stored = 0
    for stream in selectors.live_streams().select_related("channel"):
        image = grab_frame(frame_source(stream.channel.slug))
        if image:
            stream_set_thumbnail(stream=stream, image=image)
            stored += 1
    return stored
