"""Small typed wrappers around ffprobe/ffmpeg for archival: probe, HLS remux, poster, strip.

Everything is a stream copy except the two pictures: an hour of recording remuxes in seconds
(bench/vods/README.md). Failures raise `MediaError` with the tail of ffmpeg's stderr, which is
what the creator reads on a failed VOD; `transient` tells the task whether a retry may help.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

PLAYLIST = "index.m3u8"
POSTER = "poster.jpg"
STRIP = "strip.jpg"
HLS_SEGMENT_SECONDS = 4
POSTER_WIDTH = 1280
STRIP_TILE_WIDTH = 160
STRIP_COLUMNS = 10
# A tile every STRIP_MIN_INTERVAL seconds, unless the VOD is long: then one every duration/MAX
# so the sprite stays under ~STRIP_MAX_TILES tiles (160x90 each: 10 x 20 rows = 1600x1800 px).
STRIP_MIN_INTERVAL = 10.0
STRIP_MAX_TILES = 200

ProgressCallback = Callable[[float], None]


class MediaError(Exception):
    """ffmpeg could not do it. `transient=False`: the input is bad, a retry changes nothing."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


@dataclass(frozen=True)
class Probe:
    duration: float
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codec: str | None


@dataclass(frozen=True)
class Strip:
    interval: float
    columns: int
    rows: int
    tile_width: int
    tile_height: int


def binary(name: str) -> str:
    """The executable's path; a transient error where it is missing (another worker may have it)."""
    found = shutil.which(name)
    if found is None:
        raise MediaError(f"{name} is not installed on this worker.", transient=True)
    return found


def _tail(stderr: bytes | str, lines: int = 3) -> str:
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(kept[-lines:]) or "no message"


