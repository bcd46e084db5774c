"""The Analytics page in headless Chromium: charts draw from rolled-up data, the range picker
submits, and the channel page's beacon records a visit with its utm tags.

Set SCREENSHOT_DIR to keep PNGs (desktop and phone) for a look.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import User
from analytics import rollups
from analytics.models import FollowEvent, PageVisit, Source
from channels_app.models import Follow
from tests.analytics import factories as raw
from tests.browser_helpers import sign_in as _login
from tests.factories import StreamSessionFactory, UserFactory
from tests.streams.helpers import make_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
UTC = dt.UTC


@pytest.fixture
def browser_viewport() -> dict[str, int]:
    return {"width": 1366, "height": 900}


@pytest.fixture
def seeded(transactional_db) -> User:
    """Four weeks of evening streams with samples, chat, follows/unfollows and visits, rolled up
    (made before Chromium starts: Playwright runs an event loop in this thread)."""
    owner = UserFactory.create(username="nova_owner", display_name="Nova")
    channel, _ = make_channel("nova", owner=owner, title="Speedrunning all night")
    today = timezone.now().astimezone(UTC).date()
    sources = [
        (Source.SEARCH, "google.com", ""),
        (Source.SOCIAL, "t.co", "twitter"),
        (Source.DIRECT, "", ""),
        (Source.EXTERNAL, "speedrun.com", ""),
        (Source.EMBED, "blog.example.com", ""),
    ]
    for back in range(28, 0, -1):
        day = today - dt.timedelta(days=back)
        if back % 7 in (2, 5):
            continue  # days off
        start = dt.datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
        stream = StreamSessionFactory.create(
            channel=channel,
            started_at=start,
            ended_at=start + dt.timedelta(hours=2),
            peak_viewers=40 + back,
            unique_viewers=60 + 2 * back,
            watch_seconds=(60 + 2 * back) * 1500,
            title=f"Practice day {back}",
        )
        raw.samples(stream, start, [12 + (28 - back) + (i * 7) % 15 for i in range(120)])
        raw.messages(channel, start + dt.timedelta(minutes=10), 5 + (28 - back) % 9, stream=stream)
        raw.messages(channel, start + dt.timedelta(minutes=70), 3 + back % 5, stream=stream)
        for n in range(1 + (28 - back) // 6):
            raw.follow_event(channel, start + dt.timedelta(minutes=5 + n))
        for n in range({0: 1, 24: 3}.get(back % 4 if back != 24 else 24, 0)):  # day 24: a net loss
            raw.follow_event(channel, start + dt.timedelta(minutes=90 + n), delta=-1)
        for n in range(3 + back % 6):
            source, host, utm = sources[n % len(sources)]
            raw.visit(
                channel,
                start + dt.timedelta(minutes=n),
                f"v{back}-{n}",
                source,
                referrer_host=host,
                utm_source=utm,
            )
    net = sum(e.delta for e in FollowEvent.objects.filter(channel=channel))
    fans = User.objects.bulk_create(User(username=f"fan{i}", email=f"fan{i}@example.com") for i in range(net))
    Follow.objects.bulk_create(Follow(user=fan, channel=channel) for fan in fans)  # the total today
    rollups.rollup_range(since=today - dt.timedelta(days=29), until=today)
    return owner


def _shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", (1366, 900)), ("phone", (390, 844))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_timeout(300)
        page.screenshot(path=f"{folder}/{label}-{name}.png", full_page=True)


def test_the_range_page_draws_its_charts_and_the_picker_changes_the_range(seeded, page, live_server):
    _login(page, live_server, seeded)
    page.goto(f"{live_server.url}/dashboard/analytics/")
    page.wait_for_selector('[data-chart="range-viewers"] path.chart-line')
    page.wait_for_selector('[data-chart="range-chat"] path.chart-line')
    page.wait_for_selector('[data-chart="range-followers"] path.chart-line')
    assert page.locator('[data-chart="range-follower-bars"] rect.chart-bar').count() >= 15
    assert page.locator('[data-chart="range-follower-bars"] rect.chart-bar.is-negative').count() >= 1
    assert page.locator(".analytics-traffic tbody tr").count() >= 5
    _shoot(page, "analytics-range")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("link", name="Last 7 days").click()
    page.wait_for_url("**range=7")
    page.wait_for_selector('[data-chart="range-viewers"] path.chart-line')
    page.fill("#range-from", "2026-03-10")
    page.fill("#range-to", "2026-03-01")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_selector(".analytics-range .alert-error")
    assert "The end date is before the start date." in page.inner_text(".analytics-range")
    _shoot(page, "analytics-range-error")


def test_the_channel_page_beacon_records_a_visit(page, live_server, transactional_db):
    make_channel("nova", owner=UserFactory.create(username="nova_owner"))
    page.goto(f"{live_server.url}/nova/?utm_source=newsletter&utm_campaign=launch")
    deadline = time.monotonic() + 10
    while not PageVisit.objects.exists() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    visit = PageVisit.objects.get()
    assert (visit.source, visit.utm_source, visit.utm_campaign) == (Source.EXTERNAL, "newsletter", "launch")
    page.reload()  # the same browser again within 30 minutes: still one visit
    page.wait_for_timeout(1000)
    assert PageVisit.objects.count() == 1
