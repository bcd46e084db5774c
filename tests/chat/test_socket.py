"""The room socket's chat: send, receive, history, delete, moderation and bad frames, end to end."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from channels_app.models import ChannelRole
from chat.models import ChatBan, Message, ModerationAction
from tests.chat.socket_helpers import connect, frame_of, no_frame_of
from tests.factories import UserFactory
from tests.streams.helpers import hook, make_channel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(db):
    channel, _ = make_channel("nova")
    viewer = UserFactory(username="viewer_vi")
    moderator = UserFactory(username="mod_mo")
    ChannelRole.objects.create(channel=channel, user=moderator, role="moderator")
    return channel, viewer, moderator


async def test_a_message_reaches_everyone_and_joins_the_history(room):
    _channel, viewer, _ = room
    anonymous = await connect("nova")
    welcome = await frame_of(anonymous, "chat.welcome")
    assert (welcome["me"], welcome["can_send"], welcome["can_moderate"]) == (None, False, False)
    sender = await connect("nova", viewer)
    await frame_of(sender, "chat.history")
    await sender.send_json_to({"type": "chat.send", "text": "  hello   @mod_mo  "})
    for socket in (anonymous, sender):
        message = await frame_of(socket, "chat.message")
        assert message["text"] == "hello @mod_mo"
        assert message["user"]["username"] == "viewer_vi"
        assert {"type": "mention", "username": "mod_mo"} in message["fragments"]
    late = await connect("nova")
    history = await frame_of(late, "chat.history")
    assert [m["text"] for m in history["messages"]] == ["hello @mod_mo"]
    for socket in (anonymous, sender, late):
        await socket.disconnect()


async def test_anonymous_viewers_read_but_cannot_send(room):
    anonymous = await connect("nova")
    await anonymous.send_json_to({"type": "chat.send", "text": "hi"})
    assert (await frame_of(anonymous, "error"))["code"] == "sign_in"
    assert await database_sync_to_async(Message.objects.count)() == 0
    await anonymous.disconnect()


async def test_moderator_deletes_and_a_viewer_cannot(room):
    _channel, viewer, moderator = room
    other = await database_sync_to_async(UserFactory)()
    sender, mod, bystander = (
        await connect("nova", viewer),
        await connect("nova", moderator),
        await connect("nova", other),
    )
    await sender.send_json_to({"type": "chat.send", "text": "delete me"})
    message_id = (await frame_of(mod, "chat.message"))["id"]
    await bystander.send_json_to({"type": "chat.delete", "id": message_id})
    assert (await frame_of(bystander, "error"))["code"] == "forbidden"
    await mod.send_json_to({"type": "chat.delete", "id": message_id})
    assert (await frame_of(sender, "chat.delete"))["id"] == message_id
    message = await database_sync_to_async(Message.objects.get)(pk=message_id)
    assert message.deleted_at is not None
    history = await frame_of(await connect("nova"), "chat.history")
    assert history["messages"] == []
    for socket in (sender, mod, bystander):
        await socket.disconnect()


async def test_timeout_purges_and_blocks_then_unban_restores(room):
    _channel, viewer, moderator = room
    sender, mod = await connect("nova", viewer), await connect("nova", moderator)
    await mod.send_json_to(
        {"type": "chat.timeout", "username": "viewer_vi", "seconds": 600, "reason": "calm down"}
    )
    assert (await frame_of(sender, "chat.purge"))["username"] == "viewer_vi"
    assert "timed out" in (await frame_of(sender, "chat.notice"))["text"]
    await sender.send_json_to({"type": "chat.send", "text": "let me talk"})
    assert (await frame_of(sender, "error"))["code"] == "timed_out"
    await mod.send_json_to({"type": "chat.unban", "username": "viewer_vi"})
    assert await no_frame_of(mod, "error")
    await sender.send_json_to({"type": "chat.send", "text": "thanks"})
    assert (await frame_of(mod, "chat.message"))["text"] == "thanks"
    kinds = await database_sync_to_async(
        lambda: list(ModerationAction.objects.values_list("kind", flat=True))
    )()
    assert sorted(kinds) == ["timeout", "unban"]
    await sender.disconnect()
    await mod.disconnect()


async def test_banned_user_cannot_send(room):
    _channel, viewer, moderator = room
    mod, sender = await connect("nova", moderator), await connect("nova", viewer)
    # The room's fan-out is live for both sockets before the ban (a frame sent earlier has no one to reach).
    await sender.send_json_to({"type": "chat.send", "text": "first words"})
    await frame_of(sender, "chat.message")
    await frame_of(mod, "chat.message")
    await mod.send_json_to({"type": "chat.ban", "username": "viewer_vi", "reason": "spam"})
    await frame_of(sender, "chat.purge")
    await sender.send_json_to({"type": "chat.send", "text": "hello?"})
    assert (await frame_of(sender, "error"))["code"] == "banned"
    assert await database_sync_to_async(ChatBan.objects.filter(user=viewer, expires_at__isnull=True).exists)()
    await mod.disconnect()
    await sender.disconnect()


async def test_a_moderator_cannot_ban_the_broadcaster_or_another_moderator(room):
    channel, _, moderator = room
    other_mod = await database_sync_to_async(UserFactory)(username="mod_two")
    await database_sync_to_async(ChannelRole.objects.create)(
        channel=channel, user=other_mod, role="moderator"
    )
    mod = await connect("nova", moderator)
    for username in ("nova_owner", "mod_two"):
        await mod.send_json_to({"type": "chat.ban", "username": username})
        assert (await frame_of(mod, "error"))["code"] == "forbidden"
    await mod.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "invalid"),
        ("[1, 2]", "unknown_type"),
        ('{"type": "chat.launch"}', "unknown_type"),
        ('{"type": "chat.send", "text": 42}', "invalid"),
        ('{"type": "chat.send", "text": "   "}', "empty"),
        ('{"type": "chat.send", "text": "' + "x" * 501 + '"}', "too_long"),
        ('{"type": "chat.delete", "id": "1; drop table"}', "invalid"),
        ('{"type": "chat.timeout", "username": "viewer_vi", "seconds": 0}', "invalid"),
        ('{"type": "chat.timeout", "username": "viewer_vi", "seconds": 9999999}', "invalid"),
        ('{"type": "chat.ban", "username": "ghost"}', "not_found"),
        ('{"type": "chat.mode", "slow_mode_seconds": 2}', "invalid"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(room, raw, code):
    _channel, _viewer, moderator = room
    socket = await connect("nova", moderator)
    await socket.send_to(text_data=raw)
    assert (await frame_of(socket, "error"))["code"] == code
    await socket.send_to(bytes_data=b"\x00\x01binary")
    assert (await frame_of(socket, "error"))["code"] == "invalid"
    await socket.send_json_to({"type": "ping"})
    assert (await frame_of(socket, "pong"))["type"] == "pong"
    await socket.disconnect()


async def test_mode_change_is_announced_and_enforced(room):
    _channel, viewer, moderator = room
    mod, sender = await connect("nova", moderator), await connect("nova", viewer)
    await mod.send_json_to({"type": "chat.mode", "emote_only": True, "slow_mode_seconds": 30})
    modes = (await frame_of(sender, "chat.mode"))["modes"]
    assert (modes["emote_only"], modes["slow_mode_seconds"]) == (True, 30)
    assert "emote-only on" in (await frame_of(sender, "chat.notice"))["text"]
    await sender.send_json_to({"type": "chat.send", "text": "words"})
    assert (await frame_of(sender, "error"))["code"] == "emote_only"
    await mod.disconnect()
    await sender.disconnect()


async def test_held_messages_go_to_moderators_only_and_approval_publishes(room, monkeypatch):
    from chat import automod

    monkeypatch.setattr(
        automod, "review", lambda **kw: automod.Verdict(held=not kw["is_moderator"], reason="Held: test.")
    )
    _channel, viewer, moderator = room
    mod, sender, anonymous = (
        await connect("nova", moderator),
        await connect("nova", viewer),
        await connect("nova"),
    )
    await sender.send_json_to({"type": "chat.send", "text": "borderline"})
    assert (await frame_of(sender, "error"))["code"] == "held"
    held = await frame_of(mod, "chat.held")
    assert (held["text"], held["reason"]) == ("borderline", "Held: test.")
    assert await no_frame_of(anonymous, "chat.message")
    await mod.send_json_to({"type": "chat.held.approve", "id": held["id"]})
    assert (await frame_of(anonymous, "chat.message"))["text"] == "borderline"
    assert (await frame_of(mod, "chat.held.resolved"))["id"] == held["id"]
    for socket in (mod, sender, anonymous):
        await socket.disconnect()


async def test_messages_are_filed_under_the_stream_live_when_they_were_sent(db):
    """The socket tags messages with the live stream its process learnt from `stream.status`."""
    _, key = await database_sync_to_async(make_channel)("nova")
    viewer = await database_sync_to_async(UserFactory)()
    sender = await connect("nova", viewer)
    await frame_of(sender, "chat.history")
    await sender.send_json_to({"type": "chat.send", "text": "before the show"})
    await frame_of(sender, "chat.message")

    await database_sync_to_async(hook)("publish", key=key)
    live = await frame_of(sender, "stream.status")
    assert live["status"] == "live"
    await sender.send_json_to({"type": "chat.send", "text": "during the show"})
    await frame_of(sender, "chat.message")
    await sender.disconnect()

    filed = await database_sync_to_async(lambda: dict(Message.objects.values_list("text", "stream_id")))()
    assert filed == {"before the show": None, "during the show": live["stream_id"]}
