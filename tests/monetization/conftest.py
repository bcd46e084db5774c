"""The money loop's real parts: localstripe as a server over HTTP, its signed webhooks into dj-stripe."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest
import redis
import stripe
from django.conf import settings as django_settings
from django.urls import reverse

from monetization import localstripe_setup
from monetization.models import Checkout, LedgerTransaction
from tests.factories import StreamChannelFactory, UserFactory


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_host():
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "monetization.localstripe_server", "--port", str(port)])
    host = f"http://127.0.0.1:{port}"
    try:
        localstripe_setup.wait_until_up(host)
        yield host
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def stripe_server(localstripe_host, settings, monkeypatch, live_server):
    """A clean localstripe whose webhooks reach this test's live server through dj-stripe's endpoint."""
    settings.STRIPE_API_HOST = localstripe_host
    settings.STRIPE_LOCAL_CHECKOUT = True
    monkeypatch.setattr(stripe, "api_base", localstripe_host)
    localstripe_setup.reset(localstripe_host)
    endpoint_url = localstripe_setup.connect_webhooks(api_host=localstripe_host, site_url=live_server.url)
    return {"host": localstripe_host, "webhook_url": endpoint_url, "site": live_server.url}


def wait_for(predicate, timeout: float = 10.0):
    """Webhooks arrive about 1 s after the API call that caused them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("the webhook never made it")


def sign(payload: dict, secret: str | None = None) -> tuple[bytes, str]:
    """Sign an event the way Stripe does (for events the local server never sends: refunds, disputes)."""
    body = json.dumps(payload).encode()
    stamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(
        f"{stamp}.{body.decode()}", secret or django_settings.STRIPE_WEBHOOK_SECRET
    )
    return body, f"t={stamp},v1={signature}"


def event(kind: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{kind.replace('.', '_')}_{obj['id']}",
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": kind,
        "data": {"object": obj},
    }


def post_event(client, url: str, payload: dict, secret: str | None = None):
    body, header = sign(payload, secret)
    path = url.split("://", 1)[1].split("/", 1)[1]
    return client.post("/" + path, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def paid_checkout(token: str) -> bool:
    return Checkout.objects.filter(token=token, status="paid").exists()


def ledger_keys() -> set[str]:
    return set(LedgerTransaction.objects.values_list("idempotency_key", flat=True))


@pytest.fixture
def room_frames():
    """Frames published to a room through chat's hub, read from Redis (needs REDIS_URL)."""
    if not django_settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)

    def listen(slug: str):
        pubsub.subscribe(f"chat:room:{slug}")
        return pubsub

    yield listen
    pubsub.close()
    client.close()


@pytest.fixture
def channel(db):
    return StreamChannelFactory(slug="nova")


@pytest.fixture
def viewer(db):
    return UserFactory()


def start_checkout(client, viewer, channel, kind: str, body: dict) -> str:
    client.force_login(viewer)
    response = client.post(f"/api/v1/channels/{channel.slug}/{kind}", body, content_type="application/json")
    assert response.status_code == 201, response.content
    url = response.json()["checkout_url"]
    return url.rstrip("/").rsplit("/", 1)[1]


def pay(client, token: str, number: str = "4242 4242 4242 4242"):
    return client.post(reverse("checkout", args=[token]), {"number": number, "exp": "12/34", "cvc": "123"})


# The payout tests' fixtures (Stripe Connect answered over HTTP; in-process Celery).
from tests.monetization.payouts_support import connect_api, eager_celery  # noqa: E402, F401
