"""Reads for the VOD library: listings filtered by access, one VOD, chat replay windows, progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import User
from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from chat.models import Message, MessageState
from vods import access
from vods.models import VOD, Visibility, VODStatus, WatchProgress

# A replay window is at most this long, and holds at most this many messages (a very busy chat
# is cut, and the client asks again from the last message it got).
REPLAY_MAX_WINDOW = 300.0
REPLAY_MAX_MESSAGES = 1000


def vod_get(*, pk: int) -> VOD | None:
    return VOD.objects.select_related("channel", "channel__owner_user", "stream").filter(pk=pk).first()


def _visible_filter(*, user: User | AnonymousUser, channel: Channel | None) -> Q:
    """What of the ready VODs this viewer may see, as one WHERE clause (no hook call per row)."""
    if user.is_authenticated and user.is_staff:
        return Q()
    visible = Q(visibility=Visibility.PUBLIC, channel__suspended_at__isnull=True)
    if isinstance(user, User) and user.is_authenticated:
        managed = channel_selectors.channels_managed_by(user=user).values("pk")
        visible |= Q(channel__in=managed, channel__suspended_at__isnull=True)
        # The subscriber hook is asked once, for the channel being listed.
        if channel is not None and access.is_subscriber(user=user, channel=channel):
            visible |= Q(channel=channel, visibility=Visibility.SUBSCRIBERS)
    return visible


def library_vods(*, user: User | AnonymousUser, channel: Channel | None = None) -> QuerySet[VOD]:
    """Ready VODs the viewer may watch, newest first (a channel's videos page, the API list)."""
    vods = VOD.objects.select_related("channel", "channel__owner_user", "stream").filter(
        status=VODStatus.READY
    )
    if channel is not None:
        vods = vods.filter(channel=channel)
    return vods.filter(_visible_filter(user=user, channel=channel)).order_by("-created_at", "-id")


@dataclass(frozen=True)
class ReplayWindow:
    messages: list[Message]
    offsets: list[float]
    truncated: bool


def replay_window(*, vod: VOD, start: float, end: float) -> ReplayWindow:
    """Visible messages of the VOD's stream sent in [start, end) seconds after the stream started.

    Served by the (stream, sent_at) index; deleted, held and denied messages never replay.
    """
    origin = vod.stream.started_at
    rows = list(
        Message.objects.select_related("user")
        .filter(
            stream_id=vod.stream_id,
            sent_at__gte=origin + timedelta(seconds=start),
            sent_at__lt=origin + timedelta(seconds=end),
            state=MessageState.VISIBLE,
            deleted_at__isnull=True,
        )
        .order_by("sent_at", "id")[: REPLAY_MAX_MESSAGES + 1]
    )
    truncated = len(rows) > REPLAY_MAX_MESSAGES
    rows = rows[:REPLAY_MAX_MESSAGES]
    offsets = [round((m.sent_at - origin).total_seconds(), 3) for m in rows]
    return ReplayWindow(messages=rows, offsets=offsets, truncated=truncated)


def progress_get(*, user: User | AnonymousUser, vod: VOD) -> WatchProgress | None:
    if not user.is_authenticated:
        return None
    return WatchProgress.objects.filter(user_id=user.pk, vod=vod).first()
