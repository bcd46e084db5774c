"""HTML forms for the settings pages.

Forms only shape and coerce input; the rules (colour format, known time zone, avatar checks,
token limits) live in services, whose ValidationErrors are put back on the form by
``add_service_errors`` so they show under the right field.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.models import PREFERENCE_FIELDS, Theme, User
from accounts.scopes import SCOPE_CHOICES
from accounts.validators import available_time_zones

DEFAULT_CHAT_COLOR = "#9b7bff"
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
EXPIRY_CHOICES = [
    ("", "Never"),
    ("7", "7 days"),
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "1 year"),
]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_time_zones())]


def add_service_errors(form: forms.Form, error: ValidationError, default_field: str | None = None) -> None:
    """Show a service's ValidationError on the form: per field when it names one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(default_field, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else default_field, messages)


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        max_length=50,
        required=False,
        help_text="Shown instead of your username on your profile and in chat.",
    )
    bio = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Up to 500 characters. Tell viewers what you stream and when.",
    )
    # The format is checked by the service (model validator) so its message is the one shown.
    chat_color = forms.CharField(
        label="Chat colour",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "color", "data-color-preview": ".chat-preview-name"}),
        help_text="The colour of your name in chat.",
    )
    time_zone = forms.CharField(
        max_length=64,
        widget=forms.Select(),
        help_text="Times across the site are shown in this zone.",
    )
    avatar = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif", "data-preview": "#avatar-preview"}
        ),
        help_text=(
            f"JPEG, PNG, WebP or GIF, up to {settings.AVATAR_MAX_BYTES // (1024 * 1024)} MB and at least "
            f"{settings.AVATAR_MIN_DIMENSION}×{settings.AVATAR_MIN_DIMENSION} pixels. We crop it to a square."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.choices = time_zone_choices()
        # A ClearableFileInput would add its own "clear" checkbox; removal is a separate button.
        self.fields["avatar"].widget = forms.FileInput(attrs=self.fields["avatar"].widget.attrs)

    @classmethod
    def for_user(cls, user: User, data: Any = None, files: Any = None) -> ProfileForm:
        initial = {
            "display_name": user.display_name,
            "bio": user.bio,
            "chat_color": user.chat_color or DEFAULT_CHAT_COLOR,
            "time_zone": user.time_zone,
        }
        return cls(data=data, files=files, initial=initial)

    def preview_color(self) -> str:
        """The colour for the chat preview: what was typed when valid, so nothing else reaches a style."""
        value = str(self["chat_color"].value() or "")
        return value if _HEX_COLOR.fullmatch(value) else DEFAULT_CHAT_COLOR

    def profile_changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("display_name", "bio", "chat_color", "time_zone")}


def _label(field: str) -> str:
    return str(getattr(User._meta.get_field(field), "verbose_name", field))


class PreferencesForm(forms.Form):
    theme = forms.ChoiceField(choices=Theme.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    email_on_go_live = forms.BooleanField(required=False, label=_label("email_on_go_live"))
    email_on_mentions = forms.BooleanField(required=False, label=_label("email_on_mentions"))
    email_product_news = forms.BooleanField(required=False, label=_label("email_product_news"))
    notify_in_app = forms.BooleanField(required=False, label=_label("notify_in_app"))

    FIELDS = PREFERENCE_FIELDS

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> PreferencesForm:
        return cls(data=data, initial={name: getattr(user, name) for name in cls.FIELDS})

    def email_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("email_on_go_live", "email_on_mentions", "email_product_news")]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=60,
        error_messages={"required": "Give the token a name so you can recognise it later."},
        widget=forms.TextInput(attrs={"placeholder": "e.g. Chat bot, OBS overlay", "autocomplete": "off"}),
        help_text="Something that tells you later what uses this token.",
    )
    scopes = forms.MultipleChoiceField(
        choices=SCOPE_CHOICES,
        error_messages={"required": "Choose at least one scope."},
        widget=forms.CheckboxSelectMultiple,
        help_text="Give the token only what it needs.",
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires",
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def token_arguments(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "scopes": list(self.cleaned_data["scopes"]),
            "expires_in_days": self.cleaned_data["expires_in_days"],
        }
