"""A worker process SIGKILLed in the middle of an archival (here: while ffmpeg draws the strip),
then the task redelivered (acks_late): one VOD, one set of files, no scratch folder left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.streams.conftest import FFMPEG, needs_media, wait_for
from tests.vods.archive_factories import EndedStreamFactory
from vods import storage as vod_storage
from vods import tasks
from vods.models import VOD, VODStatus
from vods.services import archive

pytestmark = [needs_media]
ROOT = Path(__file__).resolve().parents[2]


def slow_strip_ffmpeg(folder: Path) -> Path:
    """ffmpeg that hangs on the strip, so the kill lands mid-task, after the remux and the poster."""
    folder.mkdir()
    wrapper = folder / "ffmpeg"
    wrapper.write_text(f'#!/bin/sh\ncase "$*" in *tile=*) sleep 120;; esac\nexec {FFMPEG} "$@"\n')
    wrapper.chmod(0o755)
    return folder


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_archival_and_redelivered_leaves_one_vod_and_no_stray_files(
    recording, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the killed worker is another process: it needs a database server (DATABASE_URL)")
    settings.VODS_SCRATCH_DIR = tmp_path / "scratch"
    settings.VODS_SCRATCH_DIR.mkdir()
    flv = recording()
    stream = EndedStreamFactory.create(recordings=[str(flv)])
    vod = archive.vod_create_for_stream(stream=stream)
    assert vod is not None
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{host}/{db['NAME']}",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "VODS_SCRATCH_DIR": str(settings.VODS_SCRATCH_DIR),
        "PATH": f"{slow_strip_ffmpeg(tmp_path / 'bin')}:{os.environ.get('PATH', '')}",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from vods.tasks import archive_vod; archive_vod({vod.pk})",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: list(settings.VODS_SCRATCH_DIR.glob("vod-*/out/poster.jpg")), timeout=90)
    finally:
        worker.kill()
        worker.wait(timeout=10)
    killed = VOD.objects.get()
    assert (killed.status, killed.attempts) == (VODStatus.PROCESSING, 1)
    assert list(settings.VODS_SCRATCH_DIR.iterdir())  # what the dead worker left

    assert tasks.archive_vod(vod.pk) == VODStatus.READY  # the broker hands the task out again

    vod.refresh_from_db()
    assert (vod.status, vod.attempts, VOD.objects.count()) == (VODStatus.READY, 2, 1)
    names = vod_storage.list_tree(vod_storage.vod_root(vod.pk))
    assert names and {name.rsplit("/", 1)[0] for name in names} == {vod.storage_prefix}
    assert list(settings.VODS_SCRATCH_DIR.iterdir()) == []
    assert not flv.exists()