def run(command: Sequence[str], *, timeout: float, what: str) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg/ffprobe; `what` starts the error's sentence ("Cutting the clip failed: ...")."""
    try:
        result = subprocess.run(list(command), capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as exc:
        raise MediaError(f"{what} took longer than {timeout:.0f} s.", transient=True) from exc
    except OSError as exc:
        raise MediaError(f"{what} could not start: {exc}", transient=True) from exc
    if result.returncode != 0:
        raise MediaError(f"{what} failed: {_tail(result.stderr)}")
    return result


def probe(path: Path | str, *, timeout: float = 60) -> Probe:
    """Duration (container, else longest stream), first video size and codecs, via ffprobe JSON."""
    command = [
        *(binary("ffprobe"), "-hide_banner", "-v", "error", "-print_format", "json"),
        *("-show_format", "-show_streams", str(path)),
    ]
    result = run(command, timeout=timeout, what="Reading the recording")
    try:
        data = json.loads(result.stdout or b"{}")
    except json.JSONDecodeError as exc:
        raise MediaError("Reading the recording gave no usable answer.") from exc
    streams = data.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    durations = [_float(s.get("duration")) for s in streams]
    duration = max([_float(data.get("format", {}).get("duration")), *durations])
    if video is None or duration <= 0:
        raise MediaError("The recording has no video (it is empty or damaged).")
    return Probe(
        duration=duration,
        width=video.get("width"),
        height=video.get("height"),
        video_codec=video.get("codec_name"),
        audio_codec=audio.get("codec_name") if audio else None,
    )


def _float(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def concat_list(inputs: Sequence[Path], workdir: Path) -> Path:
    """The concat demuxer's list: several recordings of one session play as one, still a copy."""
    listing = workdir / "inputs.txt"
    lines = ["ffconcat version 1.0"]
    for item in inputs:
        quoted = str(Path(item).resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
    listing.write_text("\n".join(lines) + "\n")
    return listing


def remux_hls(
    inputs: Sequence[Path],
    outdir: Path,
    *,
    total: float,
    on_progress: ProgressCallback | None = None,
    timeout: float = 3600,
) -> Path:
    """Remux the recordings (in order) into a VOD HLS playlist with its segments; codec copy."""
    if not inputs:
        raise MediaError("There is no recording to archive.")
    outdir.mkdir(parents=True, exist_ok=True)
    if len(inputs) == 1:
        source = ["-i", str(inputs[0])]
    else:
        source = ["-f", "concat", "-safe", "0", "-i", str(concat_list(inputs, outdir.parent))]
    command = [
        *(binary("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
        *source,
        *("-map", "0:v:0", "-map", "0:a:0?", "-c", "copy"),
        *("-f", "hls", "-hls_time", str(HLS_SEGMENT_SECONDS), "-hls_playlist_type", "vod"),
        *("-hls_segment_filename", str(outdir / "seg%05d.ts")),
        *("-progress", "pipe:1", "-nostats"),
        str(outdir / PLAYLIST),
    ]
    _run_with_progress(command, total=total, on_progress=on_progress, timeout=timeout)
    playlist = outdir / PLAYLIST
    if not playlist.exists() or not list(outdir.glob("*.ts")):
        raise MediaError("The remux wrote no playlist or segments.")
    return playlist


def _run_with_progress(
    command: list[str], *, total: float, on_progress: ProgressCallback | None, timeout: float
) -> None:
    """Run ffmpeg reading `-progress pipe:1` (key=value lines): out_time_us / total is the fraction."""
    try:
        process = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise MediaError(f"The remux could not start: {exc}", transient=True) from exc
    assert process.stdout is not None and process.stderr is not None
    # stderr is drained in a thread so a chatty ffmpeg never blocks on a full pipe.
    errors: list[bytes] = []
    stderr = process.stderr
    reader = threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)
    reader.start()
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        for raw in process.stdout:
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and on_progress and total > 0:
                fraction = _float(value) / 1_000_000 / total
                on_progress(min(max(fraction, 0.0), 1.0))
        returncode = process.wait()
    finally:
        timer.cancel()
        reader.join(timeout=5)
    if returncode < 0:
        raise MediaError(f"The remux was stopped after {timeout:.0f} s.", transient=True)
    if returncode != 0:
        raise MediaError(f"The remux failed: {_tail(b''.join(errors))}")


def poster(source: Path, out: Path, *, at: float, timeout: float = 60) -> Path:
    """One JPEG frame at `at` seconds (input seeking: fast on long files)."""
    command = [
        *(binary("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
        *("-ss", f"{max(at, 0.0):.3f}", "-i", str(source), "-frames:v", "1"),
        *("-vf", f"scale='min({POSTER_WIDTH},iw)':-2", "-q:v", "3", str(out)),
    ]
    run(command, timeout=timeout, what="Making the poster")
    if not out.exists():
        raise MediaError("Making the poster wrote no picture.")
    return out


def strip_layout(duration: float, *, width: int | None, height: int | None) -> Strip:
    """How many tiles, how far apart: bounded however long the VOD (see STRIP_MAX_TILES)."""
    interval = max(STRIP_MIN_INTERVAL, math.ceil(duration / STRIP_MAX_TILES))
    tiles = max(1, math.ceil(duration / interval))
    columns = min(STRIP_COLUMNS, tiles)
    rows = math.ceil(tiles / columns)
    ratio = (height / width) if width and height else 9 / 16
    tile_height = int(round(STRIP_TILE_WIDTH * ratio / 2) * 2)  # even, as scale=160:-2 gives
    return Strip(interval, columns, rows, STRIP_TILE_WIDTH, tile_height)


def strip(source: Path, out: Path, layout: Strip, *, timeout: float = 1800) -> Path:
    """The scrubbing sprite: a tile every `layout.interval` s, `columns` per row, one JPEG."""
    # `select` (the first frame, then the first one `interval` s after the last pick) rather than
    # `fps=1/N`: fps rounds to the nearest tick, so a 5 s VOD with N=10 got no tile at all.
    pick = f"select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{layout.interval:g})'"
    filters = f"{pick},scale={layout.tile_width}:{layout.tile_height},tile={layout.columns}x{layout.rows}"
    # Only keyframes are decoded (-skip_frame nokey): a tile is the nearest keyframe, ~10x faster.
    command = [
        *(binary("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
        *("-skip_frame", "nokey", "-i", str(source), "-an", "-vf", filters),
        *("-fps_mode", "vfr", "-frames:v", "1", "-q:v", "5", str(out)),
    ]
    run(command, timeout=timeout, what="Making the scrubbing strip")
    if not out.exists():
        raise MediaError("Making the scrubbing strip wrote no picture.")
    return out
