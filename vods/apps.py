from __future__ import annotations

from django.apps import AppConfig


class VodsConfig(AppConfig):
    name = "vods"
    verbose_name = "VODs and clips"

    def ready(self) -> None:
        from vods import receivers  # noqa: F401 - archives the recordings of ended streams

        # Celery autodiscovers only vods/tasks.py, and Django only vods/admin.py: clips live in a package.
        from vods.clips import admin, tasks  # noqa: F401
