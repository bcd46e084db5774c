"""Sending a chat message: every rule checked, stored, then broadcast after commit.

The rules read their facts from the cache in one round trip (`selectors.send_facts`) and the
send is counted in one more, so a message costs the INSERT, two cache trips and the publish.

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
from django.db import transaction

from accounts.models import User
from aethex.cache import count_and_set
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


def _check_may_send(channel: Channel, user: User, known: selectors.SendFacts) -> None:
    if known.restriction == 0.0:
        raise ChatRefused("banned", "You are banned from this chat.")
    if known.restriction is not None:
        raise ChatRefused(
            "timed_out", f"You are timed out for {int(known.restriction - time.time()) + 1} more seconds."
        )
    facts, chat = known.member, known.chat
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


def _check_pace(text: str, moderator: bool, known: selectors.SendFacts) -> None:
    limit = settings.CHAT_RATE_LIMIT_MODERATOR if moderator else settings.CHAT_RATE_LIMIT
    if known.sent_in_window >= limit:
        raise ChatRefused("rate_limited", "You are sending messages too quickly.")
    if moderator:
        return
    last, chat = known.last_sent, known.chat
    if last and chat.slow_mode_seconds:
        left = chat.slow_mode_seconds - (time.time() - last["at"])
        if left > 0:
            raise ChatRefused("slow_mode", f"Slow mode: wait {int(left) + 1} s.")
    if last and chat.unique_chat and last["digest"] == _digest(text):
        raise ChatRefused("duplicate", "Unique-chat mode: say something new.")


def _digest(text: str) -> str:
    return hashlib.sha1(text.casefold().encode(), usedforsecurity=False).hexdigest()


def _count_sent(channel: Channel, user: User, text: str, window: int) -> None:
    count_and_set(
        selectors.rate_key(channel_id=channel.pk, user_id=user.pk, window=window),
        RATE_WINDOW_SECONDS * 2,
        {
            selectors.last_sent_key(channel_id=channel.pk, user_id=user.pk): {
                "at": time.time(),
                "digest": _digest(text),
            }
        },
        3600,
    )


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
    if not user.is_authenticated or not user.is_active:
        raise ChatRefused("sign_in", "Sign in to chat.")
    window = int(time.time() // RATE_WINDOW_SECONDS)
    known = selectors.send_facts(channel=channel, user=user, window=window)
    _check_may_send(channel, user, known)
    moderator = bool(known.member["can_moderate"])
    _check_pace(text, moderator, known)
    emotes = known.emotes
    if not moderator and not is_subscriber(channel=channel, user=user, facts=known.member):
        # Subscriber emotes stay plain text for everyone else (monetization answers is_subscriber).
        for code in known.subscriber_emote_codes:
            emotes.pop(code, None)
    parts = fragments.parse(text, emotes)
    chat = known.chat
    if chat.emote_only and not moderator and not fragments.only_emotes(parts):
        raise ChatRefused("emote_only", "This chat is in emote-only mode.")
    verdict = automod.review(
        text=text, chat_settings=chat, blocked_terms=known.blocked_terms, is_moderator=moderator
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
        badges=known.member["badges"],
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
    _count_sent(channel, user, text, window)
    return message
