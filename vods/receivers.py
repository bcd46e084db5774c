"""vods reacting to streams: an ended session with recordings is archived.

nginx-rtmp may send record_done before or after publish_done, so both events are heard and
the archival starts on whichever comes second (the stream has ended AND has a recording).
A duplicate start is harmless: archival is idempotent per stream.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from streams.models import Stream
from streams.signals import recording_finished, stream_ended
from vods.models import VODStatus
from vods.services import archive


@receiver(recording_finished)
def archive_on_recording(sender: Any, stream: Stream, path: str, **kwargs: Any) -> None:
    stream.refresh_from_db(fields=["status", "recordings"])
    if not stream.is_live:
        _archive(stream, countdown=0)


@receiver(stream_ended)
def archive_on_end(sender: Any, stream: Stream, **kwargs: Any) -> None:
    stream.refresh_from_db(fields=["status", "recordings"])
    if stream.recordings:
        # A short wait lets a late record_done of a split recording join this archive.
        _archive(stream, countdown=settings.VODS_ARCHIVE_DELAY_SECONDS)


def _archive(stream: Stream, *, countdown: float) -> None:
    vod = archive.vod_create_for_stream(stream=stream)
    if vod is not None and vod.status == VODStatus.PROCESSING:
        archive.vod_enqueue(vod=vod, countdown=countdown)
