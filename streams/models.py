from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from channels_app.models import Category, Channel


class StreamStatus(models.TextChoices):
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class EndReason(models.TextChoices):
    PUBLISHER_LEFT = "publisher_left", "The encoder stopped"
    REPLACED = "replaced", "A new connection took over"
    STALE = "stale", "The ingest server stopped reporting"
    KEY_ROTATED = "key_rotated", "The stream key was rotated"
    SUSPENDED = "suspended", "The channel was suspended"
    ENDED_BY_CREATOR = "ended_by_creator", "Ended from the dashboard"
    ENDED_BY_STAFF = "ended_by_staff", "Ended by staff"


class Stream(models.Model):
    """One live session of a channel, from the encoder's publish to its end.

    At most one is live per channel (a partial unique constraint). The ingest node and the
    nginx-rtmp client id identify the publisher, so late or duplicated callbacks find the
    session they belong to even after the key was rotated.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="streams")
    status = models.CharField(max_length=5, choices=StreamStatus.choices, default=StreamStatus.LIVE)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_update_at = models.DateTimeField(default=timezone.now)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    # Snapshot of the channel when the session started (edited live with the channel).
    title = models.CharField(max_length=140, blank=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tags = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, blank=True)

    ingest_node = models.CharField(max_length=100, help_text="Address of the nginx-rtmp node that called.")
    ingest_client_id = models.CharField(max_length=32)
    publisher_addr = models.GenericIPAddressField(null=True, blank=True)
    recordings = models.JSONField(default=list, blank=True, help_text="FLV files from record_done.")
    thumbnail = models.ImageField(upload_to="thumbnails/%Y/%m/%d/", blank=True)
    peak_viewers = models.PositiveIntegerField(default=0)
    # Denormalised figures the directory sorts on and the dashboard reports, refreshed by beat
    # tasks from presence (Redis) so a page never asks Redis once per card.
    viewer_count = models.PositiveIntegerField(default=0, help_text="Viewers at the last sample.")
    unique_viewers = models.PositiveIntegerField(default=0)
    watch_seconds = models.PositiveBigIntegerField(default=0, help_text="Sum of viewer-seconds watched.")
    trending_score = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel"], condition=Q(status="live"), name="streams_one_live_per_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["ingest_node", "ingest_client_id"]),
            models.Index(fields=["status", "last_update_at"]),
            models.Index(fields=["channel", "-started_at"]),
            models.Index(fields=["status", "-viewer_count"], name="streams_live_by_viewers"),
            models.Index(fields=["status", "-trending_score"], name="streams_live_by_trending"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} @ {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status == StreamStatus.LIVE

    @property
    def duration_seconds(self) -> int:
        end = self.ended_at or timezone.now()
        return max(0, int((end - self.started_at).total_seconds()))


class HealthSample(models.Model):
    """The encoder's health at one moment, read from nginx-rtmp's /stat (and ffprobe for real fps)."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="health_samples")
    taken_at = models.DateTimeField(default=timezone.now)
    bitrate_in = models.PositiveIntegerField(default=0, help_text="bit/s")
    bitrate_video = models.PositiveIntegerField(default=0, help_text="bit/s")
    bitrate_audio = models.PositiveIntegerField(default=0, help_text="bit/s")
    fps_declared = models.FloatField(null=True, blank=True)
    fps_measured = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    video_codec = models.CharField(max_length=20, blank=True)
    audio_codec = models.CharField(max_length=20, blank=True)
    dropped_frames = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["stream", "taken_at"]
        indexes = [models.Index(fields=["stream", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.stream_id} {self.taken_at:%H:%M:%S}: {self.bitrate_in // 1000} kbit/s"


class ViewerSample(models.Model):
    """Concurrent viewers of a live stream, sampled every minute (analytics build on these)."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="viewer_samples")
    taken_at = models.DateTimeField(default=timezone.now)
    viewers = models.PositiveIntegerField()

    class Meta:
        ordering = ["stream", "taken_at"]
        indexes = [models.Index(fields=["stream", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.stream_id} {self.taken_at:%H:%M}: {self.viewers} viewers"
