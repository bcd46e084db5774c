"""Periodic stream housekeeping (beat): stale sessions, viewer samples."""

from __future__ import annotations

from celery import shared_task

from streams import presence, selectors, services


@shared_task(ignore_result=True)
def end_stale_streams() -> int:
    return services.streams_end_stale()


@shared_task(ignore_result=True)
def sample_viewers() -> int:
    """Store each live stream's viewer count (every minute) and keep its peak."""
    streams = list(selectors.live_streams())
    for stream in streams:
        services.stream_record_viewers(stream=stream, viewers=presence.viewer_count(stream.channel.slug))
    return len(streams)


@shared_task(ignore_result=True)
def poll_stream_health() -> int:
    """Read nginx-rtmp's /stat and store a health sample per live stream (filled in by the media work)."""
    return 0


@shared_task(ignore_result=True)
def grab_thumbnails() -> int:
    """Grab a frame of each live stream with ffmpeg (filled in by the media work)."""
    return 0
