"""The Overview and a stream report in headless Chromium: the charts draw from the page's data.

Set SCREENSHOT_DIR to keep PNGs of both pages (desktop and phone) for a look.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from accounts.models import User
from channels_app.models import Follow
from streams import presence
from streams.models import HealthSample, StreamStatus, ViewerSample
from tests.browser_helpers import sign_in as _login
from tests.factories import ChatMessageFactory, StreamSessionFactory, UserFactory
from tests.streams.helpers import make_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_viewport() -> dict[str, int]:
    return {"width": 1366, "height": 900}


@pytest.fixture
def seeded(transactional_db) -> tuple[User, int]:
    """A live stream with 38 viewers, samples, followers, chat and five past streams (made before
    Chromium starts: Playwright runs an event loop in this thread)."""
    owner = UserFactory.create(username="nova_owner", display_name="Nova")
    channel, _ = make_channel("nova", owner=owner, title="Speedrunning all night")
    now = timezone.now()
    live = StreamSessionFactory.create(
        channel=channel,
        status=StreamStatus.LIVE,
        started_at=now - timedelta(minutes=47),
        title="Any% attempts, chat picks the route",
        peak_viewers=61,
    )
    ViewerSample.objects.bulk_create(
        ViewerSample(stream=live, viewers=20 + i + (i % 5) * 3, taken_at=now - timedelta(minutes=29 - i))
        for i in range(29)
    )
    HealthSample.objects.create(stream=live, bitrate_in=6_000_000, fps_measured=60, width=1920, height=1080)
    for i in range(38):
        async_to_sync(presence.store().join)("nova", f"u{i}", f"c{i}", live.pk)
    fans = [UserFactory.create(display_name=name) for name in ("Pixel Fan", "Ada", "Route Nerd")]
    for i, fan in enumerate(fans):
        Follow.objects.create(user=fan, channel=channel, created_at=now - timedelta(minutes=3 + i * 40))
    for i in range(40):
        ChatMessageFactory.create(
            channel=channel,
            stream=live,
            user=fans[i % 3],
            text=f"PogChamp {i}",
            sent_at=now - timedelta(minutes=i % 29),
        )
    past = None
    for day in range(1, 6):
        past = StreamSessionFactory.create(
            channel=channel,
            started_at=now - timedelta(days=day, hours=2),
            peak_viewers=30 + day,
            unique_viewers=80 + day * 7,
            watch_seconds=(80 + day * 7) * (900 + day * 60),
            title=f"Practice session {day}",
        )
        ViewerSample.objects.bulk_create(
            ViewerSample(
                stream=past, viewers=10 + (i * 7) % 25, taken_at=past.started_at + timedelta(minutes=i)
            )
            for i in range(60)
        )
    assert past is not None
    return owner, past.pk


def _shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", (1366, 900)), ("phone", (390, 844))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_timeout(300)
        page.screenshot(path=f"{folder}/{label}-{name}.png", full_page=True)


def test_the_overview_and_a_report_draw_their_charts(seeded, page, live_server):
    owner, past_id = seeded
    _login(page, live_server, owner)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector('[data-chart="viewers"] path.chart-line')
    page.wait_for_selector('[data-chart="chat"] path.chart-line')
    assert page.locator("#overview-live [data-viewers]").inner_text() == "38"
    _shoot(page, "overview-live")
    page.goto(f"{live_server.url}/dashboard/streams/{past_id}/")
    page.wait_for_selector('[data-chart="report-viewers"] path.chart-line')
    _shoot(page, "stream-report")
    page.goto(f"{live_server.url}/dashboard/analytics/")
    _shoot(page, "analytics")


@pytest.fixture
def newcomer(transactional_db) -> User:
    owner = UserFactory.create(username="fresh_owner")
    make_channel("fresh", owner=owner, title="My first stream")
    return owner


def test_a_new_channels_overview_says_how_to_go_live(newcomer, page, live_server):
    _login(page, live_server, newcomer)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_by_text("You haven’t streamed yet").is_visible()
    assert page.locator('[data-chart="viewers"]').is_hidden()  # offline: the empty state instead
    _shoot(page, "overview-offline")
