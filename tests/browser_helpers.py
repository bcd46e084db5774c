"""Helpers for the Chromium tests (the `page` fixture is in tests/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    """Give the browser a session of `user` (force_login: no password hashing, no login form)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot into $SCREENSHOT_DIR when it is set (to look at the page by eye)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)
