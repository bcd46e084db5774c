"""The adaptive ladder: `manage.py ladder` decides, ffmpeg transcodes, nginx-rtmp writes a master playlist."""

from __future__ import annotations

import subprocess
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from channels_app import services as channel_services
from streams.mediaconfig import RENDITIONS, ladder_command
from tests.streams.conftest import FFMPEG, wait_for
from tests.streams.helpers import make_channel


@pytest.mark.django_db
def test_ladder_exits_at_once_for_a_channel_without_it():
    make_channel(slug="plain")

    with mock.patch("os.execv") as execv:
        call_command("ladder", "plain", stdout=StringIO())
        call_command("ladder", "nobody_here", stdout=StringIO())

    execv.assert_not_called()


@pytest.mark.django_db
def test_ladder_becomes_ffmpeg_for_a_channel_with_it(settings):
    settings.RTMP_PORT = 19999
    make_channel(slug="tiered", abr_enabled=True)

    with mock.patch("os.execv") as execv:
        call_command("ladder", "tiered", stdout=StringIO())

    (binary, argv), _ = execv.call_args
    assert binary == argv[0] and argv[0].endswith("ffmpeg")
    assert "rtmp://127.0.0.1:19999/live/tiered" in argv
    for rendition in RENDITIONS:
        assert f"rtmp://127.0.0.1:19999/ladder/tiered_{rendition.name}" in argv


@pytest.mark.media
def test_ladder_serves_a_master_playlist_at_the_public_url(media, publisher):
    channel, key = make_channel(slug="tiered")
    channel_services.channel_update(channel=channel, abr_enabled=True)
    publisher(key, size="1280x720", rate=30)
    playlist = f"/hls/{channel.slug}/index.m3u8"
    wait_for(lambda: media.get(playlist)[0] == 200, timeout=10)
    assert b"#EXT-X-STREAM-INF" not in media.get(playlist)[1]  # no ladder yet: the source playlist
    assert FFMPEG

    transcoder = subprocess.Popen(
        ladder_command(channel.slug, ffmpeg=FFMPEG, port=media.rtmp_port),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    media.publishers.append(transcoder)

    wait_for(lambda: b"#EXT-X-STREAM-INF" in media.get(playlist)[1], timeout=20)
    master = media.get(playlist)[1].decode()
    variants = [line for line in master.splitlines() if line and not line.startswith("#")]
    assert len(variants) == len(RENDITIONS)
    assert "RESOLUTION=640x360" in master
    for variant in variants:  # relative to the master, as a player resolves it
        url = f"/hls/{channel.slug}/{variant}"
        wait_for(lambda url=url: media.get(url)[0] == 200, timeout=15)
        body = media.get(url)[1].decode()
        segment = next(line for line in body.splitlines() if line.endswith(".ts"))
        assert media.get(url.rsplit("/", 1)[0] + "/" + segment)[0] == 200
    assert key not in master
