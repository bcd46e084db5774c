"""Writes for clips: create (live or VOD), render, likes, views, edit, delete.

Bounds live here and in the model (5-60 s, a DB check too); refusals that are not bad input
raise ClipRefused with the HTTP status the API answers with.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel
from streams.models import Stream, StreamStatus
from vods.clips import render, selectors
from vods.models import VOD, Clip, ClipLike, ClipStatus, Visibility, VODStatus, new_token

logger = logging.getLogger(__name__)

RATE_LIMIT = 5  # clips a user may create per RATE_WINDOW seconds
RATE_WINDOW = 60
VIEW_WINDOW = 6 * 3600  # one view per viewer per clip every 6 hours


class ClipRefused(Exception):
    """Not bad input but not allowed now: the API answers `status` with `code`."""

    def __init__(self, message: str, *, status: int = 403, code: str = "permission_denied") -> None:
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


class ClipRateLimited(ClipRefused):
    def __init__(self, wait: int) -> None:
        super().__init__(f"Too many clips: try again in {wait} s.", status=429, code="throttled")
        self.wait = wait


def _rate_key(user: User) -> str:
    return f"clips:rate:{user.pk}"


def _check_creator(user: User | AnonymousUser, channel: Channel) -> User:
    if not isinstance(user, User):
        raise ClipRefused("Sign in to make clips.", status=401, code="not_authenticated")
    if not selectors.user_may_clip(user=user):
        raise ClipRefused("Verify your e-mail address to make clips.", code="verify_email")
    if channel.is_suspended:
        raise ClipRefused("This channel is suspended.")
    made = cache.get(_rate_key(user), 0)
    if made >= RATE_LIMIT:
        raise ClipRateLimited(RATE_WINDOW)
    return user


def _count_for_rate(user: User) -> None:
    # The window starts at the first clip (add is a no-op when the key exists), so a burst of
    # RATE_LIMIT clips then waits for the rest of that minute.
    key = _rate_key(user)
    cache.add(key, 0, RATE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)


def _check_length(seconds: float, field: str) -> float:
    if not Clip.MIN_SECONDS <= seconds <= Clip.MAX_SECONDS:
        raise ValidationError(
            {field: [f"A clip lasts {Clip.MIN_SECONDS:g} to {Clip.MAX_SECONDS:g} seconds."]}, code="length"
        )
    return float(seconds)


def _save_new(clip: Clip) -> Clip:
    clip.full_clean()
    clip.save()
    # Imported here: tasks imports this module (the task calls clip_render).
    from vods.clips.tasks import render_clip

    clip_id = clip.pk
    transaction.on_commit(lambda: render_clip.delay(clip_id))
    if clip.creator is not None:
        creator = clip.creator
        transaction.on_commit(lambda: _count_for_rate(creator))
    return clip


def live_recording(*, stream: Stream, until: float | None = None) -> Path | None:
    """The FLV nginx-rtmp is writing (or wrote) for this session: named by the channel's slug."""
    return render.recording_for(
        Path(settings.RECORDINGS_DIR),
        stream.channel.slug,
        started=stream.started_at.timestamp(),
        until=until or (stream.ended_at or timezone.now()).timestamp(),
    )


@transaction.atomic
def clip_create_from_live(
    *, user: User | AnonymousUser, channel: Channel, seconds: float = 30, title: str = ""
) -> Clip:
    """ "Clip the last N seconds": the end of the recording in progress, right now."""
    creator = _check_creator(user, channel)
    seconds = _check_length(seconds, "seconds")
    stream = Stream.objects.filter(channel=channel, status=StreamStatus.LIVE).first()
    if stream is None:
        raise ClipRefused("The channel is not live.", status=409, code="not_live")
    recording = live_recording(stream=stream)
    reached = render.flv_recorded_seconds(recording) if recording else 0.0
    # The file cannot be longer than the session (plus the encoder's buffer): a bound against a
    # stray file of the same name.
    reached = min(reached, stream.duration_seconds + 5.0)
    if reached < Clip.MIN_SECONDS:
        raise ClipRefused(
            "The stream has only just started: try again in a few seconds.", status=409, code="too_early"
        )
    length = min(seconds, reached)
    clip = Clip(
        channel=channel,
        stream=stream,
        creator=creator,
        title=(title or stream.title or f"Clip of {channel.name}")[:100],
        start=round(reached - length, 3),
        duration=round(length, 3),
    )
    return _save_new(clip)


