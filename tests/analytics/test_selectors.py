"""Per-stream figures: new followers during a stream, its chat messages, chat per minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from analytics import selectors
from channels_app.models import Follow
from chat.models import MessageState
from streams.models import StreamStatus
from tests.factories import ChatMessageFactory, StreamSessionFactory, UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db


def _follow(channel, at: datetime) -> Follow:
    return Follow.objects.create(user=UserFactory.create(), channel=channel, created_at=at)


def test_new_followers_are_the_follows_made_between_start_and_end(channel):
    start = timezone.now() - timedelta(hours=5)
    stream = StreamSessionFactory(channel=channel, started_at=start, ended_at=start + timedelta(hours=2))
    _follow(channel, start - timedelta(minutes=1))  # before
    _follow(channel, start + timedelta(minutes=5))
    _follow(channel, start + timedelta(minutes=119))
    _follow(channel, start + timedelta(hours=3))  # after
    other, _ = make_channel("sol")
    Follow.objects.create(user=UserFactory(), channel=other, created_at=start + timedelta(minutes=10))
    (row,) = selectors.streams_with_figures(channel=channel)
    assert row.pk == stream.pk
    assert row.new_followers == 2


def test_a_live_stream_counts_followers_up_to_now(channel):
    start = timezone.now() - timedelta(minutes=30)
    StreamSessionFactory(channel=channel, status=StreamStatus.LIVE, started_at=start)
    _follow(channel, start + timedelta(minutes=1))
    _follow(channel, timezone.now() - timedelta(seconds=5))
    assert selectors.recent_streams(channel=channel)[0].new_followers == 2


def test_chat_messages_are_the_visible_messages_sent_in_the_stream(channel):
    stream = StreamSessionFactory(channel=channel)
    other = StreamSessionFactory(channel=channel)
    ChatMessageFactory.create_batch(3, channel=channel, stream=stream)
    ChatMessageFactory(channel=channel, stream=stream, state=MessageState.HELD)
    ChatMessageFactory(channel=channel, stream=other)
    ChatMessageFactory(channel=channel, stream=None)
    figures = {s.pk: s.chat_messages for s in selectors.streams_with_figures(channel=channel)}
    assert figures == {stream.pk: 3, other.pk: 1}


def test_recent_streams_are_the_last_ten_newest_first(channel):
    now = timezone.now()
    streams = [StreamSessionFactory(channel=channel, started_at=now - timedelta(days=i)) for i in range(12)]
    recent = selectors.recent_streams(channel=channel)
    assert [s.pk for s in recent] == [s.pk for s in streams[:10]]


def test_chat_per_minute_fills_every_minute_of_the_window(channel):
    since = datetime(2026, 1, 5, 12, 0, 10, tzinfo=UTC)
    for minute, count in ((0, 2), (3, 1)):
        ChatMessageFactory.create_batch(
            count, channel=channel, sent_at=since.replace(second=30) + timedelta(minutes=minute)
        )
    ChatMessageFactory(channel=channel, sent_at=since + timedelta(minutes=20))  # after the window
    series = selectors.chat_per_minute(channel=channel, since=since, until=since + timedelta(minutes=4))
    assert [n for _, n in series] == [2, 0, 0, 1, 0]
    assert series[0][0] == datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_channel_totals_count_followers_and_streams(channel):
    StreamSessionFactory.create_batch(2, channel=channel)
    for _ in range(3):
        _follow(channel, timezone.now())
    totals = selectors.channel_totals(channel=channel)
    assert (totals.followers, totals.streams) == (3, 2)
