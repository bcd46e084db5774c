"""Moderation: delete, clear, timeout, ban/unban, chat modes, held messages, blocked terms.

Every action checks the moderator's rights, writes the audit log (ModerationAction) and is
announced to the room after commit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from channels_app import selectors as channel_selectors
from channels_app.models import Channel
from chat import selectors
from chat.models import (
    BlockedTerm,
    ChatBan,
    ChatSettings,
    Message,
    MessageState,
    ModerationAction,
    ModerationKind,
)
from chat.services.messages import ChatRefused
from streams.hub import hub, mods_topic, room_topic

MAX_TIMEOUT_SECONDS = 14 * 24 * 3600


def _require_moderator(channel: Channel, moderator: User) -> None:
    if not channel_selectors.user_can_moderate(user=moderator, channel=channel):
        raise ChatRefused("forbidden", "Only the broadcaster and moderators can do that.")


def _require_can_act_on(channel: Channel, moderator: User, target: User) -> None:
    """Nobody acts on the broadcaster or staff; only the broadcaster (or staff) acts on a moderator."""
    _require_moderator(channel, moderator)
    if target.pk == moderator.pk:
        raise ChatRefused("forbidden", "You cannot do that to yourself.")
    if target.pk == channel.owner_user_id or target.is_staff:
        raise ChatRefused("forbidden", "The broadcaster and staff cannot be moderated here.")
    is_boss = moderator.is_staff or moderator.pk == channel.owner_user_id
    if not is_boss and channel_selectors.user_can_moderate(user=target, channel=channel):
        raise ChatRefused("forbidden", "Only the broadcaster can act on another moderator.")


def _log(channel: Channel | None, moderator: User, kind: str, **fields: Any) -> ModerationAction:
    return ModerationAction.objects.create(channel=channel, moderator=moderator, kind=kind, **fields)


def _announce(channel: Channel, frame: dict[str, Any], *, notice: str | None = None) -> None:
    def send() -> None:
        hub().publish(room_topic(channel.slug), frame)
        if notice:
            hub().publish(room_topic(channel.slug), {"type": "chat.notice", "text": notice})

    transaction.on_commit(send)


@transaction.atomic
def message_delete(*, message: Message, moderator: User) -> Message:
    channel = message.channel
    if message.user_id != moderator.pk:
        _require_can_act_on(channel, moderator, message.user)
    if message.deleted_at is None:
        message.deleted_at, message.deleted_by = timezone.now(), moderator
        message.save(update_fields=["deleted_at", "deleted_by"])
        _log(channel, moderator, ModerationKind.DELETE, target=message.user, message=message)
        _announce(channel, {"type": "chat.delete", "id": message.pk})
    return message


@transaction.atomic
def chat_clear(*, channel: Channel, moderator: User) -> int:
    _require_moderator(channel, moderator)
    # What viewers see; held messages stay in the moderators' queue (as on Twitch).
    shown = Message.objects.filter(channel=channel, state=MessageState.VISIBLE, deleted_at__isnull=True)
    cleared = shown.update(deleted_at=timezone.now(), deleted_by=moderator)
    _log(channel, moderator, ModerationKind.CLEAR, details={"messages": cleared})
    _announce(channel, {"type": "chat.clear"}, notice=f"Chat was cleared by {moderator.name}.")
    return cleared


def _restrict(
    channel: Channel | None, target: User, moderator: User, expires_at: Any, reason: str
) -> ChatBan:
    ban, _ = ChatBan.objects.update_or_create(
        channel=channel,
        user=target,
        defaults={"expires_at": expires_at, "reason": reason[:300], "created_by": moderator},
    )
    transaction.on_commit(lambda: selectors.forget_ban(channel=channel, user=target))
    return ban


@transaction.atomic
def user_timeout(
    *, channel: Channel, target: User, moderator: User, seconds: Any, reason: str = ""
) -> ChatBan:
    _require_can_act_on(channel, moderator, target)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= MAX_TIMEOUT_SECONDS:
        raise ChatRefused("invalid", "A timeout lasts from 1 second to 14 days.")
    ban = _restrict(channel, target, moderator, timezone.now() + timedelta(seconds=seconds), reason)
    _log(
        channel,
        moderator,
        ModerationKind.TIMEOUT,
        target=target,
        reason=reason[:300],
        duration_seconds=seconds,
    )
    _announce(
        channel, {"type": "chat.purge", "username": target.username}, notice=f"{target.name} was timed out."
    )
    return ban


@transaction.atomic
def user_ban(*, channel: Channel, target: User, moderator: User, reason: str = "") -> ChatBan:
    _require_can_act_on(channel, moderator, target)
    ban = _restrict(channel, target, moderator, None, reason)
    _log(channel, moderator, ModerationKind.BAN, target=target, reason=reason[:300])
    _announce(
        channel, {"type": "chat.purge", "username": target.username}, notice=f"{target.name} was banned."
    )
    return ban


@transaction.atomic
def user_unban(*, channel: Channel, target: User, moderator: User) -> bool:
    _require_moderator(channel, moderator)
    removed, _ = ChatBan.objects.filter(channel=channel, user=target).delete()
    if removed:
        _log(channel, moderator, ModerationKind.UNBAN, target=target)
        transaction.on_commit(lambda: selectors.forget_ban(channel=channel, user=target))
    return bool(removed)


@transaction.atomic
def sitewide_ban(*, target: User, staff: User, reason: str = "") -> ChatBan:
    """Staff: no chat anywhere on the platform."""
    if not staff.is_staff:
        raise ChatRefused("forbidden", "Only staff can ban site-wide.")
    ban = _restrict(None, target, staff, None, reason)
    _log(None, staff, ModerationKind.BAN, target=target, reason=reason[:300], details={"sitewide": True})
    return ban


@transaction.atomic
def sitewide_unban(*, target: User, staff: User) -> bool:
    if not staff.is_staff:
        raise ChatRefused("forbidden", "Only staff can lift a site-wide ban.")
    removed, _ = ChatBan.objects.filter(channel__isnull=True, user=target).delete()
    transaction.on_commit(lambda: selectors.forget_ban(channel=None, user=target))
    if removed:
        _log(None, staff, ModerationKind.UNBAN, target=target, details={"sitewide": True})
    return bool(removed)


@transaction.atomic
def chat_settings_update(*, channel: Channel, moderator: User, **modes: Any) -> ChatSettings:
    _require_moderator(channel, moderator)
    unknown = set(modes) - set(selectors.MODE_FIELDS) - {"links_allowed", "link_allow_list", "automod_level"}
    if unknown:
        raise ChatRefused("invalid", f"Unknown chat setting: {', '.join(sorted(unknown))}.")
    chat, _ = ChatSettings.objects.select_for_update().get_or_create(channel=channel)
    for name, value in modes.items():
        setattr(chat, name, value)
    try:
        chat.full_clean()
    except ValidationError as exc:
        raise ChatRefused("invalid", " ".join(exc.messages)) from None
    chat.save()
    _log(
        channel,
        moderator,
        ModerationKind.MODE,
        details={k: v for k, v in modes.items() if k != "link_allow_list"},
    )
    payload = selectors.modes_payload(chat)
    _announce(channel, {"type": "chat.mode", "modes": payload}, notice=_describe(modes, moderator))
    return chat


def _describe(modes: dict[str, Any], moderator: User) -> str:
    labels = {
        "slow_mode_seconds": lambda v: f"slow mode {'off' if not v else f'{v} s'}",
        "followers_only_minutes": lambda v: f"followers-only {'off' if v is None else 'on'}",
        "subscribers_only": lambda v: f"subscribers-only {'on' if v else 'off'}",
        "emote_only": lambda v: f"emote-only {'on' if v else 'off'}",
        "unique_chat": lambda v: f"unique chat {'on' if v else 'off'}",
        "verified_email_only": lambda v: f"verified e-mail only {'on' if v else 'off'}",
        "min_account_age_minutes": lambda v: f"minimum account age {v} min",
    }
    parts = [labels[name](value) for name, value in modes.items() if name in labels]
    return (
        f"{moderator.name} set {', '.join(parts)}." if parts else f"{moderator.name} changed chat settings."
    )


def _resolve_held(message: Message, moderator: User, state: str, kind: str) -> tuple[Message, bool]:
    """Move a held message to `state` once; False when someone already decided (a double click)."""
    channel = message.channel
    _require_moderator(channel, moderator)
    message = Message.objects.select_for_update().select_related("user").get(pk=message.pk)
    if message.state != MessageState.HELD:
        return message, False
    message.state = state
    message.save(update_fields=["state"])
    _log(channel, moderator, kind, target=message.user, message=message)
    transaction.on_commit(
        lambda: hub().publish(mods_topic(channel.slug), {"type": "chat.held.resolved", "id": message.pk})
    )
    return message, True


@transaction.atomic
def held_approve(*, message: Message, moderator: User) -> Message:
    message, resolved = _resolve_held(message, moderator, MessageState.VISIBLE, ModerationKind.APPROVE)
    if resolved:
        _announce(message.channel, {"type": "chat.message", **selectors.message_payload(message)})
    return message


@transaction.atomic
def held_deny(*, message: Message, moderator: User) -> Message:
    return _resolve_held(message, moderator, MessageState.DENIED, ModerationKind.DENY)[0]


@transaction.atomic
def blocked_term_add(*, channel: Channel, pattern: str, moderator: User) -> BlockedTerm:
    _require_moderator(channel, moderator)
    pattern = " ".join(str(pattern).split()).lower()
    if not 1 <= len(pattern) <= 100 or pattern.strip("*") == "":
        raise ChatRefused("invalid", "A blocked term is 1–100 characters and not only wildcards.")
    term, created = BlockedTerm.objects.get_or_create(
        channel=channel, pattern=pattern, defaults={"created_by": moderator}
    )
    if created:
        _log(channel, moderator, ModerationKind.TERM, details={"added": pattern})
        transaction.on_commit(lambda: selectors.forget_terms(channel=channel))
    return term


@transaction.atomic
def blocked_term_remove(*, term: BlockedTerm, moderator: User) -> None:
    channel = term.channel
    _require_moderator(channel, moderator)
    _log(channel, moderator, ModerationKind.TERM, details={"removed": term.pattern})
    term.delete()
    transaction.on_commit(lambda: selectors.forget_terms(channel=channel))
