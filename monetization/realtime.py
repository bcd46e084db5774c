"""Money moments shown in a channel's chat room: highlighted frames through chat's hub.

Frames (room socket, server → client):
`chat.highlight {kind: "donation", id, user, amount, currency, text, sent_at}` and
`chat.highlight {kind: "subscription", id, user, tier, months, gifted_by, text, sent_at}`.
"""

from __future__ import annotations

from chat.hub import hub, room_topic
from monetization.models import ChannelSubscription, Donation


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
