"""Archival with real ffmpeg on real FLV recordings: ready, failed, retried, raced, concatenated."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from streams.models import Stream
from tests.streams.conftest import needs_media
from tests.streams.helpers import hook, make_channel
from tests.vods.archive_factories import EndedStreamFactory
from tests.vods.conftest import RECORDING_SECONDS
from vods import ffmpeg, tasks
from vods import storage as vod_storage
from vods.models import VOD, Visibility, VODSettings, VODStatus
from vods.services import archive

pytestmark = [needs_media]


def stored_files(vod_id: int) -> list[str]:
    return vod_storage.list_tree(vod_storage.vod_root(vod_id))


def prefixes(vod_id: int) -> set[str]:
    return {name.rsplit("/", 1)[0] for name in stored_files(vod_id)}


def ffprobe_duration(path: str) -> float:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", path],
        capture_output=True,
        check=True,
    )
    return float(json.loads(result.stdout)["format"]["duration"])


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The task, with its after-commit work (file clean-up) done as a real commit would."""

    def call(vod_id: int) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.archive_vod(vod_id)

    return call


def ended_stream_with(*paths: Path, **fields: object) -> Stream:
    stream: Stream = EndedStreamFactory.create(recordings=[str(p) for p in paths], **fields)
    return stream


@pytest.mark.django_db
def test_archive_makes_a_ready_vod_with_a_playable_hls_a_poster_and_a_strip(recording, run):
    flv = recording()
    stream = ended_stream_with(flv, title="Speedrun night")
    vod = archive.vod_create_for_stream(stream=stream)
    assert vod is not None and vod.status == VODStatus.PROCESSING and vod.title == "Speedrun night"

    assert run(vod.pk) == VODStatus.READY

    vod.refresh_from_db()
    assert (vod.status, vod.progress, vod.failure_reason, vod.attempts) == (VODStatus.READY, 100, "", 1)
    assert vod.storage_prefix.startswith(f"vods/{vod.pk}/")
    playlist = default_storage.path(f"{vod.storage_prefix}/index.m3u8")
    text = Path(playlist).read_text()
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and "#EXT-X-ENDLIST" in text
    assert abs(ffprobe_duration(playlist) - RECORDING_SECONDS) < 1
    assert abs(vod.duration - RECORDING_SECONDS) < 1
    assert (vod.width, vod.height) == (640, 360)
    assert default_storage.open(vod.poster).read(3) == b"\xff\xd8\xff"
    assert default_storage.open(vod.strip).read(3) == b"\xff\xd8\xff"
    assert (vod.strip_interval, vod.strip_columns, vod.strip_tile_width, vod.strip_tile_height) == (
        10.0,
        1,
        160,
        90,
    )
    assert vod.size_bytes == sum(default_storage.size(name) for name in stored_files(vod.pk))
    assert vod.ready_at is not None
    assert not flv.exists()  # VODS_DELETE_RECORDINGS defaults to True


@pytest.mark.django_db
def test_archive_is_a_stream_copy_of_the_recording(recording, run):
    stream = ended_stream_with(recording())
    vod = archive.vod_create_for_stream(stream=stream)
    assert vod is not None
    run(vod.pk)
    vod.refresh_from_db()
    segment = next(name for name in stored_files(vod.pk) if name.endswith(".ts"))
    probe = ffmpeg.probe(default_storage.path(segment))
    assert (probe.video_codec, probe.audio_codec) == ("h264", "aac")


@pytest.mark.django_db
def test_archive_keeps_the_recording_when_told_to(recording, run, settings):
    settings.VODS_DELETE_RECORDINGS = False
    flv = recording()
    vod = archive.vod_create_for_stream(stream=ended_stream_with(flv))
    assert vod is not None
    run(vod.pk)
    assert VOD.objects.get().status == VODStatus.READY
    assert flv.exists()


@pytest.mark.django_db
def test_several_recordings_of_one_stream_become_one_vod_in_order(recording, run):
    first, second = recording("a.flv"), recording("b.flv")
    vod = archive.vod_create_for_stream(stream=ended_stream_with(first, second))
    assert vod is not None
    run(vod.pk)
    vod.refresh_from_db()
    assert vod.status == VODStatus.READY
    assert abs(vod.duration - 2 * RECORDING_SECONDS) < 1
    assert not first.exists() and not second.exists()


