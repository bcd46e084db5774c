"""Chromium plays a live stream: ffmpeg → nginx-rtmp → HLS → hls.js in the embeddable player."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.streams.conftest import media, publisher, wait_for  # noqa: F401 - fixtures used below
from tests.streams.helpers import make_channel

pytestmark = [pytest.mark.browser, pytest.mark.media]

# Used only if the embed page is missing: hls.js on a bare page, the same library and playlist.
BARE_PLAYER = """<!DOCTYPE html><html><body>
<video id="player" muted autoplay playsinline></video>
<script src="/static/vendor/hls/hls.min.js"></script>
<script>
  const hls = new Hls({lowLatencyMode: true, liveSyncDurationCount: 2});
  hls.loadSource("/hls/%s/index.m3u8");
  hls.attachMedia(document.getElementById("player"));
  window.hls = hls;
</script></body></html>"""


def link_static(root: Path) -> None:
    """What collectstatic would put in the front door's /static/, as symlinks (fast, and always current)."""
    for entry in settings.STATICFILES_DIRS:
        prefix, source = entry if isinstance(entry, tuple) else ("", entry)
        target = root / prefix if prefix else root
        target.mkdir(parents=True, exist_ok=True)
        if prefix:
            target.rmdir()
            target.symlink_to(Path(source))
            continue
        for child in Path(source).iterdir():
            (target / child.name).symlink_to(child)


def current_time(page) -> float:
    return float(page.evaluate("document.querySelector('#player').currentTime"))


def test_chromium_plays_the_live_stream_in_the_embed_player(media, publisher, page):  # noqa: F811
    static_root = media.prefix.parent / "static"
    link_static(static_root)
    channel, key = make_channel(slug="nova")
    publisher(key, size="640x360", rate=25)
    wait_for(lambda: media.get(f"/hls/{channel.slug}/index.m3u8")[0] == 200, timeout=10)

    if media.get(f"/embed/{channel.slug}/")[0] == 200:
        page.goto(f"{media.base}/embed/{channel.slug}/")
    else:
        (static_root / "_bare_player.html").write_text(BARE_PLAYER % channel.slug)
        page.goto(f"{media.base}/static/_bare_player.html")

    wait_for(lambda: current_time(page) > 0.5, timeout=15)
    first = current_time(page)
    time.sleep(2)
    assert current_time(page) > first + 1  # playing in real time, not stalled
    assert page.evaluate("document.querySelector('#player').paused") is False
