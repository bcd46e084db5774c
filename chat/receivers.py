"""chat reacting to channels_app: a follow or unfollow changes what followers-only mode allows."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.models import User
from channels_app.models import Channel
from channels_app.signals import follow_changed
from chat import selectors


@receiver(follow_changed)
def forget_member_on_follow(sender: Any, channel: Channel, user: User, **kwargs: Any) -> None:
    selectors.forget_member(channel=channel, user=user)
