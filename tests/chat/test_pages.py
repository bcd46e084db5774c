"""Chat pages: the panel on the channel page, popout, the OBS overlay, the user card, the emote
list and the dashboard's Chat & moderation page (modes, blocked terms, held queue, log)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from channels_app import services as channel_services
from channels_app.models import Role
from chat.models import (
    BlockedTerm,
    ChatBan,
    ChatSettings,
    Emote,
    Message,
    MessageState,
    ModerationAction,
    ModerationKind,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(username="pilot")


@pytest.fixture
def channel(owner):
    channel, _ = channel_services.channel_create(owner=owner, slug="pixel_pilot", title="Speedruns")
    return channel


@pytest.fixture
def moderator(channel, owner):
    person = UserFactory(username="modder")
    channel_services.channel_role_grant(channel=channel, user=person, role=Role.MODERATOR, granted_by=owner)
    return person


@pytest.fixture
def chatter():
    return UserFactory(username="chatty")


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _say(channel, user, text: str, **fields: Any) -> Message:
    return Message.objects.create(channel=channel, user=user, text=text, **fields)


# --- The panel on the channel page ---------------------------------------------------------------


def test_channel_page_has_the_chat_panel_with_a_sign_in_prompt(channel):
    body = _client().get("/pixel_pilot/").content.decode()
    assert "Chat arrives soon" not in body
    assert 'data-chat data-variant="panel"' in body
    assert 'data-ws-path="/ws/chat/pixel_pilot/"' in body
    assert 'data-emotes-url="/pixel_pilot/chat/emotes.json"' in body
    assert 'data-card-url="/pixel_pilot/chat/user/"' in body
    assert 'data-block="signin"' in body
    assert "Sign in to chat" in body
    assert "/popout/pixel_pilot/chat" in body
    assert "js/chat.js" in body


def test_channel_page_composer_for_a_verified_viewer(channel, chatter):
    body = _client(chatter).get("/pixel_pilot/").content.decode()
    assert 'data-block=""' in body
    assert 'data-username="chatty"' in body
    assert "data-chat-input" in body


def test_channel_page_asks_an_unverified_viewer_to_verify(channel):
    body = _client(UserFactory(verified=False)).get("/pixel_pilot/").content.decode()
    assert 'data-block="verify"' in body
    assert "Verify your e-mail address to chat." in body


def test_channel_page_tells_a_timed_out_viewer_until_when(channel, chatter, owner):
    ChatBan.objects.create(
        channel=channel, user=chatter, expires_at=timezone.now() + timedelta(minutes=10), created_by=owner
    )
    body = _client(chatter).get("/pixel_pilot/").content.decode()
    assert 'data-block="timeout"' in body
    assert 'data-block-until="20' in body


def test_channel_page_tells_a_banned_viewer(channel, chatter, owner):
    ChatBan.objects.create(channel=channel, user=chatter, created_by=owner)
    body = _client(chatter).get("/pixel_pilot/").content.decode()
    assert 'data-block="banned"' in body


# --- Popout and overlay --------------------------------------------------------------------------


def test_popout_is_the_chat_alone(channel):
    response = _client().get("/popout/pixel_pilot/chat")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-variant="popout"' in body
    assert "data-chat-form" in body
    assert '<video id="player"' not in body
    assert 'class="site-header' not in body


def test_overlay_is_transparent_read_only_with_a_fade_option(channel):
    response = _client().get("/overlay/pixel_pilot/chat?fade=30")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-variant="overlay"' in body
    assert 'data-fade="30"' in body
    assert "chat-overlay-page" in body
    for composer_part in ("data-chat-form", "data-chat-input", "textarea", "data-emote-toggle"):
        assert composer_part not in body
    assert 'class="site-header' not in body


@pytest.mark.parametrize(("given", "expected"), [("abc", "0"), ("-5", "0"), ("99999", "3600"), ("", "0")])
def test_overlay_fade_is_clamped(channel, given, expected):
    body = _client().get(f"/overlay/pixel_pilot/chat?fade={given}").content.decode()
    assert f'data-fade="{expected}"' in body


@pytest.mark.parametrize("path", ["/popout/nobody_here/chat", "/overlay/nobody_here/chat"])
def test_popout_and_overlay_of_an_unknown_channel_are_404(db, path):
    assert _client().get(path).status_code == 404


def test_popout_and_overlay_of_a_suspended_channel_are_404(channel):
    channel.suspended_at = timezone.now()
    channel.save(update_fields=["suspended_at"])
    assert _client().get("/popout/pixel_pilot/chat").status_code == 404
    assert _client().get("/overlay/pixel_pilot/chat").status_code == 404


# --- The user card -------------------------------------------------------------------------------


def test_user_card_for_a_viewer_shows_recent_visible_messages_without_actions(channel, chatter, owner):
    _say(channel, chatter, "hello <b>there</b>")
    _say(channel, chatter, "this was deleted", deleted_at=timezone.now())
    _say(channel, chatter, "held back", state=MessageState.HELD)
    ModerationAction.objects.create(
        channel=channel, moderator=owner, target=chatter, kind=ModerationKind.TIMEOUT
    )
    response = _client(UserFactory()).get("/pixel_pilot/chat/user/chatty")
    body = response.content.decode()
    assert response.status_code == 200
    assert "hello &lt;b&gt;there&lt;/b&gt;" in body  # escaped, never markup
    assert "this was deleted" not in body
    assert "held back" not in body
    assert 'data-chat-action="timeout"' not in body
    assert "Moderation history" not in body


def test_user_card_for_a_moderator_shows_actions_and_history(channel, chatter, owner, moderator):
    _say(channel, chatter, "hello")
    _say(channel, chatter, "this was deleted", deleted_at=timezone.now())
    ModerationAction.objects.create(
        channel=channel,
        moderator=owner,
        target=chatter,
        kind=ModerationKind.TIMEOUT,
        duration_seconds=600,
        reason="spam",
    )
    body = _client(moderator).get("/pixel_pilot/chat/user/chatty").content.decode()
    assert "this was deleted" in body
    assert 'data-chat-action="timeout" data-seconds="600" data-username="chatty"' in body
    assert 'data-chat-action="ban"' in body
    assert "Moderation history" in body
    assert "Timed out" in body and "“spam”" in body


def test_user_card_offers_unban_to_a_moderator_when_banned(channel, chatter, moderator, owner):
    ChatBan.objects.create(channel=channel, user=chatter, created_by=owner, reason="rude")
    body = _client(moderator).get("/pixel_pilot/chat/user/chatty").content.decode()
    assert "Banned from this chat." in body
    assert 'data-chat-action="unban"' in body


def test_user_card_hides_actions_a_moderator_cannot_take(channel, owner, moderator):
    other_mod = UserFactory(username="othermod")
    channel_services.channel_role_grant(
        channel=channel, user=other_mod, role=Role.MODERATOR, granted_by=owner
    )
    for target in ("pilot", "othermod", "modder"):  # the broadcaster, a fellow moderator, oneself
        body = _client(moderator).get(f"/pixel_pilot/chat/user/{target}").content.decode()
        assert 'data-chat-action="ban"' not in body, target
    # The broadcaster may act on their moderators.
    assert 'data-chat-action="ban"' in _client(owner).get("/pixel_pilot/chat/user/modder").content.decode()


def test_user_card_unknown_user_or_channel_is_404(channel):
    assert _client().get("/pixel_pilot/chat/user/nobody_at_all").status_code == 404
    assert _client().get("/nobody_here/chat/user/pilot").status_code == 404


# --- Emotes --------------------------------------------------------------------------------------


def _emote(code: str, channel=None) -> Emote:
    emote = Emote(code=code, channel=channel)
    for size in ("1x", "2x", "4x"):
        getattr(emote, f"image_{size}").save(f"{code}-{size}.png", ContentFile(b"png"), save=False)
    emote.save()
    return emote


def test_emotes_json_lists_channel_and_global_emotes(channel):
    _emote("PogChamp")
    _emote("pilotWave", channel=channel)
    other, _ = channel_services.channel_create(owner=UserFactory(), slug="someone_else")
    _emote("otherHi", channel=other)
    response = _client().get("/pixel_pilot/chat/emotes.json")
    data = response.json()
    assert response.status_code == 200
    assert [e["code"] for e in data["channel"]] == ["pilotWave"]
    assert [e["code"] for e in data["global"]] == ["PogChamp"]
    assert data["global"][0]["url_2x"].endswith(".png")
    assert _client().get("/nobody_here/chat/emotes.json").status_code == 404


# --- Dashboard: Chat & moderation ----------------------------------------------------------------


def test_dashboard_chat_page_for_the_owner(channel, owner, chatter):
    _say(channel, chatter, "buy cheap followers", state=MessageState.HELD, held_reason="Blocked term")
    BlockedTerm.objects.create(channel=channel, pattern="cheap*")
    ModerationAction.objects.create(channel=channel, moderator=owner, target=chatter, kind=ModerationKind.BAN)
    response = _client(owner).get("/dashboard/chat/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chat & moderation" in body
    assert "buy cheap followers" in body and "Blocked term" in body
    assert "<code>cheap*</code>" in body
    assert "Banned" in body
    assert "/overlay/pixel_pilot/chat" in body
    assert 'aria-current="page">' in body


def test_dashboard_menu_links_to_chat(channel, owner):
    body = _client(owner).get("/dashboard/stream/").content.decode()
    assert 'href="/dashboard/chat/?channel=pixel_pilot"' in body


def test_dashboard_chat_page_for_a_channel_moderator(channel, moderator):
    assert _client(moderator).get("/dashboard/chat/?channel=pixel_pilot").status_code == 200
    # With no channel named, a moderator lands on the chat they moderate.
    assert b"Chat & moderation" in _client(moderator).get("/dashboard/chat/").content


@pytest.mark.parametrize("who", ["viewer", "editor"])
def test_dashboard_chat_page_is_404_for_others(channel, owner, who):
    person = UserFactory()
    if who == "editor":
        channel_services.channel_role_grant(channel=channel, user=person, role=Role.EDITOR, granted_by=owner)
    assert _client(person).get("/dashboard/chat/?channel=pixel_pilot").status_code == 404
    assert _client(person).post("/dashboard/chat/modes/?channel=pixel_pilot", {}).status_code == 404


def test_dashboard_chat_page_needs_sign_in(channel):
    response = _client().get("/dashboard/chat/?channel=pixel_pilot")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dashboard_chat_page_without_a_channel_goes_to_the_dashboard(db):
    response = _client(UserFactory()).get("/dashboard/chat/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def _modes(**changes: Any) -> dict[str, Any]:
    data = {"slow_mode_seconds": "0", "min_account_age_minutes": "0", "followers_only_minutes": "0"}
    data.update(changes)
    return data


def test_saving_modes_calls_the_service_and_logs_it(channel, moderator):
    response = _client(moderator).post(
        "/dashboard/chat/modes/?channel=pixel_pilot",
        _modes(
            slow_mode_seconds="30",
            emote_only="on",
            followers_only="on",
            followers_only_minutes="10",
            min_account_age_minutes="1440",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/chat/?channel=pixel_pilot#modes"
    chat = ChatSettings.objects.get(channel=channel)
    assert chat.slow_mode_seconds == 30
    assert chat.emote_only is True
    assert chat.followers_only_minutes == 10
    assert chat.min_account_age_minutes == 1440
    assert chat.verified_email_only is False  # an unticked box turns it off
    assert ModerationAction.objects.filter(
        channel=channel, moderator=moderator, kind=ModerationKind.MODE
    ).exists()


def test_modes_followers_only_off_is_none(channel, owner):
    ChatSettings.objects.create(channel=channel, followers_only_minutes=30)
    _client(owner).post("/dashboard/chat/modes/?channel=pixel_pilot", _modes(followers_only_minutes="30"))
    assert ChatSettings.objects.get(channel=channel).followers_only_minutes is None


def test_modes_bad_input_shows_the_form_again(channel, owner):
    response = _client(owner).post(
        "/dashboard/chat/modes/?channel=pixel_pilot", _modes(slow_mode_seconds="7")
    )
    assert response.status_code == 200
    assert "field-errors" in response.content.decode()
    assert not ChatSettings.objects.filter(channel=channel, slow_mode_seconds=7).exists()


def test_blocked_terms_add_and_remove(channel, owner):
    client = _client(owner)
    response = client.post("/dashboard/chat/terms/?channel=pixel_pilot", {"pattern": "  Spam*  "})
    assert response.status_code == 302
    term = BlockedTerm.objects.get(channel=channel)
    assert term.pattern == "spam*"
    response = client.post(f"/dashboard/chat/terms/{term.pk}/delete/?channel=pixel_pilot")
    assert response.status_code == 302
    assert not BlockedTerm.objects.filter(channel=channel).exists()
    kinds = list(ModerationAction.objects.filter(channel=channel).values_list("details", flat=True))
    assert {"added": "spam*"} in kinds and {"removed": "spam*"} in kinds


def test_blocked_term_refused_by_the_service_shows_why(channel, owner):
    response = _client(owner).post("/dashboard/chat/terms/?channel=pixel_pilot", {"pattern": "***"})
    assert response.status_code == 200
    assert "not only wildcards" in response.content.decode()


def test_blocked_term_of_another_channel_is_404(channel, owner):
    other, _ = channel_services.channel_create(owner=UserFactory(), slug="someone_else")
    term = BlockedTerm.objects.create(channel=other, pattern="x")
    response = _client(owner).post(f"/dashboard/chat/terms/{term.pk}/delete/?channel=pixel_pilot")
    assert response.status_code == 404
    assert BlockedTerm.objects.filter(pk=term.pk).exists()


def test_held_message_approve_and_deny(channel, moderator, chatter):
    first = _say(channel, chatter, "first", state=MessageState.HELD, held_reason="Caps")
    second = _say(channel, chatter, "second", state=MessageState.HELD, held_reason="Caps")
    client = _client(moderator)
    assert client.post(f"/dashboard/chat/held/{first.pk}/approve/?channel=pixel_pilot").status_code == 302
    assert client.post(f"/dashboard/chat/held/{second.pk}/deny/?channel=pixel_pilot").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == MessageState.VISIBLE
    assert second.state == MessageState.DENIED
    kinds = set(ModerationAction.objects.filter(channel=channel).values_list("kind", flat=True))
    assert {ModerationKind.APPROVE, ModerationKind.DENY} <= kinds
    # Resolved messages are no longer in the queue: a second verdict is a 404.
    assert client.post(f"/dashboard/chat/held/{first.pk}/deny/?channel=pixel_pilot").status_code == 404


def test_held_bad_verdict_or_get_is_refused(channel, owner, chatter):
    held = _say(channel, chatter, "x", state=MessageState.HELD)
    assert (
        _client(owner).post(f"/dashboard/chat/held/{held.pk}/maybe/?channel=pixel_pilot").status_code == 404
    )
    assert (
        _client(owner).get(f"/dashboard/chat/held/{held.pk}/approve/?channel=pixel_pilot").status_code == 405
    )
