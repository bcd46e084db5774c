"""The dashboard Overview, its live JSON, the Analytics list and the per-stream report:
content live and offline, who may see them, and fixed query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.utils import timezone

from accounts.models import User
from channels_app.models import ChannelRole, Follow, Role
from streams import presence
from streams.models import HealthSample, StreamStatus, ViewerSample
from tests.analytics.conftest import login
from tests.factories import ChatMessageFactory, StreamSessionFactory, UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db


def _live_stream(channel, viewers: int = 0):
    stream = StreamSessionFactory.create(
        channel=channel,
        status=StreamStatus.LIVE,
        started_at=timezone.now() - timedelta(minutes=20),
        title="Any% attempts",
        peak_viewers=viewers,
    )
    for i in range(viewers):
        async_to_sync(presence.store().join)(channel.slug, f"u{i}", f"c{i}", stream.pk)
    return stream


def _populate(channel, *, streams: int, followers: int, messages: int) -> None:
    """Past streams with samples, followers and chat: the data the pages must not loop over."""
    now = timezone.now()
    made = [
        StreamSessionFactory.create(
            channel=channel,
            started_at=now - timedelta(days=i + 1),
            peak_viewers=10 + i,
            unique_viewers=20 + i,
            watch_seconds=600 * (20 + i),
        )
        for i in range(streams)
    ]
    for stream in made[:3]:
        ViewerSample.objects.bulk_create(
            ViewerSample(stream=stream, viewers=i, taken_at=stream.started_at + timedelta(minutes=i))
            for i in range(60)
        )
    fans = User.objects.bulk_create(
        User(username=f"fan{i}", email=f"fan{i}@example.com") for i in range(followers)
    )
    Follow.objects.bulk_create(
        Follow(user=fan, channel=channel, created_at=now - timedelta(minutes=i)) for i, fan in enumerate(fans)
    )
    author = UserFactory()
    ChatMessageFactory.create_batch(messages, channel=channel, user=author, stream=made[0] if made else None)


# --- Permissions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/overview.json", "/dashboard/analytics/", "/dashboard/streams/1/"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_user_cannot_see_the_channels_dashboard_or_reports(channel, other_user):
    stream = StreamSessionFactory(channel=channel)
    make_channel("sol", owner=other_user)
    client = login(other_user)
    assert client.get("/dashboard/?channel=nova").status_code == 404
    assert client.get("/dashboard/overview.json?channel=nova").status_code == 404
    assert client.get("/dashboard/analytics/?channel=nova").status_code == 404
    assert client.get(f"/dashboard/streams/{stream.pk}/").status_code == 404
    own = client.get("/dashboard/")  # their own overview, never nova's
    assert own.context["channel"].slug == "sol"


def test_editors_and_staff_see_the_dashboard_and_reports(channel):
    stream = StreamSessionFactory(channel=channel)
    editor = UserFactory()
    ChannelRole.objects.create(channel=channel, user=editor, role=Role.EDITOR)
    staff = UserFactory(is_staff=True)
    for user in (editor, staff):
        client = login(user)
        assert client.get("/dashboard/?channel=nova").status_code == 200
        assert client.get(f"/dashboard/streams/{stream.pk}/").status_code == 200


def test_a_moderator_is_not_an_editor(channel):
    moderator = UserFactory()
    ChannelRole.objects.create(channel=channel, user=moderator, role=Role.MODERATOR)
    stream = StreamSessionFactory(channel=channel)
    assert login(moderator).get(f"/dashboard/streams/{stream.pk}/").status_code == 404


def test_an_unknown_stream_report_is_a_404(channel, owner):
    assert login(owner).get("/dashboard/streams/999999/").status_code == 404


def test_a_user_without_a_channel_gets_the_create_form_and_can_create_one(user):
    client = login(user)
    page = client.get("/dashboard/")
    assert "Create your channel" in page.content.decode()
    created = client.post("/dashboard/", {"slug": "fresh_one", "display_name": "Fresh"})
    assert created.status_code == 200
    assert 'id="new-stream-key"' in created.content.decode()
    assert client.get("/dashboard/").templates[0].name == "dashboard/overview.html"


def test_an_editor_without_a_channel_can_still_create_their_own(channel):
    editor = UserFactory()
    ChannelRole.objects.create(channel=channel, user=editor, role=Role.EDITOR)
    client = login(editor)
    assert client.get("/dashboard/").context["channel"].slug == "nova"
    page = client.get("/dashboard/new/")
    assert "You’re an editor of" in page.content.decode()


# --- Overview content -----------------------------------------------------------------------------


def test_the_offline_overview_says_how_to_go_live(channel, owner):
    body = login(owner).get("/dashboard/").content.decode()
    assert "You haven’t streamed yet" in body
    assert "/dashboard/stream/?channel=nova" in body
    assert "No followers yet" in body
    assert 'aria-current="page"' in body and ">Overview<" in body


def test_the_live_overview_shows_status_viewers_and_the_end_button(channel, owner):
    stream = _live_stream(channel, viewers=3)
    ViewerSample.objects.create(stream=stream, viewers=2, taken_at=timezone.now() - timedelta(minutes=5))
    HealthSample.objects.create(stream=stream, bitrate_in=4_500_000, fps_measured=60, width=1920, height=1080)
    response = login(owner).get("/dashboard/")
    body = response.content.decode()
    assert response.context["figures"]["viewers"] == 3
    assert response.context["figures"]["status"] == "live"
    assert "Any% attempts" in body
    assert "/dashboard/stream/end/?channel=nova" in body
    assert "4500 kbps" in body and "1920×1080" in body
    assert response.context["chart_data"]["viewers"][0][1] == 2
    assert response.context["recent_streams"][0].is_live


def test_the_overview_lists_recent_followers_chat_and_streams(channel, owner):
    fan = UserFactory(display_name="Biggest Fan")
    Follow.objects.create(user=fan, channel=channel)
    stream = StreamSessionFactory(channel=channel, title="Last night", peak_viewers=42, unique_viewers=90)
    ChatMessageFactory(
        channel=channel, stream=stream, text="gg wp", sent_at=timezone.now() - timedelta(minutes=2)
    )
    body = login(owner).get("/dashboard/").content.decode()
    assert "Biggest Fan" in body
    assert "gg wp" in body
    assert "Last night" in body and ">42<" in body and ">90<" in body
    assert f"/dashboard/streams/{stream.pk}/" in body


def test_times_are_shown_in_the_viewers_time_zone(channel, owner):
    owner.time_zone = "Asia/Tokyo"
    owner.save(update_fields=["time_zone"])
    start = timezone.now().replace(hour=1, minute=15, second=0, microsecond=0) - timedelta(days=1)
    StreamSessionFactory(channel=channel, started_at=start)
    body = login(owner).get("/dashboard/").content.decode()
    assert "10:15" in body  # 01:15 UTC is 10:15 in Tokyo


# --- The live JSON --------------------------------------------------------------------------------


def test_the_overview_json_reports_live_viewers(channel, owner):
    client = login(owner)
    assert client.get("/dashboard/overview.json").json()["status"] == "offline"
    stream = _live_stream(channel, viewers=4)
    data = client.get("/dashboard/overview.json?channel=nova").json()
    assert (data["status"], data["stream_id"], data["viewers"], data["title"]) == (
        "live",
        stream.pk,
        4,
        "Any% attempts",
    )
    assert data["peak_viewers"] == 4


# --- Analytics list and report --------------------------------------------------------------------


def test_the_analytics_page_lists_every_stream_paginated(channel, owner):
    _populate(channel, streams=25, followers=0, messages=0)
    client = login(owner)
    first = client.get("/dashboard/analytics/")
    assert len(first.context["page"].object_list) == 20
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/dashboard/analytics/?channel=nova&page=2")
    assert len(second.context["page"].object_list) == 5


def test_the_stream_report_shows_its_figures_and_viewer_chart(channel, owner):
    start = timezone.now() - timedelta(hours=4)
    stream = StreamSessionFactory(
        channel=channel,
        started_at=start,
        ended_at=start + timedelta(hours=2),
        peak_viewers=12,
        unique_viewers=30,
        watch_seconds=30 * 1_500,
    )
    ViewerSample.objects.bulk_create(
        ViewerSample(stream=stream, viewers=v, taken_at=start + timedelta(minutes=i))
        for i, v in enumerate([3, 12, 7])
    )
    Follow.objects.create(user=UserFactory(), channel=channel, created_at=start + timedelta(minutes=30))
    ChatMessageFactory.create_batch(2, channel=channel, stream=stream, sent_at=start + timedelta(minutes=1))
    response = login(owner).get(f"/dashboard/streams/{stream.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 h 00 min" in body  # duration
    assert "25 min 00 s" in body  # average watch time: 45,000 s / 30 viewers
    report = response.context["stream"]
    assert (report.new_followers, report.chat_messages, report.unique_viewers) == (1, 2, 30)
    assert [v for _, v in response.context["chart_data"]["viewers"]] == [3, 12, 7]
    assert sum(v for _, v in response.context["chart_data"]["chat"]) == 2


# --- Query budgets ---------------------------------------------------------------------------------
# Each budget is the page's own queries plus 7 for the session, the user and allauth's user
# session (read, touched) and 1 for the header bell's unread count (cached once read): the same
# at 1 and at 40 streams, 200 followers and 200 messages.


@pytest.mark.parametrize("size", [1, 40])
def test_the_overview_runs_a_fixed_number_of_queries(channel, owner, size, django_assert_max_num_queries):
    _populate(channel, streams=size, followers=size * 5, messages=size * 5)
    _live_stream(channel, viewers=2)
    client = login(owner)
    client.get("/dashboard/overview.json")  # the session's first request records it (allauth)
    with django_assert_max_num_queries(18):
        response = client.get("/dashboard/")
    assert len(response.context["recent_streams"]) == min(size + 1, 10)


@pytest.mark.parametrize("size", [1, 40])
def test_the_report_and_analytics_pages_run_a_fixed_number_of_queries(
    channel, owner, size, django_assert_max_num_queries
):
    _populate(channel, streams=size, followers=size * 5, messages=size * 5)
    stream = channel.streams.order_by("-started_at").first()
    client = login(owner)
    client.get("/dashboard/overview.json")  # the session's first request records it (allauth)
    with django_assert_max_num_queries(14):  # + the stream's traffic sources
        assert client.get(f"/dashboard/streams/{stream.pk}/").status_code == 200
    with django_assert_max_num_queries(18):  # + range cards, charts, follower growth and traffic
        assert client.get("/dashboard/analytics/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/dashboard/overview.json").status_code == 200


def test_anyone_else_gets_the_same_404_from_the_json(channel):
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get("/dashboard/overview.json?channel=nova").status_code == 404
