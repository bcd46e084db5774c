"""ffmpeg work for clips: find the source, cut it frame-exact, probe the result.

No Django models here (the task passes paths and numbers), so the bench can time it alone.
Frame-exact means re-encoding: a stream-copy cut snaps to the previous keyframe (STACK.md).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import Storage

from vods import ffmpeg

MAX_HEIGHT = 1080
FFMPEG_TIMEOUT = 300  # a 60 s 1080p clip re-encodes in ~20 s on 2 cores; 5 min means it is stuck
_FLV_TAG_TYPES = {8, 9, 18}  # audio, video, script data
_RECORDING_RE = re.compile(r"^(?P<name>.+)-(?P<time>\d{9,11})\.flv$")


class RenderError(Exception):
    """ffmpeg could not make the clip; `permanent` errors will not get better on a retry."""

    def __init__(self, reason: str, *, permanent: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Rendered:
    video: Path
    poster: Path
    duration: float
    width: int
    height: int


def _binary(name: str) -> str:
    try:
        return ffmpeg.binary(name)
    except ffmpeg.MediaError as exc:
        raise RenderError(exc.reason, permanent=not exc.transient) from exc


# --- Live recordings (nginx-rtmp FLV files) ----------------------------------------------------


def recording_files(directory: Path, name: str) -> list[tuple[int, Path]]:
    """nginx-rtmp's `record_unique` files of one stream name, `<name>-<unix time>.flv`, oldest first."""
    found = []
    if not directory.is_dir():
        return []
    for path in directory.iterdir():
        match = _RECORDING_RE.match(path.name)
        if match and match["name"] == name and path.is_file():
            found.append((int(match["time"]), path))
    return sorted(found)


def recording_for(directory: Path, name: str, *, started: float, until: float) -> Path | None:
    """The newest recording of `name` begun within a live session [started, until] (unix seconds).

    A minute of slack before `started`: nginx-rtmp opens the file before our publish hook commits.
    """
    candidates = [path for begun, path in recording_files(directory, name) if started - 60 <= begun <= until]
    return candidates[-1] if candidates else None


def flv_recorded_seconds(path: Path, *, window: int = 4 * 1024 * 1024) -> float:
    """How far a (possibly still growing) FLV recording reaches, from its last complete tag.

    O(1) in the file's length: reads only the tail. Each FLV tag is followed by its own size, so
    the last complete tag is found by walking back from the end past a half-written one.
    nginx-rtmp writes timestamps from 0 at the start of the recording.
    """
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        begin = max(0, size - window)
        file.seek(begin)
        tail = file.read(size - begin)
    for end in range(len(tail), 15, -1):
        (tag_size,) = struct.unpack(">I", tail[end - 4 : end])
        start = end - 4 - tag_size
        if tag_size < 11 or start < 0:
            continue
        header = tail[start : start + 11]
        data_size = int.from_bytes(header[1:4], "big")
        if header[0] & 0x1F in _FLV_TAG_TYPES and data_size + 11 == tag_size:
            millis = int.from_bytes(header[4:7], "big") | (header[7] << 24)
            return millis / 1000.0
    return 0.0


# --- VOD sources (an HLS playlist in the default storage) --------------------------------------


def _playlist_segments(text: str) -> list[tuple[float, str]]:
    segments: list[tuple[float, str]] = []
    length = 0.0
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            length = float(line[len("#EXTINF:") :].split(",")[0])
        elif line and not line.startswith("#"):
            segments.append((length, line))
    return segments


def vod_source(
    storage: Storage, prefix: str, *, start: float, duration: float, workdir: Path
) -> tuple[str, float]:
    """A local input for ffmpeg covering [start, start + duration) of the VOD, and the start in it.

    Local storage: the playlist itself. Remote storage (S3): only the segments that overlap the
    range are fetched into `workdir`, with a playlist of just those (the start shifts with it).
    """
    playlist = f"{prefix.rstrip('/')}/index.m3u8"
    if not storage.exists(playlist):
        raise RenderError("The video's files are missing.")
    try:
        return storage.path(playlist), start
    except NotImplementedError:
        pass
    with storage.open(playlist) as file:
        segments = _playlist_segments(file.read().decode())
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-PLAYLIST-TYPE:VOD"]
    position, first_begin = 0.0, None
    for length, name in segments:
        if position + length > start and position < start + duration:
            first_begin = position if first_begin is None else first_begin
            local = workdir / Path(name).name
            with storage.open(f"{prefix.rstrip('/')}/{name}") as remote, local.open("wb") as out:
                shutil.copyfileobj(remote, out)
            lines += [f"#EXTINF:{length:.6f},", local.name]
        position += length
    if first_begin is None:
        raise RenderError("The range is outside the video.")
    # ffmpeg's HLS demuxer refuses a playlist without a target duration.
    target = max(math.ceil(length) for length, _ in segments)
    lines.insert(2, f"#EXT-X-TARGETDURATION:{target}")
    (workdir / "source.m3u8").write_text("\n".join([*lines, "#EXT-X-ENDLIST", ""]))
    return str(workdir / "source.m3u8"), start - first_begin


# --- Cutting ------------------------------------------------------------------------------------


def probe(path: Path) -> tuple[float, int, int]:
    """(duration, width, height) of a rendered file, by ffprobe."""
    try:
        found = ffmpeg.probe(path)
    except ffmpeg.MediaError as exc:
        raise RenderError(
            f"ffprobe could not read the clip: {exc.reason}", permanent=exc.transient is False
        ) from exc
    return found.duration, found.width or 0, found.height or 0


def cut_command(source: str, start: float, duration: float, output: Path) -> list[str]:
    """Input seek (`-ss` before `-i`) is frame-accurate when re-encoding: ffmpeg decodes from the
    keyframe before `start` and drops frames until it; `-t` then ends at the exact frame."""
    return [
        *(_binary("ffmpeg"), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"),
        *("-ss", f"{start:.3f}", "-i", source, "-t", f"{duration:.3f}"),
        *("-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn"),
        *("-vf", f"scale=-2:'min({MAX_HEIGHT},ih)':flags=bicubic", "-pix_fmt", "yuv420p"),
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-profile:v", "high"),
        *("-c:a", "aac", "-b:a", "128k", "-ac", "2"),
        *("-movflags", "+faststart", str(output)),
    ]


def poster_command(video: Path, duration: float, output: Path) -> list[str]:
    at = min(1.0, duration / 2)
    return [
        *(_binary("ffmpeg"), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"),
        *("-ss", f"{at:.3f}", "-i", str(video), "-frames:v", "1", "-q:v", "3", str(output)),
    ]


def _run(command: list[str], what: str) -> None:
    try:
        ffmpeg.run(command, timeout=FFMPEG_TIMEOUT, what=what)
    except ffmpeg.MediaError as exc:
        raise RenderError(exc.reason, permanent=not exc.transient) from exc


def render(source: str, *, start: float, duration: float, workdir: Path) -> Rendered:
    """Cut [start, start + duration) of `source` to workdir/clip.mp4 and a poster.jpg."""
    video, poster = workdir / "clip.mp4", workdir / "poster.jpg"
    _run(cut_command(source, start, duration, video), "Cutting the clip")
    rendered, width, height = probe(video)
    if rendered <= 0 or not width:
        raise RenderError("The source has no video in that range.")
    _run(poster_command(video, rendered, poster), "Taking the poster frame")
    return Rendered(video=video, poster=poster, duration=rendered, width=width, height=height)


def workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="aethex-clip-")
