"""chat reacting to other apps and to its own settings rows: cached facts are forgotten on change."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import User
from channels_app.models import Channel
from channels_app.signals import follow_changed
from chat import selectors
from chat.models import ChatSettings


@receiver(follow_changed)
def forget_member_on_follow(sender: Any, channel: Channel, user: User, **kwargs: Any) -> None:
    selectors.forget_member(channel=channel, user=user)


@receiver(post_save, sender=ChatSettings)
@receiver(post_delete, sender=ChatSettings)
def forget_chat_settings(sender: Any, instance: ChatSettings, **kwargs: Any) -> None:
    # Now, and again once committed: a send that read the old row before the commit may have
    # cached it again in between.
    selectors.forget_chat_settings(channel_id=instance.channel_id)
    transaction.on_commit(lambda: selectors.forget_chat_settings(channel_id=instance.channel_id))
