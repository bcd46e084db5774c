"""Alerts: settings, the overlay secret, and turning follows, money and raids into overlay alerts.

Every alert goes through `alert_fire`: the kind's rule decides whether it shows, the event is
logged, and the overlay group gets it after the transaction commits.
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.utils import timezone

from channels_app.models import Channel
from integrations import realtime, selectors
from integrations.models import (
    DEFAULT_SOUNDS,
    DEFAULT_TEMPLATES,
    TEMPLATE_FIELDS,
    AlertEvent,
    AlertKind,
    AlertRule,
    AlertSettings,
)

NAME_MAX = 40
MESSAGE_MAX = 280
FOLLOW_DEDUPE_SECONDS = 3600  # follow/unfollow/follow spam alerts once per user per hour
CURRENCY_SIGNS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "CA$", "aud": "A$"}
ZERO_DECIMAL = {"jpy", "krw", "vnd", "clp", "isk", "huf", "twd", "ugx"}  # shown without cents


def _new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 url-safe characters, 192 bits


# --- Settings and the overlay secret ----------------------------------------------------------


def alert_settings_ensure(*, channel: Channel) -> AlertSettings:
    """The channel's alert settings, created with one default rule per kind on first use."""
    found = selectors.alert_settings_get(channel=channel)
    if found is None:
        try:
            found = _alert_settings_create(channel=channel)
        except IntegrityError:
            # Two first visits at once: the other request created them.
            found = AlertSettings.objects.get(channel=channel)
    found.channel = channel
    return found


@transaction.atomic
def _alert_settings_create(*, channel: Channel) -> AlertSettings:
    settings = AlertSettings(channel=channel, token=_new_token())
    settings.full_clean(validate_unique=False)  # the unique checks would be a race; the constraint is not
    settings.save()
    rules = [
        AlertRule(
            settings=settings,
            kind=kind,
            sound=DEFAULT_SOUNDS[kind],
            message_template=DEFAULT_TEMPLATES[kind],
            tts=kind == AlertKind.DONATION,
        )
        for kind in AlertKind
    ]
    for rule in rules:
        rule.full_clean(exclude=["settings"])
    AlertRule.objects.bulk_create(rules)
    return settings


@transaction.atomic
def alert_settings_update(
    *, settings: AlertSettings, fields: dict[str, Any], rules: dict[int, dict[str, Any]]
) -> AlertSettings:
    """Save the shared fields and each rule's (rule id → fields) together, or nothing."""
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    for rule in selectors.alert_rules(settings=settings).select_for_update():
        for name, value in rules.get(rule.pk, {}).items():
            setattr(rule, name, value)
        rule.full_clean()
        rule.save()
    return settings


@transaction.atomic
def alert_token_rotate(*, settings: AlertSettings) -> AlertSettings:
    """A new overlay secret: the old URL stops working and its open overlays are closed."""
    locked = AlertSettings.objects.select_for_update().get(pk=settings.pk)
    locked.token = _new_token()
    locked.token_version += 1
    locked.token_rotated_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["token", "token_version", "token_rotated_at", "updated_at"])
    channel_id, version = locked.channel_id, locked.token_version
    transaction.on_commit(lambda: realtime.push_token_rotated(channel_id=channel_id, token_version=version))
    return locked


# --- Firing alerts ----------------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text or "").split())  # no newlines or runs of spaces on the overlay
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _render(template: str, values: dict[str, Any]) -> str:
    known = {name: values.get(name, "") for name in TEMPLATE_FIELDS}
    try:
        return template.format_map(known)
    except (ValueError, KeyError, IndexError, AttributeError):
        # Templates are validated when saved; one that slipped through still shows something.
        return str(known["name"])


def format_amount(amount: Decimal, currency: str) -> str:
    sign = CURRENCY_SIGNS.get(currency.lower())
    step = Decimal("1") if currency.lower() in ZERO_DECIMAL else Decimal("0.01")
    value = f"{amount.quantize(step):,}"
    return f"{sign}{value}" if sign else f"{value} {currency.upper()}"


def person_name(user: Any) -> str:
    if user is None:
        return "Anonymous"
    return _clip(getattr(user, "display_name", "") or getattr(user, "username", "") or "Anonymous", NAME_MAX)


def _payload(
    *,
    settings: AlertSettings,
    rule: AlertRule,
    values: dict[str, Any],
    message: str,
    amount_cents: int | None,
    detail: str = "",
) -> dict[str, Any]:
    speak = rule.tts and (amount_cents is None or amount_cents >= settings.tts_min_amount_cents)
    return {
        "kind": rule.kind,
        "title": _clip(_render(rule.message_template, values), 160),
        "detail": detail,
        "message": _clip(message, MESSAGE_MAX),
        "amount": values.get("amount", ""),
        "duration": rule.duration_seconds,
        "sound": static(f"sounds/{rule.sound}.ogg") if rule.sound else "",
        "volume": settings.volume,
        "tts": speak,
    }


