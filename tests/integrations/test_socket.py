"""The alerts overlay socket: token checks, alerts from the money and follow signals, rotation."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from channels_app.models import Channel
from channels_app.signals import follow_changed
from integrations import services
from integrations.models import AlertEvent, AlertKind
from monetization.signals import donation_received
from tests.factories import UserFactory
from tests.integrations.conftest import connect_overlay, frame_of, quiet
from tests.integrations.factories import alert_channel, stand_in_donation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alerts(db):
    return alert_channel(slug="nova")


async def open_overlay(settings, slug: str = "nova") -> object:
    socket = await connect_overlay(slug, settings.token)
    assert await frame_of(socket, "ready") == {"type": "ready"}
    return socket


@database_sync_to_async
def send_donation(channel, **fields) -> None:
    donation_received.send(sender=object, donation=stand_in_donation(channel, **fields))


async def test_a_donation_reaches_the_alerts_overlay_socket(alerts):
    socket = await open_overlay(alerts)
    await send_donation(alerts.channel, amount="12.50", display_name="Mira", message="Great stream")

    alert = (await frame_of(socket, "alert"))["alert"]

    event = await database_sync_to_async(AlertEvent.objects.get)()
    assert alert["id"] == event.pk
    assert (alert["kind"], alert["title"], alert["amount"]) == ("donation", "Mira donated $12.50!", "$12.50")
    assert alert["message"] == "Great stream"
    assert alert["duration"] == 6 and alert["sound"].endswith("sounds/coins.ogg")
    assert alert["tts"] is True and alert["test"] is False
    await socket.disconnect()


async def test_an_anonymous_donation_shows_as_anonymous(alerts):
    socket = await open_overlay(alerts)
    await send_donation(alerts.channel, display_name="", donor=None)
    assert (await frame_of(socket, "alert"))["alert"]["title"] == "Anonymous donated $5.00!"
    await socket.disconnect()


@pytest.mark.parametrize("token", [None, "", "wrong-token", "x" * 500])
async def test_a_missing_or_wrong_token_is_closed_with_4403(alerts, token):
    socket = await connect_overlay("nova", token)
    assert await socket.receive_output() == {"type": "websocket.close", "code": 4403}


async def test_another_channels_token_is_refused(alerts):
    other = await database_sync_to_async(alert_channel)(slug="vega")
    socket = await connect_overlay("nova", other.token)
    assert await socket.receive_output() == {"type": "websocket.close", "code": 4403}


async def test_a_suspended_channels_overlay_is_refused(alerts):
    from django.utils import timezone

    await database_sync_to_async(Channel.objects.filter(pk=alerts.channel_id).update)(
        suspended_at=timezone.now()
    )
    socket = await connect_overlay("nova", alerts.token)
    assert await socket.receive_output() == {"type": "websocket.close", "code": 4403}


async def test_rotation_closes_open_overlays_and_only_the_new_token_works(alerts):
    old_token = alerts.token
    socket = await open_overlay(alerts)

    rotated = await database_sync_to_async(services.alert_token_rotate)(settings=alerts)

    assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
    assert rotated.token != old_token
    refused = await connect_overlay("nova", old_token)
    assert await refused.receive_output() == {"type": "websocket.close", "code": 4403}
    fresh = await open_overlay(rotated)
    await send_donation(alerts.channel)
    assert (await frame_of(fresh, "alert"))["alert"]["kind"] == "donation"
    await fresh.disconnect()


async def test_donations_below_the_minimum_do_not_alert(alerts):
    await database_sync_to_async(alerts.rules.filter(kind=AlertKind.DONATION).update)(min_amount_cents=500)
    socket = await open_overlay(alerts)

    await send_donation(alerts.channel, amount="4.99")
    assert await quiet(socket)
    await send_donation(alerts.channel, amount="5.00")
    assert (await frame_of(socket, "alert"))["alert"]["amount"] == "$5.00"
    assert await database_sync_to_async(AlertEvent.objects.count)() == 1
    await socket.disconnect()


async def test_disabled_kinds_are_not_sent(alerts):
    await database_sync_to_async(alerts.rules.filter(kind=AlertKind.DONATION).update)(enabled=False)
    socket = await open_overlay(alerts)
    await send_donation(alerts.channel)
    assert await quiet(socket)
    assert await database_sync_to_async(AlertEvent.objects.count)() == 0
    await socket.disconnect()


@database_sync_to_async
def follow(channel, user, following: bool = True) -> None:
    follow_changed.send(sender=Channel, channel=channel, user=user, following=following)


async def test_follow_spam_alerts_once_per_user(alerts):
    fan = await database_sync_to_async(UserFactory)(display_name="Fan")
    socket = await open_overlay(alerts)

    await follow(alerts.channel, fan)
    assert (await frame_of(socket, "alert"))["alert"]["title"] == "Fan just followed!"
    await follow(alerts.channel, fan, following=False)
    await follow(alerts.channel, fan)
    assert await quiet(socket)

    second = await database_sync_to_async(UserFactory)(display_name="Second")
    await follow(alerts.channel, second)
    assert (await frame_of(socket, "alert"))["alert"]["title"] == "Second just followed!"
    await socket.disconnect()


async def test_an_unfollow_never_alerts(alerts):
    fan = await database_sync_to_async(UserFactory)()
    socket = await open_overlay(alerts)
    await follow(alerts.channel, fan, following=False)
    assert await quiet(socket)
    await socket.disconnect()


async def test_alerts_go_to_their_own_channel_only(alerts):
    other = await database_sync_to_async(alert_channel)(slug="vega")
    socket = await open_overlay(other, slug="vega")
    await send_donation(alerts.channel)
    assert await quiet(socket)
    await socket.disconnect()


async def test_the_socket_is_read_only_except_ping(alerts):
    socket = await open_overlay(alerts)
    await socket.send_json_to({"type": "ping"})
    assert await frame_of(socket, "pong") == {"type": "pong"}
    for bad in ('{"type": "alert", "alert": {}}', "not json", "[1]"):
        await socket.send_to(text_data=bad)
        assert (await frame_of(socket, "error"))["code"] == "read_only"
    await send_donation(alerts.channel)
    assert (await frame_of(socket, "alert"))["alert"]["kind"] == "donation"
    await socket.disconnect()
