"""Streaming benchmark: encoder → nginx-rtmp → HLS → hls.js in Chromium, and the media server's CPU.

Runs against a running instance (`DEMO_STREAM=0 make run` in another terminal), from the
project root:  .venv/bin/python bench/streaming/bench.py [--runs 3] [--cpu-seconds 30]

Measures, per run, from the moment ffmpeg starts pushing a 720p30 test pattern:
  * playlist:  the first 200 on /hls/<slug>/index.m3u8 through the front door;
  * playing:   a Chromium page already open with hls.js (retrying until the playlist exists)
               reports `playing` and currentTime advancing;
  * latency:   hls.js's `hls.latency` (seconds behind the live edge) after 10 s of playback;
  * embed:     the embed page /embed/<slug>/ opened once the stream is live, until playing.
Then CPU of nginx (+ the ladder's ffmpeg) over --cpu-seconds with one live stream, without and
with the channel's adaptive ladder (read from /proc; the encoder's own CPU is reported apart).
It uses the instance's database (same settings) to create a `benchcast` channel and rotate its key.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aethex.settings")
# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from accounts.models import User  # noqa: E402
from aethex.lib.chromium import CHROMIUM_PATH, LAUNCH_ARGS  # noqa: E402
from channels_app import services as channel_services  # noqa: E402
from channels_app.models import Channel  # noqa: E402
from streams.management.commands.demo_stream import test_pattern_command  # noqa: E402
from streams.mediaconfig import INGEST_APP, local_rtmp_url  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SLUG = "benchcast"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = """<!DOCTYPE html><html><body><video id="player" muted autoplay playsinline></video>
<script src="/static/vendor/hls/hls.min.js"></script>
<script>
  window.bench = {playing: null};
  const video = document.getElementById("player");
  const config = {lowLatencyMode: true, liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 5,
                  maxLiveSyncPlaybackRate: 1.5, backBufferLength: 6, startFragPrefetch: true};
  function start() {
    const hls = new Hls(config);
    window.hls = hls;
    hls.on(Hls.Events.ERROR, (event, data) => {
      if (data.fatal) { hls.destroy(); setTimeout(start, 250); }  // no playlist yet: retry
    });
    hls.loadSource("/hls/%s/index.m3u8");
    hls.attachMedia(video);
  }
  video.addEventListener("timeupdate", () => {
    if (window.bench.playing === null && video.currentTime > 0) window.bench.playing = performance.now();
  });
  start();
