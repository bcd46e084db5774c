"""Reports: a viewer flags a message; a moderator (in the admin queue) dismisses it or acts on it.

Refusals are ChatRefused like every chat action, so the room socket turns them into `error` frames.
"""

from __future__ import annotations

from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import User
from channels_app import selectors as channel_selectors
from chat.models import Message, MessageReport, MessageState, ReportStatus
from chat.services import moderation
from chat.services.messages import ChatRefused

ReportAction = Literal["dismiss", "delete", "timeout", "ban"]
REPORT_ACTIONS: tuple[ReportAction, ...] = ("dismiss", "delete", "timeout", "ban")
REPORT_TIMEOUT_SECONDS = 10 * 60


@transaction.atomic
def report_create(*, message: Message, reporter: User, reason: str = "") -> MessageReport:
    """Report a message once: reporting it again returns the first report unchanged."""
    existing = MessageReport.objects.filter(message=message, reporter=reporter).first()
    if existing is not None:
        return existing
    if message.user_id == reporter.pk:
        raise ChatRefused("invalid", "You cannot report your own message.")
    # Only what viewers can see is reportable; held, denied and deleted messages are already handled.
    if message.state != MessageState.VISIBLE or message.deleted_at is not None:
        raise ChatRefused("invalid", "That message is no longer in chat.")
    report = MessageReport(message=message, reporter=reporter, reason=" ".join(str(reason).split())[:300])
    report.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same viewer double-clicked: the other request's report stands
        return MessageReport.objects.get(message=message, reporter=reporter)
    return report


@transaction.atomic
def report_resolve(*, report: MessageReport, moderator: User, action: ReportAction) -> MessageReport:
    """Dismiss a report, or act on the reported message's sender through the moderation services
    (which check the moderator's rights and write the audit log). Every open report of the same
    message is resolved with it, so the queue never asks twice about one message."""
    if action not in REPORT_ACTIONS:
        raise ChatRefused("invalid", f"Unknown report action: {action}.")
    report = MessageReport.objects.select_for_update().select_related("message__channel").get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise ChatRefused("invalid", "That report is already resolved.")
    message = report.message
    channel, sender = message.channel, message.user
    reason = f"Reported: {report.reason}" if report.reason else "Reported message"
    if action == "dismiss":
        if not channel_selectors.user_can_moderate(user=moderator, channel=channel):
            raise ChatRefused("forbidden", "Only the broadcaster and moderators can do that.")
    elif action == "delete":
        moderation.message_delete(message=message, moderator=moderator)
    elif action == "timeout":
        moderation.user_timeout(
            channel=channel, target=sender, moderator=moderator, seconds=REPORT_TIMEOUT_SECONDS, reason=reason
        )
    else:
        moderation.user_ban(channel=channel, target=sender, moderator=moderator, reason=reason)
    status = ReportStatus.DISMISSED if action == "dismiss" else ReportStatus.ACTIONED
    MessageReport.objects.filter(message=message, status=ReportStatus.OPEN).update(
        status=status, resolved_by=moderator
    )
    report.refresh_from_db()
    return report


def reports_open() -> QuerySet[MessageReport]:
    return (
        MessageReport.objects.filter(status=ReportStatus.OPEN)
        .select_related("message__channel", "message__user", "reporter")
        .order_by("created_at")
    )


def report_context(*, report: MessageReport, limit: int = 10) -> list[Message]:
    """The sender's latest messages in the reported message's channel (the report's context)."""
    message = report.message
    return list(
        Message.objects.filter(channel_id=message.channel_id, user_id=message.user_id).order_by(
            "-sent_at", "-id"
        )[:limit]
    )
