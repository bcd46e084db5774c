"""Publishing through real nginx-rtmp and ffmpeg: auth, rename, HLS, drops and recordings."""

from __future__ import annotations

import json
import re
import time

import pytest

from channels_app import services as channel_services
from streams.models import EndReason, Stream, StreamStatus
from tests.streams.conftest import wait_for
from tests.streams.helpers import make_channel

pytestmark = [pytest.mark.media]


def media_sequence(body: bytes) -> int:
    match = re.search(rb"#EXT-X-MEDIA-SEQUENCE:(\d+)", body)
    assert match, body
    return int(match.group(1))


def live_stream() -> Stream | None:
    return Stream.objects.filter(status=StreamStatus.LIVE).first()


def test_publish_with_the_right_key_goes_live_and_serves_hls_under_the_slug(media, publisher):
    channel, key = make_channel(title="Signal check")
    started = time.monotonic()

    encoder = publisher(key)

    wait_for(live_stream, timeout=10)
    status, body, _ = media.get(f"/api/v1/channels/{channel.slug}/stream")
    assert status == 200 and json.loads(body)["status"] == "live"
    playlist = f"/hls/{channel.slug}/index.m3u8"
    wait_for(lambda: media.get(playlist)[0] == 200, timeout=10)
    first_playable = time.monotonic() - started
    status, body, headers = media.get(playlist)
    assert headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Access-Control-Allow-Origin"] == "*"
    first = media_sequence(body)
    segment = next(line for line in body.decode().splitlines() if line.endswith(".ts"))
    status, data, headers = media.get(f"/hls/{channel.slug}/{segment}")
    assert status == 200 and data[:1] == b"\x47"  # an MPEG-TS sync byte
    assert headers["Content-Type"] == "video/mp2t"
    wait_for(lambda: media_sequence(media.get(playlist)[1]) > first, timeout=8)
    assert encoder.poll() is None
    assert first_playable < 8


def test_the_key_never_names_a_public_file(media, publisher):
    channel, key = make_channel()
    publisher(key)
    wait_for(lambda: media.get(f"/hls/{channel.slug}/index.m3u8")[0] == 200, timeout=10)

    for path in (f"/hls/{key}/index.m3u8", f"/hls/{key}.m3u8", f"/hls/{key}-0.ts", f"/hls/{key}/0.ts"):
        assert media.get(path)[0] == 404, path
    names = [str(p.relative_to(media.hls_dir)) for p in media.files()]
    assert names and not [name for name in names if key in name]
    assert key.encode() not in media.error_log.read_bytes()


def test_a_wrong_key_is_refused_and_writes_nothing(media, publisher):
    make_channel()

    encoder = publisher("live_this-is-not-the-key-of-any-channel")

    assert encoder.wait(timeout=10) != 0
    assert not Stream.objects.exists()
    assert media.files() == []


def test_publish_done_ends_the_session_and_the_recording_arrives(media, publisher):
    _, key = make_channel()
    encoder = publisher(key, duration=3)
    stream = wait_for(live_stream, timeout=10)

    assert encoder.wait(timeout=15) == 0

    def ended_with_recording() -> bool:
        stream.refresh_from_db()
        return stream.status == StreamStatus.ENDED and bool(stream.recordings)

    wait_for(ended_with_recording, timeout=10)
    assert stream.end_reason == EndReason.PUBLISHER_LEFT
    (recording,) = stream.recordings
    assert recording.startswith(str(media.recordings_dir)) and recording.endswith(".flv")
    assert key not in recording


def test_rotating_the_key_while_live_drops_the_publisher(media, publisher):
    channel, key = make_channel()
    encoder = publisher(key)
    stream = wait_for(live_stream, timeout=10)

    channel_services.stream_key_rotate(channel=channel)

    encoder.wait(timeout=10)  # dropped through /_rtmp/control: ffmpeg stops long before its 60 s
    stream.refresh_from_db()
    assert (stream.status, stream.end_reason) == (StreamStatus.ENDED, EndReason.KEY_ROTATED)


def test_publish_runs_the_ladder_command_with_the_slug_not_the_key(media, publisher):
    channel, key = make_channel()
    publisher(key)

    wait_for(lambda: media.exec_log.exists(), timeout=10)

    assert media.exec_log.read_text().split()[-2:] == ["ladder", channel.slug]
    assert key not in media.exec_log.read_text()


def relay_clients(media) -> list[str]:
    """Client ids of the ingest app's push relay to the internal (HLS) application."""
    stat = media.get("/_rtmp/stat")[1].decode()
    return re.findall(r"<client><id>(\d+)</id><address>[^<]*/internal</address>", stat)


# nginx-rtmp sends on_update (call=update_play) for the local relay too: answering it 403 would
# drop the relay every INGEST_UPDATE_SECONDS and cut HLS for ~3 s each time.
@pytest.mark.parametrize("media", [2], indirect=True)
def test_the_hls_relay_survives_the_update_callbacks(media, publisher):
    _, key = make_channel()
    publisher(key)
    first = wait_for(lambda: relay_clients(media), timeout=10)

    time.sleep(5)  # two update periods

    assert relay_clients(media) == first
