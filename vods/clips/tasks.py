"""Clip rendering on the `media` queue (CELERY_TASK_ROUTES): ffmpeg, then storage."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from vods.clips import services
from vods.clips.render import RenderError
from vods.models import Clip

logger = logging.getLogger(__name__)
MAX_RETRIES = 3


@shared_task(bind=True, ignore_result=True, max_retries=MAX_RETRIES, acks_late=True, soft_time_limit=600)
def render_clip(self: Any, clip_id: int) -> str:
    """Render one clip; transient failures (ffmpeg missing, a timeout) retry with backoff."""
    clip = Clip.objects.select_related("channel", "vod", "stream").filter(pk=clip_id).first()
    if clip is None or not services.clip_mark_rendering(clip=clip):
        return "skipped"
    try:
        services.clip_render(clip=clip)
    except RenderError as exc:
        if exc.permanent or self.request.retries >= MAX_RETRIES:
            logger.warning("clip %s failed: %s", clip_id, exc.reason)
            services.clip_mark_failed(clip=clip, reason=exc.reason)
            return "failed"
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc
    return "ready"
