"""Periodic stream housekeeping (beat): stale sessions, viewer samples, trending scores."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from streams import audience, presence, selectors, services, stats, thumbnails, trending


@shared_task(ignore_result=True)
def end_stale_streams() -> int:
    return services.streams_end_stale()


@shared_task(ignore_result=True)
def sample_viewers() -> int:
    """Store each live stream's viewer count (every minute): a sample, `viewer_count` and the peak."""
    streams = list(selectors.live_streams())
    for stream in streams:
        viewers = presence.viewer_count(stream.channel.slug)
        services.stream_record_viewers(stream=stream, viewers=viewers)
        audience.stream_accumulate_audience(stream=stream, viewers=viewers)
    return len(streams)


@shared_task(ignore_result=True, soft_time_limit=9)
def poll_stream_health() -> int:
    """Read nginx-rtmp's /stat and store a health sample per live stream (every 10 s)."""
    return stats.streams_poll_health()


# Runs ffmpeg: route it to the media queue (CELERY_TASK_ROUTES) so it never delays notifications.
@shared_task(ignore_result=True, soft_time_limit=55)
def grab_thumbnails() -> int:
    """A fresh frame of each live stream, every minute: cards and the player's poster."""
    return thumbnails.streams_grab_thumbnails()


@shared_task(ignore_result=True, soft_time_limit=50)
def compute_trending() -> int:
    """Every minute: viewer growth and chat activity into `Stream.trending_score`."""
    now = timezone.now()
    activity = trending.activity_counts(since=now - trending.ACTIVITY_WINDOW)
    return trending.streams_compute_trending(activity=activity, now=now)
