"""Clip test helpers: a real small HLS VOD made by ffmpeg, clips in any state, verified users."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, cast

import factory
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import User
from channels_app.models import Channel
from streams.models import Stream
from tests.factories import StreamChannelFactory, StreamSessionFactory, UserFactory
from vods.models import VOD, Clip, ClipStatus, Visibility, VODStatus

FFMPEG = shutil.which("ffmpeg")
FPS = 30


class FastUserFactory(UserFactory):
    """A verified user without a usable password (hashing one costs ~1 s here); use force_login."""

    password = "!unusable"  # type: ignore[assignment]


def verified_user(**fields: Any) -> User:
    return cast(User, FastUserFactory(**fields))


def unverified_user(**fields: Any) -> User:
    return cast(User, FastUserFactory(verified=False, **fields))


def hls_vod_files(directory: Path, *, seconds: float = 20, fps: int = FPS, size: str = "640x360") -> None:
    """testsrc2 (every frame differs) + a tone, as 4 s HLS segments with a keyframe every 2 s."""
    assert FFMPEG, "ffmpeg is needed"
    subprocess.run(
        [
            *(FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"),
            *("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}"),
            *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"),
            *("-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", str(2 * fps)),
            *("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"),
            *("-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod"),
            *("-hls_segment_filename", str(directory / "seg%03d.ts"), str(directory / "index.m3u8")),
        ],
        check=True,
    )


def make_vod(
    *, channel: Channel | None = None, seconds: float = 20, files: bool = True, **fields: Any
) -> VOD:
    """A VOD row (ready, public by default) and, with `files`, a real HLS rendition in storage."""
    channel = channel or cast(Channel, StreamChannelFactory())
    stream = cast(Stream, StreamSessionFactory(channel=channel))
    vod = VOD.objects.create(
        channel=channel,
        stream=stream,
        title=fields.pop("title", "Big match"),
        status=fields.pop("status", VODStatus.READY),
        visibility=fields.pop("visibility", Visibility.PUBLIC),
        duration=seconds,
        ready_at=timezone.now(),
        **fields,
    )
    vod.storage_prefix = f"vods/{vod.pk}/test"
    vod.save(update_fields=["storage_prefix"])
    if files:
        with tempfile.TemporaryDirectory() as tmp:
            hls_vod_files(Path(tmp), seconds=seconds)
            for path in sorted(Path(tmp).iterdir()):
                with path.open("rb") as file:
                    default_storage.save(f"{vod.storage_prefix}/{path.name}", File(file))
    return vod


class ClipFactory(factory.django.DjangoModelFactory[Clip]):
    """A clip row (ready by default, no files); pass channel= or vod=."""

    class Meta:
        model = Clip

    channel = factory.SubFactory(StreamChannelFactory)
    stream = factory.LazyAttribute(lambda c: StreamSessionFactory(channel=c.channel))
    creator = factory.SubFactory(FastUserFactory)
    slug = factory.Sequence(lambda n: f"clip{n:05d}")
    title = factory.Sequence(lambda n: f"Clip number {n}")
    start = 0.0
    duration = 10.0
    status = ClipStatus.READY
    video = factory.LazyAttribute(lambda c: f"clips/x/{c.slug}/clip.mp4")
    poster = factory.LazyAttribute(lambda c: f"clips/x/{c.slug}/poster.jpg")
    rendered_duration = 10.0
