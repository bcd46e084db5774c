"""Subscriber emotes: a subscriber's message renders them, anyone else's keeps them as text."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from chat.services import emotes as emote_services
from chat.services.messages import message_send
from monetization.models import ChannelSubscription
from tests.chat.test_emotes import image_file
from tests.factories import StreamChannelFactory, UserFactory

pytestmark = pytest.mark.django_db


def _kinds(message):
    return [(f["type"], f.get("code") or f.get("text")) for f in message.fragments]


def test_subscriber_emote_only_renders_for_subscribers(django_capture_on_commit_callbacks):
    channel = StreamChannelFactory(slug="nova")
    with django_capture_on_commit_callbacks(execute=True):
        emote_services.emote_create(
            code="novaHype",
            upload=image_file(),
            channel=channel,
            subscriber_only=True,
            created_by=channel.owner_user,
        )
    fan, stranger = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ChannelSubscription.objects.create(
            user=fan,
            channel=channel,
            status="active",
            months=1,
            current_period_end=timezone.now() + datetime.timedelta(days=3),
        )
    assert ("emote", "novaHype") in _kinds(message_send(channel=channel, user=fan, text="novaHype"))
    assert _kinds(message_send(channel=channel, user=stranger, text="novaHype")) == [("text", "novaHype")]
