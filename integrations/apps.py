from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations and overlays"

    def ready(self) -> None:
        from integrations import receivers  # noqa: F401 - alerts on follows and money events