@transaction.atomic
def clip_create_from_vod(
    *, user: User | AnonymousUser, vod: VOD | None, start: float, end: float, title: str = ""
) -> Clip:
    """A clip of [start, end) of a public, ready VOD."""
    if vod is None:
        raise ClipRefused(
            "That video does not exist (it may have been deleted).", status=404, code="not_found"
        )
    creator = _check_creator(user, vod.channel)
    if vod.visibility != Visibility.PUBLIC:
        raise ClipRefused("Only public videos can be clipped.")
    if vod.status != VODStatus.READY:
        raise ClipRefused("The video is not ready yet.", status=409, code="not_ready")
    if start < 0 or end > vod.duration + 0.001 or end <= start:
        raise ValidationError({"end": [f"The range must lie within the video (0 to {vod.duration:.1f} s)."]})
    duration = _check_length(end - start, "end")
    clip = Clip(
        channel=vod.channel,
        vod=vod,
        # The VOD's session too, so the clip keeps a source row if the VOD is deleted later.
        stream=vod.stream,
        creator=creator,
        title=(title or vod.title or f"Clip of {vod.channel.name}")[:100],
        start=round(start, 3),
        duration=round(duration, 3),
    )
    return _save_new(clip)


# --- Rendering (called by the Celery task) ------------------------------------------------------


def clip_mark_rendering(*, clip: Clip) -> bool:
    """Claim the clip for rendering; False when it is already done (a duplicated task)."""
    claimed = (
        Clip.objects.filter(pk=clip.pk).exclude(status=ClipStatus.READY).update(status=ClipStatus.RENDERING)
    )
    return bool(claimed)


def clip_mark_failed(*, clip: Clip, reason: str) -> None:
    Clip.objects.filter(pk=clip.pk).update(status=ClipStatus.FAILED, failure_reason=reason[:1000])


def _source(clip: Clip, workdir: Path) -> tuple[str, float]:
    if clip.vod_id is not None and clip.vod is not None:
        return render.vod_source(
            default_storage,
            clip.vod.storage_prefix,
            start=clip.start,
            duration=clip.duration,
            workdir=workdir,
        )
    if clip.stream is None:
        raise render.RenderError("The clip's source no longer exists.")
    recording = live_recording(stream=clip.stream, until=clip.created_at.timestamp())
    if recording is None:
        raise render.RenderError("The stream's recording is not on this media worker.")
    return str(recording), clip.start


def clip_render(*, clip: Clip) -> Clip:
    """Cut the clip with ffmpeg and store it under a fresh token (an older render is removed)."""
    with render.workdir() as tmp:
        workdir = Path(tmp)
        source, start = _source(clip, workdir)
        result = render.render(source, start=start, duration=clip.duration, workdir=workdir)
        prefix = f"clips/{clip.pk}/{new_token()}"
        with result.video.open("rb") as video, result.poster.open("rb") as poster:
            video_name = default_storage.save(f"{prefix}/clip.mp4", File(video))
            poster_name = default_storage.save(f"{prefix}/poster.jpg", File(poster))
    return clip_finish_render(clip=clip, video=video_name, poster=poster_name, duration=result.duration)


