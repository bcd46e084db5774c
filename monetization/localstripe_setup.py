"""Wire the local Stripe test server to dj-stripe: one WebhookEndpoint row (our secret) it posts to."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.urls import reverse
from djstripe.models import WebhookEndpoint

LOCAL_ENDPOINT_ID = "we_aethex_local"


def wait_until_up(api_host: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(f"{api_host}/_config/data", method="GET")  # noqa: S310
            urllib.request.urlopen(request, timeout=1)  # noqa: S310 - our own local server
            return
        except urllib.error.HTTPError:
            return  # it answers (405 on GET): up
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def local_endpoint(site_url: str) -> WebhookEndpoint:
    """The dj-stripe endpoint row for the local server (real Stripe endpoints come from the admin)."""
    endpoint, _ = WebhookEndpoint.objects.update_or_create(
        id=LOCAL_ENDPOINT_ID,
        defaults={
            "livemode": False,
            "secret": settings.STRIPE_WEBHOOK_SECRET,
            "enabled_events": ["*"],
            "status": "enabled",
            "url": site_url,
            "api_version": "",
        },
    )
    endpoint.url = site_url.rstrip("/") + reverse(
        "djstripe:djstripe_webhook_by_uuid", args=[endpoint.djstripe_uuid]
    )
    endpoint.save(update_fields=["url"])
    return endpoint


def connect_webhooks(*, api_host: str, site_url: str) -> str:
    endpoint = local_endpoint(site_url)
    body = json.dumps({"url": endpoint.url, "secret": settings.STRIPE_WEBHOOK_SECRET}).encode()
    request = urllib.request.Request(  # noqa: S310 - our own local server
        f"{api_host}/_config/webhooks/aethex",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=5)  # noqa: S310
    return endpoint.url


def reset(api_host: str) -> None:
    request = urllib.request.Request(f"{api_host}/_config/data", method="DELETE")  # noqa: S310
    urllib.request.urlopen(request, timeout=5)  # noqa: S310
