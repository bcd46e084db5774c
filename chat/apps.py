from __future__ import annotations

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat and moderation"

    def ready(self) -> None:
        from chat import receivers  # noqa: F401 - forgets cached facts on follows and settings changes
