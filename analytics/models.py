"""Analytics' own data: raw events (follow changes, page visits) and the roll-ups built from them.

Raw rows are kept ANALYTICS_RAW_RETENTION_DAYS; roll-ups forever. Roll-ups are recomputed from
raw rows (never incremented), so re-running a roll-up changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from channels_app.models import Channel
from streams.models import Stream

UTM_MAX_LENGTH = 100
HOST_MAX_LENGTH = 253  # the longest DNS name


class Source(models.TextChoices):
    DIRECT = "direct", "Direct"
    SEARCH = "search", "Search engines"
    SOCIAL = "social", "Social media"
    INTERNAL = "internal", "This site"
    EXTERNAL = "external", "Other websites"
    EMBED = "embed", "Embedded player"


class FollowEvent(models.Model):
    """+1 for a follow, −1 for an unfollow (Follow rows are deleted on unfollow: growth needs both)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    delta = models.SmallIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["at", "channel"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(delta__in=[1, -1]), name="analytics_follow_delta")
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.delta:+d} at {self.at:%Y-%m-%d %H:%M}"


class PageVisit(models.Model):
    """A player page view (channel page or embed) reported by the page's beacon.

    Privacy: only the referrer's host is kept, and the visitor is a hash salted per day (the salt
    is thrown away), so visits cannot be linked across days or back to an address.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    stream = models.ForeignKey(Stream, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, choices=Source.choices)
    referrer_host = models.CharField(max_length=HOST_MAX_LENGTH, blank=True)
    utm_source = models.CharField(max_length=UTM_MAX_LENGTH, blank=True)
    utm_medium = models.CharField(max_length=UTM_MAX_LENGTH, blank=True)
    utm_campaign = models.CharField(max_length=UTM_MAX_LENGTH, blank=True)
    visitor_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["at", "channel"]),
            models.Index(fields=["channel", "visitor_hash", "at"]),  # the 30-minute dedupe
            models.Index(fields=["stream"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.source} at {self.at:%Y-%m-%d %H:%M}"


class BucketStats(models.Model):
    """One channel's figures over one bucket (an hour or a UTC day), recomputed from raw data.

    Streams are attributed to the bucket they started in for unique viewers and watch time (the
    distinct-viewer count of a stream is one HyperLogLog that cannot be split by hour).
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    bucket = models.DateTimeField()
    viewer_minutes = models.PositiveBigIntegerField(default=0)
    sampled_minutes = models.PositiveIntegerField(default=0)
    average_viewers = models.FloatField(default=0.0)
    peak_viewers = models.PositiveIntegerField(default=0)
    streamed_seconds = models.PositiveIntegerField(default=0)
    streams_started = models.PositiveIntegerField(default=0)
    unique_viewers = models.PositiveIntegerField(default=0)
    watch_seconds = models.PositiveBigIntegerField(default=0)
    chat_messages = models.PositiveIntegerField(default=0)
    follows = models.PositiveIntegerField(default=0)
    unfollows = models.PositiveIntegerField(default=0)
    page_visits = models.PositiveIntegerField(default=0)
    unique_visitors = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["channel", "bucket"]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.bucket:%Y-%m-%d %H:%M}"

    @property
    def net_followers(self) -> int:
        return self.follows - self.unfollows


class ChannelHourlyStats(BucketStats):
    class Meta(BucketStats.Meta):
        verbose_name_plural = "channel hourly stats"
        constraints = [models.UniqueConstraint(fields=["channel", "bucket"], name="analytics_hourly_unique")]


class ChannelDailyStats(BucketStats):
    class Meta(BucketStats.Meta):
        verbose_name_plural = "channel daily stats"
        constraints = [models.UniqueConstraint(fields=["channel", "bucket"], name="analytics_daily_unique")]


class TrafficDaily(models.Model):
    """Visits per UTC day by source, referrer host and utm tags (empty string when absent)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    source = models.CharField(max_length=8, choices=Source.choices)
    referrer_host = models.CharField(max_length=HOST_MAX_LENGTH, blank=True)
    utm_source = models.CharField(max_length=UTM_MAX_LENGTH, blank=True)
    utm_medium = models.CharField(max_length=UTM_MAX_LENGTH, blank=True)
    utm_campaign = models.CharField(max_length=UTM_MAX_LENGTH, blank=True)
    visits = models.PositiveIntegerField(default=0)
    unique_visitors = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "traffic daily"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "channel",
                    "day",
                    "source",
                    "referrer_host",
                    "utm_source",
                    "utm_medium",
                    "utm_campaign",
                ],
                name="analytics_traffic_unique",
            )
        ]
        indexes = [models.Index(fields=["channel", "day"])]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.day} {self.source}: {self.visits}"
