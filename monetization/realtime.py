"""Money moments shown in a channel's chat room: highlighted frames through chat's hub.

Frames (room socket, server → client):
`chat.highlight {kind: "donation", id, user, amount, currency, text, sent_at}` and
`chat.highlight {kind: "subscription", id, user, tier, months, gifted_by, text, sent_at}`.
"""

from __future__ import annotations

from monetization.models import ChannelSubscription, Checkout, Donation
from streams.hub import hub, room_topic


def _money(cents: int, currency: str) -> str:
    return f"${cents / 100:.2f}" if currency == "usd" else f"{cents / 100:.2f} {currency.upper()}"


def announce_donation(donation: Donation) -> None:
    amount = _money(donation.amount_cents, donation.currency)
    hub().publish(
        room_topic(donation.channel.slug),
        {
            "type": "chat.highlight",
            "kind": "donation",
            "id": f"donation-{donation.pk}",
            "user": donation.display_name,
            "amount": str(donation.amount),
            "currency": donation.currency,
            "title": f"{donation.display_name} donated {amount}",
            "text": donation.message,
            "sent_at": donation.created_at.isoformat(),
        },
    )


def announce_subscription(row: ChannelSubscription) -> None:
    who = row.user.username
    if row.gifted_by_id:
        title = f"{row.gifted_by} gifted {who} a Tier {row.tier} subscription"
    elif row.months > 1:
        title = f"{who} resubscribed at Tier {row.tier} · {row.months} months"
    else:
        title = f"{who} subscribed at Tier {row.tier}"
    hub().publish(
        room_topic(row.channel.slug),
        {
            "type": "chat.highlight",
            "kind": "subscription",
            "id": f"sub-{row.pk}-{row.months}",
            "user": who,
            "tier": row.tier,
            "months": row.months,
            "gifted_by": row.gifted_by.username if row.gifted_by else None,
            "title": title,
            "text": "",
            "sent_at": row.updated_at.isoformat(),
        },
    )


def announce_gift(checkout: Checkout, rows: list[ChannelSubscription]) -> None:
    gifter = checkout.user.username if checkout.user else "Someone"
    names = ", ".join(row.user.username for row in rows[:10]) + ("…" if len(rows) > 10 else "")
    count = len(rows)
    subs = "subscription" if count == 1 else "subscriptions"
    hub().publish(
        room_topic(checkout.channel.slug),
        {
            "type": "chat.highlight",
            "kind": "gift",
            "id": f"gift-{checkout.pk}",
            "user": gifter,
            "tier": checkout.tier or 1,
            "count": count,
            "recipients": [row.user.username for row in rows],
            "title": f"{gifter} gifted {count} Tier {checkout.tier or 1} {subs}!",
            "text": f"Thank you! To {names}",
            "sent_at": checkout.created_at.isoformat(),
        },
    )
