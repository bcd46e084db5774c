from __future__ import annotations

from django.apps import AppConfig


class AethexConfig(AppConfig):
    name = "aethex"
    verbose_name = "AeThex Live platform"
