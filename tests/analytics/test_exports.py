"""CSV exports: the range's daily stats, streams and traffic, and a stream's per-minute series —
header, rows and numbers, defused formulas, bad input and who may download them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from analytics import rollups
from analytics.models import Source, TrafficDaily
from channels_app.models import ChannelRole, Role
from tests.analytics import factories as raw
from tests.analytics.conftest import login
from tests.factories import StreamSessionFactory, UserFactory
from tests.streams.helpers import make_channel

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def day() -> dt.date:
    return timezone.now().astimezone(UTC).date() - dt.timedelta(days=3)


@pytest.fixture
def stream(channel, day):
    start = dt.datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
    made = StreamSessionFactory(
        channel=channel,
        started_at=start,
        ended_at=start + dt.timedelta(minutes=3),
        title='=HYPERLINK("http://evil")',
        peak_viewers=9,
        unique_viewers=12,
        watch_seconds=12 * 90,
    )
    raw.samples(made, start, [4, 9, 7])
    raw.messages(channel, start + dt.timedelta(seconds=30), 2, stream=made)
    raw.messages(channel, start + dt.timedelta(minutes=2, seconds=5), 1, stream=made)
    raw.follow_event(channel, start + dt.timedelta(minutes=1))
    raw.visit(channel, start, "a", Source.SOCIAL, referrer_host="t.co", utm_campaign="-2+3")
    rollups.rollup_range(since=day, until=day)
    return made


def test_the_daily_csv_has_a_header_and_every_day_of_the_range(stream, owner, day):
    url = f"/dashboard/analytics/export.csv?kind=daily&from={day - dt.timedelta(days=1)}&to={day}"
    response = login(owner).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="nova-daily-{day - dt.timedelta(days=1)}-{day}.csv"'
    )
    header, empty, full = rows_of(response)
    assert header[:6] == [
        "date",
        "streamed_seconds",
        "streams_started",
        "viewer_minutes",
        "average_viewers",
        "peak_viewers",
    ]
    assert empty == [(day - dt.timedelta(days=1)).isoformat()] + ["0"] * (len(header) - 1)
    values = dict(zip(header, full, strict=True))
    assert values == {
        "date": day.isoformat(), "streamed_seconds": "180", "streams_started": "1", "viewer_minutes": "20",
        "average_viewers": "6.67", "peak_viewers": "9", "unique_viewers": "12", "average_watch_seconds": "90",
        "chat_messages": "3", "follows": "1", "unfollows": "0", "net_followers": "1", "page_visits": "1",
        "unique_visitors": "1",
    }  # fmt: skip


def test_the_streams_csv_lists_the_ranges_streams_and_defuses_formulas(stream, owner, day):
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    StreamSessionFactory(channel=stream.channel, started_at=timezone.now() - dt.timedelta(days=40))  # outside
    response = login(owner).get(f"/dashboard/analytics/export.csv?kind=streams&from={day}&to={day}")
    header, row = rows_of(response)
    values = dict(zip(header, row, strict=True))
    assert values["stream_id"] == str(stream.pk)
    assert values["title"] == '\'=HYPERLINK("http://evil")'
    assert values["started_at"].endswith("+01:00") or values["started_at"].endswith("+02:00")  # Paris time
    assert (values["duration_seconds"], values["peak_viewers"], values["unique_viewers"]) == (
        "180",
        "9",
        "12",
    )
    assert (values["average_watch_seconds"], values["new_followers"], values["chat_messages"]) == (
        "90",
        "0",
        "3",
    )


def test_the_traffic_csv_has_one_row_per_day_and_source(stream, owner, day):
    TrafficDaily.objects.create(
        channel=stream.channel, day=day - dt.timedelta(days=1), source=Source.DIRECT, visits=5
    )
    response = login(owner).get(
        f"/dashboard/analytics/export.csv?kind=traffic&from={day - dt.timedelta(days=1)}&to={day}"
    )
    rows = rows_of(response)
    assert rows[0] == [
        "date",
        "source",
        "referrer_host",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "visits",
        "unique_visitors",
    ]
    assert rows[1][:2] == [(day - dt.timedelta(days=1)).isoformat(), "direct"] and rows[1][6] == "5"
    assert rows[2] == [day.isoformat(), "social", "t.co", "", "", "'-2+3", "1", "1"]


def test_a_stream_exports_its_viewers_and_chat_per_minute(stream, owner):
    response = login(owner).get(f"/dashboard/streams/{stream.pk}/export.csv")
    assert response.status_code == 200
    assert f"nova-stream-{stream.pk}-" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["minute", "viewers", "chat_messages"]
    assert [(r[1], r[2]) for r in rows[1:]] == [("4", "2"), ("9", "0"), ("7", "1"), ("", "0")]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=everything", "kind"),
        ("kind=daily&from=2026-03-10&to=2026-03-01", "to"),
        ("from=nope&to=x", "from"),
    ],
)
def test_bad_export_parameters_are_a_400_with_the_field(channel, owner, query, field):
    response = login(owner).get(f"/dashboard/analytics/export.csv?{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_exports_are_for_owners_and_editors_only(stream, owner, other_user, client):
    urls = [
        "/dashboard/analytics/export.csv?channel=nova&kind=daily",
        f"/dashboard/streams/{stream.pk}/export.csv",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: log in first
    make_channel("sol", owner=other_user)
    stranger = login(other_user)
    assert stranger.get(urls[0]).status_code == 404
    assert stranger.get(urls[1]).status_code == 404
    editor = UserFactory()
    ChannelRole.objects.create(channel=stream.channel, user=editor, role=Role.EDITOR)
    assert all(login(editor).get(url).status_code == 200 for url in urls)
    assert login(owner).get("/dashboard/streams/999999/export.csv").status_code == 404
