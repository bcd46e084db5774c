"""Real media for the vods tests: recordings made with ffmpeg as nginx-rtmp records them (FLV),
and a small HLS VOD for the library tests."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.streams.conftest import FFMPEG, media, publisher
from tests.vods.factories import sample_hls

__all__ = ["media", "publisher"]  # nginx-rtmp and the ffmpeg publisher, for the end-to-end test

RECORDING_SECONDS = 6


def make_flv(path: Path, *, seconds: float, size: str = "640x360", rate: int = 25) -> Path:
    """ffmpeg's test pattern + a tone, H.264/AAC in FLV with a keyframe every second."""
    assert FFMPEG, "ffmpeg is missing (scripts/bootstrap.sh installs it)"
    command = [
        *(FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"),
        *("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}"),
        *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"),
        *("-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", str(rate)),
        *("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", str(path)),
    ]
    subprocess.run(command, check=True, timeout=60)
    return path


@pytest.fixture(scope="session")
def _recording_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if FFMPEG is None:
        pytest.skip("ffmpeg missing (scripts/bootstrap.sh installs it)")
    return make_flv(tmp_path_factory.mktemp("recordings") / "master.flv", seconds=RECORDING_SECONDS)


@pytest.fixture
def recording(_recording_master: Path, settings) -> Callable[[str], Path]:
    """A fresh copy of the 6 s recording in RECORDINGS_DIR (archival deletes it)."""

    def copy(name: str = "rec.flv") -> Path:
        target = Path(settings.RECORDINGS_DIR) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_recording_master, target)
        return target

    return copy


@pytest.fixture
def eager_celery() -> Iterator[object]:
    """Run tasks in-process, also against Redis (the broker path is covered by the worker test)."""
    from aethex.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def media_worker(transactional_db) -> Iterator[object]:
    """A real Celery worker thread consuming the `media` queue (eager without REDIS_URL)."""
    from django.conf import settings as django_settings

    if django_settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from celery.contrib.testing.worker import start_worker  # type: ignore[import-untyped]

    from aethex.celery import app

    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["media", "default"]
    ) as worker:
        yield worker


@pytest.fixture(scope="session")
def hls_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FFMPEG:
        pytest.skip("ffmpeg is installed by scripts/bootstrap.sh")
    return sample_hls(tmp_path_factory.mktemp("vod-hls"))
