from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from channels_app.models import Channel
from streams.models import Stream

MAX_MESSAGE_LENGTH = 500


class AutomodLevel(models.IntegerChoices):
    OFF = 0, "Off"
    LOW = 1, "Low: slurs and hate"
    MEDIUM = 2, "Medium: also sexual and violent terms"
    HIGH = 3, "High: also common swearing"


class ChatSettings(models.Model):
    """A channel's chat modes and automod, set live by the broadcaster or moderators."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="chat_settings")
    slow_mode_seconds = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(120)], help_text="0 = off, else 3–120 s between messages."
    )
    followers_only_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(129_600)],
        help_text="Off when empty; 0 = any follower.",
    )
    subscribers_only = models.BooleanField(default=False)
    emote_only = models.BooleanField(default=False)
    unique_chat = models.BooleanField(
        default=False, help_text="Refuse a message identical to the sender's last."
    )
    verified_email_only = models.BooleanField(default=True)
    min_account_age_minutes = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(525_600)])
    links_allowed = models.BooleanField(default=True)
    link_allow_list = models.JSONField(default=list, blank=True, help_text="Domains always allowed.")
    automod_level = models.PositiveSmallIntegerField(choices=AutomodLevel.choices, default=AutomodLevel.LOW)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "chat settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(slow_mode_seconds=0) | Q(slow_mode_seconds__gte=3, slow_mode_seconds__lte=120),
                name="chat_slow_mode_range",
            )
        ]

    def __str__(self) -> str:
        return f"chat settings of {self.channel}"


class MessageState(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HELD = "held", "Held by automod"
    DENIED = "denied", "Denied by a moderator"


class Message(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    stream = models.ForeignKey(
        Stream, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    text = models.CharField(max_length=MAX_MESSAGE_LENGTH)
    fragments = models.JSONField(default=list)
    badges = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(max_length=8, choices=MessageState.choices, default=MessageState.VISIBLE)
    held_reason = models.CharField(max_length=200, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["channel", "-sent_at"]),
            # chat.history and the held queue, read on every connect: only rows not deleted, so a
            # cleared chat (or years of deleted messages) is not walked by every viewer who joins.
            # The condition has no parameter: SQLite cannot match a partial index's `state = 'held'`
            # to a query's bound `state = ?`, so state is a column instead.
            models.Index(
                fields=["channel", "state", "sent_at", "id"],
                condition=Q(deleted_at__isnull=True),
                name="chat_shown_by_state",
            ),
            models.Index(fields=["channel", "user", "-sent_at"]),
            models.Index(fields=["stream", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.channel}: {self.text[:40]}"

    @property
    def is_visible(self) -> bool:
        return self.state == MessageState.VISIBLE and self.deleted_at is None


class Emote(models.Model):
    """A global (channel empty) or per-channel emote, stored at 1x/2x/4x (28/56/112 px)."""

    code = models.CharField(max_length=25)
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="emotes"
    )
    image_1x = models.ImageField(upload_to="emotes/%Y/%m/")
    image_2x = models.ImageField(upload_to="emotes/%Y/%m/")
    image_4x = models.ImageField(upload_to="emotes/%Y/%m/")
    animated = models.BooleanField(default=False)
    subscriber_only = models.BooleanField(default=False, help_text="Hook: subscribers of the channel only.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "code"], name="chat_emote_code_per_channel"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(channel__isnull=True), name="chat_emote_code_global"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ChatBan(models.Model):
    """A ban (no expiry) or timeout (expires) from a channel's chat; channel empty = site-wide (staff)."""

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="chat_bans"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_bans")
    expires_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "user"], name="chat_ban_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(channel__isnull=True), name="chat_sitewide_ban_unique"
            ),
        ]

    def __str__(self) -> str:
        kind = "timeout" if self.expires_at else "ban"
        return f"{kind} of {self.user} in {self.channel or 'every channel'}"


class ModerationKind(models.TextChoices):
    DELETE = "delete", "Deleted a message"
    TIMEOUT = "timeout", "Timed out"
    BAN = "ban", "Banned"
    UNBAN = "unban", "Unbanned"
    CLEAR = "clear", "Cleared chat"
    MODE = "mode", "Changed chat modes"
    APPROVE = "approve", "Approved a held message"
    DENY = "deny", "Denied a held message"
    TERM = "term", "Changed blocked terms"


class ModerationAction(models.Model):
    """The audit log: every moderation action, who did it, to whom and why."""

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="mod_actions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mod_actions_on",
    )
    kind = models.CharField(max_length=10, choices=ModerationKind.choices)
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["channel", "-created_at"]),
            models.Index(fields=["target", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.moderator} {self.kind} {self.target or ''} in {self.channel or 'site'}"


class BlockedTerm(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="blocked_terms")
    pattern = models.CharField(
        max_length=100, help_text="A word or phrase; * matches any letters (e.g. spam*)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pattern"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "pattern"], name="chat_blocked_term_unique")
        ]

    def __str__(self) -> str:
        return self.pattern

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.pattern


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTIONED = "actioned", "Actioned"
    DISMISSED = "dismissed", "Dismissed"


class MessageReport(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="chat_report_once")]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"report of message {self.message_id} by {self.reporter}"
