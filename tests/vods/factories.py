"""VODs with real media: an 8 s HLS made by ffmpeg once per test session, copied into the
default storage under each VOD's prefix (so the access checks guard real files)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from streams.models import StreamStatus
from tests.factories import ChannelOwnerFactory, StreamChannelFactory, StreamSessionFactory
from vods.models import VOD, Visibility, VODStatus, new_token

FFMPEG = shutil.which("ffmpeg")
HLS_SECONDS = 8
_made: dict[str, Path] = {}


def sample_hls(folder: Path) -> Path:
    """index.m3u8 + 2 s segments + poster.jpg of a test pattern with a tone; made once."""
    if "hls" in _made:
        return _made["hls"]
    assert FFMPEG, "ffmpeg is installed by scripts/bootstrap.sh"
    folder.mkdir(parents=True, exist_ok=True)
    lavfi = ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30", "-f", "lavfi", "-i", "sine"]
    subprocess.run(
        [FFMPEG, "-v", "error", "-y", *lavfi, "-t", str(HLS_SECONDS), "-c:v", "libx264", "-g", "30",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
         "-hls_segment_filename", str(folder / "seg%03d.ts"), str(folder / "index.m3u8")],
        check=True, timeout=60,
    )  # fmt: skip
    subprocess.run(
        [FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1",
         str(folder / "poster.jpg")],
        check=True, timeout=30,
    )  # fmt: skip
    # The scrubbing strip: one 160x90 tile every 2 s, 4 in a row (what the archival task makes).
    subprocess.run(
        [FFMPEG, "-v", "error", "-y", "-i", str(folder / "index.m3u8"),
         "-vf", "fps=1/2,scale=160:90,tile=4x1", "-frames:v", "1", str(folder / "strip.jpg")],
        check=True, timeout=30,
    )  # fmt: skip
    _made["hls"] = folder
    return folder


class ViewerFactory(ChannelOwnerFactory):
    """A user for force_login (no password hashing: ~1 s each on this CPU)."""

    username = factory.Sequence(lambda n: f"vodviewer{n}")


class VODFactory(factory.django.DjangoModelFactory[VOD]):
    """A ready VOD row (no files: use `with_media`)."""

    class Meta:
        model = VOD

    channel = factory.SubFactory(StreamChannelFactory)
    stream = factory.LazyAttribute(
        lambda v: StreamSessionFactory(
            channel=v.channel, status=StreamStatus.ENDED, started_at=timezone.now() - timedelta(hours=2)
        )
    )
    title = factory.Sequence(lambda n: f"Past broadcast {n}")
    visibility = Visibility.PUBLIC
    status = VODStatus.READY
    progress = 100
    storage_prefix = factory.LazyAttribute(lambda v: f"vods/{new_token()}")
    duration = float(HLS_SECONDS)
    width, height = 320, 180
    ready_at = factory.LazyFunction(timezone.now)


def with_media(vod: VOD, source: Path) -> VOD:
    """Copy the sample HLS into the default storage under the VOD's prefix."""
    for path in sorted(source.iterdir()):
        default_storage.save(f"{vod.storage_prefix}/{path.name}", ContentFile(path.read_bytes()))
    vod.poster = f"{vod.storage_prefix}/poster.jpg"
    vod.strip = f"{vod.storage_prefix}/strip.jpg"
    vod.strip_interval, vod.strip_columns, vod.strip_tile_width, vod.strip_tile_height = 2.0, 4, 160, 90
    vod.save()
    return vod
