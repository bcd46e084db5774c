from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chat import activity
from chat.models import Message, MessageState
from streams import tasks, trending
from streams.models import Stream, StreamStatus, ViewerSample
from tests.factories import ChannelOwnerFactory
from tests.streams.directory_helpers import live

pytestmark = pytest.mark.django_db


def _samples(stream: Stream, counts: list[int], *, minutes_ago_first: int) -> None:
    now = timezone.now()
    ViewerSample.objects.bulk_create(
        ViewerSample(
            stream=stream, viewers=viewers, taken_at=now - timedelta(minutes=minutes_ago_first - index)
        )
        for index, viewers in enumerate(counts)
    )


def _chat(stream: Stream, count: int, *, minutes_ago: float = 1) -> None:
    author = ChannelOwnerFactory.create()
    sent_at = timezone.now() - timedelta(minutes=minutes_ago)
    Message.objects.bulk_create(
        Message(channel=stream.channel, stream=stream, user=author, text=f"hi {i}", sent_at=sent_at)
        for i in range(count)
    )


def _score(stream: Stream) -> float:
    stream.refresh_from_db()
    return stream.trending_score


def test_a_growing_stream_outranks_a_bigger_flat_one():
    flat = live("flat", viewers=100)
    growing = live("growing", viewers=40)
    _samples(flat, [100, 100, 100, 100], minutes_ago_first=10)
    _samples(growing, [10, 20, 30, 40], minutes_ago_first=10)
    trending.streams_compute_trending(activity={})
    assert _score(growing) > _score(flat) > 0


def test_only_growth_inside_the_window_counts():
    stream = live("old_growth", viewers=50)
    _samples(stream, [0, 50], minutes_ago_first=40)  # grew half an hour ago, flat since
    _samples(stream, [50, 50], minutes_ago_first=5)
    trending.streams_compute_trending(activity={})
    assert _score(stream) == pytest.approx(trending.trending_score(gained=0, activity=0, viewers=50))


def test_shrinking_viewers_score_no_growth():
    stream = live("shrinking", viewers=5)
    _samples(stream, [50, 30, 5], minutes_ago_first=8)
    trending.streams_compute_trending(activity={})
    assert _score(stream) == pytest.approx(trending.trending_score(gained=0, activity=0, viewers=5))


def test_chat_activity_raises_the_score():
    quiet, lively = live("quiet", viewers=20), live("lively", viewers=20)
    for stream in (quiet, lively):
        _samples(stream, [20, 20], minutes_ago_first=5)
    trending.streams_compute_trending(activity={lively.pk: 60})
    assert _score(lively) > _score(quiet)


def test_chat_activity_counts_recent_visible_messages_per_stream():
    stream, other = live("talky"), live("other")
    _chat(stream, 3)
    _chat(stream, 2, minutes_ago=30)  # too old
    _chat(other, 1)
    Message.objects.filter(stream=other).update(state=MessageState.HELD)
    counts = activity.message_counts(since=timezone.now() - trending.ACTIVITY_WINDOW)
    assert counts == {stream.pk: 3}


def test_activity_counts_come_from_the_configured_sources(settings):
    settings.STREAMS_ACTIVITY_SOURCES = ["chat.activity.message_counts", "chat.activity.message_counts"]
    stream = live("doubled")
    _chat(stream, 2)
    assert trending.activity_counts(since=timezone.now() - timedelta(minutes=5)) == {stream.pk: 4}
    settings.STREAMS_ACTIVITY_SOURCES = []
    assert trending.activity_counts(since=timezone.now() - timedelta(minutes=5)) == {}


def test_compute_trending_task_scores_live_streams_with_chat_and_leaves_ended_ones():
    lively = live("task_lively", viewers=10)
    ended = live("task_ended", viewers=10, status=StreamStatus.ENDED, trending_score=3.5)
    _samples(lively, [2, 10], minutes_ago_first=3)
    _chat(lively, 10)
    assert tasks.compute_trending() == 1
    expected = trending.trending_score(gained=8, activity=10, viewers=10)
    assert _score(lively) == pytest.approx(expected)
    assert _score(ended) == 3.5


def test_a_stream_without_samples_scores_its_stored_viewers():
    stream = live("fresh", viewers=7)
    trending.streams_compute_trending(activity={})
    assert _score(stream) == pytest.approx(trending.trending_score(gained=0, activity=0, viewers=7))


def test_compute_trending_is_on_the_beat_schedule(settings):
    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["streams.tasks.compute_trending"] == 60.0
