from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from channels_app.models import Channel


class NotificationKind(models.TextChoices):
    LIVE = "live", "Channel went live"


class Notification(models.Model):
    """One in-app notice for one person (the bell). Rows are written in bulk by the go-live fan-out."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices, default=NotificationKind.LIVE)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # A plain id, not a foreign key: the notice outlives the session row and costs no join.
    stream_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    text = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="social_notif_recipient_new"),
            # The bell's unread count: only unread rows are in this index, so it stays small.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="social_notif_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class GoLiveNotice(models.Model):
    """When a channel's followers were last told it went live: one row per channel.

    A conditional UPDATE on this row is the claim that makes "notify once per reconnect window"
    hold across processes and workers (a cache key could be evicted; the row cannot).
    """

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="+")
    stream_id = models.BigIntegerField(null=True, blank=True)
    notified_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.channel_id} notified at {self.notified_at:%Y-%m-%d %H:%M}"
