from __future__ import annotations

from django.apps import AppConfig


class MonetizationConfig(AppConfig):
    name = "monetization"
    verbose_name = "Monetization"
