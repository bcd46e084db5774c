"""Alerts test helpers: a channel with alert settings, and stand-ins for monetization's objects.

The money models are not on this branch: the stand-ins carry exactly the attributes that
monetization/signals.py documents, which is all the receivers may use.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from integrations import services
from integrations.models import AlertSettings
from tests.factories import StreamChannelFactory, UserFactory


def alert_channel(**fields: Any) -> AlertSettings:
    channel: Any = StreamChannelFactory(**fields)
    return services.alert_settings_ensure(channel=channel)


def stand_in_donation(
    channel: Any,
    *,
    amount: str = "5.00",
    display_name: str = "Generous",
    donor: Any = None,
    message: str = "Keep it up!",
    currency: str = "usd",
) -> SimpleNamespace:
    return SimpleNamespace(
        channel=channel,
        donor=donor,
        display_name=display_name,
        amount=Decimal(amount),
        currency=currency,
        message=message,
        created_at=timezone.now(),
    )


__all__ = ["UserFactory", "alert_channel", "stand_in_donation"]
