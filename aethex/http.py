"""Request types for views behind @login_required (what django-stubs cannot infer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User

    class AuthedRequest(HttpRequest):
        user: User
        htmx: HtmxDetails

else:
    AuthedRequest = HttpRequest

__all__ = ["AuthedRequest"]
