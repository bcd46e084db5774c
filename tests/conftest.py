from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts import services
from aethex.lib.chromium import CHROMIUM_PATH, LAUNCH_ARGS
from streams import consumers as room_consumers
from streams import hub as hub_module
from streams import presence
from streams.beat import RoomBeat
from tests.factories import PASSWORD, UserFactory


def _reset_process_state() -> None:
    """The room hub, presence store and beat belong to a process and its event loop: new ones per test."""
    hub_module._hub = None
    presence._store = None
    room_consumers._live_streams.clear()
    room_consumers.room_beat = RoomBeat(stream_of=room_consumers._live_streams.get)


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    """Each test starts with an empty cache (rate limits live there), its own media folders and
    a fresh room hub."""
    _reset_process_state()
    # Production's PBKDF2 costs ~1 s a hash on this CPU, and most tests make users and sign in:
    # hashing is Django's, tested there (the suite's subprocess sites keep the real hasher).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HLS_DIR = tmp_path / "hls"
    settings.RECORDINGS_DIR = tmp_path / "recordings"
    # Nothing listens here, so a test never drops the publishers of a `make run` on this machine.
    settings.RTMP_CONTROL_URL = "http://127.0.0.1:9/_rtmp/control"
    settings.RTMP_STAT_URL = "http://127.0.0.1:9/_rtmp/stat"
    cache.clear()
    yield
    cache.clear()
    _reset_process_state()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def auth_client(user) -> APIClient:
    """An API client signed in through the browser session."""
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def make_token(user):
    def make(scopes: list[str], owner=None, **kwargs):
        return services.api_token_create(user=owner or user, name="bot", scopes=scopes, **kwargs)

    return make


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (a thread of this process) on the configured broker; eager mode needs none."""
    from django.conf import settings as django_settings

    if django_settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from celery.contrib.testing.worker import start_worker  # type: ignore[import-untyped]

    from aethex.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def browser_viewport() -> dict[str, int]:
    """The `page` fixture's window; a test module overrides it to shoot at another size."""
    return {"width": 1280, "height": 900}


@pytest.fixture
def page(monkeypatch, live_server, browser_viewport):
    """A headless Chromium page; `live_server` runs the site in a thread of this process."""
    if not CHROMIUM_PATH.exists():
        pytest.skip(f"{CHROMIUM_PATH} is not installed (scripts/bootstrap.sh installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=LAUNCH_ARGS)
        context = browser.new_context(viewport=browser_viewport)
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()
