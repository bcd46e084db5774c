"""chat.history and the held queue, read on every connect, through an index of undeleted rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from chat import selectors
from chat.models import Message, MessageState
from chat.services import moderation
from tests.factories import UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("read", [selectors.visible_newest_first, selectors.held_queue])
def test_connect_reads_go_through_the_index_of_undeleted_rows(read):
    """Without it a connect walks every cleared or deleted message of the channel: after 22,000
    cleared messages, 6.8 ms for the history and 8.3 ms for a moderator's held queue, and growing."""
    channel = make_channel("nova")[0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        plan = read(channel=channel)[:50].explain()
    assert "chat_shown_by_state" in plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan  # in order from the index, not sorted after


def test_history_is_the_last_shown_messages_oldest_first():
    channel = make_channel("nova")[0]
    user = UserFactory()
    for i in range(55):
        Message.objects.create(channel=channel, user=user, text=f"m{i}")
    Message.objects.filter(text="m54").update(deleted_at=timezone.now())
    Message.objects.filter(text="m53").update(state=MessageState.HELD)
    texts = [m.text for m in selectors.history(channel=channel)]
    assert texts == [f"m{i}" for i in range(3, 53)]


def test_a_clear_empties_the_history_and_leaves_the_held_queue_waiting():
    channel = make_channel("nova")[0]
    user = UserFactory()
    Message.objects.create(channel=channel, user=user, text="shown")
    held = Message.objects.create(channel=channel, user=user, text="held", state=MessageState.HELD)
    moderation.chat_clear(channel=channel, moderator=channel.owner_user)
    assert selectors.history(channel=channel) == []
    assert list(selectors.held_queue(channel=channel)) == [held]
