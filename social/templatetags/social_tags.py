"""The header's bell and the channel page's "Following" rail: pieces any page can include."""

from __future__ import annotations

from typing import Any

from django import template

from social import selectors

register = template.Library()
RAIL_SIZE = 12


@register.inclusion_tag("social/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {"unread": selectors.unread_count(user=user), "user": user}


@register.inclusion_tag("social/_rail.html", takes_context=True)
def following_rail(context: template.Context, limit: int = RAIL_SIZE) -> dict[str, Any]:
    """Followed channels, live first: one query however many the viewer follows."""
    user = context["request"].user
    rows = list(selectors.following_with_live(user=user)[: limit + 1]) if user.is_authenticated else []
    return {
        "user": user,
        "rows": rows[:limit],
        "more": len(rows) > limit,
        "current": getattr(context.get("channel"), "pk", None),
    }
