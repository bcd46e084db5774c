"""Clip render time per 30 s: the frame-exact re-encode (and poster) of vods/clips/render.py,
from a VOD's HLS playlist and from an FLV recording, at 720p30 and 1080p30.

    .venv/bin/python bench/clips/clip_bench.py [--runs 3]

No database: it times render.render() on sources made here with ffmpeg's test pattern.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from vods.clips import render


def make_source(folder: Path, size: str, kind: str, seconds: int = 90) -> str:
    """A stream-like source: x264 veryfast, keyframe every 2 s, AAC, as HLS (4 s segments) or FLV."""
    common = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30"]
    common += ["-f", "lavfi", "-i", "sine=frequency=440", "-t", str(seconds), "-c:v", "libx264"]
    common += ["-preset", "ultrafast", "-g", "60", "-b:v", "4M", "-pix_fmt", "yuv420p", "-c:a", "aac"]
    if kind == "hls":
        out = folder / "index.m3u8"
        command = [*common, "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", str(out)]
    else:
        out = folder / "src-1764489600.flv"
        command = [*common, "-f", "flv", str(out)]
    subprocess.run(command, check=True)
    return str(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1280x720,1920x1080")
    parser.add_argument("--kinds", default="hls,flv")
    parser.add_argument("--lengths", default="10,30,60")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| source | resolution | clip | wall (median) | min - max | ffmpeg CPU (median) | length error |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        for kind in args.kinds.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                source = make_source(Path(tmp), size, kind)
                for length in [float(x) for x in args.lengths.split(",")]:
                    times, errors, cpu = [], [], []
                    for run in range(args.runs):
                        with render.workdir() as work:
                            before = resource.getrusage(resource.RUSAGE_CHILDREN)
                            began = time.perf_counter()
                            result = render.render(
                                source, start=17.37 + run, duration=length, workdir=Path(work)
                            )
                            times.append(time.perf_counter() - began)
                            after = resource.getrusage(resource.RUSAGE_CHILDREN)
                            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                            errors.append(abs(result.duration - length))
                    median = statistics.median(times)
                    spread = f"{min(times):.2f} - {max(times):.2f} s"
                    print(
                        f"| {kind} | {size} | {length:.0f} s | {median:.2f} s | {spread}"
                        f" | {statistics.median(cpu):.1f} s | <= {max(errors):.3f} s |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
