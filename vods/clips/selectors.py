"""Reads for clips: one clip, trending, a channel's clips, the creator's manager, permissions."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db.models import ExpressionWrapper, F, FloatField, QuerySet
from django.utils import timezone

from accounts.models import User
from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from vods.models import Clip, ClipLike, ClipStatus

PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7), "all": None}
SORTS = ("trending", "new", "likes", "views")
# A like says more than a view: a viewer who liked also viewed, and likes are rarer.
LIKE_WEIGHT = 10


def clip_get(*, slug: str) -> Clip | None:
    return Clip.objects.select_related("channel", "creator", "vod", "stream").filter(slug=slug).first()


def _public() -> QuerySet[Clip]:
    return Clip.objects.select_related("channel", "creator").filter(
        status=ClipStatus.READY, channel__suspended_at__isnull=True
    )


def clips_list(
    *, period: str = "all", sort: str = "trending", channel: Channel | None = None, now: object = None
) -> QuerySet[Clip]:
    """Ready clips created within `period` (day, week, all), ranked by `sort`."""
    clips = _public()
    if channel is not None:
        clips = clips.filter(channel=channel)
    window = PERIODS[period]
    if window is not None:
        clips = clips.filter(created_at__gte=(now or timezone.now()) - window)  # type: ignore[operator]
    if sort == "new":
        return clips.order_by("-created_at", "-pk")
    if sort == "likes":
        return clips.order_by("-likes_count", "-created_at", "-pk")
    if sort == "views":
        return clips.order_by("-views", "-created_at", "-pk")
    score = ExpressionWrapper(F("likes_count") * LIKE_WEIGHT + F("views"), output_field=FloatField())
    return clips.annotate(score=score).order_by("-score", "-created_at", "-pk")


def channel_clips(*, channel: Channel) -> QuerySet[Clip]:
    """The channel's page of clips: featured first, then the newest."""
    return _public().filter(channel=channel).order_by("-featured", "-created_at", "-pk")


def manager_clips(*, channel: Channel) -> QuerySet[Clip]:
    """Every clip of the channel, whatever its state, for the creator's manager."""
    return Clip.objects.select_related("creator").filter(channel=channel).order_by("-created_at", "-pk")


def user_may_clip(*, user: User | AnonymousUser) -> bool:
    """Signed in with a verified e-mail address (as chat's verified-only mode asks)."""
    return bool(user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists())


def user_can_manage_clip(*, user: User | AnonymousUser, clip: Clip) -> bool:
    """Feature a clip: the broadcaster, editors and staff."""
    return isinstance(user, User) and channel_selectors.user_can_manage(user=user, channel=clip.channel)


def user_can_edit_clip(*, user: User | AnonymousUser, clip: Clip) -> bool:
    """Retitle a clip: its creator, or whoever manages the channel."""
    if not isinstance(user, User):
        return False
    return clip.creator_id == user.pk or user_can_manage_clip(user=user, clip=clip)


def user_can_delete_clip(*, user: User | AnonymousUser, clip: Clip) -> bool:
    """Delete a clip: its creator, the channel's managers and its moderators."""
    if not isinstance(user, User):
        return False
    return user_can_edit_clip(user=user, clip=clip) or channel_selectors.user_can_moderate(
        user=user, channel=clip.channel
    )


def user_likes(*, user: User | AnonymousUser, clip: Clip) -> bool:
    return bool(user.is_authenticated and ClipLike.objects.filter(user_id=user.pk, clip=clip).exists())
