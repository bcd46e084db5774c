from __future__ import annotations

from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from social import receivers  # noqa: F401 - go-live fan-out on streams' signal
