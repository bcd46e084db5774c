"""Hourly and daily roll-ups on synthetic raw data that crosses an hour and a day boundary.

Every expected number below is worked out by hand from the rows the test creates:
stream 22:30 → 00:30 (next day), samples each minute, messages on the boundaries, follows and an
unfollow, page visits by two visitors; a second channel to check rows never mix.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from analytics import rollups
from analytics.models import (
    ChannelDailyStats,
    ChannelHourlyStats,
    FollowEvent,
    PageVisit,
    Source,
    TrafficDaily,
)
from channels_app import services as channel_services
from chat.models import Message, MessageState
from tests.analytics import factories as raw
from tests.factories import StreamSessionFactory, UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def day() -> dt.date:
    return (timezone.now() - dt.timedelta(days=5)).date()


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0, days: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC) + dt.timedelta(
        days=days
    )


@pytest.fixture
def scenario(channel, day):
    stream = StreamSessionFactory(
        channel=channel,
        started_at=at(day, 22, 30),
        ended_at=at(day, 0, 30, days=1),
        unique_viewers=50,
        watch_seconds=60_000,
    )
    raw.samples(stream, at(day, 22, 30), [10] * 15 + [20] * 15)  # hour 22: 450 viewer-minutes
    raw.samples(stream, at(day, 23), [90 if i == 30 else 30 for i in range(60)])  # hour 23: 1,860
    raw.samples(stream, at(day, 0, days=1), [6] * 30)  # next day, hour 0: 180
    raw.messages(channel, at(day, 22, 59, 59), 3, stream=stream)
    raw.messages(channel, at(day, 23), 2, stream=stream)  # the hour's first instant is in the hour
    raw.messages(channel, at(day, 23, 20), 1, stream=stream, state=MessageState.HELD)  # never counted
    raw.messages(channel, at(day, 0, days=1), 1, stream=stream)
    raw.follow_event(channel, at(day, 23, 10))
    raw.follow_event(channel, at(day, 23, 50))
    raw.follow_event(channel, at(day, 23, 55), delta=-1)
    raw.follow_event(channel, at(day, 0, 5, days=1))
    raw.visit(channel, at(day, 22, 40), "a", Source.SEARCH, referrer_host="google.com")
    raw.visit(channel, at(day, 23, 15), "a", Source.SEARCH, referrer_host="google.com")
    raw.visit(channel, at(day, 23, 45), "a", Source.SOCIAL, referrer_host="t.co", utm_source="twitter")
    raw.visit(channel, at(day, 23, 50), "b", Source.DIRECT)
    other, _ = make_channel("sol", owner=UserFactory())
    other_stream = StreamSessionFactory(channel=other, started_at=at(day, 23), ended_at=at(day, 23, 10))
    raw.samples(other_stream, at(day, 23), [5] * 10)
    return stream, other


def figures(row) -> dict:
    names = [f for f in rollups.FIGURES if f != "computed_at"]
    return {name: getattr(row, name) for name in names}


def roll_all(day: dt.date) -> None:
    now = at(day, 12, days=2)
    for hour in (at(day, 22), at(day, 23), at(day, 0, days=1)):
        rollups.rollup_hour(hour=hour, now=now)
    rollups.rollup_day(day=day, now=now)
    rollups.rollup_day(day=day + dt.timedelta(days=1), now=now)


def test_hourly_rows_match_the_raw_data_across_the_hour_and_day_boundaries(scenario, channel, day):
    roll_all(day)
    rows = {r.bucket: r for r in ChannelHourlyStats.objects.filter(channel=channel)}
    assert figures(rows[at(day, 22)]) == {
        "viewer_minutes": 450, "sampled_minutes": 30, "average_viewers": 15.0, "peak_viewers": 20,
        "streamed_seconds": 1800, "streams_started": 1, "unique_viewers": 50, "watch_seconds": 60_000,
        "chat_messages": 3, "follows": 0, "unfollows": 0, "page_visits": 1, "unique_visitors": 1,
    }  # fmt: skip
    assert figures(rows[at(day, 23)]) == {
        "viewer_minutes": 1860, "sampled_minutes": 60, "average_viewers": 31.0, "peak_viewers": 90,
        "streamed_seconds": 3600, "streams_started": 0, "unique_viewers": 0, "watch_seconds": 0,
        "chat_messages": 2, "follows": 2, "unfollows": 1, "page_visits": 3, "unique_visitors": 2,
    }  # fmt: skip
    assert figures(rows[at(day, 0, days=1)]) == {
        "viewer_minutes": 180, "sampled_minutes": 30, "average_viewers": 6.0, "peak_viewers": 6,
        "streamed_seconds": 1800, "streams_started": 0, "unique_viewers": 0, "watch_seconds": 0,
        "chat_messages": 1, "follows": 1, "unfollows": 0, "page_visits": 0, "unique_visitors": 0,
    }  # fmt: skip
    assert len(rows) == 3


def test_daily_rows_add_up_the_day_and_split_at_midnight_utc(scenario, channel, day):
    roll_all(day)
    first = ChannelDailyStats.objects.get(channel=channel, bucket=at(day, 0))
    second = ChannelDailyStats.objects.get(channel=channel, bucket=at(day, 0, days=1))
    assert figures(first) == {
        "viewer_minutes": 2310, "sampled_minutes": 90, "average_viewers": 25.67, "peak_viewers": 90,
        "streamed_seconds": 5400, "streams_started": 1, "unique_viewers": 50, "watch_seconds": 60_000,
        "chat_messages": 5, "follows": 2, "unfollows": 1, "page_visits": 4, "unique_visitors": 2,
    }  # fmt: skip
    assert first.net_followers == 1
    assert (second.viewer_minutes, second.streamed_seconds, second.chat_messages, second.follows) == (
        180,
        1800,
        1,
        1,
    )


def test_other_channels_get_their_own_rows(scenario, day):
    _, other = scenario
    roll_all(day)
    row = ChannelHourlyStats.objects.get(channel=other, bucket=at(day, 23))
    assert (row.viewer_minutes, row.peak_viewers, row.streamed_seconds, row.chat_messages) == (50, 5, 600, 0)
    assert not ChannelHourlyStats.objects.filter(channel=other, bucket=at(day, 22)).exists()


def test_traffic_is_broken_down_per_day_by_source_referrer_and_tags(scenario, channel, day):
    roll_all(day)
    rows = {
        (t.source, t.referrer_host, t.utm_source): (t.visits, t.unique_visitors)
        for t in TrafficDaily.objects.filter(channel=channel, day=day)
    }
    assert rows == {
        ("search", "google.com", ""): (2, 1),
        ("social", "t.co", "twitter"): (1, 1),
        ("direct", "", ""): (1, 1),
    }


def test_rolling_up_twice_changes_nothing(scenario, channel, day):
    roll_all(day)
    before = sorted(
        (r.channel_id, r.bucket, tuple(figures(r).values())) for r in ChannelHourlyStats.objects.all()
    )
    days_before = sorted(
        (r.channel_id, r.bucket, tuple(figures(r).values())) for r in ChannelDailyStats.objects.all()
    )
    traffic_before = sorted(
        TrafficDaily.objects.values_list("channel_id", "day", "source", "referrer_host", "visits")
    )
    roll_all(day)
    assert (
        sorted((r.channel_id, r.bucket, tuple(figures(r).values())) for r in ChannelHourlyStats.objects.all())
        == before
    )
    assert (
        sorted((r.channel_id, r.bucket, tuple(figures(r).values())) for r in ChannelDailyStats.objects.all())
        == days_before
    )
    assert sorted(
        TrafficDaily.objects.values_list("channel_id", "day", "source", "referrer_host", "visits")
    ) == (traffic_before)
    assert ChannelHourlyStats.objects.count() == 4 and ChannelDailyStats.objects.count() == 3


def test_a_rerun_corrects_a_bucket_whose_activity_went_away(scenario, channel, day):
    roll_all(day)
    Message.objects.filter(channel=channel).update(state=MessageState.DENIED)  # moderators removed them
    PageVisit.objects.filter(channel=channel).delete()
    roll_all(day)
    row = ChannelHourlyStats.objects.get(channel=channel, bucket=at(day, 22))
    assert (row.chat_messages, row.page_visits, row.viewer_minutes) == (0, 0, 450)
    assert not TrafficDaily.objects.filter(channel=channel).exists()


def test_a_live_stream_counts_streamed_time_up_to_now(channel):
    now = timezone.now().replace(minute=40, second=0, microsecond=0)
    StreamSessionFactory(
        channel=channel, status="live", started_at=now - dt.timedelta(minutes=30), ended_at=None
    )
    rollups.rollup_hour(hour=now, now=now)
    assert ChannelHourlyStats.objects.get(channel=channel).streamed_seconds == 1800


def test_the_beat_jobs_roll_up_the_current_and_previous_hour_and_day(scenario, channel, day):
    from analytics import tasks

    rollups.rollup_recent(now=at(day, 0, 10, days=1))  # hours 23 and 00, and 22 where the stream began
    assert set(ChannelHourlyStats.objects.filter(channel=channel).values_list("bucket", flat=True)) == {
        at(day, 22),
        at(day, 23),
        at(day, 0, days=1),
    }
    rollups.rollup_recent_days(now=at(day, 0, 10, days=1))
    assert ChannelDailyStats.objects.filter(channel=channel).count() == 2
    # The task bodies (what the beat runs) work on "now": nothing active then, nothing written.
    assert (tasks.rollup_hourly(), tasks.rollup_daily(), tasks.prune_raw_analytics()) == (0, 0, 0)


def test_the_backfill_command_rolls_up_every_hour_and_day_since(scenario, channel, day):
    out = StringIO()
    until = day + dt.timedelta(days=1)
    call_command("rollup_analytics", since=day.isoformat(), until=until.isoformat(), stdout=out)
    assert "Rolled up 2 days and 48 hours" in out.getvalue()
    assert ChannelDailyStats.objects.get(channel=channel, bucket=at(day, 0)).viewer_minutes == 2310
    assert ChannelHourlyStats.objects.get(channel=channel, bucket=at(day, 23)).peak_viewers == 90
    call_command("rollup_analytics", since=day.isoformat(), until=until.isoformat(), stdout=StringIO())
    assert ChannelDailyStats.objects.filter(channel=channel).count() == 2


def test_the_backfill_refuses_bad_dates_and_stops_at_the_raw_retention(settings):
    with pytest.raises(CommandError):
        call_command("rollup_analytics", since="2026-13-01")
    with pytest.raises(CommandError):
        call_command("rollup_analytics", since="2026-02-02", until="2026-02-01")
    settings.ANALYTICS_RAW_RETENTION_DAYS = 3
    err, out = StringIO(), StringIO()
    call_command("rollup_analytics", since="2000-01-01", stdout=out, stderr=err)
    assert "Raw data is kept from" in err.getvalue()
    assert "Rolled up 4 days" in out.getvalue()  # the three kept days and today


def test_pruning_drops_raw_rows_past_the_retention_and_keeps_roll_ups(channel, settings):
    settings.ANALYTICS_RAW_RETENTION_DAYS = 10
    now = timezone.now()
    raw.visit(channel, now - dt.timedelta(days=12))
    raw.visit(channel, now - dt.timedelta(days=2))
    raw.follow_event(channel, now - dt.timedelta(days=12))
    rollups.rollup_day(day=(now - dt.timedelta(days=12)).date(), now=now)
    assert rollups.prune_raw(now=now) == {"page_visits": 1, "follow_events": 1}
    assert PageVisit.objects.count() == 1 and not FollowEvent.objects.exists()
    assert ChannelDailyStats.objects.get(channel=channel).page_visits == 1


def test_follows_and_unfollows_become_events_for_net_growth(channel, django_capture_on_commit_callbacks):
    fans = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):  # follow_changed is sent after commit
        for fan in fans:
            channel_services.follow_create(user=fan, channel=channel)
        channel_services.follow_delete(user=fans[0], channel=channel)
        channel_services.follow_create(user=fans[1], channel=channel)  # already following: no event
    assert sorted(FollowEvent.objects.filter(channel=channel).values_list("delta", flat=True)) == [
        -1,
        1,
        1,
        1,
    ]
    assert FollowEvent.objects.filter(user=fans[0]).count() == 2
    rollups.rollup_day(day=timezone.now().astimezone(UTC).date())
    row = ChannelDailyStats.objects.get(channel=channel)
    assert (row.follows, row.unfollows, row.net_followers) == (3, 1, 2)


def test_the_beat_schedule_names_the_analytics_tasks():
    from django.conf import settings

    from aethex.celery import app

    app.loader.import_default_modules()
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["analytics.tasks.rollup_hourly"] == 600.0
    assert schedule["analytics.tasks.rollup_daily"] == 3600.0
    assert "analytics.tasks.prune_raw_analytics" in schedule
    assert {"analytics.tasks.rollup_hourly", "analytics.tasks.rollup_daily"} <= set(app.tasks)


def test_a_long_stream_keeps_its_start_hour_up_to_date(channel):
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    stream = StreamSessionFactory(
        channel=channel,
        status="live",
        started_at=now - dt.timedelta(hours=5),
        ended_at=None,
        unique_viewers=3,
    )
    rollups.rollup_recent(now=now - dt.timedelta(hours=5))
    stream.unique_viewers, stream.watch_seconds = 80, 96_000  # the sampler kept counting
    stream.save(update_fields=["unique_viewers", "watch_seconds"])
    rollups.rollup_recent(now=now)
    start_row = ChannelHourlyStats.objects.get(channel=channel, bucket=rollups.hour_start(stream.started_at))
    assert (start_row.unique_viewers, start_row.watch_seconds) == (80, 96_000)
    rollups.rollup_recent_days(now=now)
    day_row = ChannelDailyStats.objects.get(
        channel=channel, bucket=rollups.day_start(stream.started_at.date())
    )
    assert day_row.unique_viewers == 80


@pytest.mark.parametrize("channels", [1, 15])
def test_a_bucket_costs_a_fixed_number_of_queries(channels, django_assert_max_num_queries):
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    for i in range(channels):
        made, _ = make_channel(f"chan{i:02d}", owner=UserFactory())
        stream = StreamSessionFactory(channel=made, started_at=now - dt.timedelta(minutes=20), ended_at=now)
        raw.samples(stream, now - dt.timedelta(minutes=20), [3, 4, 5])
        raw.visit(made, now, "x")
        raw.follow_event(made, now)
    with django_assert_max_num_queries(9):  # savepoint pair, 6 grouped reads, the existing rows, 1 upsert
        assert rollups.rollup_hour(hour=now, now=now) == channels
    with django_assert_max_num_queries(12):  # + the day's traffic: read, delete, insert
        assert rollups.rollup_day(day=now.astimezone(UTC).date(), now=now) == channels
