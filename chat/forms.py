"""Forms of the dashboard's Chat & moderation page: they shape input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from chat.models import ChatSettings

SLOW_MODE_CHOICES = [
    (0, "Off"),
    (3, "3 seconds"),
    (5, "5 seconds"),
    (10, "10 seconds"),
    (30, "30 seconds"),
    (60, "1 minute"),
    (120, "2 minutes"),
]


class ChatModesForm(forms.Form):
    slow_mode_seconds = forms.TypedChoiceField(
        label="Slow mode",
        choices=SLOW_MODE_CHOICES,
        coerce=int,
        help_text="How long each viewer waits between messages. Moderators are never slowed.",
    )
    followers_only = forms.BooleanField(
        label="Followers-only", required=False, help_text="Only followers can chat."
    )
    followers_only_minutes = forms.IntegerField(
        label="Following for at least (minutes)",
        min_value=0,
        max_value=129_600,
        required=False,
        help_text="0 lets any follower chat; up to 90 days.",
    )
    subscribers_only = forms.BooleanField(label="Subscribers-only", required=False)
    emote_only = forms.BooleanField(label="Emote-only", required=False, help_text="Messages of emotes only.")
    unique_chat = forms.BooleanField(
        label="Unique chat", required=False, help_text="Refuse a message identical to the sender’s last."
    )
    verified_email_only = forms.BooleanField(
        label="Verified e-mail only", required=False, help_text="Viewers confirm their address first."
    )
    min_account_age_minutes = forms.IntegerField(
        label="Minimum account age (minutes)",
        min_value=0,
        max_value=525_600,
        help_text="0 = any account. 1440 = one day.",
    )

    @classmethod
    def for_settings(cls, chat: ChatSettings, data: Any = None) -> ChatModesForm:
        initial = {
            "slow_mode_seconds": chat.slow_mode_seconds,
            "followers_only": chat.followers_only_minutes is not None,
            "followers_only_minutes": chat.followers_only_minutes or 0,
            "subscribers_only": chat.subscribers_only,
            "emote_only": chat.emote_only,
            "unique_chat": chat.unique_chat,
            "verified_email_only": chat.verified_email_only,
            "min_account_age_minutes": chat.min_account_age_minutes,
        }
        return cls(data, initial=initial)

    def modes(self) -> dict[str, Any]:
        """The service's keyword arguments: followers-only off is None, on is a number of minutes."""
        data = dict(self.cleaned_data)
        enabled = data.pop("followers_only")
        minutes = data.pop("followers_only_minutes")
        data["followers_only_minutes"] = (minutes or 0) if enabled else None
        return data


class BlockedTermForm(forms.Form):
    pattern = forms.CharField(
        label="Blocked term",
        max_length=100,
        help_text="A word or phrase; * matches any letters (spam* blocks spammer and spamming).",
        widget=forms.TextInput(attrs={"placeholder": "e.g. spam*", "autocomplete": "off"}),
    )
