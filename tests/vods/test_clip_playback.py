"""Chromium plays a clip rendered for real, its embed and the trim editor's VOD preview
(hls.js), with screenshots (set SCREENSHOT_DIR to keep them)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from tests.vods.clip_factories import make_vod, verified_user
from tests.vods.test_clip_browser import _login, _shoot
from vods.clips import services
from vods.clips.tasks import render_clip

pytestmark = [pytest.mark.browser, pytest.mark.media]


@pytest.fixture
def site_with_media(settings):
    settings.ROOT_URLCONF = "tests.vods.media_urls"


def _playing(page, selector: str = "video") -> float:
    page.wait_for_function(
        f"() => {{ const v = document.querySelector('{selector}'); return v && v.readyState >= 2; }}"
    )
    page.evaluate(
        f"() => {{ const v = document.querySelector('{selector}'); v.muted = true; return v.play(); }}"
    )
    page.wait_for_function(f"() => document.querySelector('{selector}').currentTime > 0.5")
    return float(page.evaluate(f"() => document.querySelector('{selector}').currentTime"))


def test_chromium_plays_a_rendered_clip_and_its_embed(page, live_server, site_with_media, monkeypatch):
    monkeypatch.setattr(render_clip, "delay", lambda clip_id: None)
    vod = make_vod(seconds=16, title="Finals night")
    clip = services.clip_create_from_vod(
        user=verified_user(), vod=vod, start=3.2, end=11.2, title="Ace round"
    )
    assert render_clip(clip.pk) == "ready"
    clip.refresh_from_db()
    assert default_storage.exists(clip.video)

    page.goto(f"{live_server.url}/clip/{clip.slug}/")
    assert _playing(page) > 0.5
    page.evaluate("() => document.querySelector('video').pause()")
    _shoot(page, "clip-page-playing")

    page.goto(f"{live_server.url}/embed/clip/{clip.slug}/")
    assert _playing(page) > 0.5
    _shoot(page, "clip-embed")

    page.goto(f"{live_server.url}/clips/?period=day")
    assert page.locator(".clip-card").count() == 1
    assert page.evaluate("() => document.querySelector('.clip-thumb img').naturalWidth") > 0  # the poster
    _shoot(page, "clip-trending")


def test_trim_editor_previews_the_vod_and_loops_the_selection(page, live_server, site_with_media):
    vod = make_vod(seconds=20)
    _login(page, live_server, verified_user())
    page.goto(f"{live_server.url}/videos/{vod.pk}/clip/")
    page.fill("[data-input=start]", "8")
    page.locator("[data-input=start]").blur()
    page.fill("[data-input=end]", "13")
    page.locator("[data-input=end]").blur()
    page.wait_for_function("() => document.querySelector('[data-video]').readyState >= 1")
    page.click("[data-preview]")
    # Played past the end of the selection, it jumped back to its start: always within 8-13 s.
    page.wait_for_timeout(6500)
    position = page.evaluate("() => document.querySelector('[data-video]').currentTime")
    assert 8 <= position <= 13.5
    _shoot(page, "clip-trim-editor-preview")
