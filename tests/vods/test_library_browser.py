"""Chromium plays a VOD page: hls.js plays the checked playlist, the chat replay follows the
playback time (and a seek), a signed-in viewer is offered to resume. SCREENSHOT_DIR=... keeps shots."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser_helpers import shoot as _shoot
from tests.browser_helpers import sign_in as _login
from tests.factories import ChatMessageFactory
from tests.vods.factories import ViewerFactory, VODFactory, with_media
from vods.models import Visibility, WatchProgress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _say(vod, offset: float, text: str) -> None:
    ChatMessageFactory(
        channel=vod.channel,
        stream=vod.stream,
        user=ViewerFactory(),
        text=text,
        fragments=[{"type": "text", "text": text}],
        sent_at=vod.stream.started_at + timedelta(seconds=offset),
    )


STATE = """() => ({
  time: window.aethexVod ? window.aethexVod.video.currentTime : 0,
  shown: [...document.querySelectorAll('[data-replay-list] .chat-line .chat-text')].map((n) => n.textContent),
})"""


def test_chromium_plays_a_vod_and_replays_its_chat_in_sync(page, live_server, hls_source):
    vod = with_media(VODFactory(title="Replay test"), hls_source)
    _say(vod, 1.0, "hello at one second")
    _say(vod, 6.0, "hello at six seconds")
    _say(vod, 30.0, "after the end")  # never reached: the VOD is 8 s long

    page.goto(f"{live_server.url}/videos/{vod.pk}/")
    page.wait_for_function("() => window.aethexVod && window.aethexVod.video.currentTime > 1.3")
    state = page.evaluate(STATE)
    assert "hello at one second" in state["shown"]

    page.wait_for_function("() => window.aethexVod.video.currentTime >= 3")
    state = page.evaluate(STATE)
    assert state["time"] < 6 and state["shown"] == ["hello at one second"]
    _shoot(page, "vod-page")

    page.wait_for_function("() => window.aethexVod.video.currentTime > 6.3")
    assert page.evaluate(STATE)["shown"] == ["hello at one second", "hello at six seconds"]

    # A seek back clears the panel: only what was said before the new time is shown again.
    page.evaluate("() => { const v = window.aethexVod.video; v.pause(); v.currentTime = 0.4; }")
    page.wait_for_function("() => !window.aethexVod.video.seeking")
    page.wait_for_timeout(600)
    assert page.evaluate(STATE)["shown"] == []


def test_chromium_offers_to_resume_and_starts_at_the_saved_position(page, live_server, hls_source):
    vod, viewer = with_media(VODFactory(visibility=Visibility.PRIVATE), hls_source), ViewerFactory()
    vod.channel.owner_user = viewer
    vod.channel.save()
    WatchProgress.objects.create(user=viewer, vod=vod, position=5.0)
    _login(page, live_server, viewer)

    page.goto(f"{live_server.url}/videos/{vod.pk}/")
    resume = page.locator("[data-resume-continue]")
    resume.wait_for()
    assert resume.inner_text() == "Resume from 0:05"
    page.wait_for_function("() => window.aethexVod && window.aethexVod.video.currentTime >= 5")
    page.click("[data-resume-restart]")
    page.wait_for_function("() => window.aethexVod.video.currentTime < 4")
    # Pausing saves the position at once.
    page.evaluate("() => window.aethexVod.video.pause()")
    page.wait_for_function("() => window.aethexVod.video.paused")
    page.wait_for_timeout(800)
    assert WatchProgress.objects.get(user=viewer, vod=vod).position < 4.5


def test_chromium_shows_the_videos_page(page, live_server, hls_source):
    vod = with_media(VODFactory(title="Grid card", duration=3725), hls_source)
    page.goto(f"{live_server.url}/{vod.channel.slug}/videos/")
    card = page.locator(".vod-card").first
    card.wait_for()
    assert "Grid card" in card.inner_text() and "1:02:05" in card.inner_text()
    assert page.evaluate("() => document.querySelector('.vod-card img').naturalWidth") == 320
    _shoot(page, "videos-page")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/videos/{vod.pk}/")
    page.locator("[data-replay-status]").wait_for()  # an empty replay says what it will show
    _shoot(page, "vod-page-phone")


def test_chromium_scrubbing_strip_previews_the_tile_under_the_pointer_and_seeks(
    page, live_server, hls_source
):
    vod = with_media(VODFactory(), hls_source)
    page.goto(f"{live_server.url}/videos/{vod.pk}/")
    page.wait_for_function("() => window.aethexVod && window.aethexVod.video.duration > 7")
    bar = page.locator("[data-scrubber]")
    box = bar.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)  # 6.4 s: tile 3
    preview = page.locator("[data-scrub-preview]")
    preview.wait_for()
    position = preview.evaluate("(node) => node.style.backgroundPosition")
    assert position == "-480px 0px" and page.locator("[data-scrub-time]").inner_text() == "0:06"
    assert "strip.jpg" in preview.evaluate("(node) => node.style.backgroundImage")
    _shoot(page, "vod-page-scrubbing")
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    page.wait_for_function("() => Math.abs(window.aethexVod.video.currentTime - 2) < 1")
