"""Clip the last seconds of a live stream through real nginx-rtmp: the recording in progress is
cut while it still grows, to the requested length."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from streams.models import Stream
from tests.streams.conftest import media, publisher, wait_for  # noqa: F401 (fixtures)
from tests.streams.helpers import make_channel
from tests.vods.clip_factories import verified_user
from vods.clips import render, services
from vods.clips.tasks import render_clip
from vods.models import ClipStatus

pytestmark = pytest.mark.media


def test_clip_of_the_last_eight_seconds_while_live(media, publisher, monkeypatch):  # noqa: F811
    monkeypatch.setattr(render_clip, "delay", lambda clip_id: None)  # the test renders it itself
    channel, key = make_channel("clipper")
    publisher(key, duration=40)
    wait_for(lambda: Stream.objects.filter(channel=channel, status="live").exists(), timeout=15)
    stream = Stream.objects.get(channel=channel, status="live")

    def recorded() -> float:
        found = services.live_recording(stream=stream)
        return render.flv_recorded_seconds(found) if found else 0.0

    wait_for(lambda: recorded() >= 12, timeout=30, interval=0.5)
    clip = services.clip_create_from_live(user=verified_user(), channel=channel, seconds=8, title="")
    assert clip.stream == stream and clip.duration == 8
    assert 4 <= clip.start <= 40

    assert render_clip(clip.pk) == "ready"
    clip.refresh_from_db()
    assert clip.status == ClipStatus.READY
    duration, width, height = render.probe(Path(default_storage.path(clip.video)))
    assert abs(duration - 8) <= 0.1
    assert (width, height) == (640, 360)
    assert Stream.objects.get(pk=stream.pk).is_live  # cut from the recording in progress


def test_a_short_live_clip_needs_at_least_five_recorded_seconds(media, publisher):  # noqa: F811
    channel, key = make_channel("earlybird")
    publisher(key, duration=20)
    wait_for(lambda: Stream.objects.filter(channel=channel, status="live").exists(), timeout=15)
    with pytest.raises(services.ClipRefused) as refused:
        services.clip_create_from_live(user=verified_user(), channel=channel, seconds=30)
    assert refused.value.code == "too_early"
