from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from channels_app.models import Category, Channel, ChannelPanel, ChannelRole, Role
from channels_app.validators import MAX_TAGS


class CategorySerializer(serializers.ModelSerializer):
    box_art_url = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "box_art_url"]
        read_only_fields = fields

    def get_box_art_url(self, category: Category) -> str | None:
        return category.box_art.url if category.box_art else None


class ChannelSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_user.username", read_only=True)
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.filter(is_active=True), allow_null=True, required=False
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=25), max_length=MAX_TAGS, required=False
    )
    avatar_url = serializers.SerializerMethodField()
    banner_url = serializers.SerializerMethodField()
    is_suspended = serializers.BooleanField(read_only=True)

    class Meta:
        model = Channel
        fields = [
            "slug",
            "owner",
            "display_name",
            "title",
            "description",
            "category",
            "tags",
            "language",
            "is_mature",
            "accent_color",
            "avatar_url",
            "banner_url",
            "abr_enabled",
            "is_suspended",
            "created_at",
        ]
        read_only_fields = ["owner", "avatar_url", "banner_url", "is_suspended", "created_at"]
        # Uniqueness and the slug's rules are checked by the service (with the same messages).
        extra_kwargs: dict[str, dict[str, Any]] = {"slug": {"validators": []}}

    def get_avatar_url(self, channel: Channel) -> str | None:
        return channel.avatar.url if channel.avatar else None

    def get_banner_url(self, channel: Channel) -> str | None:
        return channel.banner.url if channel.banner else None


class ChannelUpdateSerializer(ChannelSerializer):
    class Meta(ChannelSerializer.Meta):
        read_only_fields = [*ChannelSerializer.Meta.read_only_fields, "slug"]


class StreamKeySerializer(serializers.Serializer):
    server_url = serializers.CharField()
    prefix = serializers.CharField(
        help_text="The start of the key, to recognise it; the key is never shown again."
    )
    created_at = serializers.DateTimeField()


class StreamKeyCreatedSerializer(StreamKeySerializer):
    stream_key = serializers.CharField(help_text="The new key: shown once.")


class ChannelCreatedSerializer(ChannelSerializer):
    stream_key = serializers.CharField(read_only=True, help_text="Shown once: copy it into OBS now.")
    server_url = serializers.SerializerMethodField()

    class Meta(ChannelSerializer.Meta):
        fields = [*ChannelSerializer.Meta.fields, "stream_key", "server_url"]

    def get_server_url(self, channel: Channel) -> str:
        return str(settings.RTMP_PUBLIC_URL)


class ChannelRoleSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = ChannelRole
        fields = ["id", "username", "role", "created_at"]
        read_only_fields = ["id", "created_at"]


class ChannelRoleCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=25)
    role = serializers.ChoiceField(choices=Role.choices)


class ChannelPanelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChannelPanel
        fields = ["id", "position", "title", "body", "link_url"]
        read_only_fields = ["id"]


def validated(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Follows ----------------------------------------------------------------------------------


class FollowStateSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text="The channel's slug.")
    following = serializers.BooleanField()
    notify = serializers.BooleanField(
        help_text="Go-live notifications for this channel (false when not following)."
    )
    followed_at = serializers.DateTimeField(allow_null=True)
    follower_count = serializers.IntegerField()


class FollowNotifySerializer(serializers.Serializer):
    notify = serializers.BooleanField()


class FollowerSerializer(serializers.Serializer):
    """One follower as the broadcaster sees them (their per-channel notify switch stays private)."""

    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.name")
    avatar_url = serializers.SerializerMethodField()
    followed_at = serializers.DateTimeField(source="created_at")

    def get_avatar_url(self, follow: Any) -> str | None:
        return follow.user.avatar.url if follow.user.avatar else None
