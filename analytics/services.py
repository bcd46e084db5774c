"""Writes for analytics' raw events: follow changes and page visits (roll-ups: rollups.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from analytics import traffic
from analytics.models import FollowEvent, PageVisit, Source
from channels_app.models import Channel
from streams import selectors as stream_selectors

DEDUPE_MINUTES = 30
SALT_KEY = "analytics:visitor-salt:{day}"


@transaction.atomic
def follow_event_record(*, channel: Channel, user: User | None, following: bool) -> FollowEvent:
    event = FollowEvent(channel=channel, user=user, delta=1 if following else -1)
    event.full_clean()
    event.save()
    return event


def _daily_salt(day: dt.date) -> bytes:
    """A random salt per UTC day, shared by every process through the cache and gone after two
    days: yesterday's hashes can no longer be recomputed from an address."""
    fresh = secrets.token_hex(16)
    cache.add(SALT_KEY.format(day=day.isoformat()), fresh, timeout=2 * 86400)
    return str(cache.get(SALT_KEY.format(day=day.isoformat())) or fresh).encode()


def visitor_hash(
    *, channel: Channel, session_key: str, address: str, user_agent: str, at: dt.datetime
) -> str:
    """The visitor's id for one day: the session when there is one, else address and browser."""
    who = f"s:{session_key}" if session_key else f"a:{address}|{user_agent}"
    message = f"{channel.pk}|{who}".encode()
    return hmac.new(_daily_salt(at.astimezone(dt.UTC).date()), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class VisitInput:
    referrer: str
    page: str
    embed: bool
    session_key: str
    address: str
    user_agent: str
    host: str


def own_hosts(request_host: str) -> set[str]:
    hosts = {request_host.split(":")[0].lower().removeprefix("www.")}
    hosts.update(h.lower().lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", ""))
    return hosts


@transaction.atomic
def page_visit_record(
    *, channel: Channel, visit: VisitInput, now: dt.datetime | None = None
) -> PageVisit | None:
    """Record a player page view; None when the same visitor was counted in the last 30 minutes.

    Raises traffic.BadInput for a malformed referrer or utm tag (nothing is written)."""
    now = now or timezone.now()
    host = traffic.referrer_host(visit.referrer)
    tags = traffic.utm_tags(visit.page)
    source = traffic.classify(
        host=host, own_hosts=own_hosts(visit.host), utm_source=tags["utm_source"], embed=visit.embed
    )
    digest = visitor_hash(
        channel=channel,
        session_key=visit.session_key,
        address=visit.address,
        user_agent=visit.user_agent,
        at=now,
    )
    # An atomic add in the shared cache lets two tabs opened at once count once without locking a
    # busy channel's row; the table check covers a flushed cache.
    if not cache.add(f"analytics:visit:{channel.pk}:{digest}", 1, timeout=DEDUPE_MINUTES * 60):
        return None
    recent = PageVisit.objects.filter(
        channel=channel, visitor_hash=digest, at__gt=now - dt.timedelta(minutes=DEDUPE_MINUTES)
    )
    if recent.exists():
        return None
    live = stream_selectors.live_stream(channel=channel)
    page_visit = PageVisit(
        channel=channel,
        stream=live,
        at=now,
        source=source,
        referrer_host="" if source == Source.INTERNAL else host,
        visitor_hash=digest,
        **tags,
    )
    page_visit.full_clean()
    page_visit.save()
    return page_visit
