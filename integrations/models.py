"""OBS alerts: one settings row per channel (with its overlay secret), one rule per event kind,
and a log of the alerts that fired (replayed in the dashboard's history)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from channels_app.models import Channel


class AlertKind(models.TextChoices):
    FOLLOW = "follow", "Follow"
    SUBSCRIPTION = "subscription", "Subscription"
    GIFT = "gift", "Gifted subscriptions"
    DONATION = "donation", "Donation"
    RAID = "raid", "Raid"


class AlertSound(models.TextChoices):
    NONE = "", "No sound"
    CHIME = "chime", "Chime"
    POP = "pop", "Pop"
    COINS = "coins", "Coins"
    FANFARE = "fanfare", "Fanfare"


# Placeholders a message template may use; anything else is refused when the rule is saved.
TEMPLATE_FIELDS = ("name", "amount", "months", "tier", "count", "viewers")

DEFAULT_TEMPLATES = {
    AlertKind.FOLLOW: "{name} just followed!",
    AlertKind.SUBSCRIPTION: "{name} just subscribed!",
    AlertKind.GIFT: "{name} gifted {count} subs!",
    AlertKind.DONATION: "{name} donated {amount}!",
    AlertKind.RAID: "{name} is raiding with {viewers} viewers!",
}
DEFAULT_SOUNDS = {
    AlertKind.FOLLOW: AlertSound.POP,
    AlertKind.SUBSCRIPTION: AlertSound.CHIME,
    AlertKind.GIFT: AlertSound.FANFARE,
    AlertKind.DONATION: AlertSound.COINS,
    AlertKind.RAID: AlertSound.FANFARE,
}


def validate_message_template(value: str) -> None:
    try:
        parts = [
            (field, spec, conv)
            for _, field, spec, conv in string.Formatter().parse(value)
            if field is not None
        ]
    except ValueError as error:
        raise ValidationError("Unbalanced braces: write {name}, {amount}… or double a brace ({{).") from error
    # A format spec such as {name:>999999} would let a template allocate megabytes per alert.
    if any(spec or conv for _, spec, conv in parts):
        raise ValidationError("Placeholders take no format: write {name}, not {name:…} or {name!r}.")
    names = {field for field, _, _ in parts}
    unknown = sorted(name for name in names if name not in TEMPLATE_FIELDS)
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in TEMPLATE_FIELDS)
        raise ValidationError(f"Unknown placeholder {{{unknown[0]}}}. Use {allowed}.")


class AlertSettings(models.Model):
    """A channel's alert box: the overlay secret and what is shared by every kind of alert."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="alert_settings")
    # Stored in clear because the dashboard shows the overlay URL again (it is a read-only
    # capability, like an unlisted link); rotation replaces it and closes the open overlays.
    token = models.CharField(max_length=64, unique=True)
    token_version = models.PositiveIntegerField(default=1)
    token_rotated_at = models.DateTimeField(auto_now_add=True)
    volume = models.PositiveSmallIntegerField(
        default=70, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="0–100 %."
    )
    tts_min_amount_cents = models.PositiveIntegerField(
        "text-to-speech minimum (cents)",
        default=0,
        validators=[MaxValueValidator(100_000_00)],
        help_text="Donations below this are shown but not read aloud.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "alert settings"
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return f"Alerts of {self.channel.slug}"

    @property
    def token_hint(self) -> str:
        """What may be shown anywhere (admin, logs): the first characters only."""
        return f"{self.token[:6]}…" if self.token else ""


class AlertRule(models.Model):
    """How one kind of event shows on the overlay."""

    settings = models.ForeignKey(AlertSettings, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    enabled = models.BooleanField(default=True)
    min_amount_cents = models.PositiveIntegerField(
        "minimum amount (cents)",
        default=0,
        validators=[MaxValueValidator(100_000_00)],
        help_text="Donations only: smaller ones do not alert.",
    )
    duration_seconds = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(2), MaxValueValidator(30)], help_text="2–30 seconds."
    )
    sound = models.CharField(max_length=16, choices=AlertSound.choices, default=AlertSound.CHIME, blank=True)
    tts = models.BooleanField("read aloud", default=False, help_text="Text-to-speech of the alert.")
    message_template = models.CharField(max_length=120, validators=[validate_message_template])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["settings", "kind"], name="alert_rule_one_per_kind")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} alerts"


class AlertEvent(models.Model):
    """An alert that fired: what the overlay was sent (test alerts are never logged)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="alert_events")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "-created_at"], name="alert_event_recent")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} alert on {self.channel_id}"
