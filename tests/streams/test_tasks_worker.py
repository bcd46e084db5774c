"""Beat tasks sent through the real broker and run by a real worker (eager without REDIS_URL)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone

from streams.models import Stream, StreamStatus
from streams.tasks import end_stale_streams
from tests.streams.helpers import hook, make_channel


def wait_for(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_worker_ends_a_crashed_ingests_session(celery_worker):
    _, key = make_channel()
    hook("publish", key=key)
    Stream.objects.update(last_update_at=timezone.now() - timedelta(hours=1))
    end_stale_streams.delay()
    assert wait_for(lambda: Stream.objects.get().status == StreamStatus.ENDED)
