"""The room socket with chat: presence and stream status (streams) plus the chat frames.

Chat frames reach this socket through the process's hub (one Redis subscription per room per
process), already encoded: one encode per message, one write per socket. The room topic is
joined by the streams consumer; moderators also join the room's mods topic.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from accounts import selectors as account_selectors
from accounts.models import User
from chat import selectors
from chat.models import Message
from chat.services import moderation
from chat.services.messages import ChatRefused, message_send
from streams.consumers import RoomConsumer
from streams.hub import mods_topic


class ChatRoomConsumer(RoomConsumer):
    can_moderate = False

    async def connect(self) -> None:
        await super().connect()
        if not hasattr(self, "channel"):
            return  # refused by the room (unknown channel)
        # One trip to the database thread for both frames: during a raid every connect queues there.
        welcome, history = await database_sync_to_async(self._opening_frames)()
        if self.can_moderate:
            await self.join_topics(mods_topic(self.channel.slug))
        await self.send_json(welcome)
        await self.send_json(history)

    def _user(self) -> User | None:
        user = self.scope.get("user")
        return user if isinstance(user, User) and user.is_authenticated else None

    def _opening_frames(self) -> tuple[dict[str, Any], dict[str, Any]]:
        welcome = self._welcome()  # first: it decides whether the viewer moderates (held queue)
        return welcome, self._history()

    def _welcome(self) -> dict[str, Any]:
        user = self._user()
        chat, facts = selectors.welcome_facts(channel=self.channel, user=user)
        me = None
        if user is not None and facts is not None:
            self.can_moderate = bool(facts["can_moderate"])
            me = {"username": user.username, "display_name": user.name, "color": user.chat_color or None}
            me["badges"] = facts["badges"]
        return {
            "type": "chat.welcome",
            "me": me,
            "can_send": user is not None,
            "can_moderate": self.can_moderate,
            "modes": selectors.modes_payload(chat),
        }

    def _history(self) -> dict[str, Any]:
        messages = selectors.history(channel=self.channel)
        frame: dict[str, Any] = {
            "type": "chat.history",
            "messages": [selectors.message_payload(m) for m in messages],
        }
        if self.can_moderate:
            frame["held"] = [
                selectors.held_payload(m) for m in selectors.held_queue(channel=self.channel)[:50]
            ]
        return frame

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if bytes_data is not None:
            await self._error("invalid", "Frames are JSON text, not binary.")
            return
        await super().receive(text_data=text_data, **kwargs)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        name = HANDLERS.get(kind) if isinstance(kind, str) else None
        if name is None:
            await super().receive_json(content, **kwargs)  # ping, or the unknown-type error
            return
        try:
            await getattr(self, name)(content)
        except ChatRefused as refused:
            await self._error(refused.code, refused.message)
        except ValidationError as invalid:
            await self._error("invalid", " ".join(invalid.messages))

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    # --- actions (each one service call in a thread) ----------------------------------
    async def _send_message(self, content: dict[str, Any]) -> None:
        message = await database_sync_to_async(self._do_send)(content.get("text"))
        if message.held_reason:
            await self._error("held", f"{message.held_reason} A moderator will review it.")

    def _do_send(self, text: Any) -> Message:
        user = self._user()
        if user is None:
            raise ChatRefused("sign_in", "Sign in to chat.")
        return message_send(channel=self.channel, user=user, text=text, live_stream_id=self.live_stream_id)

    def _moderator(self) -> User:
        user = self._user()
        if user is None:
            raise ChatRefused("forbidden", "Only the broadcaster and moderators can do that.")
        return user

    def _message(self, content: dict[str, Any]) -> Message:
        pk = content.get("id")
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise ChatRefused("invalid", "Name the message by its numeric id.")
        message = (
            Message.objects.select_related("channel", "user").filter(pk=pk, channel=self.channel).first()
        )
        if message is None:
            raise ChatRefused("not_found", "No such message in this chat.")
        return message

    def _target(self, content: dict[str, Any]) -> User:
        username = content.get("username")
        target = account_selectors.user_get_public(username=username) if isinstance(username, str) else None
        if target is None:
            raise ChatRefused("not_found", "No such user.")
        return target

    def _reason(self, content: dict[str, Any]) -> str:
        reason = content.get("reason", "")
        return reason[:300] if isinstance(reason, str) else ""

    @database_sync_to_async
    def _delete(self, content: dict[str, Any]) -> None:
        moderation.message_delete(message=self._message(content), moderator=self._moderator())

    @database_sync_to_async
    def _timeout(self, content: dict[str, Any]) -> None:
        moderation.user_timeout(
            channel=self.channel,
            target=self._target(content),
            moderator=self._moderator(),
            seconds=content.get("seconds"),
            reason=self._reason(content),
        )

    @database_sync_to_async
    def _ban(self, content: dict[str, Any]) -> None:
        moderation.user_ban(
            channel=self.channel,
            target=self._target(content),
            moderator=self._moderator(),
            reason=self._reason(content),
        )

    @database_sync_to_async
    def _unban(self, content: dict[str, Any]) -> None:
        moderation.user_unban(channel=self.channel, target=self._target(content), moderator=self._moderator())

    @database_sync_to_async
    def _clear(self, content: dict[str, Any]) -> None:
        moderation.chat_clear(channel=self.channel, moderator=self._moderator())

    @database_sync_to_async
    def _mode(self, content: dict[str, Any]) -> None:
        modes = {k: v for k, v in content.items() if k in selectors.MODE_FIELDS}
        moderation.chat_settings_update(channel=self.channel, moderator=self._moderator(), **modes)

    @database_sync_to_async
    def _approve(self, content: dict[str, Any]) -> None:
        moderation.held_approve(message=self._message(content), moderator=self._moderator())

    @database_sync_to_async
    def _deny(self, content: dict[str, Any]) -> None:
        moderation.held_deny(message=self._message(content), moderator=self._moderator())

    async def _report(self, content: dict[str, Any]) -> None:
        await database_sync_to_async(self._do_report)(content)
        await self.send_json({"type": "chat.notice", "text": "Thanks: moderators will review your report."})

    def _do_report(self, content: dict[str, Any]) -> None:
        from chat.services.reports import report_create

        user = self._user()
        if user is None:
            raise ChatRefused("sign_in", "Sign in to report a message.")
        report_create(message=self._message(content), reporter=user, reason=self._reason(content))


# Frame type → the consumer method that handles it (looked up on the instance, so bound).
HANDLERS: dict[str, str] = {
    "chat.send": "_send_message",
    "chat.delete": "_delete",
    "chat.timeout": "_timeout",
    "chat.ban": "_ban",
    "chat.unban": "_unban",
    "chat.clear": "_clear",
    "chat.mode": "_mode",
    "chat.held.approve": "_approve",
    "chat.held.deny": "_deny",
    "chat.report": "_report",
}
