from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("todo")


profile = settings_index = settings_profile = settings_preferences = settings_security = _todo
token_create = token_revoke = session_end = _todo
