"""HTML forms for the creator dashboard.

Forms only shape input (a comma-separated tag list becomes a list, a username becomes a user);
the rules live in channels_app.services, whose ValidationErrors go back onto the form through
``add_service_errors`` so a bad slug or colour is a 200 with a message, never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from accounts import selectors as account_selectors
from accounts.forms import add_service_errors
from channels_app import selectors
from channels_app.models import Channel, ChannelPanel, Role

__all__ = [
    "ChannelCreateForm",
    "ChannelImagesForm",
    "ChannelSettingsForm",
    "PanelForm",
    "RoleGrantForm",
    "StreamInfoForm",
    "add_service_errors",
]

IMAGE_ACCEPT = "image/png,image/jpeg,image/webp,image/gif"
_MB = 1024 * 1024


class CategoryField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=selectors.categories_active(), required=False, empty_label="No category", **kwargs
        )


class ChannelCreateForm(forms.Form):
    slug = forms.CharField(
        label="Channel name",
        max_length=25,
        help_text="Your address: 3–25 lowercase letters, digits and underscores. It can’t be changed later.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "placeholder": "e.g. pixel_pilot",
            }
        ),
    )
    display_name = forms.CharField(
        max_length=50,
        required=False,
        help_text="How the name is written on your page, e.g. “Pixel Pilot”. Defaults to your name.",
    )
    title = forms.CharField(
        label="Stream title",
        max_length=140,
        required=False,
        help_text="What viewers see under the player. You can change it any time, even live.",
    )
    category = CategoryField()

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).strip().lower()

    def channel_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"display_name": data["display_name"], "title": data["title"], "category": data["category"]}


def tags_to_text(tags: list[str]) -> str:
    return ", ".join(tags)


class StreamInfoForm(forms.Form):
    """What viewers see about the stream; saved while live, it reaches them at once."""

    title = forms.CharField(max_length=140, required=False, label="Stream title")
    category = CategoryField()
    tags = forms.CharField(
        required=False,
        max_length=400,
        help_text="Up to 10, separated by commas, e.g. “speedrun, English, chill”.",
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    is_mature = forms.BooleanField(
        required=False, label="Mature content", help_text="Viewers are warned before the stream plays."
    )

    @classmethod
    def for_channel(cls, channel: Channel, data: Any = None) -> StreamInfoForm:
        initial = {
            "title": channel.title,
            "category": channel.category_id,
            "tags": tags_to_text(channel.tags),
            "language": channel.language,
            "is_mature": channel.is_mature,
        }
        return cls(data=data, initial=initial)

    def clean_tags(self) -> list[str]:
        return [tag for tag in str(self.cleaned_data["tags"] or "").split(",") if tag.strip()]

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ChannelSettingsForm(forms.Form):
    display_name = forms.CharField(
        max_length=50, required=False, help_text="Shown instead of the channel name."
    )
    description = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few lines about the channel: what you stream and when.",
    )
    language = forms.ChoiceField(
        choices=settings.LANGUAGES, help_text="The language you usually speak on stream."
    )
    is_mature = forms.BooleanField(
        required=False, label="Mature content", help_text="Viewers are warned before the stream plays."
    )
    # The format is checked by the service (model validator), so its message is the one shown.
    accent_color = forms.CharField(
        label="Accent colour",
        max_length=20,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Used for highlights on your channel page.",
    )
    abr_enabled = forms.BooleanField(
        required=False,
        label="Quality options for viewers (adaptive bit-rate)",
        help_text=(
            "The server re-encodes your stream to 720p, 480p and 360p so viewers on slow connections can "
            "watch. This costs about one CPU core per rendition while you are live: turn it on only if "
            "the server has room. Takes effect on your next stream."
        ),
    )

    FIELDS = ("display_name", "description", "language", "is_mature", "accent_color", "abr_enabled")

    @classmethod
    def for_channel(cls, channel: Channel, data: Any = None) -> ChannelSettingsForm:
        return cls(data=data, initial={name: getattr(channel, name) for name in cls.FIELDS})

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ChannelImagesForm(forms.Form):
    avatar = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT, "data-preview": "#channel-avatar-preview"}),
        help_text=(
            f"A square picture: JPEG, PNG, WebP or GIF up to {settings.AVATAR_MAX_BYTES // _MB} MB, "
            f"at least {settings.AVATAR_MIN_DIMENSION}×{settings.AVATAR_MIN_DIMENSION} pixels."
        ),
    )
    banner = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT, "data-preview": "#channel-banner-preview"}),
        help_text="A wide picture, 1200×300 works best. Shown on your page while you are offline.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("avatar") and not data.get("banner"):
            raise forms.ValidationError("Choose an avatar or a banner to upload.")
        return data

    def uploads(self) -> list[tuple[str, Any]]:
        return [
            (kind, self.cleaned_data[kind]) for kind in ("avatar", "banner") if self.cleaned_data.get(kind)
        ]


class PanelForm(forms.Form):
    title = forms.CharField(max_length=60, required=False)
    body = forms.CharField(
        label="Text",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: **bold**, *italic*, [links](https://example.com), lists.",
    )
    link_url = forms.URLField(
        label="Link",
        required=False,
        assume_scheme="https",
        help_text="Optional: where the panel leads (your shop, socials, schedule).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.prefix:  # each panel's form has its own prefix, so ids stay unique on the page
            for field in self.fields.values():
                field.widget.attrs.setdefault("data-panel", self.prefix)

    @classmethod
    def for_panel(cls, panel: ChannelPanel, data: Any = None) -> PanelForm:
        initial = {"title": panel.title, "body": panel.body, "link_url": panel.link_url}
        return cls(data=data, initial=initial, prefix=f"panel-{panel.pk}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("title", "body", "link_url")):
            raise forms.ValidationError("Give the panel a title, some text or a link.")
        return data


class RoleGrantForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "placeholder": "username"}
        ),
    )
    role = forms.ChoiceField(choices=Role.choices)

    def clean_username(self) -> Any:
        name = str(self.cleaned_data["username"]).strip().lstrip("@")
        person = account_selectors.user_get_public(username=name)
        if person is None:
            raise forms.ValidationError(f"No one is called “{name}”. Check the spelling of their username.")
        return person
