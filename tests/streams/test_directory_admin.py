from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.streams.directory_helpers import live

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(UserFactory(username="ops_staff", is_staff=True, is_superuser=True))
    return client


def test_stream_admin_lists_viewer_count_trending_and_featured_rank(staff_client):
    live("shown", viewers=321, trending_score=7.25, featured_rank=2)
    page = staff_client.get("/admin/streams/stream/").content.decode()
    assert "321" in page and "7.25" in page and "#2" in page


def test_stream_admin_filters_featured_channels(staff_client):
    live("starred", featured_rank=1)
    live("plain")
    page = staff_client.get("/admin/streams/stream/?featured=yes").content.decode()
    assert "starred" in page and "plain" not in page
    page = staff_client.get("/admin/streams/stream/?featured=no").content.decode()
    assert "plain" in page and "starred" not in page


def test_staff_rank_featured_channels_from_the_channel_list(staff_client):
    stream = live("to_feature")
    channel = stream.channel
    page = staff_client.get("/admin/channels_app/channel/").content.decode()
    assert 'name="form-0-featured_rank"' in page
    response = staff_client.post(
        "/admin/channels_app/channel/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(channel.pk),
            "form-0-featured_rank": "3",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.featured_rank == 3