@transaction.atomic
def clip_finish_render(*, clip: Clip, video: str, poster: str, duration: float) -> Clip:
    locked = Clip.objects.select_for_update().filter(pk=clip.pk).first()
    if locked is None:  # deleted while rendering: drop what was made
        transaction.on_commit(lambda: _delete_files([video, poster]))
        return clip
    old = [name for name in (locked.video, locked.poster) if name]
    locked.video, locked.poster, locked.rendered_duration = video, poster, round(duration, 3)
    locked.status, locked.failure_reason = ClipStatus.READY, ""
    locked.save(update_fields=["video", "poster", "rendered_duration", "status", "failure_reason"])
    if old:
        transaction.on_commit(lambda: _delete_files(old))
    return locked


# --- Viewers ------------------------------------------------------------------------------------


def _require_ready(clip: Clip) -> None:
    if clip.status != ClipStatus.READY:
        raise ClipRefused("The clip is not ready yet.", status=409, code="not_ready")


@transaction.atomic
def clip_like(*, user: User, clip: Clip) -> bool:
    """Like once; True if this call added the like. Concurrent likes count once (unique row)."""
    _require_ready(clip)
    try:
        with transaction.atomic():
            ClipLike.objects.create(user=user, clip=clip)
    except IntegrityError:
        return False
    Clip.objects.filter(pk=clip.pk).update(likes_count=F("likes_count") + 1)
    return True


@transaction.atomic
def clip_unlike(*, user: User, clip: Clip) -> bool:
    removed, _ = ClipLike.objects.filter(user=user, clip=clip).delete()
    if removed:
        Clip.objects.filter(pk=clip.pk).update(likes_count=Greatest(F("likes_count") - 1, Value(0)))
    return bool(removed)


def clip_record_view(*, clip: Clip, viewer: str) -> bool:
    """Count a view once per viewer (`u<id>` or `ip<address>`) per clip per VIEW_WINDOW."""
    if clip.status != ClipStatus.READY:
        return False
    if not cache.add(f"clips:view:{clip.pk}:{viewer}", 1, VIEW_WINDOW):
        return False
    Clip.objects.filter(pk=clip.pk).update(views=F("views") + 1)
    return True


# --- Creator and moderators ---------------------------------------------------------------------


@transaction.atomic
def clip_update(
    *, user: User | AnonymousUser, clip: Clip, title: str | None = None, featured: bool | None = None
) -> Clip:
    if not selectors.user_can_edit_clip(user=user, clip=clip):
        raise ClipRefused("Only the clip's creator and the channel's editors can change it.")
    if featured is not None and not selectors.user_can_manage_clip(user=user, clip=clip):
        raise ClipRefused("Only the broadcaster and the channel's editors can feature clips.")
    clip = Clip.objects.select_for_update(of=("self",)).select_related("channel", "creator").get(pk=clip.pk)
    if title is not None:
        clip.title = title.strip()
    if featured is not None:
        clip.featured = featured
    clip.full_clean()
    clip.save(update_fields=["title", "featured"])
    return clip


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("clips: could not delete %s", name)


@transaction.atomic
def clip_delete(*, user: User | AnonymousUser, clip: Clip) -> None:
    if not selectors.user_can_delete_clip(user=user, clip=clip):
        raise ClipRefused("Only the clip's creator and the channel's moderators and editors can delete it.")
    clip_delete_unchecked(clip=clip)


@transaction.atomic
def clip_delete_unchecked(*, clip: Clip) -> None:
    """Delete the row and, after commit, its files (staff in the admin, or after the check above)."""
    names = [name for name in (clip.video, clip.poster) if name]
    Clip.objects.filter(pk=clip.pk).delete()
    if names:
        transaction.on_commit(lambda: _delete_files(names))


@transaction.atomic
def clips_rerender(*, clip_ids: list[int]) -> int:
    """Queue clips for another render (staff, after a media worker outage)."""
    from vods.clips.tasks import render_clip

    count = Clip.objects.filter(pk__in=clip_ids).update(status=ClipStatus.PENDING, failure_reason="")
    for clip_id in clip_ids:
        transaction.on_commit(lambda clip_id=clip_id: render_clip.delay(clip_id))  # type: ignore[misc]
    return count
