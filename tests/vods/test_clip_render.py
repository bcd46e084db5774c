"""Clips rendered for real by ffmpeg: length within ±0.1 s, the first frame is the requested one,
the live recording is read while it grows, and failures end in a stated reason."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.core.files.storage import FileSystemStorage, Storage, default_storage

from tests.vods.clip_factories import FPS, make_vod, verified_user
from vods.clips import render, services
from vods.clips import tasks as render_tasks
from vods.clips.tasks import render_clip
from vods.models import Clip, ClipStatus

pytestmark = [pytest.mark.media, pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg missing")]


def gray_frame(source: str, *, at: float | None = None) -> bytes:
    """One frame as 64x36 grey bytes: at `at` seconds (accurate seek), else the first one."""
    seek = ["-ss", f"{at:.4f}"] if at is not None else []
    command = ["ffmpeg", "-v", "error", "-nostdin", *seek, "-i", source, "-frames:v", "1"]
    command += ["-vf", "scale=64:36", "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def distance(a: bytes, b: bytes) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Clips sent to the media queue (the tests run the task themselves, in this process)."""
    sent: list[int] = []
    monkeypatch.setattr(render_clip, "delay", sent.append)
    return sent


def test_clip_from_a_vod_has_the_requested_length_and_starts_on_the_requested_frame(
    db, django_capture_on_commit_callbacks, queued
):
    vod = make_vod(seconds=20)
    start, end = 7.4, 13.9  # 7.4 s is not on a keyframe (one every 2 s): a copy cut would start at 6 s
    with django_capture_on_commit_callbacks(execute=True):
        clip = services.clip_create_from_vod(
            user=verified_user(), vod=vod, start=start, end=end, title="Goal"
        )
    assert queued == [clip.pk]

    assert render_clip(clip.pk) == "ready"

    clip.refresh_from_db()
    assert clip.status == ClipStatus.READY and clip.failure_reason == ""
    video = Path(default_storage.path(clip.video))
    duration, width, height = render.probe(video)
    assert abs(duration - (end - start)) <= 0.1
    assert clip.rendered_duration == pytest.approx(duration, abs=0.001)
    assert (width, height) == (640, 360)
    assert default_storage.exists(clip.poster) and clip.video.startswith(f"clips/{clip.pk}/")
    playlist = default_storage.path(f"{vod.storage_prefix}/index.m3u8")
    first = gray_frame(str(video))
    wanted = distance(first, gray_frame(playlist, at=start))
    neighbours = [distance(first, gray_frame(playlist, at=start + d)) for d in (-1 / FPS, 1 / FPS, -1.4)]
    assert wanted < min(neighbours), (wanted, neighbours)


def test_a_second_render_of_a_ready_clip_is_skipped(db, queued):
    vod = make_vod(seconds=8)
    clip = services.clip_create_from_vod(user=verified_user(), vod=vod, start=1, end=7, title="")
    assert render_clip(clip.pk) == "ready"
    assert render_clip(clip.pk) == "skipped"


def test_a_clip_whose_files_are_gone_fails_with_a_reason(db, queued):
    vod = make_vod(seconds=8, files=False)
    clip = services.clip_create_from_vod(user=verified_user(), vod=vod, start=0, end=6, title="")
    assert render_clip(clip.pk) == "failed"
    clip.refresh_from_db()
    assert clip.status == ClipStatus.FAILED and "missing" in clip.failure_reason
    assert clip.video == ""


def test_a_clip_deleted_while_queued_is_skipped(db, queued):
    vod = make_vod(seconds=8, files=False)
    clip = services.clip_create_from_vod(user=verified_user(), vod=vod, start=0, end=6, title="")
    Clip.objects.filter(pk=clip.pk).delete()
    assert render_clip(clip.pk) == "skipped"


def _flv(path: Path, seconds: float) -> None:
    command = [
        "ffmpeg",
        "-v",
        "error",
        "-nostdin",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=25",
    ]
    command += ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-f", "flv", str(path)]
    subprocess.run(command, check=True)


def test_recorded_seconds_of_a_growing_flv_come_from_its_last_complete_tag(tmp_path):
    path = tmp_path / "nova-1764489600.flv"
    _flv(path, 6)
    assert render.flv_recorded_seconds(path) == pytest.approx(6.0 - 1 / 25, abs=0.05)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 700])  # nginx-rtmp is half-way through writing a tag
    assert 5.0 < render.flv_recorded_seconds(path) < 6.0


def test_the_recording_of_a_session_is_its_newest_file_of_that_name(tmp_path):
    for name in ("nova-1000.flv", "nova-1000000100.flv", "nova-1000000200.flv", "novax-1000000300.flv"):
        (tmp_path / name).write_bytes(b"FLV")
    found = render.recording_for(tmp_path, "nova", started=1_000_000_150, until=1_000_000_400)
    assert found == tmp_path / "nova-1000000200.flv"
    assert render.recording_for(tmp_path, "nova", started=1_000_000_500, until=1_000_000_900) is None


class RemoteStorage(Storage):
    """Local files that refuse `path()`, as S3 does: the renderer must fetch what it needs."""

    def __init__(self, local: FileSystemStorage) -> None:
        self.local = local
        self.fetched: list[str] = []

    def exists(self, name: str) -> bool:
        return self.local.exists(name)

    def _open(self, name, mode="rb"):
        self.fetched.append(name)
        return self.local.open(name, mode)


def test_remote_storage_fetches_only_the_overlapping_segments_and_keeps_the_frame(db, tmp_path, settings):
    vod = make_vod(seconds=20)
    remote = RemoteStorage(FileSystemStorage(location=settings.MEDIA_ROOT))
    workdir = tmp_path / "work"
    workdir.mkdir()
    source, start = render.vod_source(remote, vod.storage_prefix, start=9.5, duration=5, workdir=workdir)
    segments = sorted(name.rsplit("/", 1)[1] for name in remote.fetched if name.endswith(".ts"))
    assert segments == ["seg002.ts", "seg003.ts"]  # 8-12 s and 12-16 s of 4 s segments
    assert start == pytest.approx(1.5, abs=0.01)
    result = render.render(source, start=start, duration=5, workdir=workdir)
    assert abs(result.duration - 5) <= 0.1
    playlist = default_storage.path(f"{vod.storage_prefix}/index.m3u8")
    first = gray_frame(str(result.video))
    assert distance(first, gray_frame(playlist, at=9.5)) < distance(
        first, gray_frame(playlist, at=9.5 + 1 / FPS)
    )


def test_transient_failures_retry_then_fail_with_the_reason(db, queued, monkeypatch):
    vod = make_vod(seconds=8, files=False)
    clip = services.clip_create_from_vod(user=verified_user(), vod=vod, start=0, end=6, title="")
    attempts = []

    def flaky(*, clip):
        attempts.append(clip.pk)
        raise render.RenderError("ffmpeg took too long to cut the clip.", permanent=False)

    monkeypatch.setattr(services, "clip_render", flaky)
    for retries in range(render_tasks.MAX_RETRIES):  # what the worker does on each retry
        with pytest.raises(Retry):
            render_clip.apply(args=[clip.pk], retries=retries, throw=True)
        assert Clip.objects.get(pk=clip.pk).status == ClipStatus.RENDERING
    render_clip.apply(args=[clip.pk], retries=render_tasks.MAX_RETRIES, throw=True)
    clip.refresh_from_db()
    assert len(attempts) == 1 + render_tasks.MAX_RETRIES
    assert clip.status == ClipStatus.FAILED and "too long" in clip.failure_reason
