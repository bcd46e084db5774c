"""Archival of ended live sessions into VODs, and the creator's edits of them.

The state machine: a VOD is created `processing` when its stream has ended with recordings;
`vod_archive` remuxes (codec copy) under a fresh token, then, holding the row lock, either
makes the VOD `ready` (and removes every other token's files and the raw recordings after
commit) or, when someone else finished first or the VOD was deleted meanwhile, removes its
own files. So a retried, duplicated or crashed run always leaves one VOD and one set of files.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from streams.models import Stream
from vods import ffmpeg
from vods import storage as vod_storage
from vods.models import VOD, VODSettings, VODStatus, new_token

logger = logging.getLogger(__name__)

# Shares of the progress bar: the remux is the long part, the pictures the rest.
_REMUX_SHARE, _POSTER_AT, _STRIP_AT = 80, 85, 95


@dataclass(frozen=True)
class ArchiveOutcome:
    vod_id: int
    status: str
    skipped: str = ""


def vod_settings_for(*, channel_id: int) -> VODSettings:
    """The channel's settings row, or the defaults (unsaved) when it never changed them."""
    found = VODSettings.objects.filter(channel_id=channel_id).first()
    return found or VODSettings(channel_id=channel_id)


@transaction.atomic
def vod_create_for_stream(*, stream: Stream) -> VOD | None:
    """The stream's VOD (one per stream), created `processing`; None when archiving is off."""
    existing = VOD.objects.filter(stream=stream).first()
    if existing is not None:
        return existing
    options = vod_settings_for(channel_id=stream.channel_id)
    if not options.archive_enabled:
        return None
    vod, _ = VOD.objects.get_or_create(
        stream=stream,
        defaults={
            "channel_id": stream.channel_id,
            "title": (stream.title or "")[:140],
            "visibility": options.default_visibility,
            "created_at": stream.started_at or timezone.now(),
        },
    )
    return vod


def vod_enqueue(*, vod: VOD, countdown: float = 0) -> None:
    """Ask the media queue to archive, once the current transaction commits."""
    from vods.tasks import archive_vod

    vod_id = vod.pk

    def send() -> None:
        # Called from nginx-rtmp's hook: a broker hiccup must never fail the hook's answer.
        try:
            archive_vod.apply_async((vod_id,), countdown=countdown)
        except Exception:
            logger.exception("could not enqueue the archival of VOD %s", vod_id)

    transaction.on_commit(send)


def _start(vod_id: int) -> tuple[VOD, str] | ArchiveOutcome:
    """Lock the row, check there is work, count the attempt, pick this run's token."""
    with transaction.atomic():
        vod = VOD.objects.select_for_update().select_related("stream").filter(pk=vod_id).first()
        if vod is None:
            return ArchiveOutcome(vod_id, "deleted", skipped="the VOD was deleted")
        if vod.status != VODStatus.PROCESSING:
            return ArchiveOutcome(vod_id, vod.status, skipped=f"already {vod.status}")
        if vod.stream.is_live:
            # The end of the stream enqueues it again (vods.receivers).
            return ArchiveOutcome(vod_id, vod.status, skipped="the stream is still live")
        vod.attempts += 1
        vod.progress = 0
        vod.save(update_fields=["attempts", "progress"])
    return vod, f"{vod_storage.vod_root(vod.pk)}/{new_token()}"


def _report(vod_id: int, percent: int) -> None:
    VOD.objects.filter(pk=vod_id, status=VODStatus.PROCESSING).update(progress=min(max(percent, 0), 99))


def recordings_of(stream: Stream) -> list[Path]:
    """The stream's recordings that exist here, in the order nginx-rtmp finished them."""
    return [Path(p) for p in stream.recordings if p and Path(p).is_file()]


def vod_archive(*, vod_id: int) -> ArchiveOutcome:
    """Remux, poster, strip, upload, then `ready`. Raises ffmpeg.MediaError (the task decides)."""
    started = _start(vod_id)
    if isinstance(started, ArchiveOutcome):
        return started
    vod, prefix = started
    inputs = recordings_of(vod.stream)
    if not inputs:
        raise ffmpeg.MediaError("The stream's recording is missing: nothing was recorded, or it was removed.")
    last = -1

    def on_remux(fraction: float) -> None:
        nonlocal last
        percent = int(fraction * _REMUX_SHARE)
        if percent != last:
            last = percent
            _report(vod_id, percent)

    _remove_orphan_scratch(vod_id)
    try:
        with tempfile.TemporaryDirectory(
            prefix=_scratch_prefix(vod_id), dir=settings.VODS_SCRATCH_DIR
        ) as scratch:
            result = _render(inputs, Path(scratch), on_remux=on_remux, vod_id=vod_id)
            size = vod_storage.upload_dir(Path(scratch) / "out", prefix)
            return _finish(vod_id, prefix, result, size)
    except BaseException:
        # Nothing of this run may outlive it (a crash between upload and commit is handled by
        # the next run, which removes every prefix but its own).
        vod_storage.delete_tree(prefix)
        raise


def _scratch_prefix(vod_id: int, pid: int | None = None) -> str:
    return f"vod-{vod_id}-{pid or os.getpid()}-"


def _remove_orphan_scratch(vod_id: int) -> None:
    """A worker killed mid-run (SIGKILL, OOM) leaves its scratch folder: the next run on this machine
    removes those of dead processes (the pid is in the name; a live one may be a concurrent run)."""
    for folder in Path(settings.VODS_SCRATCH_DIR).glob(f"vod-{vod_id}-*-*"):
        pid = folder.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class _Rendered:
    probe: ffmpeg.Probe
    strip: ffmpeg.Strip


