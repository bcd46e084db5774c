"""message_send's rules, each chat mode, rate limits and the cached ban check."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from channels_app.models import ChannelRole
from chat import fragments, selectors
from chat.models import ChatSettings, Emote, Message, MessageState
from chat.services import messages as messages_module
from chat.services import moderation
from chat.services.messages import ChatRefused, clean_text, message_send
from tests.factories import UserFactory
from tests.streams.helpers import hook, make_channel

RATE_LIMIT = 20  # the defaults: 20 messages per 30 s, 100 for moderators
pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return make_channel("nova")[0]


@pytest.fixture
def chatter():
    user = UserFactory(username="chatter")
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save()
    return user


@pytest.fixture
def mod(channel):
    user = UserFactory(username="mod_mo")
    ChannelRole.objects.create(channel=channel, user=user, role="moderator")
    return user


def refused(code: str, **kwargs) -> None:
    with pytest.raises(ChatRefused) as error:
        message_send(**kwargs)
    assert error.value.code == code, error.value.message


def set_modes(channel, **modes) -> None:
    ChatSettings.objects.update_or_create(channel=channel, defaults=modes)


def test_message_is_stored_with_badges_fragments_and_the_live_session(chatter):
    channel, key = make_channel("nova")
    offline = message_send(channel=channel, user=chatter, text="hi @nova_owner see example.org")
    assert offline.state == MessageState.VISIBLE
    assert [f["type"] for f in offline.fragments] == ["text", "mention", "text", "link"]
    assert offline.fragments[-1]["url"] == "https://example.org"
    assert offline.stream is None
    hook("publish", key=key)
    owner_message = message_send(channel=channel, user=channel.owner_user, text="welcome")
    assert [b["name"] for b in owner_message.badges] == ["broadcaster"]
    assert owner_message.stream is not None and owner_message.stream.is_live


def test_control_and_direction_characters_are_stripped():
    assert clean_text("a\u202eb\u0007c\u200b d\n\ne") == "abc d e"
    for bad in ("", "   ", "\u200b"):
        with pytest.raises(ChatRefused):
            clean_text(bad)


def test_unverified_email_cannot_send_unless_the_platform_allows(channel, settings):
    user = UserFactory(username="fresh", verified=False)
    refused("verify_email", channel=channel, user=user, text="hi")
    settings.CHAT_REQUIRE_VERIFIED_EMAIL = False
    set_modes(channel, verified_email_only=False)
    assert message_send(channel=channel, user=user, text="hi").pk


def test_minimum_account_age(channel, chatter):
    set_modes(channel, min_account_age_minutes=60 * 24 * 60)
    refused("account_too_new", channel=channel, user=chatter, text="hi")


def test_followers_and_subscribers_only_hold_back_viewers_but_not_moderators(channel, chatter, mod):
    set_modes(channel, followers_only_minutes=0)
    refused("followers_only", channel=channel, user=chatter, text="hi")
    assert message_send(channel=channel, user=mod, text="mods may").pk
    set_modes(channel, followers_only_minutes=None, subscribers_only=True)
    refused("subscribers_only", channel=channel, user=chatter, text="hi")


def test_slow_mode_and_unique_chat(channel, chatter, mod):
    set_modes(channel, slow_mode_seconds=30, unique_chat=True)
    message_send(channel=channel, user=chatter, text="first")
    refused("slow_mode", channel=channel, user=chatter, text="second")
    set_modes(channel, slow_mode_seconds=0, unique_chat=True)
    refused("duplicate", channel=channel, user=chatter, text="FIRST")
    message_send(channel=channel, user=mod, text="same")
    message_send(channel=channel, user=mod, text="same")  # moderators are exempt


def test_emote_only(channel, chatter):
    Emote.objects.create(code="Kappa", image_1x="k.webp", image_2x="k2.webp", image_4x="k4.webp")
    set_modes(channel, emote_only=True)
    refused("emote_only", channel=channel, user=chatter, text="Kappa words")
    assert message_send(channel=channel, user=chatter, text="Kappa  Kappa").fragments[0]["type"] == "emote"


def test_rate_limit_twenty_per_thirty_seconds_and_more_for_moderators(channel, chatter, mod, monkeypatch):
    # One fixed 30 s window: on a slow machine the sends could otherwise straddle two windows.
    fixed = (time.time() // 30) * 30 + 1
    monkeypatch.setattr(messages_module, "time", SimpleNamespace(time=lambda: fixed))
    for i in range(RATE_LIMIT):
        message_send(channel=channel, user=chatter, text=f"m{i}")
    refused("rate_limited", channel=channel, user=chatter, text="one too many")
    for i in range(100):
        message_send(channel=channel, user=mod, text=f"mod {i}")
    refused("rate_limited", channel=channel, user=mod, text="even moderators pause")
    assert Message.objects.filter(user=mod).count() == 100


def test_ban_check_uses_the_cache_not_a_query_per_message(channel, chatter, django_assert_num_queries):
    message_send(channel=channel, user=chatter, text="warm the caches")
    with django_assert_num_queries(2):  # the live session, the INSERT
        message_send(channel=channel, user=chatter, text="second")


@pytest.fixture
def redis_trips(monkeypatch) -> list[str]:
    """The Redis round trips made from here on: each command's name, or "pipeline"."""
    if not settings.REDIS_URL:
        pytest.skip("needs a real Redis: set REDIS_URL")
    trips: list[str] = []
    command, execute = redis.Redis.execute_command, redis.client.Pipeline.execute

    def counted_command(self, *args, **options):
        trips.append(str(args[0]))
        return command(self, *args, **options)

    def counted_execute(self, *args, **options):
        trips.append("pipeline")
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted_command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", counted_execute)
    return trips


