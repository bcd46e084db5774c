"""Fixtures for the dashboard's analytics: a channel with its owner, a fresh presence store."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.streams.helpers import make_channel


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
