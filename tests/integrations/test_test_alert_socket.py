"""A test alert sent from the dashboard reaches the open overlay socket (marked test, not logged)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from integrations import services
from integrations.models import AlertEvent
from tests.factories import UserFactory
from tests.integrations.conftest import connect_overlay, frame_of
from tests.integrations.factories import alert_channel

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_dashboards_test_button_reaches_the_overlay():
    owner = await database_sync_to_async(UserFactory)()
    settings = await database_sync_to_async(alert_channel)(slug="nova", owner_user=owner)
    socket = await connect_overlay("nova", settings.token)
    await frame_of(socket, "ready")

    def press() -> int:
        client = Client()
        client.force_login(owner)
        url = reverse("dashboard-alerts-test") + "?channel=nova"
        return client.post(url, {"kind": "subscription"}, HTTP_ACCEPT="application/json").status_code

    assert await sync_to_async(press)() == 200
    alert = (await frame_of(socket, "alert"))["alert"]
    assert (alert["kind"], alert["test"], alert["title"]) == (
        "subscription",
        True,
        "TestSub just subscribed!",
    )
    assert await database_sync_to_async(AlertEvent.objects.count)() == 0
    await socket.disconnect()


async def test_replaying_a_logged_alert_reaches_the_overlay_without_logging_it_again():
    owner = await database_sync_to_async(UserFactory)()
    settings = await database_sync_to_async(alert_channel)(slug="nova", owner_user=owner)
    event = await database_sync_to_async(services.alert_raid)(
        channel=settings.channel, from_channel_name="Vega", viewers=9
    )
    socket = await connect_overlay("nova", settings.token)
    await frame_of(socket, "ready")

    def press() -> int:
        client = Client()
        client.force_login(owner)
        url = reverse("dashboard-alerts-replay", args=[event.pk]) + "?channel=nova"
        return client.post(url, HTTP_ACCEPT="application/json").status_code

    assert await sync_to_async(press)() == 200
    alert = (await frame_of(socket, "alert"))["alert"]
    assert (alert["title"], alert["replay"], alert["test"]) == (
        "Vega is raiding with 9 viewers!",
        True,
        False,
    )
    assert await database_sync_to_async(AlertEvent.objects.count)() == 1
    await socket.disconnect()
