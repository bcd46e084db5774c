"""Reads on chat: history, frames, emotes, the cached facts checked on every send."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings as _settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from channels_app import selectors as channel_selectors
from channels_app.models import Channel, ChannelRole, Role
from chat.badges import BadgeContext, badges_for, extra_facts
from chat.models import BlockedTerm, ChatBan, ChatSettings, Emote, Message, MessageState, ModerationAction

HISTORY_SIZE = 50
_FACT_SECONDS = 300  # bans, roles and emotes are cached this long at most (invalidated on change)
MODE_FIELDS = (
    "slow_mode_seconds",
    "followers_only_minutes",
    "subscribers_only",
    "emote_only",
    "unique_chat",
    "verified_email_only",
    "min_account_age_minutes",
)


def chat_settings(*, channel: Channel) -> ChatSettings:
    found = ChatSettings.objects.filter(channel=channel).first()
    return found or ChatSettings(channel=channel)  # defaults until someone changes a mode


def modes_payload(chat: ChatSettings) -> dict[str, Any]:
    return {name: getattr(chat, name) for name in MODE_FIELDS}


def history(*, channel: Channel, limit: int = HISTORY_SIZE) -> list[Message]:
    recent = (
        Message.objects.select_related("user")
        .filter(channel=channel, state=MessageState.VISIBLE, deleted_at__isnull=True)
        .order_by("-sent_at", "-id")[:limit]
    )
    return list(reversed(recent))


def message_payload(message: Message) -> dict[str, Any]:
    """The `chat.message` frame body (also each entry of `chat.history`)."""
    user = message.user
    return {
        "id": message.pk,
        "user": {"username": user.username, "display_name": user.name, "color": user.chat_color or None},
        "text": message.text,
        "fragments": message.fragments,
        "badges": message.badges,
        "sent_at": message.sent_at.isoformat(),
    }


def held_payload(message: Message) -> dict[str, Any]:
    return {**message_payload(message), "reason": message.held_reason}


def held_queue(*, channel: Channel) -> QuerySet[Message]:
    return (
        Message.objects.select_related("user")
        .filter(channel=channel, state=MessageState.HELD)
        .order_by("sent_at")
    )


def user_recent_messages(*, channel: Channel, user: User, limit: int = 20) -> QuerySet[Message]:
    return Message.objects.filter(channel=channel, user=user).order_by("-sent_at")[:limit]


# --- Cached facts (no query per message) ----------------------------------------------------


def _ban_key(channel_id: int | None, user_id: int) -> str:
    return f"chat:ban:{channel_id or 'site'}:{user_id}"


def ban_expiry(*, channel: Channel | None, user: User) -> float | None:
    """None if the user may chat; 0.0 for a ban; the unix time a timeout ends otherwise."""
    key = _ban_key(channel.pk if channel else None, user.pk)
    cached = cache.get(key)
    if cached is None:
        cached = _ban_state(ChatBan.objects.filter(user=user, channel=channel).only("expires_at").first())
        cache.set(key, cached, _FACT_SECONDS)
    if cached == -1.0 or (cached > 0 and cached <= time.time()):
        return None
    return float(cached)


def _ban_state(ban: ChatBan | None) -> float:
    if ban is None:
        return -1.0  # cached as "not banned" so the next sends ask nothing
    return ban.expires_at.timestamp() if ban.expires_at else 0.0


def chat_restriction(*, channel: Channel, user: User) -> float | None:
    """A site-wide or channel ban/timeout in force: None if none, 0.0 for a ban, else the timeout's end."""
    for scope in (None, channel):
        until = ban_expiry(channel=scope, user=user)
        if until is not None:
            return until
    return None


def email_required(chat: ChatSettings) -> bool:
    return bool(_settings.CHAT_REQUIRE_VERIFIED_EMAIL or chat.verified_email_only)


def forget_ban(*, channel: Channel | None, user: User) -> None:
    cache.delete(_ban_key(channel.pk if channel else None, user.pk))


def member_facts(*, channel: Channel, user: User) -> dict[str, Any]:
    """Roles, badges, e-mail verification and follow time of a chatter, cached briefly per (channel, user).

    `follower_since` is the follow's unix time (None when not following); a follow or unfollow
    forgets the entry at once (chat.receivers), so followers-only mode asks nothing per message.
    """
    key = f"chat:member:{channel.pk}:{user.pk}"
    facts = cache.get(key)
    if facts is None:
        roles = frozenset(channel_selectors.channel_roles_of(channel=channel, user=user))
        follow = channel_selectors.follow_get(user=user, channel=channel)
        extra = extra_facts(user, channel)
        facts = {
            "roles": sorted(roles),
            "badges": badges_for(BadgeContext(user=user, channel=channel, roles=roles, extra=extra)),
            "extra": extra,
            "can_moderate": channel_selectors.user_can_moderate(user=user, channel=channel),
            "email_verified": EmailAddress.objects.filter(user=user, verified=True).exists(),
            "follower_since": follow.created_at.timestamp() if follow else None,
        }
        cache.set(key, facts, 30)  # roles change rarely; 30 s keeps grants prompt without signals
    return facts


def forget_member(*, channel: Channel, user: User) -> None:
    cache.delete(f"chat:member:{channel.pk}:{user.pk}")


def _emote_key(channel_id: int) -> str:
    # A generation number lets a change to global emotes invalidate every channel's entry at once.
    generation = cache.get_or_set("chat:emotes:generation", 1, None)
    return f"chat:emotes:{generation}:{channel_id}"


