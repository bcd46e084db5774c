"""Fundraising campaigns: a goal and a deadline; progress is summed from paid donations, never stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel
from monetization.models import Campaign, Donation, DonationStatus

MAX_DAYS = 366


def current(*, channel: Channel) -> Campaign | None:
    now = timezone.now()
    return Campaign.objects.filter(channel=channel, starts_at__lte=now, ends_at__gt=now).first()


def progress(campaign: Campaign) -> dict[str, Any]:
    raised = (
        Donation.objects.filter(
            channel_id=campaign.channel_id,
            status=DonationStatus.PAID,
            created_at__gte=campaign.starts_at,
            created_at__lt=campaign.ends_at,
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
    return {
        "title": campaign.title,
        "goal_cents": campaign.goal_cents,
        "raised_cents": int(raised),
        "percent": min(100, int(raised * 100 // campaign.goal_cents)),
        "raised": f"{raised / 100:.2f}",  # for templates; the API gives cents
        "goal": f"{campaign.goal_cents / 100:.2f}",
        "starts_at": campaign.starts_at,
        "ends_at": campaign.ends_at,
    }


@transaction.atomic
def campaign_start(
    *, channel: Channel, actor: User, title: str, goal_cents: int, ends_at: dt.datetime
) -> Campaign:
    """Starting a campaign ends the one running (a channel shows one goal at a time)."""
    if channel.owner_user_id != actor.pk:
        raise PermissionDenied("Only the broadcaster runs fundraising campaigns.")
    now = timezone.now()
    if ends_at <= now or ends_at > now + dt.timedelta(days=MAX_DAYS):
        raise ValidationError({"ends_at": [f"The deadline is in the future, within {MAX_DAYS} days."]})
    Campaign.objects.select_for_update().filter(channel=channel, ends_at__gt=now).update(ends_at=now)
    campaign = Campaign(
        channel=channel, title=title.strip(), goal_cents=goal_cents, starts_at=now, ends_at=ends_at
    )
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_end(*, channel: Channel, actor: User) -> int:
    if channel.owner_user_id != actor.pk:
        raise PermissionDenied("Only the broadcaster runs fundraising campaigns.")
    now = timezone.now()
    return Campaign.objects.filter(channel=channel, starts_at__lte=now, ends_at__gt=now).update(ends_at=now)
