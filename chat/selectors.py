"""Reads on chat: history, frames, emotes, the cached facts checked on every send."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
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


def modes_payload(chat: ChatSettings) -> dict[str, Any]:
    return {name: getattr(chat, name) for name in MODE_FIELDS}


def visible_newest_first(*, channel: Channel) -> QuerySet[Message]:
    """Messages still shown in a channel, newest first (read backwards on the chat_shown_by_state index)."""
    return (
        Message.objects.select_related("user")
        .filter(channel=channel, state=MessageState.VISIBLE, deleted_at__isnull=True)
        .order_by("-sent_at", "-id")
    )


def history(*, channel: Channel, limit: int = HISTORY_SIZE) -> list[Message]:
    return list(reversed(visible_newest_first(channel=channel)[:limit]))


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
    """Held messages waiting for a moderator, oldest first (a clear of the chat leaves them waiting)."""
    return (
        Message.objects.select_related("user")
        .filter(channel=channel, state=MessageState.HELD, deleted_at__isnull=True)
        .order_by("sent_at", "id")
    )


def user_recent_messages(*, channel: Channel, user: User, limit: int = 20) -> QuerySet[Message]:
    return Message.objects.filter(channel=channel, user=user).order_by("-sent_at")[:limit]


# --- Cached facts (no query per message) ----------------------------------------------------
#
# Each fact has a key, a loader (the queries on a miss) and a lifetime; the services that change
# one forget its key after commit. `send_facts` reads all a send needs in one round trip.

_EMOTE_GENERATION = "chat:emotes:generation"


def _cached(key: str, load: Callable[[], Any], seconds: int, found: dict[str, Any] | None = None) -> Any:
    """The cached value of `key` (from `found`, a get_many's answer, when given), else loaded and cached."""
    value = cache.get(key) if found is None else found.get(key)
    if value is None:
        value = load()
        cache.set(key, value, seconds)
    return value


def _settings_key(channel_id: int) -> str:
    return f"chat:settings:{channel_id}"


def chat_settings(*, channel: Channel, found: dict[str, Any] | None = None) -> ChatSettings:
    """The channel's chat modes and automod, cached (forgotten on every save: chat.receivers)."""
    return _cached(_settings_key(channel.pk), lambda: _load_chat_settings(channel), _FACT_SECONDS, found)


def _load_chat_settings(channel: Channel) -> ChatSettings:
    found = ChatSettings.objects.filter(channel=channel).first()
    # Defaults until someone changes a mode; by id, so the cached copy does not carry the channel.
    return found or ChatSettings(channel_id=channel.pk)


def forget_chat_settings(*, channel_id: int) -> None:
    cache.delete(_settings_key(channel_id))


def _ban_key(channel_id: int | None, user_id: int) -> str:
    return f"chat:ban:{channel_id or 'site'}:{user_id}"


def _load_ban_state(channel: Channel | None, user: User) -> float:
    ban = ChatBan.objects.filter(user=user, channel=channel).only("expires_at").first()
    if ban is None:
        return -1.0  # cached as "not banned" so the next sends ask nothing
    return ban.expires_at.timestamp() if ban.expires_at else 0.0


def _ban_in_force(state: float) -> float | None:
    if state == -1.0 or (state > 0 and state <= time.time()):
        return None
    return float(state)


def ban_expiry(*, channel: Channel | None, user: User, found: dict[str, Any] | None = None) -> float | None:
    """None if the user may chat; 0.0 for a ban; the unix time a timeout ends otherwise."""
    key = _ban_key(channel.pk if channel else None, user.pk)
    return _ban_in_force(_cached(key, lambda: _load_ban_state(channel, user), _FACT_SECONDS, found))


def chat_restriction(*, channel: Channel, user: User, found: dict[str, Any] | None = None) -> float | None:
    """A site-wide or channel ban/timeout in force: None if none, 0.0 for a ban, else the timeout's end."""
    for scope in (None, channel):
        until = ban_expiry(channel=scope, user=user, found=found)
        if until is not None:
            return until
    return None


def email_required(chat: ChatSettings) -> bool:
    return bool(_settings.CHAT_REQUIRE_VERIFIED_EMAIL or chat.verified_email_only)


def forget_ban(*, channel: Channel | None, user: User) -> None:
    cache.delete(_ban_key(channel.pk if channel else None, user.pk))


def _member_key(channel_id: int, user_id: int) -> str:
    return f"chat:member:{channel_id}:{user_id}"


def member_facts(*, channel: Channel, user: User, found: dict[str, Any] | None = None) -> dict[str, Any]:
    """Roles, badges, e-mail verification and follow time of a chatter, cached briefly per (channel, user).

    `follower_since` is the follow's unix time (None when not following); a follow or unfollow
    forgets the entry at once (chat.receivers), so followers-only mode asks nothing per message.
    """
    # Roles change rarely; 30 s keeps grants prompt without signals.
    return _cached(_member_key(channel.pk, user.pk), lambda: _load_member_facts(channel, user), 30, found)


def _load_member_facts(channel: Channel, user: User) -> dict[str, Any]:
    roles = frozenset(channel_selectors.channel_roles_of(channel=channel, user=user))
    follow = channel_selectors.follow_get(user=user, channel=channel)
    extra = extra_facts(user, channel)
    return {
        "roles": sorted(roles),
        "badges": badges_for(BadgeContext(user=user, channel=channel, roles=roles, extra=extra)),
        "extra": extra,
        "can_moderate": channel_selectors.user_can_moderate(user=user, channel=channel),
        "email_verified": EmailAddress.objects.filter(user=user, verified=True).exists(),
        "follower_since": follow.created_at.timestamp() if follow else None,
    }


def forget_member(*, channel: Channel, user: User) -> None:
    cache.delete(_member_key(channel.pk, user.pk))


def _emotes_key(channel_id: int) -> str:
    return f"chat:emotes:{channel_id}"


def _emotes(channel: Channel, found: dict[str, Any] | None = None) -> dict[str, Any]:
    """{"map": code → image urls, "subscriber_codes": [...]} for a channel, cached.

    The entry records the global emotes' generation it was built under: a change to a global emote
    bumps the generation (forget_emotes), which retires every channel's entry at once.
    """
    if found is None:
        found = cache.get_many([_EMOTE_GENERATION, _emotes_key(channel.pk)])
    generation = found.get(_EMOTE_GENERATION)
    entry = found.get(_emotes_key(channel.pk))
    if entry is not None and generation is not None and entry["generation"] == generation:
        return entry
    if generation is None:
        # First use (or a flushed cache). Should another process bump it meanwhile, the entry's
        # generation no longer matches and the next read loads again: never a stale map.
        cache.add(_EMOTE_GENERATION, 1, None)
        generation = 1
    entry = {"generation": generation, **_load_emotes(channel)}
    cache.set(_emotes_key(channel.pk), entry, _FACT_SECONDS)
    return entry


def _load_emotes(channel: Channel) -> dict[str, Any]:
    emotes: dict[str, dict[str, str]] = {}
    subscriber_codes = []
    for emote in Emote.objects.filter(Q(channel__isnull=True) | Q(channel=channel)).order_by("channel_id"):
        urls = {"url": emote.image_1x.url, "url_2x": emote.image_2x.url, "url_4x": emote.image_4x.url}
        if emote.channel_id or emote.code not in emotes:
            emotes[emote.code] = urls  # the channel's own first, then global
        if emote.channel_id and emote.subscriber_only:
            subscriber_codes.append(emote.code)
    return {"map": emotes, "subscriber_codes": sorted(subscriber_codes)}


def emote_map(*, channel: Channel) -> dict[str, dict[str, str]]:
    """Codes usable in this channel (its own first, then global) → image urls, cached."""
    return dict(_emotes(channel)["map"])


def forget_emotes(*, channel: Channel | None) -> None:
    if channel is not None:
        cache.delete(_emotes_key(channel.pk))
        return
    try:
        cache.incr(_EMOTE_GENERATION)
    except ValueError:  # not set yet: nothing cached under it either
        cache.set(_EMOTE_GENERATION, 2, None)


def _terms_key(channel_id: int) -> str:
    return f"chat:terms:{channel_id}"


def blocked_terms(*, channel: Channel, found: dict[str, Any] | None = None) -> list[str]:
    def load() -> list[str]:
        return list(BlockedTerm.objects.filter(channel=channel).values_list("pattern", flat=True))

    return list(_cached(_terms_key(channel.pk), load, _FACT_SECONDS, found))


def forget_terms(*, channel: Channel) -> None:
    cache.delete(_terms_key(channel.pk))


def rate_key(*, channel_id: int, user_id: int, window: int) -> str:
    """Messages a chatter sent in one rate-limit window (written by the send service)."""
    return f"chat:rate:{channel_id}:{user_id}:{window}"


def last_sent_key(*, channel_id: int, user_id: int) -> str:
    """{"at": unix time, "digest": of the text} of a chatter's last message (slow mode, unique chat)."""
    return f"chat:last:{channel_id}:{user_id}"


def welcome_facts(*, channel: Channel, user: User | None) -> tuple[ChatSettings, dict[str, Any] | None]:
    """A connect's chat settings and, for a signed-in viewer, member facts: one cache round trip."""
    keys = [_settings_key(channel.pk)]
    if user is not None:
        keys.append(_member_key(channel.pk, user.pk))
    found = cache.get_many(keys)
    member = member_facts(channel=channel, user=user, found=found) if user is not None else None
    return chat_settings(channel=channel, found=found), member


@dataclass(frozen=True)
class SendFacts:
    """All a send checks before it stores anything."""

    chat: ChatSettings
    member: dict[str, Any]
    restriction: float | None  # chat_restriction's answer
    emotes: dict[str, dict[str, str]]
    subscriber_emote_codes: frozenset[str]
    blocked_terms: list[str]
    sent_in_window: int
    last_sent: dict[str, Any] | None


def send_facts(*, channel: Channel, user: User, window: int) -> SendFacts:
    """Read in one cache round trip (a send used to make ten; each one, from the socket's database
    thread, waits for the GIL behind the room's fan-out). Misses are loaded and cached as usual."""
    rate = rate_key(channel_id=channel.pk, user_id=user.pk, window=window)
    last = last_sent_key(channel_id=channel.pk, user_id=user.pk)
    found = cache.get_many(
        [
            _settings_key(channel.pk),
            _member_key(channel.pk, user.pk),
            _ban_key(None, user.pk),
            _ban_key(channel.pk, user.pk),
            _EMOTE_GENERATION,
            _emotes_key(channel.pk),
            _terms_key(channel.pk),
            rate,
            last,
        ]
    )
    emotes = _emotes(channel, found)
    return SendFacts(
        chat=chat_settings(channel=channel, found=found),
        member=member_facts(channel=channel, user=user, found=found),
        restriction=chat_restriction(channel=channel, user=user, found=found),
        emotes=dict(emotes["map"]),
        subscriber_emote_codes=frozenset(emotes["subscriber_codes"]),
        blocked_terms=blocked_terms(channel=channel, found=found),
        sent_in_window=int(found.get(rate) or 0),
        last_sent=found.get(last),
    )


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
