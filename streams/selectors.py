"""Reads on streams: the public status of a channel's stream, sessions, health and samples."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from channels_app.models import Channel
from streams import directory, presence
from streams.models import HealthSample, Stream, StreamStatus


def live_stream(*, channel: Channel) -> Stream | None:
    return Stream.objects.select_related("category").filter(channel=channel, status=StreamStatus.LIVE).first()


def last_stream(*, channel: Channel) -> Stream | None:
    return Stream.objects.select_related("category").filter(channel=channel).order_by("-started_at").first()


def live_streams() -> QuerySet[Stream]:
    return Stream.objects.select_related("channel", "category").filter(status=StreamStatus.LIVE)


def hls_url(*, channel: Channel) -> str:
    """The public playlist: the channel's slug names it, never the stream key."""
    name = "index.m3u8"  # master playlist when the ladder is on, the source rendition otherwise
    return f"{settings.HLS_URL.rstrip('/')}/{channel.slug}/{name}"


def stream_status(*, channel: Channel) -> dict[str, Any]:
    """The `stream.status` frame and GET /api/v1/channels/{slug}/stream."""
    stream = live_stream(channel=channel)
    if stream is None:
        last = last_stream(channel=channel)
        return {
            "status": "offline",
            "channel": channel.slug,
            "title": channel.title,
            "category": channel.category.name if channel.category else None,
            "tags": channel.tags,
            "viewer_count": 0,
            "hls_url": None,
            "started_at": None,
            "last_live_at": (last.ended_at or last.started_at).isoformat() if last else None,
        }
    return {
        "status": "live",
        "channel": channel.slug,
        "stream_id": stream.pk,
        "title": stream.title,
        "category": stream.category.name if stream.category else None,
        "tags": stream.tags,
        "viewer_count": presence.viewer_count(channel.slug),
        "hls_url": hls_url(channel=channel),
        "abr": channel.abr_enabled,
        "started_at": stream.started_at.isoformat(),
        "thumbnail_url": stream.thumbnail.url if stream.thumbnail else None,
    }


def live_now(*, limit: int = 12) -> list[Stream]:
    """Live streams for the home page's cards, most watched first (the directory's selector)."""
    return directory.live_now(limit=limit)


def health_payload(sample: HealthSample) -> dict[str, Any]:
    return {
        "taken_at": sample.taken_at.isoformat(),
        "bitrate_in": sample.bitrate_in,
        "bitrate_video": sample.bitrate_video,
        "bitrate_audio": sample.bitrate_audio,
        "fps_declared": sample.fps_declared,
        "fps_measured": sample.fps_measured,
        "width": sample.width,
        "height": sample.height,
        "dropped_frames": sample.dropped_frames,
        "video_codec": sample.video_codec,
        "audio_codec": sample.audio_codec,
    }


def health_history(*, stream: Stream, limit: int = 120) -> list[HealthSample]:
    samples = HealthSample.objects.filter(stream=stream).order_by("-taken_at")[:limit]
    return list(reversed(samples))


def channel_streams(*, channel: Channel) -> QuerySet[Stream]:
    return Stream.objects.select_related("category").filter(channel=channel).order_by("-started_at")


def health_recent(*, stream: Stream, minutes: int = 10, limit: int = 240) -> list[HealthSample]:
    """The samples of the last few minutes, oldest first: what the dashboard's health chart draws."""
    since = timezone.now() - timedelta(minutes=minutes)
    samples = HealthSample.objects.filter(stream=stream, taken_at__gte=since).order_by("-taken_at")[:limit]
    return list(reversed(samples))
