"""`manage.py reconcile_ledger` against a Stripe-shaped HTTP server: the stripe library's real request path.

localstripe lists balance transactions only under the old `/v1/balance/history` path and reports no
fees, so the Stripe boundary here is a small HTTP server answering `GET /v1/balance_transactions`
with Stripe's list shape (paged with has_more / starting_after, sources expanded).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe
from django.core.management import CommandError, call_command

from monetization.models import TransactionKind
from tests.factories import StreamChannelFactory
from tests.monetization import revenue_factories as book


class FakeStripe:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.queries: list[dict[str, list[str]]] = []


def _handler(state: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            state.queries.append(query)
            if url.path != "/v1/balance_transactions":
                self.send_response(404)
                self.end_headers()
                return
            rows = state.rows
            after = (query.get("starting_after") or [""])[0]
            if after:
                rows = rows[[r["id"] for r in rows].index(after) + 1 :]
            limit = int((query.get("limit") or ["10"])[0])
            # Pages of two make the library page through (has_more / starting_after).
            page = rows[: min(limit, 2)]
            body = {
                "object": "list",
                "url": "/v1/balance_transactions",
                "has_more": len(rows) > len(page),
                "data": page,
            }
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def fake_stripe(monkeypatch):
    state = FakeStripe()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(stripe, "api_base", f"http://127.0.0.1:{server.server_port}")
    yield state
    server.shutdown()
    server.server_close()


def balance_row(txn_id: str, charge: dict[str, Any], amount: int, fee: int) -> dict[str, Any]:
    return {
        "id": txn_id,
        "object": "balance_transaction",
        "amount": amount,
        "fee": fee,
        "net": amount - fee,
        "currency": "usd",
        "type": "charge",
        "created": 1_767_225_600,
        "source": {"object": "charge", "metadata": {}, "invoice": None} | charge,
    }


@pytest.fixture
def channel(db):
    return StreamChannelFactory(slug="nova")


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("reconcile_ledger", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_clean_ledger_exits_0(fake_stripe, channel):
    book.payment(channel, TransactionKind.DONATION, 1000, object_id="pi_a")  # fee booked 59
    book.payment(channel, TransactionKind.SUBSCRIPTION, 500, object_id="pi_b")  # fee booked 45
    fake_stripe.rows = [
        balance_row("txn_1", {"id": "ch_1", "payment_intent": "pi_a"}, 1000, 59),
        balance_row("txn_2", {"id": "ch_2", "payment_intent": "pi_b"}, 500, 45),
        {"id": "txn_po", "object": "balance_transaction", "type": "payout", "amount": -900, "fee": 0},
    ]

    code, output = run()

    assert code == 0
    assert "Ledger and Stripe agree." in output
    assert fake_stripe.queries[0]["expand[0]"] == ["data.source"]
    assert fake_stripe.queries[1]["starting_after"] == ["txn_2"]  # the second page was read too


def test_each_kind_of_difference_is_reported_and_exits_1(fake_stripe, channel):
    book.payment(channel, TransactionKind.DONATION, 1000, object_id="pi_fee")
    book.payment(channel, TransactionKind.GIFT, 2500, object_id="pi_amount")
    book.payment(channel, TransactionKind.DONATION, 700, object_id="pi_gone")
    fake_stripe.rows = [
        balance_row("txn_fee", {"id": "ch_f", "payment_intent": "pi_fee"}, 1000, 62),
        balance_row("txn_amount", {"id": "ch_a", "payment_intent": "pi_amount"}, 2000, 103),
        balance_row(
            "txn_new",
            {"id": "ch_n", "payment_intent": "pi_new", "metadata": {"aethex_channel": str(channel.pk)}},
            900,
            56,
        ),
    ]

    code, output = run("--json")

    assert code == 1
    found = {(d["problem"], d["ledger_key"] or d["source_id"]): d for d in json.loads(output)["differences"]}
    assert set(found) == {
        ("fee_mismatch", "pi_fee:payment"),
        ("amount_mismatch", "pi_amount:payment"),
        ("missing_in_ledger", "ch_n"),
        ("missing_in_stripe", "pi_gone:payment"),
    }
    assert found[("fee_mismatch", "pi_fee:payment")]["difference_cents"] == 3  # Stripe 62, estimated 59
    assert found[("amount_mismatch", "pi_amount:payment")]["difference_cents"] == -500
    assert found[("missing_in_ledger", "ch_n")]["channel"] == "nova"
    assert found[("missing_in_stripe", "pi_gone:payment")]["ledger_cents"] == 700


def test_text_report_lists_differences(fake_stripe, channel):
    book.payment(channel, TransactionKind.DONATION, 1000, object_id="pi_fee")
    fake_stripe.rows = [balance_row("txn_fee", {"id": "ch_f", "payment_intent": "pi_fee"}, 1000, 62)]

    code, output = run()

    assert code == 1
    assert "1 difference(s):" in output
    assert "fee_mismatch" in output and "diff=0.03" in output


def test_subscription_matches_by_invoice(fake_stripe, channel):
    book.payment(channel, TransactionKind.SUBSCRIPTION, 500, object_id="in_1")
    fake_stripe.rows = [
        balance_row("txn_1", {"id": "ch_1", "payment_intent": None, "invoice": "in_1"}, 500, 45)
    ]

    assert run()[0] == 0


def test_channel_option_ignores_other_channels(fake_stripe, channel):
    other = StreamChannelFactory(slug="other")
    book.payment(other, TransactionKind.DONATION, 700, object_id="pi_other")
    book.payment(channel, TransactionKind.DONATION, 1000, object_id="pi_a")
    fake_stripe.rows = [
        balance_row("txn_1", {"id": "ch_1", "payment_intent": "pi_a"}, 1000, 59),
        balance_row(
            "txn_2",
            {"id": "ch_2", "payment_intent": "pi_x", "metadata": {"aethex_channel": str(other.pk)}},
            5,
            0,
        ),
    ]

    assert run("--channel", "nova")[0] == 0
    assert run()[0] == 1


def test_since_filters_the_ledger_and_asks_stripe_for_the_same_window(fake_stripe, channel):
    old = dt.datetime(2025, 1, 5, tzinfo=dt.UTC)
    book.payment(channel, TransactionKind.DONATION, 1000, old, object_id="pi_old")

    code, _ = run("--since", "2025-06-01")

    assert code == 0
    assert fake_stripe.queries[0]["created[gte]"] == [
        str(int(dt.datetime(2025, 6, 1, tzinfo=dt.UTC).timestamp()))
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since takes a date"),
        (["--since", "2999-01-01"], "in the future"),
        (["--channel", "nobody"], "No channel"),
    ],
)
def test_bad_options_are_command_errors(fake_stripe, channel, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("reconcile_ledger", *args, stdout=StringIO())


def test_stripe_refusal_is_a_command_error(fake_stripe, channel, monkeypatch):
    monkeypatch.setattr(stripe, "api_base", stripe.api_base + "/nowhere")

    with pytest.raises(CommandError, match="Stripe refused"):
        call_command("reconcile_ledger", stdout=StringIO())
