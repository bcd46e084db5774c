"""The admin shows alert settings and the log without ever displaying the overlay token."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations import services
from tests.factories import UserFactory
from tests.integrations.factories import alert_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_never_shows_the_token(staff_client):
    settings = alert_channel(slug="nova")
    listing = staff_client.get(reverse("admin:integrations_alertsettings_changelist"))
    detail = staff_client.get(reverse("admin:integrations_alertsettings_change", args=[settings.pk]))

    assert listing.status_code == detail.status_code == 200
    for response in (listing, detail):
        body = response.content.decode()
        assert settings.token not in body
    assert settings.token_hint in listing.content.decode()


def test_the_admin_action_rotates_tokens(staff_client):
    settings = alert_channel(slug="nova")
    old = settings.token
    response = staff_client.post(
        reverse("admin:integrations_alertsettings_changelist"),
        {"action": "rotate_tokens", "_selected_action": [settings.pk]},
    )
    assert response.status_code == 302
    settings.refresh_from_db()
    assert settings.token != old and settings.token_version == 2


def test_the_alert_log_lists_events(staff_client):
    settings = alert_channel(slug="nova")
    services.alert_raid(channel=settings.channel, from_channel_name="Vega", viewers=3)
    response = staff_client.get(reverse("admin:integrations_alertevent_changelist"))
    assert response.status_code == 200 and "Vega is raiding with 3 viewers!" in response.content.decode()
