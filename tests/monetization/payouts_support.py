"""Payout test parts: a funded channel, and Stripe's Connect endpoints answered over HTTP.

The local Stripe server (localstripe) has no Connect, so `connect_api` is a small HTTP server that
answers /v1/accounts, /v1/account_links and /v1/transfers with objects shaped like Stripe's
documented ones; the stripe library reaches it through the same code path as real Stripe.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
import stripe

from channels_app.models import Channel
from monetization import ledger
from monetization.models import ConnectAccount, TransactionKind

CLOSED_ACCOUNT = "acct_closed0000000000"


def fund(channel: Channel, creator_cents: int, key: str = "seed") -> None:
    """Book a payment whose creator share is exactly `creator_cents` (through the ledger, like a webhook)."""
    ledger.post(
        idempotency_key=f"test:{channel.pk}:{key}",
        kind=TransactionKind.DONATION,
        channel=channel,
        lines=[
            (ledger.account("viewer_payments"), -creator_cents),
            (ledger.account("creator_balance", channel), creator_cents),
        ],
    )


def ready_account(channel: Channel, account_id: str = "acct_1TestReady000000") -> ConnectAccount:
    return ConnectAccount.objects.create(
        channel=channel, stripe_account_id=account_id, payouts_enabled=True, details_submitted=True
    )


class FakeConnect:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.accounts: dict[str, dict[str, Any]] = {}
        self.transfers: dict[str, dict[str, Any]] = {}  # by idempotency key, as Stripe replays them

    def handle(self, method: str, path: str, form: dict[str, Any], idem: str) -> tuple[int, dict[str, Any]]:
        self.requests.append({"method": method, "path": path, "form": form, "idempotency_key": idem})
        if method == "POST" and path == "/v1/accounts":
            acct_id = f"acct_1Fake{len(self.accounts):012d}"
            self.accounts[acct_id] = {
                "id": acct_id,
                "object": "account",
                "type": "express",
                "charges_enabled": False,
                "payouts_enabled": False,
                "details_submitted": False,
                "email": form.get("email"),
                "metadata": {},
            }
            return 200, self.accounts[acct_id]
        if method == "GET" and path.startswith("/v1/accounts/"):
            found = self.accounts.get(path.rsplit("/", 1)[1])
            return (200, found) if found else (404, _error("No such account"))
        if method == "POST" and path == "/v1/account_links":
            return 200, {
                "object": "account_link",
                "created": int(time.time()),
                "expires_at": int(time.time()) + 300,
                "url": f"https://connect.stripe.com/setup/e/{form.get('account')}/onboard",
            }
        if method == "POST" and path == "/v1/transfers":
            if form.get("destination") == CLOSED_ACCOUNT:
                return 400, _error("The destination account is closed.")
            if idem not in self.transfers:
                self.transfers[idem] = {
                    "id": f"tr_1Fake{len(self.transfers):012d}",
                    "object": "transfer",
                    "amount": int(form["amount"]),
                    "currency": form["currency"],
                    "destination": form["destination"],
                    "reversed": False,
                    "amount_reversed": 0,
                    "metadata": {"aethex_payout": form.get("metadata[aethex_payout]", "")},
                    "transfer_group": form.get("transfer_group"),
                }
            return 200, self.transfers[idem]
        return 404, _error(f"Unrecognized request URL ({method}: {path})")


def _error(message: str) -> dict[str, Any]:
    return {"error": {"type": "invalid_request_error", "message": message}}


@pytest.fixture
def connect_api(settings, monkeypatch):
    fake = FakeConnect()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            form = {k: v[0] for k, v in parse_qs(body).items()}
            status, payload = fake.handle(
                method, self.path.split("?", 1)[0], form, self.headers.get("Idempotency-Key", "")
            )
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host = f"http://127.0.0.1:{server.server_address[1]}"
    settings.STRIPE_API_HOST = host
    settings.STRIPE_LOCAL_CHECKOUT = False
    monkeypatch.setattr(stripe, "api_base", host)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def eager_celery():
    """Run the transfer task in-process (test_payouts_worker sends it through the broker)."""
    from aethex.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
