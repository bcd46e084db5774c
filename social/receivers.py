"""social reacting to streams: a session going live notifies the channel's followers, in Celery."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from channels_app.models import Follow
from streams.models import Stream
from streams.signals import stream_went_live

logger = logging.getLogger(__name__)


@receiver(stream_went_live)
def fan_out_go_live(sender: Any, stream: Stream, **kwargs: Any) -> None:
    # One indexed EXISTS spares the broker (and the hook) a task for a channel nobody follows.
    if Follow.objects.filter(channel_id=stream.channel_id, notify=True).exists():
        transaction.on_commit(lambda: _enqueue(stream.pk))


def _enqueue(stream_id: int) -> None:
    from social.tasks import notify_go_live

    # The ingest hook answers nginx-rtmp; a broker hiccup must cost the notices, never the stream.
    try:
        notify_go_live.delay(stream_id)
    except Exception:
        logger.exception("could not enqueue the go-live notifications of stream %s", stream_id)