def _render(
    inputs: list[Path], scratch: Path, *, on_remux: ffmpeg.ProgressCallback, vod_id: int
) -> _Rendered:
    total = sum(ffmpeg.probe(item).duration for item in inputs)
    out = scratch / "out"
    playlist = ffmpeg.remux_hls(inputs, out, total=total, on_progress=on_remux)
    measured = ffmpeg.probe(playlist)
    _report(vod_id, _POSTER_AT)
    # A frame a little in (the first ones are often black while the encoder settles).
    ffmpeg.poster(playlist, out / ffmpeg.POSTER, at=min(10.0, measured.duration / 3))
    _report(vod_id, _STRIP_AT)
    layout = ffmpeg.strip_layout(measured.duration, width=measured.width, height=measured.height)
    ffmpeg.strip(playlist, out / ffmpeg.STRIP, layout)
    return _Rendered(measured, layout)


def _finish(vod_id: int, prefix: str, result: _Rendered, size: int) -> ArchiveOutcome:
    with transaction.atomic():
        vod = VOD.objects.select_for_update().select_related("stream").filter(pk=vod_id).first()
        if vod is None or vod.status != VODStatus.PROCESSING:
            # Deleted, or another run won the race: this run's files must go, not the winner's.
            transaction.on_commit(lambda: vod_storage.delete_tree(prefix))
            status = "deleted" if vod is None else vod.status
            return ArchiveOutcome(vod_id, status, skipped="another run finished first")
        vod.status, vod.progress, vod.failure_reason = VODStatus.READY, 100, ""
        vod.storage_prefix = prefix
        vod.duration = round(result.probe.duration, 3)
        vod.width, vod.height = result.probe.width, result.probe.height
        vod.size_bytes = size
        vod.poster, vod.strip = f"{prefix}/{ffmpeg.POSTER}", f"{prefix}/{ffmpeg.STRIP}"
        vod.strip_interval, vod.strip_columns = result.strip.interval, result.strip.columns
        vod.strip_tile_width, vod.strip_tile_height = result.strip.tile_width, result.strip.tile_height
        vod.ready_at = timezone.now()
        vod.full_clean()
        vod.save()
        root, recordings = vod_storage.vod_root(vod_id), recordings_of(vod.stream)
        transaction.on_commit(lambda: vod_storage.delete_tree(root, keep=prefix))
        if settings.VODS_DELETE_RECORDINGS:
            transaction.on_commit(lambda: _delete_recordings(recordings))
    return ArchiveOutcome(vod_id, VODStatus.READY)


def _delete_recordings(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


@transaction.atomic
def vod_mark_failed(*, vod_id: int, reason: str) -> VOD | None:
    """`failed` with the reason the creator reads; the raw recordings stay for a retry."""
    vod = VOD.objects.select_for_update().filter(pk=vod_id).first()
    if vod is None or vod.status != VODStatus.PROCESSING:
        return vod
    vod.status, vod.progress = VODStatus.FAILED, 0
    vod.failure_reason = (reason or "Archival failed.")[:2000]
    vod.save(update_fields=["status", "progress", "failure_reason"])
    root = vod_storage.vod_root(vod_id)
    transaction.on_commit(lambda: vod_storage.delete_tree(root))
    return vod


@transaction.atomic
def vod_retry(*, vod: VOD) -> VOD:
    """The creator's Retry button on a failed VOD: back to `processing`, archived again."""
    vod = VOD.objects.select_for_update().get(pk=vod.pk)
    if vod.status != VODStatus.FAILED:
        raise ValidationError("Only a failed video can be retried.", code="not_failed")
    vod.status, vod.progress, vod.failure_reason = VODStatus.PROCESSING, 0, ""
    vod.save(update_fields=["status", "progress", "failure_reason"])
    vod_enqueue(vod=vod)
    return vod


@transaction.atomic
def vod_update(*, vod: VOD, title: str | None = None, visibility: str | None = None) -> VOD:
    vod = VOD.objects.select_for_update().get(pk=vod.pk)
    if title is not None:
        vod.title = title.strip()
    if visibility is not None:
        vod.visibility = visibility
    vod.full_clean()
    vod.save(update_fields=["title", "visibility"])
    return vod


@transaction.atomic
def vod_delete(*, vod: VOD) -> None:
    """The row now, its files after commit (a run still working sees the row gone and cleans up)."""
    root = vod_storage.vod_root(vod.pk)
    VOD.objects.filter(pk=vod.pk).delete()
    transaction.on_commit(lambda: vod_storage.delete_tree(root))


@transaction.atomic
def vod_settings_update(
    *, channel_id: int, archive_enabled: bool, default_visibility: str, retention_days: int | None
) -> VODSettings:
    options, _ = VODSettings.objects.select_for_update().get_or_create(channel_id=channel_id)
    options.archive_enabled = archive_enabled
    options.default_visibility = default_visibility
    options.retention_days = retention_days
    options.full_clean()
    options.save()
    return options


def vods_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the finished VODs older than their channel's retention; returns how many went."""
    now = now or timezone.now()
    deleted = 0
    with_retention = VODSettings.objects.filter(retention_days__isnull=False)
    for options in with_retention.only("channel_id", "retention_days"):
        cutoff = now - timedelta(days=options.retention_days or 0)
        expired = VOD.objects.filter(channel_id=options.channel_id, created_at__lt=cutoff).exclude(
            status=VODStatus.PROCESSING
        )
        for vod in expired.only("pk"):
            vod_delete(vod=vod)
            deleted += 1
    return deleted
