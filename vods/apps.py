from __future__ import annotations

from django.apps import AppConfig


class VodsConfig(AppConfig):
    name = "vods"
    verbose_name = "VODs and clips"