@pytest.mark.django_db
def test_corrupt_recording_ends_failed_with_a_message_and_no_files(settings, run, tmp_path):
    flv = Path(settings.RECORDINGS_DIR) / "broken.flv"
    flv.parent.mkdir(parents=True)
    flv.write_bytes(bytes(range(256)) * 400)
    vod = archive.vod_create_for_stream(stream=ended_stream_with(flv))
    assert vod is not None

    assert run(vod.pk) == VODStatus.FAILED

    vod.refresh_from_db()
    assert vod.status == VODStatus.FAILED
    assert vod.failure_reason.startswith("Reading the recording failed:")
    assert vod.attempts == 1  # a bad file is not retried
    assert stored_files(vod.pk) == []
    assert flv.exists()  # kept for a retry or a look


@pytest.mark.django_db
def test_missing_recording_ends_failed_with_a_message(run):
    vod = archive.vod_create_for_stream(stream=ended_stream_with(Path("/nonexistent/rec.flv")))
    assert vod is not None
    run(vod.pk)
    vod.refresh_from_db()
    assert vod.status == VODStatus.FAILED and "recording is missing" in vod.failure_reason


@pytest.mark.django_db
def test_a_retried_task_leaves_one_vod_and_one_set_of_files(recording, run):
    stream = ended_stream_with(recording())
    vod = archive.vod_create_for_stream(stream=stream)
    assert vod is not None
    # What a worker killed after uploading and before committing leaves behind:
    default_storage.save(f"vods/{vod.pk}/crashedrun/index.m3u8", ContentFile(b"#EXTM3U\n"))
    default_storage.save(f"vods/{vod.pk}/crashedrun/seg00000.ts", ContentFile(b"G" * 188))

    run(vod.pk)
    vod.refresh_from_db()
    files = stored_files(vod.pk)
    assert run(vod.pk) == VODStatus.READY  # redelivered after success: nothing happens

    assert VOD.objects.filter(stream=stream).count() == 1
    assert prefixes(vod.pk) == {vod.storage_prefix}
    assert stored_files(vod.pk) == files
    assert archive.vod_create_for_stream(stream=stream) == vod
    assert VOD.objects.get().attempts == 1


