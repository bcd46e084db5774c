"""The Analytics page over a date range: presets, custom range and its errors, cards and charts
from the roll-ups in the viewer's zone, traffic sources, permissions and a fixed query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from analytics import rollups
from analytics.models import ChannelDailyStats, ChannelHourlyStats, Source, TrafficDaily
from channels_app.models import ChannelRole, Follow, Role
from tests.analytics import factories as raw
from tests.analytics.conftest import login
from tests.factories import StreamSessionFactory, UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def hour(day: dt.date, h: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, h, tzinfo=UTC)


@pytest.fixture
def seeded(channel):
    """Two days ago: a 2-hour stream with samples, chat, follows and visits, rolled up."""
    day = timezone.now().astimezone(UTC).date() - dt.timedelta(days=2)
    stream = StreamSessionFactory(
        channel=channel,
        started_at=hour(day, 10),
        ended_at=hour(day, 12),
        unique_viewers=40,
        watch_seconds=48_000,
    )
    raw.samples(stream, hour(day, 10), [10] * 60 + [30] * 60)  # avg 20, peak 30
    raw.messages(channel, hour(day, 10) + dt.timedelta(minutes=5), 4, stream=stream)
    raw.messages(channel, hour(day, 11) + dt.timedelta(minutes=5), 2, stream=stream)
    for minute in (1, 2, 3):
        raw.follow_event(channel, hour(day, 10) + dt.timedelta(minutes=minute))
    raw.follow_event(channel, hour(day, 11), delta=-1)
    raw.visit(channel, hour(day, 10), "a", Source.SEARCH, referrer_host="google.com")
    raw.visit(channel, hour(day, 10), "b", Source.SEARCH, referrer_host="google.com")
    raw.visit(channel, hour(day, 11), "c", Source.SOCIAL, referrer_host="t.co", utm_source="twitter")
    raw.visit(channel, hour(day, 11), "d", Source.DIRECT)
    rollups.rollup_range(since=day, until=day)
    return day, stream


def test_the_default_range_is_the_last_30_days_with_cards_from_the_roll_ups(seeded, owner):
    response = login(owner).get("/dashboard/analytics/")
    assert response.status_code == 200
    date_range = response.context["date_range"]
    assert (date_range.days, date_range.end) == (30, timezone.localdate())
    figures = response.context["figures"]
    assert figures["streamed_seconds"] == 7200
    assert figures["average_viewers"] == 20
    assert figures["peak_viewers"] == 30
    assert figures["unique_viewers"] == 40
    assert figures["average_watch_seconds"] == 1200
    assert figures["chat_messages"] == 6
    assert figures["net_followers"] == 2
    assert figures["page_visits"] == 4
    body = response.content.decode()
    assert "2 h 00 min" in body and "20 min 00 s" in body and "+2" in body
    assert 'aria-current="true"' in body  # the 30-day preset is marked


def test_the_charts_carry_viewers_chat_and_follower_growth(seeded, channel, owner):
    day, _ = seeded
    for fan in UserFactory.create_batch(2):  # today's followers: the total the growth line ends on
        Follow.objects.create(user=fan, channel=channel)
    data = login(owner).get("/dashboard/analytics/?range=7").context["chart_data"]
    assert data["granularity"] == "hour"
    by_time = {t: v for t, v in data["viewers"] if v is not None}
    assert by_time == {
        int(hour(day, 10).timestamp() * 1000): 10.0,
        int(hour(day, 11).timestamp() * 1000): 30.0,
    }
    assert sum(v for _, v in data["chat"]) == 6 and len(data["chat"]) == 7 * 24
    daily = dict(data["followers"]["daily"])
    assert daily[int(hour(day, 0).timestamp() * 1000)] == 2
    cumulative = [v for _, v in data["followers"]["cumulative"]]
    # 2 followers now, +2 net two days ago (rolled up), today's follows not rolled up yet: the line
    # starts at 0 and ends on today's total.
    assert cumulative[0] == 0 and cumulative[-1] == 2


def test_long_ranges_chart_per_day(seeded, owner):
    data = login(owner).get("/dashboard/analytics/?range=90").context["chart_data"]
    assert data["granularity"] == "day" and len(data["chat"]) == 90
    assert sum(v for _, v in data["chat"]) == 6
    assert max(v for _, v in data["peak"] if v is not None) == 30


def test_a_custom_range_picks_whole_days_in_the_viewers_time_zone(channel, owner):
    owner.time_zone = "Asia/Tokyo"
    owner.save(update_fields=["time_zone"])
    day = dt.date(2026, 3, 10)
    # 15:00 UTC on the 9th is midnight of the 10th in Tokyo; 15:00 UTC on the 10th is the 11th there.
    ChannelHourlyStats.objects.create(
        channel=channel, bucket=hour(day, 0) - dt.timedelta(hours=9), chat_messages=5
    )
    ChannelHourlyStats.objects.create(channel=channel, bucket=hour(day, 14), chat_messages=7)
    ChannelHourlyStats.objects.create(channel=channel, bucket=hour(day, 15), chat_messages=100)
    response = login(owner).get("/dashboard/analytics/?range=custom&from=2026-03-10&to=2026-03-10")
    assert response.context["figures"]["chat_messages"] == 12
    assert "10 Mar 2026 – 10 Mar 2026 (Asia/Tokyo)" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-03-10&to=2026-03-01", "The end date is before the start date."),
        ("from=2024-01-01&to=2025-12-31", "Pick at most 366 days."),
        ("from=2026-03-10&to=", "Pick both a start and an end date."),
        ("from=not-a-date&to=2026-03-01", "Enter a valid date."),
        ("range=12", "Select a valid choice."),
        ("from=2099-01-01&to=2099-01-02", "The end date is in the future."),
    ],
)
def test_an_invalid_range_shows_the_error_and_the_last_30_days(channel, owner, query, message):
    response = login(owner).get(
        f"/dashboard/analytics/?range=custom&{query}".replace("range=custom&range", "range")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Showing the last 30 days instead." in body
    assert response.context["date_range"].days == 30


def test_a_valid_custom_range_keeps_its_dates_in_the_form_and_pagination(channel, owner):
    start = timezone.localdate() - dt.timedelta(days=100)
    for i in range(25):
        StreamSessionFactory(channel=channel, started_at=timezone.now() - dt.timedelta(days=60, hours=i))
    response = login(owner).get(f"/dashboard/analytics/?from={start}&to={start + dt.timedelta(days=80)}")
    body = response.content.decode()
    assert f'value="{start.isoformat()}"' in body
    assert len(response.context["page"].object_list) == 20
    assert f"from={start.isoformat()}" in body and "page=2" in body
    recent = login(owner).get("/dashboard/analytics/?range=7")
    assert recent.context["page"].paginator.count == 0
    assert "You didn’t stream in this period." in recent.content.decode()


def test_the_traffic_table_lists_sources_with_their_share(seeded, owner):
    response = login(owner).get("/dashboard/analytics/")
    rows = [
        (r["source"], r["referrer_host"], r["utm_source"], r["visits"], r["share"])
        for r in response.context["traffic"]
    ]
    assert rows == [
        ("search", "google.com", "", 2, 50.0),
        ("direct", "", "", 1, 25.0),
        ("social", "t.co", "twitter", 1, 25.0),
    ]
    body = response.content.decode()
    assert "Search engines" in body and "t.co" in body and "twitter" in body


def test_an_empty_channel_gets_empty_states(channel, owner):
    body = login(owner).get("/dashboard/analytics/").content.decode()
    assert "No viewers in this period" in body
    assert "No visits recorded in this period" in body
    assert "You haven’t streamed yet" in body


def test_the_page_is_for_owners_editors_and_staff_only(seeded, channel, owner, other_user, client):
    assert client.get("/dashboard/analytics/?channel=nova").status_code == 302
    make_channel("sol", owner=other_user)
    assert login(other_user).get("/dashboard/analytics/?channel=nova").status_code == 404
    editor = UserFactory()
    ChannelRole.objects.create(channel=channel, user=editor, role=Role.EDITOR)
    assert login(editor).get("/dashboard/analytics/?channel=nova").context["figures"]["chat_messages"] == 6
    moderator = UserFactory()
    ChannelRole.objects.create(channel=channel, user=moderator, role=Role.MODERATOR)
    assert login(moderator).get("/dashboard/analytics/?channel=nova").status_code == 404


def test_the_stream_report_lists_the_streams_traffic(seeded, owner, channel):
    _, stream = seeded
    raw.visit(channel, stream.started_at, "z", Source.EMBED, referrer_host="blog.example.com", stream=stream)
    body = login(owner).get(f"/dashboard/streams/{stream.pk}/").content.decode()
    assert "Embedded player" in body and "blog.example.com" in body
    assert f"/dashboard/streams/{stream.pk}/export.csv" in body


@pytest.mark.parametrize("size", [1, 40])
def test_the_range_page_runs_a_fixed_number_of_queries(channel, owner, size, django_assert_max_num_queries):
    today = timezone.now().astimezone(UTC).date()
    for i in range(size):
        day = today - dt.timedelta(days=i % 80)
        StreamSessionFactory(channel=channel, started_at=hour(day, 1))
        ChannelHourlyStats.objects.create(
            channel=channel, bucket=hour(day, 1), viewer_minutes=60, sampled_minutes=6
        )
        ChannelDailyStats.objects.create(channel=channel, bucket=hour(day, 0), follows=2)
        TrafficDaily.objects.create(
            channel=channel, day=day, source=Source.SOCIAL, referrer_host=f"h{i}.example"
        )
    client = login(owner)
    client.get("/dashboard/overview.json")  # the session's first request records it (allauth)
    for query in ("", "?range=90"):
        with django_assert_max_num_queries(18):  # 8 for the page, 10 for session, user, bell
            assert client.get(f"/dashboard/analytics/{query}").status_code == 200
