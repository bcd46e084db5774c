"""Reads for the alerts overlay and its dashboard page."""

from __future__ import annotations

import hmac

from django.db.models import QuerySet

from channels_app.models import Channel
from integrations.models import AlertEvent, AlertRule, AlertSettings


def alert_settings_for_token(*, slug: str, token: str) -> AlertSettings | None:
    """The settings of the channel `slug` if `token` is its current overlay secret, else None."""
    if not token or len(token) > 64:
        return None
    found = (
        AlertSettings.objects.select_related("channel")
        .filter(channel__slug__iexact=slug, channel__suspended_at__isnull=True)
        .first()
    )
    # Constant-time: the response time says nothing about how much of a guess was right.
    if found is None or not hmac.compare_digest(found.token.encode(), token.encode()):
        return None
    return found


def alert_settings_get(*, channel: Channel) -> AlertSettings | None:
    return AlertSettings.objects.filter(channel=channel).first()


def alert_rule_get(*, channel_id: int, kind: str) -> AlertRule | None:
    return (
        AlertRule.objects.select_related("settings")
        .filter(settings__channel_id=channel_id, kind=kind)
        .first()
    )


def alert_rules(*, settings: AlertSettings) -> QuerySet[AlertRule]:
    return settings.rules.order_by("id")


def alert_events_recent(*, channel: Channel) -> QuerySet[AlertEvent]:
    return AlertEvent.objects.filter(channel=channel).order_by("-created_at", "-id")


def alert_event_get(*, channel: Channel, event_id: int) -> AlertEvent | None:
    return AlertEvent.objects.filter(channel=channel, pk=event_id).first()
