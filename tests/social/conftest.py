"""Celery eager for the fan-out (also against Redis), and the personal socket /ws/me/ in tests."""

from __future__ import annotations

from typing import Any

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from aethex.routing import websocket_urlpatterns


@pytest.fixture
def eager_celery():
    """Run tasks in-process (the broker-backed path is the same code; see test_tasks_worker)."""
    from aethex.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


async def connect_me(user: Any = None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/me/")
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect()
    assert connected
    return communicator
