from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts import services
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    """Each test starts with an empty cache (rate limits live there) and its own media folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HLS_DIR = tmp_path / "hls"
    settings.RECORDINGS_DIR = tmp_path / "recordings"
    # Nothing listens here, so a test never drops the publishers of a `make run` on this machine.
    settings.RTMP_CONTROL_URL = "http://127.0.0.1:9/_rtmp/control"
    settings.RTMP_STAT_URL = "http://127.0.0.1:9/_rtmp/stat"
    cache.clear()
    yield
    cache.clear()


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
