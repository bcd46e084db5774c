"""End to end: ffmpeg publishes through real nginx-rtmp, the stream ends, record_done arrives, and a
real Celery worker on the `media` queue turns the recording into a ready VOD (eager without Redis)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from streams.models import Stream, StreamStatus
from tests.streams.conftest import wait_for
from tests.streams.helpers import make_channel
from vods import storage as vod_storage
from vods.models import VOD, VODStatus

pytestmark = [pytest.mark.media]
SENT_SECONDS = 5


def ffprobe_duration(path: str) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", path],
        capture_output=True,
        check=True,
    ).stdout
    return float(json.loads(out)["format"]["duration"])


def test_a_short_stream_ends_and_its_vod_becomes_ready_and_playable(media, publisher, media_worker, settings):
    settings.VODS_ARCHIVE_DELAY_SECONDS = 1
    channel, key = make_channel(title="Five seconds of fame")
    encoder = publisher(key, duration=SENT_SECONDS)
    wait_for(lambda: Stream.objects.filter(status=StreamStatus.LIVE).exists(), timeout=10)
    assert encoder.wait(timeout=30) == 0

    def ready() -> VOD | None:
        return VOD.objects.filter(status=VODStatus.READY).first()

    try:
        vod = wait_for(ready, timeout=60)
    except AssertionError:
        raise AssertionError(list(VOD.objects.values("status", "failure_reason", "attempts"))) from None
    assert isinstance(vod, VOD)
    stream = Stream.objects.get()
    assert stream.status == StreamStatus.ENDED and vod.stream == stream and vod.channel == channel
    assert vod.title == "Five seconds of fame" and vod.progress == 100 and vod.attempts == 1
    playlist = default_storage.path(f"{vod.storage_prefix}/index.m3u8")
    assert abs(ffprobe_duration(playlist) - SENT_SECONDS) < 1
    assert abs(vod.duration - SENT_SECONDS) < 1
    assert default_storage.exists(vod.poster) and default_storage.exists(vod.strip)
    names = vod_storage.list_tree(vod_storage.vod_root(vod.pk))
    assert {name.rsplit("/", 1)[0] for name in names} == {vod.storage_prefix}
    (recording,) = stream.recordings
    assert recording.startswith(str(media.recordings_dir))
    assert not Path(recording).exists()  # the raw FLV is deleted after success