</script></body></html>"""


def bench_channel() -> Channel:
    channel = Channel.objects.filter(slug=SLUG).first()
    if channel is None:
        owner, _ = User.objects.get_or_create(username="benchcaster", defaults={"email": "bench@example.com"})
        channel, _key = channel_services.channel_create(owner=owner, slug=SLUG, title="Benchmark")
    return channel


def set_ladder(channel: Channel, on: bool) -> None:
    channel_services.channel_update(channel=channel, abr_enabled=on)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def wait(predicate: Callable[[], object], timeout: float, interval: float = 0.05) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(interval)
    return None


def publish(key: str) -> subprocess.Popen[bytes]:
    command = test_pattern_command(local_rtmp_url(INGEST_APP, key))
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_offline(base: str) -> None:
    # hls_cleanup removes the playlist a few seconds after the publisher leaves.
    wait(lambda: status(f"{base}/hls/{SLUG}/index.m3u8") == 404, timeout=20, interval=0.5)


def run_once(base: str, browser: Browser) -> dict[str, float]:
    channel = bench_channel()
    key = channel_services.stream_key_rotate(channel=channel)
    page = browser.new_page()
    page.route(f"{base}/__bench__", lambda route: route.fulfill(body=PAGE % SLUG, content_type="text/html"))
    page.goto(f"{base}/__bench__")
    origin = page.evaluate("performance.now()")
    started = time.monotonic()
    encoder = publish(key)
    result: dict[str, float] = {}
    try:
        playlist_at = wait(lambda: status(f"{base}/hls/{SLUG}/index.m3u8") == 200, timeout=20)
        result["playlist"] = (playlist_at or float("nan")) - started
        page.wait_for_function("window.bench.playing !== null", timeout=20_000)
        # The page's clock, read just before ffmpeg started.
        result["playing"] = (page.evaluate("window.bench.playing") - origin) / 1000
        time.sleep(10)
        result["latency"] = float(page.evaluate("window.hls.latency"))
        embed = browser.new_page()
        opened = time.monotonic()
        embed.goto(f"{base}/embed/{SLUG}/")
        embed.wait_for_function("document.querySelector('#player').currentTime > 0", timeout=20_000)
        result["embed"] = time.monotonic() - opened
        embed.close()
    finally:
        page.close()
        stop(encoder)
    return result


def pids_of(match: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if match in cmdline:
                found.append(int(entry.name))
    return found


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def cpu_share(groups: dict[str, list[int]], seconds: float) -> dict[str, float]:
    before = {name: cpu_ticks(pids) for name, pids in groups.items()}
    time.sleep(seconds)
    return {name: (cpu_ticks(pids) - before[name]) / CLK_TCK / seconds * 100 for name, pids in groups.items()}


def measure_cpu(base: str, ladder: bool, seconds: float) -> dict[str, float]:
    channel = bench_channel()
    set_ladder(channel, ladder)
    key = channel_services.stream_key_rotate(channel=channel)
    encoder = publish(key)
    try:
        wait(lambda: status(f"{base}/hls/{SLUG}/index.m3u8") == 200, timeout=20)
        if ladder:
            wait(lambda: b"STREAM-INF" in urllib.request.urlopen(f"{base}/hls/{SLUG}/index.m3u8").read(), 30)
        time.sleep(3)
        nginx = pids_of("nginx: worker process") + pids_of("nginx: master process")
        transcoder = pids_of(f"/ladder/{SLUG}_src")
        shares = cpu_share({"nginx": nginx, "ladder ffmpeg": transcoder, "encoder": [encoder.pid]}, seconds)
    finally:
        stop(encoder)
        set_ladder(channel, False)
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default=f"http://127.0.0.1:{os.environ.get('HTTP_PORT', '8000')}")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu-seconds", type=float, default=30)
    args = parser.parse_args()
    if status(f"{args.base}/healthz") != 200:
        sys.exit(f"{args.base}/healthz does not answer: start the platform first (DEMO_STREAM=0 make run).")
    print(
        f"front door {args.base}, RTMP port {settings.RTMP_PORT}, "
        f"fragment {settings.HLS_FRAGMENT_SECONDS} s, playlist {settings.HLS_PLAYLIST_SECONDS} s, "
        f"{os.cpu_count()} cores"
    )
    set_ladder(bench_channel(), False)

    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=LAUNCH_ARGS)
        for n in range(args.runs):
            wait_offline(args.base)
            result = run_once(args.base, browser)
            runs.append(result)
            print(f"run {n + 1}: " + "  ".join(f"{name} {value:.2f} s" for name, value in result.items()))
        browser.close()
    for name in ("playlist", "playing", "latency", "embed"):
        values = [r[name] for r in runs if name in r]
        if values:
            median, low, high = statistics.median(values), min(values), max(values)
            print(f"{name:>8}: median {median:.2f} s  (min {low:.2f}, max {high:.2f})")

    for ladder in (False, True):
        wait_offline(args.base)
        shares = measure_cpu(args.base, ladder, args.cpu_seconds)
        label = "with ladder   " if ladder else "without ladder"
        server = shares["nginx"] + shares["ladder ffmpeg"]
        print(
            f"CPU {label}: server {server:.1f} % of one core (nginx {shares['nginx']:.1f} %, "
            f"ladder ffmpeg {shares['ladder ffmpeg']:.1f} %); encoder {shares['encoder']:.1f} %"
        )


if __name__ == "__main__":
    main()
