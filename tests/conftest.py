from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts import services
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    """Each test starts with an empty cache (rate limits live there) and its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
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
