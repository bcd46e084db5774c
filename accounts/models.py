from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.validators import time_zone_validator, username_validators

chat_color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")


class Theme(models.TextChoices):
    DARK = "dark", "Dark"
    LIGHT = "light", "Light"
    SYSTEM = "system", "Match my device"


# What a person may change about themselves (settings pages, PATCH /api/v1/me/, admin).
PROFILE_FIELDS = ("display_name", "bio", "chat_color", "time_zone")
PREFERENCE_FIELDS = (
    "theme",
    "language",
    "email_on_go_live",
    "email_on_mentions",
    "email_product_news",
    "notify_in_app",
)


class User(AbstractUser):
    """A person on the platform: viewer, creator, moderator or staff.

    Preferences live on the row (one read per request is already paid for by auth).
    """

    username = models.CharField(
        max_length=25,
        unique=True,
        validators=username_validators,
        help_text="3–25 characters: letters, digits and underscores.",
        error_messages={"unique": "That username is taken."},
    )
    email = models.EmailField(
        "e-mail address", unique=True, error_messages={"unique": "That e-mail is in use."}
    )
    display_name = models.CharField(max_length=50, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    bio = models.TextField(max_length=500, blank=True)
    chat_color = models.CharField(max_length=7, blank=True, validators=[chat_color_validator])
    time_zone = models.CharField(max_length=64, default="UTC", validators=[time_zone_validator])

    theme = models.CharField(max_length=6, choices=Theme.choices, default=Theme.DARK)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    email_on_go_live = models.BooleanField("E-mail me when channels I follow go live", default=True)
    email_on_mentions = models.BooleanField("E-mail me when someone mentions me", default=False)
    email_product_news = models.BooleanField("E-mail me product news", default=False)
    notify_in_app = models.BooleanField("Show in-app notifications", default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A personal API token for bots and scripts. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=12, help_text="Shown so the owner can recognise the token.")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
