from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from channels_app.validators import validate_slug_not_reserved, validate_tags

accent_color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")
slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_]{2,24}$", "Use 3–25 lowercase letters, digits and underscores.", code="invalid_slug"
)


class Category(models.Model):
    """What a channel streams (a game, "Just Chatting", "Music"...). Curated by staff in the admin.

    It lives here rather than in streams/ because Channel points at it and apps import downward only.
    """

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    box_art = models.ImageField(upload_to="categories/", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """A creator's channel: the page at /<slug>/, its stream key and its community roles.

    Owned by a user today; an organisation owner joins later (orgs/), so ownership is a nullable
    FK with a constraint that will become "exactly one owner" then.
    """

    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channels", null=True, blank=True
    )
    slug = models.CharField(
        max_length=25,
        unique=True,
        validators=[slug_validator, validate_slug_not_reserved],
        error_messages={"unique": "That channel name is taken."},
    )
    display_name = models.CharField(max_length=50, blank=True)
    title = models.CharField(max_length=140, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tags = models.JSONField(default=list, blank=True, validators=[validate_tags])
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    is_mature = models.BooleanField("mature content", default=False)

    avatar = models.ImageField(upload_to="channels/avatars/%Y/%m/", blank=True)
    banner = models.ImageField(upload_to="channels/banners/%Y/%m/", blank=True)
    accent_color = models.CharField(max_length=7, default="#9b7bff", validators=[accent_color_validator])

    abr_enabled = models.BooleanField(
        "adaptive bit-rate ladder",
        default=False,
        help_text="Transcode 720p/480p/360p renditions (costs CPU).",
    )
    # The stream key: only a keyed hash is stored; the prefix lets the owner recognise it.
    stream_key_hash = models.CharField(max_length=64, unique=True)
    stream_key_prefix = models.CharField(max_length=16)
    stream_key_created_at = models.DateTimeField(default=timezone.now)

    # Staff-curated: featured channels lead the directory's "featured" sort while live.
    featured_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Set to feature the channel; lower numbers come first."
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="channels_channel_slug_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False), name="channels_channel_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def name(self) -> str:
        return self.display_name or self.slug

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class ChannelPanel(models.Model):
    """An "about" section under the player: markdown text with an optional image and link."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="panels")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=60, blank=True)
    body = models.TextField("text (markdown)", max_length=5000, blank=True)
    image = models.ImageField(upload_to="channels/panels/%Y/%m/", blank=True)
    link_url = models.URLField(blank=True)

    class Meta:
        ordering = ["channel", "position", "id"]

    def __str__(self) -> str:
        return self.title or f"Panel {self.pk}"


class Role(models.TextChoices):
    MODERATOR = "moderator", "Moderator"
    VIP = "vip", "VIP"
    EDITOR = "editor", "Editor"


class ChannelRole(models.Model):
    """A community role the broadcaster grants: moderators keep chat civil, editors manage the stream."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_roles")
    role = models.CharField(max_length=10, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["channel", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "user", "role"], name="channels_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.channel}"


class Follow(models.Model):
    """A viewer follows a channel: the left rail, go-live notifications and followers-only chat."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="follows")
    # Per-channel switch for go-live notifications (the global e-mail switch is a user preference).
    notify = models.BooleanField("notify when live", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="channels_follow_unique")]
        indexes = [
            # The followers list and fan-out walk a channel's follows newest first / by id.
            models.Index(fields=["channel", "-created_at"], name="channels_follow_channel_new"),
            models.Index(fields=["user", "-created_at"], name="channels_follow_user_new"),
            # The go-live fan-out walks a channel's notified follows by id, in chunks.
            models.Index(
                fields=["channel", "id"], condition=models.Q(notify=True), name="channels_follow_notify_walk"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.channel}"
