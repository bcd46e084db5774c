"""Sending a chat message: every rule checked (mostly from cache), stored, then broadcast after commit.

Each accepted message is one INSERT in its own transaction before it is broadcast: nothing a
viewer saw can be lost, and nothing unsaved is ever shown.
"""

from __future__ import annotations

import enum
import hashlib
import re
import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from channels_app.models import Channel
from chat import automod, fragments, selectors
from chat.models import MAX_MESSAGE_LENGTH, Message, MessageState
from streams import selectors as stream_selectors
from streams.hub import hub, mods_topic, room_topic

RATE_WINDOW_SECONDS = 30
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class ChatRefused(Exception):
    """A send or action that is not allowed: becomes an `error {code, message}` frame."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def clean_text(raw: Any) -> str:
    """Strip control and direction-override characters, normalise, collapse whitespace."""
    if not isinstance(raw, str):
        raise ChatRefused("invalid", "A message is text.")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", raw.replace("\n", " ").replace("\t", " ")))
    text = " ".join(text.split())
    if not text:
        raise ChatRefused("empty", "Type something first.")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ChatRefused("too_long", f"Messages are at most {MAX_MESSAGE_LENGTH} characters.")
    return text


def is_follower_since(
    *, channel: Channel, user: User, minutes: int, facts: dict[str, Any] | None = None
) -> bool:
    """Following for at least `minutes`, read from the cached member facts (no query per message)."""
    if facts is None:
        facts = selectors.member_facts(channel=channel, user=user)
    since = facts.get("follower_since")
    return since is not None and time.time() - since >= minutes * 60


def is_subscriber(*, channel: Channel, user: User, facts: dict[str, Any] | None = None) -> bool:
    """Monetization answers through the cached member facts (chat.badges.register_facts)."""
    if facts is None:
        facts = selectors.member_facts(channel=channel, user=user)
    return bool(facts.get("extra", {}).get("subscriber"))


def _check_may_send(channel: Channel, user: User, facts: dict[str, Any], chat: Any) -> None:
    if not user.is_authenticated or not user.is_active:
        raise ChatRefused("sign_in", "Sign in to chat.")
    until = selectors.chat_restriction(channel=channel, user=user)
    if until == 0.0:
        raise ChatRefused("banned", "You are banned from this chat.")
    if until is not None:
        raise ChatRefused("timed_out", f"You are timed out for {int(until - time.time()) + 1} more seconds.")
    if facts["can_moderate"]:
        return
    if selectors.email_required(chat) and not facts["email_verified"]:
        raise ChatRefused("verify_email", "Verify your e-mail address to chat.")
    if selectors.account_age_minutes(user) < chat.min_account_age_minutes:
        raise ChatRefused("account_too_new", "Your account is too new to chat here yet.")
    if chat.followers_only_minutes is not None and not is_follower_since(
        channel=channel, user=user, minutes=chat.followers_only_minutes, facts=facts
    ):
        raise ChatRefused("followers_only", "This chat is in followers-only mode.")
    if chat.subscribers_only and not is_subscriber(channel=channel, user=user, facts=facts):
        raise ChatRefused("subscribers_only", "This chat is in subscribers-only mode.")


def _check_pace(channel: Channel, user: User, text: str, moderator: bool, chat: Any) -> None:
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"chat:rate:{channel.pk}:{user.pk}:{window}"
    count = int(cache.get_or_set(key, 0, RATE_WINDOW_SECONDS * 2) or 0)
    if count >= (settings.CHAT_RATE_LIMIT_MODERATOR if moderator else settings.CHAT_RATE_LIMIT):
        raise ChatRefused("rate_limited", "You are sending messages too quickly.")
    if moderator:
        return
    last = cache.get(f"chat:last:{channel.pk}:{user.pk}")
    if last and chat.slow_mode_seconds:
        left = chat.slow_mode_seconds - (time.time() - last["at"])
        if left > 0:
            raise ChatRefused("slow_mode", f"Slow mode: wait {int(left) + 1} s.")
    if last and chat.unique_chat and last["digest"] == _digest(text):
        raise ChatRefused("duplicate", "Unique-chat mode: say something new.")


def _digest(text: str) -> str:
    return hashlib.sha1(text.casefold().encode(), usedforsecurity=False).hexdigest()


def _count_sent(channel: Channel, user: User, text: str) -> None:
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"chat:rate:{channel.pk}:{user.pk}:{window}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS * 2)
    cache.set(f"chat:last:{channel.pk}:{user.pk}", {"at": time.time(), "digest": _digest(text)}, 3600)


class _Unknown(enum.Enum):
    LOOK_UP = "look up"


def message_send(
    *, channel: Channel, user: User, text: Any, live_stream_id: int | _Unknown | None = _Unknown.LOOK_UP
) -> Message:
    """Store and broadcast a message, or raise ChatRefused. A held message is stored, not shown.

    The room socket passes `live_stream_id`, which its process already tracks from the room's
    `stream.status` frames: the query it saves was a fifth of the sender's cost per message.
    """
    text = clean_text(text)
    chat = selectors.chat_settings(channel=channel)
    facts = selectors.member_facts(channel=channel, user=user)
    _check_may_send(channel, user, facts, chat)
    moderator = bool(facts["can_moderate"])
    _check_pace(channel, user, text, moderator, chat)
    emotes = selectors.emote_map(channel=channel)
    if not moderator and not is_subscriber(channel=channel, user=user, facts=facts):
        # Subscriber emotes stay plain text for everyone else (monetization answers is_subscriber).
        for code in selectors.subscriber_emote_codes(channel=channel):
            emotes.pop(code, None)
    parts = fragments.parse(text, emotes)
    if chat.emote_only and not moderator and not fragments.only_emotes(parts):
        raise ChatRefused("emote_only", "This chat is in emote-only mode.")
    verdict = automod.review(
        text=text,
        chat_settings=chat,
        blocked_terms=selectors.blocked_terms(channel=channel),
        is_moderator=moderator,
    )
    if live_stream_id is _Unknown.LOOK_UP:
        live = stream_selectors.live_stream(channel=channel)
        live_stream_id = live.pk if live else None
    # One INSERT, committed on its own (autocommit): broadcast only after it is stored.
    message = Message.objects.create(
        channel=channel,
        stream_id=live_stream_id,
        user=user,
        text=text,
        fragments=parts,
        badges=facts["badges"],
        state=MessageState.HELD if verdict.held else MessageState.VISIBLE,
        held_reason=verdict.reason[:200],
    )
    if verdict.held:
        transaction.on_commit(
            lambda: hub().publish(
                mods_topic(channel.slug), {"type": "chat.held", **selectors.held_payload(message)}
            )
        )
    else:
        transaction.on_commit(
            lambda: hub().publish(
                room_topic(channel.slug), {"type": "chat.message", **selectors.message_payload(message)}
            )
        )
    _count_sent(channel, user, text)
    return message
