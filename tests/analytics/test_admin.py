"""The analytics admin: roll-ups are read-only and the recompute action reruns them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from analytics import rollups
from analytics.models import ChannelDailyStats, ChannelHourlyStats
from tests.analytics import factories as raw
from tests.analytics.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_recompute_selected_buckets_and_cannot_edit_them(channel):
    now = timezone.now()
    raw.messages(channel, now, 2)
    rollups.rollup_hour(hour=now)
    rollups.rollup_day(day=now.astimezone(dt.UTC).date())
    raw.messages(channel, now, 1)  # arrived after the roll-up ran
    admin = login(UserFactory(is_staff=True, is_superuser=True))
    hourly = ChannelHourlyStats.objects.get()
    daily = ChannelDailyStats.objects.get()
    for url, pk in (
        ("/admin/analytics/channelhourlystats/", hourly.pk),
        ("/admin/analytics/channeldailystats/", daily.pk),
    ):
        assert admin.get(url).status_code == 200
        response = admin.post(url, {"action": "recompute", "_selected_action": [pk]}, follow=True)
        assert "Recomputed 1" in response.content.decode()
    hourly.refresh_from_db()
    daily.refresh_from_db()
    assert (hourly.chat_messages, daily.chat_messages) == (3, 3)
    assert admin.get("/admin/analytics/channelhourlystats/add/").status_code == 403
    for url in (
        "/admin/analytics/pagevisit/",
        "/admin/analytics/followevent/",
        "/admin/analytics/trafficdaily/",
    ):
        assert admin.get(url).status_code == 200
