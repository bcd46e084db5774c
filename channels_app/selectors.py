"""Reads on channels, and who may do what on one."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from channels_app import keys
from channels_app.models import Category, Channel, ChannelPanel, ChannelRole, Follow, Role


def channel_get(*, slug: str) -> Channel | None:
    return Channel.objects.select_related("owner_user", "category").filter(slug__iexact=slug).first()


def channel_list(*, owner: User | None = None) -> QuerySet[Channel]:
    channels = Channel.objects.select_related("owner_user", "category").filter(suspended_at__isnull=True)
    return channels.filter(owner_user=owner) if owner else channels


def channels_owned_by(*, user: User) -> QuerySet[Channel]:
    return Channel.objects.select_related("category").filter(owner_user=user)


def channel_for_stream_key(*, key: str) -> Channel | None:
    """The channel whose key this is, compared in constant time once the row is found by its hash."""
    key_hash = keys.hash_stream_key(key)
    channel = Channel.objects.filter(stream_key_hash=key_hash).first()
    if channel is None or not keys.stream_key_matches(key, channel.stream_key_hash):
        return None
    return channel


def channel_roles_of(*, channel: Channel, user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(ChannelRole.objects.filter(channel=channel, user=user).values_list("role", flat=True))


def channel_role_list(*, channel: Channel) -> QuerySet[ChannelRole]:
    return (
        ChannelRole.objects.select_related("user").filter(channel=channel).order_by("role", "user__username")
    )


def channel_panels(*, channel: Channel) -> QuerySet[ChannelPanel]:
    return ChannelPanel.objects.filter(channel=channel).order_by("position", "id")


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("name")


def user_is_broadcaster(*, user: User, channel: Channel) -> bool:
    return bool(user.is_authenticated and channel.owner_user_id == user.pk)


def user_owns(*, user: User, channel: Channel) -> bool:
    """The broadcaster or staff: the only ones who see the key and change the channel's settings."""
    return bool(user.is_authenticated and (user.is_staff or user_is_broadcaster(user=user, channel=channel)))


def user_can_manage(*, user: User, channel: Channel) -> bool:
    """Broadcaster, editors and staff may change the stream's title, category and settings."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user_is_broadcaster(user=user, channel=channel):
        return True
    return Role.EDITOR in channel_roles_of(channel=channel, user=user)


def user_can_moderate(*, user: User, channel: Channel) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user_is_broadcaster(user=user, channel=channel):
        return True
    return Role.MODERATOR in channel_roles_of(channel=channel, user=user)


def channels_managed_by(*, user: User) -> QuerySet[Channel]:
    """Channels the user owns first, then those they are an editor of (the dashboard's switcher)."""
    if not user.is_authenticated:
        return Channel.objects.none()
    edited = ChannelRole.objects.filter(user=user, role=Role.EDITOR).values("channel_id")
    return (
        Channel.objects.select_related("category")
        .filter(Q(owner_user=user) | Q(pk__in=edited))
        .annotate(is_owned=Q(owner_user=user))
        .order_by("-is_owned", "slug")
    )


def dashboard_channel(*, user: User, slug: str | None) -> Channel | None:
    """The channel a dashboard page works on: the one named if the user may manage it, else their first."""
    if not slug:
        return channels_managed_by(user=user).first()
    channel = channel_get(slug=slug)
    if channel is None or not user_can_manage(user=user, channel=channel):
        return None
    return channel


def follow_get(*, user: User, channel: Channel) -> Follow | None:
    if not user.is_authenticated:
        return None
    return Follow.objects.filter(user=user, channel=channel).first()


def follower_count(*, channel: Channel) -> int:
    return Follow.objects.filter(channel=channel).count()


def followers_of(*, channel: Channel) -> QuerySet[Follow]:
    """The channel's followers, newest first (the owner's followers list)."""
    return Follow.objects.filter(channel=channel).select_related("user").order_by("-created_at", "-id")


def following_of(*, user: User) -> QuerySet[Follow]:
    """The channels a viewer follows, newest first."""
    return (
        Follow.objects.filter(user=user, channel__suspended_at__isnull=True)
        .select_related("channel", "channel__category")
        .order_by("-created_at", "-id")
    )


def followed_channel_ids(*, user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Follow.objects.filter(user=user).values_list("channel_id", flat=True))


def follower_count_and_state(*, user: User, channel: Channel) -> tuple[int, bool]:
    """The channel's follower count and whether this viewer is one of them, in one query."""
    if not user.is_authenticated:
        return follower_count(channel=channel), False
    found = Follow.objects.filter(channel=channel).aggregate(
        total=Count("id"), mine=Count("id", filter=Q(user_id=user.pk))
    )
    return int(found["total"]), bool(found["mine"])
