"""The go-live fan-out through the real broker and a real worker (eager without REDIS_URL)."""

from __future__ import annotations

import time

from django.core import mail

from social.models import Notification
from tests.factories import FollowFactory
from tests.streams.helpers import hook, make_channel


def wait_for(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_publish_hook_fans_out_through_the_worker(celery_worker):
    channel, key = make_channel("nova")
    fans = [FollowFactory(channel=channel).user for _ in range(3)]
    assert hook("publish", key=key).status_code == 302
    assert wait_for(lambda: Notification.objects.count() == 3)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {fan.pk for fan in fans}
    assert wait_for(lambda: len(mail.outbox) == 3)
