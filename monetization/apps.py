from __future__ import annotations

from django.apps import AppConfig


class MonetizationConfig(AppConfig):
    name = "monetization"
    verbose_name = "Monetization"

    def ready(self) -> None:
        from monetization import (
            chat_hooks,  # noqa: F401 - the subscriber badge and chat facts
            webhooks,  # noqa: F401 - receivers on dj-stripe's webhook signals
        )
