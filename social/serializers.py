from __future__ import annotations

from typing import Any

from rest_framework import serializers

from social.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    channel: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "text",
            "url",
            "channel",
            "stream_id",
            "created_at",
            "read_at",
            "read",
        ]
        read_only_fields = fields


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
    marked = serializers.IntegerField(required=False)


class FollowingSerializer(serializers.Serializer):
    """A followed channel with its live state (rows of social.selectors.following_with_live)."""

    channel = serializers.CharField(source="channel.slug")
    display_name = serializers.CharField(source="channel.name")
    avatar_url = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    notify = serializers.BooleanField()
    followed_at = serializers.DateTimeField(source="created_at")
    is_live = serializers.SerializerMethodField()
    viewer_count = serializers.SerializerMethodField()
    stream_title = serializers.CharField(source="live_title", allow_null=True)

    def get_avatar_url(self, follow: Any) -> str | None:
        return follow.channel.avatar.url if follow.channel.avatar else None

    def get_category(self, follow: Any) -> str | None:
        return follow.channel.category.name if follow.channel.category else None

    def get_is_live(self, follow: Any) -> bool:
        return follow.live_stream_id is not None

    def get_viewer_count(self, follow: Any) -> int:
        return int(follow.live_viewers or 0)
