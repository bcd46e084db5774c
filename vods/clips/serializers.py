"""API shapes for clips."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from rest_framework import serializers

from vods.clips.selectors import PERIODS, SORTS
from vods.models import Clip


def media_url(name: str) -> str | None:
    return default_storage.url(name) if name else None


class ClipSerializer(serializers.ModelSerializer[Clip]):
    channel = serializers.CharField(source="channel.slug", read_only=True)
    channel_name = serializers.CharField(source="channel.name", read_only=True)
    creator = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField(help_text="live or vod")
    url = serializers.SerializerMethodField()
    embed_url = serializers.SerializerMethodField()
    video_url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()

    class Meta:
        model = Clip
        fields = [
            "slug", "title", "channel", "channel_name", "creator", "origin", "vod", "start", "duration",
            "status", "failure_reason", "rendered_duration", "views", "likes_count", "featured",
            "created_at", "url", "embed_url", "video_url", "poster_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_creator(self, clip: Clip) -> str | None:
        return clip.creator.username if clip.creator else None

    def get_origin(self, clip: Clip) -> str:
        return "vod" if clip.vod_id else "live"

    def get_url(self, clip: Clip) -> str:
        return reverse("clip", args=[clip.slug])

    def get_embed_url(self, clip: Clip) -> str:
        return reverse("clip-embed", args=[clip.slug])

    def get_video_url(self, clip: Clip) -> str | None:
        return media_url(clip.video) if clip.status == "ready" else None

    def get_poster_url(self, clip: Clip) -> str | None:
        return media_url(clip.poster) if clip.status == "ready" else None


class ClipCreateSerializer(serializers.Serializer):
    """Either `channel` (clip the live stream's last `seconds`) or `vod` with `start` and `end`."""

    channel = serializers.SlugField(
        required=False, max_length=25, help_text="Clip this channel's live stream."
    )
    seconds = serializers.FloatField(
        required=False,
        default=30.0,
        help_text="How many of the last seconds (5-60).",
        min_value=0,
        max_value=3600,
    )
    vod = serializers.IntegerField(required=False, min_value=1, help_text="Clip this VOD.")
    start = serializers.FloatField(
        required=False, min_value=0, max_value=10**7, help_text="Seconds into the VOD."
    )
    end = serializers.FloatField(
        required=False, min_value=0, max_value=10**7, help_text="Seconds into the VOD."
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("channel" in attrs) == ("vod" in attrs):
            raise serializers.ValidationError("Give either `channel` (live) or `vod` (with start and end).")
        if "vod" in attrs:
            missing = {
                f: ["This field is required for a VOD clip."] for f in ("start", "end") if f not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class ClipUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=100)
    featured = serializers.BooleanField(required=False)


class ClipListParamsSerializer(serializers.Serializer):
    channel = serializers.SlugField(required=False, max_length=25)
    period = serializers.ChoiceField(choices=list(PERIODS), required=False, default="all")
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="trending")
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)


class ClipLikeSerializer(serializers.Serializer):
    liked = serializers.BooleanField()
    likes_count = serializers.IntegerField()
