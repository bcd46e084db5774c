"""`{% support_box channel %}`: the Subscribe and Donate buttons (and their dialog) under the player."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from channels_app.models import Channel

register = template.Library()


@register.inclusion_tag("monetization/_support_box.html", takes_context=True)
def support_box(context: dict[str, Any], channel: Channel) -> dict[str, Any]:
    """No queries: the channel page has a fixed query budget; the dialog loads tiers and the
    viewer's subscription from the API when it needs them."""
    user = context["request"].user
    return {
        "enabled": settings.MONETIZATION_ENABLED,
        "channel": channel,
        "user": user,
        "is_owner": user.is_authenticated and channel.owner_user_id == user.pk,
        "donation_min": f"{settings.DONATION_MIN_CENTS / 100:.2f}",
        "donation_max": f"{settings.DONATION_MAX_CENTS / 100:.2f}",
    }


@register.inclusion_tag("monetization/_campaign_bar.html")
def campaign_bar(channel: Channel) -> dict[str, Any]:
    """A placeholder the page's JS fills from the campaign API (no query on the channel page)."""
    return {"channel": channel, "enabled": settings.MONETIZATION_ENABLED}
