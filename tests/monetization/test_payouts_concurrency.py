"""Two payout requests at the same moment cannot overdraw a balance (threads on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from monetization import ledger, payouts, services
from monetization.models import Payout
from tests.factories import StreamChannelFactory
from tests.monetization.payouts_support import fund, ready_account

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("amounts", [(8_000, 8_000), (None, None), (6_000, None)])
def test_two_simultaneous_payout_requests_cannot_overdraw_a_balance(amounts):
    channel = StreamChannelFactory()
    ready_account(channel)
    fund(channel, 10_000)
    barrier = threading.Barrier(len(amounts))
    outcomes: list[str] = []

    def ask(amount: int | None) -> None:
        try:
            barrier.wait()
            payouts.payout_request(channel=channel, user=channel.owner_user, amount_cents=amount)
            outcomes.append("ok")
        except (services.Conflict, Exception) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(amount,)) for amount in amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["Conflict", "ok"] or sorted(outcomes) == ["ValidationError", "ok"]
    assert Payout.objects.count() == 1
    remaining = ledger.creator_balance(channel)
    assert remaining >= 0
    assert remaining + Payout.objects.get().amount_cents == 10_000