def test_a_send_makes_three_redis_round_trips(
    channel, chatter, redis_trips, django_capture_on_commit_callbacks
):
    """The facts in one MGET, the count and last message in one pipeline, the publish: each trip
    from the socket's database thread waits for the GIL behind the room's fan-out."""
    message_send(channel=channel, user=chatter, text="warm the caches")
    redis_trips.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the publish waits for the commit
        message_send(channel=channel, user=chatter, text="second", live_stream_id=None)
    assert sorted(redis_trips) == ["MGET", "PUBLISH", "pipeline"]


def test_a_connect_reads_its_chat_facts_in_one_round_trip(channel, chatter, redis_trips):
    selectors.welcome_facts(channel=channel, user=chatter)  # warms the cache
    redis_trips.clear()
    chat, member = selectors.welcome_facts(channel=channel, user=chatter)
    assert redis_trips == ["MGET"]
    assert chat.channel_id == channel.pk and member is not None and not member["can_moderate"]
    assert selectors.welcome_facts(channel=channel, user=None)[1] is None


def test_chat_modes_are_cached_and_a_change_is_seen_at_once(channel, chatter, django_assert_num_queries):
    message_send(channel=channel, user=chatter, text="caches the default modes")
    moderation.chat_settings_update(channel=channel, moderator=channel.owner_user, emote_only=True)
    refused("emote_only", channel=channel, user=chatter, text="plain words")
    moderation.chat_settings_update(channel=channel, moderator=channel.owner_user, emote_only=False)
    with django_assert_num_queries(2):  # the settings are read again from the database once
        message_send(channel=channel, user=chatter, text="words again", live_stream_id=None)
    with django_assert_num_queries(1):  # and cached again: the INSERT alone
        message_send(channel=channel, user=chatter, text="words once more", live_stream_id=None)


def test_ban_takes_effect_at_once_through_cache_invalidation(
    channel, chatter, mod, django_capture_on_commit_callbacks
):
    message_send(channel=channel, user=chatter, text="cached as not banned")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.user_ban(channel=channel, target=chatter, moderator=mod, reason="spam")
    refused("banned", channel=channel, user=chatter, text="still here?")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.user_unban(channel=channel, target=chatter, moderator=mod)
    assert message_send(channel=channel, user=chatter, text="back").pk


def test_sitewide_ban_applies_in_every_channel(channel, chatter, django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    other = make_channel("other")[0]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.sitewide_ban(target=chatter, staff=staff, reason="abuse")
    for room in (channel, other):
        refused("banned", channel=room, user=chatter, text="hi")
    with pytest.raises(ChatRefused):
        moderation.sitewide_ban(target=staff, staff=chatter)


def test_expired_timeout_no_longer_blocks(channel, chatter, mod, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.user_timeout(channel=channel, target=chatter, moderator=mod, seconds=1)
    refused("timed_out", channel=channel, user=chatter, text="hi")
    from chat.models import ChatBan

    ChatBan.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    selectors.forget_ban(channel=channel, user=chatter)
    assert message_send(channel=channel, user=chatter, text="free").pk


def test_fragments_parse_links_mentions_and_emotes_in_order():
    parts = fragments.parse("go @ann_a: Kappa https://x.io/a?b=1.", {"Kappa": {"url": "/k"}})
    assert [p["type"] for p in parts] == ["text", "mention", "text", "emote", "text", "link", "text"]
    assert parts[-2]["url"] == "https://x.io/a?b=1" and parts[-1]["text"] == "."
    assert fragments.parse("email me a@b.co", {})[1]["type"] == "link"  # bare domains are links too


def test_held_message_is_denied_once_and_never_shown(channel, chatter, mod, monkeypatch):
    from chat import automod
    from chat.models import ModerationAction

    monkeypatch.setattr(automod, "review", lambda **kw: automod.Verdict(held=True, reason="Held: test."))
    message = message_send(channel=channel, user=chatter, text="maybe")
    assert message.state == MessageState.HELD
    with pytest.raises(ChatRefused):
        moderation.held_deny(message=message, moderator=chatter)  # viewers cannot decide
    moderation.held_deny(message=message, moderator=mod)
    moderation.held_approve(message=message, moderator=mod)  # too late: already denied
    message.refresh_from_db()
    assert message.state == MessageState.DENIED
    assert list(ModerationAction.objects.values_list("kind", flat=True)) == ["deny"]
