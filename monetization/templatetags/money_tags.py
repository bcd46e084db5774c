"""`{% support_box channel %}`: the Subscribe and Donate buttons (and their dialog) under the player."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from channels_app.models import Channel
from monetization import selectors

register = template.Library()


@register.inclusion_tag("monetization/_support_box.html", takes_context=True)
def support_box(context: dict[str, Any], channel: Channel) -> dict[str, Any]:
    user = context["request"].user
    return {
        "enabled": settings.MONETIZATION_ENABLED,
        "channel": channel,
        "user": user,
        "is_owner": user.is_authenticated and channel.owner_user_id == user.pk,
        "tiers": selectors.tiers_or_defaults(channel=channel),
        "subscription": selectors.live_subscription(user=user, channel=channel),
        "donation_min": f"{settings.DONATION_MIN_CENTS / 100:.2f}",
        "donation_max": f"{settings.DONATION_MAX_CENTS / 100:.2f}",
    }
