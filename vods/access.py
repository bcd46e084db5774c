"""Who may watch a VOD: the one rule every page, API answer and media request asks.

Subscribers-only VODs ask a hook, `settings.VODS_SUBSCRIBER_CHECK`: the dotted path of a
`(*, user, channel) -> bool` that monetization fills in; vods never imports monetization.
Until then only the channel's team can watch them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string

from accounts.models import User
from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from vods.models import VOD, Visibility

SubscriberCheck = Callable[..., bool]


@cache
def _subscriber_check(path: str) -> SubscriberCheck | None:
    return import_string(path) if path else None


def is_subscriber(*, user: User | AnonymousUser, channel: Channel) -> bool:
    if not user.is_authenticated:
        return False
    check = _subscriber_check(getattr(settings, "VODS_SUBSCRIBER_CHECK", ""))
    return bool(check and check(user=user, channel=channel))


def is_team(*, user: User | AnonymousUser, channel: Channel) -> bool:
    """The broadcaster, the channel's editors and staff see every VOD of the channel."""
    return isinstance(user, User) and channel_selectors.user_can_manage(user=user, channel=channel)


def can_watch(user: User | AnonymousUser, vod: VOD) -> bool:
    if not vod.is_ready:
        return False
    channel = vod.channel
    if channel.is_suspended:
        return bool(user.is_authenticated and user.is_staff)
    if vod.visibility == Visibility.PUBLIC:
        return True
    if is_team(user=user, channel=channel):
        return True
    if vod.visibility == Visibility.SUBSCRIBERS:
        return is_subscriber(user=user, channel=channel)
    return False
