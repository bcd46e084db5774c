"""Subscriptions made visible in chat: the subscriber badge and the facts subscribers-only mode reads.

Registered from here (monetization imports chat, never the reverse); chat caches the facts per
chatter, and every subscription change forgets them (services._forget_chat_facts).
"""

from __future__ import annotations

from chat.badges import BadgeContext, register, register_facts
from monetization import selectors

register_facts(selectors.chat_facts)


@register("subscriber", "Subscriber")
def _subscriber(ctx: BadgeContext) -> bool | str:
    sub = ctx.extra.get("subscriber")
    if not sub:
        return False
    months = sub["months"]
    return f"Tier {sub['tier']} · {months} month{'s' if months != 1 else ''}"
