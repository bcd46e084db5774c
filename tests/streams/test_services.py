from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app import services as channel_services
from streams import selectors, services
from streams.models import EndReason, Stream, StreamStatus
from tests.streams.helpers import hook, make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    channel, key = make_channel(title="Soldering", tags=["hardware"])
    hook("publish", key=key)
    return channel, key, Stream.objects.get()


def test_rotating_the_key_ends_the_live_session_at_once(live, django_capture_on_commit_callbacks):
    channel, old_key, stream = live
    with django_capture_on_commit_callbacks(execute=True):
        new_key = channel_services.stream_key_rotate(channel=channel)
    stream.refresh_from_db()
    assert (stream.status, stream.end_reason) == (StreamStatus.ENDED, EndReason.KEY_ROTATED)
    assert new_key != old_key
    assert hook("publish", key=old_key, clientid="2").status_code == 403
    assert hook("publish", key=new_key, clientid="3").status_code == 302


def test_suspending_ends_the_live_session(live, django_capture_on_commit_callbacks):
    channel, _, stream = live
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.channel_suspend(channel=channel, reason="terms")
    stream.refresh_from_db()
    assert stream.end_reason == EndReason.SUSPENDED


def test_stale_sessions_are_ended_and_fresh_ones_kept(settings):
    _, key_a = make_channel("quiet")
    _, key_b = make_channel("lively")
    hook("publish", key=key_a, clientid="1")
    hook("publish", key=key_b, clientid="2")
    old = timezone.now() - timedelta(seconds=settings.STREAM_STALE_SECONDS + 5)
    Stream.objects.filter(channel__slug="quiet").update(last_update_at=old)
    assert services.streams_end_stale() == 1
    assert services.streams_end_stale() == 0
    statuses = dict(Stream.objects.values_list("channel__slug", "end_reason"))
    assert statuses == {"quiet": EndReason.STALE, "lively": ""}


def test_end_stale_streams_task_runs_the_service(settings):
    from streams.tasks import end_stale_streams

    _, key = make_channel()
    hook("publish", key=key)
    Stream.objects.update(last_update_at=timezone.now() - timedelta(hours=1))
    assert end_stale_streams.apply().get() == 1


def test_title_edited_while_live_reaches_the_session(live, django_capture_on_commit_callbacks):
    channel, _, stream = live
    with django_capture_on_commit_callbacks(execute=True):
        channel_services.channel_update(channel=channel, title="With oscilloscopes", tags=["scope", "Scope"])
    stream.refresh_from_db()
    assert stream.title == "With oscilloscopes"
    assert stream.tags == ["scope"]  # case duplicates dropped
    assert selectors.stream_status(channel=channel)["title"] == "With oscilloscopes"


def test_stream_end_from_the_platform_is_idempotent(live):
    _, _, stream = live
    services.stream_end(stream=stream, reason=EndReason.ENDED_BY_CREATOR)
    services.stream_end(stream=stream, reason=EndReason.ENDED_BY_STAFF)
    stream.refresh_from_db()
    assert stream.end_reason == EndReason.ENDED_BY_CREATOR


def test_viewer_samples_keep_the_peak(live):
    _, _, stream = live
    for viewers in (3, 9, 4):
        services.stream_record_viewers(stream=stream, viewers=viewers)
    stream.refresh_from_db()
    assert stream.peak_viewers == 9
    assert list(stream.viewer_samples.values_list("viewers", flat=True)) == [3, 9, 4]


def test_status_offline_then_live(live):
    channel, key, _ = live
    status = selectors.stream_status(channel=channel)
    assert status["status"] == "live"
    assert status["hls_url"] == "/hls/nova/index.m3u8"
    assert key not in str(status)
    hook("publish_done", key=key)
    status = selectors.stream_status(channel=channel)
    assert status["status"] == "offline"
    assert status["hls_url"] is None
    assert status["last_live_at"] is not None