def emote_map(*, channel: Channel) -> dict[str, dict[str, str]]:
    """Codes usable in this channel (its own first, then global) → image urls, cached."""
    key = _emote_key(channel.pk)
    emotes = cache.get(key)
    if emotes is None:
        emotes = {}
        for emote in Emote.objects.filter(Q(channel__isnull=True) | Q(channel=channel)).order_by(
            "channel_id"
        ):
            urls = {"url": emote.image_1x.url, "url_2x": emote.image_2x.url, "url_4x": emote.image_4x.url}
            if emote.channel_id or emote.code not in emotes:
                emotes[emote.code] = urls
        cache.set(key, emotes, _FACT_SECONDS)
    return dict(emotes)


def subscriber_emote_codes(*, channel: Channel) -> frozenset[str]:
    """This channel's subscriber-only emote codes, cached beside the emote map (same invalidation)."""
    key = _emote_key(channel.pk) + ":subs"
    codes = cache.get(key)
    if codes is None:
        mine = Emote.objects.filter(channel=channel, subscriber_only=True)
        codes = sorted(mine.values_list("code", flat=True))
        cache.set(key, codes, _FACT_SECONDS)
    return frozenset(codes)


def forget_emotes(*, channel: Channel | None) -> None:
    if channel is not None:
        cache.delete_many([_emote_key(channel.pk), _emote_key(channel.pk) + ":subs"])
        return
    try:
        cache.incr("chat:emotes:generation")
    except ValueError:  # not set yet: nothing cached under it either
        cache.set("chat:emotes:generation", 2, None)


def blocked_terms(*, channel: Channel) -> list[str]:
    key = f"chat:terms:{channel.pk}"
    terms = cache.get(key)
    if terms is None:
        terms = list(BlockedTerm.objects.filter(channel=channel).values_list("pattern", flat=True))
        cache.set(key, terms, _FACT_SECONDS)
    return list(terms)


def forget_terms(*, channel: Channel) -> None:
    cache.delete(f"chat:terms:{channel.pk}")


def account_age_minutes(user: User) -> float:
    return (timezone.now() - user.date_joined).total_seconds() / 60


# --- Pages: the chat panel, the user card, the emote picker, the dashboard (chat UI) ----------


def send_block(*, channel: Channel, user: User) -> tuple[str, float | None]:
    """Why this viewer cannot chat here, for the composer: ("", None) when they can.

    "signin", "verify", "banned", or "timeout" with the unix time it ends. The socket has the last
    word on every send; this only lets the page say why before the viewer types.
    """
    if not user.is_authenticated:
        return "signin", None
    until = chat_restriction(channel=channel, user=user)
    if until is not None:
        return ("banned", None) if until == 0.0 else ("timeout", until)
    facts = member_facts(channel=channel, user=user)
    if facts["can_moderate"] or facts["email_verified"]:
        return "", None
    if email_required(chat_settings(channel=channel)):
        return "verify", None
    return "", None


def user_card_messages(
    *, channel: Channel, user: User, include_hidden: bool, limit: int = 20
) -> list[Message]:
    """A chatter's latest messages here, newest first; moderators also see deleted, held and denied ones."""
    messages = Message.objects.filter(channel=channel, user=user)
    if not include_hidden:
        messages = messages.filter(state=MessageState.VISIBLE, deleted_at__isnull=True)
    return list(messages.order_by("-sent_at", "-id")[:limit])


def user_mod_actions(*, channel: Channel, user: User, limit: int = 20) -> list[ModerationAction]:
    """Past moderation of one chatter in this channel (and site-wide), newest first."""
    return list(
        ModerationAction.objects.select_related("moderator")
        .filter(Q(channel=channel) | Q(channel__isnull=True), target=user)
        .order_by("-created_at")[:limit]
    )


def channel_ban_of(*, channel: Channel, user: User) -> ChatBan | None:
    """The user's current ban or running timeout in this channel, if any."""
    ban = ChatBan.objects.filter(channel=channel, user=user).first()
    if ban is None or (ban.expires_at is not None and ban.expires_at <= timezone.now()):
        return None
    return ban


def emote_picker(*, channel: Channel) -> dict[str, list[dict[str, Any]]]:
    """The emote picker's contents: this channel's emotes and the global ones, each by code."""

    def entry(emote: Emote) -> dict[str, Any]:
        return {
            "code": emote.code,
            "url": emote.image_1x.url,
            "url_2x": emote.image_2x.url,
            "url_4x": emote.image_4x.url,
            "animated": emote.animated,
            "subscriber_only": emote.subscriber_only,
        }

    emotes = Emote.objects.filter(Q(channel__isnull=True) | Q(channel=channel)).order_by("code")
    found: dict[str, list[dict[str, Any]]] = {"channel": [], "global": []}
    for emote in emotes:
        found["channel" if emote.channel_id else "global"].append(entry(emote))
    return found


def blocked_term_list(*, channel: Channel) -> QuerySet[BlockedTerm]:
    return BlockedTerm.objects.select_related("created_by").filter(channel=channel).order_by("pattern")


def moderation_log(*, channel: Channel, limit: int = 50) -> list[ModerationAction]:
    return list(
        ModerationAction.objects.select_related("moderator", "target", "message")
        .filter(channel=channel)
        .order_by("-created_at")[:limit]
    )


def channels_moderated_by(*, user: User) -> QuerySet[Channel]:
    """Channels whose chat the user runs: their own first, then those they moderate."""
    if not user.is_authenticated:
        return Channel.objects.none()
    moderated = ChannelRole.objects.filter(user=user, role=Role.MODERATOR).values("channel_id")
    return (
        Channel.objects.filter(Q(owner_user=user) | Q(pk__in=moderated))
        .annotate(is_owned=Q(owner_user=user))
        .order_by("-is_owned", "slug")
    )
