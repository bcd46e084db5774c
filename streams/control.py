"""Talking to nginx-rtmp's control endpoint (internal only): drop a publisher."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode

from django.conf import settings

from streams.models import Stream

logger = logging.getLogger(__name__)
INGEST_APP = "live"


def drop_publisher(*, stream: Stream) -> bool:
    """Disconnect the encoder of a session; True if nginx-rtmp dropped a client.

    The client id identifies the connection whatever name it published under. A node that
    cannot be reached still loses the publisher at its next `update` callback (answered 403).
    """
    query = urlencode({"app": INGEST_APP, "clientid": stream.ingest_client_id})
    url = f"{settings.RTMP_CONTROL_URL.rstrip('/')}/drop/client?{query}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - internal, configured URL
            dropped = response.read().strip()
    except (urllib.error.URLError, OSError) as exc:
        logger.warning("could not reach rtmp control for stream %s: %s", stream.pk, exc)
        return False
    return dropped not in (b"", b"0")
