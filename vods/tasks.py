"""Archival on the `media` queue (ffmpeg), and the daily retention purge (beat)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from vods.ffmpeg import MediaError
from vods.services import archive

# Transient failures (ffmpeg missing or too slow, storage unreachable) back off 30 s, 60 s,
# 120 s, ... up to 15 min, five times; a bad recording fails at once with ffmpeg's reason.
MAX_RETRIES = 5
BACKOFF_SECONDS = 30
BACKOFF_MAX_SECONDS = 900


def backoff(retries: int) -> int:
    return int(min(BACKOFF_SECONDS * 2**retries, BACKOFF_MAX_SECONDS))


@shared_task(
    bind=True,
    ignore_result=True,
    max_retries=MAX_RETRIES,
    # A worker killed mid-remux gives the task back to the queue; the run is idempotent.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=3 * 3600,
)
def archive_vod(self: Any, vod_id: int) -> str:
    try:
        return archive.vod_archive(vod_id=vod_id).status
    except MediaError as exc:
        if exc.transient and self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
        archive.vod_mark_failed(vod_id=vod_id, reason=exc.reason)
        return "failed"
    except SoftTimeLimitExceeded:
        # Never left `processing` for ever: the run removed its own files on the way out.
        archive.vod_mark_failed(vod_id=vod_id, reason="Archiving took longer than 3 hours and was stopped.")
        return "failed"
    except OSError as exc:  # the storage (disk full, S3 unreachable): worth another try
        if self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
        archive.vod_mark_failed(vod_id=vod_id, reason=f"Storing the video failed: {exc}")
        return "failed"


@shared_task(ignore_result=True)
def purge_expired_vods() -> int:
    return archive.vods_purge_expired()
