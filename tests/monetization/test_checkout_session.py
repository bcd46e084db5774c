"""Production's hosted Checkout, at the HTTP boundary: localstripe has no Checkout Sessions, so a
small server answers `POST /v1/checkout/sessions` with Stripe's documented Session object and the
real code path (API → service → gateway → the stripe library over HTTP) runs against it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
import stripe

from monetization.models import Checkout, SubscriptionTier

pytestmark = pytest.mark.django_db


class _StripeCheckout(BaseHTTPRequestHandler):
    requests: list[dict[str, str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = dict(parse_qsl(body))
        if self.path != "/v1/checkout/sessions":
            self._answer(
                404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}}
            )
            return
        type(self).requests.append(form | {"_auth": self.headers.get("Authorization", "")})
        session_id = f"cs_test_a1{len(type(self).requests):06d}"
        self._answer(
            200,
            {
                "id": session_id,
                "object": "checkout.session",
                "mode": form["mode"],
                "status": "open",
                "payment_status": "unpaid",
                "client_reference_id": form.get("client_reference_id"),
                "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                "success_url": form["success_url"],
                "cancel_url": form["cancel_url"],
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                "livemode": False,
            },
        )

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hosted_checkout(settings, monkeypatch) -> Iterator[list[dict[str, str]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StripeCheckout)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _StripeCheckout.requests = []
    monkeypatch.setattr(stripe, "api_base", f"http://127.0.0.1:{server.server_port}")
    settings.STRIPE_LOCAL_CHECKOUT = False
    try:
        yield _StripeCheckout.requests
    finally:
        server.shutdown()
        server.server_close()


def test_a_donation_gets_a_hosted_checkout_session_with_our_metadata(
    client, viewer, channel, hosted_checkout
):
    client.force_login(viewer)
    response = client.post(
        f"/api/v1/channels/{channel.slug}/donate",
        {"amount_cents": 1500, "message": "gg"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    checkout = Checkout.objects.get()
    assert (
        response.json()["checkout_url"] == f"https://checkout.stripe.com/c/pay/{checkout.stripe_session_id}"
    )
    (sent,) = hosted_checkout
    assert sent["mode"] == "payment" and sent["client_reference_id"] == checkout.token
    assert sent["line_items[0][price_data][unit_amount]"] == "1500"
    assert sent["payment_intent_data[metadata][aethex_checkout]"] == checkout.token
    assert sent["payment_intent_data[metadata][aethex_kind]"] == "donation"
    assert sent["success_url"].endswith(f"/checkout/{checkout.token}/done/")
    assert sent["_auth"].startswith("Bearer sk_test_")


def test_a_subscription_checkout_session_is_in_subscription_mode_on_the_tier_plan(
    client, viewer, channel, hosted_checkout
):
    SubscriptionTier.objects.create(
        channel=channel, tier=2, name="Tier 2", price_cents=999, stripe_plan_id="plan_t2"
    )
    client.force_login(viewer)
    response = client.post(
        f"/api/v1/channels/{channel.slug}/subscribe", {"tier": 2}, content_type="application/json"
    )

    assert response.status_code == 201, response.content
    (sent,) = hosted_checkout
    assert sent["mode"] == "subscription" and sent["line_items[0][price]"] == "plan_t2"
    assert sent["subscription_data[metadata][aethex_tier]"] == "2"
    assert Checkout.objects.get().stripe_session_id.startswith("cs_test_")


def test_a_refused_session_is_an_error_answer_and_no_url(
    client, viewer, channel, hosted_checkout, monkeypatch
):
    monkeypatch.setattr(_StripeCheckout, "path", "/v1/unknown", raising=False)
    monkeypatch.setattr(stripe, "api_base", stripe.api_base + "/elsewhere")
    client.force_login(viewer)
    response = client.post(
        f"/api/v1/channels/{channel.slug}/donate", {"amount_cents": 1500}, content_type="application/json"
    )
    assert response.status_code == 502, response.content
    assert response.json()["error"]["code"] and "checkout_url" not in response.json()
