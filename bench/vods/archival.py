"""Archival benchmark: how long the archival steps take per hour of 720p30 recording.

From the project root:  .venv/bin/python bench/vods/archival.py [--minutes 10] [--runs 3] [--keep DIR]

Makes a recording as nginx-rtmp would write it (FLV, H.264 libx264 veryfast with a keyframe every
60 frames at 2.5 Mbit/s, AAC 128 kbit/s, ffmpeg's testsrc2 + sine, encoded as fast as possible,
not -re), then times the archival's steps from vods/ffmpeg.py separately, as the service runs
them: probe, remux to HLS (codec copy), probe of the playlist, poster, strip, and the copy of the
files into a storage folder (local disk). Figures are extrapolated linearly to one hour.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from vods import ffmpeg  # after the path set-up: standalone, no Django needed


def make_recording(path: Path, minutes: float) -> float:
    command = [
        *("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"),
        *("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30"),
        *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"),
        *("-t", str(minutes * 60), "-c:v", "libx264", "-preset", "veryfast", "-g", "60"),
        *("-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "5000k", "-pix_fmt", "yuv420p"),
        *("-c:a", "aac", "-b:a", "128k", "-f", "flv", str(path)),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def timed(steps: dict[str, list[float]], name: str, work: object) -> object:
    started = time.perf_counter()
    result = work()  # type: ignore[operator]
    steps.setdefault(name, []).append(time.perf_counter() - started)
    return result


def run_once(recording: Path, scratch: Path, steps: dict[str, list[float]]) -> float:
    out, stored = scratch / "out", scratch / "stored"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(stored, ignore_errors=True)
    probe = timed(steps, "probe", lambda: ffmpeg.probe(recording))
    total = probe.duration  # type: ignore[attr-defined]
    playlist = timed(steps, "remux (HLS, copy)", lambda: ffmpeg.remux_hls([recording], out, total=total))
    measured = timed(steps, "probe playlist", lambda: ffmpeg.probe(playlist))  # type: ignore[arg-type]
    duration = measured.duration  # type: ignore[attr-defined]
    timed(steps, "poster", lambda: ffmpeg.poster(playlist, out / ffmpeg.POSTER, at=10.0))  # type: ignore[arg-type]
    layout = ffmpeg.strip_layout(duration, width=1280, height=720)
    timed(steps, "strip", lambda: ffmpeg.strip(playlist, out / ffmpeg.STRIP, layout))  # type: ignore[arg-type]
    timed(steps, "store (copy to disk)", lambda: shutil.copytree(out, stored))
    return float(duration)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the test recording")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="reuse/keep the recording in this folder")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="vod-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    recording = folder / f"720p30-{args.minutes:g}min.flv"
    if not recording.exists():
        print(f"encoding {args.minutes:g} min of 720p30 (veryfast, as fast as possible) ...", flush=True)
        print(f"  took {make_recording(recording, args.minutes):.1f} s", flush=True)
    size_mb = recording.stat().st_size / 1e6
    steps: dict[str, list[float]] = {}
    duration = 0.0
    for _ in range(args.runs):
        duration = run_once(recording, folder, steps)
    hours = duration / 3600
    print(f"\nrecording: {duration:.1f} s, {size_mb:.0f} MB; {args.runs} runs (median)\n")
    print(f"| step | seconds for {duration / 60:.0f} min | per hour of recording |")
    print("|---|---|---|")
    total = 0.0
    for name, values in steps.items():
        median = statistics.median(values)
        total += median
        print(f"| {name} | {median:.2f} | {median / hours:.1f} s |")
    print(f"| **archival, all steps** | {total:.2f} | **{total / hours:.1f} s** |")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
