"""Staff commands: end_stale_streams, rotate_stream_key, media_status, demo_stream."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from channels_app import selectors as channel_selectors
from streams.models import EndReason, Stream, StreamStatus
from tests.streams.conftest import wait_for
from tests.streams.helpers import hook, make_channel


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_end_stale_streams_ends_sessions_without_updates_and_says_how_many(settings):
    settings.STREAM_STALE_SECONDS = 30
    _, key = make_channel()
    hook("publish", key=key)
    Stream.objects.update(last_update_at=timezone.now() - timedelta(minutes=5))

    assert run("end_stale_streams") == "Ended 1 stale stream.\n"
    assert Stream.objects.get().end_reason == EndReason.STALE
    assert run("end_stale_streams") == "Ended 0 stale streams.\n"


@pytest.mark.django_db
def test_rotate_stream_key_prints_a_working_key_once_and_ends_the_live_session(
    settings, django_capture_on_commit_callbacks
):
    settings.RTMP_CONTROL_URL = "http://127.0.0.1:9/_rtmp/control"  # no nginx: the update hook drops it later
    channel, old_key = make_channel()
    hook("publish", key=old_key)

    with django_capture_on_commit_callbacks(execute=True):
        output = run("rotate_stream_key", "nova")

    new_key = output.splitlines()[-1]
    assert output.count(new_key) == 1 and old_key not in output
    assert channel_selectors.channel_for_stream_key(key=new_key) == channel
    assert channel_selectors.channel_for_stream_key(key=old_key) is None
    assert Stream.objects.get().end_reason == EndReason.KEY_ROTATED


@pytest.mark.django_db
def test_rotate_stream_key_of_an_unknown_channel_fails():
    with pytest.raises(CommandError, match="No channel"):
        run("rotate_stream_key", "nobody")


@pytest.mark.django_db
def test_media_status_says_when_nginx_is_unreachable(settings):
    settings.RTMP_STAT_URL = "http://127.0.0.1:9/_rtmp/stat"
    _, key = make_channel()
    hook("publish", key=key)

    output = run("media_status")

    assert "NOT reachable" in output
    assert "1 live stream" in output and "nova" in output


@pytest.mark.media
def test_media_status_shows_live_streams_with_their_health(media, publisher):
    _, key = make_channel()
    publisher(key)
    wait_for(lambda: Stream.objects.filter(status=StreamStatus.LIVE).exists(), timeout=10)

    output = run("media_status")

    assert "nginx-rtmp: reachable" in output
    assert "nova" in output and "640x360 @ 25.0 fps" in output and "viewers 0" in output
    assert key not in output


@pytest.mark.media
def test_demo_stream_goes_live_without_showing_the_key(media):
    channel, old_key = make_channel()

    output = run("demo_stream", "nova", "--duration", "3", "--size", "640x360", "--rate", "25")

    stream = Stream.objects.get()
    assert stream.channel == channel
    assert "nova" in output
    assert channel_selectors.channel_for_stream_key(key=old_key) is None  # it used a fresh key
    channel.refresh_from_db()
    assert channel.stream_key_prefix not in output


@pytest.mark.django_db
def test_demo_stream_of_an_unknown_channel_fails():
    with pytest.raises(CommandError, match="No channel"):
        run("demo_stream", "nobody")
