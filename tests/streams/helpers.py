"""Shared helpers for stream tests: a channel with a known key, and nginx-rtmp-shaped callbacks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from channels_app import services as channel_services
from tests.factories import UserFactory


def make_channel(slug: str = "nova", **fields: Any) -> tuple[Any, str]:
    """A channel and its stream key (the key is only known at creation)."""
    owner: Any = fields.pop("owner", None) or UserFactory(username=f"{slug}_owner")
    return channel_services.channel_create(owner=owner, slug=slug, **fields)


def hook(
    event: str,
    *,
    key: str = "",
    clientid: str = "1",
    secret: str | None = None,
    node: str = "edge-1",
    remote_addr: str = "127.0.0.1",
    **extra: str,
):
    """POST a callback the way nginx-rtmp does through the front door: form-encoded, the node in
    the query, the shared secret in the header nginx adds."""
    secret = settings.INGEST_SHARED_SECRET if secret is None else secret
    call = {"update": "update_publish"}.get(event, event)  # what nginx-rtmp puts in `call`
    data = {"app": "live", "name": key, "clientid": clientid, "addr": "203.0.113.9", "call": call, **extra}
    client = Client(REMOTE_ADDR=remote_addr, HTTP_X_INGEST_SECRET=secret)
    return client.post(f"/ingest/rtmp/{event}?node={node}", data)
