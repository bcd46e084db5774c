"""Stream health from nginx-rtmp's /stat XML (and ffprobe for the real frame rate).

nginx-rtmp reports, per stream: bandwidth in (bit/s, refreshed every 10 s), the encoder's
declared metadata (size, frame rate, codecs) and, per client, dropped frames. It cannot tell
the real frame rate: counting frames in the newest complete HLS segment does.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from streams import selectors, services
from streams.mediaconfig import INGEST_APP

logger = logging.getLogger(__name__)
_EXTINF = re.compile(r"#EXTINF:([0-9.]+),?\s*\n([^#\s][^\n]*)")


class StatUnavailable(Exception):
    """nginx-rtmp's /stat did not answer (nginx down, or not the media front door)."""


@dataclass(frozen=True)
class StreamStat:
    app: str
    name: str
    age_ms: int = 0
    bytes_in: int = 0
    bw_in: int = 0
    bw_video: int = 0
    bw_audio: int = 0
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    video_codec: str = ""
    audio_codec: str = ""
    publisher_id: str = ""
    dropped: int = 0
    clients: int = 0

    @property
    def bitrate_in(self) -> int:
        """bit/s; nginx-rtmp measures bw_in every 10 s, so a younger stream gets its average so far."""
        if self.bw_in or self.age_ms < 1000:
            return self.bw_in
        return self.bytes_in * 8 * 1000 // self.age_ms


def _int(node: ET.Element | None, path: str) -> int:
    text = node.findtext(path) if node is not None else None
    try:
        return int(float(text)) if text else 0
    except ValueError:
        return 0


def _float(node: ET.Element | None, path: str) -> float | None:
    text = node.findtext(path) if node is not None else None
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _stream(app: str, node: ET.Element) -> StreamStat:
    meta = node.find("meta")
    video = meta.find("video") if meta is not None else None
    audio = meta.find("audio") if meta is not None else None
    clients = node.findall("client")
    publisher = next((c for c in clients if c.find("publishing") is not None), None)
    return StreamStat(
        app=app,
        name=node.findtext("name", ""),
        age_ms=_int(node, "time"),
        bytes_in=_int(node, "bytes_in"),
        bw_in=_int(node, "bw_in"),
        bw_video=_int(node, "bw_video"),
        bw_audio=_int(node, "bw_audio"),
        width=_int(video, "width") or None,
        height=_int(video, "height") or None,
        frame_rate=_float(video, "frame_rate") or None,
        video_codec=(video.findtext("codec", "") if video is not None else "")[:20],
        audio_codec=(audio.findtext("codec", "") if audio is not None else "")[:20],
        publisher_id=publisher.findtext("id", "") if publisher is not None else "",
        dropped=_int(publisher, "dropped"),
        clients=len(clients),
    )


def parse_stat(xml: bytes) -> list[StreamStat]:
    """Every stream of every application in an rtmp_stat document."""
    root = ET.fromstring(xml)  # noqa: S314 - our own nginx's /stat, reachable from localhost only
    return [
        _stream(app.findtext("name", ""), stream)
        for app in root.iter("application")
        for stream in app.iterfind("live/stream")
    ]


def fetch_stat(url: str | None = None, timeout: float = 3.0) -> bytes:
    url = url or settings.RTMP_STAT_URL
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - configured URL
            return bytes(response.read())
    except (urllib.error.URLError, OSError) as exc:
        raise StatUnavailable(f"{url}: {exc}") from exc


def published(stats: list[StreamStat]) -> dict[str, StreamStat]:
    """The ingest app's streams that have a publisher, by public name (the channel slug)."""
    return {s.name: s for s in stats if s.app == INGEST_APP and s.publisher_id}


def newest_segment(playlist: Path) -> tuple[Path, float] | None:
    """The last segment listed in a playlist (complete, unlike the one being written), with its duration."""
    try:
        text = playlist.read_text()
    except OSError:
        return None
    entries = _EXTINF.findall(text)
    if not entries:
        return None
    duration, name = entries[-1]
    return playlist.parent / name.strip(), float(duration)


def measure_fps(slug: str, hls_dir: Path | None = None) -> float | None:
    """Frames actually in the newest segment of the channel's source playlist, per second."""
    ffprobe = shutil.which("ffprobe")
    found = newest_segment(Path(hls_dir or settings.HLS_DIR) / slug / "index.m3u8")
    if ffprobe is None or found is None or found[1] <= 0:
        return None
    segment, duration = found
    command = [
        *(ffprobe, "-v", "error", "-select_streams", "v:0", "-count_frames"),
        *("-show_entries", "stream=nb_read_frames,duration", "-of", "json", str(segment)),
    ]
    try:
        result = subprocess.run(command, capture_output=True, timeout=10, check=True)  # noqa: S603
        video = json.loads(result.stdout)["streams"][0]
        frames = int(video["nb_read_frames"])
        # The video's own span: a playlist's first EXTINF also counts the wait for the first keyframe.
        duration = float(video.get("duration") or duration)
    except (subprocess.SubprocessError, OSError, ValueError, KeyError, IndexError):
        return None
    return round(frames / duration, 2) if duration > 0 else None


def health_fields(stat: StreamStat, *, fps_measured: float | None = None) -> dict[str, Any]:
    """A HealthSample's fields (services.stream_record_health) from one stream's stat."""
    return {
        "bitrate_in": stat.bitrate_in,
        "bitrate_video": stat.bw_video,
        "bitrate_audio": stat.bw_audio,
        "fps_declared": stat.frame_rate,
        "fps_measured": fps_measured,
        "width": stat.width,
        "height": stat.height,
        "video_codec": stat.video_codec,
        "audio_codec": stat.audio_codec,
        "dropped_frames": stat.dropped,
    }


def live_stats() -> dict[str, StreamStat]:
    return published(parse_stat(fetch_stat()))


def streams_poll_health(*, measure: bool = True) -> int:
    """Store a health sample for every live stream nginx-rtmp is receiving; returns how many."""
    try:
        by_slug = live_stats()
    except (StatUnavailable, ET.ParseError) as exc:
        logger.warning("stream health: %s", exc)
        return 0
    recorded = 0
    for stream in selectors.live_streams():
        stat = by_slug.get(stream.channel.slug)
        if stat is None:
            continue  # published on another node, or just ended: the session's hooks decide
        fps = measure_fps(stream.channel.slug) if measure else None
        services.stream_record_health(stream=stream, **health_fields(stat, fps_measured=fps))
        recorded += 1
    return recorded
