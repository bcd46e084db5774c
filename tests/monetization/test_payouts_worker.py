"""An approved payout's transfer goes through the real broker to a worker on the `payments` queue."""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings

from monetization import payouts
from monetization.models import Payout
from tests.factories import StreamChannelFactory, UserFactory
from tests.monetization.payouts_support import fund, ready_account

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def payments_worker(transactional_db):
    if django_settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs REDIS_URL (a real broker)")
    from celery.contrib.testing.worker import start_worker  # type: ignore[import-untyped]

    from aethex.celery import app

    # `queues=` narrows the app's own queue selection for good: restore it so later workers (other
    # tests in this process) consume their default queue again.
    queues = app.amqp.queues
    saved = queues._consume_from
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["payments"]
        ) as worker:
            yield worker
    finally:
        queues._consume_from = saved


def test_approved_payout_is_transferred_by_the_payments_worker(connect_api, payments_worker):
    channel = StreamChannelFactory()
    ready_account(channel)
    fund(channel, 9_000)
    payout = payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=9_000)
    payouts.payout_approve(payout=payout, staff=UserFactory(is_staff=True))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and Payout.objects.get(pk=payout.pk).status != "paid":
        time.sleep(0.1)
    assert Payout.objects.get(pk=payout.pk).status == "paid"
    assert len(connect_api.transfers) == 1
