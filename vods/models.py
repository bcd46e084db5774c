"""VODs (archived live sessions), watch progress and clips.

Media files live in the default storage (local files or S3) under `vods/<id>/<token>/` and
`clips/<id>/<token>/`: the random token keeps private files unguessable, and a retried
archival writes under a fresh token and then removes the old one, so no stray files remain.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from channels_app.models import Channel
from streams.models import Stream


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    SUBSCRIBERS = "subscribers", "Subscribers only"
    PRIVATE = "private", "Private"


class VODStatus(models.TextChoices):
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class VOD(models.Model):
    """The archive of one live session: one per stream (archival is idempotent per stream)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="vods")
    stream = models.OneToOneField(Stream, on_delete=models.CASCADE, related_name="vod")
    title = models.CharField(max_length=140, blank=True)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    status = models.CharField(max_length=10, choices=VODStatus.choices, default=VODStatus.PROCESSING)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Where the files are: `<storage_prefix>/index.m3u8`, its segments, poster.jpg, strip.jpg.
    storage_prefix = models.CharField(max_length=200, blank=True)
    duration = models.FloatField(default=0.0, help_text="Seconds, measured by ffprobe.")
    size_bytes = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    poster = models.CharField(max_length=255, blank=True, help_text="Storage name of the poster JPEG.")
    # The scrubbing strip: one JPEG of `strip_columns` tiles per row, one tile every
    # `strip_interval` seconds, each `strip_tile_width` x `strip_tile_height` pixels.
    strip = models.CharField(max_length=255, blank=True)
    strip_interval = models.FloatField(default=0.0)
    strip_columns = models.PositiveSmallIntegerField(default=0)
    strip_tile_width = models.PositiveSmallIntegerField(default=0)
    strip_tile_height = models.PositiveSmallIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "VOD"
        indexes = [
            models.Index(fields=["channel", "status", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title or f"VOD {self.pk} of {self.channel}"

    @property
    def is_ready(self) -> bool:
        return self.status == VODStatus.READY


class VODSettings(models.Model):
    """Per-channel archive settings (the channel row belongs to channels_app)."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="vod_settings")
    archive_enabled = models.BooleanField(default=True)
    default_visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    retention_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Delete VODs older than this many days; empty keeps them forever.",
    )

    class Meta:
        verbose_name = "VOD settings"
        verbose_name_plural = "VOD settings"

    def __str__(self) -> str:
        return f"VOD settings of {self.channel}"


class WatchProgress(models.Model):
    """Where a signed-in viewer stopped in a VOD, to resume there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_progress"
    )
    vod = models.ForeignKey(VOD, on_delete=models.CASCADE, related_name="watch_progress")
    position = models.FloatField(default=0.0, validators=[MinValueValidator(0.0)])
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "vod"], name="vods_one_progress_per_user_vod")]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.position:.0f}s of VOD {self.vod_id}"


class ClipStatus(models.TextChoices):
    PENDING = "pending", "Waiting to render"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Clip(models.Model):
    """A 5-60 s excerpt of a live stream's recording or of a VOD, rendered frame-exact to MP4.

    `start` is in seconds from the beginning of the source (the stream's recording or the VOD).
    A clip is made from a source (the services check it) but outlives it: the rendered MP4 stands
    alone, so deleting the VOD or the session only clears the link. (A "has a source" check
    constraint made every such delete, and so deleting a channel, fail with an IntegrityError.)
    """

    MIN_SECONDS = 5.0
    MAX_SECONDS = 60.0

    slug = models.SlugField(max_length=24, unique=True, default=new_token)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="clips")
    stream = models.ForeignKey(Stream, on_delete=models.SET_NULL, null=True, blank=True, related_name="clips")
    vod = models.ForeignKey(VOD, on_delete=models.SET_NULL, null=True, blank=True, related_name="clips")
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="clips_made"
    )
    title = models.CharField(max_length=100)
    start = models.FloatField(validators=[MinValueValidator(0.0)])
    duration = models.FloatField(validators=[MinValueValidator(MIN_SECONDS), MaxValueValidator(MAX_SECONDS)])
    status = models.CharField(max_length=10, choices=ClipStatus.choices, default=ClipStatus.PENDING)
    failure_reason = models.TextField(blank=True)
    video = models.CharField(max_length=255, blank=True, help_text="Storage name of the MP4.")
    poster = models.CharField(max_length=255, blank=True, help_text="Storage name of the poster JPEG.")
    rendered_duration = models.FloatField(null=True, blank=True, help_text="Seconds, measured by ffprobe.")
    views = models.PositiveIntegerField(default=0)
    likes_count = models.PositiveIntegerField(default=0)
    featured = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=5.0) & Q(duration__lte=60.0), name="vods_clip_duration_5_to_60"
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["status", "-likes_count"]),
        ]

    def __str__(self) -> str:
        return self.title


class ClipLike(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clip_likes")
    clip = models.ForeignKey(Clip, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "clip"], name="vods_one_like_per_user_clip")]
        indexes = [models.Index(fields=["clip", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.clip_id}"
