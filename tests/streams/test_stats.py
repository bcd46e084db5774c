"""Stream health: parsing nginx-rtmp's /stat (a sample recorded from a real stream) and the poll task."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams import stats, tasks
from streams.models import HealthSample
from tests.streams.conftest import wait_for
from tests.streams.helpers import make_channel

SAMPLE = Path(__file__).parent / "data" / "rtmp_stat.xml"  # 720p30 test pattern + the ladder running


def test_parse_stat_reads_every_stream_of_every_application():
    parsed = stats.parse_stat(SAMPLE.read_bytes())

    assert {(s.app, s.name) for s in parsed} >= {
        ("live", "nova"),
        ("internal", "nova"),
        ("ladder", "nova_360"),
    }


def test_parse_stat_reads_bitrates_metadata_and_the_publisher():
    nova = stats.published(stats.parse_stat(SAMPLE.read_bytes()))["nova"]

    assert (nova.bw_in, nova.bw_video, nova.bw_audio) == (952296, 886184, 66104)
    assert (nova.width, nova.height, nova.frame_rate) == (1280, 720, 30.0)
    assert (nova.video_codec, nova.audio_codec) == ("H264", "AAC")
    assert nova.publisher_id == "4" and nova.dropped == 0
    assert nova.clients == 3  # the publisher, the relay to the internal app, the ladder's transcoder


def test_published_keeps_only_ingest_streams_with_a_publisher():
    xml = b"""<rtmp><server>
      <application><name>live</name><live>
        <stream><name>idle</name><client><id>7</id></client></stream>
        <stream><name>on</name><time>4000</time><bytes_in>500000</bytes_in>
          <client><id>8</id><dropped>12</dropped><publishing/></client></stream>
      </live></application>
      <application><name>internal</name><live>
        <stream><name>on</name><client><id>9</id><publishing/></client></stream>
      </live></application>
    </server></rtmp>"""

    found = stats.published(stats.parse_stat(xml))

    assert list(found) == ["on"]
    assert found["on"].dropped == 12
    assert found["on"].bitrate_in == 1_000_000  # bw_in not measured yet: bytes so far over time
    assert found["on"].width is None and found["on"].video_codec == ""


def test_health_fields_fit_a_health_sample():
    nova = stats.published(stats.parse_stat(SAMPLE.read_bytes()))["nova"]

    fields = stats.health_fields(nova, fps_measured=29.97)

    assert fields == {
        "bitrate_in": 952296,
        "bitrate_video": 886184,
        "bitrate_audio": 66104,
        "fps_declared": 30.0,
        "fps_measured": 29.97,
        "width": 1280,
        "height": 720,
        "video_codec": "H264",
        "audio_codec": "AAC",
        "dropped_frames": 0,
    }


def test_newest_segment_is_the_last_listed_one(tmp_path):
    playlist = tmp_path / "index.m3u8"
    playlist.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-TARGETDURATION:1\n"
        "#EXTINF:1.000,\n3.ts\n#EXTINF:1.033,\n4.ts\n"
    )

    assert stats.newest_segment(playlist) == (tmp_path / "4.ts", 1.033)
    assert stats.newest_segment(tmp_path / "missing.m3u8") is None


@pytest.mark.django_db
def test_poll_without_nginx_records_nothing(settings):
    settings.RTMP_STAT_URL = "http://127.0.0.1:9/_rtmp/stat"  # nothing listens on the discard port

    assert tasks.poll_stream_health() == 0
    assert not HealthSample.objects.exists()


@pytest.mark.media
def test_poll_stores_a_health_sample_per_live_stream(media, publisher):
    channel, key = make_channel()
    publisher(key, size="640x360", rate=25)
    wait_for(lambda: media.get(f"/hls/{channel.slug}/index.m3u8")[0] == 200, timeout=10)
    wait_for(lambda: len(stats.newest_segment(media.hls_dir / channel.slug / "index.m3u8") or ()) == 2)

    assert tasks.poll_stream_health() == 1

    sample = HealthSample.objects.get()
    assert sample.stream.channel == channel
    assert (sample.width, sample.height, sample.fps_declared) == (640, 360, 25.0)
    assert (sample.video_codec, sample.audio_codec) == ("H264", "AAC")
    assert sample.bitrate_in > 100_000
    assert sample.fps_measured == pytest.approx(25, abs=3)
