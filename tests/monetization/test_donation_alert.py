"""The money loop meets the OBS overlay: a donation paid with a test card on localstripe, its signed
webhook through dj-stripe, and the alert on the channel's alerts overlay socket (real Donation, real
signal, real channel layer)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from integrations import services as alert_services
from integrations.models import AlertEvent
from monetization.models import Donation
from tests.integrations.conftest import connect_overlay, frame_of
from tests.monetization.conftest import pay, start_checkout

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_paid_donation_reaches_the_alerts_overlay_socket(stripe_server, client, viewer, channel):
    token_of_overlay = alert_services.alert_settings_ensure(channel=channel).token

    async def scenario() -> dict:
        socket = await connect_overlay(channel.slug, token_of_overlay)
        await frame_of(socket, "ready")
        checkout = await sync_to_async(start_checkout)(
            client, viewer, channel, "donate", {"amount_cents": 1500, "message": "for the new mic"}
        )
        await sync_to_async(pay)(client, checkout)
        # localstripe posts the webhook about 1 s after the payment.
        alert = (await frame_of(socket, "alert", timeout=15))["alert"]
        await socket.disconnect()
        return alert

    alert = async_to_sync(scenario)()

    donation = Donation.objects.get(channel=channel)
    assert (alert["kind"], alert["amount"], alert["message"]) == ("donation", "$15.00", "for the new mic")
    assert alert["title"] == f"{donation.display_name} donated $15.00!" and alert["test"] is False
    assert AlertEvent.objects.filter(channel=channel, kind="donation").count() == 1
