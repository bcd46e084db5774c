from __future__ import annotations

from allauth.usersessions.models import UserSession
from rest_framework import serializers

from accounts.models import PREFERENCE_FIELDS, ApiToken, User
from accounts.scopes import SCOPES


class PublicUserSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "avatar_url", "bio", "chat_color", "date_joined"]
        read_only_fields = fields

    def get_avatar_url(self, user: User) -> str | None:
        return user.avatar.url if user.avatar else None


class MeSerializer(PublicUserSerializer):
    class Meta:
        model = User
        fields = [
            *PublicUserSerializer.Meta.fields,
            "email",
            "time_zone",
            *PREFERENCE_FIELDS,
        ]
        read_only_fields = ["id", "username", "email", "avatar_url", "date_joined"]


class AvatarUploadSerializer(serializers.Serializer):
    avatar = serializers.FileField()


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(SCOPES)), allow_empty=False)
    expires_in_days = serializers.IntegerField(min_value=1, max_value=366, required=False, allow_null=True)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret: shown once, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class UserSessionSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = UserSession
        fields = ["id", "ip", "user_agent", "created_at", "last_seen_at", "is_current"]
        read_only_fields = fields

    def get_is_current(self, session: UserSession) -> bool:
        return bool(session.session_key == self.context.get("session_key"))
