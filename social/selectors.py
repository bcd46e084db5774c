"""Reads on notifications: the bell's unread count, the list, and the followers a go-live reaches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel, Follow
from social.models import Notification
from streams.models import Stream, StreamStatus

_UNREAD_SECONDS = 300  # the bell is on every page: cached, forgotten whenever the count changes


def _unread_key(user_id: int) -> str:
    return f"social:unread:{user_id}"


def unread_count(*, user: User) -> int:
    """The bell's number, from the cache on most pages (no query added to a page's budget)."""
    if not user.is_authenticated:
        return 0
    count = cache.get(_unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(_unread_key(user.pk), count, _UNREAD_SECONDS)
    return int(count)


def forget_unread(*, user_ids: Iterable[int]) -> None:
    cache.delete_many([_unread_key(user_id) for user_id in user_ids])


def notifications_of(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's notifications, newest first (paginate the result)."""
    found = Notification.objects.select_related("channel").filter(recipient=user)
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-id")


def notification_get(*, user: User, notification_id: Any) -> Notification | None:
    """One of the user's own notifications; someone else's is as missing as a wrong id."""
    try:
        pk = int(notification_id)
    except (TypeError, ValueError):
        return None
    return Notification.objects.filter(recipient=user, pk=pk).first()


def notification_payload(notification: Notification) -> dict[str, Any]:
    """The `notification.new` frame body and each item of the API list."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "text": notification.text,
        "url": notification.url,
        "channel": notification.channel.slug if notification.channel else None,
        "stream_id": notification.stream_id,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


# --- Following (the left rail, /following/ and GET /api/v1/me/following/) ---------------------


def following_with_live(*, user: User) -> QuerySet[Follow]:
    """The channels a viewer follows, live ones first (most viewers first), then newest follows.

    One query whatever the number: each row carries its channel, category and, when live, the
    session's id, viewer count (Stream.viewer_count, sampled by beat) and title as annotations.
    """
    if not user.is_authenticated:
        return Follow.objects.none()
    live = Stream.objects.filter(channel_id=OuterRef("channel_id"), status=StreamStatus.LIVE)
    return (
        Follow.objects.filter(user=user, channel__suspended_at__isnull=True)
        .select_related("channel", "channel__category")
        .annotate(
            live_stream_id=Subquery(live.values("pk")[:1]),
            live_viewers=Subquery(live.values("viewer_count")[:1]),
            live_title=Subquery(live.values("title")[:1]),
        )
        .order_by(F("live_viewers").desc(nulls_last=True), "-created_at", "-id")
    )


# --- Go-live fan-out ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    follow_id: int
    user_id: int
    email: str
    in_app: bool
    wants_email: bool


def _notified_follows(channel: Channel) -> QuerySet[Follow]:
    return Follow.objects.filter(channel=channel, notify=True, user__is_active=True)


def go_live_chunk_bounds(*, channel: Channel, size: int) -> list[tuple[int, int]]:
    """(after_id, last_id] ranges of `size` notified follows each, walked by id (keyset, never OFFSET)."""
    bounds: list[tuple[int, int]] = []
    after = 0
    follows = _notified_follows(channel).order_by("id").values_list("id", flat=True)
    while True:
        ids = list(follows.filter(id__gt=after)[:size])
        if not ids:
            return bounds
        bounds.append((after, ids[-1]))
        if len(ids) < size:
            return bounds
        after = ids[-1]


def go_live_recipients(*, channel: Channel, after_id: int, last_id: int) -> list[Recipient]:
    """One chunk of followers with their preferences, in one query."""
    verified = EmailAddress.objects.filter(user_id=OuterRef("user_id"), primary=True, verified=True)
    rows = (
        _notified_follows(channel)
        .filter(id__gt=after_id, id__lte=last_id)
        .annotate(email_verified=Exists(verified))
        .order_by("id")
        .values_list(
            "id", "user_id", "user__email", "user__notify_in_app", "user__email_on_go_live", "email_verified"
        )
    )
    return [
        Recipient(
            follow_id=follow_id,
            user_id=user_id,
            email=email or "",
            in_app=bool(in_app),
            wants_email=bool(on_go_live and verified and email),
        )
        for follow_id, user_id, email, in_app, on_go_live, verified in rows
    ]


def reconnected_recently(*, stream: Stream, minutes: int) -> bool:
    """Another session of this channel ended within the window: this one is a reconnect."""
    since = timezone.now() - timedelta(minutes=minutes)
    return (
        Stream.objects.filter(channel_id=stream.channel_id, ended_at__gte=since)
        .exclude(pk=stream.pk)
        .exists()
    )
