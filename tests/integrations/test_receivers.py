"""Money and raid events as alerts: subscriptions, resubs, gifts, raids, TTS threshold, and the log."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from integrations import services
from integrations.models import AlertEvent, AlertKind
from monetization.signals import donation_received, gift_subscriptions_given, subscription_started
from tests.factories import UserFactory
from tests.integrations.factories import alert_channel, stand_in_donation

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(db):
    return alert_channel(slug="nova")


def last_payload() -> dict:
    return AlertEvent.objects.latest("id").payload


def subscribe(channel, user, months: int = 1, tier: int = 1, gifted_by=None, message: str = "") -> None:
    subscription_started.send(
        sender=object,
        subscription=SimpleNamespace(),
        channel=channel,
        user=user,
        tier=tier,
        months=months,
        gifted_by=gifted_by,
        message=message,
    )


def test_a_subscription_alerts_with_the_subscribers_name(alerts):
    subscribe(alerts.channel, UserFactory(display_name="Orbit"))
    payload = last_payload()
    assert (payload["kind"], payload["title"], payload["detail"]) == (
        "subscription",
        "Orbit just subscribed!",
        "",
    )


def test_a_resubscription_says_how_many_months_and_carries_the_message(alerts):
    subscribe(alerts.channel, UserFactory(display_name="Orbit"), months=7, tier=2, message="Seven!")
    payload = last_payload()
    assert payload["detail"] == "Tier 2 · 7 months"
    assert payload["message"] == "Seven!"


def test_gifted_subscriptions_alert_once_for_the_gift_not_per_recipient(alerts):
    gifter = UserFactory(display_name="Santa")
    recipients = [UserFactory() for _ in range(3)]
    for recipient in recipients:
        subscribe(alerts.channel, recipient, gifted_by=gifter)
    gift_subscriptions_given.send(
        sender=object, channel=alerts.channel, gifter=gifter, tier=1, recipients=recipients
    )

    assert AlertEvent.objects.count() == 1
    assert last_payload()["title"] == "Santa gifted 3 subs!"


def test_an_anonymous_gift_shows_as_anonymous(alerts):
    gift_subscriptions_given.send(
        sender=object, channel=alerts.channel, gifter=None, tier=1, recipients=[1, 2]
    )
    assert last_payload()["title"] == "Anonymous gifted 2 subs!"


def test_the_raid_hook_alerts(alerts):
    event = services.alert_raid(channel=alerts.channel, from_channel_name="Vega", viewers=120)
    assert event is not None and event.payload["title"] == "Vega is raiding with 120 viewers!"


def test_text_to_speech_only_from_the_minimum_amount(alerts):
    alerts.tts_min_amount_cents = 1000
    alerts.save()
    donation_received.send(sender=object, donation=stand_in_donation(alerts.channel, amount="9.99"))
    assert last_payload()["tts"] is False
    donation_received.send(sender=object, donation=stand_in_donation(alerts.channel, amount="10.00"))
    assert last_payload()["tts"] is True


def test_kinds_without_tts_never_speak(alerts):
    subscribe(alerts.channel, UserFactory())
    assert last_payload()["tts"] is False


def test_long_user_text_is_capped_and_flattened(alerts):
    donation = stand_in_donation(alerts.channel, display_name="N" * 90, message="line\n" * 200)
    donation_received.send(sender=object, donation=donation)
    payload = last_payload()
    assert len(payload["message"]) <= services.MESSAGE_MAX and "\n" not in payload["message"]
    assert payload["title"].startswith("N" * (services.NAME_MAX - 1) + "…")


def test_other_currencies_show_their_code(alerts):
    donation_received.send(
        sender=object, donation=stand_in_donation(alerts.channel, amount="1500", currency="jpy")
    )
    assert last_payload()["amount"] == "1,500 JPY"


def test_a_channel_without_alert_settings_is_skipped(db):
    from tests.factories import StreamChannelFactory

    channel = StreamChannelFactory()
    donation_received.send(sender=object, donation=stand_in_donation(channel))
    assert AlertEvent.objects.count() == 0


def test_a_broken_event_is_logged_and_never_reaches_the_sender(alerts, caplog):
    broken = SimpleNamespace(
        channel=alerts.channel, display_name="X", amount="not a number", currency="usd", message=""
    )
    donation_received.send(sender=object, donation=broken)  # must not raise into monetization
    assert "donation alert failed" in caplog.text
    assert AlertEvent.objects.count() == 0


def test_settings_are_created_once_with_one_rule_per_kind(alerts):
    again = services.alert_settings_ensure(channel=alerts.channel)
    assert again.pk == alerts.pk
    assert sorted(again.rules.values_list("kind", flat=True)) == sorted(AlertKind.values)
    assert len(alerts.token) >= 32


def test_format_amount_rounds_to_cents():
    assert services.format_amount(Decimal("3"), "eur") == "€3.00"
