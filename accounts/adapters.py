from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Where allauth's flows meet the platform: sign-up can be closed on a private instance."""

    def is_open_for_signup(self, request: object) -> bool:
        return bool(settings.SIGNUP_OPEN)
