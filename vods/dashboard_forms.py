"""Forms of the Videos page: a VOD's title and visibility, and the channel's archive settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from vods.models import VOD, Visibility, VODSettings


class VODEditForm(forms.Form):
    title = forms.CharField(max_length=140, required=False, strip=True)
    visibility = forms.ChoiceField(choices=Visibility.choices)

    @classmethod
    def for_vod(cls, vod: VOD, data: Mapping[str, Any] | None = None) -> VODEditForm:
        return cls(data, initial={"title": vod.title, "visibility": vod.visibility}, prefix=f"vod-{vod.pk}")


class VODSettingsForm(forms.Form):
    archive_enabled = forms.BooleanField(
        required=False,
        label="Archive my streams",
        help_text="When a stream ends, it becomes a video here (a copy of what you sent: no quality loss).",
    )
    default_visibility = forms.ChoiceField(
        choices=Visibility.choices, label="New videos are", help_text="You can change each video later."
    )
    retention_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Delete videos after (days)",
        help_text="1 to 3650 days. Leave empty to keep them until you delete them.",
        widget=forms.NumberInput(attrs={"placeholder": "Keep forever"}),
    )

    @classmethod
    def for_settings(cls, options: VODSettings, data: Mapping[str, Any] | None = None) -> VODSettingsForm:
        initial = {
            "archive_enabled": options.archive_enabled,
            "default_visibility": options.default_visibility,
            "retention_days": options.retention_days,
        }
        return cls(data, initial=initial, prefix="archive")
