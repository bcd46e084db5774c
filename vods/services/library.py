"""Writes of the VOD library: a viewer's watch progress, and the view count."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from vods.models import VOD, WatchProgress


@transaction.atomic
def watch_progress_save(*, user: User, vod: VOD, position: float) -> WatchProgress:
    """Upsert where the viewer stopped, clamped to the VOD's length (a player may report a little more)."""
    if not math.isfinite(position) or position < 0:
        raise ValidationError({"position": ["Give a position in seconds, 0 or more."]}, code="invalid")
    if vod.duration > 0:
        position = min(position, vod.duration)
    progress, _created = WatchProgress.objects.select_for_update().get_or_create(
        user=user, vod=vod, defaults={"position": position}
    )
    progress.position = round(position, 3)
    progress.updated_at = timezone.now()
    progress.full_clean()
    progress.save(update_fields=["position", "updated_at"])
    return progress


def vod_view_record(*, vod: VOD, viewer_key: str) -> bool:
    """Count one view per viewer per VOD per `VODS_VIEW_WINDOW_SECONDS`; reloads do not count again.

    `cache.add` is atomic in Redis and locmem, so two tabs opening at once count once.
    """
    key = f"vods:view:{vod.pk}:{viewer_key}"
    if not cache.add(key, 1, settings.VODS_VIEW_WINDOW_SECONDS):
        return False
    VOD.objects.filter(pk=vod.pk).update(views=F("views") + 1)
    return True
