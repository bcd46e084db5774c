"""analytics reacting to streams and channels_app: an ended stream keeps its final distinct-viewer
count; every follow and unfollow becomes a FollowEvent (Follow rows vanish on unfollow).

Every way a stream ends (publish_done, the dashboard, staff, staleness) saves its status with
`update_fields`; catching that save here keeps streams/services.py unaware of analytics.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from analytics import services
from channels_app.models import Channel
from channels_app.signals import follow_changed
from streams import audience
from streams.models import Stream, StreamStatus


@receiver(post_save, sender=Stream)
def finalize_audience_on_end(sender: Any, instance: Stream, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.status != StreamStatus.ENDED or (update_fields is not None and "status" not in update_fields):
        return
    stream_id, peak = instance.pk, instance.peak_viewers
    transaction.on_commit(lambda: audience.stream_finalize_audience(stream_id=stream_id, peak_viewers=peak))


@receiver(follow_changed)
def record_follow_event(sender: Any, channel: Channel, user: User, following: bool, **kwargs: Any) -> None:
    services.follow_event_record(channel=channel, user=user, following=following)