@pytest.mark.django_db
def test_a_run_that_crashes_after_uploading_removes_its_own_files(recording, run, monkeypatch):
    vod = archive.vod_create_for_stream(stream=ended_stream_with(recording()))
    assert vod is not None

    def crash(*args: object, **kwargs: object) -> None:
        assert stored_files(vod.pk)  # the files were uploaded
        raise RuntimeError("worker lost")

    monkeypatch.setattr(archive, "_finish", crash)
    with pytest.raises(RuntimeError):
        run(vod.pk)
    assert VOD.objects.get().status == VODStatus.PROCESSING
    assert stored_files(vod.pk) == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_leave_one_ready_vod_and_one_set_of_files(recording):
    vod = archive.vod_create_for_stream(stream=ended_stream_with(recording()))
    assert vod is not None
    outcomes: list[str] = []

    def run() -> None:
        try:
            outcomes.append(archive.vod_archive(vod_id=vod.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    vod.refresh_from_db()
    assert vod.status == VODStatus.READY
    assert VOD.objects.count() == 1
    assert prefixes(vod.pk) == {vod.storage_prefix}
    assert outcomes.count(VODStatus.READY) >= 1


@pytest.mark.django_db
def test_a_transient_error_is_retried_with_backoff_then_fails(eager_celery, monkeypatch):
    vod = archive.vod_create_for_stream(stream=ended_stream_with(Path("/x.flv")))
    assert vod is not None
    calls: list[int] = []

    def flaky(*, vod_id: int) -> archive.ArchiveOutcome:
        calls.append(vod_id)
        raise ffmpeg.MediaError("The remux took longer than 3600 s.", transient=True)

    monkeypatch.setattr(archive, "vod_archive", flaky)
    eager_celery.conf.task_eager_propagates = False  # eager retries run in apply() (the fixture restores)
    tasks.archive_vod.apply(args=(vod.pk,))

    assert len(calls) == tasks.MAX_RETRIES + 1
    vod.refresh_from_db()
    assert vod.status == VODStatus.FAILED and "longer than" in vod.failure_reason
    assert [tasks.backoff(n) for n in range(6)] == [30, 60, 120, 240, 480, 900]


@pytest.mark.django_db
def test_a_stream_still_live_is_not_archived_yet(recording):
    stream = ended_stream_with(recording(), status="live", ended_at=None)
    vod = archive.vod_create_for_stream(stream=stream)
    assert vod is not None
    outcome = archive.vod_archive(vod_id=vod.pk)
    assert outcome.skipped == "the stream is still live"
    assert VOD.objects.get().attempts == 0


@pytest.mark.django_db
def test_no_vod_when_the_channel_turned_archiving_off():
    stream = ended_stream_with(Path("/x.flv"))
    VODSettings.objects.create(channel=stream.channel, archive_enabled=False)
    assert archive.vod_create_for_stream(stream=stream) is None
    assert not VOD.objects.exists()


@pytest.mark.django_db
def test_a_new_vod_takes_the_channels_default_visibility():
    stream = ended_stream_with(Path("/x.flv"))
    VODSettings.objects.create(channel=stream.channel, default_visibility=Visibility.SUBSCRIBERS)
    vod = archive.vod_create_for_stream(stream=stream)
    assert vod is not None and vod.visibility == Visibility.SUBSCRIBERS


# --- Through the ingest hooks: nginx-rtmp may send record_done before or after publish_done ----


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("record_first", [True, False])
def test_the_hooks_archive_the_stream_once_it_has_ended_and_recorded(eager_celery, recording, record_first):
    _, key = make_channel()
    flv = recording()
    hook("publish", key=key)
    if record_first:
        hook("record_done", key=key, path=str(flv))
        assert not VOD.objects.exists()  # still live: wait for the end
        hook("publish_done", key=key)
    else:
        hook("publish_done", key=key)
        assert not VOD.objects.exists()  # nothing recorded yet
        hook("record_done", key=key, path=str(flv))

    vod = VOD.objects.get()
    assert vod.status == VODStatus.READY and vod.attempts == 1
    assert not flv.exists()


def test_the_strip_stays_bounded_for_a_long_vod():
    ten_hours = ffmpeg.strip_layout(36_000, width=1280, height=720)
    assert ten_hours.interval == 180 and ten_hours.columns == 10 and ten_hours.rows == 20
    short = ffmpeg.strip_layout(65, width=1920, height=1080)
    assert (short.interval, short.columns, short.rows, short.tile_height) == (10, 7, 1, 90)


@pytest.mark.django_db
def test_a_storage_outage_is_retried_then_fails_with_no_files(eager_celery, recording, monkeypatch):
    vod = archive.vod_create_for_stream(stream=ended_stream_with(recording()))
    assert vod is not None

    def unreachable(local: Path, prefix: str) -> int:
        default_storage.save(f"{prefix}/seg00000.ts", ContentFile(b"G"))  # got partway
        raise OSError("No space left on device")

    monkeypatch.setattr(archive.vod_storage, "upload_dir", unreachable)
    monkeypatch.setattr(tasks, "MAX_RETRIES", 1)
    eager_celery.conf.task_eager_propagates = False
    tasks.archive_vod.apply(args=(vod.pk,))

    vod.refresh_from_db()
    assert (vod.status, vod.attempts) == (VODStatus.FAILED, 2)
    assert vod.failure_reason == "Storing the video failed: No space left on device"
    assert stored_files(vod.pk) == []


@pytest.mark.django_db
def test_the_soft_time_limit_marks_the_vod_failed(monkeypatch, run):
    from celery.exceptions import SoftTimeLimitExceeded

    vod = archive.vod_create_for_stream(stream=ended_stream_with(Path("/x.flv")))
    assert vod is not None

    def too_slow(*, vod_id: int) -> archive.ArchiveOutcome:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(archive, "vod_archive", too_slow)
    assert run(vod.pk) == "failed"
    vod.refresh_from_db()
    assert vod.status == VODStatus.FAILED and "longer than 3 hours" in vod.failure_reason
