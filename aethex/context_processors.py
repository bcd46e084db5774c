from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    theme = getattr(user, "theme", "dark") if user is not None and user.is_authenticated else "dark"
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "THEME": theme}