@transaction.atomic
def alert_fire(
    *,
    channel_id: int,
    kind: str,
    values: dict[str, Any],
    message: str = "",
    amount_cents: int | None = None,
    detail: str = "",
) -> AlertEvent | None:
    """Log and broadcast one alert if the channel's rule for `kind` lets it through, else None."""
    rule = selectors.alert_rule_get(channel_id=channel_id, kind=kind)
    if rule is None or not rule.enabled:
        return None
    if amount_cents is not None and amount_cents < rule.min_amount_cents:
        return None
    payload = _payload(
        settings=rule.settings,
        rule=rule,
        values=values,
        message=message,
        amount_cents=amount_cents,
        detail=detail,
    )
    event = AlertEvent(channel_id=channel_id, kind=kind, payload=payload)
    event.full_clean()
    event.save()
    alert = {"id": event.pk, **payload, "test": False}
    transaction.on_commit(lambda: realtime.push_alert(channel_id=channel_id, alert=alert))
    return event


def alert_follow(*, channel: Channel, user: Any) -> AlertEvent | None:
    # cache.add is atomic: of a burst of follow/unfollow/follow only the first one alerts.
    if not cache.add(f"alerts:follow:{channel.pk}:{user.pk}", 1, FOLLOW_DEDUPE_SECONDS):
        return None
    return alert_fire(channel_id=channel.pk, kind=AlertKind.FOLLOW, values={"name": person_name(user)})


def alert_donation(
    *, channel: Channel, display_name: str, amount: Decimal, currency: str, message: str
) -> AlertEvent | None:
    cents = int((Decimal(amount) * 100).to_integral_value())
    values = {"name": _clip(display_name, NAME_MAX) or "Anonymous", "amount": format_amount(amount, currency)}
    return alert_fire(
        channel_id=channel.pk, kind=AlertKind.DONATION, values=values, message=message, amount_cents=cents
    )


def alert_subscription(
    *, channel: Channel, user: Any, tier: int, months: int, message: str = ""
) -> AlertEvent | None:
    values = {"name": person_name(user), "tier": tier, "months": months}
    detail = f"{months} months" if months > 1 else ""
    if tier > 1:
        detail = f"Tier {tier}" + (f" · {detail}" if detail else "")
    return alert_fire(
        channel_id=channel.pk, kind=AlertKind.SUBSCRIPTION, values=values, message=message, detail=detail
    )


def alert_gift(*, channel: Channel, gifter: Any, tier: int, count: int) -> AlertEvent | None:
    values = {"name": person_name(gifter), "tier": tier, "count": count}
    return alert_fire(channel_id=channel.pk, kind=AlertKind.GIFT, values=values, detail=f"Tier {tier}")


def alert_raid(*, channel: Channel, from_channel_name: str, viewers: int) -> AlertEvent | None:
    """The hook a raids feature calls once a raid lands on `channel`."""
    values = {"name": _clip(from_channel_name, NAME_MAX), "viewers": viewers}
    return alert_fire(channel_id=channel.pk, kind=AlertKind.RAID, values=values)


def alert_replay(*, event: AlertEvent) -> dict[str, Any]:
    """Show a logged alert again (the creator missed it, or wants it on stream): sent, not re-logged."""
    alert = {
        **event.payload,
        "id": f"replay-{event.pk}-{uuid.uuid4().hex[:6]}",
        "test": False,
        "replay": True,
    }
    realtime.push_alert(channel_id=event.channel_id, alert=alert)
    return alert


SAMPLES: dict[str, dict[str, Any]] = {
    AlertKind.FOLLOW: {"values": {"name": "TestFollower"}},
    AlertKind.SUBSCRIPTION: {"values": {"name": "TestSub", "tier": 1, "months": 3}, "detail": "3 months"},
    AlertKind.GIFT: {"values": {"name": "TestGifter", "tier": 1, "count": 5}, "detail": "Tier 1"},
    AlertKind.DONATION: {
        "values": {"name": "TestDonor", "amount": "$5.00"},
        "message": "This is a test donation message.",
        "amount_cents": 500,
    },
    AlertKind.RAID: {"values": {"name": "TestRaider", "viewers": 42}},
}


def alert_send_test(*, settings: AlertSettings, kind: str) -> dict[str, Any]:
    """A sample alert of `kind` to the open overlays, whatever the rule's filters; never logged."""
    rule = settings.rules.get(kind=kind)
    sample = SAMPLES[kind]
    payload = _payload(
        settings=settings,
        rule=rule,
        values=sample["values"],
        message=sample.get("message", ""),
        amount_cents=sample.get("amount_cents"),
        detail=sample.get("detail", ""),
    )
    alert = {"id": f"test-{uuid.uuid4().hex[:12]}", **payload, "test": True}
    realtime.push_alert(channel_id=settings.channel_id, alert=alert)
    return alert
