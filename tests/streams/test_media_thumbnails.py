"""Live thumbnails grabbed with ffmpeg from the newest HLS segment into the default storage."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from streams import tasks, thumbnails
from streams.models import Stream
from tests.streams.conftest import needs_media, wait_for
from tests.streams.helpers import make_channel

JPEG = b"\xff\xd8\xff"


@pytest.mark.media
def test_grab_thumbnails_stores_a_jpeg_per_live_stream_and_replaces_the_old_one(media, publisher):
    channel, key = make_channel()
    publisher(key)
    wait_for(lambda: media.get(f"/hls/{channel.slug}/index.m3u8")[0] == 200, timeout=10)

    assert tasks.grab_thumbnails() == 1
    stream = Stream.objects.get()
    first = stream.thumbnail.name
    assert first.startswith("thumbnails/") and first.endswith(".jpg")
    assert default_storage.open(first).read()[:3] == JPEG

    assert tasks.grab_thumbnails() == 1
    stream.refresh_from_db()
    assert stream.thumbnail.name != first
    assert not default_storage.exists(first)


@needs_media
def test_frame_source_falls_back_to_the_local_rtmp_stream(settings, tmp_path):
    settings.HLS_DIR = tmp_path
    settings.RTMP_PORT = 19444

    assert thumbnails.frame_source("nova") == "rtmp://127.0.0.1:19444/live/nova"


@needs_media
def test_grab_frame_of_nothing_is_none(tmp_path):
    assert thumbnails.grab_frame(str(tmp_path / "missing.ts")) is None
