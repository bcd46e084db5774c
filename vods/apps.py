from __future__ import annotations

from django.apps import AppConfig


class VodsConfig(AppConfig):
    name = "vods"
    verbose_name = "VODs and clips"

    def ready(self) -> None:
        from vods import receivers  # noqa: F401 - archives the recordings of ended streams
