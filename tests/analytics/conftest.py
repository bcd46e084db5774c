"""Fixtures for the dashboard's analytics: a channel with its owner, a fresh presence store."""

from __future__ import annotations

import pytest
from django.test import Client

from streams import presence
from tests.factories import UserFactory
from tests.streams.helpers import make_channel


@pytest.fixture(autouse=True)
def _fresh_presence():
    # The local store lives in the process; Redis keys are flushed with the cache (tests/conftest.py).
    presence._store = None
    yield
    presence._store = None


@pytest.fixture
def owner(db):
    return UserFactory(username="nova_owner")


@pytest.fixture
def channel(owner):
    return make_channel("nova", owner=owner, title="Speedrunning all night")[0]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
