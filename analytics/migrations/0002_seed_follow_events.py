"""Follows made before analytics recorded events: one +1 event each at its created_at, so
follower growth and its cumulative line start from the real follower count."""

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 5000


def seed(apps: Any, schema_editor: Any) -> None:
    Follow = apps.get_model("channels_app", "Follow")
    FollowEvent = apps.get_model("analytics", "FollowEvent")
    batch = []
    for channel_id, user_id, created_at in Follow.objects.values_list("channel_id", "user_id", "created_at").iterator():
        batch.append(FollowEvent(channel_id=channel_id, user_id=user_id, delta=1, at=created_at))
        if len(batch) >= BATCH:
            FollowEvent.objects.bulk_create(batch)
            batch = []
    FollowEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_rollups_and_raw_events"),
        ("channels_app", "0004_follow_notify_walk"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
