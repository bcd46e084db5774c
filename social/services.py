"""Writes on notifications: the go-live fan-out (claim, one chunk), mark read and mark all read."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from social import realtime, selectors
from social.models import GoLiveNotice, Notification, NotificationKind
from social.selectors import Recipient
from streams.models import Stream

logger = logging.getLogger(__name__)


@transaction.atomic
def go_live_claim(*, stream: Stream) -> bool:
    """True if this session's followers should hear about it; False for a quick reconnect.

    The conditional UPDATE (or the INSERT racing on a unique row) is atomic in the database,
    so two workers handling two publishes of the same channel cannot both win.
    """
    minutes = settings.GO_LIVE_RENOTIFY_MINUTES
    if selectors.reconnected_recently(stream=stream, minutes=minutes):
        return False
    now = timezone.now()
    claimed = GoLiveNotice.objects.filter(
        channel_id=stream.channel_id, notified_at__lt=now - timedelta(minutes=minutes)
    ).update(notified_at=now, stream_id=stream.pk)
    if claimed:
        return True
    try:
        with transaction.atomic():
            GoLiveNotice.objects.create(channel_id=stream.channel_id, stream_id=stream.pk, notified_at=now)
    except IntegrityError:  # notified within the window (or another worker just claimed it)
        return False
    return True


def go_live_notify_chunk(*, stream: Stream, recipients: list[Recipient]) -> list[Notification]:
    """In-app notices (bulk) and e-mails (one SMTP connection) for one chunk of followers."""
    channel = stream.channel
    title = f"{channel.name} is live"
    url = f"/{channel.slug}/"
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=each.user_id,
                    kind=NotificationKind.LIVE,
                    channel=channel,
                    stream_id=stream.pk,
                    title=title,
                    text=stream.title[:300],
                    url=url,
                    created_at=now,
                )
                for each in recipients
                if each.in_app
            ]
        )
        transaction.on_commit(lambda: _announce_new(notifications))
    _email_go_live(stream=stream, to=[each.email for each in recipients if each.wants_email])
    return notifications


def _email_go_live(*, stream: Stream, to: list[str]) -> int:
    if not to:
        return 0
    channel = stream.channel
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{channel.name} is live"
    body = (
        f"{channel.name} just went live: {stream.title or 'no title yet'}\n\n"
        f"Watch: {settings.SITE_URL}/{channel.slug}/\n\n"
        f"Turn these e-mails off in your settings ({settings.SITE_URL}/settings/preferences/) "
        f"or for this channel on {settings.SITE_URL}/following/.\n"
    )
    # One message per person (no shared To: list), all over one connection.
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to]
    try:
        return send_mass_mail(messages, fail_silently=False, connection=get_connection())
    except OSError:  # the in-app notices are stored; a mail server outage only costs the e-mails
        logger.exception("go-live e-mails for %s failed", channel.slug)
        return 0


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _announce_unread(notification.recipient_id)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        _announce_unread(user.pk)
    return marked


def _announce_new(notifications: list[Notification]) -> None:
    selectors.forget_unread(user_ids=[each.recipient_id for each in notifications])
    realtime.push_new(notifications)


def _announce_unread(user_id: int) -> None:
    """Every open tab of this person updates its bell after the change is committed."""

    def push() -> None:
        selectors.forget_unread(user_ids=[user_id])
        count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
        realtime.push_unread(user_id=user_id, count=count)

    transaction.on_commit(push)
